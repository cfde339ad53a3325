-- The loyalty server's schema on PostgreSQL, version 2 (the SQLite store's user_version 2).
-- The guarantees are the database's own, as on SQLite: the ledger is append-only, a
-- trigger keeps each balance equal to the sum of its ledger, and a balance can never go
-- below zero (the CHECK is evaluated on the row the trigger updates, under its row lock,
-- so concurrent write-offs on one client are serialised by PostgreSQL itself).

CREATE TABLE schema_version (version INTEGER NOT NULL);
INSERT INTO schema_version VALUES (2);

CREATE TABLE client_groups (
    id             BIGINT PRIMARY KEY,
    name           TEXT NOT NULL,
    loyalty_type   INTEGER NOT NULL CHECK (loyalty_type IN (1, 2)),
    percent        TEXT NOT NULL,
    birthday_bonus BIGINT NOT NULL DEFAULT 0 CHECK (birthday_bonus >= 0),
    use_ewallet    BOOLEAN NOT NULL DEFAULT FALSE,
    deleted        BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE clients (
    id         BIGINT PRIMARY KEY,
    name       TEXT,
    phone      TEXT,
    email      TEXT,
    phone_norm TEXT,
    phone_rev  TEXT,
    email_lc   TEXT,
    email_rev  TEXT,
    group_id   BIGINT REFERENCES client_groups (id)
);
CREATE INDEX clients_group ON clients (group_id);
-- text_pattern_ops: prefix patterns (`7912%`) are index range scans whatever the collation.
CREATE INDEX clients_phone_norm ON clients (phone_norm text_pattern_ops);
CREATE INDEX clients_phone_rev ON clients (phone_rev text_pattern_ops);
CREATE INDEX clients_email_lc ON clients (email_lc text_pattern_ops);
CREATE INDEX clients_email_rev ON clients (email_rev text_pattern_ops);

CREATE TABLE balances (
    client_id BIGINT NOT NULL REFERENCES clients (id),
    currency  TEXT NOT NULL CHECK (currency IN ('points', 'rubles')),
    amount    BIGINT NOT NULL CHECK (amount >= 0),
    PRIMARY KEY (client_id, currency)
);

CREATE TABLE ledger (
    id        BIGSERIAL PRIMARY KEY,
    client_id BIGINT NOT NULL REFERENCES clients (id),
    currency  TEXT NOT NULL CHECK (currency IN ('points', 'rubles')),
    amount    BIGINT NOT NULL CHECK (amount <> 0),
    at_ms     BIGINT NOT NULL,
    kind      TEXT NOT NULL,
    login     TEXT,
    principal TEXT
);
CREATE INDEX ledger_client_time ON ledger (client_id, at_ms, id);

CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the ledger is append-only';
END
$$;
CREATE TRIGGER ledger_no_change BEFORE UPDATE OR DELETE ON ledger
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER ledger_no_truncate BEFORE TRUNCATE ON ledger
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only();

CREATE FUNCTION ledger_to_balance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Insert-then-update rather than an upsert: PostgreSQL checks an upsert's CHECK on the
    -- proposed row (a negative amount) before it sees the conflict. The UPDATE takes the
    -- balance row's lock, so concurrent movements on one balance are applied one by one,
    -- each against the amount the one before left, and the CHECK refuses an overdraw.
    INSERT INTO balances (client_id, currency, amount)
    VALUES (NEW.client_id, NEW.currency, 0)
    ON CONFLICT (client_id, currency) DO NOTHING;
    UPDATE balances SET amount = amount + NEW.amount
    WHERE client_id = NEW.client_id AND currency = NEW.currency;
    RETURN NEW;
END
$$;
CREATE TRIGGER ledger_to_balance AFTER INSERT ON ledger
    FOR EACH ROW EXECUTE FUNCTION ledger_to_balance();

CREATE TABLE idempotency_keys (
    scope       TEXT NOT NULL,
    key         TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status      INTEGER NOT NULL,
    body        TEXT NOT NULL,
    created_ms  BIGINT NOT NULL,
    PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_age ON idempotency_keys (created_ms);

CREATE TABLE coupons (
    id          BIGINT PRIMARY KEY,
    client_id   BIGINT NOT NULL REFERENCES clients (id),
    title       TEXT NOT NULL,
    expire_ms   BIGINT,
    redeemed_ms BIGINT
);
CREATE INDEX coupons_client ON coupons (client_id);

CREATE TABLE holds (
    transaction_id  TEXT PRIMARY KEY,
    client_id       BIGINT NOT NULL REFERENCES clients (id),
    currency        TEXT NOT NULL CHECK (currency IN ('points', 'rubles')),
    amount          BIGINT NOT NULL CHECK (amount >= 0),
    created_ms      BIGINT NOT NULL,
    expires_ms      BIGINT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('held', 'written_off', 'cancelled', 'refunded')),
    fiscal_order_id TEXT,
    login           TEXT
);
CREATE INDEX holds_open ON holds (client_id, currency, state, expires_ms);
CREATE TABLE hold_coupons (
    transaction_id TEXT NOT NULL REFERENCES holds (transaction_id),
    coupon_id      BIGINT NOT NULL,
    PRIMARY KEY (transaction_id, coupon_id)
);
CREATE INDEX hold_coupons_coupon ON hold_coupons (coupon_id);

CREATE TABLE promotions (
    id         BIGINT PRIMARY KEY,
    name       TEXT NOT NULL,
    date_start TEXT,
    date_end   TEXT
);

CREATE TABLE accumulations (
    id               BIGINT PRIMARY KEY,
    tr_product_id    BIGINT NOT NULL,
    promotion_id     BIGINT NOT NULL REFERENCES promotions (id),
    client_id        BIGINT NOT NULL REFERENCES clients (id),
    product_id       BIGINT NOT NULL,
    modification_id  BIGINT NOT NULL DEFAULT 0,
    status           INTEGER NOT NULL,
    num              TEXT NOT NULL,
    product_sum      TEXT NOT NULL,
    prize_product_id BIGINT,
    date_add         TEXT,
    date_close       TEXT,
    weight_flag      BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX accumulations_client ON accumulations (client_id, id);

CREATE TABLE points_of_sale (
    id   BIGINT PRIMARY KEY,
    name TEXT NOT NULL
);

CREATE TABLE cards (
    id          BIGINT PRIMARY KEY,
    client_id   BIGINT NOT NULL REFERENCES clients (id),
    promo_id    BIGINT NOT NULL,
    number      BIGINT NOT NULL UNIQUE,
    out_number  BIGINT NOT NULL,
    is_virtual  BOOLEAN NOT NULL,
    card_type   TEXT NOT NULL,
    card_status TEXT NOT NULL,
    reg_pos     BIGINT NOT NULL REFERENCES points_of_sale (id),
    reg_ms      BIGINT NOT NULL
);
CREATE INDEX cards_registered ON cards (reg_ms, reg_pos);

CREATE TABLE card_operations (
    uuid        TEXT PRIMARY KEY,
    card_id     BIGINT NOT NULL REFERENCES cards (id),
    promo_id    BIGINT NOT NULL,
    type        INTEGER NOT NULL CHECK (type IN (1, 2)),
    amount      BIGINT NOT NULL,
    value       BIGINT NOT NULL,
    used_value  BIGINT NOT NULL,
    is_payment  BOOLEAN NOT NULL,
    date_s      BIGINT NOT NULL,
    exp_s       BIGINT NOT NULL,
    description TEXT,
    updated_s   BIGINT NOT NULL
);
CREATE INDEX card_operations_card ON card_operations (card_id, promo_id, date_s);

CREATE TABLE principals (
    name       TEXT PRIMARY KEY,
    role       TEXT NOT NULL CHECK (role IN ('cashier', 'admin')),
    key_sha256 BYTEA NOT NULL UNIQUE,
    created_ms BIGINT NOT NULL,
    revoked_ms BIGINT
);

CREATE TABLE server_secrets (
    name  TEXT PRIMARY KEY,
    value BYTEA NOT NULL
);
