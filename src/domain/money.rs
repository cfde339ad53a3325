//! Exact decimal amounts with two fraction digits, held as integer hundredths.
//!
//! Points and roubles both come with up to two decimals (`1234.56`). Holding them as `i64`
//! hundredths keeps every sum exact and keeps `f64` out of anything that touches money.

use std::fmt;

/// An amount of points or roubles in hundredths (kopecks for roubles). May be negative in a
/// history entry (a write-off); balances and write-off requests are never negative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Amount(i64);

/// Why a decimal string is not an [`Amount`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error("not a number")]
    NotANumber,
    #[error("more than two decimals")]
    TooManyDecimals,
    #[error("number too large")]
    TooLarge,
}

/// The largest magnitude accepted anywhere: a trillion units is far beyond any loyalty balance
/// and leaves headroom so that sums of many amounts cannot overflow `i64`.
const MAX_MINOR: i64 = 100_000_000_000_000;

impl Amount {
    pub const ZERO: Amount = Amount(0);

    pub const fn from_minor(minor: i64) -> Self {
        Amount(minor)
    }

    pub const fn minor(self) -> i64 {
        self.0
    }

    pub fn is_positive(self) -> bool {
        self.0 > 0
    }

    pub fn abs(self) -> Self {
        Amount(self.0.abs())
    }

    pub fn checked_add(self, other: Amount) -> Option<Amount> {
        self.0.checked_add(other.0).map(Amount)
    }

    /// Parses a plain decimal as it arrives on the wire: `1234.56`, `-10`, `0.5`.
    /// Exponents and more than two decimals are refused rather than rounded.
    pub fn parse_decimal(text: &str) -> Result<Self, AmountError> {
        Self::parse_with_separator(text, '.')
    }

    /// Parses what a cashier types and what the console prints: `.` or `,` as the decimal
    /// separator, thousands grouped by spaces (also non-breaking ones) or by the other
    /// separator (`1 234,5`, `2,798.00`), and an optional `₽`. Signs are not accepted, and
    /// more than two decimals are refused rather than read: `1,000` may mean a thousand.
    pub fn parse_user(text: &str) -> Result<Self, AmountError> {
        let text = text.trim();
        let text = text
            .strip_suffix('₽')
            .or_else(|| text.strip_prefix('₽'))
            .unwrap_or(text);
        let mut cleaned: String = text
            .chars()
            .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
            .collect();
        if cleaned.starts_with(['-', '+']) {
            return Err(AmountError::NotANumber);
        }
        // With both separators the last one is the decimal point and the other groups
        // thousands; one separator used more than once can only be grouping.
        let last_comma = cleaned.rfind(',');
        let last_dot = cleaned.rfind('.');
        let grouping = match (last_comma, last_dot) {
            (Some(c), Some(d)) => Some(if c < d { ',' } else { '.' }),
            (Some(_), None) if cleaned.matches(',').count() > 1 => Some(','),
            (None, Some(_)) if cleaned.matches('.').count() > 1 => Some('.'),
            _ => None,
        };
        if let Some(g) = grouping {
            cleaned.retain(|c| c != g);
        }
        let cleaned = cleaned.replace(',', ".");
        if cleaned
            .split_once('.')
            .is_some_and(|(_, frac)| frac.len() > 2 && frac.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(AmountError::TooManyDecimals);
        }
        Self::parse_with_separator(&cleaned, '.')
    }

    fn parse_with_separator(text: &str, sep: char) -> Result<Self, AmountError> {
        let (negative, body) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (int_part, frac_part) = match body.split_once(sep) {
            Some((i, f)) => (i, f),
            None => (body, ""),
        };
        let digits_only = |s: &str| s.chars().all(|c| c.is_ascii_digit());
        if int_part.is_empty() && frac_part.is_empty()
            || !digits_only(int_part)
            || !digits_only(frac_part)
            || (body.contains(sep) && frac_part.is_empty())
        {
            return Err(AmountError::NotANumber);
        }
        let frac_trimmed = frac_part.trim_end_matches('0');
        if frac_trimmed.len() > 2 {
            return Err(AmountError::TooManyDecimals);
        }
        let int_trimmed = int_part.trim_start_matches('0');
        if int_trimmed.len() > 15 {
            return Err(AmountError::TooLarge);
        }
        let units: i64 = if int_trimmed.is_empty() {
            0
        } else {
            int_trimmed.parse().map_err(|_| AmountError::TooLarge)?
        };
        let mut cents: i64 = 0;
        for (i, c) in frac_trimmed.chars().enumerate() {
            let d = i64::from(c.to_digit(10).unwrap_or(0));
            cents += if i == 0 { d * 10 } else { d };
        }
        let minor = units
            .checked_mul(100)
            .and_then(|m| m.checked_add(cents))
            .filter(|m| *m <= MAX_MINOR)
            .ok_or(AmountError::TooLarge)?;
        Ok(Amount(if negative { -minor } else { minor }))
    }
}

