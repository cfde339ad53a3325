//! `--demo N` on PostgreSQL: the demo's rows sent with COPY, in one transaction.

use super::super::StoreError;
use super::Postgres;
use crate::server::demo::{Demo, Heavy, Sink, Table, Value};
use futures_util::SinkExt;
use jiff::Timestamp;

/// Rows are sent once this many bytes of them have gathered.
const BATCH_BYTES: usize = 8 << 20;

/// The foreign keys, indexes, primary keys and unique constraints of the tables named by
/// `$1`, but for the keys a table outside them refers to (PostgreSQL would not drop those):
/// how to drop each and how to make it again, in the order to drop them (foreign keys
/// first, then the keys they lean on); they are made again in reverse.
const SECONDARY_STRUCTURES: &str = "
    WITH filled AS (SELECT to_regclass(t) AS rel FROM unnest($1::text[]) t)
    SELECT drop_it, make_it FROM (
        SELECT 0 AS step, format('ALTER TABLE %s DROP CONSTRAINT %I', conrelid::regclass, conname)
                   AS drop_it,
               format('ALTER TABLE %s ADD CONSTRAINT %I %s', conrelid::regclass, conname,
                      pg_get_constraintdef(oid)) AS make_it
        FROM pg_constraint
        WHERE contype = 'f' AND conrelid IN (SELECT rel FROM filled)
        UNION ALL
        -- Primary keys and unique constraints that no table outside the filled ones refers to.
        SELECT 1, format('ALTER TABLE %s DROP CONSTRAINT %I', conrelid::regclass, conname),
               format('ALTER TABLE %s ADD CONSTRAINT %I %s', conrelid::regclass, conname,
                      pg_get_constraintdef(oid))
        FROM pg_constraint p
        WHERE contype IN ('p', 'u') AND conrelid IN (SELECT rel FROM filled)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint f
                          WHERE f.contype = 'f' AND f.confrelid = p.conrelid
                            AND f.conrelid NOT IN (SELECT rel FROM filled))
        UNION ALL
        SELECT 2, format('DROP INDEX %s', indexrelid::regclass), pg_get_indexdef(indexrelid)
        FROM pg_index
        WHERE NOT indisprimary AND NOT indisunique
          AND indrelid IN (SELECT rel FROM filled)
    ) s ORDER BY step";

impl Postgres {
    /// Seeds `count` demo clients into a database that holds none; returns how many.
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
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        let existing: i64 = tx
            .query_one("SELECT count(*) FROM clients", &[])
            .await?
            .get(0);
        if existing > 0 {
            return Err(StoreError::Invalid(format!(
                "the database already holds {existing} clients: demo data goes only into an empty one"
            )));
        }
        // Seeding a million clients takes longer than any request may: the session's bounds
        // (statement 15 s, idle transaction 30 s) are lifted for this transaction only.
        tx.batch_execute(
            "SET LOCAL statement_timeout = 0; SET LOCAL idle_in_transaction_session_timeout = 0;
             SET LOCAL maintenance_work_mem = '256MB'",
        )
        .await?;
        // Keys, indexes and foreign keys kept up row by row through millions of rows cost
        // more than building them once over the loaded rows (a million clients: 218 s kept,
        // 116 s rebuilt). They are taken off the tables the demo fills (keys that other
        // tables refer to stay) and put back, from the database's own definitions, before
        // the commit.
        let tables: Vec<&str> = Table::ALL.iter().map(|t| t.name()).collect();
        let rebuild: Vec<(String, String)> = tx
            .query(SECONDARY_STRUCTURES, &[&tables])
            .await?
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        for (drop, _) in &rebuild {
            tx.batch_execute(drop).await?;
        }
        // The demo gives each client's balances and lots with its ledger, so the triggers
        // that keep them row by row are off; it is back on before anyone else sees the tables (this
        // transaction holds the ledger's lock until it commits).
        tx.batch_execute(
            "ALTER TABLE ledger DISABLE TRIGGER ledger_to_balance;
             ALTER TABLE ledger DISABLE TRIGGER ledger_lots",
        )
        .await?;
        // The rows are made on a thread of their own while the ones before them are sent:
        // PostgreSQL reads a batch as the next one is being made.
        let (batches, mut made) = tokio::sync::mpsc::channel(2);
        let maker = tokio::task::spawn_blocking(move || make_rows(count, heavy, anchor, &batches));
        while let Some(batch) = made.recv().await {
            for (table, bytes) in batch {
                let sink = tx
                    .copy_in(&format!(
                        "COPY {} ({}) FROM STDIN",
                        table.name(),
                        table.columns()
                    ))
                    .await?;
                futures_util::pin_mut!(sink);
                sink.send(bytes::Bytes::from(bytes)).await?;
                sink.finish().await?;
            }
        }
        maker
            .await
            .map_err(|e| StoreError::Worker(format!("making the demo rows failed: {e}")))??;
        for (_, create) in rebuild.iter().rev() {
            tx.batch_execute(create).await?;
        }
        tx.batch_execute(
            "ALTER TABLE ledger ENABLE TRIGGER ledger_to_balance;
             ALTER TABLE ledger ENABLE TRIGGER ledger_lots;
             SELECT setval(pg_get_serial_sequence('client_groups', 'id'),
                           (SELECT max(id) FROM client_groups));",
        )
        .await?;
        tx.commit().await?;
        // Statistics for the planner now, not when autovacuum gets round to it: without
        // them a search of a million new clients was planned as a scan (11 a second).
        c.batch_execute("ANALYZE").await?;
        Ok(count)
    }
}

