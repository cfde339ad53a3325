//! The limits of each point of sale (`domain::limits`): defaults from `serve --limit-*`,
//! and a point of sale's own from the `--limits` file, whose `[pos."NAME"]` section
//! replaces the defaults for the till whose `serve user` is NAME (the shared token's
//! principal is `token`). A section's keys are those of `LimitKind::code`, and
//! `code_policy` (`always`, `never`, `above:AMOUNT`): when the till's write-offs need the
//! client's confirmation code, over `serve --code-policy`. A section with only a
//! `code_policy` keeps the default limits.

use crate::domain::Amount;
use crate::domain::codes::CodePolicy;
use crate::domain::limits::Limits;
use serde::Deserialize;
use std::collections::HashMap;

/// The limits of every point of sale.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PosLimits {
    pub defaults: Limits,
    pub own: HashMap<String, Limits>,
    /// `serve --code-policy`: for every till without its own.
    pub code_default: CodePolicy,
    pub own_code: HashMap<String, CodePolicy>,
}

impl PosLimits {
    /// The limits of the point of sale `principal` names.
    pub fn of(&self, principal: &str) -> Limits {
        self.own.get(principal).copied().unwrap_or(self.defaults)
    }

    /// When the write-offs of the point of sale `principal` names need a code.
    pub fn code_policy(&self, principal: &str) -> CodePolicy {
        self.own_code
            .get(principal)
            .copied()
            .unwrap_or(self.code_default)
    }

    /// Reads a `--limits` file's text over `defaults`.
    pub fn from_toml(defaults: Limits, text: &str) -> Result<PosLimits, String> {
        let file: File = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut own = HashMap::new();
        let mut own_code = HashMap::new();
        for (name, mut section) in file.pos {
            let at = |e: String| format!("[pos.{name:?}]: {e}");
            if let Some(policy) = section.code_policy.take() {
                own_code.insert(name.clone(), CodePolicy::parse(&policy).map_err(at)?);
                if section.is_empty() {
                    continue;
                }
            }
            let limits = section.limits().map_err(at)?;
            own.insert(name, limits);
        }
        Ok(PosLimits {
            defaults,
            own,
            own_code,
            ..PosLimits::default()
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    pos: HashMap<String, Section>,
}

/// Amounts in roubles as TOML writes them: `500` or `"500.50"`.
#[derive(Deserialize)]
#[serde(untagged)]
enum Money {
    Whole(i64),
    Text(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Section {
    receipt_share: Option<u8>,
    operation: Option<Money>,
    client_day: Option<u32>,
    cashier_shift: Option<Money>,
    code_policy: Option<String>,
}

impl Section {
    fn is_empty(&self) -> bool {
        self.receipt_share.is_none()
            && self.operation.is_none()
            && self.client_day.is_none()
            && self.cashier_shift.is_none()
    }

    fn limits(self) -> Result<Limits, String> {
        Ok(Limits {
            receipt_share: self.receipt_share.map(share).transpose()?,
            operation: self.operation.map(money).transpose()?,
            client_day: self.client_day,
            cashier_shift: self.cashier_shift.map(money).transpose()?,
        })
    }
}

/// A share of the receipt: a whole percent from 1 to 100.
fn share(percent: u8) -> Result<u8, String> {
    if (1..=100).contains(&percent) {
        Ok(percent)
    } else {
        Err(format!(
            "receipt_share is a percent from 1 to 100, got {percent}"
        ))
    }
}

fn money(m: Money) -> Result<Amount, String> {
    let amount = match m {
        Money::Whole(n) => n
            .checked_mul(100)
            .map(Amount::from_minor)
            .ok_or_else(|| format!("{n} is too large"))?,
        Money::Text(t) => Amount::parse_decimal(&t).map_err(|e| format!("{t:?}: {e}"))?,
    };
    if amount.is_positive() {
        Ok(amount)
    } else {
        Err(format!("a limit must be above zero, got {amount}"))
    }
}

/// A `--limit-operation` or `--limit-cashier-shift` amount in roubles.
pub fn parse_amount(text: &str) -> Result<Amount, String> {
    money(Money::Text(text.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_section_replaces_the_defaults_for_its_till_only() {
        let defaults = Limits {
            operation: Some(Amount::from_minor(50_000)),
            ..Limits::default()
        };
        let pos = PosLimits::from_toml(
            defaults,
            "[pos.\"till-2\"]\nreceipt_share = 30\ncashier_shift = \"1000.50\"\n",
        )
        .unwrap();
        assert_eq!(pos.of("till-1"), defaults);
        let own = pos.of("till-2");
        assert_eq!(
            own.operation, None,
            "a section replaces, not adds to, the defaults"
        );
        assert_eq!(own.receipt_share, Some(30));
        assert_eq!(own.cashier_shift, Some(Amount::from_minor(100_050)));
        assert!(PosLimits::from_toml(defaults, "[pos.a]\nreceipt_share = 0\n").is_err());
        assert!(PosLimits::from_toml(defaults, "[pos.a]\nshare = 5\n").is_err());
    }

    #[test]
    fn a_tills_code_policy_wins_over_the_flag_and_alone_keeps_the_default_limits() {
        let defaults = Limits {
            operation: Some(Amount::from_minor(50_000)),
            ..Limits::default()
        };
        let mut pos = PosLimits::from_toml(
            defaults,
            "[pos.\"till-2\"]\ncode_policy = \"above:500\"\n[pos.a]\ncode_policy = \"never\"\nclient_day = 2\n",
        )
        .unwrap();
        pos.code_default = CodePolicy::Always;
        assert_eq!(pos.code_policy("till-1"), CodePolicy::Always);
        assert_eq!(
            pos.code_policy("till-2"),
            CodePolicy::Above(Amount::from_minor(50_000))
        );
        assert_eq!(
            pos.of("till-2"),
            defaults,
            "only a policy: the default limits"
        );
        assert_eq!(pos.code_policy("a"), CodePolicy::Never);
        assert_eq!(pos.of("a").client_day, Some(2));
        assert!(PosLimits::from_toml(defaults, "[pos.a]\ncode_policy = \"sometimes\"\n").is_err());
    }
}
