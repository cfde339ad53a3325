//! `loyalty export registrations|card-operations|history --csv`: the console's exports,
//! every row of the filter, as CSV on standard output (the columns the console's exports
//! write), each page written as it arrives, with a progress line on standard error.

use super::{Context, Exit, Failure};
use crate::domain::admin::{
    CardOperationQuery, OperationKind, RegistrationQuery, SortColumn, SortDirection,
};
use crate::domain::days;
use crate::domain::export::Export;
use crate::domain::{ClientId, ErrorKind, ServiceError};
use crate::ops::export;
use clap::{Subcommand, ValueEnum};
use jiff::civil::Date;
use std::io::{IsTerminal, Write};

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
    /// A client's whole balance history, newest first (the console's `x` on F2): unlike
    /// `client history --csv`, without a limit.
    History {
        /// The client's id.
        #[arg(long, value_name = "ID")]
        client: i64,
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

/// Without a terminal on standard error, a progress line every this many rows.
const PROGRESS_EVERY: usize = 100_000;

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
        ExportCommand::History {
            client, from, to, ..
        } => {
            let (from, to) = super::period(&cx.tz, from, to)?;
            if cx.services.clients.is_none() {
                return Err(missing("ext"));
            }
            Export::History {
                client: ClientId(client),
                from,
                to,
            }
        }
    };
    let (name, header) = export::head(&export);
    let mut progress = Progress::new(std::io::stderr().is_terminal());
    let mut csv = export::Csv::new(&mut *cx.out, &header).map_err(csv_failure)?;
    // Each page goes out as it arrives: a million rows are never held at once. What broke
    // the output (a closed pipe) stops the export, told apart from the provider's failure.
    let mut broken = None;
    let rows = export::pages(cx.services, export, |page| {
        csv.rows(&page).map_err(|e| {
            broken = Some(e);
            ServiceError::new(ErrorKind::Rejected, "standard output")
        })?;
        progress.rows(cx.locale, page.len());
        Ok(())
    })
    .await;
    progress.end(cx.locale);
    if let Some(e) = broken {
        return Err(csv_failure(e));
    }
    let rows = rows.map_err(Failure::of_read(cx.locale))?;
    csv.finish().map_err(csv_failure)?;
    tracing::info!(rows, "exported {name}");
    Ok(())
}

fn csv_failure(e: csv::Error) -> Failure {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => Exit::of_output(&e),
        other => Failure::new(Exit::Failed, format!("CSV: {other:?}")),
    }
}

/// The progress line on standard error: rows so far, overwritten in place on a terminal,
/// a line every [`PROGRESS_EVERY`] rows and one with the total otherwise (a log keeps
/// every line).
struct Progress {
    terminal: bool,
    rows: usize,
    told: usize,
}

impl Progress {
    fn new(terminal: bool) -> Progress {
        Progress {
            terminal,
            rows: 0,
            told: 0,
        }
    }

    fn rows(&mut self, locale: crate::i18n::Locale, more: usize) {
        self.rows += more;
        if self.terminal || self.rows / PROGRESS_EVERY > self.told / PROGRESS_EVERY {
            self.tell(locale);
        }
    }

    fn tell(&mut self, locale: crate::i18n::Locale) {
        self.told = self.rows;
        let t = locale.text();
        let line = crate::i18n::fill(t.notice_exporting, locale.count(self.rows as u64, &t.rows));
        let mut err = std::io::stderr().lock();
        // Progress is a courtesy: a standard error that cannot be written stops nothing.
        let _ = if self.terminal {
            write!(err, "\r{line}\x1b[K")
        } else {
            writeln!(err, "{line}")
        };
    }

    /// The total, on a line of its own: a terminal's overwritten line is ended, a log gets
    /// the count it has not had yet.
    fn end(&mut self, locale: crate::i18n::Locale) {
        if self.terminal {
            let _ = writeln!(std::io::stderr());
        } else if self.told != self.rows || self.rows == 0 {
            self.tell(locale);
        }
    }
}

fn missing(section: &str) -> Failure {
    Failure::new(
        Exit::Usage,
        format!(
            "no provider for this export: the profile has no [profiles.NAME.{section}] section"
        ),
    )
}
