//! `loyalty shift report`: per cashier and currency, what was written off and given back
//! since the shift began (Итоги смены), from the server's ledger when the provider keeps
//! one, from this till's journal otherwise; the report says which, and how many of this
//! till's movements are still in doubt.

use super::{Context, Exit, Failure, json, table};
use crate::domain::days;
use crate::domain::shift::{ReportSource, ShiftReport, ShiftRow};
use crate::domain::{Amount, Currency};
use crate::i18n::{describe, fill, format_amount, format_datetime};
use crate::ops::export::{Table, write_csv};
use crate::ops::journal::Journal;
use clap::Subcommand;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;

#[derive(Subcommand, Debug)]
pub enum ShiftCommand {
    /// What each cashier wrote off and gave back since the shift began.
    Report {
        /// Since the start of this day (31.12.2026 or 2026-12-31, local time); default:
        /// the start of today.
        #[arg(long, value_name = "DATE", value_parser = days::date_argument)]
        since: Option<Date>,
        #[arg(long, conflicts_with = "csv")]
        json: bool,
        #[arg(long)]
        csv: bool,
    },
}

pub async fn run(
    cx: &mut Context<'_>,
    command: ShiftCommand,
    journal: &Journal,
) -> Result<(), Failure> {
    let ShiftCommand::Report { since, json, csv } = command;
    let day = since.unwrap_or_else(|| Timestamp::now().to_zoned(cx.tz.clone()).date());
    let since = days::first_instant(day, &cx.tz)
        .ok_or_else(|| Failure::new(Exit::Usage, format!("{day}: no such day here")))?;
    let report = crate::ops::shift::report(cx.services, journal, since)
        .await
        .map_err(Failure::of_read(cx.locale))?;
    if json {
        return cx.print(&json::render(&ReportJson::from(&report)));
    }
    if csv {
        let mut out = Vec::new();
        write_csv(&mut out, &csv_table(&report))
            .map_err(|e| Failure::new(Exit::Failed, format!("CSV: {e}")))?;
        return cx.print(&String::from_utf8_lossy(&out));
    }
    let text = human(cx, &report);
    cx.print(&text)
}

/// A table per cashier (a row per currency: written off, given back), its counts under
/// it, then where the figures come from and what is still in doubt.
fn human(cx: &Context<'_>, report: &ShiftReport) -> String {
    let (locale, t) = (cx.locale, cx.locale.text());
    let mut text = String::new();
    if report.rows.is_empty() {
        text.push_str(t.cli.shift_empty);
        text.push('\n');
    }
    for row in &report.rows {
        text.push_str(&format!("{}\n", cashier(row)));
        let lines: Vec<Vec<String>> = [Currency::Points, Currency::Rubles]
            .into_iter()
            .map(|c| {
                vec![
                    describe::currency(t, c).to_string(),
                    format_amount(locale, pick(&row.written_off, c)),
                    format_amount(locale, pick(&row.reversed, c)),
                ]
            })
            .collect();
        let header = ["", t.cli.col_written_off, t.cli.col_reversed];
        text.push_str(&table::render(&header, &lines, &[1, 2]));
        let counts = [
            row.write_offs,
            row.reversals,
            row.coupons,
            row.coupons_back,
            row.overrides,
        ]
        .into_iter()
        .fold(t.cli.shift_counts.to_string(), |s, n| fill(&s, n));
        text.push_str(&format!("{counts}\n\n"));
    }
    let since = format_datetime(locale, report.since, &cx.tz);
    let source = match report.source {
        ReportSource::Server => t.cli.shift_source_server,
        ReportSource::Journal => t.cli.shift_source_journal,
    };
    text.push_str(&format!(
        "{} {}\n",
        fill(source, since),
        fill(t.cli.shift_in_doubt, report.unknown)
    ));
    text
}

/// A cashier as the ledger names them: the login, and the till's principal after it.
fn cashier(row: &ShiftRow) -> String {
    match (row.login.as_deref(), row.principal.as_deref()) {
        (Some(login), Some(principal)) if login != principal => format!("{login} ({principal})"),
        (Some(name), _) | (None, Some(name)) => name.to_string(),
        (None, None) => "—".to_string(),
    }
}

fn pick(b: &crate::domain::Balances, c: Currency) -> Amount {
    match c {
        Currency::Points => b.points,
        Currency::Rubles => b.rubles,
    }
}

/// `--json`: the report's figures, its source and its count of movements in doubt;
/// documented in `docs/cli.md`.
#[derive(Serialize)]
struct ReportJson {
    since: String,
    /// `server` (every till, the ledger) or `journal` (this till's own movements).
    source: &'static str,
    /// This till's movements since `since` whose outcome is still unknown.
    in_doubt: u32,
    rows: Vec<RowJson>,
}

#[derive(Serialize)]
struct RowJson {
    principal: Option<String>,
    login: Option<String>,
    written_off: json::BalancesJson,
    reversed: json::BalancesJson,
    write_offs: u32,
    reversals: u32,
    coupons: u32,
    coupons_back: u32,
    overrides: u32,
}

fn source(s: ReportSource) -> &'static str {
    match s {
        ReportSource::Server => "server",
        ReportSource::Journal => "journal",
    }
}

impl From<&ShiftReport> for ReportJson {
    fn from(r: &ShiftReport) -> Self {
        ReportJson {
            since: r.since.to_string(),
            source: source(r.source),
            in_doubt: r.unknown,
            rows: r
                .rows
                .iter()
                .map(|row| RowJson {
                    principal: row.principal.clone(),
                    login: row.login.clone(),
                    written_off: row.written_off.into(),
                    reversed: row.reversed.into(),
                    write_offs: row.write_offs,
                    reversals: row.reversals,
                    coupons: row.coupons,
                    coupons_back: row.coupons_back,
                    overrides: row.overrides,
                })
                .collect(),
        }
    }
}

/// `--csv`: a line per cashier; the source and the count in doubt on every line, and one
/// line with no cashier when nothing went through, so neither is ever lost.
fn csv_table(r: &ShiftReport) -> Table {
    let header = vec![
        "since",
        "source",
        "in_doubt",
        "principal",
        "login",
        "points_written_off",
        "rubles_written_off",
        "points_reversed",
        "rubles_reversed",
        "write_offs",
        "reversals",
        "coupons",
        "coupons_back",
        "overrides",
    ];
    let empty = ShiftRow::default();
    let rows: Vec<&ShiftRow> = if r.rows.is_empty() {
        vec![&empty]
    } else {
        r.rows.iter().collect()
    };
    let rows = rows
        .into_iter()
        .map(|row| {
            vec![
                r.since.to_string(),
                source(r.source).to_string(),
                r.unknown.to_string(),
                row.principal.clone().unwrap_or_default(),
                row.login.clone().unwrap_or_default(),
                json::money(row.written_off.points),
                json::money(row.written_off.rubles),
                json::money(row.reversed.points),
                json::money(row.reversed.rubles),
                row.write_offs.to_string(),
                row.reversals.to_string(),
                row.coupons.to_string(),
                row.coupons_back.to_string(),
                row.overrides.to_string(),
            ]
        })
        .collect();
    Table {
        name: "shift-report",
        header,
        rows,
    }
}
