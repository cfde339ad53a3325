//! The store's tables: clients, the append-only ledger whose trigger keeps each balance
//! equal to its sum, idempotency keys and coupons.

pub(super) const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS clients (
    id         INTEGER PRIMARY KEY,
    name       TEXT,
    phone      TEXT,
    email      TEXT,
    phone_norm TEXT,
    phone_rev  TEXT,
    email_lc   TEXT,
    email_rev  TEXT,
    group_id   INTEGER REFERENCES client_groups (id)
);
CREATE INDEX IF NOT EXISTS clients_group ON clients (group_id);
CREATE INDEX IF NOT EXISTS clients_phone_norm ON clients (phone_norm);
CREATE INDEX IF NOT EXISTS clients_phone_rev ON clients (phone_rev);
CREATE INDEX IF NOT EXISTS clients_email_lc ON clients (email_lc);
CREATE INDEX IF NOT EXISTS clients_email_rev ON clients (email_rev);

CREATE TABLE IF NOT EXISTS balances (
    client_id INTEGER NOT NULL REFERENCES clients (id),
    currency  TEXT NOT NULL CHECK (currency IN ('points', 'rubles')),
    amount    INTEGER NOT NULL CHECK (amount >= 0),
    PRIMARY KEY (client_id, currency)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS ledger (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id INTEGER NOT NULL REFERENCES clients (id),
    currency  TEXT NOT NULL CHECK (currency IN ('points', 'rubles')),
    amount    INTEGER NOT NULL CHECK (amount <> 0),
    at_ms     INTEGER NOT NULL,
    kind      TEXT NOT NULL,
    -- The seed-001 login that made the movement; NULL for bearer-token callers and seeding.
    login     TEXT
);
CREATE INDEX IF NOT EXISTS ledger_client_time ON ledger (client_id, at_ms, id);

CREATE TRIGGER IF NOT EXISTS ledger_no_update BEFORE UPDATE ON ledger
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER IF NOT EXISTS ledger_no_delete BEFORE DELETE ON ledger
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER IF NOT EXISTS ledger_to_balance AFTER INSERT ON ledger
BEGIN
    -- Insert-then-update rather than an upsert: an upsert checks the CHECK constraint on
    -- the would-be row (a negative amount) before it sees the conflict.
    INSERT OR IGNORE INTO balances (client_id, currency, amount)
    VALUES (NEW.client_id, NEW.currency, 0);
    UPDATE balances SET amount = amount + NEW.amount
    WHERE client_id = NEW.client_id AND currency = NEW.currency;
END;

-- One row per Idempotency-Key a caller used on a write-off, with the answer it got, so a
-- retry gets the same answer and changes nothing. Written in the write-off's transaction.
CREATE TABLE IF NOT EXISTS idempotency_keys (
    scope       TEXT NOT NULL,
    key         TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status      INTEGER NOT NULL,
    body        TEXT NOT NULL,
    created_ms  INTEGER NOT NULL,
    PRIMARY KEY (scope, key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS idempotency_keys_age ON idempotency_keys (created_ms);

CREATE TABLE IF NOT EXISTS coupons (
    id          INTEGER PRIMARY KEY,
    client_id   INTEGER NOT NULL REFERENCES clients (id),
    title       TEXT NOT NULL,
    expire_ms   INTEGER,
    redeemed_ms INTEGER
);
CREATE INDEX IF NOT EXISTS coupons_client ON coupons (client_id);
"#;

#[cfg(test)]
mod tests {
    use super::super::sqlite::testing::seeded;

    #[test]
    fn the_ledger_refuses_update_and_delete() {
        let (_dir, store) = seeded();
        store
            .with_conn(|c| {
                for sql in [
                    "UPDATE ledger SET amount = amount + 1",
                    "DELETE FROM ledger",
                ] {
                    let e = c.execute(sql, []).unwrap_err();
                    assert!(e.to_string().contains("append-only"), "{sql}: {e}");
                }
                Ok(())
            })
            .unwrap();
    }
}
