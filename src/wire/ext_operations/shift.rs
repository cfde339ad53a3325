//! The shift report: per cashier, what was written off and given back, and how often.

use super::{amounts_from_wire, amounts_to_wire};
use crate::domain::shift::{ReportSource, ShiftReport, ShiftRow};
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
                })
            })
            .collect::<Result<_, WireError>>()?;
        Ok(ShiftReport {
            since: timestamp_from_wire(d.since)?,
            source: ReportSource::Server,
            rows,
            unknown: 0,
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
                })
                .collect(),
        }
    }
}

fn balances_to_pairs(b: &Balances) -> Vec<AmountDto> {
    amounts_to_wire(&[(Currency::Points, b.points), (Currency::Rubles, b.rubles)])
}
