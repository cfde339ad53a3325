//! The back-office half of the database: marketing groups (Poster), promotions and their
//! accumulations (Poster), points of sale and card registrations (Mloyalty), and card bonus
//! operations (REGOS). Ids are shared with the cashier half: a registration's client and an
//! accumulation's client are rows of `clients`.

mod accumulations;
mod card_operations;
mod groups;
mod registrations;

pub use accumulations::*;
pub use card_operations::*;
pub use groups::*;
pub use registrations::*;

use super::store::StoreError;
use crate::domain::Amount;
use crate::domain::admin::{
    CardOperation, CardOperationQuery, Expiry, Group, GroupDraft, GroupKind, OperationKind,
    Registration, RetailCard, SortColumn, SortDirection,
};
use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};
use rust_decimal::Decimal;
use std::str::FromStr;

pub const SCHEMA: &str = r#"
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
"#;

/// Databases made by older versions get the columns added since.
pub fn migrate(conn: &Connection) -> Result<(), StoreError> {
    for (table, column, declaration) in [
        ("client_groups", "use_ewallet", "INTEGER NOT NULL DEFAULT 0"),
        ("client_groups", "deleted", "INTEGER NOT NULL DEFAULT 0"),
        ("promotions", "date_start", "TEXT"),
        ("promotions", "date_end", "TEXT"),
    ] {
        super::store::sqlite::add_column(conn, table, column, declaration)?;
    }
    Ok(())
}
