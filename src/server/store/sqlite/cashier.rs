//! What a till reads on SQLite: find a client (the patterns are `store::search`'s, written
//! here as index ranges), its balances, coupons and a page of history.

use super::Sqlite;
use crate::domain::{
    Amount, Balances, Client, ClientId, Coupon, CouponId, Currency, HistoryEntry, HistoryQuery,
};
use crate::server::store::StoreError;
use crate::server::store::rules;
use crate::server::store::rules::history::HistoryRead;
use crate::server::store::rules::operations::{self, Stored};
use crate::server::store::search::{ClientPage, Dialect, Pattern, is_narrow, search_sql};
use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};

impl Sqlite {
    /// One page of the clients a search finds. A narrow search (whole values, or a whole
    /// number's last ten digits as tills send them), a few rows one index bounds, is read
    /// here on the async worker (see [`Sqlite::read_indexed`]); another pattern may read
    /// many rows and goes to the blocking pool.
    pub async fn search_clients(
        &self,
        phone: Option<String>,
        email: Option<String>,
        page: ClientPage,
    ) -> Result<Vec<Client>, StoreError> {
        let narrow = is_narrow(phone.as_deref(), email.as_deref());
        let search = move |c: &mut Connection| {
            search_clients_page(c, phone.as_deref(), email.as_deref(), page)
        };
        if narrow {
            self.read_indexed(search)
        } else {
            self.run(search).await
        }
    }

    /// Read on the async worker: one index bounds it to two rows.
    pub async fn balances(&self, id: ClientId) -> Result<Balances, StoreError> {
        self.read_indexed(move |c| balances(c, id))
    }

    pub async fn coupons(&self, id: ClientId) -> Result<Vec<Coupon>, StoreError> {
        self.run(move |c| coupons(c, id)).await
    }

    pub async fn history(
        &self,
        id: ClientId,
        query: HistoryQuery,
    ) -> Result<Vec<HistoryEntry>, StoreError> {
        self.run(move |c| history(c, id, &query)).await
    }

    pub async fn client_count(&self) -> Result<i64, StoreError> {
        self.run(|c| client_count(c)).await
    }

    pub async fn holds_clients(&self) -> Result<bool, StoreError> {
        self.run(|c| holds_clients(c)).await
    }

    /// Answers once the database does.
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.run(|c| Ok(c.query_row("SELECT 1", [], |r| r.get::<_, i64>(0))?))
            .await?;
        Ok(())
    }
}

pub(super) fn require_client(conn: &Connection, id: ClientId) -> Result<(), StoreError> {
    let found: Option<i64> = conn
        .prepare_cached("SELECT id FROM clients WHERE id = ?1")?
        .query_row([id.0], |r| r.get(0))
        .optional()?;
    found.map(|_| ()).ok_or(StoreError::ClientNotFound(id.0))
}

pub fn balances(conn: &Connection, id: ClientId) -> Result<Balances, StoreError> {
    require_client(conn, id)?;
    let mut stmt =
        conn.prepare_cached("SELECT currency, amount FROM balances WHERE client_id = ?1")?;
    let mut result = Balances::default();
    let rows = stmt.query_map([id.0], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
    })?;
    for row in rows {
        let (currency, amount) = row?;
        match Currency::from_code(&currency) {
            Some(Currency::Points) => result.points = Amount::from_minor(amount),
            Some(Currency::Rubles) => result.rubles = Amount::from_minor(amount),
            None => {}
        }
    }
    Ok(result)
}

/// The client's coupons that are not yet redeemed, expired ones included so the till can
/// say why a coupon cannot be used.
pub fn coupons(conn: &Connection, id: ClientId) -> Result<Vec<Coupon>, StoreError> {
    require_client(conn, id)?;
    let mut stmt = conn.prepare_cached(
        "SELECT id, title, expire_ms FROM coupons
         WHERE client_id = ?1 AND redeemed_ms IS NULL ORDER BY expire_ms IS NULL, expire_ms, id",
    )?;
    let rows = stmt.query_map([id.0], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<i64>>(2)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (cid, title, expire) = row?;
        out.push(Coupon {
            id: CouponId(cid),
            title,
            expires_at: expire.and_then(|ms| Timestamp::from_millisecond(ms).ok()),
        });
    }
    Ok(out)
}

