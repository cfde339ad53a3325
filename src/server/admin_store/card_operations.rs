//! REGOS's card operations: a card's bonus movements, filtered, sorted and paged; and the
//! card search behind F6's picker.

use super::*;

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
            promo_name: (promo == super::super::demo::CARD_PROMO_ID)
                .then(|| CARD_PROMO_NAME.to_string()),
            bonus: Some(from_milli(r.get(4)?)),
            enabled: Some(r.get::<_, String>(5)? == "Активна"),
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
