//! Seeding a SQLite database with the demo data set, in one savepoint on the store's writer.

use super::{Demo, rows};
use crate::server::store::StoreError;
use jiff::Timestamp;
use rusqlite::Connection;

/// Seeds `count` demo clients into a SQLite database in one transaction; returns the number
/// of clients.
pub fn seed(conn: &mut Connection, count: u64, anchor: Timestamp) -> Result<u64, StoreError> {
    // The indexes of a million clients (phones and e-mails reversed, in random order) do not
    // fit the default 2 MB page cache: every insert would read its index pages back from
    // disk. A large cache for the seeding only, given back after.
    let cache: i64 = conn.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
    conn.pragma_update(None, "cache_size", SEED_CACHE_KIB)?;
    let seeded = seed_in_savepoint(conn, count, anchor);
    conn.pragma_update(None, "cache_size", cache)?;
    seeded
}

/// The page cache while seeding, in KiB (SQLite's negative `cache_size`): taken only as
/// the pages are used.
const SEED_CACHE_KIB: i64 = -512 * 1024;

fn seed_in_savepoint(
    conn: &mut Connection,
    count: u64,
    anchor: Timestamp,
) -> Result<u64, StoreError> {
    let tx = conn.savepoint()?;
    // Balances are summed once at the end instead of row by row in the trigger (two
    // statements per ledger row took a third of the seeding); the trigger is back before
    // the savepoint is released, so nobody ever sees the tables without it.
    let trigger: String = tx.query_row(
        "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = 'ledger_to_balance'",
        [],
        |r| r.get(0),
    )?;
    tx.execute_batch("DROP TRIGGER ledger_to_balance")?;
    {
        let mut sink = rows::Statements::new(&tx);
        let mut demo = Demo::new(count, anchor);
        demo.start(&mut sink)?;
        while demo.next_client(&mut sink)? {}
    }
    tx.execute_batch(
        "INSERT INTO balances (client_id, currency, amount)
             SELECT client_id, currency, sum(amount) FROM ledger GROUP BY client_id, currency",
    )?;
    tx.execute_batch(&trigger)?;
    tx.commit()?;
    Ok(count)
}
