//! Confirmation codes, as both stores mean them: a code is six random digits kept only as
//! a salted SHA-256, good for minutes, bound to one client, one write-off's amounts and
//! one till, spent by the write-off it allowed, and refused after a few wrong tries. Sends
//! are bounded per phone per hour and paused per client and till. What the stores say in
//! their own SQL: reading a client's recent codes, counting a wrong try, spending a code
//! in the write-off's own transaction (a conditional update, so a second use is refused).

use crate::domain::ClientId;
use crate::server::store::{Refusal, StoreError};
use sha2::{Digest, Sha256};

/// Wrong tries a code takes; at the last it is dead and another must be sent.
pub const ATTEMPTS_MAX: i64 = 3;
/// Codes sent to one phone within [`SENDS_WINDOW_MS`], at most.
pub const SENDS_MAX: i64 = 5;
pub const SENDS_WINDOW_MS: i64 = 3_600_000;
/// The pause between two sends for the same client from the same till.
pub const RESEND_MS: i64 = 30_000;
/// A client's recent codes a check looks through: the live one is the newest of its till,
/// and a spent one is recognised a while after.
pub const RECENT: i64 = 20;

/// Why a code was refused, or a send; `retry_after` in whole seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeRefusal {
    Required,
    Wrong,
    Expired,
    Used,
    Attempts,
    Sends { retry_after: i64 },
    ResendWait { retry_after: i64 },
    NoPhone,
}

impl CodeRefusal {
    /// The refusal's code on the wire (`wire::ext_operations::CODE_REFUSALS`).
    pub fn code(self) -> &'static str {
        match self {
            CodeRefusal::Required => "code_required",
            CodeRefusal::Wrong => "code_wrong",
            CodeRefusal::Expired => "code_expired",
            CodeRefusal::Used => "code_used",
            CodeRefusal::Attempts => "code_attempts",
            CodeRefusal::Sends { .. } => "code_sends",
            CodeRefusal::ResendWait { .. } => "code_resend_wait",
            CodeRefusal::NoPhone => "no_phone",
        }
    }

    /// What the cashier is told, in the answer's message.
    pub fn message(self) -> String {
        match self {
            CodeRefusal::Required => "this write-off needs the client's confirmation code \
                 (X-Confirmation-Code) or a manager's PIN; nothing was written off"
                .into(),
            CodeRefusal::Wrong => "the code is not the one sent for this client, amount and \
                 till; nothing was written off"
                .into(),
            CodeRefusal::Expired => {
                "no code is good now (none was sent, or it expired): send another".into()
            }
            CodeRefusal::Used => "this code was used already: send another".into(),
            CodeRefusal::Attempts => {
                format!("{ATTEMPTS_MAX} wrong tries: this code is dead, send another")
            }
            CodeRefusal::Sends { retry_after } => format!(
                "{SENDS_MAX} codes were sent to this phone within the hour: try again in \
                 {retry_after} s"
            ),
            CodeRefusal::ResendWait { retry_after } => {
                format!("a code was sent just now: another may be sent in {retry_after} s")
            }
            CodeRefusal::NoPhone => "the client has no phone to send a code to".into(),
        }
    }

    /// Seconds before a send may be tried again, for the `Retry-After` header.
    pub fn retry_after(self) -> Option<i64> {
        match self {
            CodeRefusal::Sends { retry_after } | CodeRefusal::ResendWait { retry_after } => {
                Some(retry_after)
            }
            _ => None,
        }
    }
}

impl From<CodeRefusal> for StoreError {
    fn from(r: CodeRefusal) -> Self {
        StoreError::Refused(Refusal::Code(r))
    }
}

/// A code to be recorded: whose, for what, from which till, as its salted hash.
#[derive(Debug, Clone)]
pub struct NewCode {
    pub client: ClientId,
    pub principal: String,
    pub points: i64,
    pub rubles: i64,
    pub salt: Vec<u8>,
    pub hash: Vec<u8>,
    pub created_ms: i64,
    pub expires_ms: i64,
}

/// Six random digits, and a fresh salt with the code's hash under it.
pub fn fresh() -> Result<(String, Vec<u8>, Vec<u8>), StoreError> {
    let mut bytes = [0u8; 24];
    getrandom::fill(&mut bytes).map_err(|e| StoreError::Worker(format!("randomness: {e}")))?;
    let number = u64::from_le_bytes(bytes[..8].try_into().unwrap_or_default()) % 1_000_000;
    let code = format!("{number:06}");
    let salt = bytes[8..].to_vec();
    let hash = hash(&salt, &code);
    Ok((code, salt, hash))
}

pub fn hash(salt: &[u8], code: &str) -> Vec<u8> {
    let mut h = Sha256::new();
    h.update(salt);
    h.update(code.as_bytes());
    h.finalize().to_vec()
}

