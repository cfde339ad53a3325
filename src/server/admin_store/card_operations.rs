//! REGOS's card operations: a card's bonus movements, filtered, sorted and paged; and the
//! card search behind F6's picker.

use super::*;

/// Amounts are stored in thousandths: REGOS sends three decimals.
pub(crate) fn from_milli(m: i64) -> Decimal {
    Decimal::new(m, 3).normalize()
}

/// Filters of one operations request, already checked by the route. An empty list does
/// not narrow; the route sees that a request names cards and promotions or operations.
pub struct OperationFilter {
    pub card_ids: Vec<i64>,
    pub promo_ids: Vec<i64>,
    pub kinds: Vec<OperationKind>,
    /// Operation uuids, lower case and of UUID characters only (the route refuses others).
    pub uuids: Vec<String>,
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

/// `ids` as an SQL list: numbers only, each formatted from an integer.
fn id_list(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// `text` as an SQL string literal, its quotes doubled (standard SQL, as both stores read it).
fn text_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// The filter as SQL: numbers formatted from integers, and uuids as quoted literals.
pub(crate) fn where_clause(f: &OperationFilter) -> String {
    // Always true: a request by uuids alone may leave no other condition.
    let mut clauses = vec!["1 = 1".to_string()];
    if !f.card_ids.is_empty() {
        clauses.push(format!("card_id IN ({})", id_list(&f.card_ids)));
    }
    if !f.promo_ids.is_empty() {
        clauses.push(format!("promo_id IN ({})", id_list(&f.promo_ids)));
    }
    if !f.uuids.is_empty() {
        let uuids: Vec<String> = f.uuids.iter().map(|u| text_literal(u)).collect();
        clauses.push(format!("uuid IN ({})", uuids.join(",")));
    }
    if !f.kinds.is_empty() {
        let codes: Vec<i64> = f
            .kinds
            .iter()
            .map(|k| crate::wire::regos::kind_to_wire(*k))
            .collect();
        clauses.push(format!("type IN ({})", id_list(&codes)));
    }
    if let Some(from) = f.query.from {
        clauses.push(format!("date_s >= {}", from.as_second()));
    }
    if let Some(to) = f.query.to {
        clauses.push(format!("date_s <= {}", to.as_second()));
    }
    clauses.join(" AND ")
}

/// The page's order, ties broken by uuid so pages never overlap.
pub(crate) fn order_clause(f: &OperationFilter) -> String {
    let direction = match f.query.direction {
        SortDirection::Asc => "ASC",
        SortDirection::Desc => "DESC",
    };
    format!("{} {direction}, uuid", sort_sql(f.query.sort))
}

/// An operation from its stored columns.
#[allow(clippy::too_many_arguments)]
pub(crate) fn operation(
    uuid: String,
    kind: i64,
    amount: i64,
    value: i64,
    used_value: i64,
    is_payment: bool,
    date_s: i64,
    exp_s: i64,
    description: Option<String>,
    updated_s: i64,
) -> CardOperation {
    CardOperation {
        uuid: Some(uuid),
        kind: Some(if kind == 1 {
            OperationKind::Income
        } else {
            OperationKind::Outcome
        }),
        amount: Some(from_milli(amount)),
        value: Some(from_milli(value)),
        used_value: Some(from_milli(used_value)),
        is_payment: Some(is_payment),
        date: Timestamp::from_second(date_s).ok(),
        expires: Some(match Timestamp::from_second(exp_s) {
            Ok(at) if exp_s != 0 => Expiry::At(at),
            _ => Expiry::Never,
        }),
        description,
        last_update: Timestamp::from_second(updated_s).ok(),
    }
}

pub fn card_operations(
    conn: &Connection,
    f: &OperationFilter,
) -> Result<(Vec<CardOperation>, u64), StoreError> {
    let filter = where_clause(f);
    let total: i64 = conn.query_row(
        &format!("SELECT count(*) FROM card_operations WHERE {filter}"),
        [],
        |r| r.get(0),
    )?;
    let sql = format!(
        "SELECT uuid, type, amount, value, used_value, is_payment, date_s, exp_s, description, updated_s
         FROM card_operations WHERE {filter} ORDER BY {} LIMIT ?1 OFFSET ?2",
        order_clause(f)
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(params![f.query.limit, f.query.offset], |r| {
        Ok(operation(
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get::<_, i64>(5)? != 0,
            r.get(6)?,
            r.get(7)?,
            r.get(8)?,
            r.get(9)?,
        ))
    })?;
    Ok((rows.collect::<Result<_, _>>()?, total.max(0) as u64))
}

/// The REGOS promotion name of the demo's one card programme.
const CARD_PROMO_NAME: &str = "Бонусная программа";

/// REGOS card groups: a card's type is its group, under a fixed id.
pub const CARD_GROUPS: &[(i64, &str)] = &[
    (1, "Стандарт"),
    (2, "Золотая"),
    (3, "Gold"),
    (4, "Виртуальная"),
];

/// Filters of one `RetailCard/Get`, already checked by the route. Every list that is not
/// empty narrows to its members, and all filters hold together, as in REGOS.
#[derive(Debug, Clone, Default)]
pub struct CardFilter {
    pub ids: Vec<i64>,
    pub customer_ids: Vec<i64>,
    pub promo_ids: Vec<i64>,
    pub group_ids: Vec<i64>,
    /// A card number, matched whole.
    pub barcode: Option<String>,
    /// A phone's digits, a card number or a part of the holder's name (see [`Search`]).
    pub search: Option<String>,
    pub offset: u32,
    pub limit: u32,
}

/// A card as `RetailCard/Get` serves it: the console's card, and what only the server's
/// answer carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCard {
    pub card: RetailCard,
    pub customer_id: i64,
    /// Its group's id and name, when its type is one of [`CARD_GROUPS`].
    pub group: Option<(i64, &'static str)>,
    /// When it was registered, in Unix seconds.
    pub created_s: i64,
}

/// One page of cards and how many match in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardPage {
    pub cards: Vec<StoredCard>,
    pub total: u64,
}

/// The columns of a card row, in the order [`stored_card`] reads them.
pub(crate) const CARD_SELECT: &str = "SELECT k.id, k.number, c.name, k.promo_id,
        (SELECT CAST(coalesce(sum(CASE o.type WHEN 1 THEN o.value ELSE -o.value END), 0)
                AS BIGINT)
         FROM card_operations o WHERE o.card_id = k.id),
        k.card_status, k.client_id, k.card_type, k.reg_ms
     FROM cards k JOIN clients c ON c.id = k.client_id";

/// The id-list and barcode filters as SQL conditions on `cards k`: numbers formatted from
/// integers and the group names of [`CARD_GROUPS`], nothing the caller wrote. The search
/// text is each store's own (see [`Search`]).
pub(crate) fn card_clauses(f: &CardFilter) -> Vec<String> {
    // Always true: a request with no filter still makes a WHERE clause.
    let mut clauses = vec!["1 = 1".to_string()];
    for (column, ids) in [
        ("k.id", &f.ids),
        ("k.client_id", &f.customer_ids),
        ("k.promo_id", &f.promo_ids),
    ] {
        if !ids.is_empty() {
            clauses.push(format!("{column} IN ({})", id_list(ids)));
        }
    }
    if !f.group_ids.is_empty() {
        let names: Vec<String> = CARD_GROUPS
            .iter()
            .filter(|(id, _)| f.group_ids.contains(id))
            .map(|(_, name)| text_literal(name))
            .collect();
        clauses.push(if names.is_empty() {
            "1 = 0".to_string()
        } else {
            format!("k.card_type IN ({})", names.join(","))
        });
    }
    if let Some(barcode) = &f.barcode {
        // A barcode that is no card number is no card's.
        clauses.push(match barcode.trim().parse::<i64>() {
            Ok(number) => format!("k.number = {number}"),
            Err(_) => "1 = 0".to_string(),
        });
    }
    clauses
}

/// How the search text is matched: a phone's last ten digits or a whole card number, or a
/// part of the holder's name.
pub(crate) enum Search {
    /// The text's digits, and its last ten reversed (as `clients.phone_rev` keeps phones).
    Digits { digits: String, tail: String },
    /// The text with LIKE's wildcards escaped.
    Name(String),
}

impl Search {
    pub(crate) fn of(text: &str) -> Search {
        let text = text.trim();
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        if !digits.is_empty() && !text.chars().any(char::is_alphabetic) {
            let tail = digits.chars().rev().take(10).collect();
            Search::Digits { digits, tail }
        } else {
            Search::Name(crate::server::store::like_literal(text))
        }
    }
}

/// Cards matching `f`, a page of them by id and how many match in all. The search text
/// finds cards whose holder's phone ends in its digits, whose number is those digits, or
/// (text with letters) whose holder's name contains it.
pub fn cards(conn: &Connection, f: &CardFilter) -> Result<CardPage, StoreError> {
    let mut clauses = card_clauses(f);
    let args: Vec<String> = match f.search.as_deref().map(Search::of) {
        None => Vec::new(),
        Some(Search::Digits { digits, tail }) => {
            // A phone by the reversed-phone index; a card number whole.
            clauses.push(
                "(k.number = ?1 OR k.client_id IN
                  (SELECT id FROM clients WHERE phone_rev >= ?2 AND phone_rev < ?3))"
                    .into(),
            );
            vec![digits, tail.clone(), format!("{tail}\u{10FFFF}")]
        }
        Some(Search::Name(escaped)) => {
            clauses.push("c.name LIKE ?1 ESCAPE '\\'".into());
            vec![format!("%{escaped}%")]
        }
    };
    let filter = clauses.join(" AND ");
    let params = rusqlite::params_from_iter(args.iter());
    let total: i64 = conn
        .prepare_cached(&format!(
            "SELECT count(*) FROM cards k JOIN clients c ON c.id = k.client_id WHERE {filter}"
        ))?
        .query_row(params, |r| r.get(0))?;
    let sql = format!(
        "{CARD_SELECT} WHERE {filter} ORDER BY k.id LIMIT {} OFFSET {}",
        f.limit, f.offset
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), |r| {
        Ok(stored_card(
            retail_card(
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                &r.get::<_, String>(5)?,
            ),
            r.get(6)?,
            &r.get::<_, String>(7)?,
            r.get(8)?,
        ))
    })?;
    Ok(CardPage {
        cards: rows.collect::<Result<_, _>>()?,
        total: total.max(0) as u64,
    })
}

/// A card from its stored columns, its bonus summed from its operations.
pub(crate) fn retail_card(
    id: i64,
    number: i64,
    holder: Option<String>,
    promo: i64,
    bonus_milli: i64,
    status: &str,
) -> RetailCard {
    RetailCard {
        id,
        barcode: Some(number.to_string()),
        holder,
        promo_id: Some(promo),
        promo_name: (promo == super::super::demo::CARD_PROMO_ID)
            .then(|| CARD_PROMO_NAME.to_string()),
        bonus: Some(from_milli(bonus_milli)),
        enabled: Some(status == "Активна"),
    }
}

/// A served card from the console's card and the columns only the server's answer carries.
pub(crate) fn stored_card(
    card: RetailCard,
    customer_id: i64,
    card_type: &str,
    registered_ms: i64,
) -> StoredCard {
    StoredCard {
        card,
        customer_id,
        group: CARD_GROUPS
            .iter()
            .find(|(_, name)| *name == card_type)
            .copied(),
        created_s: registered_ms.div_euclid(1000),
    }
}
