//! `GET clients/{id}/balance/outlook/` on `loyalty serve`: the nearest expiry per currency
//! with what expires then, and what is not yet spendable with its nearest activation.

use crate::domain::ClientId;
use crate::domain::lots::{Dated, Outlook};
use crate::wire::ext::{
    WireError, amount_from_wire, amount_to_wire, currency_from_wire, currency_to_wire,
};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::Number;

pub fn outlook_path(client: ClientId) -> String {
    format!("/clients/{}/balance/outlook/", client.0)
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DatedDto {
    pub currency: String,
    pub amount: Number,
    /// RFC 3339.
    pub at: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct OutlookDto {
    pub expiring: Vec<DatedDto>,
    pub pending: Vec<DatedDto>,
}

fn dated_from_wire(d: &DatedDto) -> Result<Dated, WireError> {
    Ok(Dated {
        currency: currency_from_wire(&d.currency)?,
        amount: amount_from_wire(&d.amount)?,
        at: d
            .at
            .parse::<Timestamp>()
            .map_err(|e| WireError::Date(d.at.clone(), e.to_string()))?,
    })
}

fn dated_to_wire(d: &Dated) -> DatedDto {
    DatedDto {
        currency: currency_to_wire(d.currency).to_string(),
        amount: amount_to_wire(d.amount),
        at: d.at.to_string(),
    }
}

impl TryFrom<OutlookDto> for Outlook {
    type Error = WireError;
    fn try_from(d: OutlookDto) -> Result<Self, WireError> {
        Ok(Outlook {
            expiring: d
                .expiring
                .iter()
                .map(dated_from_wire)
                .collect::<Result<_, _>>()?,
            pending: d
                .pending
                .iter()
                .map(dated_from_wire)
                .collect::<Result<_, _>>()?,
        })
    }
}

impl From<&Outlook> for OutlookDto {
    fn from(o: &Outlook) -> Self {
        OutlookDto {
            expiring: o.expiring.iter().map(dated_to_wire).collect(),
            pending: o.pending.iter().map(dated_to_wire).collect(),
        }
    }
}
