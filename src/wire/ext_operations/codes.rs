//! Confirmation codes on `loyalty serve`: `POST clients/{id}/confirmation_code/` has a code
//! sent to the client's phone for a write-off's amounts (the body is the write-off's own
//! `balance` and `coupons`); the write-off then carries the code in [`CODE_HEADER`], like a
//! manager's PIN never in a body, a query or a log line.

use crate::domain::ClientId;
use crate::domain::codes::CodeSent;
use crate::domain::text::clean;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// The header a write-off's confirmation code travels in.
pub const CODE_HEADER: &str = "X-Confirmation-Code";

/// The refusal codes of codes, each read as its `Reason` by `wire::ext::refusal_reason`:
/// `code_required`, `code_wrong`, `code_expired`, `code_used`, `code_attempts` (403 to a
/// write-off), `code_sends` and `code_resend_wait` (429 with `Retry-After` to a send),
/// `code_undelivered` (502 to a send: the gateway failed, no code is valid), `no_phone`
/// (403 to a send).
pub const CODE_REFUSALS: [&str; 9] = [
    "code_required",
    "code_wrong",
    "code_expired",
    "code_used",
    "code_attempts",
    "code_sends",
    "code_resend_wait",
    "code_undelivered",
    "no_phone",
];

pub fn code_path(client: ClientId) -> String {
    format!("/clients/{}/confirmation_code/", client.0)
}

/// The answer to a send: the masked phone it went to, until when it is good, and the
/// seconds before another may be sent.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CodeSentDto {
    pub sent_to: Option<String>,
    pub expires_at: Option<String>,
    pub resend_after: Option<u32>,
}

impl From<CodeSentDto> for CodeSent {
    fn from(d: CodeSentDto) -> Self {
        CodeSent {
            to: d.sent_to.as_deref().map(clean),
            expires_at: d.expires_at.and_then(|t| t.parse::<Timestamp>().ok()),
            resend_after_seconds: d.resend_after,
        }
    }
}

impl From<&CodeSent> for CodeSentDto {
    fn from(s: &CodeSent) -> Self {
        CodeSentDto {
            sent_to: s.to.clone(),
            expires_at: s.expires_at.map(|t| t.to_string()),
            resend_after: s.resend_after_seconds,
        }
    }
}
