//! Seeding a SQLite database with the demo data set (`server::demo`) in one transaction,
//! through one prepared INSERT per table: on the store's writer beside other work (the
//! embedded default), or on a connection alone without the WAL (`serve --demo`).

use super::Sqlite;
use crate::server::demo::{Demo, Heavy, Sink, Table, Value};
use crate::server::store::StoreError;
use jiff::Timestamp;
use rusqlite::Connection;
use rusqlite::types::{ToSql, ToSqlOutput};

impl Sqlite {
    /// Seeds `count` demo clients on the writer; returns how many.
    pub async fn seed_demo(&self, count: u64, anchor: Timestamp) -> Result<u64, StoreError> {
        self.seed_demo_with(count, None, anchor).await
    }

    /// The same, with one client made big (`serve --demo-heavy`).
    pub async fn seed_demo_with(
        &self,
        count: u64,
        heavy: Option<Heavy>,
        anchor: Timestamp,
    ) -> Result<u64, StoreError> {
        self.run_write(move |c| seed_with(c, count, heavy, anchor))
            .await
    }

    /// Seeds `count` demo clients with nothing else open on the file, then opens it again:
    /// for a server that serves nobody until its demo data is in (`serve --demo`).
    ///
    /// The seeding's one transaction goes through a rollback journal instead of the WAL.
    /// In the WAL every page it made was written twice, into the WAL and then copied into
    /// the file (22.9 GB of WAL for ten million clients), and the next server over the
    /// file rebuilt the WAL's index (8 bytes a frame: 42.5 MB) and kept it mapped while it
    /// ran. A rollback journal keeps only the pages the file had before (the schema's): the
    /// pages the seeding adds past the file's end are undone, after a crash, by cutting the
    /// file back. The file is back in WAL mode before the store opens it again.
    pub async fn seed_demo_alone(
        self,
        count: u64,
        heavy: Option<Heavy>,
        anchor: Timestamp,
    ) -> Result<Sqlite, StoreError> {
        let path = self.path.to_path_buf();
        let retention = self.key_retention_ms;
        tokio::task::spawn_blocking(move || {
            self.close()?;
            alone(&path, |c| seed_with(c, count, heavy, anchor))?;
            Ok(Sqlite::open(&path)?.with_key_retention(retention))
        })
        .await
        .map_err(|e| StoreError::Worker(e.to_string()))?
    }
}

/// Runs the bulk write `f` on a connection of its own, with the file out of WAL mode while
/// it runs. Another process with the file open keeps it in WAL mode (SQLite answers "busy"):
/// `f` then goes through the WAL, which SQLite's own checkpoint at its commit copies back.
fn alone<T>(
    path: &std::path::Path,
    f: impl FnOnce(&mut Connection) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    let mut conn = super::open_connection(path)?;
    let journal = match conn.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0)) {
        Ok(mode) => mode,
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy) => {
            "wal".to_string()
        }
        Err(e) => return Err(e.into()),
    };
    tracing::info!(journal, "bulk write on a connection alone");
    // A write that failed is undone as its connection closes, and whoever opens the file
    // next puts it back in WAL mode (`open_connection`).
    let done = f(&mut conn)?;
    let back: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if back != "wal" {
        return Err(StoreError::Worker(format!(
            "the database stayed in journal mode {back} after a bulk write"
        )));
    }
    Ok(done)
}

/// Seeds `count` demo clients into a SQLite database in one transaction; returns the number
/// of clients.
pub fn seed(conn: &mut Connection, count: u64, anchor: Timestamp) -> Result<u64, StoreError> {
    seed_with(conn, count, None, anchor)
}

