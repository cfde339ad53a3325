-- SQLite, version 6: points as lots that expire and activate.
--
-- Every movement into a balance is a lot (its amount, what is left of it, when it becomes
-- spendable and when it expires, NULL: never); every movement out takes from lots, and
-- `lot_spends` says which lot gave what (a negative amount: given back). So a balance is
-- always the sum of its lots' `remaining`, and `serve --check` verifies it. The triggers
-- here do it for every ledger row, whoever writes it; a hold's refund gives back through
-- `sqlite/lots.rs` (the refund's ledger row does not name its hold), and an expiry row is
-- written with its spend by the sweep (`Store::expire_lots`).
CREATE TABLE IF NOT EXISTS lots (
    id             INTEGER PRIMARY KEY,
    client_id      INTEGER NOT NULL REFERENCES clients (id),
    currency       TEXT NOT NULL CHECK (currency IN ('points', 'rubles')),
    amount         INTEGER NOT NULL CHECK (amount > 0),
    -- The last net under the triggers' arithmetic: a lot is never overspent.
    remaining      INTEGER NOT NULL CHECK (remaining >= 0),
    active_from_ms INTEGER NOT NULL,
    expires_ms     INTEGER,
    -- The ledger row that made it; NULL for a balance that became a lot at the upgrade.
    ledger_id      INTEGER REFERENCES ledger (id)
);
CREATE INDEX IF NOT EXISTS lots_client ON lots (client_id, currency);
CREATE INDEX IF NOT EXISTS lots_ledger ON lots (ledger_id);
-- The sweep reads only lots with something left that expire.
CREATE INDEX IF NOT EXISTS lots_expiring ON lots (expires_ms)
    WHERE remaining > 0 AND expires_ms IS NOT NULL;

CREATE TABLE IF NOT EXISTS lot_spends (
    ledger_id INTEGER NOT NULL REFERENCES ledger (id),
    lot_id    INTEGER NOT NULL REFERENCES lots (id),
    amount    INTEGER NOT NULL CHECK (amount <> 0),
    PRIMARY KEY (ledger_id, lot_id)
) WITHOUT ROWID;
-- No index by lot: only `--check` reads the spends by lot, in one grouped scan, and every
-- write-off would otherwise write one more page at a random place, an eighth of its bytes
-- on a disk that write-offs keep busy. Files made before it lose it here.
DROP INDEX IF EXISTS lot_spends_lot;

-- Which ledger row wrote a hold off, so that its refund gives back into the same lots.
CREATE TABLE IF NOT EXISTS hold_spends (
    transaction_id TEXT PRIMARY KEY REFERENCES holds (transaction_id),
    ledger_id      INTEGER NOT NULL REFERENCES ledger (id)
) WITHOUT ROWID;

CREATE TRIGGER IF NOT EXISTS lot_spends_no_update BEFORE UPDATE ON lot_spends
BEGIN SELECT RAISE(ABORT, 'lot spends are append-only'); END;
CREATE TRIGGER IF NOT EXISTS lot_spends_no_delete BEFORE DELETE ON lot_spends
BEGIN SELECT RAISE(ABORT, 'lot spends are append-only'); END;
CREATE TRIGGER IF NOT EXISTS lot_spends_to_lots AFTER INSERT ON lot_spends
BEGIN
    UPDATE lots SET remaining = remaining - NEW.amount WHERE id = NEW.lot_id;
END;

-- A movement out (not an expiry, which names its lot itself) takes from the lots spendable
-- at its time, those that expire first first (never-expiring last, then oldest), each up
-- to what is left of it. Lots that do not cover it refuse it: the write-offs check what is
-- spendable before they write, so this is the last net.
CREATE TRIGGER IF NOT EXISTS ledger_spends_lots AFTER INSERT ON ledger
WHEN NEW.amount < 0 AND NEW.kind <> 'expiry'
BEGIN
    INSERT INTO lot_spends (ledger_id, lot_id, amount)
    SELECT NEW.id, id, take FROM (
        SELECT id,
               min(remaining,
                   -NEW.amount - (sum(remaining) OVER (
                       ORDER BY expires_ms IS NULL, expires_ms, id
                       ROWS UNBOUNDED PRECEDING) - remaining)) AS take
        FROM lots
        WHERE client_id = NEW.client_id AND currency = NEW.currency AND remaining > 0
          AND active_from_ms <= NEW.at_ms
          AND (expires_ms IS NULL OR expires_ms > NEW.at_ms)
    ) WHERE take > 0;
    SELECT RAISE(ABORT, 'the spendable lots do not cover the movement')
    WHERE coalesce((SELECT sum(amount) FROM lot_spends WHERE ledger_id = NEW.id), 0)
          <> -NEW.amount;
END;

-- A movement in gives back into the lots its original took from (a reversal: what the
-- write-off's rows took, less what earlier reversals gave back), those that expire last
-- first; what cannot be traced so (an accrual, a deposit, a write-off older than lots)
-- becomes a lot of its own, spendable from its time and never expiring (`Store::accrue`
-- dates its own). A refund's row is given back by `sqlite/lots.rs`.
CREATE TRIGGER IF NOT EXISTS ledger_gives_back AFTER INSERT ON ledger
WHEN NEW.amount > 0 AND NEW.kind <> 'refund'
BEGIN
    INSERT INTO lot_spends (ledger_id, lot_id, amount)
    SELECT NEW.id, lot_id, -give FROM (
        SELECT t.lot_id,
               min(t.net, NEW.amount - (sum(t.net) OVER (
                   ORDER BY l.expires_ms IS NULL DESC, l.expires_ms DESC, l.id DESC
                   ROWS UNBOUNDED PRECEDING) - t.net)) AS give
        FROM (
            SELECT s.lot_id, sum(s.amount) AS net
            FROM lot_spends s JOIN ledger g ON g.id = s.ledger_id
            WHERE g.currency = NEW.currency AND NEW.operation_id IS NOT NULL
              AND g.operation_id IN (
                  SELECT original_id FROM operations
                  WHERE id = NEW.operation_id AND original_id IS NOT NULL
                  UNION ALL
                  SELECT o.id FROM operations o JOIN operations r ON r.original_id = o.original_id
                  WHERE r.id = NEW.operation_id)
            GROUP BY s.lot_id HAVING sum(s.amount) > 0
        ) t JOIN lots l ON l.id = t.lot_id
    ) WHERE give > 0;
    INSERT INTO lots (client_id, currency, amount, remaining, active_from_ms, ledger_id)
    SELECT NEW.client_id, NEW.currency, rest, rest, NEW.at_ms, NEW.id FROM (
        SELECT NEW.amount + coalesce(
            (SELECT sum(amount) FROM lot_spends WHERE ledger_id = NEW.id), 0) AS rest
    ) WHERE rest > 0;
END;

-- A file made before lots: each balance becomes one lot, spendable and never expiring, so
-- that every balance equals its lots from the start. Done once: the marker says so. The
-- marker is the outer loop (CROSS JOIN keeps it so): with the marker set the balances are
-- not read at all; as a condition beside them, they were, at every open (a million
-- clients' two million balances before the console's first frame).
CREATE TABLE IF NOT EXISTS lots_upgraded (done INTEGER PRIMARY KEY CHECK (done = 1));
INSERT INTO lots (client_id, currency, amount, remaining, active_from_ms)
SELECT b.client_id, b.currency, b.amount, b.amount, 0
FROM (SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM lots_upgraded)) AS once
CROSS JOIN balances b
WHERE b.amount > 0;
INSERT OR IGNORE INTO lots_upgraded (done) VALUES (1);
