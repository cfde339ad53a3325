//! The back office on PostgreSQL: Poster's groups, promotions and accumulations,
//! Mloyalty's registrations and REGOS's cards and operations.

use super::super::{Made, StoreError, like_literal};
use super::{Postgres, big, pg};
use crate::domain::admin::{CardOperation, Group, GroupDraft, Registration};
use crate::server::store::rules::back_office::{
    AccumulationRow, CARD_SELECT, CardFilter, CardPage, GROUP_SELECT, OperationFilter,
    OperationPage, PromotionRow, Search, card_clauses, group_of, kind_code, operation,
    order_clause, retail_card, stored_card, total_sql, where_clause,
};
use jiff::Timestamp;
use tokio_postgres::Row;
use tokio_postgres::types::ToSql;

fn group_row(r: &Row) -> Group {
    group_of(
        r.get(0),
        r.get(1),
        r.get(2),
        r.get(3),
        r.get(4),
        r.get(5),
        r.get(6),
        r.get(7),
    )
}

impl Postgres {
    pub async fn groups(&self) -> Result<Vec<Group>, StoreError> {
        let rows = self
            .client()
            .await?
            .query(&format!("{GROUP_SELECT} ORDER BY g.id"), &[])
            .await?;
        Ok(rows.iter().map(group_row).collect())
    }

    pub async fn group(&self, id: i64) -> Result<Option<Group>, StoreError> {
        let row = self
            .client()
            .await?
            .query_opt(&format!("{GROUP_SELECT} WHERE g.id = $1"), &[&id])
            .await?;
        Ok(row.as_ref().map(group_row))
    }