/// A phone as the digits it is sent to and counted by; `None`: no phone at all.
pub fn phone_digits(phone: Option<&str>) -> Option<String> {
    let digits: String = phone?.chars().filter(char::is_ascii_digit).collect();
    // A Russian number however it was written: 8 916 …, 916 …, +7 916 … are one phone.
    let digits = match (digits.len(), digits.strip_prefix('8')) {
        (11, Some(national)) => format!("7{national}"),
        (10, _) => format!("7{digits}"),
        _ => digits,
    };
    (digits.len() >= 5).then_some(digits)
}

/// Whether another code may be sent: `sent_ms` are the phone's codes within the hour,
/// `last_own_ms` the newest delivered code of the same client and till.
pub fn may_send(sent_ms: &[i64], last_own_ms: Option<i64>, now_ms: i64) -> Result<(), StoreError> {
    let seconds = |ms: i64| (ms + 999).div_euclid(1000).max(1);
    if let Some(last) = last_own_ms
        && now_ms - last < RESEND_MS
    {
        let retry_after = seconds(RESEND_MS - (now_ms - last));
        return Err(CodeRefusal::ResendWait { retry_after }.into());
    }
    let recent: Vec<i64> = sent_ms
        .iter()
        .copied()
        .filter(|t| now_ms - t < SENDS_WINDOW_MS)
        .collect();
    if recent.len() as i64 >= SENDS_MAX {
        let oldest = recent.iter().copied().min().unwrap_or(now_ms);
        let retry_after = seconds(SENDS_WINDOW_MS - (now_ms - oldest));
        return Err(CodeRefusal::Sends { retry_after }.into());
    }
    Ok(())
}

/// One of a client's recent codes, as a check reads it.
#[derive(Debug, Clone)]
pub struct CodeRow {
    pub id: i64,
    pub principal: String,
    pub points: i64,
    pub rubles: i64,
    pub salt: Vec<u8>,
    pub hash: Vec<u8>,
    pub expires_ms: i64,
    pub attempts: i64,
    pub used: bool,
    pub void: bool,
}

impl CodeRow {
    fn live(&self, now_ms: i64) -> bool {
        !self.used && !self.void && self.expires_ms > now_ms && self.attempts < ATTEMPTS_MAX
    }
}

/// What a typed code is for one write-off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Typed<'a> {
    pub code: &'a str,
    pub principal: &'a str,
    pub points: i64,
    pub rubles: i64,
}

/// What a check came to: the code to spend with the write-off, or the refusal and the code
/// whose wrong tries it counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Spend(i64),
    /// The code was spent already, by this operation-to-be if it is a keyed retry: the
    /// key's stored answer decides.
    Spent(i64),
    Refuse(CodeRefusal, Option<i64>),
}

/// Checks `typed` against the client's recent codes (`rows`, newest first). A code that
/// matches is refused if spent, expired or void, or dead of wrong tries; one for another
/// till or other amounts is wrong, and its try counted. A code that matches none counts a
/// wrong try on the till's live code, if it has one (the last try says the code is dead);
/// without one there is nothing to try: another must be sent.
pub fn verdict(rows: &[CodeRow], typed: Typed<'_>, now_ms: i64) -> Verdict {
    let matched = rows
        .iter()
        .find(|r| constant_eq(&hash(&r.salt, typed.code), &r.hash));
    if let Some(row) = matched {
        return if row.used {
            Verdict::Spent(row.id)
        } else if row.void || row.expires_ms <= now_ms {
            Verdict::Refuse(CodeRefusal::Expired, None)
        } else if row.attempts >= ATTEMPTS_MAX {
            Verdict::Refuse(CodeRefusal::Attempts, None)
        } else if row.principal != typed.principal
            || row.points != typed.points
            || row.rubles != typed.rubles
        {
            Verdict::Refuse(wrong_try(row), Some(row.id))
        } else {
            Verdict::Spend(row.id)
        };
    }
    let own = rows
        .iter()
        .find(|r| r.principal == typed.principal && !r.void);
    match own {
        Some(row) if row.live(now_ms) => Verdict::Refuse(wrong_try(row), Some(row.id)),
        Some(row) if !row.used && row.expires_ms > now_ms => {
            Verdict::Refuse(CodeRefusal::Attempts, None)
        }
        _ => Verdict::Refuse(CodeRefusal::Expired, None),
    }
}

/// A wrong try of `row`: the last one it takes says it is dead.
fn wrong_try(row: &CodeRow) -> CodeRefusal {
    if row.attempts + 1 >= ATTEMPTS_MAX {
        CodeRefusal::Attempts
    } else {
        CodeRefusal::Wrong
    }
}

fn constant_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// How the write-off that needs a code is allowed: by the code checked before it (spent in
/// its transaction), or by a manager's PIN (`Made::manager`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirm {
    Code(i64),
    Manager,
}