/// A page of history, newest first (ties by the larger ledger id first), read by the
/// `(client_id, at_ms, id)` index from where [`rules::history`] says: on from the caller's
/// last row, or from the nearer end of the list.
pub fn history(
    conn: &Connection,
    id: ClientId,
    query: &HistoryQuery,
) -> Result<Vec<HistoryEntry>, StoreError> {
    require_client(conn, id)?;
    let held = match query.after {
        Some(c) => conn
            .prepare_cached("SELECT 1 FROM ledger WHERE id = ?1 AND client_id = ?2 AND at_ms = ?3")?
            .exists(params![c.id, id.0, c.at.as_millisecond()])?,
        None => false,
    };
    let read = match rules::history::after_cursor(query, held) {
        Some(read) => read,
        None => {
            let total = if rules::history::needs_count(query) {
                let (from, to) = rules::history::period(query);
                Some(conn.prepare_cached(
                    "SELECT count(*) FROM ledger WHERE client_id = ?1 AND at_ms >= ?2 AND at_ms <= ?3",
                )?
                .query_row(params![id.0, from, to], |r| r.get::<_, i64>(0))?)
            } else {
                None
            };
            match rules::history::by_offset(query, total.map(|n| n.max(0) as u64)) {
                Some(read) => read,
                None => return Ok(Vec::new()),
            }
        }
    };
    history_rows(conn, id, &read)
}

fn history_rows(
    conn: &Connection,
    id: ClientId,
    read: &HistoryRead,
) -> Result<Vec<HistoryEntry>, StoreError> {
    // One statement per direction, so that either is a scan of the index in its order.
    // A row of an operation says what the operation keeps (who, why, the receipt).
    let order = if read.reversed { "ASC" } else { "DESC" };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT l.id, l.currency, l.amount, l.at_ms, o.id, o.kind, o.receipt_number,
                o.receipt_total, o.principal, o.login, o.manager, o.reason, o.note,
                o.original_id, o.confirmed
         FROM ledger l LEFT JOIN operations o ON o.id = l.operation_id
         WHERE l.client_id = ?1 AND l.at_ms >= ?2 AND l.at_ms <= ?3
           AND (l.at_ms < ?3 OR l.id < ?4)
         ORDER BY l.at_ms {order}, l.id {order} LIMIT ?5 OFFSET ?6"
    ))?;
    let args = params![
        id.0,
        read.from_ms,
        read.to_ms,
        read.below_id,
        read.limit,
        read.offset
    ];
    let rows = stmt.query_map(args, |r| {
        let operation: Option<i64> = r.get(4)?;
        let about = match operation {
            Some(op) => Some(operations::about(
                op,
                Stored {
                    client: id.0,
                    kind: r.get(5)?,
                    at_ms: r.get(3)?,
                    receipt_number: r.get(6)?,
                    receipt_total: r.get(7)?,
                    principal: r.get(8)?,
                    login: r.get(9)?,
                    manager: r.get(10)?,
                    reason: r.get(11)?,
                    note: r.get(12)?,
                    original: r.get(13)?,
                    confirmed: r.get(14)?,
                },
            )),
            None => None,
        };
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, i64>(3)?,
            about,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (lid, currency, amount, at, about) = row?;
        let Some(currency) = Currency::from_code(&currency) else {
            continue;
        };
        out.push(HistoryEntry {
            amount: Amount::from_minor(amount),
            currency,
            at: Timestamp::from_millisecond(at).unwrap_or(Timestamp::UNIX_EPOCH),
            transaction_id: lid.to_string(),
            about,
        });
    }
    if read.reversed {
        out.reverse();
    }
    Ok(out)
}

pub fn client_count(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn.query_row("SELECT count(*) FROM clients", [], |r| r.get(0))?)
}

/// Whether any client is stored: one index entry read, where a count reads them all.
pub fn holds_clients(conn: &Connection) -> Result<bool, StoreError> {
    Ok(conn.query_row("SELECT EXISTS (SELECT 1 FROM clients)", [], |r| r.get(0))?)
}

