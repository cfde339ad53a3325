-- SQLite, version 2: the users of `serve user` and the secrets every instance shares.
-- The ledger's `principal` column comes with this step (`sqlite/migrate.rs`: SQLite
-- cannot add a column only if it is missing).
CREATE TABLE IF NOT EXISTS principals (
    name       TEXT PRIMARY KEY,
    role       TEXT NOT NULL CHECK (role IN ('cashier', 'admin')),
    key_sha256 BLOB NOT NULL UNIQUE,
    created_ms INTEGER NOT NULL,
    revoked_ms INTEGER
);
-- Secrets every instance over this database shares, such as the JWT signing key.
CREATE TABLE IF NOT EXISTS server_secrets (
    name  TEXT PRIMARY KEY,
    value BLOB NOT NULL
);
