//! The `--json` forms, documented in `docs/cli.md`: field names and types only ever grow.
//! Money is a string with two decimals (`"1234.50"`), never a float; instants are RFC 3339
//! in UTC; contacts are masked as on the screen.

use crate::domain::admin::{Group, GroupKind};
use crate::domain::journal::{JournalRow, Movement};
use crate::domain::lots::Dated;
use crate::domain::reversal::{OperationKind, Why};
use crate::domain::{Amount, Balances, Client, Coupon, HistoryEntry, Receipt, mask};
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
    /// Per currency, the nearest expiry and what expires then; empty where the provider
    /// says nothing of expiry.
    pub expiring: Vec<DatedJson>,
    /// Per currency, what is not yet spendable, dated by its nearest activation; empty
    /// where the provider says nothing of it.
    pub pending: Vec<DatedJson>,
}

/// A sum of one currency and its instant (RFC 3339, UTC): when it expires, or when it
/// becomes spendable.
#[derive(Serialize)]
pub struct DatedJson {
    pub currency: &'static str,
    pub amount: String,
    pub date: String,
}

impl From<&Dated> for DatedJson {
    fn from(d: &Dated) -> Self {
        DatedJson {
            currency: d.currency.code(),
            amount: money(d.amount),
            date: d.at.to_string(),
        }
    }
}

#[derive(Serialize)]
pub struct HistoryJson {
    pub at: String,
    pub amount: String,
    pub currency: &'static str,
    pub transaction_id: String,
    /// The movement's operation number, as `loyalty reverse` takes it; `null` where the
    /// provider gives none (the vendors' rows).
    pub id: Option<String>,
    /// `write_off` or `reversal`, where the provider says.
    pub kind: Option<&'static str>,
    pub receipt: Option<ReceiptJson>,
    /// `mistake`, `returned`, `complaint` or `other`, with the note after `: `.
    pub reason: Option<String>,
    /// Of a reversal: the write-off it gives back.
    pub original: Option<String>,
}

impl From<&HistoryEntry> for HistoryJson {
    fn from(e: &HistoryEntry) -> Self {
        let about = e.about.as_ref();
        HistoryJson {
            at: e.at.to_string(),
            amount: money(e.amount),
            currency: e.currency.code(),
            transaction_id: e.transaction_id.clone(),
            id: about.and_then(|a| a.operation).map(|o| o.to_string()),
            kind: about.and_then(|a| a.kind).map(|k| k.code()),
            receipt: about.and_then(|a| a.receipt.as_ref()).map(Into::into),
            reason: about.and_then(|a| a.why.as_ref()).map(reason),
            original: about.and_then(|a| a.original).map(|o| o.to_string()),
        }
    }
}

/// A write-off's receipt: its number and its total, money as everywhere.
#[derive(Serialize)]
pub struct ReceiptJson {
    pub number: String,
    pub total: String,
}

impl From<&Receipt> for ReceiptJson {
    fn from(r: &Receipt) -> Self {
        ReceiptJson {
            number: r.number.clone(),
            total: money(r.total),
        }
    }
}

/// A reason as one string: its code, and its note after `: `.
fn reason(w: &Why) -> String {
    match &w.note {
        Some(note) => format!("{}: {note}", w.code.code()),
        None => w.code.code().to_string(),
    }
}

#[derive(Serialize)]
pub struct GroupJson {
    pub id: i64,
    pub name: String,
    /// `bonus` or `discount`.
    pub kind: &'static str,
    /// Percent of the order, as the vendor gives it: `"7.5"`.
    pub percent: String,
    pub birthday_bonus: String,
    pub clients: u64,
    /// `null`: the vendor did not say.
    pub use_ewallet: Option<bool>,
}

impl From<&Group> for GroupJson {
    fn from(g: &Group) -> Self {
        GroupJson {
            id: g.id,
            name: g.name.clone(),
            kind: match g.kind {
                GroupKind::Bonus => "bonus",
                GroupKind::Discount => "discount",
            },
            percent: g.percent.normalize().to_string(),
            birthday_bonus: money(g.birthday_bonus),
            clients: g.clients,
            use_ewallet: g.use_ewallet,
        }
    }
}

#[derive(Serialize)]
pub struct JournalJson {
    pub at: String,
    /// What `loyalty reverse` takes: the server's operation number once an answer gave
    /// it, else the key.
    pub id: String,
    /// `write_off` or `reversal`.
    pub kind: &'static str,
    /// The movement's idempotency key.
    pub key: String,
    pub profile: String,
    pub user: String,
    pub client: i64,
    pub points: Option<String>,
    pub rubles: Option<String>,
    pub coupons: Vec<i64>,
    /// The journal's word for the latest outcome (`applied`, `refused`, `unknown`, …);
    /// `null`: sent, and no outcome recorded.
    pub outcome: Option<&'static str>,
    pub detail: Option<String>,
    /// A write-off's receipt.
    pub receipt: Option<ReceiptJson>,
    /// Why, as the journal recorded it (a reversal's reason and note).
    pub reason: Option<String>,
    /// Of a reversal: the operation number it gives back.
    pub original: Option<String>,
    /// Sent with a manager's PIN.
    pub manager: bool,
    /// How a write-off that needed the client's code was allowed: `code` or `manager`;
    /// `null` where none was needed.
    pub confirmed: Option<&'static str>,
}

impl From<&JournalRow> for JournalJson {
    fn from(r: &JournalRow) -> Self {
        let (points, rubles, coupons) = r.attempt.movement.amounts();
        let receipt = r.attempt.movement.receipt();
        // A refund of holds names its write-off by the journal key it gives back.
        let (kind, original) = match &r.attempt.movement {
            Movement::WriteOff(_) => (OperationKind::WriteOff.code(), None),
            Movement::Reversal(v) => (OperationKind::Reversal.code(), Some(v.original.to_string())),
            Movement::Refund(f) => ("refund", Some(f.of_key.clone())),
        };
        JournalJson {
            at: r.at.to_string(),
            id: r
                .operation
                .map_or_else(|| r.attempt.key.clone(), |o| o.to_string()),
            kind,
            key: r.attempt.key.clone(),
            profile: r.profile.clone(),
            user: r.user.clone(),
            client: r.attempt.client.0,
            points: points.map(money),
            rubles: rubles.map(money),
            coupons: coupons.iter().map(|c| c.0).collect(),
            outcome: r.outcome.map(|o| o.as_str()),
            detail: r.detail.clone(),
            receipt: receipt.map(Into::into),
            reason: r.attempt.reason.clone(),
            original,
            manager: r.attempt.manager,
            confirmed: r.attempt.confirmed.map(|c| c.code()),
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