    pub async fn create_group(&self, draft: &GroupDraft, made: &Made) -> Result<i64, StoreError> {
        let row = self
            .client()
            .await?
            .query_one(
                "INSERT INTO client_groups (name, loyalty_type, percent, birthday_bonus, use_ewallet,
                                            changed_by, changed_ms)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                &[
                    &draft.name.trim(),
                    &kind_code(draft.kind),
                    &draft.percent.normalize().to_string(),
                    &draft.birthday_bonus.minor(),
                    &draft.use_ewallet.unwrap_or(false),
                    &made.principal,
                    &made.at.as_millisecond(),
                ],
            )
            .await?;
        Ok(row.get(0))
    }

    pub async fn update_group(
        &self,
        id: i64,
        draft: &GroupDraft,
        made: &Made,
    ) -> Result<bool, StoreError> {
        let changed = self
            .client()
            .await?
            .execute(
                "UPDATE client_groups SET name = $2, loyalty_type = $3, percent = $4,
                        birthday_bonus = $5, use_ewallet = coalesce($6, use_ewallet),
                        changed_by = $7, changed_ms = $8
                 WHERE id = $1 AND NOT deleted",
                &[
                    &id,
                    &draft.name.trim(),
                    &kind_code(draft.kind),
                    &draft.percent.normalize().to_string(),
                    &draft.birthday_bonus.minor(),
                    &draft.use_ewallet,
                    &made.principal,
                    &made.at.as_millisecond(),
                ],
            )
            .await?;
        Ok(changed == 1)
    }

    pub async fn remove_group(&self, id: i64, made: &Made) -> Result<bool, StoreError> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        tx.execute(
            "UPDATE clients SET group_id = NULL WHERE group_id = $1",
            &[&id],
        )
        .await?;
        let removed = tx
            .execute(
                "UPDATE client_groups SET deleted = TRUE, changed_by = $2, changed_ms = $3
                 WHERE id = $1 AND NOT deleted",
                &[&id, &made.principal, &made.at.as_millisecond()],
            )
            .await?;
        tx.commit().await?;
        Ok(removed == 1)
    }

    pub async fn promotions(&self) -> Result<Vec<PromotionRow>, StoreError> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT id, name, date_start, date_end FROM promotions ORDER BY id",
                &[],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
            .collect())
    }

    pub async fn accumulations(
        &self,
        client: Option<i64>,
        offset: u32,
        limit: u32,
    ) -> Result<Vec<AccumulationRow>, StoreError> {
        // As Poster: `num` and `offset` count clients, and a page holds every row of its
        // clients.
        let rows = self
            .client()
            .await?
            .query(
                "WITH page AS (SELECT DISTINCT client_id FROM accumulations
                               WHERE ($1::bigint IS NULL OR client_id = $1)
                               ORDER BY client_id LIMIT $2 OFFSET $3)
                 SELECT id, tr_product_id, promotion_id, client_id, product_id, modification_id,
                        status, num, product_sum, prize_product_id, date_add, date_close,
                        weight_flag
                 FROM accumulations WHERE client_id IN (SELECT client_id FROM page)
                 ORDER BY client_id, id",
                &[&client, &big(limit), &big(offset)],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| AccumulationRow {
                id: r.get(0),
                tr_product_id: r.get(1),
                promotion_id: r.get(2),
                client_id: r.get(3),
                product_id: r.get(4),
                modification_id: r.get(5),
                status: r.get(6),
                num: r.get(7),
                product_sum: r.get(8),
                prize_product_id: r.get(9),
                date_add: r.get(10),
                date_close: r.get(11),
                weight_flag: i64::from(r.get::<_, bool>(12)),
            })
            .collect())
    }

    pub async fn registrations(
        &self,
        from: Timestamp,
        to: Timestamp,
        pos: Option<i64>,
        limit: u32,
    ) -> Result<Vec<Registration>, StoreError> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT c.client_id, c.number, c.out_number, c.is_virtual, c.card_type,
                        c.card_status, c.reg_pos, p.name, c.reg_ms
                 FROM cards c JOIN points_of_sale p ON p.id = c.reg_pos
                 WHERE c.reg_ms BETWEEN $1 AND $2 AND ($3::bigint IS NULL OR c.reg_pos = $3)
                 ORDER BY c.reg_ms, c.id LIMIT $4",
                &[
                    &from.as_millisecond(),
                    &to.as_millisecond(),
                    &pos,
                    &big(limit),
                ],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| Registration {
                client: r.get(0),
                card: r.get(1),
                out_number: r.get(2),
                is_virtual: r.get(3),
                card_type: r.get(4),
                card_status: r.get(5),
                pos: r.get(6),
                pos_name: r.get(7),
                registered: Timestamp::from_millisecond(r.get(8)).unwrap_or(Timestamp::UNIX_EPOCH),
            })
            .collect())
    }

    pub async fn card_operations(
        &self,
        f: &OperationFilter,
    ) -> Result<(Vec<CardOperation>, u64), StoreError> {
        let c = self.client().await?;
        let filter = where_clause(f);
        let total: i64 = c.query_one(&total_sql(f), &[]).await?.get(0);
        let total = total.max(0) as u64;
        let (offset, limit, reversed) =
            match OperationPage::of(f.query.offset, f.query.limit, total) {
                OperationPage::Past => return Ok((Vec::new(), total)),
                OperationPage::Forward { offset, limit } => (offset, limit, false),
                OperationPage::FromTheEnd { offset, limit } => (offset, limit, true),
            };
        // The page's uuids first, then their rows: an OFFSET steps over every row before the
        // page, and stepping in `card_operations_card` alone (date order, ties by uuid, the
        // type beside them) reads no table row it steps over, once the table's pages are
        // marked all-visible by a vacuum. The middle page of a million operations took
        // 121-160 ms read whole, 40-77 ms so. (The outer `uuid` is the join's, the other
        // columns `o`'s.)
        let order = order_clause(f, "uuid", reversed);
        let sql = format!(
            "SELECT uuid, type, amount, value, used_value, is_payment, date_s, exp_s, description,
                    updated_s
             FROM (SELECT uuid FROM card_operations WHERE {filter}
                   ORDER BY {order} LIMIT $1 OFFSET $2) AS page
             JOIN card_operations o USING (uuid)
             ORDER BY {order}"
        );
        let rows = pg(&c).query(&sql, &[&big(limit), &big(offset)]).await?;
        let mut operations: Vec<CardOperation> = rows
            .iter()
            .map(|r| {
                operation(
                    r.get(0),
                    r.get(1),
                    r.get(2),
                    r.get(3),
                    r.get(4),
                    r.get(5),
                    r.get(6),
                    r.get(7),
                    r.get(8),
                    r.get(9),
                )
            })
            .collect();
        if reversed {
            operations.reverse();
        }
        Ok((operations, total))
    }

    /// Cards matching `f` (see `rules::back_office::CardFilter`): a page by id and how many match.
    pub async fn cards(&self, f: &CardFilter) -> Result<CardPage, StoreError> {
        let mut clauses = card_clauses(f);
        let mut args: Vec<Box<dyn ToSql + Sync + Send>> = Vec::new();
        match f.search.as_deref().map(Search::of) {
            None => {}
            Some(Search::Digits { digits, tail }) => {
                // A number too long for a card is no card's: only the phone can match.
                let number: Option<i64> = digits.parse().ok();
                clauses.push(
                    "(k.number = $1 OR k.client_id IN
                      (SELECT id FROM clients WHERE phone_rev LIKE $2))"
                        .into(),
                );
                args.push(Box::new(number));
                args.push(Box::new(format!("{}%", like_literal(&tail))));
            }
            Some(Search::Name(escaped)) => {
                clauses.push("c.name ILIKE $1 ESCAPE '\\'".into());
                args.push(Box::new(format!("%{escaped}%")));
            }
        }
        let filter = clauses.join(" AND ");
        let params: Vec<&(dyn ToSql + Sync)> = args
            .iter()
            .map(|a| a.as_ref() as &(dyn ToSql + Sync))
            .collect();
        let c = self.client().await?;
        let total: i64 = c
            .query_one(
                &format!(
                    "SELECT count(*) FROM cards k JOIN clients c ON c.id = k.client_id
                     WHERE {filter}"
                ),
                &params,
            )
            .await?
            .get(0);
        let rows = c
            .query(
                &format!(
                    "{} WHERE {filter} ORDER BY k.id LIMIT {} OFFSET {}",
                    CARD_SELECT, f.limit, f.offset
                ),
                &params,
            )
            .await?;
        Ok(CardPage {
            cards: rows
                .iter()
                .map(|r| {
                    stored_card(
                        retail_card(r.get(0), r.get(1), r.get(2), r.get(3), r.get(4), r.get(5)),
                        r.get(6),
                        r.get(7),
                        r.get(8),
                    )
                })
                .collect(),
            total: total.max(0) as u64,
        })
    }
}
