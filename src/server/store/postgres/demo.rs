//! `--demo N` on PostgreSQL: the demo's rows sent with binary COPY, in one transaction.

use super::super::StoreError;
use super::Postgres;
use crate::server::demo::{Demo, Heavy, Sink, Table, Value};
use deadpool_postgres::GenericClient;
use futures_util::SinkExt;
use jiff::Timestamp;

/// Rows are sent once this many bytes of them have gathered.
const BATCH_BYTES: usize = 8 << 20;

/// The foreign keys, indexes, primary keys and unique constraints of the tables named by
/// `$1`, with the foreign keys of other tables that refer to them: how to drop each and how
/// to make it again, in the order to drop them (foreign keys first, then the keys they lean
/// on); they are made again in reverse. The tables outside `$1` that refer to them are
/// empty when the demo starts (each reaches `clients`, which is), so putting their foreign
/// keys back checks no row.
const SECONDARY_STRUCTURES: &str = "
    WITH filled AS (SELECT to_regclass(t) AS rel FROM unnest($1::text[]) t)
    SELECT drop_it, make_it FROM (
        SELECT 0 AS step, format('ALTER TABLE %s DROP CONSTRAINT %I', conrelid::regclass, conname)
                   AS drop_it,
               format('ALTER TABLE %s ADD CONSTRAINT %I %s', conrelid::regclass, conname,
                      pg_get_constraintdef(oid)) AS make_it
        FROM pg_constraint
        WHERE contype = 'f'
          AND (conrelid IN (SELECT rel FROM filled) OR confrelid IN (SELECT rel FROM filled))
        UNION ALL
        SELECT 1, format('ALTER TABLE %s DROP CONSTRAINT %I', conrelid::regclass, conname),
               format('ALTER TABLE %s ADD CONSTRAINT %I %s', conrelid::regclass, conname,
                      pg_get_constraintdef(oid))
        FROM pg_constraint
        WHERE contype IN ('p', 'u') AND conrelid IN (SELECT rel FROM filled)
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
        // (statement 15 s, idle transaction 30 s) are lifted for this transaction only. The
        // indexes' sorts get up to a gigabyte and the foreign keys' checks (each a join of the
        // two tables) a quarter of one, used only as far as the rows need them: at ten million
        // clients the ledger's largest index was built in 51.5 s (56.9 s with 256 MB) and the
        // balances' key checked in 2.5 s (6.3 s with the default 4 MB).
        tx.batch_execute(
            "SET LOCAL statement_timeout = 0; SET LOCAL idle_in_transaction_session_timeout = 0;
             SET LOCAL maintenance_work_mem = '1GB'; SET LOCAL work_mem = '256MB'",
        )
        .await?;
        // Keys, indexes and foreign keys kept up row by row through millions of rows cost
        // more than building them once over the loaded rows (a million clients: 218 s kept,
        // 116 s rebuilt). They are taken off the tables the demo fills, with the foreign keys
        // of the empty tables that refer to them (while those stayed, so did the keys they
        // lean on, a third of the COPY's time), and put back, from the database's own
        // definitions, before the commit.
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
        // The demo gives each client's balances and lots with its ledger, and each card's
        // counts with its operations, so the triggers that keep them are off; they are back
        // on before anyone else sees the tables (this transaction holds the tables' locks
        // until it commits).
        tx.batch_execute(
            "ALTER TABLE ledger DISABLE TRIGGER ledger_to_balance;
             ALTER TABLE ledger DISABLE TRIGGER ledger_lots;
             ALTER TABLE card_operations DISABLE TRIGGER card_operations_added",
        )
        .await?;
        // The rows are made on a thread of their own while the ones before them are sent:
        // PostgreSQL reads a batch as the next one is being made.
        let sequenced = sequenced(&tx).await?;
        let buffers = CopyBuffers::new(column_types(&tx).await?, first_ids(&tx, &sequenced).await?);
        let columns: Vec<String> = Table::ALL.iter().map(|&t| buffers.columns_of(t)).collect();
        let (batches, mut made) = tokio::sync::mpsc::channel(2);
        let maker =
            tokio::task::spawn_blocking(move || make_rows(count, heavy, anchor, buffers, &batches));
        while let Some(batch) = made.recv().await {
            for (table, bytes) in batch {
                let sink = tx
                    .copy_in(&format!(
                        "COPY {} ({}) FROM STDIN (FORMAT binary)",
                        table.name(),
                        columns[table.index()]
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
             ALTER TABLE card_operations ENABLE TRIGGER card_operations_added",
        )
        .await?;
        // The sequences go on after the ids the rows were given (read through the keys made
        // again above).
        for table in sequenced {
            let name = table.name();
            tx.batch_execute(&format!(
                "SELECT setval(pg_get_serial_sequence('{name}', 'id'), max(id)) FROM {name}
                 HAVING max(id) IS NOT NULL"
            ))
            .await?;
        }
        tx.commit().await?;
        // Statistics for the planner now, not when autovacuum gets round to it: without
        // them a search of a million new clients was planned as a scan (11 a second). Only
        // the tables the demo filled: one analysed while empty loses PostgreSQL's assumption
        // that a never-analysed table is at least ten pages, and the statements a connection
        // plans once (the write-offs' key and operation lookups) are then planned as scans
        // of a table that grows with every write-off, until autovacuum analyses it again
        // (`docs/deploy.md`, "After a bulk load").
        c.batch_execute(&format!("ANALYZE {}", tables.join(", ")))
            .await?;
        Ok(count)
    }
}

/// Makes the demo's rows and hands them on in batches of about [`BATCH_BYTES`]; stops early
/// if nobody takes them any more (the load failed).
fn make_rows(
    count: u64,
    heavy: Option<Heavy>,
    anchor: Timestamp,
    mut buffers: CopyBuffers,
    batches: &tokio::sync::mpsc::Sender<Vec<(Table, Vec<u8>)>>,
) -> Result<(), StoreError> {
    let mut demo = Demo::new(count, anchor).with_heavy(heavy);
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

/// How a column's values are written in COPY's binary format: the column's own type, as
/// PostgreSQL reads it back with no parsing (a tenth to a fifth faster than the text format
/// for the ledger's rows, the most of a seeding's time being the backend's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Int4,
    Int8,
    Bool,
    Text,
}

impl Column {
    fn of(type_name: &str) -> Option<Column> {
        Some(match type_name {
            "int4" => Column::Int4,
            "int8" => Column::Int8,
            "bool" => Column::Bool,
            "text" => Column::Text,
            _ => return None,
        })
    }
}

/// The types of the columns each demo table is given, in its columns' order, from the
/// database's catalogue.
async fn column_types(
    tx: &impl GenericClient,
) -> Result<[Vec<Column>; Table::ALL.len()], StoreError> {
    let mut columns: [Vec<Column>; Table::ALL.len()] = Default::default();
    for table in Table::ALL {
        let types = tx
            .query(
                "SELECT a.attname::text, t.typname::text FROM pg_attribute a
                 JOIN pg_type t ON t.oid = a.atttypid
                 WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped",
                &[&table.name()],
            )
            .await?;
        for name in table.columns().split(", ") {
            let type_name: Option<String> = types
                .iter()
                .find(|r| r.get::<_, String>(0) == name)
                .map(|r| r.get(1));
            let column = type_name.as_deref().and_then(Column::of).ok_or_else(|| {
                StoreError::Invalid(format!(
                    "the demo cannot fill {}.{name} (of type {})",
                    table.name(),
                    type_name.as_deref().unwrap_or("none: no such column")
                ))
            })?;
            columns[table.index()].push(column);
        }
    }
    Ok(columns)
}

/// The demo's tables whose `id` a sequence numbers.
async fn sequenced(tx: &impl GenericClient) -> Result<Vec<Table>, StoreError> {
    let mut sequenced = Vec::new();
    for table in Table::ALL {
        let row = tx
            .query_one(
                "SELECT (SELECT pg_get_serial_sequence($1, 'id') FROM pg_attribute
                         WHERE attrelid = to_regclass($1) AND attname = 'id' AND NOT attisdropped)",
                &[&table.name()],
            )
            .await?;
        if row.get::<_, Option<String>>(0).is_some() {
            sequenced.push(table);
        }
    }
    Ok(sequenced)
}

/// For each table whose rows come without their `id` but a sequence numbers it, the first
/// id to give them, taken from the sequence. The demo numbers those rows itself: a
/// `nextval` a row was a tenth of the ledger's COPY.
async fn first_ids(
    tx: &impl GenericClient,
    sequenced: &[Table],
) -> Result<[Option<i64>; Table::ALL.len()], StoreError> {
    let mut first: [Option<i64>; Table::ALL.len()] = Default::default();
    for table in sequenced {
        if !table.columns().split(", ").any(|c| c == "id") {
            let row = tx
                .query_one(
                    "SELECT nextval(pg_get_serial_sequence($1, 'id')),
                            format_type(atttypid, NULL) FROM pg_attribute
                     WHERE attrelid = to_regclass($1) AND attname = 'id'",
                    &[&table.name()],
                )
                .await?;
            let type_name: String = row.get(1);
            if type_name != "bigint" {
                return Err(StoreError::Invalid(format!(
                    "the demo numbers {}.id as a bigint, and it is a {type_name}",
                    table.name()
                )));
            }
            first[table.index()] = Some(row.get(0));
        }
    }
    Ok(first)
}

/// Each table's rows in COPY's binary format, sent when enough have gathered: one COPY a
/// table a batch, each with its header and trailer.
struct CopyBuffers {
    columns: [Vec<Column>; Table::ALL.len()],
    /// The id of each numbered table's next row.
    next_ids: [Option<i64>; Table::ALL.len()],
    buffers: [Vec<u8>; Table::ALL.len()],
}

/// The binary format's signature, flags and header extension length.
const HEADER: &[u8] = b"PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0";
/// A field count of -1: no more rows.
const TRAILER: [u8; 2] = (-1i16).to_be_bytes();

impl CopyBuffers {
    fn new(
        columns: [Vec<Column>; Table::ALL.len()],
        next_ids: [Option<i64>; Table::ALL.len()],
    ) -> CopyBuffers {
        CopyBuffers {
            columns,
            next_ids,
            buffers: Default::default(),
        }
    }

    /// The columns a table's COPY names: its rows' own, after the id the demo numbers.
    fn columns_of(&self, table: Table) -> String {
        match self.next_ids[table.index()] {
            Some(_) => format!("id, {}", table.columns()),
            None => table.columns().to_string(),
        }
    }

    fn len(&self) -> usize {
        self.buffers.iter().map(Vec::len).sum()
    }

    /// Each table's gathered rows, emptied, in an order where references resolve.
    fn drain(&mut self) -> impl Iterator<Item = (Table, Vec<u8>)> + '_ {
        Table::ALL
            .into_iter()
            .map(|t| (t, std::mem::take(&mut self.buffers[t.index()])))
            .filter(|(_, b)| !b.is_empty())
            .map(|(t, mut b)| {
                b.extend_from_slice(&TRAILER);
                (t, b)
            })
    }
}

