//! What may be written off under the shop's limits, and the limit that bounds it.

use super::amounts_to_wire;
use crate::domain::limits::{Available, LimitKind};
use crate::domain::{ClientId, Currency};
use crate::wire::ext::{
    AmountDto, WireError, amount_from_wire, amount_to_wire, currency_from_wire,
};
use serde::{Deserialize, Serialize};

pub fn available_path(client: ClientId) -> String {
    format!("/clients/{}/balance/available/", client.0)
}

/// `GET clients/{id}/balance/available/?receiptTotal=N`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AvailableDto {
    pub balance: Vec<AmountDto>,
    /// The limit that bounds it below the balance (`LimitKind::code`), if one does.
    #[serde(default)]
    pub limited_by: Option<String>,
    /// What points and roubles may come to together under that limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub together: Option<serde_json::Number>,
}

impl TryFrom<AvailableDto> for Available {
    type Error = WireError;
    fn try_from(d: AvailableDto) -> Result<Self, WireError> {
        let mut out = Available::default();
        for item in &d.balance {
            let amount = amount_from_wire(&item.amount)?;
            match currency_from_wire(&item.currency)? {
                Currency::Points => out.points = amount,
                Currency::Rubles => out.rubles = amount,
            }
        }
        out.limited_by = d.limited_by.as_deref().and_then(LimitKind::from_code);
        out.together = d.together.as_ref().map(amount_from_wire).transpose()?;
        Ok(out)
    }
}

impl From<&Available> for AvailableDto {
    fn from(a: &Available) -> Self {
        AvailableDto {
            balance: amounts_to_wire(&[(Currency::Points, a.points), (Currency::Rubles, a.rubles)]),
            limited_by: a.limited_by.map(|k| k.code().to_string()),
            together: a.together.map(amount_to_wire),
        }
    }
}
