//! The console's own record of money movements: what was sent, under which key, and how it
//! ended. A write-off is the first kind of movement; a reversal, a hold or a refund would be
//! another variant of [`Movement`], recorded and shown the same way.

use super::reversal::{Refund, Why};
use super::{Amount, ClientId, CouponId, Receipt, Reversal, WriteOff};
use jiff::Timestamp;

/// What a movement asks the vendor to do, with its amounts. Every place that records or
/// shows a movement matches on this, so a new kind is found by the compiler everywhere it
/// needs words or columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Movement {
    /// Points, roubles and coupons taken from a client's balance.
    WriteOff(WriteOff),
    /// All or part of an earlier write-off given back.
    Reversal(Reversal),
    /// A write-off made through holds given back whole by refunding them.
    Refund(Refund),
}

impl Movement {
    /// The points, roubles and coupons it moves (a refund: what its write-off took).
    pub fn amounts(&self) -> (Option<Amount>, Option<Amount>, &[CouponId]) {
        match self {
            Movement::WriteOff(w) => (w.points, w.rubles, &w.coupons),
            Movement::Reversal(r) => (r.points, r.rubles, &r.coupons),
            Movement::Refund(f) => (f.taken.points, f.taken.rubles, &f.taken.coupons),
        }
    }

    /// The receipt a write-off named (a refund: its write-off's).
    pub fn receipt(&self) -> Option<&Receipt> {
        match self {
            Movement::WriteOff(w) => w.receipt.as_ref(),
            Movement::Reversal(_) => None,
            Movement::Refund(f) => f.taken.receipt.as_ref(),
        }
    }

    /// Why money was given back, or why a manager let a write-off past a limit.
    pub fn why(&self) -> Option<&Why> {
        match self {
            Movement::WriteOff(w) => w.why.as_ref(),
            Movement::Reversal(r) => Some(&r.why),
            Movement::Refund(f) => Some(&f.why),
        }
    }

    /// Whether it gives money back to the client.
    pub fn gives_back(&self) -> bool {
        !matches!(self, Movement::WriteOff(_))
    }
}

/// One movement as the journal records it before it is sent: the key that makes a retry
/// harmless, the client, what moves, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    pub key: String,
    pub client: ClientId,
    pub movement: Movement,
    /// Why it was asked for, in the person's words. No form asks for one yet (a write-off
    /// needs none), so today's entries carry `None`; a reversal will.
    pub reason: Option<String>,
    /// Sent with a manager's PIN (the PIN itself is never journalled).
    pub manager: bool,
    /// How a write-off that needed the client's code was allowed: by the code, or by a
    /// manager's PIN in its place. Never the code itself.
    pub confirmed: Option<super::codes::Confirmed>,
}

impl Attempt {
    /// A write-off of `request` for `client` under `key`; its reason, when a manager let it
    /// past a limit, is the journal's too.
    pub fn write_off(key: String, client: ClientId, request: WriteOff) -> Self {
        Attempt {
            key,
            client,
            reason: request.why.as_ref().map(said),
            movement: Movement::WriteOff(request),
            manager: false,
            confirmed: None,
        }
    }

    /// A reversal under `key`; its reason is the journal's too, and it always goes with a
    /// manager's PIN.
    pub fn reversal(key: String, request: Reversal) -> Self {
        Attempt {
            key,
            client: request.client,
            reason: Some(said(&request.why)),
            movement: Movement::Reversal(request),
            manager: true,
            confirmed: None,
        }
    }

    /// A refund of a write-off's holds under `key`; the live vendor that takes it knows no
    /// manager's PIN.
    pub fn refund(key: String, request: Refund) -> Self {
        Attempt {
            key,
            client: request.client,
            reason: Some(said(&request.why)),
            movement: Movement::Refund(request),
            manager: false,
            confirmed: None,
        }
    }
}

/// A reason as the journal's text says it: its code, and its note after a colon.
fn said(why: &Why) -> String {
    match &why.note {
        Some(note) => format!("{}: {note}", why.code.code()),
        None => why.code.code().to_string(),
    }
}

/// How a movement ended, as far as the console knows.
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

/// One movement as the journal viewer shows it: the attempt, who made it, and its latest
/// outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalRow {
    pub at: Timestamp,
    pub profile: String,
    pub user: String,
    pub attempt: Attempt,
    /// `None`: sent, and no outcome was recorded (the console stopped meanwhile).
    pub outcome: Option<Outcome>,
    pub detail: Option<String>,
    /// The server's number for the movement, once an answer gave it.
    pub operation: Option<super::OperationId>,
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