impl Sink for CopyBuffers {
    fn row(&mut self, table: Table, values: &[Value]) -> Result<(), StoreError> {
        let columns = &self.columns[table.index()];
        let out = &mut self.buffers[table.index()];
        if values.len() != columns.len() {
            return Err(StoreError::Invalid(format!(
                "a demo row of {} has {} values for {} columns",
                table.name(),
                values.len(),
                columns.len()
            )));
        }
        if out.is_empty() {
            out.extend_from_slice(HEADER);
        }
        let id = self.next_ids[table.index()].as_mut().map(|next| {
            *next += 1;
            *next - 1
        });
        out.extend_from_slice(&((columns.len() + usize::from(id.is_some())) as i16).to_be_bytes());
        if let Some(id) = id {
            out.extend_from_slice(&8i32.to_be_bytes());
            out.extend_from_slice(&id.to_be_bytes());
        }
        for (value, column) in values.iter().zip(columns) {
            let field = |out: &mut Vec<u8>, bytes: &[u8]| {
                out.extend_from_slice(&(bytes.len() as i32).to_be_bytes());
                out.extend_from_slice(bytes);
            };
            let narrow = |v: i64, bits: &str| {
                StoreError::Invalid(format!("{v} does not fit {} ({bits})", table.name()))
            };
            match (value, column) {
                (Value::Null, _) => out.extend_from_slice(&(-1i32).to_be_bytes()),
                (Value::Int(v), Column::Int8) => field(out, &v.to_be_bytes()),
                (Value::Int(v), Column::Int4) => {
                    let v = i32::try_from(*v).map_err(|_| narrow(*v, "int4"))?;
                    field(out, &v.to_be_bytes())
                }
                (Value::Bool(v), Column::Bool) => field(out, &[u8::from(*v)]),
                (Value::Text(text), Column::Text) => field(out, text.as_bytes()),
                (value, column) => {
                    return Err(StoreError::Invalid(format!(
                        "a demo row of {} gives {value:?} for a column of {column:?}",
                        table.name()
                    )));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_written_in_the_binary_format_with_their_columns_types() {
        let mut columns: [Vec<Column>; Table::ALL.len()] = Default::default();
        columns[Table::Coupons.index()] =
            vec![Column::Int8, Column::Text, Column::Int4, Column::Bool];
        let mut b = CopyBuffers::new(columns, Default::default());
        let row = [
            Value::Int(1),
            Value::Text("a\tб".into()),
            Value::Null,
            Value::Bool(true),
        ];
        b.row(Table::Coupons, &row).unwrap();
        let (table, bytes) = b.drain().next().unwrap();
        assert_eq!(table, Table::Coupons);
        let mut expected = HEADER.to_vec();
        expected.extend_from_slice(&[0, 4]);
        expected.extend_from_slice(&[0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 1]);
        expected.extend_from_slice(&[0, 0, 0, 4, b'a', b'\t', 0xd0, 0xb1]);
        expected.extend_from_slice(&[0xff, 0xff, 0xff, 0xff]);
        expected.extend_from_slice(&[0, 0, 0, 1, 1]);
        expected.extend_from_slice(&[0xff, 0xff]);
        assert_eq!(bytes, expected);
        assert_eq!(b.len(), 0);
        // A value the column cannot hold is refused, not cut.
        let wide = [Value::Int(1), Value::Null, Value::Int(1 << 40), Value::Null];
        assert!(b.row(Table::Coupons, &wide).is_err());
        assert!(b.row(Table::Coupons, &row[..3]).is_err(), "a value short");
    }

    #[test]
    fn a_numbered_tables_rows_get_their_ids_in_order_from_the_first() {
        let mut columns: [Vec<Column>; Table::ALL.len()] = Default::default();
        columns[Table::Lots.index()] = vec![Column::Int8];
        let mut first: [Option<i64>; Table::ALL.len()] = Default::default();
        first[Table::Lots.index()] = Some(41);
        let mut b = CopyBuffers::new(columns, first);
        assert_eq!(
            b.columns_of(Table::Lots),
            format!("id, {}", Table::Lots.columns())
        );
        assert_eq!(b.columns_of(Table::Coupons), Table::Coupons.columns());
        b.row(Table::Lots, &[Value::Int(7)]).unwrap();
        b.row(Table::Lots, &[Value::Int(8)]).unwrap();
        let (_, bytes) = b.drain().next().unwrap();
        let mut expected = HEADER.to_vec();
        for (id, value) in [(41i64, 7i64), (42, 8)] {
            expected.extend_from_slice(&[0, 2, 0, 0, 0, 8]);
            expected.extend_from_slice(&id.to_be_bytes());
            expected.extend_from_slice(&[0, 0, 0, 8]);
            expected.extend_from_slice(&value.to_be_bytes());
        }
        expected.extend_from_slice(&[0xff, 0xff]);
        assert_eq!(bytes, expected);
    }
}
