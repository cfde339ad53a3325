//! The demo's rows as plain values, so one generator fills either store through its own
//! [`Sink`]: prepared INSERTs on SQLite, COPY on PostgreSQL (each store's `demo.rs`).

use crate::server::store::StoreError;

/// The tables the demo fills, in an order where each refers only to those before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Table {
    Groups,
    Promotions,
    PointsOfSale,
    Clients,
    Cards,
    CardOperations,
    /// Each card's operations counted as they are made, as the table's triggers count them.
    CardOperationCounts,
    Accumulations,
    Ledger,
    /// Each client's sum of its ledger, made with it: summing twelve million ledger rows
    /// afterwards took a fifth of a million clients' seeding.
    Balances,
    /// Each balance as lots (`rules::lots`), made with it as the balances are.
    Lots,
    Coupons,
}

impl Table {
    pub(crate) const ALL: [Table; 12] = [
        Table::Groups,
        Table::Promotions,
        Table::PointsOfSale,
        Table::Clients,
        Table::Cards,
        Table::CardOperations,
        Table::CardOperationCounts,
        Table::Accumulations,
        Table::Ledger,
        Table::Balances,
        Table::Lots,
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
            Table::CardOperationCounts => "card_operation_counts",
            Table::Accumulations => "accumulations",
            Table::Ledger => "ledger",
            Table::Balances => "balances",
            Table::Lots => "lots",
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
            Table::CardOperationCounts => "card_id, promo_id, type, n",
            Table::Accumulations => {
                "id, tr_product_id, promotion_id, client_id, product_id, modification_id, status, num, product_sum, prize_product_id, date_add, date_close, weight_flag"
            }
            Table::Ledger => "client_id, currency, amount, at_ms, kind",
            Table::Balances => "client_id, currency, amount",
            Table::Lots => "client_id, currency, amount, remaining, active_from_ms, expires_ms",
            Table::Coupons => "id, client_id, title, expire_ms",
        }
    }

    pub(crate) fn index(self) -> usize {
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
