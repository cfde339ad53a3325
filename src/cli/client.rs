//! `loyalty client find|show|history`: the cashier's reads.

use super::{Context, Exit, Failure, json, table};
use crate::backend::ClientService;
use crate::domain::Currency;
use crate::domain::days;
use crate::domain::lots::{Dated, Outlook};
use crate::domain::search::SEARCH_CAP;
use crate::domain::{ClientId, ClientQuery, HistoryCursor, HistoryQuery, mask};
use crate::i18n::{
    Locale, fill, fill2, format_amount, format_date, format_datetime, format_movement,
};
use crate::ops::export;
use clap::Subcommand;
use jiff::civil::Date;
use std::sync::Arc;

/// Rows asked for per request while reading a history.
const PAGE: u32 = 500;

#[derive(Subcommand, Debug)]
pub enum ClientCommand {
    /// Find clients by phone (in any form; `%` stands for any part) or email.
    Find {
        /// A phone (`+7 912 345-67-89`, `89123456789`, the last 4+ digits, `7912%`) or an email.
        query: String,
        #[arg(long)]
        json: bool,
    },
    /// A client's balances and coupons.
    Show {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// A client's balance history, newest first.
    History {
        id: i64,
        /// From this day (31.12.2026 or 2026-12-31, local time), inclusive.
        #[arg(long, value_name = "DATE", value_parser = days::date_argument)]
        from: Option<Date>,
        /// Up to this day (31.12.2026 or 2026-12-31, local time), inclusive.
        #[arg(long, value_name = "DATE", value_parser = days::date_argument)]
        to: Option<Date>,
        /// At most this many entries (newest first).
        #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..=100_000))]
        limit: u32,
        #[arg(long, conflicts_with = "json")]
        csv: bool,
        #[arg(long)]
        json: bool,
    },
}

pub(super) fn service(cx: &Context) -> Result<Arc<dyn ClientService>, Failure> {
    cx.services.clients.clone().ok_or_else(|| {
        Failure::new(
            Exit::Usage,
            "no client provider: the profile has no [profiles.NAME.ext] section",
        )
    })
}

pub async fn run(cx: &mut Context<'_>, command: ClientCommand) -> Result<(), Failure> {
    match command {
        ClientCommand::Find { query, json } => find(cx, &query, json).await,
        ClientCommand::Show { id, json } => show(cx, ClientId(id), json).await,
        ClientCommand::History {
            id,
            from,
            to,
            limit,
            csv,
            json,
        } => history(cx, ClientId(id), (from, to), limit, csv, json).await,
    }
}

async fn find(cx: &mut Context<'_>, text: &str, as_json: bool) -> Result<(), Failure> {
    let query = ClientQuery::from_input(text).ok_or_else(|| {
        Failure::new(
            Exit::Usage,
            format!("{text:?} is neither a phone (digits, `+-() %`) nor an email"),
        )
    })?;
    let found = service(cx)?
        .search(query)
        .await
        .map_err(Failure::of_read(cx.locale))?;
    let t = cx.locale.text();
    if as_json {
        let rows: Vec<json::ClientJson> = found.iter().map(Into::into).collect();
        cx.print(&json::render(&rows))?;
    } else if !found.is_empty() {
        let rows: Vec<Vec<String>> = found
            .iter()
            .map(|c| {
                vec![
                    c.id.0.to_string(),
                    c.name.clone().unwrap_or_else(|| t.no_name.to_string()),
                    c.phone.as_deref().map_or(t.none.to_string(), mask::phone),
                    c.email.as_deref().map_or(t.none.to_string(), mask::email),
                ]
            })
            .collect();
        let header = [t.card_id, t.col_client, t.card_phone, t.card_email];
        cx.print(&table::render(&header, &rows, &[0]))?;
    }
    if found.is_empty() {
        return Err(Failure::new(Exit::Refused, t.results_none_found));
    }
    if found.len() >= SEARCH_CAP {
        // The rows are printed; a script is told on stderr that there are more than these.
        eprintln!("loyalty: {}", fill(t.results_capped, SEARCH_CAP));
    }
    Ok(())
}

async fn show(cx: &mut Context<'_>, id: ClientId, as_json: bool) -> Result<(), Failure> {
    let service = service(cx)?;
    let (balances, coupons, outlook) = tokio::try_join!(
        service.balance(id),
        service.coupons(id),
        service.outlook(id)
    )
    .map_err(Failure::of_read(cx.locale))?;
    if as_json {
        let shown = json::ShowJson {
            id: id.0,
            balances: balances.into(),
            coupons: coupons.iter().map(Into::into).collect(),
            expiring: outlook.expiring.iter().map(Into::into).collect(),
            pending: outlook.pending.iter().map(Into::into).collect(),
        };
        return cx.print(&json::render(&shown));
    }
    let (t, locale, now) = (cx.locale.text(), cx.locale, jiff::Timestamp::now());
    let mut text = table::render(
        &[t.balances_title, ""],
        &[
            vec![t.points.to_string(), format_amount(locale, balances.points)],
            vec![t.rubles.to_string(), format_amount(locale, balances.rubles)],
        ],
        &[1],
    );
    text.push_str(&outlook_lines(locale, &outlook, &cx.tz));
    text.push('\n');
    if coupons.is_empty() {
        text.push_str(t.coupons_empty);
        text.push('\n');
    } else {
        let rows: Vec<Vec<String>> = coupons
            .iter()
            .map(|c| {
                // As on the card: an expired coupon says so, not only its date.
                let until = c.expires_at.map_or(t.coupon_no_expiry.to_string(), |at| {
                    let when = format_datetime(locale, at, &cx.tz);
                    if c.is_expired(now) {
                        fill(t.coupon_expired, when)
                    } else {
                        fill(t.coupon_until, when)
                    }
                });
                vec![c.id.0.to_string(), c.title.clone(), until]
            })
            .collect();
        text.push_str(&table::render(&[t.coupons_title, "", ""], &rows, &[]));
    }
    cx.print(&text)
}

/// «Баллы: сгорит N до DATE» and «Баллы: N неактивно до DATE», one line each where the
/// provider gives them; nothing where it does not.
fn outlook_lines(locale: Locale, outlook: &Outlook, tz: &jiff::tz::TimeZone) -> String {
    let t = locale.text();
    let line = |sentence: &str, d: &Dated| {
        let currency = match d.currency {
            Currency::Points => t.points,
            Currency::Rubles => t.rubles,
        };
        let said = fill2(
            sentence,
            format_amount(locale, d.amount),
            format_date(locale, d.at, tz),
        );
        format!("{currency}: {said}\n")
    };
    let expiring = outlook
        .expiring
        .iter()
        .map(|d| line(t.cli.outlook_expiring, d));
    let pending = outlook
        .pending
        .iter()
        .map(|d| line(t.cli.outlook_pending, d));
    expiring.chain(pending).collect()
}

async fn history(
    cx: &mut Context<'_>,
    id: ClientId,
    (from, to): (Option<Date>, Option<Date>),
    limit: u32,
    csv: bool,
    as_json: bool,
) -> Result<(), Failure> {
    let (from_at, to_at) = super::period(&cx.tz, from, to)?;
    let service = service(cx)?;
    let mut entries = Vec::new();
    while (entries.len() as u32) < limit {
        let want = PAGE.min(limit - entries.len() as u32);
        let query = HistoryQuery {
            from: from_at,
            to: to_at,
            offset: entries.len() as u32,
            limit: want,
            after: entries.last().and_then(HistoryCursor::after),
        };
        let page = service
            .history(id, query)
            .await
            .map_err(Failure::of_read(cx.locale))?;
        let done = (page.len() as u32) < want;
        entries.extend(page);
        if done {
            break;
        }
    }
    if as_json {
        let rows: Vec<json::HistoryJson> = entries.iter().map(Into::into).collect();
        return cx.print(&json::render(&rows));
    }
    if csv {
        // The exports' writer: every cell neutralised and quoted.
        let table = export::Table {
            name: "history",
            header: vec!["at", "amount", "currency", "transaction_id"],
            rows: entries
                .iter()
                .map(|e| {
                    let row = json::HistoryJson::from(e);
                    vec![
                        row.at,
                        row.amount,
                        row.currency.to_string(),
                        row.transaction_id,
                    ]
                })
                .collect(),
        };
        let mut bytes = Vec::new();
        export::write_csv(&mut bytes, &table)
            .map_err(|e| Failure::new(Exit::Failed, format!("CSV: {e}")))?;
        return cx.print(&String::from_utf8_lossy(&bytes));
    }
    let (t, locale) = (cx.locale.text(), cx.locale);
    if entries.is_empty() {
        return cx.print(&format!("{}\n", t.history_empty));
    }
    let rows: Vec<Vec<String>> = entries
        .iter()
        .map(|e| {
            let currency = match e.currency {
                crate::domain::Currency::Points => t.points,
                crate::domain::Currency::Rubles => t.rubles,
            };
            vec![
                format_datetime(locale, e.at, &cx.tz),
                format_movement(locale, e.amount),
                currency.to_string(),
                e.shown_id(),
            ]
        })
        .collect();
    let header = [t.col_date, t.col_amount, t.col_currency, t.col_transaction];
    cx.print(&table::render(&header, &rows, &[1]))
}
