//! Finding clients by phone or email: exact, prefix and suffix patterns as index range
//! scans over normalised and reversed columns.

use super::StoreError;
use crate::domain::{Client, ClientId, phone};
use rusqlite::Connection;

/// Most clients one search returns: the API has no paging for search, and a bare `%`
/// must not stream a whole customer base to a till.
pub const SEARCH_LIMIT: usize = crate::domain::search::SEARCH_CAP;

/// Normalised forms stored next to a client's contacts so searches can use indexes.
pub struct ContactKeys {
    pub phone_norm: Option<String>,
    pub phone_rev: Option<String>,
    pub email_lc: Option<String>,
    pub email_rev: Option<String>,
}

impl ContactKeys {
    pub fn of(phone_text: Option<&str>, email: Option<&str>) -> Self {
        let phone_norm = phone_text.map(|p| {
            phone::normalize(p).unwrap_or_else(|| p.chars().filter(char::is_ascii_digit).collect())
        });
        let email_lc = email.map(|e| e.trim().to_lowercase());
        ContactKeys {
            phone_rev: phone_norm.as_deref().map(reverse),
            phone_norm,
            email_rev: email_lc.as_deref().map(reverse),
            email_lc,
        }
    }
}

fn reverse(s: &str) -> String {
    s.chars().rev().collect()
}

/// What a `phone` or `email` pattern asks for, whatever the SQL dialect.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Pattern {
    /// `%` alone: any client that has the contact at all.
    Present,
    Exact(String),
    /// `7912%`: the contact starts with this.
    Prefix(String),
    /// `%5678`: the contact ends with this (its reverse starts with the reverse).
    Suffix(String),
    /// `%` inside, or at both ends: a LIKE over the column, `_` taken literally.
    Like(String),
}

impl Pattern {
    pub(crate) fn of(pattern: &str) -> Pattern {
        let inner = pattern.trim_matches('%');
        let leading = pattern.starts_with('%');
        let trailing = pattern.ends_with('%') && !pattern.is_empty();
        if inner.is_empty() && (leading || trailing) {
            return Pattern::Present;
        }
        if inner.contains('%') || (leading && trailing) {
            return Pattern::Like(pattern.replace('\\', "\\\\").replace('_', "\\_"));
        }
        match (leading, trailing) {
            (false, false) => Pattern::Exact(inner.to_string()),
            (false, true) => Pattern::Prefix(inner.to_string()),
            _ => Pattern::Suffix(reverse(inner)),
        }
    }
}

/// Escapes a literal for LIKE with a backslash as the escape character.
pub(crate) fn like_literal(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// One pattern as SQLite over the normalised column and its reverse, so that exact, prefix
/// (`7912%`) and suffix (`%5678`) patterns are index range scans. Only a pattern with `%`
/// inside falls back to LIKE over the column.
fn pattern_clause(column: &str, reversed: &str, pattern: &str, args: &mut Vec<String>) -> String {
    let (col, key) = match Pattern::of(pattern) {
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

/// Normalises a `phone` search parameter: without `%` it is a whole number in any format;
/// with `%` only its digits and wildcards count.
pub fn phone_pattern(text: &str) -> String {
    if text.contains('%') {
        text.chars()
            .filter(|c| c.is_ascii_digit() || *c == '%')
            .collect()
    } else {
        phone::normalize(text)
            .unwrap_or_else(|| text.chars().filter(char::is_ascii_digit).collect())
    }
}

/// Renders one pattern over a column and its reverse in a dialect, pushing its arguments.
pub(crate) type Render = fn(&str, &str, &str, &mut Vec<String>) -> String;

/// Whether a search is an index lookup of whole values (no `%`): a few rows at most.
pub fn is_exact(phone_text: Option<&str>, email: Option<&str>) -> bool {
    [phone_text, email]
        .into_iter()
        .flatten()
        .all(|p| matches!(Pattern::of(p), Pattern::Exact(_)))
}

/// A client search as SQL in the dialect `render` speaks, and its arguments.
pub(crate) fn search_sql(
    phone_text: Option<&str>,
    email: Option<&str>,
    render: Render,
) -> (String, Vec<String>) {
    let mut clauses = Vec::new();
    let mut args = Vec::new();
    if let Some(p) = phone_text {
        clauses.push(render(
            "phone_norm",
            "phone_rev",
            &phone_pattern(p),
            &mut args,
        ));
    }
    if let Some(e) = email {
        let e = e.trim().to_lowercase();
        clauses.push(render("email_lc", "email_rev", &e, &mut args));
    }
    let sql = format!(
        "SELECT id, name, phone, email FROM clients WHERE {} ORDER BY id LIMIT {SEARCH_LIMIT}",
        clauses.join(" AND ")
    );
    (sql, args)
}

pub fn search_clients(
    conn: &Connection,
    phone_text: Option<&str>,
    email: Option<&str>,
) -> Result<Vec<Client>, StoreError> {
    let (sql, args) = search_sql(phone_text, email, pattern_clause);
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

#[cfg(test)]
mod tests {

    use super::*;

    fn clause(p: &str) -> (String, Vec<String>) {
        let mut args = Vec::new();
        let sql = pattern_clause("c", "r", p, &mut args);
        (sql, args)
    }

    #[test]
    fn only_searches_without_wildcards_count_as_exact() {
        assert!(is_exact(Some("+7 912 345-67-89"), None));
        assert!(is_exact(Some("7912345678"), Some("a@b.ru")));
        assert!(!is_exact(Some("7912%"), None));
        assert!(!is_exact(Some("7912345678"), Some("%@b.ru")));
        assert!(!is_exact(None, Some("%")));
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
        let store = super::super::Sqlite::open(&dir.path().join("t.db")).unwrap();
        store
            .with_conn(|conn| {
                for (phone, email) in [
                    (Some("79123456789"), None),
                    (Some("%6789"), None),
                    (Some("7912%"), None),
                    (None, Some("test@test.ru")),
                    (None, Some("test@%")),
                    (None, Some("%@test.ru")),
                ] {
                    let mut args = Vec::new();
                    let clause = match (phone, email) {
                        (Some(p), _) => pattern_clause("phone_norm", "phone_rev", &phone_pattern(p), &mut args),
                        (_, Some(e)) => pattern_clause("email_lc", "email_rev", e, &mut args),
                        _ => unreachable!(),
                    };
                    let args: Vec<&str> = args.iter().map(String::as_str).collect();
                    let p = plan(conn, &format!("SELECT id FROM clients WHERE {clause}"), &args);
                    assert!(p.contains("USING INDEX") || p.contains("USING COVERING INDEX"), "{phone:?} {email:?}: {p}");
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
