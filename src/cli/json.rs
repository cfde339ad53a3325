//! The `--json` forms, documented in `docs/cli.md`: field names and types only ever grow.
//! Money is a string with two decimals (`"1234.50"`), never a float; instants are RFC 3339
//! in UTC; contacts are masked as on the screen.

use crate::domain::{Amount, Balances, Client, Coupon, HistoryEntry, mask};
use crate::wire::ext::currency_to_wire;
use serde::Serialize;

/// `1234.50`, `-0.05`: the exact amount, as a JSON string.
pub fn money(amount: Amount) -> String {
    let minor = amount.minor();
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

#[derive(Serialize)]
pub struct ClientJson {
    pub id: i64,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

impl From<&Client> for ClientJson {
    fn from(c: &Client) -> Self {
        ClientJson {
            id: c.id.0,
            name: c.name.clone(),
            phone: c.phone.as_deref().map(mask::phone),
            email: c.email.as_deref().map(mask::email),
        }
    }
}

#[derive(Serialize)]
pub struct BalancesJson {
    pub points: String,
    pub rubles: String,
}

impl From<Balances> for BalancesJson {
    fn from(b: Balances) -> Self {
        BalancesJson {
            points: money(b.points),
            rubles: money(b.rubles),
        }
    }
}

#[derive(Serialize)]
pub struct CouponJson {
    pub id: i64,
    pub title: String,
    /// Valid up to and including this instant; `null`: no expiry.
    pub expires_at: Option<String>,
}

impl From<&Coupon> for CouponJson {
    fn from(c: &Coupon) -> Self {
        CouponJson {
            id: c.id.0,
            title: c.title.clone(),
            expires_at: c.expires_at.map(|t| t.to_string()),
        }
    }
}

#[derive(Serialize)]
pub struct ShowJson {
    pub id: i64,
    pub balances: BalancesJson,
    pub coupons: Vec<CouponJson>,
}

#[derive(Serialize)]
pub struct HistoryJson {
    pub at: String,
    pub amount: String,
    pub currency: &'static str,
    pub transaction_id: String,
}

impl From<&HistoryEntry> for HistoryJson {
    fn from(e: &HistoryEntry) -> Self {
        HistoryJson {
            at: e.at.to_string(),
            amount: money(e.amount),
            currency: currency_to_wire(e.currency),
            transaction_id: e.transaction_id.clone(),
        }
    }
}

/// Pretty JSON and a newline.
pub fn render(value: &impl Serialize) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("\"{e}\""));
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_exact_with_two_decimals() {
        assert_eq!(money(Amount::from_minor(123_450)), "1234.50");
        assert_eq!(money(Amount::from_minor(-5)), "-0.05");
        assert_eq!(money(Amount::ZERO), "0.00");
    }
}
