//! `loyalty export registrations|card-operations --csv`: the admin tables' exports, every
//! row of the filter, as CSV on standard output (the columns the console's exports write).

use super::{Context, Exit, Failure};
use crate::domain::admin::{
    CardOperationQuery, OperationKind, RegistrationQuery, SortColumn, SortDirection,
};
use crate::domain::days;
use crate::domain::export::Export;
use crate::ops::export;
use clap::{Subcommand, ValueEnum};
use jiff::civil::Date;

/// Rows asked for per request; the export reads every page.
const PAGE: u32 = 500;

#[derive(Subcommand, Debug)]
pub enum ExportCommand {
    /// Clients registered in a period, per point of sale (Mloyalty).
    Registrations {
        /// From this day (31.12.2026 or 2026-12-31, in the provider's zone), inclusive.
        #[arg(long, value_name = "DATE", value_parser = days::date_argument)]
        from: Date,
        /// Up to this day, inclusive.
        #[arg(long, value_name = "DATE", value_parser = days::date_argument)]
        to: Date,
        /// Only this point of sale.
        #[arg(long, value_name = "ID")]
        pos: Option<i64>,
        /// CSV with a header line: the only form, as in the console.
        #[arg(long, required = true)]
        csv: bool,
    },
    /// A retail card's bonus operations under one promotion (REGOS), newest first.
    CardOperations {
        /// The card's id.
        #[arg(long, value_name = "ID", value_parser = clap::value_parser!(i64).range(1..))]
        card: i64,
        /// The promotion's id.
        #[arg(long, value_name = "ID", value_parser = clap::value_parser!(i64).range(1..))]
        promo: i64,
        /// Only accruals or only write-offs.
        #[arg(long = "type", value_enum, value_name = "TYPE")]
        kind: Option<Kind>,
        /// From this day (31.12.2026 or 2026-12-31, local time), inclusive.
        #[arg(long, value_name = "DATE", value_parser = days::date_argument)]
        from: Option<Date>,
        /// Up to this day, inclusive.
        #[arg(long, value_name = "DATE", value_parser = days::date_argument)]
        to: Option<Date>,
        /// CSV with a header line: the only form, as in the console.
        #[arg(long, required = true)]
        csv: bool,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum Kind {
    Income,
    Outcome,
}

/// `zone`: where the registrations' days begin and end (the vendor's zone).
pub async fn run(
    cx: &mut Context<'_>,
    command: ExportCommand,
    zone: jiff::tz::TimeZone,
) -> Result<(), Failure> {
    let export = match command {
        ExportCommand::Registrations { from, to, pos, .. } => {
            if from > to {
                return Err(Failure::new(Exit::Usage, "--from is after --to"));
            }
            if cx.services.registrations.is_none() {
                return Err(missing("mloyalty"));
            }
            Export::Registrations {
                query: RegistrationQuery { from, to, pos },
                zone,
            }
        }
        ExportCommand::CardOperations {
            card,
            promo,
            kind,
            from,
            to,
            ..
        } => {
            let (from, to) = super::period(&cx.tz, from, to)?;
            if cx.services.card_operations.is_none() {
                return Err(missing("regos"));
            }
            Export::CardOperations(CardOperationQuery {
                card_id: card,
                promo_id: promo,
                kind: kind.map(|k| match k {
                    Kind::Income => OperationKind::Income,
                    Kind::Outcome => OperationKind::Outcome,
                }),
                from,
                to,
                sort: SortColumn::Date,
                direction: SortDirection::Desc,
                offset: 0,
                limit: PAGE,
            })
        }
    };
    let table = export::table(cx.services, export)
        .await
        .map_err(Failure::of_read(cx.locale))?;
    let mut csv = Vec::new();
    export::write_csv(&mut csv, &table)
        .map_err(|e| Failure::new(Exit::Failed, format!("CSV: {e}")))?;
    cx.print(&String::from_utf8_lossy(&csv))?;
    tracing::info!(rows = table.rows.len(), "exported {}", table.name);
    Ok(())
}

fn missing(section: &str) -> Failure {
    Failure::new(
        Exit::Usage,
        format!(
            "no provider for this export: the profile has no [profiles.NAME.{section}] section"
        ),
    )
}
