-- What a movement took from its lots (and what a give-back gave) is summed from the rows
-- just inserted, not read back from `lot_spends` (no SQLite counterpart: SQLite plans each
-- statement with its values). The read back was planned once per connection, and planned
-- as a scan while `lot_spends` was small: right after an ANALYZE that found it empty (a
-- seeding's, an operator's after a bulk load) every write-off scanned every spend made
-- since, until autovacuum analysed the table again: on 1,000,000 clients, 140 million spend
-- rows read in 10 s of write-offs, the rate falling from 1,154 to 518 a second over a minute.
-- The sums are the same: a ledger row is new when its lots are taken or given, so the spends
-- naming it are the ones this statement inserts.
CREATE OR REPLACE FUNCTION lots_give_back(p_ledger BIGINT, p_sources BIGINT[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_row ledger%ROWTYPE;
    v_rest BIGINT;
BEGIN
    SELECT * INTO v_row FROM ledger WHERE id = p_ledger;
    v_rest := v_row.amount;
    IF cardinality(p_sources) > 0 THEN
        WITH given AS (
            INSERT INTO lot_spends (ledger_id, lot_id, amount)
            SELECT p_ledger, lot_id, -give FROM (
                SELECT t.lot_id,
                       least(t.net, v_row.amount - (sum(t.net) OVER (
                           ORDER BY l.expires_ms IS NULL DESC, l.expires_ms DESC, l.id DESC
                           ROWS UNBOUNDED PRECEDING) - t.net)) AS give
                FROM (SELECT s.lot_id, sum(s.amount)::bigint AS net FROM lot_spends s
                      WHERE s.ledger_id = ANY (p_sources) GROUP BY s.lot_id
                      HAVING sum(s.amount) > 0) t
                JOIN lots l ON l.id = t.lot_id
            ) AS gives WHERE give > 0
            RETURNING amount)
        SELECT v_row.amount + coalesce(sum(amount), 0) INTO v_rest FROM given;
    END IF;
    IF v_rest > 0 THEN
        INSERT INTO lots (client_id, currency, amount, remaining, active_from_ms, ledger_id)
        VALUES (v_row.client_id, v_row.currency, v_rest, v_rest, v_row.at_ms, p_ledger);
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION ledger_lots() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_taken BIGINT;
BEGIN
    IF NEW.kind IN ('expiry', 'refund') THEN
        RETURN NEW;
    END IF;
    IF NEW.amount < 0 THEN
        PERFORM expire_lots(NEW.at_ms, NEW.client_id);
        PERFORM 1 FROM lots WHERE client_id = NEW.client_id AND currency = NEW.currency
                             AND remaining > 0
        ORDER BY id FOR UPDATE;
        WITH taken AS (
            INSERT INTO lot_spends (ledger_id, lot_id, amount)
            SELECT NEW.id, id, take FROM (
                SELECT id,
                       least(remaining, -NEW.amount - (sum(remaining) OVER (
                           ORDER BY expires_ms IS NULL, expires_ms, id
                           ROWS UNBOUNDED PRECEDING) - remaining)) AS take
                FROM lots
                WHERE client_id = NEW.client_id AND currency = NEW.currency AND remaining > 0
                  AND active_from_ms <= NEW.at_ms
                  AND (expires_ms IS NULL OR expires_ms > NEW.at_ms)
            ) AS takes WHERE take > 0
            RETURNING amount)
        SELECT coalesce(sum(amount), 0) INTO v_taken FROM taken;
        IF v_taken <> -NEW.amount THEN
            RAISE EXCEPTION 'the spendable lots do not cover the movement'
                USING ERRCODE = 'check_violation';
        END IF;
    ELSE
        PERFORM lots_give_back(NEW.id, ARRAY(
            SELECT g.id FROM ledger g
            WHERE NEW.operation_id IS NOT NULL AND g.currency = NEW.currency
              AND g.operation_id IN (
                  SELECT original_id FROM operations
                  WHERE id = NEW.operation_id AND original_id IS NOT NULL
                  UNION ALL
                  SELECT o.id FROM operations o JOIN operations r ON r.original_id = o.original_id
                  WHERE r.id = NEW.operation_id)));
    END IF;
    RETURN NEW;
END
$$;