/// The plain wire form: `1234.56`, `-10.5`, `0` (no thousands separators, `.` decimals).
impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let (units, cents) = (abs / 100, abs % 100);
        match cents {
            0 => write!(f, "{sign}{units}"),
            c if c % 10 == 0 => write!(f, "{sign}{units}.{}", c / 10),
            c => write!(f, "{sign}{units}.{c:02}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_wire_decimals_exactly() {
        assert_eq!(Amount::parse_decimal("1234.56"), Ok(Amount(123456)));
        assert_eq!(Amount::parse_decimal("4321.06"), Ok(Amount(432106)));
        assert_eq!(Amount::parse_decimal("0.1"), Ok(Amount(10)));
        assert_eq!(Amount::parse_decimal("-10"), Ok(Amount(-1000)));
        assert_eq!(Amount::parse_decimal("1.500"), Ok(Amount(150)));
        assert_eq!(
            Amount::parse_decimal("1.234"),
            Err(AmountError::TooManyDecimals)
        );
        assert_eq!(Amount::parse_decimal("1e3"), Err(AmountError::NotANumber));
        assert_eq!(Amount::parse_decimal(""), Err(AmountError::NotANumber));
        assert_eq!(Amount::parse_decimal("."), Err(AmountError::NotANumber));
        assert_eq!(Amount::parse_decimal("5."), Err(AmountError::NotANumber));
        assert_eq!(Amount::parse_decimal("NaN"), Err(AmountError::NotANumber));
        assert_eq!(
            Amount::parse_decimal("99999999999999999999"),
            Err(AmountError::TooLarge)
        );
    }

    #[test]
    fn parses_what_cashiers_type() {
        assert_eq!(Amount::parse_user("12,5"), Ok(Amount(1250)));
        assert_eq!(Amount::parse_user(" 1 234,56 "), Ok(Amount(123456)));
        assert_eq!(Amount::parse_user("-5"), Err(AmountError::NotANumber));
        assert_eq!(Amount::parse_user("abc"), Err(AmountError::NotANumber));
    }

    #[test]
    fn user_amounts_read_as_the_console_prints_them() {
        for text in [
            "1 000,50",
            "1000.5",
            "1 000,50 ₽",
            "1\u{a0}000,50",
            "1\u{202f}000,50₽",
            "1,000.50",
            "₽ 1000,50",
        ] {
            assert_eq!(Amount::parse_user(text), Ok(Amount(100050)), "{text:?}");
        }
        assert_eq!(Amount::parse_user("1,000,000"), Ok(Amount(100_000_000)));
        assert_eq!(
            Amount::parse_user("1,000"),
            Err(AmountError::TooManyDecimals),
            "a thousand or one? refused, not guessed"
        );
        assert_eq!(Amount::parse_user("12 руб"), Err(AmountError::NotANumber));
        assert_eq!(
            Amount::parse_user("1.2.3,4,5"),
            Err(AmountError::NotANumber)
        );
    }

    #[test]
    fn displays_the_wire_form() {
        assert_eq!(Amount(123456).to_string(), "1234.56");
        assert_eq!(Amount(150).to_string(), "1.5");
        assert_eq!(Amount(-1000).to_string(), "-10");
        assert_eq!(Amount(5).to_string(), "0.05");
        for text in ["0.01", "1234.56", "-77.7", "100"] {
            assert_eq!(Amount::parse_decimal(text).unwrap().to_string(), text);
        }
    }
}
