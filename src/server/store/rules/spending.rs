//! What every spending means on either store: who made a movement and when, the
//! idempotency key it may come under, what may be spent, and whether a coupon may be.
//! PostgreSQL's schema says the same in its own functions (`spendable`, `coupon_refusal`
//! in `assets/postgres/002_write_off.sql`); the store contract tests hold them alike.

use crate::domain::limits::Limits;
use crate::domain::{Amount, ClientId, CouponId, Currency, OperationId};
use crate::server::store::{Refusal, StoreError};
use jiff::Timestamp;

/// When a ledger movement is made, by which seed-001 login (`None`: a bearer-token caller),
/// and under which rules of its point of sale.
#[derive(Debug, Clone, Default)]
pub struct Made {
    pub at: Timestamp,
    /// The seed-001 `login` the caller gave, if any.
    pub by: Option<String>,
    /// The user whose key made it (`serve user add`), `token` for the shared key.
    pub principal: Option<String>,
    /// The manager whose PIN allowed it: a write-off so allowed goes past the limits.
    pub manager: Option<String>,
    /// The limits of the caller's point of sale (`rules::limits`); none for holds.
    pub limits: Limits,
    /// How a write-off its point of sale's code policy asked a code for was allowed.
    pub confirm: Option<super::codes::Confirm>,
}

/// What a write-off or a reversal made: its operation and its ledger rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub operation: OperationId,
    pub ledger: Vec<i64>,
}

/// How long an idempotency key is remembered: at least the 24 hours callers are promised.
pub const KEY_RETENTION_MS: i64 = 48 * 3_600_000;

/// A write-off request's idempotency key, scoped to the caller's credential.
pub struct Idempotency {
    pub scope: String,
    pub key: String,
    /// A hash of the client id and the request body: the same key must come with the same
    /// request.
    pub fingerprint: String,
}

impl Idempotency {
    /// What this key comes to where it was used before: the stored answer if the request
    /// is the same, a mismatch if not.
    pub(crate) fn known(&self, fingerprint: String, status: u16, body: String) -> Keyed {
        if fingerprint == self.fingerprint {
            Keyed::Replay { status, body }
        } else {
            Keyed::Mismatch
        }
    }
}

/// What a keyed write-off came to.
#[derive(Debug)]
pub enum Keyed {
    /// Carried out now (or refused now); its answer is stored under the key.
    Fresh(Result<Written, StoreError>),
    /// The key was used before for the same request: its stored answer.
    Replay { status: u16, body: String },
    /// The key was used before for a different request.
    Mismatch,
}

/// The status and body a keyed write-off's or reversal's replay repeats, from its outcome:
/// a success's names the operation it made (not its ledger rows: they are the store's, not
/// the caller's), so a store may put it under the key in the statement that makes them.
pub type Answer = fn(Result<OperationId, &StoreError>) -> (u16, String);

/// A success's answer as a `format()` template whose one `%s` is the operation's number,
/// for a store that draws the number inside the statement that stores the answer.
pub fn success_template(answer: Answer) -> (u16, String) {
    // A number no operation has, so it is found only where the answer put it.
    const MARK: i64 = i64::MAX;
    let (status, body) = answer(Ok(OperationId(MARK)));
    let template = body.replace('%', "%%").replace(&MARK.to_string(), "%s");
    (status, template)
}

/// Refuses spending `requested` of `currency` where only `available` is there: the
/// balance less what open holds reserve.
pub(crate) fn may_spend(
    currency: Currency,
    available: i64,
    requested: Amount,
) -> Result<(), StoreError> {
    if requested.minor() > available {
        return Err(StoreError::Refused(Refusal::Insufficient {
            currency: currency.code(),
            available: Amount::from_minor(available),
            requested,
        }));
    }
    Ok(())
}

/// A coupon's `(owner, expire_ms, redeemed_ms)`, if it exists.
pub(crate) type CouponRow = (i64, Option<i64>, Option<i64>);

/// Whether `client` may spend the coupon whose row this is, holds aside. PostgreSQL's
/// schema gives the same verdict (`coupon_refusal`); the store contract tests hold them alike.
pub(crate) fn coupon_verdict(
    client: ClientId,
    coupon: CouponId,
    row: Option<CouponRow>,
    now_ms: i64,
) -> Result<(), StoreError> {
    let refused = |r| Err(StoreError::Refused(r));
    match row {
        None => refused(Refusal::CouponNotFound(coupon.0)),
        Some((owner, _, _)) if owner != client.0 => refused(Refusal::CouponNotFound(coupon.0)),
        Some((_, _, Some(_))) => refused(Refusal::CouponRedeemed(coupon.0)),
        Some((_, Some(exp), None)) if exp < now_ms => refused(Refusal::CouponExpired(coupon.0)),
        Some(_) => Ok(()),
    }
}
