-- SQLite, version 5: confirmation codes. A code is sent to the client's phone for one
-- write-off's amounts from one till; it is kept only as a salted hash, is good for minutes,
-- is spent by the write-off it allowed, and refuses itself after a few wrong tries. How a
-- write-off that needed a code was allowed (`operations.confirmed`: `code` or `manager`)
-- is added first by `sqlite/migrate.rs`.
CREATE TABLE IF NOT EXISTS confirmation_codes (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id    INTEGER NOT NULL REFERENCES clients (id),
    -- The phone it went to, as digits: sends are counted per phone.
    phone        TEXT NOT NULL,
    -- The till it was asked by (its `serve user`, `token` for the shared key).
    principal    TEXT NOT NULL,
    -- The amounts it allows, in kopecks.
    points       INTEGER NOT NULL CHECK (points >= 0),
    rubles       INTEGER NOT NULL CHECK (rubles >= 0),
    code_salt    BLOB NOT NULL,
    code_hash    BLOB NOT NULL,
    created_ms   INTEGER NOT NULL,
    expires_ms   INTEGER NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    -- Spent: when, by which operation. A code whose sending failed is void.
    used_ms      INTEGER,
    operation_id INTEGER REFERENCES operations (id),
    void         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS confirmation_codes_client
    ON confirmation_codes (client_id, principal, created_ms);
CREATE INDEX IF NOT EXISTS confirmation_codes_phone ON confirmation_codes (phone, created_ms);