/// [`seed`] with one client made big.
pub fn seed_with(
    conn: &mut Connection,
    count: u64,
    heavy: Option<Heavy>,
    anchor: Timestamp,
) -> Result<u64, StoreError> {
    // The keys kept up row by row (cards' numbers, operations' uuids, in random order) do
    // not fit the default 2 MB page cache: every insert would read their pages back. A
    // larger cache for the seeding only, given back after. The indexes made after the rows
    // sort them in memory up to the same size and in temporary files beyond it, which the
    // seeding keeps on disk: the writer's connection keeps its temporary files in memory
    // (`writer::WalLength::watch`), and there a million clients' indexes were sorted whole,
    // 870 MB. Peak RSS and time of a million clients' seeding: a 512 MB cache, sorts in
    // memory, 1,280 MB, 52 s; 256 MB, sorts in files, 772 MB, 53 s; 128 MB, 394 MB, 63-65 s
    // (past the 60 s of `scripts/bench.sh`). The peak is the cache and one sort's run, not
    // the rows: it stays there however many clients follow.
    let cache: i64 = conn.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
    let temp: i64 = conn.query_row("PRAGMA temp_store", [], |r| r.get(0))?;
    conn.pragma_update(None, "cache_size", SEED_CACHE_KIB)?;
    conn.pragma_update(None, "temp_store", "FILE")?;
    let seeded = seed_in_savepoint(conn, count, heavy, anchor);
    conn.pragma_update(None, "temp_store", temp)?;
    conn.pragma_update(None, "cache_size", cache)?;
    give_back_freed_memory();
    seeded
}

/// SQLite allocates with the C library's malloc, not the program's allocator, and the
/// seeding's page cache, freed as the cache is set back, stays with glibc: in the freed
/// chunks of the seeding thread's arena, which glibc hands back to the system only from
/// their top. `serve --demo 300000` then served with 227 MB resident, 213 MB of it freed
/// memory; trimming the arenas took it to 17 MB.
fn give_back_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim takes no pointer; it only returns the allocator's free pages.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// The triggers that keep what the demo gives itself: the ledger's balances and lots, and
/// the cards' counts of operations.
const KEEPING_TRIGGERS: [&str; 4] = [
    "ledger_to_balance",
    "ledger_spends_lots",
    "ledger_gives_back",
    "card_operations_added",
];

/// The page cache while seeding, in KiB (SQLite's negative `cache_size`): taken only as
/// the pages are used.
const SEED_CACHE_KIB: i64 = -256 * 1024;

/// The page cache while the seeding's indexes are made, and so the largest run of keys a
/// sort holds in memory.
const SORT_CACHE_KIB: i64 = -32 * 1024;

fn seed_in_savepoint(
    conn: &mut Connection,
    count: u64,
    heavy: Option<Heavy>,
    anchor: Timestamp,
) -> Result<u64, StoreError> {
    let tx = conn.savepoint()?;
    // The demo gives each client's balances and lots with its ledger, and each card's counts
    // with its operations, so the triggers that keep them row by row are off (two statements
    // per ledger row took a third of the seeding); they are back before the savepoint is
    // released, so nobody ever sees the tables without them.
    let mut triggers = Vec::new();
    for name in KEEPING_TRIGGERS {
        let sql: String = tx.query_row(
            "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = ?1",
            [name],
            |r| r.get(0),
        )?;
        tx.execute_batch(&format!("DROP TRIGGER {name}"))?;
        triggers.push(sql);
    }
    // An index kept up row by row through millions of rows (phones and e-mails in random
    // order) costs more than building it once over them: the indexes of the tables the demo
    // fills are dropped and made again from their own definitions before the commit.
    let filled: Vec<&str> = Table::ALL.iter().map(|t| t.name()).collect();
    let indexes: Vec<(String, String)> = tx
        .prepare("SELECT name, tbl_name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL")?
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get(2)?)))?
        .filter_map(|row| match row {
            Ok((name, table, sql)) if filled.contains(&table.as_str()) => Some(Ok((name, sql))),
            Ok(_) => None,
            Err(e) => Some(Err(e)),
        })
        .collect::<Result<_, _>>()?;
    for (name, _) in &indexes {
        tx.execute_batch(&format!("DROP INDEX \"{name}\""))?;
    }
    {
        let mut sink = Statements::new(&tx);
        let mut demo = Demo::new(count, anchor).with_heavy(heavy);
        demo.start(&mut sink)?;
        while demo.next_client(&mut sink)? {}
    }
    // SQLite sorts an index's keys in runs as large as the page cache, and holds a run
    // beside the cache: with the inserts' cache a million clients' seeding peaked at 575 MB
    // against 279 MB for 100,000, whose runs are small. The sorts read the rows in order and
    // need no cache of that size.
    tx.pragma_update(None, "cache_size", SORT_CACHE_KIB)?;
    for (_, sql) in &indexes {
        tx.execute_batch(sql)?;
    }
    for sql in &triggers {
        tx.execute_batch(sql)?;
    }
    tx.commit()?;
    Ok(count)
}

