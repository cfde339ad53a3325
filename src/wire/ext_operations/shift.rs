//! The shift report: per cashier, what was written off and given back, and how often.

use super::{amounts_from_wire, amounts_to_wire};
use crate::domain::OperationId;
use crate::domain::shift::{Bypass, ReportSource, ShiftReport, ShiftRow};
use crate::domain::text::clean_opt;
use crate::domain::{Balances, Currency};
use crate::wire::ext::{AmountDto, WireError, timestamp_from_wire};
use serde::{Deserialize, Serialize};

pub const SHIFT_REPORT_PATH: &str = "/reports/shift/";

/// `GET reports/shift/?since=MS`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShiftReportDto {
    pub since: i64,
    pub rows: Vec<ShiftRowDto>,
    /// Write-offs a manager's PIN let go without the client's code.
    #[serde(default)]
    pub bypasses: Vec<BypassDto>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BypassDto {
    #[serde(default)]
    pub operation_id: Option<i64>,
    pub at: i64,
    #[serde(default)]
    pub principal: Option<String>,
    #[serde(default)]
    pub login: Option<String>,
    #[serde(default)]
    pub manager: Option<String>,
    pub balance: Vec<AmountDto>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShiftRowDto {
    #[serde(default)]
    pub principal: Option<String>,
    #[serde(default)]
    pub login: Option<String>,
    pub written_off: Vec<AmountDto>,
    pub reversed: Vec<AmountDto>,
    pub write_offs: u32,
    pub reversals: u32,
    pub coupons: u32,
    pub coupons_back: u32,
    pub overrides: u32,
    #[serde(default)]
    pub bypasses: u32,
}

impl TryFrom<ShiftReportDto> for ShiftReport {
    type Error = WireError;
    fn try_from(d: ShiftReportDto) -> Result<Self, WireError> {
        let rows = d
            .rows
            .into_iter()
            .map(|r| {
                let (points, rubles) = amounts_from_wire(&r.written_off)?;
                let (back_points, back_rubles) = amounts_from_wire(&r.reversed)?;
                Ok(ShiftRow {
                    principal: clean_opt(r.principal),
                    login: clean_opt(r.login),
                    written_off: Balances { points, rubles },
                    reversed: Balances {
                        points: back_points,
                        rubles: back_rubles,
                    },
                    write_offs: r.write_offs,
                    reversals: r.reversals,
                    coupons: r.coupons,
                    coupons_back: r.coupons_back,
                    overrides: r.overrides,
                    bypasses: r.bypasses,
                })
            })
            .collect::<Result<_, WireError>>()?;
        let bypasses = d
            .bypasses
            .into_iter()
            .map(|b| {
                let (points, rubles) = amounts_from_wire(&b.balance)?;
                Ok(Bypass {
                    operation: b.operation_id.map(OperationId),
                    at: timestamp_from_wire(b.at)?,
                    principal: clean_opt(b.principal),
                    login: clean_opt(b.login),
                    manager: clean_opt(b.manager),
                    points,
                    rubles,
                })
            })
            .collect::<Result<_, WireError>>()?;
        Ok(ShiftReport {
            since: timestamp_from_wire(d.since)?,
            source: ReportSource::Server,
            rows,
            unknown: 0,
            bypasses,
        })
    }
}

impl From<&ShiftReport> for ShiftReportDto {
    fn from(r: &ShiftReport) -> Self {
        ShiftReportDto {
            since: r.since.as_millisecond(),
            rows: r
                .rows
                .iter()
                .map(|r| ShiftRowDto {
                    principal: r.principal.clone(),
                    login: r.login.clone(),
                    written_off: balances_to_pairs(&r.written_off),
                    reversed: balances_to_pairs(&r.reversed),
                    write_offs: r.write_offs,
                    reversals: r.reversals,
                    coupons: r.coupons,
                    coupons_back: r.coupons_back,
                    overrides: r.overrides,
                    bypasses: r.bypasses,
                })
                .collect(),
            bypasses: r
                .bypasses
                .iter()
                .map(|b| BypassDto {
                    operation_id: b.operation.map(|o| o.0),
                    at: b.at.as_millisecond(),
                    principal: b.principal.clone(),
                    login: b.login.clone(),
                    manager: b.manager.clone(),
                    balance: amounts_to_wire(&[
                        (Currency::Points, b.points),
                        (Currency::Rubles, b.rubles),
                    ]),
                })
                .collect(),
        }
    }
}

fn balances_to_pairs(b: &Balances) -> Vec<AmountDto> {
    amounts_to_wire(&[(Currency::Points, b.points), (Currency::Rubles, b.rubles)])
}
