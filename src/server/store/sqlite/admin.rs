//! The back office on SQLite: Poster's groups, promotions and accumulations, Mloyalty's
//! registrations and REGOS's cards and operations (their rules are `rules::back_office`).

use super::Sqlite;
use crate::domain::admin::{CardOperation, Group, GroupDraft, Registration};
use crate::server::store::rules::back_office::{
    AccumulationRow, CARD_SELECT, CardFilter, CardPage, GROUP_SELECT, OperationFilter,
    OperationPage, PromotionRow, Search, card_clauses, group_of, kind_code, operation,
    order_clause, retail_card, stored_card, total_sql, where_clause,
};
use crate::server::store::{Made, StoreError};
use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};

impl Sqlite {
    pub async fn groups(&self) -> Result<Vec<Group>, StoreError> {
        self.run(|c| groups(c)).await
    }

    pub async fn group(&self, id: i64) -> Result<Option<Group>, StoreError> {
        self.run(move |c| group(c, id)).await
    }

    pub async fn create_group(&self, draft: GroupDraft, made: Made) -> Result<i64, StoreError> {
        self.run_write(move |c| create_group(c, &draft, &made))
            .await
    }

    pub async fn update_group(
        &self,
        id: i64,
        draft: GroupDraft,
        made: Made,
    ) -> Result<bool, StoreError> {
        self.run_write(move |c| update_group(c, id, &draft, &made))
            .await
    }

    pub async fn remove_group(&self, id: i64, made: Made) -> Result<bool, StoreError> {
        self.run_write(move |c| remove_group(c, id, &made)).await
    }

    pub async fn promotions(&self) -> Result<Vec<PromotionRow>, StoreError> {
        self.run(|c| promotions(c)).await
    }

    pub async fn accumulations(
        &self,
        client: Option<i64>,
        offset: u32,
        limit: u32,
    ) -> Result<Vec<AccumulationRow>, StoreError> {
        self.run(move |c| accumulations(c, client, offset, limit))
            .await
    }

    pub async fn registrations(
        &self,
        from: Timestamp,
        to: Timestamp,
        pos: Option<i64>,
        limit: u32,
    ) -> Result<Vec<Registration>, StoreError> {
        self.run(move |c| registrations(c, from, to, pos, limit))
            .await
    }

    pub async fn card_operations(
        &self,
        filter: OperationFilter,
    ) -> Result<(Vec<CardOperation>, u64), StoreError> {
        self.run(move |c| card_operations(c, &filter)).await
    }

    pub async fn cards(&self, filter: CardFilter) -> Result<CardPage, StoreError> {
        self.run(move |c| cards(c, &filter)).await
    }
}

fn group_row(r: &rusqlite::Row) -> rusqlite::Result<Group> {
    Ok(group_of(
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        &r.get::<_, String>(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get::<_, i64>(6)? != 0,
        r.get::<_, i64>(7)? != 0,
    ))
}

fn promotions(conn: &Connection) -> Result<Vec<PromotionRow>, StoreError> {
    let mut stmt =
        conn.prepare_cached("SELECT id, name, date_start, date_end FROM promotions ORDER BY id")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn groups(conn: &Connection) -> Result<Vec<Group>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!("{GROUP_SELECT} ORDER BY g.id"))?;
    let rows = stmt.query_map([], group_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn group(conn: &Connection, id: i64) -> Result<Option<Group>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!("{GROUP_SELECT} WHERE g.id = ?1"))?;
    Ok(stmt.query_row([id], group_row).optional()?)
}

