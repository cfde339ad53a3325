//! What the back office's rooms mean on either store: Poster's groups and accumulations,
//! REGOS's operation and card filters, their order, and the domain values made from stored
//! columns. Each dialect writes only its statements around these.

use crate::domain::Amount;
use crate::domain::admin::{
    CardOperation, CardOperationQuery, Expiry, Group, GroupKind, OperationKind, RetailCard,
    SortColumn, SortDirection,
};
use jiff::Timestamp;
use rust_decimal::Decimal;
use std::str::FromStr;

pub(crate) fn kind_code(kind: GroupKind) -> i64 {
    match kind {
        GroupKind::Bonus => 1,
        GroupKind::Discount => 2,
    }
}

/// A group from its stored columns and its count of clients.
#[allow(clippy::too_many_arguments)]
pub(crate) fn group_of(
    id: i64,
    name: String,
    kind: i64,
    percent: &str,
    birthday_bonus: i64,
    clients: i64,
    use_ewallet: bool,
    removed: bool,
) -> Group {
    Group {
        id,
        name,
        kind: if kind == 1 {
            GroupKind::Bonus
        } else {
            GroupKind::Discount
        },
        percent: Decimal::from_str(percent).unwrap_or_default(),
        birthday_bonus: Amount::from_minor(birthday_bonus),
        clients: clients.max(0) as u64,
        use_ewallet: Some(use_ewallet),
        removed,
    }
}

pub(crate) const GROUP_SELECT: &str =
    "SELECT g.id, g.name, g.loyalty_type, g.percent, g.birthday_bonus,
        (SELECT count(*) FROM clients c WHERE c.group_id = g.id), g.use_ewallet, g.deleted
        FROM client_groups g";

/// A promotion row: `(id, name, date_start, date_end)`, dates as Poster writes them.
pub type PromotionRow = (i64, String, Option<String>, Option<String>);

/// A stored accumulation row, in the vendor's own terms (the server answers with these).
#[derive(Debug, Clone, PartialEq, Eq)]
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

/// The statement that counts the operations `f` selects (REGOS's `total`). By cards,
/// promotions and types it is a sum of the counts the table's triggers keep (schema
/// `*_card_operation_counts.sql`): a count of a card's million operations read every one of
/// them, 138-146 ms a page. A filter by uuids or dates counts the operations themselves,
/// over the index's range of those dates or over the uuids named.
pub(crate) fn total_sql(f: &OperationFilter) -> String {
    let filter = where_clause(f);
    if f.uuids.is_empty() && f.query.from.is_none() && f.query.to.is_none() {
        format!(
            "SELECT CAST(coalesce(sum(n), 0) AS BIGINT) FROM card_operation_counts WHERE {filter}"
        )
    } else {
        format!("SELECT count(*) FROM card_operations WHERE {filter}")
    }
}

/// The page's order, ties broken by `tie` (a column unique per row) in the same direction so
/// pages never overlap and an index on the sort column, scanned either way, gives the order
/// without a sort. `reversed` reads the same order from its end ([`OperationPage`]).
pub(crate) fn order_clause(f: &OperationFilter, tie: &str, reversed: bool) -> String {
    let descending = (f.query.direction == SortDirection::Desc) != reversed;
    let direction = if descending { "DESC" } else { "ASC" };
    format!("{} {direction}, {tie} {direction}", sort_sql(f.query.sort))
}

/// Where a page of `limit` rows at `offset` of `total` is read from. An SQL `OFFSET` steps
/// over every row before the page, so the last page of a card with a million operations
/// would read a million index entries: a page past the middle is read from the other end
/// instead, in the opposite order, and its rows turned back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OperationPage {
    /// Nothing at or after `offset`: no statement to run.
    Past,
    Forward {
        offset: u32,
        limit: u32,
    },
    /// In the reversed order: the rows come last first.
    FromTheEnd {
        offset: u32,
        limit: u32,
    },
}

impl OperationPage {
    pub(crate) fn of(offset: u32, limit: u32, total: u64) -> OperationPage {
        let (start, total) = (u64::from(offset), total);
        if start >= total || limit == 0 {
            return OperationPage::Past;
        }
        let end = (start + u64::from(limit)).min(total);
        // Rows before the page against rows after it: read from the nearer end.
        if start <= total - end {
            return OperationPage::Forward { offset, limit };
        }
        OperationPage::FromTheEnd {
            offset: u32::try_from(total - end).unwrap_or(u32::MAX),
            limit: u32::try_from(end - start).unwrap_or(u32::MAX),
        }
    }
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
        promo_name: (promo == crate::server::demo::CARD_PROMO_ID)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every page of every small total, read either way, is the rows the forward order puts
    /// there: the reversed read's rows, turned back, are exactly the page.
    #[test]
    fn a_page_read_from_the_end_is_the_same_page() {
        for total in 0..12u64 {
            let rows: Vec<u64> = (0..total).collect();
            for offset in 0..14u32 {
                for limit in 0..5u32 {
                    let forward: Vec<u64> = rows
                        .iter()
                        .copied()
                        .skip(offset as usize)
                        .take(limit as usize)
                        .collect();
                    let read = match OperationPage::of(offset, limit, total) {
                        OperationPage::Past => Vec::new(),
                        OperationPage::Forward {
                            offset: o,
                            limit: l,
                        } => {
                            assert_eq!((o, l), (offset, limit));
                            forward.clone()
                        }
                        OperationPage::FromTheEnd {
                            offset: o,
                            limit: l,
                        } => {
                            let mut page: Vec<u64> = rows
                                .iter()
                                .rev()
                                .copied()
                                .skip(o as usize)
                                .take(l as usize)
                                .collect();
                            page.reverse();
                            page
                        }
                    };
                    assert_eq!(
                        read, forward,
                        "total {total}, offset {offset}, limit {limit}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_last_page_of_a_million_is_read_from_the_end() {
        assert_eq!(
            OperationPage::of(999_950, 50, 1_000_000),
            OperationPage::FromTheEnd {
                offset: 0,
                limit: 50
            }
        );
        assert_eq!(
            OperationPage::of(0, 50, 1_000_000),
            OperationPage::Forward {
                offset: 0,
                limit: 50
            }
        );
        assert_eq!(
            OperationPage::of(600_000, 50, 1_000_000),
            OperationPage::FromTheEnd {
                offset: 399_950,
                limit: 50
            }
        );
        assert_eq!(
            OperationPage::of(1_000_000, 50, 1_000_000),
            OperationPage::Past
        );
    }
}
