//! The back-office half of the database: marketing groups (Poster), promotions and their
//! accumulations (Poster), points of sale and card registrations (Mloyalty), and card bonus
//! operations (REGOS). Ids are shared with the cashier half: a registration's client and an
//! accumulation's client are rows of `clients`.

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

// ---- groups -----------------------------------------------------------------------

fn kind_code(kind: GroupKind) -> i64 {
    match kind {
        GroupKind::Bonus => 1,
        GroupKind::Discount => 2,
    }
}

fn group_row(r: &rusqlite::Row) -> rusqlite::Result<Group> {
    let percent: String = r.get(3)?;
    Ok(Group {
        id: r.get(0)?,
        name: r.get(1)?,
        kind: if r.get::<_, i64>(2)? == 1 {
            GroupKind::Bonus
        } else {
            GroupKind::Discount
        },
        percent: Decimal::from_str(&percent).unwrap_or_default(),
        birthday_bonus: Amount::from_minor(r.get(4)?),
        clients: r.get::<_, i64>(5)?.max(0) as u64,
        use_ewallet: Some(r.get::<_, i64>(6)? != 0),
        removed: r.get::<_, i64>(7)? != 0,
    })
}

const GROUP_SELECT: &str = "SELECT g.id, g.name, g.loyalty_type, g.percent, g.birthday_bonus,
        (SELECT count(*) FROM clients c WHERE c.group_id = g.id), g.use_ewallet, g.deleted
        FROM client_groups g";

/// Databases made by older versions get the columns added since.
pub fn migrate(conn: &Connection) -> Result<(), StoreError> {
    for (table, column, declaration) in [
        ("client_groups", "use_ewallet", "INTEGER NOT NULL DEFAULT 0"),
        ("client_groups", "deleted", "INTEGER NOT NULL DEFAULT 0"),
        ("promotions", "date_start", "TEXT"),
        ("promotions", "date_end", "TEXT"),
    ] {
        super::store::add_column(conn, table, column, declaration)?;
    }
    Ok(())
}

/// A promotion row: `(id, name, date_start, date_end)`, dates as Poster writes them.
pub type PromotionRow = (i64, String, Option<String>, Option<String>);

pub fn promotions(conn: &Connection) -> Result<Vec<PromotionRow>, StoreError> {
    let mut stmt =
        conn.prepare_cached("SELECT id, name, date_start, date_end FROM promotions ORDER BY id")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn groups(conn: &Connection) -> Result<Vec<Group>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!("{GROUP_SELECT} ORDER BY g.id"))?;
    let rows = stmt.query_map([], group_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn group(conn: &Connection, id: i64) -> Result<Option<Group>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!("{GROUP_SELECT} WHERE g.id = ?1"))?;
    Ok(stmt.query_row([id], group_row).optional()?)
}

