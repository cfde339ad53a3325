-- SQLite, version 4: money both ways. Every write-off and every reversal is an operation;
-- its ledger rows (`ledger.operation_id`, added first by `sqlite/migrate.rs`, as is
-- `holds.order_id`, the receipt's number a hold was asked for, `holds.refunded_login`, and
-- `client_groups.changed_by` and `changed_ms`, who last made, changed or removed a group)
-- and the
-- coupons it spent or gave back (`operation_coupons`) name it. Ledger rows made before have
-- no operation and cannot be reversed. What an operation moved is its ledger rows' sum, so
-- the amounts are kept once, in the ledger.
CREATE TABLE IF NOT EXISTS operations (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id      INTEGER NOT NULL REFERENCES clients (id),
    kind           TEXT NOT NULL CHECK (kind IN ('write_off', 'reversal')),
    at_ms          INTEGER NOT NULL,
    -- The receipt a write-off pays part of: both or neither, its total in kopecks.
    receipt_number TEXT CHECK (length(receipt_number) BETWEEN 1 AND 64),
    receipt_total  INTEGER CHECK (receipt_total > 0),
    -- The till's `serve user`, the seed-001 login, and the manager whose PIN allowed it.
    principal      TEXT,
    login          TEXT,
    manager        TEXT,
    -- A reversal's reason (`mistake`, `returned`, `complaint`, `other`) and note.
    reason         TEXT,
    note           TEXT,
    -- A reversal's write-off.
    original_id    INTEGER REFERENCES operations (id),
    CHECK ((receipt_number IS NULL) = (receipt_total IS NULL)),
    CHECK ((kind = 'reversal') = (original_id IS NOT NULL))
);
CREATE INDEX IF NOT EXISTS operations_original ON operations (original_id);
CREATE INDEX IF NOT EXISTS operations_client_time ON operations (client_id, at_ms);
CREATE INDEX IF NOT EXISTS operations_time ON operations (at_ms);
CREATE INDEX IF NOT EXISTS ledger_operation ON ledger (operation_id);

-- The coupons a write-off redeemed, and those a reversal gave back.
CREATE TABLE IF NOT EXISTS operation_coupons (
    operation_id INTEGER NOT NULL REFERENCES operations (id),
    coupon_id    INTEGER NOT NULL REFERENCES coupons (id),
    PRIMARY KEY (operation_id, coupon_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS operation_coupons_coupon ON operation_coupons (coupon_id);

-- Managers: a name and a PIN (salted PBKDF2-HMAC-SHA256, never the digits), no API key.
-- A manager's PIN lets a till go past a limit or reverse a write-off.
CREATE TABLE IF NOT EXISTS managers (
    name       TEXT PRIMARY KEY,
    pin_salt   BLOB NOT NULL,
    pin_hash   BLOB NOT NULL,
    created_ms INTEGER NOT NULL,
    revoked_ms INTEGER
);
