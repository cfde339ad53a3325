//! `loyalty groups list` and `loyalty journal`: an admin's and a support person's reads.

use super::{Context, Exit, Failure, json, table};
use crate::domain::admin::GroupKind;
use crate::domain::journal::JournalRow;
use crate::i18n::{describe, format_amount, format_datetime, format_decimal};
use clap::Subcommand;

#[derive(Subcommand, Debug)]
pub enum GroupsCommand {
    /// Poster's marketing groups (the removed ones left out).
    List {
        #[arg(long)]
        json: bool,
    },
}

pub async fn groups(cx: &mut Context<'_>, command: GroupsCommand) -> Result<(), Failure> {
    let GroupsCommand::List { json: as_json } = command;
    let service = cx.services.groups.clone().ok_or_else(|| {
        Failure::new(
            Exit::Usage,
            "no group provider: the profile has no [profiles.NAME.poster] section",
        )
    })?;
    let groups = service
        .groups()
        .await
        .map_err(Failure::of_read(cx.locale))?;
    if as_json {
        let rows: Vec<json::GroupJson> = groups.iter().map(Into::into).collect();
        return cx.print(&json::render(&rows));
    }
    let (t, locale) = (cx.locale.text(), cx.locale);
    let rows: Vec<Vec<String>> = groups
        .iter()
        .map(|g| {
            vec![
                g.id.to_string(),
                g.name.clone(),
                match g.kind {
                    GroupKind::Bonus => t.kind_bonus,
                    GroupKind::Discount => t.kind_discount,
                }
                .to_string(),
                format_decimal(locale, g.percent, None),
                // A discount group has no birthday bonus: "—", as the console shows it.
                match g.kind {
                    GroupKind::Bonus => format_amount(locale, g.birthday_bonus),
                    GroupKind::Discount => t.none.to_string(),
                },
                g.clients.to_string(),
            ]
        })
        .collect();
    let header = [
        t.card_id,
        t.col_name,
        t.col_type,
        t.col_percent,
        t.col_birthday_bonus,
        t.col_clients,
    ];
    cx.print(&table::render(&header, &rows, &[0, 3, 4, 5]))
}

/// This console's journal of movements, newest first: every attempt with its latest outcome.
pub fn journal(cx: &mut Context<'_>, rows: &[JournalRow], as_json: bool) -> Result<(), Failure> {
    if as_json {
        let rows: Vec<json::JournalJson> = rows.iter().map(Into::into).collect();
        return cx.print(&json::render(&rows));
    }
    let (t, locale) = (cx.locale.text(), cx.locale);
    if rows.is_empty() {
        return cx.print(&format!("{}\n", t.journal_empty));
    }
    let amount = |a: Option<crate::domain::Amount>| {
        a.map_or(t.none.to_string(), |a| format_amount(locale, a))
    };
    let lines: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let (points, rubles, coupons) = r.attempt.movement.amounts();
            let coupons: Vec<String> = coupons.iter().map(|c| c.0.to_string()).collect();
            let movement = &r.attempt.movement;
            let kind = if movement.gives_back() {
                t.cli.kind_reversal
            } else {
                t.cli.kind_write_off
            };
            // The console's columns, in its order.
            vec![
                format_datetime(locale, r.at, &cx.tz),
                r.attempt.client.0.to_string(),
                kind.to_string(),
                amount(points),
                amount(rubles),
                coupons.join(","),
                movement
                    .receipt()
                    .map_or(t.none.to_string(), |r| r.number.clone()),
                movement
                    .why()
                    .map_or(t.none.to_string(), |w| describe::why(t, w)),
                t.outcome(movement, r.outcome).to_string(),
                r.attempt.key.clone(),
            ]
        })
        .collect();
    cx.print(&table::render(&t.journal_columns(), &lines, &[1, 3, 4]))
}
