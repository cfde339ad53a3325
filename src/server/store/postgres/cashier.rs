//! What a till reads: find a client, its balances, coupons and history.

use super::super::StoreError;
use super::super::search::{
    ClientPage, Dialect, Pattern, WHOLE_NUMBER_TAIL, is_narrow, search_sql,
};
use super::{Postgres, big};
use crate::domain::{
    Amount, Balances, Client, ClientId, Coupon, CouponId, Currency, HistoryEntry, HistoryQuery,
};
use crate::server::store::rules;
use crate::server::store::rules::history::HistoryRead;
use crate::server::store::rules::operations::{self, Stored};
use deadpool_postgres::GenericClient;
use jiff::Timestamp;
use tokio_postgres::types::ToSql;

/// One pattern as PostgreSQL over the normalised column and its reverse. The columns'
/// `text_pattern_ops` indexes serve `=` and LIKE with a fixed prefix, whatever the
/// database's collation; so prefixes and suffixes are LIKE prefixes here.
fn pattern_clause(
    column: &str,
    reversed: &str,
    pattern: Pattern,
    args: &mut Vec<String>,
) -> String {
    let (col, like) = match pattern {
        Pattern::Present => return format!("{column} IS NOT NULL"),
        Pattern::Exact(key) => {
            args.push(key);
            return format!("{column} = ${}", args.len());
        }
        Pattern::Like(like) => (column, like),
        Pattern::Prefix(key) => (column, format!("{}%", super::super::like_literal(&key))),
        Pattern::Suffix(key) => (reversed, format!("{}%", super::super::like_literal(&key))),
    };
    args.push(like);
    format!("{col} LIKE ${} ESCAPE '\\'", args.len())
}

/// PostgreSQL's dialect: every argument is sent as text, so paging casts its own.
const POSTGRES: Dialect = Dialect {
    clause: pattern_clause,
    placeholder: |n| format!("${n}"),
    integer: |n| format!("CAST(${n}::text AS bigint)"),
    phone_digits: "regexp_replace(phone, '[^0-9]', '', 'g')",
};

/// The dialect of the lookups on the shared connections, which plan a statement once, before
/// its values are known (`lookups::GENERIC_PLANS`). A range's plan made so guesses half a
/// percent of the table: at 10,000,000 clients the till's suffix search, planned so, walked
/// the primary key in id order (457 searches a second against 23,866 at 1,000,000,
/// `scripts/bench.sh curve`). A phone's tail of ten digits or more is given as an equality
/// over its first ten (`clients_phone_tail`), which is planned from the distinct values: one
/// row, read from that index, at any size; a longer tail is then checked as the range it is.
const POSTGRES_LOOKUP: Dialect = Dialect {
    clause: lookup_clause,
    ..POSTGRES
};

fn lookup_clause(column: &str, reversed: &str, pattern: Pattern, args: &mut Vec<String>) -> String {
    let Pattern::Suffix(key) = &pattern else {
        return pattern_clause(column, reversed, pattern, args);
    };
    let tail: String = key.chars().take(WHOLE_NUMBER_TAIL).collect();
    if reversed != "phone_rev" || tail.chars().count() < WHOLE_NUMBER_TAIL {
        return pattern_clause(column, reversed, pattern, args);
    }
    let longer = key.chars().count() > WHOLE_NUMBER_TAIL;
    args.push(tail);
    let equality = format!("left(phone_rev, {WHOLE_NUMBER_TAIL}) = ${}", args.len());
    if !longer {
        return equality;
    }
    format!(
        "({equality} AND {})",
        pattern_clause(column, reversed, pattern, args)
    )
}

async fn find_clients(
    c: &impl GenericClient,
    sql: &str,
    args: &[String],
) -> Result<Vec<Client>, tokio_postgres::Error> {
    let params: Vec<&(dyn ToSql + Sync)> = args.iter().map(|a| a as &(dyn ToSql + Sync)).collect();
    let rows = c.query(&c.prepare_cached(sql).await?, &params).await?;
    Ok(rows
        .iter()
        .map(|r| Client {
            id: ClientId(r.get(0)),
            name: r.get(1),
            phone: r.get(2),
            email: r.get(3),
        })
        .collect())
}

