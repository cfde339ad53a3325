//! Confirmation codes: the proof that the client is there before their points are spent.
//! A one-time code goes to the client's phone, the cashier types what the client reads out,
//! and only then is the write-off sent; a manager's PIN may stand in for it, and says so.

use super::Amount;
use jiff::Timestamp;
use std::fmt;

/// When a write-off needs a code: on every one, above an amount (points and roubles
/// together, coupons counting nothing), or never.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CodePolicy {
    Always,
    #[default]
    Never,
    /// Strictly above this amount: a write-off of exactly it needs none.
    Above(Amount),
}

impl CodePolicy {
    /// Whether a write-off of `total` (points and roubles together) needs a code.
    pub fn requires(self, total: Amount) -> bool {
        match self {
            CodePolicy::Always => true,
            CodePolicy::Never => false,
            CodePolicy::Above(limit) => total.minor() > limit.minor(),
        }
    }

    /// `always`, `never` or `above:AMOUNT` (an amount of at most two decimals, not below
    /// zero), as `serve --code-policy`, the limits file and profiles spell it.
    pub fn parse(text: &str) -> Result<CodePolicy, String> {
        match text.trim() {
            "always" => Ok(CodePolicy::Always),
            "never" => Ok(CodePolicy::Never),
            other => {
                let Some(amount) = other.strip_prefix("above:") else {
                    return Err(format!(
                        "{other:?} is not a code policy: say always, never or above:AMOUNT"
                    ));
                };
                let amount = Amount::parse_decimal(amount.trim())
                    .map_err(|e| format!("above:{amount}: {e}"))?;
                if amount.minor() < 0 {
                    return Err(format!("above:{amount}: the amount cannot be below zero"));
                }
                Ok(CodePolicy::Above(amount))
            }
        }
    }

    /// Its spelling, which [`parse`](CodePolicy::parse) reads back.
    pub fn code(self) -> String {
        match self {
            CodePolicy::Always => "always".into(),
            CodePolicy::Never => "never".into(),
            CodePolicy::Above(amount) => format!("above:{amount}"),
        }
    }
}

/// Shortest and longest code taken: vendors send 4 to 8 digits.
pub const CODE_MIN: usize = 4;
pub const CODE_MAX: usize = 8;

/// A code as the cashier typed it: sent once, never printed, logged or journalled.
#[derive(Clone, PartialEq, Eq)]
pub struct ConfirmationCode(String);

impl ConfirmationCode {
    /// [`CODE_MIN`] to [`CODE_MAX`] digits, spaces around ignored; `None` for anything else.
    pub fn new(text: &str) -> Option<ConfirmationCode> {
        let text = text.trim();
        let ok =
            (CODE_MIN..=CODE_MAX).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit());
        ok.then(|| ConfirmationCode(text.to_string()))
    }

    /// The digits, for the one place that sends or checks them.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ConfirmationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ConfirmationCode(***)")
    }
}

/// A code sent: where to (a masked phone, as the sender says it), until when it is good,
/// and how long before another may be sent. Each is `None` where the vendor does not say.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CodeSent {
    pub to: Option<String>,
    pub expires_at: Option<Timestamp>,
    pub resend_after_seconds: Option<u32>,
}

/// What checking a typed code came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeCheck {
    /// The vendor checked it (Mloyalty's `GetConfirmCode`): the write-off goes without it.
    Confirmed,
    /// The server checks it with the write-off itself (`loyalty serve`): it goes in the
    /// write-off's [`code`](super::WriteOff::code).
    Carried,
}

/// How a write-off that needed a code was allowed: by the client's code, or by a manager's
/// PIN in its place (the manager's name is the operation's [`Who::manager`](super::reversal::Who)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirmed {
    Code,
    Manager,
}

impl Confirmed {
    /// Its spelling in stores, on the wire and in journals.
    pub fn code(self) -> &'static str {
        match self {
            Confirmed::Code => "code",
            Confirmed::Manager => "manager",
        }
    }

    pub fn from_code(code: &str) -> Option<Confirmed> {
        match code {
            "code" => Some(Confirmed::Code),
            "manager" => Some(Confirmed::Manager),
            _ => None,
        }
    }
}

/// Where the console gets codes from, per profile: the write-off's own provider (where it
/// has codes, as `loyalty serve` does) or Mloyalty's code API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CodeVia {
    #[default]
    Provider,
    Mloyalty,
}

/// What a profile does when its policy wants a code and nothing there can check one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CodeFallback {
    /// The write-off is not sent.
    #[default]
    Refuse,
    /// A manager's PIN stands in for the code, and the bypass is journalled.
    Manager,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn amount(text: &str) -> Amount {
        Amount::parse_decimal(text).unwrap()
    }

    #[test]
    fn a_policy_above_an_amount_asks_only_strictly_above_it() {
        let p = CodePolicy::parse("above:500").unwrap();
        assert!(!p.requires(amount("499.99")));
        assert!(!p.requires(amount("500")));
        assert!(p.requires(amount("500.01")));
        assert!(CodePolicy::Always.requires(amount("0")));
        assert!(!CodePolicy::Never.requires(amount("1000000")));
    }

    #[test]
    fn policies_read_back_and_nonsense_is_refused() {
        for p in [
            CodePolicy::Always,
            CodePolicy::Never,
            CodePolicy::Above(amount("0")),
            CodePolicy::Above(amount("250.5")),
        ] {
            assert_eq!(CodePolicy::parse(&p.code()), Ok(p));
        }
        for wrong in [
            "",
            "sometimes",
            "above:",
            "above:-1",
            "above:1.234",
            "above:x",
        ] {
            assert!(CodePolicy::parse(wrong).is_err(), "{wrong:?}");
        }
    }

    #[test]
    fn a_code_is_digits_and_never_printed() {
        assert!(ConfirmationCode::new("123").is_none());
        assert!(ConfirmationCode::new("123456789").is_none());
        assert!(ConfirmationCode::new("12a4").is_none());
        let code = ConfirmationCode::new(" 123456 ").unwrap();
        assert_eq!(code.expose(), "123456");
        assert_eq!(format!("{code:?}"), "ConfirmationCode(***)");
        for c in [Confirmed::Code, Confirmed::Manager] {
            assert_eq!(Confirmed::from_code(c.code()), Some(c));
        }
    }
}