impl Confirm {
    pub fn code(self) -> &'static str {
        match self {
            Confirm::Code(_) => "code",
            Confirm::Manager => "manager",
        }
    }
}

/// A phone as the log and the answer show it: `+7 *** ***-45-67`.
pub fn mask_phone(digits: &str) -> String {
    let tail: Vec<char> = digits.chars().rev().take(4).collect();
    let tail: String = tail.into_iter().rev().collect();
    let (a, b) = tail.split_at(tail.len().min(2));
    format!("+7 *** ***-{a}-{b}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, code: &str, principal: &str, attempts: i64) -> CodeRow {
        let salt = vec![id as u8; 16];
        CodeRow {
            id,
            principal: principal.into(),
            points: 100,
            rubles: 0,
            hash: hash(&salt, code),
            salt,
            expires_ms: 1000,
            attempts,
            used: false,
            void: false,
        }
    }

    fn typed<'a>(code: &'a str, principal: &'a str, points: i64) -> Typed<'a> {
        Typed {
            code,
            principal,
            points,
            rubles: 0,
        }
    }

    #[test]
    fn a_code_is_spent_only_by_its_till_for_its_amount_before_it_expires() {
        let rows = [row(1, "123456", "till", 0)];
        assert_eq!(
            verdict(&rows, typed("123456", "till", 100), 999),
            Verdict::Spend(1)
        );
        assert_eq!(
            verdict(&rows, typed("123456", "till", 100), 1000),
            Verdict::Refuse(CodeRefusal::Expired, None)
        );
        assert_eq!(
            verdict(&rows, typed("123456", "till", 101), 0),
            Verdict::Refuse(CodeRefusal::Wrong, Some(1))
        );
        assert_eq!(
            verdict(&rows, typed("123456", "till-2", 100), 0),
            Verdict::Refuse(CodeRefusal::Wrong, Some(1))
        );
        assert_eq!(
            verdict(&rows, typed("654321", "till", 100), 0),
            Verdict::Refuse(CodeRefusal::Wrong, Some(1))
        );
        let mut used = rows[0].clone();
        used.used = true;
        assert_eq!(
            verdict(&[used], typed("123456", "till", 100), 0),
            Verdict::Spent(1)
        );
        assert_eq!(
            verdict(&[], typed("123456", "till", 100), 0),
            Verdict::Refuse(CodeRefusal::Expired, None)
        );
    }

    #[test]
    fn the_third_wrong_try_kills_the_code_even_for_the_right_one_after() {
        let second = [row(1, "123456", "till", 1)];
        assert_eq!(
            verdict(&second, typed("000000", "till", 100), 0),
            Verdict::Refuse(CodeRefusal::Wrong, Some(1))
        );
        let third = [row(1, "123456", "till", 2)];
        assert_eq!(
            verdict(&third, typed("000000", "till", 100), 0),
            Verdict::Refuse(CodeRefusal::Attempts, Some(1))
        );
        let dead = [row(1, "123456", "till", 3)];
        for code in ["123456", "000000"] {
            assert_eq!(
                verdict(&dead, typed(code, "till", 100), 0),
                Verdict::Refuse(CodeRefusal::Attempts, None)
            );
        }
    }

    #[test]
    fn sends_pause_thirty_seconds_and_stop_at_five_an_hour() {
        let now = 10 * SENDS_WINDOW_MS;
        assert!(may_send(&[], None, now).is_ok());
        let wait = may_send(&[], Some(now - 10_000), now).unwrap_err();
        assert!(matches!(
            wait,
            StoreError::Refused(Refusal::Code(CodeRefusal::ResendWait { retry_after: 20 }))
        ));
        assert!(may_send(&[], Some(now - RESEND_MS), now).is_ok());
        let four: Vec<i64> = (1..=4).map(|m| now - m * 60_000).collect();
        assert!(may_send(&four, None, now).is_ok());
        let five: Vec<i64> = (1..=5).map(|m| now - m * 60_000).collect();
        assert!(matches!(
            may_send(&five, None, now).unwrap_err(),
            StoreError::Refused(Refusal::Code(CodeRefusal::Sends { retry_after: 3300 }))
        ));
    }

    #[test]
    fn codes_are_six_digits_and_phones_show_their_last_four() {
        let (code, salt, digest) = fresh().unwrap();
        assert_eq!(code.len(), 6);
        assert!(code.bytes().all(|b| b.is_ascii_digit()));
        assert_eq!(hash(&salt, &code), digest);
        assert_eq!(mask_phone("79161234567"), "+7 *** ***-45-67");
        assert_eq!(
            phone_digits(Some("+7 (916) 123-45-67")).unwrap(),
            "79161234567"
        );
        assert_eq!(
            phone_digits(Some("8 (916) 123 45 67")).unwrap(),
            "79161234567"
        );
        assert_eq!(phone_digits(Some("")), None);
        assert_eq!(phone_digits(None), None);
    }
}