async fn require_client(c: &impl GenericClient, id: ClientId) -> Result<(), StoreError> {
    let sql = "SELECT id FROM clients WHERE id = $1";
    match c.query_opt(&c.prepare_cached(sql).await?, &[&id.0]).await? {
        Some(_) => Ok(()),
        None => Err(StoreError::ClientNotFound(id.0)),
    }
}

async fn balances_of(c: &impl GenericClient, id: ClientId) -> Result<Balances, StoreError> {
    let mut result = Balances::default();
    let sql = "SELECT currency, amount FROM balances WHERE client_id = $1";
    for row in c.query(&c.prepare_cached(sql).await?, &[&id.0]).await? {
        let amount = Amount::from_minor(row.get(1));
        match Currency::from_code(row.get(0)) {
            Some(Currency::Points) => result.points = amount,
            Some(Currency::Rubles) => result.rubles = amount,
            None => {}
        }
    }
    Ok(result)
}

impl Postgres {
    pub async fn search_clients(
        &self,
        phone: Option<&str>,
        email: Option<&str>,
        page: ClientPage,
    ) -> Result<Vec<Client>, StoreError> {
        if !is_narrow(phone, email) {
            let (sql, args) = search_sql(phone, email, page, &POSTGRES);
            return Ok(find_clients(&self.client().await?, &sql, &args).await?);
        }
        let (sql, args) = search_sql(phone, email, page, &POSTGRES_LOOKUP);
        let (sql, args) = (&sql, &args);
        self.lookups
            .run(|c| async move { find_clients(&*c, sql, args).await })
            .await
    }

    pub async fn balances(&self, id: ClientId) -> Result<Balances, StoreError> {
        let c = self.client().await?;
        require_client(&c, id).await?;
        balances_of(&c, id).await
    }

    pub async fn coupons(&self, id: ClientId) -> Result<Vec<Coupon>, StoreError> {
        let c = self.client().await?;
        require_client(&c, id).await?;
        let rows = c
            .query(
                "SELECT id, title, expire_ms FROM coupons
                 WHERE client_id = $1 AND redeemed_ms IS NULL
                 ORDER BY expire_ms IS NULL, expire_ms, id",
                &[&id.0],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| Coupon {
                id: CouponId(r.get(0)),
                title: r.get(1),
                expires_at: r
                    .get::<_, Option<i64>>(2)
                    .and_then(|ms| Timestamp::from_millisecond(ms).ok()),
            })
            .collect())
    }

    /// A page of history, newest first (ties by the larger ledger id first), read by the
    /// `(client_id, at_ms, id)` index from where [`rules::history`] says: on from the
    /// caller's last row, or from the nearer end of the list.
    pub async fn history(
        &self,
        id: ClientId,
        query: &HistoryQuery,
    ) -> Result<Vec<HistoryEntry>, StoreError> {
        let c = self.client().await?;
        require_client(&c, id).await?;
        let held = match query.after {
            Some(cursor) => {
                let sql = "SELECT 1 FROM ledger WHERE id = $1 AND client_id = $2 AND at_ms = $3";
                let at = cursor.at.as_millisecond();
                c.query_opt(&c.prepare_cached(sql).await?, &[&cursor.id, &id.0, &at])
                    .await?
                    .is_some()
            }
            None => false,
        };
        let read = match rules::history::after_cursor(query, held) {
            Some(read) => read,
            None => {
                let total = if rules::history::needs_count(query) {
                    let (from, to) = rules::history::period(query);
                    let sql = "SELECT count(*) FROM ledger
                               WHERE client_id = $1 AND at_ms >= $2 AND at_ms <= $3";
                    let row = c
                        .query_one(&c.prepare_cached(sql).await?, &[&id.0, &from, &to])
                        .await?;
                    Some(row.get::<_, i64>(0).max(0) as u64)
                } else {
                    None
                };
                match rules::history::by_offset(query, total) {
                    Some(read) => read,
                    None => return Ok(Vec::new()),
                }
            }
        };
        history_rows(&c, id, &read).await
    }
}