/// One pattern as SQLite over the normalised column and its reverse, so that exact, prefix
/// (`7912%`) and suffix (`%5678`) patterns are index range scans. Only a pattern with `%`
/// inside falls back to LIKE over the column.
fn pattern_clause(
    column: &str,
    reversed: &str,
    pattern: Pattern,
    args: &mut Vec<String>,
) -> String {
    let (col, key) = match pattern {
        Pattern::Present => return format!("{column} IS NOT NULL"),
        Pattern::Exact(key) => {
            args.push(key);
            return format!("{column} = ?{}", args.len());
        }
        Pattern::Like(like) => {
            args.push(like);
            return format!("{column} LIKE ?{} ESCAPE '\\'", args.len());
        }
        Pattern::Prefix(key) => (column, key),
        Pattern::Suffix(key) => (reversed, key),
    };
    args.push(key.clone());
    args.push(format!("{key}\u{10FFFF}"));
    format!("({col} >= ?{} AND {col} < ?{})", args.len() - 1, args.len())
}

/// SQLite's dialect. A phone's digits: its text without the separators
/// [`phone::normalize`] allows; text with anything else was normalised to its bare digits.
const SQLITE: Dialect = Dialect {
    clause: pattern_clause,
    placeholder: |n| format!("?{n}"),
    integer: |n| format!("CAST(?{n} AS INTEGER)"),
    phone_digits: "(CASE WHEN trim(phone, '0123456789 +-()./' || char(160)) = '' \
                   THEN replace(replace(replace(replace(replace(replace(replace(replace(phone, \
                   ' ', ''), '+', ''), '-', ''), '(', ''), ')', ''), '.', ''), '/', ''), char(160), '') \
                   ELSE phone_norm END)",
};