pub fn create_group(conn: &Connection, draft: &GroupDraft) -> Result<i64, StoreError> {
    conn.execute(
        "INSERT INTO client_groups (name, loyalty_type, percent, birthday_bonus, use_ewallet)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            draft.name.trim(),
            kind_code(draft.kind),
            draft.percent.normalize().to_string(),
            draft.birthday_bonus.minor(),
            draft.use_ewallet.unwrap_or(false)
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Returns whether the group existed.
pub fn update_group(conn: &Connection, id: i64, draft: &GroupDraft) -> Result<bool, StoreError> {
    let changed = conn.execute(
        "UPDATE client_groups SET name = ?2, loyalty_type = ?3, percent = ?4, birthday_bonus = ?5,
                use_ewallet = coalesce(?6, use_ewallet)
         WHERE id = ?1 AND deleted = 0",
        params![
            id,
            draft.name.trim(),
            kind_code(draft.kind),
            draft.percent.normalize().to_string(),
            draft.birthday_bonus.minor(),
            draft.use_ewallet
        ],
    )?;
    Ok(changed == 1)
}

/// Removes a group; its clients leave it (as Poster removes the group with its members).
/// Returns whether the group existed.
pub fn remove_group(conn: &mut Connection, id: i64) -> Result<bool, StoreError> {
    let tx = conn.transaction()?;
    tx.execute(
        "UPDATE clients SET group_id = NULL WHERE group_id = ?1",
        [id],
    )?;
    let removed = tx.execute(
        "UPDATE client_groups SET deleted = 1 WHERE id = ?1 AND deleted = 0",
        [id],
    )?;
    tx.commit()?;
    Ok(removed == 1)
}

// ---- accumulations ----------------------------------------------------------------

/// A stored accumulation row, in the vendor's own terms (the server answers with these).
pub struct AccumulationRow {
    pub id: i64,
    pub tr_product_id: i64,
    pub promotion_id: i64,
    pub client_id: i64,
    pub product_id: i64,
    pub modification_id: i64,
    pub status: i64,
    pub num: String,
    pub product_sum: String,
    pub prize_product_id: Option<i64>,
    pub date_add: Option<String>,
    pub date_close: Option<String>,
    pub weight_flag: i64,
}

pub fn accumulations(
    conn: &Connection,
    client: Option<i64>,
    offset: u32,
    limit: u32,
) -> Result<Vec<AccumulationRow>, StoreError> {
    // As Poster: `num` and `offset` count clients, and a page holds every row of its clients.
    let mut stmt = conn.prepare_cached(
        "WITH page AS (SELECT DISTINCT client_id FROM accumulations
                       WHERE (?1 IS NULL OR client_id = ?1)
                       ORDER BY client_id LIMIT ?2 OFFSET ?3)
         SELECT id, tr_product_id, promotion_id, client_id, product_id, modification_id, status,
                num, product_sum, prize_product_id, date_add, date_close, weight_flag
         FROM accumulations WHERE client_id IN (SELECT client_id FROM page)
         ORDER BY client_id, id",
    )?;
    let rows = stmt.query_map(params![client, limit, offset], |r| {
        Ok(AccumulationRow {
            id: r.get(0)?,
            tr_product_id: r.get(1)?,
            promotion_id: r.get(2)?,
            client_id: r.get(3)?,
            product_id: r.get(4)?,
            modification_id: r.get(5)?,
            status: r.get(6)?,
            num: r.get(7)?,
            product_sum: r.get(8)?,
            prize_product_id: r.get(9)?,
            date_add: r.get(10)?,
            date_close: r.get(11)?,
            weight_flag: r.get(12)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

// ---- registrations ----------------------------------------------------------------

/// Cards registered between two instants (inclusive), optionally at one point of sale; at
/// most `limit` of them (the caller asks for one more than it answers, to know there are
/// more).
pub fn registrations(
    conn: &Connection,
    from: Timestamp,
    to: Timestamp,
    pos: Option<i64>,
    limit: u32,
) -> Result<Vec<Registration>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.client_id, c.number, c.out_number, c.is_virtual, c.card_type, c.card_status,
                c.reg_pos, p.name, c.reg_ms
         FROM cards c JOIN points_of_sale p ON p.id = c.reg_pos
         WHERE c.reg_ms BETWEEN ?1 AND ?2 AND (?3 IS NULL OR c.reg_pos = ?3)
         ORDER BY c.reg_ms, c.id LIMIT ?4",
    )?;
    let rows = stmt.query_map(
        params![from.as_millisecond(), to.as_millisecond(), pos, limit],
        |r| {
            Ok(Registration {
                client: r.get(0)?,
                card: r.get(1)?,
                out_number: r.get(2)?,
                is_virtual: r.get::<_, i64>(3)? != 0,
                card_type: r.get(4)?,
                card_status: r.get(5)?,
                pos: r.get(6)?,
                pos_name: r.get(7)?,
                registered: Timestamp::from_millisecond(r.get(8)?).unwrap_or(Timestamp::UNIX_EPOCH),
            })
        },
    )?;
    Ok(rows.collect::<Result<_, _>>()?)
}

// ---- card operations --------------------------------------------------------------

/// Amounts are stored in thousandths: REGOS sends three decimals.
fn from_milli(m: i64) -> Decimal {
    Decimal::new(m, 3).normalize()
}

/// Filters of one operations request, already checked by the route.
pub struct OperationFilter {
    pub card_ids: Vec<i64>,
    pub promo_ids: Vec<i64>,
    pub kinds: Vec<OperationKind>,
    pub query: CardOperationQuery,
}

fn sort_sql(column: SortColumn) -> &'static str {
    match column {
        SortColumn::Date => "date_s",
        SortColumn::Type => "type",
        SortColumn::Amount => "amount",
        SortColumn::Value => "value",
        SortColumn::ExpiryDate => "exp_s",
        SortColumn::LastUpdate => "updated_s",
    }
}

/// One page of operations and the total that match.
pub fn card_operations(
    conn: &Connection,
    f: &OperationFilter,
) -> Result<(Vec<CardOperation>, u64), StoreError> {
    let list = |ids: &[i64]| ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let mut clauses = vec![
        format!("card_id IN ({})", list(&f.card_ids)),
        format!("promo_id IN ({})", list(&f.promo_ids)),
    ];
    if !f.kinds.is_empty() {
        let codes: Vec<i64> = f
            .kinds
            .iter()
            .map(|k| crate::wire::regos::kind_to_wire(*k))
            .collect();
        clauses.push(format!("type IN ({})", list(&codes)));
    }
    if let Some(from) = f.query.from {
        clauses.push(format!("date_s >= {}", from.as_second()));
    }
    if let Some(to) = f.query.to {
        clauses.push(format!("date_s <= {}", to.as_second()));
    }
    let filter = clauses.join(" AND ");
    let total: i64 = conn.query_row(
        &format!("SELECT count(*) FROM card_operations WHERE {filter}"),
        [],
        |r| r.get(0),
    )?;
    let direction = match f.query.direction {
        SortDirection::Asc => "ASC",
        SortDirection::Desc => "DESC",
    };
    let sql = format!(
        "SELECT uuid, type, amount, value, used_value, is_payment, date_s, exp_s, description, updated_s
         FROM card_operations WHERE {filter}
         ORDER BY {} {direction}, uuid LIMIT ?1 OFFSET ?2",
        sort_sql(f.query.sort)
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(params![f.query.limit, f.query.offset], |r| {
        let second = |i: usize| -> rusqlite::Result<Option<Timestamp>> {
            Ok(Timestamp::from_second(r.get(i)?).ok())
        };
        let exp: i64 = r.get(7)?;
        Ok(CardOperation {
            uuid: Some(r.get(0)?),
            kind: Some(if r.get::<_, i64>(1)? == 1 {
                OperationKind::Income
            } else {
                OperationKind::Outcome
            }),
            amount: Some(from_milli(r.get(2)?)),
            value: Some(from_milli(r.get(3)?)),
            used_value: Some(from_milli(r.get(4)?)),
            is_payment: Some(r.get::<_, i64>(5)? != 0),
            date: second(6)?,
            expires: Some(match Timestamp::from_second(exp) {
                Ok(at) if exp != 0 => Expiry::At(at),
                _ => Expiry::Never,
            }),
            description: r.get(8)?,
            last_update: second(9)?,
        })
    })?;
    Ok((rows.collect::<Result<_, _>>()?, total.max(0) as u64))
}

/// The REGOS promotion name of the demo's one card programme.
const CARD_PROMO_NAME: &str = "Бонусная программа";

/// Cards whose holder's phone ends in the digits of `text`, whose barcode is those digits,
/// or (text with letters) whose holder's name contains it; at most `limit`, by id.
pub fn find_cards(
    conn: &Connection,
    text: &str,
    limit: u32,
) -> Result<Vec<RetailCard>, StoreError> {
    let text = text.trim();
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let numeric = !digits.is_empty() && !text.chars().any(char::is_alphabetic);
    let select = "SELECT k.id, k.number, c.name, k.promo_id,
            (SELECT coalesce(sum(CASE o.type WHEN 1 THEN o.value ELSE -o.value END), 0)
             FROM card_operations o WHERE o.card_id = k.id),
            k.card_status
         FROM cards k JOIN clients c ON c.id = k.client_id";
    let (sql, args): (String, Vec<String>) = if numeric {
        // A phone is matched by its last ten digits through the reversed-phone index; a
        // barcode by its whole number.
        let tail: String = digits.chars().rev().take(10).collect();
        (
            format!(
                "{select} WHERE k.number = ?1
                 OR k.client_id IN (SELECT id FROM clients WHERE phone_rev >= ?2 AND phone_rev < ?3)
                 ORDER BY k.id LIMIT {limit}"
            ),
            vec![digits.clone(), tail.clone(), format!("{tail}\u{10FFFF}")],
        )
    } else {
        let escaped = text
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        (
            format!("{select} WHERE c.name LIKE ?1 ESCAPE '\\' ORDER BY k.id LIMIT {limit}"),
            vec![format!("%{escaped}%")],
        )
    };
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), |r| {
        let promo: i64 = r.get(3)?;
        Ok(RetailCard {
            id: r.get(0)?,
            barcode: Some(r.get::<_, i64>(1)?.to_string()),
            holder: r.get(2)?,
            promo_id: Some(promo),
            promo_name: (promo == super::demo::CARD_PROMO_ID).then(|| CARD_PROMO_NAME.to_string()),
            bonus: Some(from_milli(r.get(4)?)),
            enabled: Some(r.get::<_, String>(5)? == "Активна"),
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
