//! A write-off the live vendor took through holds has no operation number: it comes back
//! whole, by refunding its holds, once the journal shows there is something to give back.

use super::confirm;
use super::judge::{balance_back, settle};
use crate::cli::{Ask, Context, Exit, Failure, movement_failure};
use crate::domain::journal::{JournalRow, Movement, Outcome};
use crate::domain::reversal::{Refund, Why};
use crate::domain::{Amount, WriteOff};
use crate::i18n::{describe, fill, fill2, format_amount, format_datetime};
use crate::ops::journal::Journal;

/// Refunds the journalled write-off `row`: only one the vendor took through holds, whose
/// holds' ids the journal kept, not refused, asked back whole, and neither given back nor in
/// doubt from an earlier refund.
pub(super) async fn refund(
    cx: &mut Context<'_>,
    rows: &[JournalRow],
    row: &JournalRow,
    (amount, why): (Option<Amount>, Why),
    journal: &Journal,
    key: String,
    (ask, yes): (Ask<'_>, bool),
) -> Result<(), Failure> {
    let t = cx.locale.text();
    let given = row.attempt.key.as_str();
    let holds = journal
        .written_off_holds(given)
        .map_err(|e| Failure::new(Exit::Failed, format!("{}: {e}", journal.path().display())))?;
    let Movement::WriteOff(original) = &row.attempt.movement else {
        return Err(Failure::new(Exit::Refused, t.money.reason_not_reversible));
    };
    if holds.is_empty() {
        return Err(Failure::new(
            Exit::Refused,
            fill(t.cli.cannot_reverse, given),
        ));
    }
    if matches!(
        row.outcome,
        Some(Outcome::Refused | Outcome::NotAppliedAfterCheck)
    ) {
        return Err(Failure::new(Exit::Refused, fill(t.cli.nothing_left, given)));
    }
    if amount.is_some() {
        return Err(Failure::new(Exit::Usage, t.cli.refund_whole));
    }
    let Some(ids) = holds
        .iter()
        .map(|h| h.hold.map(|id| id.to_string()))
        .collect::<Option<Vec<String>>>()
    else {
        return Err(Failure::new(
            Exit::Refused,
            fill(t.cli.holds_without_ids, given),
        ));
    };
    // The vendor answers a repeated refund as done: only the journal can say it was.
    let earlier: Vec<Option<Outcome>> = rows
        .iter()
        .filter(|r| matches!(&r.attempt.movement, Movement::Refund(f) if f.of_key == given))
        .map(|r| r.outcome)
        .collect();
    let went =
        |o: &Option<Outcome>| matches!(o, Some(Outcome::Applied | Outcome::AppliedAfterCheck));
    let ended = |o: &Option<Outcome>| {
        went(o) || matches!(o, Some(Outcome::Refused | Outcome::NotAppliedAfterCheck))
    };
    if earlier.iter().any(went) {
        return Err(Failure::new(Exit::Refused, fill(t.cli.nothing_left, given)));
    }
    if !earlier.iter().all(ended) {
        return Err(Failure::new(
            Exit::Unknown,
            fill(t.cli.reverse_unclear, given),
        ));
    }
    let original = original.clone();
    by_holds(cx, row, original, why, ids, journal, key, ask, yes).await
}

/// A write-off the live vendor took through holds, given back whole by refunding them.
/// Judged, when no answer comes, by the client's balance: back up by exactly what it took.
#[allow(clippy::too_many_arguments)]
async fn by_holds(
    cx: &mut Context<'_>,
    row: &JournalRow,
    original: WriteOff,
    why: Why,
    holds: Vec<String>,
    journal: &Journal,
    key: String,
    ask: Ask<'_>,
    yes: bool,
) -> Result<(), Failure> {
    let (locale, t) = (cx.locale, cx.locale.text());
    let service = crate::cli::client::service(cx)?;
    let client = row.attempt.client;
    let what = describe::write_off(locale, &original);
    let mut head = fill2(
        t.cli.original,
        &row.attempt.key,
        format_datetime(locale, row.at, &cx.tz),
    );
    head = format!("{head}, {}", fill(t.cli.original_by, &row.user));
    if let Some(r) = &original.receipt {
        head = format!(
            "{head}, {}",
            fill2(
                t.cli.original_receipt,
                &r.number,
                format_amount(locale, r.total)
            )
        );
    }
    cx.print(&format!(
        "{head}\n{} #{}: {what}\n{}\n",
        t.col_client,
        client.0,
        fill(t.cli.left, &what)
    ))?;
    confirm(cx, ask, yes, &what)?;
    let before = service
        .balance(client)
        .await
        .map_err(Failure::of_read(locale))?;
    let request = Refund {
        of_key: row.attempt.key.clone(),
        client,
        taken: original.clone(),
        why,
    };
    let result =
        crate::ops::reverse::refund_holds(cx.services, journal, request, holds, key.clone()).await;
    match result {
        Ok(_) => cx.print(&format!("{}\n", fill(t.cli.refunded, &what))),
        Err(e) if e.outcome_unknown() => {
            let outcome = match service.balance(client).await {
                Ok(after) => balance_back(&before, &after, &original),
                Err(e) => {
                    tracing::warn!(client = client.0, "refund check: {e}");
                    Outcome::UnclearAfterCheck
                }
            };
            settle(
                cx,
                journal,
                (&key, client),
                outcome,
                &row.attempt.key,
                &what,
            )
        }
        Err(e) => {
            let failure = movement_failure(locale, e);
            Err(Failure::new(
                failure.exit,
                format!("{} {}", failure.message, t.cli.reverse_declined),
            ))
        }
    }
}
