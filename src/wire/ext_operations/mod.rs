//! Our own extension of the `/ext/api/v1/` family, documented as such in `docs/vendors.md`:
//! what a provider can do, what may be written off under the shop's limits, operations and
//! their reversals, and the shift report. The live seed-001 vendor has none of these routes;
//! a 404 on `capabilities/` is how the console learns it.

mod available;
mod codes;
mod operations;
mod outlook;
mod shift;

pub use available::{AvailableDto, available_path};
pub use codes::{CODE_HEADER, CODE_REFUSALS, CodeSentDto, code_path};
pub use operations::{
    OperationDto, ReversalDto, operation_path, reversal_from_wire, reversal_path, why_from_wire,
};
pub use outlook::{DatedDto, OutlookDto, outlook_path};
pub use shift::{SHIFT_REPORT_PATH, ShiftReportDto, ShiftRowDto};

use super::ext::WireError;
use super::ext::{
    AmountDto, amount_from_wire, amount_to_wire, currency_from_wire, currency_to_wire,
};
use crate::domain::limits::Capabilities;
use crate::domain::text::clean;
use crate::domain::{Amount, Currency, Receipt};
use serde::{Deserialize, Serialize};
use serde_json::Number;

pub const CAPABILITIES_PATH: &str = "/capabilities/";
/// The header a manager's PIN travels in: never in a body, a query or a log line.
pub const MANAGER_PIN_HEADER: &str = "X-Manager-Pin";

/// `GET capabilities/`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CapabilitiesDto {
    pub reversal: bool,
    pub receipt: bool,
    pub limits: bool,
    pub shift_report: bool,
    /// The till's code policy (`CodePolicy::code`), where the server has codes.
    pub codes: Option<String>,
    pub outlook: bool,
}

impl From<CapabilitiesDto> for Capabilities {
    fn from(d: CapabilitiesDto) -> Self {
        Capabilities {
            reversal: d.reversal,
            receipt: d.receipt,
            limits: d.limits,
            shift_report: d.shift_report,
            codes: d
                .codes
                .as_deref()
                .and_then(|c| crate::domain::codes::CodePolicy::parse(c).ok()),
            outlook: d.outlook,
        }
    }
}

impl From<Capabilities> for CapabilitiesDto {
    fn from(c: Capabilities) -> Self {
        CapabilitiesDto {
            reversal: c.reversal,
            receipt: c.receipt,
            limits: c.limits,
            shift_report: c.shift_report,
            codes: c.codes.map(|p| p.code()),
            outlook: c.outlook,
        }
    }
}

/// A write-off's receipt on the wire: its number and its total in roubles.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReceiptDto {
    pub number: String,
    pub total: Number,
}

impl From<&Receipt> for ReceiptDto {
    fn from(r: &Receipt) -> Self {
        ReceiptDto {
            number: r.number.clone(),
            total: amount_to_wire(r.total),
        }
    }
}

impl TryFrom<&ReceiptDto> for Receipt {
    type Error = WireError;
    fn try_from(d: &ReceiptDto) -> Result<Self, WireError> {
        Ok(Receipt {
            number: clean(&d.number),
            total: amount_from_wire(&d.total)?,
        })
    }
}

/// The answer to a write-off or a reversal on `loyalty serve`: the operation it made. The
/// live vendor answers a bare 200, read as no number.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MadeDto {
    pub operation_id: i64,
}

fn amounts_to_wire(parts: &[(Currency, Amount)]) -> Vec<AmountDto> {
    parts
        .iter()
        .map(|(c, a)| AmountDto {
            amount: amount_to_wire(*a),
            currency: currency_to_wire(*c).to_string(),
        })
        .collect()
}

/// Points and roubles from a list naming each at most once; a missing one is zero.
fn amounts_from_wire(list: &[AmountDto]) -> Result<(Amount, Amount), WireError> {
    let (mut points, mut rubles) = (Amount::ZERO, Amount::ZERO);
    for item in list {
        let amount = amount_from_wire(&item.amount)?;
        match currency_from_wire(&item.currency)? {
            Currency::Points => points = amount,
            Currency::Rubles => rubles = amount,
        }
    }
    Ok((points, rubles))
}