impl ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Value::Null => ToSqlOutput::from(rusqlite::types::Null),
            Value::Int(v) => ToSqlOutput::from(*v),
            Value::Bool(v) => ToSqlOutput::from(*v),
            Value::Text(v) => ToSqlOutput::from(v.as_str()),
        })
    }
}

/// One prepared INSERT per table, made on first use.
struct Statements<'c> {
    conn: &'c rusqlite::Connection,
    prepared: [Option<rusqlite::Statement<'c>>; Table::ALL.len()],
}

impl<'c> Statements<'c> {
    fn new(conn: &'c rusqlite::Connection) -> Self {
        Statements {
            conn,
            prepared: Default::default(),
        }
    }
}

impl Sink for Statements<'_> {
    fn row(&mut self, table: Table, values: &[Value]) -> Result<(), StoreError> {
        let slot = &mut self.prepared[table.index()];
        if slot.is_none() {
            let marks: Vec<String> = (1..=values.len()).map(|n| format!("?{n}")).collect();
            *slot = Some(self.conn.prepare(&format!(
                "INSERT INTO {} ({}) VALUES ({})",
                table.name(),
                table.columns(),
                marks.join(", ")
            ))?);
        }
        if let Some(statement) = slot {
            statement.execute(rusqlite::params_from_iter(values))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    /// Every table, index and trigger of a database, as SQLite keeps their definitions.
    fn schema(conn: &rusqlite::Connection) -> Vec<(String, Option<String>)> {
        let mut stmt = conn
            .prepare("SELECT name, sql FROM sqlite_schema ORDER BY name")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    #[test]
    fn seeding_leaves_every_index_and_trigger_as_the_schema_made_them() {
        let (_dir, store) = super::super::testing::seeded();
        let fresh = tempfile::tempdir().unwrap();
        let bare = super::super::Sqlite::open(&fresh.path().join("b.db")).unwrap();
        let as_made = bare.with_conn(|c| Ok(schema(c))).unwrap();
        let after_seeding = store.with_conn(|c| Ok(schema(c))).unwrap();
        assert!(as_made.iter().any(|(n, _)| n == "clients_phone_rev"));
        assert_eq!(after_seeding, as_made);
    }

    #[test]
    fn seeding_gives_the_connections_cache_and_temporary_files_back() {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = rusqlite::Connection::open(dir.path().join("s.db")).unwrap();
        super::super::migrate::migrate(&conn).unwrap();
        conn.pragma_update(None, "temp_store", "MEMORY").unwrap();
        let settings = |c: &rusqlite::Connection| -> (i64, i64) {
            let get = |name: &str| c.query_row(&format!("PRAGMA {name}"), [], |r| r.get(0));
            (get("cache_size").unwrap(), get("temp_store").unwrap())
        };
        let before = settings(&conn);
        super::seed(&mut conn, 20, jiff::Timestamp::UNIX_EPOCH).unwrap();
        assert_eq!(settings(&conn), before);
        assert_eq!(before.1, 2, "the writer's temporary files stay in memory");
    }

    fn journal_mode(path: &std::path::Path) -> String {
        rusqlite::Connection::open(path)
            .unwrap()
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap()
    }

    fn with_suffix(path: &std::path::Path, suffix: &str) -> std::path::PathBuf {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        name.into()
    }

    /// What a bulk write alone leaves if the process dies in it, taken mid-way: the file and
    /// its rollback journal as the process left them, copied while its transaction is open.
    #[tokio::test]
    async fn a_bulk_write_alone_goes_to_the_file_through_a_journal_and_a_crash_in_it_is_undone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.db");
        let image = dir.path().join("crash.db");
        // A store that has written and read: its writer, checkpoint thread and a pooled
        // reader each hold a connection, which closing it closes.
        let store = super::super::Sqlite::open(&path).unwrap();
        store
            .run_write(|c| Ok(c.execute_batch("CREATE TABLE bulk (v TEXT)")?))
            .await
            .unwrap();
        store
            .with_conn(
                |c| Ok(c.query_row("SELECT count(*) FROM bulk", [], |r| r.get::<_, i64>(0))?),
            )
            .unwrap();
        store.close().unwrap();
        let written = super::alone(&path, |c| {
            // A cache of a few pages, so that the rows are written before the commit.
            c.execute_batch(
                "PRAGMA cache_size = 8;
                 BEGIN;
                 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
                 INSERT INTO bulk SELECT hex(randomblob(200)) FROM n;",
            )?;
            for suffix in ["", "-journal", "-wal"] {
                if let Ok(bytes) = std::fs::read(with_suffix(&path, suffix)) {
                    std::fs::write(with_suffix(&image, suffix), bytes).unwrap();
                }
            }
            c.execute_batch("COMMIT")?;
            Ok(c.query_row("SELECT count(*) FROM bulk", [], |r| r.get::<_, i64>(0))?)
        })
        .unwrap();
        assert_eq!(written, 5000);
        // The rows went into the file, with the pages it had before kept in the journal.
        assert!(with_suffix(&image, "-journal").exists());
        assert!(!with_suffix(&image, "-wal").exists());
        // After the write the file is in WAL mode again, with no journal left.
        assert_eq!(journal_mode(&path), "wal");
        assert!(!with_suffix(&path, "-journal").exists());
        // The crash image opens as the file was before the write: the journal is played back.
        let store = super::super::Sqlite::open(&image).unwrap();
        let (rows, check): (i64, String) = store
            .with_conn(|c| {
                Ok((
                    c.query_row("SELECT count(*) FROM bulk", [], |r| r.get(0))?,
                    c.query_row("PRAGMA integrity_check", [], |r| r.get(0))?,
                ))
            })
            .unwrap();
        assert_eq!((rows, check.as_str()), (0, "ok"));
        assert!(!with_suffix(&image, "-journal").exists());
        assert_eq!(journal_mode(&image), "wal");
    }

    /// Another process with the file open (here another connection) keeps it in WAL mode:
    /// the write goes through the WAL, at once (SQLite answers "busy" without waiting), not
    /// refused.
    #[test]
    fn a_bulk_write_alone_beside_another_connection_goes_through_the_wal() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("o.db");
        let other = super::super::open_connection(&path).unwrap();
        other.execute_batch("CREATE TABLE bulk (v TEXT)").unwrap();
        let started = std::time::Instant::now();
        let mode = super::alone(&path, |c| {
            c.execute_batch("INSERT INTO bulk VALUES ('a')")?;
            Ok(c.query_row("PRAGMA journal_mode", [], |r| r.get::<_, String>(0))?)
        })
        .unwrap();
        assert_eq!(mode, "wal");
        assert!(
            started.elapsed() < super::super::BUSY_TIMEOUT / 2,
            "no busy wait"
        );
        let rows: i64 = other
            .query_row("SELECT count(*) FROM bulk", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 1);
    }

    #[tokio::test]
    async fn seeding_alone_is_refused_while_the_store_is_shared_and_serves_after() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let store = super::super::Sqlite::open(&path).unwrap();
        let held = store.clone();
        let refused = store
            .seed_demo_alone(20, None, jiff::Timestamp::now())
            .await;
        assert!(matches!(
            refused,
            Err(crate::server::store::StoreError::Worker(_))
        ));
        assert_eq!(
            held.client_count().await.unwrap(),
            0,
            "the clone still serves"
        );
        let seeded = held
            .seed_demo_alone(20, None, jiff::Timestamp::now())
            .await
            .unwrap();
        assert_eq!(seeded.client_count().await.unwrap(), 20);
        assert_eq!(journal_mode(&path), "wal");
        // The store opened again writes through its writer, in WAL mode.
        seeded
            .run_write(|c| Ok(c.execute("DELETE FROM clients WHERE id = 0", [])?))
            .await
            .unwrap();
        assert!(with_suffix(&path, "-wal").exists());
    }
}
