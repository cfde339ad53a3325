//! The console's own record of write-offs: what was sent, under which key, and how it ended.

use super::{ClientId, WriteOff};
use jiff::Timestamp;

/// How a write-off ended, as far as the console knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Applied,
    Refused,
    /// No answer (timeout, broken connection): it may or may not have gone through.
    Unknown,
    /// Re-reading the balance showed it went through.
    AppliedAfterCheck,
    /// Re-reading the balance showed it did not.
    NotAppliedAfterCheck,
    /// Re-reading could not tell (the balance moved otherwise, or could not be read).
    UnclearAfterCheck,
    /// The journal could not be written, so the request was never sent.
    NotSent,
}

impl Outcome {
    pub const ALL: [Outcome; 7] = [
        Outcome::Applied,
        Outcome::Refused,
        Outcome::Unknown,
        Outcome::AppliedAfterCheck,
        Outcome::NotAppliedAfterCheck,
        Outcome::UnclearAfterCheck,
        Outcome::NotSent,
    ];

    /// The word the journal file uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Applied => "applied",
            Outcome::Refused => "refused",
            Outcome::Unknown => "unknown",
            Outcome::AppliedAfterCheck => "applied_after_check",
            Outcome::NotAppliedAfterCheck => "not_applied_after_check",
            Outcome::UnclearAfterCheck => "unclear_after_check",
            Outcome::NotSent => "not_sent",
        }
    }

    pub fn parse(text: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.as_str() == text)
    }
}

/// One write-off as the journal viewer shows it: the attempt and its latest outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalRow {
    pub at: Timestamp,
    pub key: String,
    pub profile: String,
    pub user: String,
    pub client: ClientId,
    pub request: WriteOff,
    /// `None`: sent, and no outcome was recorded (the console stopped meanwhile).
    pub outcome: Option<Outcome>,
    pub detail: Option<String>,
}

/// A step of a two-phase write-off, recorded with the vendor's transaction id so that every
/// hold can be found and settled later.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HoldStep {
    Held,
    WrittenOff,
    Cancelled,
}

impl HoldStep {
    pub fn as_str(self) -> &'static str {
        match self {
            HoldStep::Held => "held",
            HoldStep::WrittenOff => "written_off",
            HoldStep::Cancelled => "cancelled",
        }
    }
}
