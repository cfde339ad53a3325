//! CSV exports: every row of the current filter (all pages, not only the one on screen),
//! written to a new file in the exports folder of the data dir.

use crate::backend::Services;
use crate::domain::admin::{CardOperationQuery, Expiry};
use crate::domain::export::{Export, Exported};
use crate::domain::{ErrorKind, HistoryCursor, HistoryQuery, ServiceError};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use std::io::Write;
use std::path::Path;

/// Rows fetched per request while exporting.
const PAGE: u32 = 500;

fn io_error(path: &Path, e: impl std::fmt::Display) -> ServiceError {
    ServiceError::new(ErrorKind::Rejected, format!("{}: {e}", path.display()))
}

fn not_configured(what: &str) -> ServiceError {
    ServiceError::new(ErrorKind::NotConfigured, what.to_string())
}

/// Local time with its offset, readable by spreadsheets and scripts alike.
fn when(t: Timestamp) -> String {
    t.to_zoned(TimeZone::system())
        .strftime("%Y-%m-%d %H:%M:%S%:z")
        .to_string()
}

/// Every row of an export, as its CSV will hold them (what the command line's `client
/// history --csv`, bounded by its `--limit`, writes in one go).
pub struct Table {
    /// What the file is named after: `history`, `registrations`, `card-operations`.
    pub name: &'static str,
    pub header: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
}

/// What an export's file is named after, and its header line.
pub fn head(export: &Export) -> (&'static str, Vec<&'static str>) {
    match export {
        Export::History { .. } => (
            "history",
            vec!["date", "amount", "currency", "transaction_id"],
        ),
        Export::Registrations { .. } => (
            "registrations",
            vec![
                "client",
                "card",
                "virtual",
                "card_type",
                "card_status",
                "pos",
                "pos_name",
                "registered",
            ],
        ),
        Export::CardOperations(_) => (
            "card-operations",
            vec![
                "date",
                "type",
                "amount",
                "value",
                "used_value",
                "is_payment",
                "expires",
                "description",
                "uuid",
            ],
        ),
    }
}

/// Writes every row of the export to a new file in `folder`, named after it and the time,
/// each page as it arrives; `progress` hears the rows written so far after each page. The
/// rows go to `NAME-STAMP.csv.part` first, renamed to `NAME-STAMP.csv` once the last page is
/// written: an export that fails midway removes its part file, so a `.csv` there is always
/// a whole one.
pub async fn run(
    services: &Services,
    folder: &Path,
    export: Export,
    mut progress: impl FnMut(usize),
) -> Result<Exported, ServiceError> {
    let stamp = Timestamp::now()
        .to_zoned(TimeZone::system())
        .strftime("%Y%m%d-%H%M%S")
        .to_string();
    let (name, header) = head(&export);
    let path = folder.join(format!("{name}-{stamp}.csv"));
    let part = folder.join(format!("{name}-{stamp}.csv.part"));
    let file = super::private::create(&part).map_err(|e| io_error(&part, e))?;
    let written = async {
        let mut csv =
            Csv::new(std::io::BufWriter::new(file), &header).map_err(|e| io_error(&part, e))?;
        let mut rows = 0;
        pages(services, export, |page| {
            csv.rows(&page).map_err(|e| io_error(&part, e))?;
            rows += page.len();
            progress(rows);
            Ok(())
        })
        .await?;
        csv.finish().map_err(|e| io_error(&part, e))?;
        std::fs::rename(&part, &path).map_err(|e| io_error(&path, e))?;
        Ok(rows)
    }
    .await;
    let rows = written.inspect_err(|_| {
        // The part file of a failed export is half a table: gone, not left to be taken
        // for one.
        let _ = std::fs::remove_file(&part);
    })?;
    tracing::info!(rows, "exported {}", path.display());
    Ok(Exported { path, rows })
}

/// Reads every row of the export, all pages, not only the one on screen, and hands each
/// page's rows to `page` as it arrives (registrations, which come in one answer, in pages
/// of the same size): no more than a page of rows is held at a time. Returns the rows read.
pub async fn pages(
    services: &Services,
    export: Export,
    mut page: impl FnMut(Vec<Vec<String>>) -> Result<(), ServiceError>,
) -> Result<usize, ServiceError> {
    let mut total = 0;
    match export {
        Export::History { client, from, to } => {
            let service = services
                .clients
                .clone()
                .ok_or_else(|| not_configured("ext"))?;
            let mut offset = 0;
            let mut after = None;
            loop {
                // The offset is how the vendor pages; the last row's cursor is how
                // `loyalty serve` reads on without stepping over every row before it
                // again, which made an export of a million rows quadratic.
                let q = HistoryQuery {
                    from,
                    to,
                    offset,
                    limit: PAGE,
                    after,
                };
                let entries = service.history(client, q).await?;
                let done = (entries.len() as u32) < PAGE;
                total += entries.len();
                after = entries.last().and_then(HistoryCursor::after);
                page(
                    entries
                        .into_iter()
                        .map(|e| {
                            vec![
                                when(e.at),
                                e.amount.to_string(),
                                e.currency.code().to_string(),
                                e.transaction_id,
                            ]
                        })
                        .collect(),
                )?;
                if done {
                    break;
                }
                offset += PAGE;
            }
        }
        Export::Registrations { query, zone } => {
            let service = services
                .registrations
                .clone()
                .ok_or_else(|| not_configured("mloyalty"))?;
            let (rows, left_out) = query.within(service.registrations(query).await?, &zone);
            if left_out > 0 {
                tracing::warn!(left_out, "registrations from outside the period left out");
            }
            total = rows.len();
            let mut rows = rows.into_iter().map(|r| {
                vec![
                    r.client.to_string(),
                    r.card.to_string(),
                    r.is_virtual.to_string(),
                    r.card_type,
                    r.card_status,
                    r.pos.to_string(),
                    r.pos_name,
                    when(r.registered),
                ]
            });
            loop {
                let chunk: Vec<Vec<String>> = rows.by_ref().take(PAGE as usize).collect();
                if chunk.is_empty() {
                    break;
                }
                page(chunk)?;
            }
        }
        Export::CardOperations(query) => {
            let service = services
                .card_operations
                .clone()
                .ok_or_else(|| not_configured("regos"))?;
            let mut q = CardOperationQuery {
                offset: 0,
                limit: PAGE,
                ..query
            };
            loop {
                let got = service.card_operations(q).await?;
                let count = got.operations.len() as u32;
                total += got.operations.len();
                // A field the vendor left null is an empty cell.
                let text = |v: Option<String>| v.unwrap_or_default();
                page(
                    got.operations
                        .into_iter()
                        .map(|o| {
                            vec![
                                text(o.date.map(when)),
                                text(o.kind.map(|k| format!("{k:?}").to_lowercase())),
                                text(o.amount.map(money)),
                                text(o.value.map(money)),
                                text(o.used_value.map(money)),
                                text(o.is_payment.map(|b| b.to_string())),
                                text(o.expires.map(|e| match e {
                                    Expiry::Never => "never".to_string(),
                                    Expiry::At(t) => when(t),
                                })),
                                text(o.description),
                                text(o.uuid),
                            ]
                        })
                        .collect(),
                )?;
                match got.next_offset {
                    Some(next) if next > q.offset => q.offset = next,
                    None if count >= q.limit => q.offset += q.limit,
                    _ => break,
                }
            }
        }
    }
    Ok(total)
}

