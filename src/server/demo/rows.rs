//! The demo's rows as plain values, so one generator fills SQLite through prepared
//! statements and PostgreSQL through COPY.

use crate::server::store::StoreError;
use rusqlite::types::{ToSql, ToSqlOutput};

/// The tables the demo fills, in an order where each refers only to those before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Table {
    Groups,
    Promotions,
    PointsOfSale,
    Clients,
    Cards,
    CardOperations,
    Accumulations,
    Ledger,
    /// Each client's sum of its ledger, made with it: summing twelve million ledger rows
    /// afterwards took a fifth of a million clients' seeding.
    Balances,
    Coupons,
}

impl Table {
    pub(crate) const ALL: [Table; 10] = [
        Table::Groups,
        Table::Promotions,
        Table::PointsOfSale,
        Table::Clients,
        Table::Cards,
        Table::CardOperations,
        Table::Accumulations,
        Table::Ledger,
        Table::Balances,
        Table::Coupons,
    ];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Table::Groups => "client_groups",
            Table::Promotions => "promotions",
            Table::PointsOfSale => "points_of_sale",
            Table::Clients => "clients",
            Table::Cards => "cards",
            Table::CardOperations => "card_operations",
            Table::Accumulations => "accumulations",
            Table::Ledger => "ledger",
            Table::Balances => "balances",
            Table::Coupons => "coupons",
        }
    }

    /// The columns a row gives, in its order.
    pub(crate) fn columns(self) -> &'static str {
        match self {
            Table::Groups => "id, name, loyalty_type, percent, birthday_bonus",
            Table::Promotions => "id, name, date_start, date_end",
            Table::PointsOfSale => "id, name",
            Table::Clients => {
                "id, name, phone, email, phone_norm, phone_rev, email_lc, email_rev, group_id"
            }
            Table::Cards => {
                "id, client_id, promo_id, number, out_number, is_virtual, card_type, card_status, reg_pos, reg_ms"
            }
            Table::CardOperations => {
                "uuid, card_id, promo_id, type, amount, value, used_value, is_payment, date_s, exp_s, description, updated_s"
            }
            Table::Accumulations => {
                "id, tr_product_id, promotion_id, client_id, product_id, modification_id, status, num, product_sum, prize_product_id, date_add, date_close, weight_flag"
            }
            Table::Ledger => "client_id, currency, amount, at_ms, kind",
            Table::Balances => "client_id, currency, amount",
            Table::Coupons => "id, client_id, title, expire_ms",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// One column's value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Null,
    Int(i64),
    Bool(bool),
    Text(String),
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Bool(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_string())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

/// A row of values of mixed types.
macro_rules! row {
    ($($v:expr),* $(,)?) => { [$($crate::server::demo::Value::from($v)),*] };
}

/// Where the rows go.
pub(crate) trait Sink {
    fn row(&mut self, table: Table, values: &[Value]) -> Result<(), StoreError>;
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

/// SQLite: one prepared INSERT per table, made on first use.
pub(crate) struct Statements<'c> {
    conn: &'c rusqlite::Connection,
    prepared: [Option<rusqlite::Statement<'c>>; Table::ALL.len()],
}

impl<'c> Statements<'c> {
    pub(crate) fn new(conn: &'c rusqlite::Connection) -> Self {
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

/// PostgreSQL: each table's rows in COPY's text format, sent when enough have gathered.
#[derive(Default)]
pub(crate) struct CopyBuffers {
    buffers: [Vec<u8>; Table::ALL.len()],
}

impl CopyBuffers {
    pub(crate) fn len(&self) -> usize {
        self.buffers.iter().map(Vec::len).sum()
    }

    /// Each table's gathered rows, emptied, in an order where references resolve.
    pub(crate) fn drain(&mut self) -> impl Iterator<Item = (Table, Vec<u8>)> + '_ {
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
            &row![1i64, "a\tb\\c\nd", Option::<i64>::None, true],
        )
        .unwrap();
        let (table, bytes) = b.drain().next().unwrap();
        assert_eq!(table, Table::Coupons);
        assert_eq!(bytes, b"1\ta\\tb\\\\c\\nd\t\\N\tt\n");
        assert_eq!(b.len(), 0);
    }
}
