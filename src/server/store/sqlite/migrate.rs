//! SQLite's schema (`assets/sqlite/NNN_*.sql`) and how a file of any older version is
//! brought up to this one.
//!
//! Unlike PostgreSQL's steps, which run once each by `schema_version`, every step here runs
//! at every open and is idempotent: some columns came without a version of their own (the
//! holds' `id`, the back office's later columns), so a file already at version 3 may still
//! lack one, and asking the file is what finds out.

use crate::server::store::StoreError;
use rusqlite::Connection;

/// The schema this binary writes (SQLite's `user_version`): 1 before principals, 2 with
/// them and the ledger's `principal`, 3 with the holds' owner and refunder, 4 with
/// operations, their coupons and managers, 5 with confirmation codes, 6 with lots, 7 with
/// the cards' counts of operations. PostgreSQL numbers its own steps
/// (`postgres::SCHEMA_VERSION`).
pub(super) const SCHEMA_VERSION: i64 = 7;

/// A column as `ALTER TABLE … ADD COLUMN` takes it: table, column, declaration.
type Column = (&'static str, &'static str, &'static str);

/// One version's part of the schema: the columns it added to tables an older file already
/// has (SQLite cannot add a column only if it is missing, so they are asked for first),
/// then its statements, each `IF NOT EXISTS`.
struct Step {
    columns: &'static [Column],
    sql: &'static str,
}

const STEPS: &[Step] = &[
    Step {
        columns: &[
            ("ledger", "login", "TEXT"),
            ("client_groups", "use_ewallet", "INTEGER NOT NULL DEFAULT 0"),
            ("client_groups", "deleted", "INTEGER NOT NULL DEFAULT 0"),
            ("promotions", "date_start", "TEXT"),
            ("promotions", "date_end", "TEXT"),
        ],
        sql: include_str!("../../../../assets/sqlite/001_schema.sql"),
    },
    Step {
        columns: &[("ledger", "principal", "TEXT")],
        sql: include_str!("../../../../assets/sqlite/002_principals.sql"),
    },
    Step {
        // Who made the hold (`NULL` for holds made before, which only an admin may step),
        // who refunded it and when (a refund of a coupon-only hold writes no ledger row to
        // say so), and its integer `id`.
        columns: &[
            ("holds", "principal", "TEXT"),
            ("holds", "refunded_by", "TEXT"),
            ("holds", "refunded_ms", "INTEGER"),
            ("holds", "id", "INTEGER"),
        ],
        sql: include_str!("../../../../assets/sqlite/003_hold_owner.sql"),
    },
    Step {
        // The operation a ledger row belongs to (`NULL` for rows made before), the
        // receipt's number a hold was asked for, the login that refunded it (beside its
        // principal, `refunded_by`), and who last made, changed or removed a group, when.
        columns: &[
            (
                "ledger",
                "operation_id",
                "INTEGER REFERENCES operations (id)",
            ),
            ("holds", "order_id", "TEXT"),
            ("holds", "refunded_login", "TEXT"),
            ("client_groups", "changed_by", "TEXT"),
            ("client_groups", "changed_ms", "INTEGER"),
        ],
        sql: include_str!("../../../../assets/sqlite/004_operations.sql"),
    },
    Step {
        // How a write-off that needed a confirmation code was allowed.
        columns: &[(
            "operations",
            "confirmed",
            "TEXT CHECK (confirmed IN ('code', 'manager'))",
        )],
        sql: include_str!("../../../../assets/sqlite/005_codes.sql"),
    },
    Step {
        columns: &[],
        sql: include_str!("../../../../assets/sqlite/006_lots.sql"),
    },
    Step {
        columns: &[],
        sql: include_str!("../../../../assets/sqlite/007_card_operation_counts.sql"),
    },
];

/// Brings the file's schema up to [`SCHEMA_VERSION`]; one written by a newer `loyalty` is
/// refused before anything is changed.
pub(super) fn migrate(conn: &Connection) -> Result<(), StoreError> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema {
            found,
            known: SCHEMA_VERSION,
        });
    }
    for step in STEPS {
        for (table, column, declaration) in step.columns {
            add_column(conn, table, column, declaration)?;
        }
        conn.execute_batch(step.sql)?;
    }
    number_holds(conn)?;
    if found < SCHEMA_VERSION {
        tracing::info!(
            from = found,
            to = SCHEMA_VERSION,
            "database schema migrated"
        );
        conn.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    }
    Ok(())
}

/// Adds a column a file made by an older version lacks (`CREATE TABLE IF NOT EXISTS`
/// leaves existing tables as they were). A table the file does not have yet is left to
/// the step's statements, which make it whole. Names are ours, never user input.
fn add_column(
    conn: &Connection,
    table: &str,
    column: &str,
    declaration: &str,
) -> Result<(), StoreError> {
    let (exists, has): (bool, bool) = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1),
                EXISTS (SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2)",
        [table, column],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if exists && !has {
        conn.execute_batch(&format!(
            "ALTER TABLE {table} ADD COLUMN {column} {declaration}"
        ))?;
    }
    Ok(())
}