/// A vendor's money as every export writes money: two decimals at least (`23.10`, `0.00`),
/// any further ones it gave kept, never rounded away.
fn money(mut d: rust_decimal::Decimal) -> String {
    if d.scale() < 2 {
        d.rescale(2);
    }
    d.to_string()
}

/// The table as CSV, with a header line, every cell neutralised and quoted: a Russian-locale
/// spreadsheet splits on `;` as well as `,`, and a quoted field is one cell in both. Every
/// CSV the console and the command line write comes from here, through [`Csv`].
pub fn write_csv(out: impl Write, table: &Table) -> Result<(), csv::Error> {
    let mut csv = Csv::new(out, &table.header)?;
    csv.rows(&table.rows)?;
    csv.finish()
}

/// A CSV being written a page at a time: the header first, then each page's rows.
pub struct Csv<W: Write> {
    out: csv::Writer<W>,
}

impl<W: Write> Csv<W> {
    pub fn new(out: W, header: &[&str]) -> Result<Self, csv::Error> {
        let mut out = csv::WriterBuilder::new()
            .quote_style(csv::QuoteStyle::Always)
            .from_writer(out);
        out.write_record(header)?;
        Ok(Csv { out })
    }

    pub fn rows(&mut self, rows: &[Vec<String>]) -> Result<(), csv::Error> {
        for row in rows {
            self.out
                .write_record(row.iter().map(|cell| neutral(cell).into_owned()))?;
        }
        Ok(())
    }

    /// Everything written reaches `out`.
    pub fn finish(mut self) -> Result<(), csv::Error> {
        self.out.flush()?;
        Ok(())
    }
}

/// A cell as a spreadsheet will not run it: text that starts with `=`, `+`, `-`, `@`, a tab
/// or a carriage return gets a leading `'` (OWASP's advice on CSV injection). Numbers, negative
/// ones included, stay numbers.
fn neutral(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && cell.parse::<rust_decimal::Decimal>().is_err() {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vendor_money_has_two_decimals_at_least_and_loses_none() {
        let d = |t: &str| t.parse::<rust_decimal::Decimal>().unwrap();
        assert_eq!(money(d("23.1")), "23.10");
        assert_eq!(money(d("0")), "0.00");
        assert_eq!(money(d("7.905")), "7.905");
        assert_eq!(money(d("-4.5")), "-4.50");
    }

    #[test]
    fn formulas_are_neutralised_and_numbers_kept() {
        for (cell, written) in [
            (
                "=HYPERLINK(\"http://evil\",\"x\")",
                "'=HYPERLINK(\"http://evil\",\"x\")",
            ),
            ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("-2+3", "'-2+3"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("-100.50", "-100.50"),
            ("+5", "+5"),
            ("Кафе «Ёлки»", "Кафе «Ёлки»"),
            ("", ""),
        ] {
            assert_eq!(neutral(cell), written, "{cell:?}");
        }
    }

    /// `;` is a separator to a Russian-locale spreadsheet: a cell holding one stays one cell.
    #[test]
    fn every_field_is_quoted_so_a_semicolon_splits_nothing() {
        let table = Table {
            name: "x",
            header: vec!["pos_name"],
            rows: vec![vec!["Кафе; зал 2".to_string()], vec!["42".to_string()]],
        };
        let mut out = Vec::new();
        write_csv(&mut out, &table).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\"pos_name\"\n\"Кафе; зал 2\"\n\"42\"\n"
        );
    }

    #[test]
    fn a_written_file_carries_no_formula() {
        let table = Table {
            name: "x",
            header: vec!["a", "b"],
            rows: vec![vec!["=1+1".to_string(), "-3.50".to_string()]],
        };
        let mut out = Vec::new();
        write_csv(&mut out, &table).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\"a\",\"b\"\n\"'=1+1\",\"-3.50\"\n"
        );
    }
}