async fn history_rows(
    c: &impl GenericClient,
    id: ClientId,
    read: &HistoryRead,
) -> Result<Vec<HistoryEntry>, StoreError> {
    // Either direction is a scan of the index in its order. A row of an operation says what
    // the operation keeps (who, why, the receipt).
    let order = if read.reversed { "ASC" } else { "DESC" };
    let rows = c
        .query(
            &format!(
                "SELECT l.id, l.currency, l.amount, l.at_ms, o.id, o.kind, o.receipt_number,
                        o.receipt_total, o.principal, o.login, o.manager, o.reason, o.note,
                        o.original_id, o.confirmed
                 FROM ledger l LEFT JOIN operations o ON o.id = l.operation_id
                 WHERE l.client_id = $1 AND l.at_ms >= $2 AND l.at_ms <= $3
                   AND (l.at_ms < $3 OR l.id < $4)
                 ORDER BY l.at_ms {order}, l.id {order} LIMIT $5 OFFSET $6"
            ),
            &[
                &id.0,
                &read.from_ms,
                &read.to_ms,
                &read.below_id,
                &big(read.limit),
                &big(read.offset),
            ],
        )
        .await?;
    let mut out: Vec<HistoryEntry> = rows
        .iter()
        .filter_map(|r| {
            let about = r.get::<_, Option<i64>>(4).map(|op| {
                operations::about(
                    op,
                    Stored {
                        client: id.0,
                        kind: r.get(5),
                        at_ms: r.get(3),
                        receipt_number: r.get(6),
                        receipt_total: r.get(7),
                        principal: r.get(8),
                        login: r.get(9),
                        manager: r.get(10),
                        reason: r.get(11),
                        note: r.get(12),
                        original: r.get(13),
                        confirmed: r.get(14),
                    },
                )
            });
            Some(HistoryEntry {
                currency: Currency::from_code(r.get(1))?,
                amount: Amount::from_minor(r.get(2)),
                at: Timestamp::from_millisecond(r.get(3)).unwrap_or(Timestamp::UNIX_EPOCH),
                transaction_id: r.get::<_, i64>(0).to_string(),
                about,
            })
        })
        .collect();
    if read.reversed {
        out.reverse();
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clause(p: &str) -> (String, Vec<String>) {
        let mut args = Vec::new();
        let sql = pattern_clause("c", "r", Pattern::of(p), &mut args);
        (sql, args)
    }

    #[test]
    fn patterns_become_indexable_prefixes() {
        assert_eq!(clause("79123456789").0, "c = $1");
        assert_eq!(
            clause("%5678"),
            ("r LIKE $1 ESCAPE '\\'".into(), vec!["8765%".into()])
        );
        assert_eq!(
            clause("7912%"),
            ("c LIKE $1 ESCAPE '\\'".into(), vec!["7912%".into()])
        );
        assert_eq!(clause("a_b%").1, vec!["a\\_b%".to_string()]);
        assert_eq!(clause("%").0, "c IS NOT NULL");
        assert_eq!(clause("%a_b%").1[0], "%a\\_b%");
    }

    #[test]
    fn a_phones_tail_is_looked_up_as_an_equality_over_its_first_ten_digits() {
        let lookup = |p: &str| {
            let mut args = Vec::new();
            let sql = lookup_clause("phone_norm", "phone_rev", Pattern::of(p), &mut args);
            (sql, args)
        };
        assert_eq!(
            lookup("%9123456789"),
            ("left(phone_rev, 10) = $1".into(), vec!["9876543219".into()])
        );
        assert_eq!(
            lookup("%89123456789"),
            (
                "(left(phone_rev, 10) = $1 AND phone_rev LIKE $2 ESCAPE '\\')".into(),
                vec!["9876543219".into(), "98765432198%".into()]
            )
        );
        // Shorter tails, whole values and e-mails are written as the pooled searches write them.
        assert_eq!(lookup("%5678").0, "phone_rev LIKE $1 ESCAPE '\\'");
        assert_eq!(lookup("79123456789").0, "phone_norm = $1");
        let mut args = Vec::new();
        let email = lookup_clause(
            "email_lc",
            "email_rev",
            Pattern::of("%1234567890"),
            &mut args,
        );
        assert_eq!(email, "email_rev LIKE $1 ESCAPE '\\'");
    }
}
