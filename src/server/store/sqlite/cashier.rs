//! What a till reads of a client: balances, coupons, a page of history.

use super::StoreError;
use crate::domain::{
    Amount, Balances, ClientId, Coupon, CouponId, Currency, HistoryEntry, HistoryQuery,
};
use crate::wire::ext::currency_from_wire;
use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};

/// History page size when the caller gives none, and the most one page may hold.
pub const HISTORY_DEFAULT_LIMIT: u32 = 100;
pub const HISTORY_MAX_LIMIT: u32 = 1000;

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
        match currency_from_wire(&currency) {
            Ok(Currency::Points) => result.points = Amount::from_minor(amount),
            Ok(Currency::Rubles) => result.rubles = Amount::from_minor(amount),
            Err(_) => {}
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

/// A page of history, newest first.
pub fn history(
    conn: &Connection,
    id: ClientId,
    query: &HistoryQuery,
) -> Result<Vec<HistoryEntry>, StoreError> {
    require_client(conn, id)?;
    let mut stmt = conn.prepare_cached(
        "SELECT id, currency, amount, at_ms FROM ledger
         WHERE client_id = ?1 AND at_ms >= ?2 AND at_ms <= ?3
         ORDER BY at_ms DESC, id DESC LIMIT ?4 OFFSET ?5",
    )?;
    let from = query.from.map_or(i64::MIN, |t| t.as_millisecond());
    let to = query.to.map_or(i64::MAX, |t| t.as_millisecond());
    let rows = stmt.query_map(params![id.0, from, to, query.limit, query.offset], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, i64>(3)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (lid, currency, amount, at) = row?;
        let Ok(currency) = currency_from_wire(&currency) else {
            continue;
        };
        out.push(HistoryEntry {
            amount: Amount::from_minor(amount),
            currency,
            at: Timestamp::from_millisecond(at).unwrap_or(Timestamp::UNIX_EPOCH),
            transaction_id: lid.to_string(),
        });
    }
    Ok(out)
}

pub fn client_count(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn.query_row("SELECT count(*) FROM clients", [], |r| r.get(0))?)
}
