-- SQLite, version 1: clients, the append-only ledger whose trigger keeps each balance
-- equal to its sum, idempotency keys, coupons, holds and the back office. Every statement
-- is idempotent: the store runs every step at every open (see `sqlite/migrate.rs`).

-- The back office: Poster's groups, promotions and accumulations, Mloyalty's points of
-- sale and cards, REGOS's card operations.
CREATE TABLE IF NOT EXISTS client_groups (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL,
    loyalty_type   INTEGER NOT NULL CHECK (loyalty_type IN (1, 2)),
    percent        TEXT NOT NULL,
    birthday_bonus INTEGER NOT NULL DEFAULT 0 CHECK (birthday_bonus >= 0),
    use_ewallet    INTEGER NOT NULL DEFAULT 0,
    -- Poster keeps a removed group, listed with delete = 1.
    deleted        INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS promotions (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    -- Poster's local `YYYY-MM-dd HH:mm:ss`; no end is NULL.
    date_start TEXT,
    date_end   TEXT
);

CREATE TABLE IF NOT EXISTS accumulations (
    id               INTEGER PRIMARY KEY,
    tr_product_id    INTEGER NOT NULL,
    promotion_id     INTEGER NOT NULL REFERENCES promotions (id),
    client_id        INTEGER NOT NULL REFERENCES clients (id),
    product_id       INTEGER NOT NULL,
    modification_id  INTEGER NOT NULL DEFAULT 0,
    status           INTEGER NOT NULL,
    num              TEXT NOT NULL,
    product_sum      TEXT NOT NULL,
    prize_product_id INTEGER,
    date_add         TEXT,
    date_close       TEXT,
    weight_flag      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS accumulations_client ON accumulations (client_id, id);

CREATE TABLE IF NOT EXISTS points_of_sale (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS cards (
    id          INTEGER PRIMARY KEY,
    client_id   INTEGER NOT NULL REFERENCES clients (id),
    promo_id    INTEGER NOT NULL,
    number      INTEGER NOT NULL UNIQUE,
    out_number  INTEGER NOT NULL,
    is_virtual  INTEGER NOT NULL,
    card_type   TEXT NOT NULL,
    card_status TEXT NOT NULL,
    reg_pos     INTEGER NOT NULL REFERENCES points_of_sale (id),
    reg_ms      INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS cards_registered ON cards (reg_ms, reg_pos);

CREATE TABLE IF NOT EXISTS card_operations (
    uuid        TEXT PRIMARY KEY,
    card_id     INTEGER NOT NULL REFERENCES cards (id),
    promo_id    INTEGER NOT NULL,
    type        INTEGER NOT NULL CHECK (type IN (1, 2)),
    amount      INTEGER NOT NULL,
    value       INTEGER NOT NULL,
    used_value  INTEGER NOT NULL,
    is_payment  INTEGER NOT NULL,
    date_s      INTEGER NOT NULL,
    exp_s       INTEGER NOT NULL,
    description TEXT,
    updated_s   INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS card_operations_card ON card_operations (card_id, promo_id, date_s);

-- The till's half.
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

-- Two-phase write-offs (holds); their owner and ids came with version 3.
CREATE TABLE IF NOT EXISTS holds (
    transaction_id  TEXT PRIMARY KEY,
    client_id       INTEGER NOT NULL REFERENCES clients (id),
    currency        TEXT NOT NULL CHECK (currency IN ('points', 'rubles')),
    amount          INTEGER NOT NULL CHECK (amount >= 0),
    created_ms      INTEGER NOT NULL,
    expires_ms      INTEGER NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('held', 'written_off', 'cancelled', 'refunded')),
    fiscal_order_id TEXT,
    login           TEXT
    -- principal, refunded_by and refunded_ms: see `migrate`.
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS holds_open ON holds (client_id, currency, state, expires_ms);
CREATE TABLE IF NOT EXISTS hold_coupons (
    transaction_id TEXT NOT NULL REFERENCES holds (transaction_id),
    coupon_id      INTEGER NOT NULL,
    PRIMARY KEY (transaction_id, coupon_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS hold_coupons_coupon ON hold_coupons (coupon_id);
