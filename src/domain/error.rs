//! Failures of a backend call, as the console needs to tell them apart.

use std::fmt;

/// What kind of failure happened; decides how the console reacts (a timeout on a write-off
/// is "outcome unknown", not "failed").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// No answer in time: the request may or may not have been carried out.
    Timeout,
    /// The server could not be reached: nothing was sent, nothing happened.
    Unreachable,
    /// The connection broke after the request went out: it may have been carried out.
    Interrupted,
    /// The credentials were refused.
    Unauthorized,
    /// The request was refused for a business reason (4xx or an error envelope).
    Rejected,
    /// The server failed (5xx). Gateways answer 502/503/504 when the vendor is slow or its
    /// connection drops, and a vendor can fail after its commit: a 5xx never proves that a
    /// write was not carried out.
    Server,
    /// The answer could not be understood (an unreadable body, a redirect): whatever was
    /// asked may have been carried out.
    BadResponse,
    /// The same write is still being carried out (409 to a request under a key in flight).
    InProgress,
    /// The vendor's rate limit was hit: nothing happened, try again a little later.
    RateLimited,
    /// No provider is configured for this capability.
    NotConfigured,
    /// The user stopped waiting (Esc); only reads are ever cancelled.
    Cancelled,
}

/// Why a vendor refused, when its answer names a reason the console can say in its own
/// words (the vendor's text itself stays in `detail`, for the messages overlay and the log).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// Not enough on the balance.
    Insufficient,
    /// A coupon is not the client's, has expired, is redeemed or is held by another sale.
    CouponUnavailable,
    /// A hold of a two-phase write-off has lapsed or is gone.
    HoldGone,
    /// A shop limit of the point of sale; a manager's PIN may go past it.
    Limit(super::limits::LimitKind),
    /// The limit needs the receipt's total, and none was given.
    ReceiptRequired,
    /// The movement needs a manager's PIN (a reversal always does).
    ManagerRequired,
    /// The PIN is no manager's.
    PinWrong,
    /// The reversal asks back more than is left of the original.
    OverReversal,
    /// The operation is not a write-off, is not this client's, or is unknown.
    NotReversible,
    /// The write-off needs the client's confirmation code (or a manager's PIN), and none
    /// was given.
    CodeRequired,
    /// The code is not the one sent for this client, amount and till.
    CodeWrong,
    /// The code has expired, or none was sent: another must be sent.
    CodeExpired,
    /// The code was used already.
    CodeUsed,
    /// Too many wrong tries of this code: another must be sent.
    CodeAttempts,
    /// Too many codes sent to this phone lately.
    CodeSends,
    /// Another code may be sent only after a pause (the error's `retry_after`).
    CodeResendWait,
    /// The code could not be delivered (the SMS gateway failed or did not answer).
    CodeUndelivered,
    /// The client has no phone to send a code to.
    NoPhone,
}

/// A backend failure with the vendor's own words, already free of URLs and secrets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceError {
    pub kind: ErrorKind,
    /// The vendor's or the library's words: for the messages overlay and the log, never the
    /// sentence a cashier is told.
    pub detail: String,
    /// How long the vendor asked to wait before asking again (rate limits).
    pub retry_after: Option<std::time::Duration>,
    pub reason: Option<Reason>,
}

impl ServiceError {
    /// `detail` often carries the vendor's own words: it is cleaned for the terminal.
    pub fn new(kind: ErrorKind, detail: impl Into<String>) -> Self {
        ServiceError {
            kind,
            detail: super::text::clean(&detail.into()),
            retry_after: None,
            reason: None,
        }
    }

    pub fn with_reason(mut self, reason: Option<Reason>) -> Self {
        self.reason = reason;
        self
    }

    pub fn with_retry_after(mut self, wait: std::time::Duration) -> Self {
        self.retry_after = Some(wait);
        self
    }

    /// Whether a write may have taken effect even though no success was seen: anything but
    /// an answer that proves a refusal (a 4xx with the vendor's reason, a business error) or
    /// a request that never left. Such a write is judged by reading back, never resent.
    pub fn outcome_unknown(&self) -> bool {
        matches!(
            self.kind,
            ErrorKind::Timeout
                | ErrorKind::Interrupted
                | ErrorKind::Server
                | ErrorKind::BadResponse
                | ErrorKind::InProgress
        )
    }
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}: {}", self.kind, self.detail)
    }
}

impl std::error::Error for ServiceError {}