/// One page of the clients a search finds (all clients when it names no contact).
pub fn search_clients_page(
    conn: &Connection,
    phone_text: Option<&str>,
    email: Option<&str>,
    page: ClientPage,
) -> Result<Vec<Client>, StoreError> {
    let (sql, args) = search_sql(phone_text, email, page, &SQLITE);
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), |r| {
        Ok(Client {
            id: ClientId(r.get(0)?),
            name: r.get(1)?,
            phone: r.get(2)?,
            email: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The first page of a search.
pub fn search_clients(
    conn: &Connection,
    phone_text: Option<&str>,
    email: Option<&str>,
) -> Result<Vec<Client>, StoreError> {
    search_clients_page(conn, phone_text, email, ClientPage::default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::store::search::ContactKeys;

    fn clause(p: &str) -> (String, Vec<String>) {
        let mut args = Vec::new();
        let sql = pattern_clause("c", "r", Pattern::of(p), &mut args);
        (sql, args)
    }

    #[test]
    fn patterns_become_index_ranges_where_they_can() {
        assert_eq!(clause("79123456789").0, "c = ?1");
        let (sql, args) = clause("%5678");
        assert_eq!(sql, "(r >= ?1 AND r < ?2)");
        assert_eq!(args[0], "8765");
        let (sql, args) = clause("7912%");
        assert_eq!(sql, "(c >= ?1 AND c < ?2)");
        assert_eq!(args[0], "7912");
        assert_eq!(clause("%").0, "c IS NOT NULL");
        assert!(clause("79%89").0.contains("LIKE"));
        assert_eq!(clause("%a_b%").1[0], "%a\\_b%");
    }

    /// The client rows the SQLite search of `phone` finds among `stored`, by phone text.
    fn found(conn: &Connection, phone: &str) -> Vec<String> {
        search_clients_page(conn, Some(phone), None, ClientPage::default())
            .unwrap()
            .into_iter()
            .filter_map(|c| c.phone)
            .collect()
    }

    #[test]
    fn wildcards_match_the_stored_digits_on_sqlite() {
        let conn = Connection::open_in_memory().unwrap();
        super::super::migrate::migrate(&conn).unwrap();
        for (id, text) in [
            (1, "7912345678"),
            (2, "+7 912 345-67-89"),
            (3, "8 (912) 345 67 89"),
            (4, "0671234567"),
            (5, "00380671234567"),
            (6, "ext. 12-34"),
            (7, "8\u{a0}912\u{a0}111\u{a0}22\u{a0}33"),
        ] {
            let keys = ContactKeys::of(Some(text), None);
            conn.execute(
                "INSERT INTO clients (id, phone, phone_norm, phone_rev) VALUES (?1, ?2, ?3, ?4)",
                rusqlite::params![id, text, keys.phone_norm, keys.phone_rev],
            )
            .unwrap();
        }
        assert_eq!(found(&conn, "7912%"), ["7912345678", "+7 912 345-67-89"]);
        assert_eq!(
            found(&conn, "8912%"),
            ["8 (912) 345 67 89", "8\u{a0}912\u{a0}111\u{a0}22\u{a0}33"]
        );
        assert_eq!(
            found(&conn, "77912%"),
            Vec::<String>::new(),
            "no one typed the 7 twice"
        );
        assert_eq!(found(&conn, "067%"), ["0671234567"]);
        assert_eq!(found(&conn, "%4567"), ["0671234567", "00380671234567"]);
        assert_eq!(found(&conn, "0038%"), ["00380671234567"]);
        assert_eq!(found(&conn, "%1234"), ["ext. 12-34"]);
        assert_eq!(found(&conn, "79%78"), ["7912345678"]);
        assert_eq!(
            found(&conn, "%9123%"),
            ["7912345678", "+7 912 345-67-89", "8 (912) 345 67 89"]
        );
        // Without a wildcard a number is one number in any format, as before (the ten
        // digits `7912345678` are another number, +7 791…).
        assert_eq!(
            found(&conn, "+7 (912) 345-67-89"),
            ["+7 912 345-67-89", "8 (912) 345 67 89"]
        );
    }

    #[test]
    fn a_listing_pages_through_every_client_in_id_order() {
        let conn = Connection::open_in_memory().unwrap();
        super::super::migrate::migrate(&conn).unwrap();
        for id in 1..=5 {
            conn.execute("INSERT INTO clients (id, name) VALUES (?1, 'x')", [id])
                .unwrap();
        }
        let ids = |offset, limit| -> Vec<i64> {
            search_clients_page(&conn, None, None, ClientPage { offset, limit })
                .unwrap()
                .iter()
                .map(|c| c.id.0)
                .collect()
        };
        assert_eq!(ids(0, 2), [1, 2]);
        assert_eq!(ids(2, 2), [3, 4]);
        assert_eq!(ids(4, 2), [5]);
        assert_eq!(ids(5, 2), Vec::<i64>::new());
        assert_eq!(ids(0, 200), [1, 2, 3, 4, 5]);
    }

    fn plan(conn: &Connection, sql: &str, args: &[&str]) -> String {
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let rows = stmt
            .query_map(rusqlite::params_from_iter(args), |r| r.get::<_, String>(3))
            .unwrap();
        rows.map(Result::unwrap).collect::<Vec<_>>().join("; ")
    }

    #[test]
    fn lookups_use_indexes_not_scans() {
        let dir = tempfile::tempdir().unwrap();
        let store = Sqlite::open(&dir.path().join("t.db")).unwrap();
        store
            .with_conn(|conn| {
                for (phone, email) in [
                    (Some("79123456789"), None),
                    (Some("%6789"), None),
                    (Some("%89123456789"), None),
                    (Some("7912%"), None),
                    (Some("8912%"), None),
                    (Some("79%89"), None),
                    (None, Some("test@test.ru")),
                    (None, Some("test@%")),
                    (None, Some("%@test.ru")),
                ] {
                    let (sql, args) = search_sql(phone, email, ClientPage::default(), &SQLITE);
                    let args: Vec<&str> = args.iter().map(String::as_str).collect();
                    let p = plan(conn, &sql, &args);
                    assert!(
                        p.contains("USING INDEX") || p.contains("USING COVERING INDEX"),
                        "{phone:?} {email:?}: {p}"
                    );
                    assert!(!p.contains("SCAN clients"), "{phone:?} {email:?}: {p}");
                }
                let p = plan(
                    conn,
                    "SELECT id FROM ledger WHERE client_id = ?1 AND at_ms >= ?2 AND at_ms <= ?3 ORDER BY at_ms DESC, id DESC",
                    &["1", "0", "9"],
                );
                assert!(p.contains("ledger_client_time") && !p.contains("TEMP B-TREE"), "{p}");
                Ok(())
            })
            .unwrap();
    }
}