/// Makes the demo's rows and hands them on in batches of about [`BATCH_BYTES`]; stops early
/// if nobody takes them any more (the load failed).
fn make_rows(
    count: u64,
    heavy: Option<Heavy>,
    anchor: Timestamp,
    batches: &tokio::sync::mpsc::Sender<Vec<(Table, Vec<u8>)>>,
) -> Result<(), StoreError> {
    let mut demo = Demo::new(count, anchor).with_heavy(heavy);
    let mut buffers = CopyBuffers::default();
    demo.start(&mut buffers)?;
    loop {
        let more = demo.next_client(&mut buffers)?;
        if (buffers.len() >= BATCH_BYTES || !more)
            && batches.blocking_send(buffers.drain().collect()).is_err()
        {
            return Ok(());
        }
        if !more {
            return Ok(());
        }
    }
}

/// Each table's rows in COPY's text format, sent when enough have gathered.
#[derive(Default)]
struct CopyBuffers {
    buffers: [Vec<u8>; Table::ALL.len()],
}

impl CopyBuffers {
    fn len(&self) -> usize {
        self.buffers.iter().map(Vec::len).sum()
    }

    /// Each table's gathered rows, emptied, in an order where references resolve.
    fn drain(&mut self) -> impl Iterator<Item = (Table, Vec<u8>)> + '_ {
        Table::ALL
            .into_iter()
            .map(|t| (t, std::mem::take(&mut self.buffers[t.index()])))
            .filter(|(_, b)| !b.is_empty())
    }
}

impl Sink for CopyBuffers {
    fn row(&mut self, table: Table, values: &[Value]) -> Result<(), StoreError> {
        let out = &mut self.buffers[table.index()];
        for (n, value) in values.iter().enumerate() {
            if n > 0 {
                out.push(b'\t');
            }
            match value {
                Value::Null => out.extend_from_slice(b"\\N"),
                Value::Int(v) => out.extend_from_slice(v.to_string().as_bytes()),
                Value::Bool(v) => out.push(if *v { b't' } else { b'f' }),
                Value::Text(text) => {
                    for byte in text.bytes() {
                        match byte {
                            b'\\' => out.extend_from_slice(b"\\\\"),
                            b'\t' => out.extend_from_slice(b"\\t"),
                            b'\n' => out.extend_from_slice(b"\\n"),
                            b'\r' => out.extend_from_slice(b"\\r"),
                            other => out.push(other),
                        }
                    }
                }
            }
        }
        out.push(b'\n');
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_text_escapes_what_would_split_a_row() {
        let mut b = CopyBuffers::default();
        b.row(
            Table::Coupons,
            &[
                Value::Int(1),
                Value::Text("a\tb\\c\nd".into()),
                Value::Null,
                Value::Bool(true),
            ],
        )
        .unwrap();
        let (table, bytes) = b.drain().next().unwrap();
        assert_eq!(table, Table::Coupons);
        assert_eq!(bytes, b"1\ta\\tb\\\\c\\nd\t\\N\tt\n");
        assert_eq!(b.len(), 0);
    }
}
