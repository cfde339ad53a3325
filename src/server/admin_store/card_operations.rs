//! REGOS's card operations: a card's bonus movements, filtered, sorted and paged; and the
//! card search behind F6's picker.

use super::*;

/// Amounts are stored in thousandths: REGOS sends three decimals.
pub(crate) fn from_milli(m: i64) -> Decimal {
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
/// The filter as SQL: only numbers go into it, each formatted from an integer.
pub(crate) fn where_clause(f: &OperationFilter) -> String {
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
        let escaped = crate::server::store::like_literal(text);
        (
            format!("{select} WHERE c.name LIKE ?1 ESCAPE '\\' ORDER BY k.id LIMIT {limit}"),
            vec![format!("%{escaped}%")],
        )
    };
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), |r| {
        Ok(retail_card(
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            &r.get::<_, String>(5)?,
        ))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
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