/// Gives holds made before version 3 their integer `id`, in the order they were made.
fn number_holds(conn: &Connection) -> Result<(), StoreError> {
    let unnumbered: Vec<String> = conn
        .prepare(
            "SELECT transaction_id FROM holds WHERE id IS NULL ORDER BY created_ms, transaction_id",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    for transaction_id in unnumbered {
        conn.execute(
            "UPDATE holds SET id = (SELECT coalesce(max(id), 0) + 1 FROM holds)
             WHERE transaction_id = ?1",
            [transaction_id],
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::testing::seeded;
    use super::*;

    /// Every table, index and trigger of a database as SQLite keeps their definitions, in
    /// the order they were made.
    fn schema(conn: &Connection) -> Vec<(String, Option<String>)> {
        let mut stmt = conn
            .prepare("SELECT name, sql FROM sqlite_schema ORDER BY rowid")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    /// A file as version `version` left it: the steps up to it, nothing after.
    fn file_of_version(version: usize) -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        for step in &STEPS[..version] {
            for (table, column, declaration) in step.columns {
                add_column(&conn, table, column, declaration).unwrap();
            }
            conn.execute_batch(step.sql).unwrap();
        }
        conn.pragma_update(None, "user_version", version as i64)
            .unwrap();
        conn
    }

    #[test]
    fn a_file_of_each_older_version_ends_with_a_fresh_files_schema() {
        let fresh = file_of_version(0);
        migrate(&fresh).unwrap();
        let made = schema(&fresh);
        assert!(made.iter().any(|(name, _)| name == "holds_id"));
        for version in 1..STEPS.len() {
            let old = file_of_version(version);
            if version == 2 {
                // Version 2's holds had no owner and no id: numbered in the order made.
                old.execute_batch(
                    "INSERT INTO clients (id) VALUES (7);
                     INSERT INTO holds (transaction_id, client_id, currency, amount, created_ms,
                                        expires_ms, state)
                     VALUES ('late', 7, 'points', 1, 20, 30, 'cancelled'),
                            ('early', 7, 'points', 1, 10, 30, 'cancelled');",
                )
                .unwrap();
            }
            if version >= 6 {
                // The releases before it was dropped made the spends' index by lot.
                old.execute_batch("CREATE INDEX lot_spends_lot ON lot_spends (lot_id)")
                    .unwrap();
            }
            migrate(&old).unwrap();
            assert_eq!(schema(&old), made, "from version {version}");
            let now: i64 = old
                .pragma_query_value(None, "user_version", |r| r.get(0))
                .unwrap();
            assert_eq!(now, SCHEMA_VERSION, "from version {version}");
            if version == 2 {
                let ids: Vec<(String, i64)> = old
                    .prepare("SELECT transaction_id, id FROM holds ORDER BY id")
                    .unwrap()
                    .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                    .unwrap()
                    .collect::<Result<_, _>>()
                    .unwrap();
                assert_eq!(ids, [("early".to_string(), 1), ("late".to_string(), 2)]);
            }
        }
    }

    /// A file made before the cards' counts has its operations counted as it is opened, and
    /// counted once: opening it again does not add them up again.
    #[test]
    fn a_file_before_the_counts_has_its_operations_counted_once() {
        let old = file_of_version(6);
        old.execute_batch(
            "INSERT INTO points_of_sale (id, name) VALUES (1, 'Арбат, 12');
             INSERT INTO clients (id) VALUES (7);
             INSERT INTO cards (id, client_id, promo_id, number, out_number, is_virtual,
                                card_type, card_status, reg_pos, reg_ms)
             VALUES (3, 7, 1, 2000000000003, 100003, 0, 'Gold', 'Активна', 1, 0);
             INSERT INTO card_operations (uuid, card_id, promo_id, type, amount, value,
                                          used_value, is_payment, date_s, exp_s, updated_s)
             VALUES ('a', 3, 1, 1, 1000, 50, 0, 0, 1, 0, 1),
                    ('b', 3, 1, 1, 1000, 50, 0, 0, 2, 0, 2),
                    ('c', 3, 1, 2, 0, 50, 0, 1, 3, 0, 3),
                    ('d', 3, 9, 1, 1000, 50, 0, 0, 4, 0, 4);",
        )
        .unwrap();
        let counts = |c: &Connection| -> Vec<(i64, i64, i64, i64)> {
            c.prepare(
                "SELECT card_id, promo_id, type, n FROM card_operation_counts ORDER BY 1, 2, 3",
            )
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
        };
        migrate(&old).unwrap();
        let expected = [(3, 1, 1, 2), (3, 1, 2, 1), (3, 9, 1, 1)];
        assert_eq!(counts(&old), expected);
        migrate(&old).unwrap();
        assert_eq!(counts(&old), expected);
    }

    #[test]
    fn opening_again_changes_nothing_and_a_newer_file_is_refused() {
        let conn = file_of_version(0);
        migrate(&conn).unwrap();
        let once = schema(&conn);
        migrate(&conn).unwrap();
        assert_eq!(schema(&conn), once);
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        let e = migrate(&conn).unwrap_err();
        assert!(
            matches!(e, StoreError::NewerSchema { found, known }
                if found == SCHEMA_VERSION + 1 && known == SCHEMA_VERSION),
            "{e}"
        );
    }

    #[test]
    fn the_ledger_refuses_update_and_delete() {
        let (_dir, store) = seeded();
        store
            .with_conn(|c| {
                for sql in [
                    "UPDATE ledger SET amount = amount + 1",
                    "DELETE FROM ledger",
                ] {
                    let e = c.execute(sql, []).unwrap_err();
                    assert!(e.to_string().contains("append-only"), "{sql}: {e}");
                }
                Ok(())
            })
            .unwrap();
    }
}