fn create_group(conn: &Connection, draft: &GroupDraft, made: &Made) -> Result<i64, StoreError> {
    conn.execute(
        "INSERT INTO client_groups (name, loyalty_type, percent, birthday_bonus, use_ewallet,
                                    changed_by, changed_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            draft.name.trim(),
            kind_code(draft.kind),
            draft.percent.normalize().to_string(),
            draft.birthday_bonus.minor(),
            draft.use_ewallet.unwrap_or(false),
            made.principal,
            made.at.as_millisecond()
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Returns whether the group existed.
fn update_group(
    conn: &Connection,
    id: i64,
    draft: &GroupDraft,
    made: &Made,
) -> Result<bool, StoreError> {
    let changed = conn.execute(
        "UPDATE client_groups SET name = ?2, loyalty_type = ?3, percent = ?4, birthday_bonus = ?5,
                use_ewallet = coalesce(?6, use_ewallet), changed_by = ?7, changed_ms = ?8
         WHERE id = ?1 AND deleted = 0",
        params![
            id,
            draft.name.trim(),
            kind_code(draft.kind),
            draft.percent.normalize().to_string(),
            draft.birthday_bonus.minor(),
            draft.use_ewallet,
            made.principal,
            made.at.as_millisecond()
        ],
    )?;
    Ok(changed == 1)
}

/// Removes a group; its clients leave it (as Poster removes the group with its members).
/// Returns whether the group existed.
fn remove_group(conn: &mut Connection, id: i64, made: &Made) -> Result<bool, StoreError> {
    let tx = conn.savepoint()?;
    tx.execute(
        "UPDATE clients SET group_id = NULL WHERE group_id = ?1",
        [id],
    )?;
    let removed = tx.execute(
        "UPDATE client_groups SET deleted = 1, changed_by = ?2, changed_ms = ?3
         WHERE id = ?1 AND deleted = 0",
        params![id, made.principal, made.at.as_millisecond()],
    )?;
    tx.commit()?;
    Ok(removed == 1)
}

fn accumulations(
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

/// Cards registered between two instants (inclusive), optionally at one point of sale; at
/// most `limit` of them (the caller asks for one more than it answers, to know there are
/// more).
fn registrations(
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

fn card_operations(
    conn: &Connection,
    f: &OperationFilter,
) -> Result<(Vec<CardOperation>, u64), StoreError> {
    let total: i64 = conn.query_row(&total_sql(f), [], |r| r.get(0))?;
    let total = total.max(0) as u64;
    let (offset, limit, reversed) = match OperationPage::of(f.query.offset, f.query.limit, total) {
        OperationPage::Past => return Ok((Vec::new(), total)),
        OperationPage::Forward { offset, limit } => (offset, limit, false),
        OperationPage::FromTheEnd { offset, limit } => (offset, limit, true),
    };
    let mut stmt = conn.prepare(&page_sql(f, reversed))?;
    let rows = stmt.query_map(params![limit, offset], |r| {
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
    let mut operations: Vec<CardOperation> = rows.collect::<Result<_, _>>()?;
    if reversed {
        operations.reverse();
    }
    Ok((operations, total))
}

/// A page of the operations `f` selects, `?1` rows from `?2` on. Ties by rowid: every index
/// ends with it, so `card_operations_card` gives the date order (the console's default)
/// without a sort, either way, and `card_operations_type` the same for one type.
fn page_sql(f: &OperationFilter, reversed: bool) -> String {
    format!(
        "SELECT uuid, type, amount, value, used_value, is_payment, date_s, exp_s, description, updated_s
         FROM card_operations WHERE {} ORDER BY {} LIMIT ?1 OFFSET ?2",
        where_clause(f),
        order_clause(f, "rowid", reversed)
    )
}

/// Cards matching `f`, a page of them by id and how many match in all. The search text
/// finds cards whose holder's phone ends in its digits, whose number is those digits, or
/// (text with letters) whose holder's name contains it.
fn cards(conn: &Connection, f: &CardFilter) -> Result<CardPage, StoreError> {
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

#[cfg(test)]
mod tests {
    use super::super::testing::seeded;
    use super::*;
    use crate::domain::admin::{CardOperationQuery, OperationKind, SortColumn, SortDirection};

    /// The date order's pages, of every type or of one, either way, are read from an index
    /// in its own order: no sort of the card's rows (a million operations' middle page of
    /// incomes: 80-90 ms stepping in `card_operations_card`, 30-40 ms in its own index).
    #[test]
    fn pages_in_the_date_order_are_read_from_an_index_without_a_sort() {
        let (_dir, store) = seeded();
        let filter = |kinds: Vec<OperationKind>, direction| OperationFilter {
            card_ids: vec![1],
            promo_ids: vec![1],
            kinds,
            uuids: vec![],
            query: CardOperationQuery {
                card_id: 1,
                promo_id: 1,
                kind: None,
                from: None,
                to: None,
                sort: SortColumn::Date,
                direction,
                offset: 0,
                limit: 50,
            },
        };
        store
            .with_conn(|c| {
                for direction in [SortDirection::Asc, SortDirection::Desc] {
                    for reversed in [false, true] {
                        for (kinds, index) in [
                            (vec![], "card_operations_card"),
                            (vec![OperationKind::Income], "card_operations_type"),
                        ] {
                            let sql = page_sql(&filter(kinds, direction), reversed);
                            let plan: Vec<String> = c
                                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?
                                .query_map(params![50, 0], |r| r.get(3))?
                                .collect::<Result<_, _>>()?;
                            let plan = plan.join("\n");
                            assert!(plan.contains(index), "{sql}: {plan}");
                            assert!(!plan.contains("B-TREE"), "{sql}: {plan}");
                        }
                    }
                }
                Ok(())
            })
            .unwrap();
    }
}
