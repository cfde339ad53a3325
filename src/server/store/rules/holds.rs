//! Two-phase write-offs (`fiscal_hub/cash_back/hold/…`, from the vendor's document on fiscal
//! operations): a hold reserves an amount and coupons so no other till can spend them; it
//! lapses after [`HOLD_TTL_MS`]; writing it off moves the money once (a repeat is a no-op);
//! cancelling releases it; a refund gives back what a written-off hold took. A hold belongs
//! to the principal whose key made it: only that principal, or an admin, may take its next
//! step, since transaction ids are no secret (they are in the server's log and the tills'
//! journals).
//!
//! Each hold also has an integer `id`, given in order (1, 2, …) and never reused: it is the
//! hold answer's `id`, and what the document's `refund/` `{"orderItems": [...]}` names (its
//! "identifiers from the database"); the answer's `balanceId` is [`balance_id`].

use super::spending::{Made, may_spend};
use crate::domain::{Amount, ClientId, Currency};
use crate::server::store::{Refusal, StoreError};

/// How long a hold reserves before it lapses by itself.
pub const HOLD_TTL_MS: i64 = 15 * 60_000;

/// The `balanceId` of a hold answer: the client's balance in `currency`, which this server
/// keys by client and currency, as one stable integer: the client id followed by one digit,
/// 1 for points and 2 for rubles (client 1234567's points are balance 12345671). `None` for
/// a client id too large to carry a digit more.
pub fn balance_id(client: ClientId, currency: Currency) -> Option<i64> {
    let digit = match currency {
        Currency::Points => 1,
        Currency::Rubles => 2,
    };
    client.0.checked_mul(10)?.checked_add(digit)
}

/// Whose holds a caller may step: its own (a till), or any (an admin).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    Own,
    Any,
}

/// A hold's row as its steps need it, on either store.
#[derive(Debug)]
pub(crate) struct Found {
    pub client: i64,
    pub currency: String,
    pub amount: i64,
    pub state: String,
    pub expires_ms: i64,
    pub principal: Option<String>,
}

/// Refuses a step on a hold another principal made unless `reach` is any hold's. Asked
/// before the hold's state, so a till learns nothing more of another's transaction.
pub(crate) fn may_step(
    transaction_id: &str,
    found: &Found,
    made: &Made,
    reach: Reach,
) -> Result<(), StoreError> {
    let own = found.principal.is_some() && found.principal == made.principal;
    if reach == Reach::Any || own {
        return Ok(());
    }
    Err(StoreError::Refused(Refusal::HoldOfAnother(
        transaction_id.to_string(),
    )))
}

/// A hold as its answer describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hold {
    /// The hold's integer id (see the module's comment).
    pub id: i64,
    pub transaction_id: String,
    pub client: ClientId,
    pub currency: Currency,
    pub amount: Amount,
    pub created_ms: i64,
    pub expires_ms: i64,
    /// The receipt's number the hold was asked for (`orderId`), if one was given.
    pub order_id: Option<String>,
}

/// Refuses a hold of `amount` of `currency` where only `available` is there to spend, as a
/// write-off is refused (see `spending::may_spend`); the refusal never says less than
/// nothing is available.
pub(crate) fn may_hold(
    currency: Currency,
    available: i64,
    amount: Amount,
) -> Result<(), StoreError> {
    if amount.minor() > available {
        return may_spend(currency, available.max(0), amount);
    }
    Ok(())
}

/// The refusal for a step the hold's state does not allow.
fn not_held(transaction_id: &str, state: &str) -> StoreError {
    let state = match state {
        "held" => "still held, not written off",
        "written_off" => "already written off",
        "cancelled" => "cancelled",
        _ => "refunded",
    };
    StoreError::Refused(Refusal::HoldState(transaction_id.to_string(), state))
}

/// Whether a hold in `state` is to be spent now: `false` if it already was (a repeat is
/// harmless), a refusal if it lapsed or went another way. Every store asks this.
pub(crate) fn may_write_off(
    transaction_id: &str,
    state: &str,
    expires_ms: i64,
    now_ms: i64,
) -> Result<bool, StoreError> {
    match state {
        "written_off" => Ok(false),
        "held" if expires_ms <= now_ms => Err(StoreError::Refused(Refusal::HoldExpired(
            transaction_id.to_string(),
        ))),
        "held" => Ok(true),
        other => Err(not_held(transaction_id, other)),
    }
}

/// Whether a hold in `state` is to be cancelled now (`false`: it already was).
pub(crate) fn may_cancel(transaction_id: &str, state: &str) -> Result<bool, StoreError> {
    match state {
        "cancelled" => Ok(false),
        "held" => Ok(true),
        other => Err(not_held(transaction_id, other)),
    }
}

/// Whether a hold in `state` is to be refunded now (`false`: it already was).
pub(crate) fn may_refund(transaction_id: &str, state: &str) -> Result<bool, StoreError> {
    match state {
        "refunded" => Ok(false),
        "written_off" => Ok(true),
        other => Err(not_held(transaction_id, other)),
    }
}

/// How a refusal names an order item no hold has.
pub(crate) fn order_item(id: i64) -> String {
    format!("for order item {id}")
}
