//! `loyalty reverse`: gives back all or part of an earlier write-off. OPERATION is what
//! `journal --json` and `client history --json` print as the movement's `id`: the server's
//! operation number, or a journal key when no number is known. A number is reversed on the
//! server under a fresh key with a manager's PIN; a write-off the live vendor took through
//! holds comes back whole, by refunding its holds. Either is journalled before it is sent,
//! and one that gets no answer is judged by reading back, never sent again blindly.

use super::pin::{Pin, Secret, manager_pin};
use super::{Context, Exit, Failure, movement_failure};
use crate::domain::journal::{JournalRow, Movement, Outcome};
use crate::domain::reversal::{NOTE_MAX, Operation, ReasonCode, Refund, Why, WhyError};
use crate::domain::text::clean;
use crate::domain::{
    Amount, AmountError, Balances, ClientId, Currency, OperationId, Reversal, WriteOff,
};
use crate::i18n::{describe, fill, fill2, format_amount, format_datetime};
use crate::ops::journal::Journal;
use clap::ValueEnum;

/// The reversal as the command line gave it.
#[derive(clap::Args, Debug)]
pub struct ReverseArgs {
    /// The write-off: its `id` as `loyalty journal --json` or `loyalty client history
    /// --json` prints it (an operation number, or a journal key).
    #[arg(value_name = "OPERATION")]
    pub operation: String,
    /// Give back only this much of the write-off's one currency; without it, everything
    /// left of it (coupons included).
    #[arg(long, value_name = "AMOUNT")]
    pub amount: Option<String>,
    /// Why it is given back.
    #[arg(long, value_enum)]
    pub reason: ReasonArg,
    /// The reason in words; needed with `--reason other`.
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// The environment variable holding the manager's PIN; without it the PIN is asked on
    /// the terminal, unechoed.
    #[arg(long, value_name = "VAR")]
    pub pin_env: Option<String>,
    /// Do not ask: needed when standard input is not a terminal.
    #[arg(long)]
    pub yes: bool,
}

/// The reasons a reversal is given for (`domain::reversal::ReasonCode`).
#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum ReasonArg {
    Mistake,
    Returned,
    Complaint,
    Other,
}

impl From<ReasonArg> for ReasonCode {
    fn from(r: ReasonArg) -> Self {
        match r {
            ReasonArg::Mistake => ReasonCode::Mistake,
            ReasonArg::Returned => ReasonCode::Returned,
            ReasonArg::Complaint => ReasonCode::Complaint,
            ReasonArg::Other => ReasonCode::Other,
        }
    }
}

/// What the person at the terminal is asked: yes/no, and a PIN without echo.
pub struct Asking<'a, 'b> {
    pub ask: super::Ask<'a>,
    pub secret: Secret<'b>,
}

pub async fn run(
    cx: &mut Context<'_>,
    args: ReverseArgs,
    journal: &Journal,
    key: String,
    asking: Asking<'_, '_>,
) -> Result<(), Failure> {
    let t = cx.locale.text();
    let why = Why::new(args.reason.into(), args.note.as_deref()).map_err(|e| match e {
        WhyError::NoteMissing => Failure::new(Exit::Usage, t.cli.note_missing),
        WhyError::NoteTooLong => Failure::new(Exit::Usage, fill(t.cli.note_too_long, NOTE_MAX)),
    })?;
    let amount = args
        .amount
        .as_deref()
        .map(|text| amount(cx, text))
        .transpose()?;
    let given = args.operation.trim();
    if let Some(id) = given.parse::<i64>().ok().filter(|n| *n > 0) {
        let pin = manager_pin(t, args.pin_env.as_deref(), asking.secret)?;
        let ask = (asking.ask, args.yes);
        return by_number(cx, OperationId(id), (amount, why), journal, key, (pin, ask)).await;
    }
    let rows = journal
        .rows()
        .map_err(|e| Failure::new(Exit::Failed, format!("{}: {e}", journal.path().display())))?;
    let Some(row) = rows.iter().find(|r| r.attempt.key == given).cloned() else {
        return Err(Failure::new(
            Exit::Usage,
            fill(t.cli.operation_unknown, clean(given)),
        ));
    };
    if let Some(id) = row.operation {
        let pin = manager_pin(t, args.pin_env.as_deref(), asking.secret)?;
        let ask = (asking.ask, args.yes);
        return by_number(cx, id, (amount, why), journal, key, (pin, ask)).await;
    }
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
    by_holds(
        cx, &row, original, why, ids, journal, key, asking.ask, args.yes,
    )
    .await
}

/// `--amount` as typed: a mistyped or non-positive amount is a usage error.
fn amount(cx: &Context<'_>, text: &str) -> Result<Amount, Failure> {
    let t = cx.locale.text();
    let amount = Amount::parse_user(text).map_err(|e| {
        let problem = match e {
            AmountError::NotANumber => t.money.problem_not_number,
            AmountError::TooManyDecimals => t.money.problem_decimals,
            AmountError::TooLarge => t.money.problem_too_large,
        };
        Failure::new(Exit::Usage, fill(problem, "--amount"))
    })?;
    if !amount.is_positive() {
        return Err(Failure::new(
            Exit::Usage,
            fill(t.money.problem_not_positive, "--amount"),
        ));
    }
    Ok(amount)
}

/// A reversal on the server: the original read and shown, what is asked for settled
/// against what is left of it, the PIN taken, sent once under `key`.
async fn by_number(
    cx: &mut Context<'_>,
    id: OperationId,
    (amount, why): (Option<Amount>, Why),
    journal: &Journal,
    key: String,
    (pin, (ask, yes)): (Pin<'_>, (super::Ask<'_>, bool)),
) -> Result<(), Failure> {
    let (locale, t) = (cx.locale, cx.locale.text());
    let service = super::client::service(cx)?;
    let original = service
        .operation(id)
        .await
        .map_err(Failure::of_read(locale))?;
    if original.kind != crate::domain::reversal::OperationKind::WriteOff {
        return Err(Failure::new(Exit::Refused, fill(t.cli.not_a_write_off, id)));
    }
    let request = asked(cx, &original, amount, why)?;
    let what = describe_back(cx, &request);
    cx.print(&shown(cx, &original))?;
    let pin = pin.take(t)?;
    confirm(cx, ask, yes, &what)?;
    let before = original;
    match crate::ops::reverse::send(
        cx.services,
        journal,
        request.clone(),
        key.clone(),
        Some(pin),
    )
    .await
    {
        Ok(number) => {
            let mut said = fill(t.cli.reversed, &what);
            if let Some(number) = number {
                said = format!("{said}\n{}", fill(t.cli.reversed_number, number));
            }
            cx.print(&format!("{said}\n"))
        }
        Err(e) if e.outcome_unknown() => {
            let after = service.operation(id).await;
            let outcome = match &after {
                Ok(after) => read_back(&before, after, &request),
                Err(e) => {
                    tracing::warn!(operation = id.0, "reversal check: {e}");
                    Outcome::UnclearAfterCheck
                }
            };
            settle(cx, journal, (&key, request.client), outcome, id, &what)
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

/// What `--amount` (or its absence) asks back of `original`: all that is left, coupons
/// included, or that much of its one currency.
fn asked(
    cx: &Context<'_>,
    original: &Operation,
    amount: Option<Amount>,
    why: Why,
) -> Result<Reversal, Failure> {
    let (locale, t) = (cx.locale, cx.locale.text());
    let left = |c| original.left(c);
    let mut request = Reversal {
        original: original.id,
        client: original.client,
        points: None,
        rubles: None,
        coupons: Vec::new(),
        why,
    };
    match amount {
        None => {
            request.points = Some(left(Currency::Points)).filter(|a| a.is_positive());
            request.rubles = Some(left(Currency::Rubles)).filter(|a| a.is_positive());
            request.coupons = original.coupons_left();
        }
        Some(amount) => {
            let currency = match (original.points.is_positive(), original.rubles.is_positive()) {
                (true, true) => {
                    return Err(Failure::new(
                        Exit::Usage,
                        fill(t.cli.amount_two_currencies, original.id),
                    ));
                }
                (false, true) => Currency::Rubles,
                _ => Currency::Points,
            };
            if amount > left(currency) {
                let left = format!(
                    "{} {}",
                    describe::currency(t, currency),
                    format_amount(locale, left(currency))
                );
                return Err(Failure::new(Exit::Refused, fill(t.cli.amount_above, left)));
            }
            match currency {
                Currency::Points => request.points = Some(amount),
                Currency::Rubles => request.rubles = Some(amount),
            }
        }
    }
    if request.points.is_none() && request.rubles.is_none() && request.coupons.is_empty() {
        return Err(Failure::new(
            Exit::Refused,
            fill(t.cli.nothing_left, original.id),
        ));
    }
    Ok(request)
}

/// The original as the question shows it: when, who, what it took, its receipt, and what
/// is left to give back.
fn shown(cx: &Context<'_>, o: &Operation) -> String {
    let (locale, t) = (cx.locale, cx.locale.text());
    let mut head = fill2(t.cli.original, o.id, format_datetime(locale, o.at, &cx.tz));
    let who: Vec<&str> = [o.who.login.as_deref(), o.who.principal.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    if !who.is_empty() {
        head = format!("{head}, {}", fill(t.cli.original_by, who.join(" / ")));
    }
    if let Some(r) = &o.receipt {
        head = format!(
            "{head}, {}",
            fill2(
                t.cli.original_receipt,
                &r.number,
                format_amount(locale, r.total)
            )
        );
    }
    let took = describe::write_off(
        locale,
        &WriteOff {
            points: Some(o.points).filter(|a| a.is_positive()),
            rubles: Some(o.rubles).filter(|a| a.is_positive()),
            coupons: o.coupons.clone(),
            receipt: None,
        },
    );
    let left = describe::write_off(
        locale,
        &WriteOff {
            points: Some(o.left(Currency::Points)).filter(|a| a.is_positive()),
            rubles: Some(o.left(Currency::Rubles)).filter(|a| a.is_positive()),
            coupons: o.coupons_left(),
            receipt: None,
        },
    );
    format!(
        "{head}\n{} #{}: {took}\n{}\n",
        t.col_client,
        o.client.0,
        fill(t.cli.left, left)
    )
}

/// A reversal's amounts in the words a write-off's are said in.
fn describe_back(cx: &Context<'_>, r: &Reversal) -> String {
    describe::write_off(
        cx.locale,
        &WriteOff {
            points: r.points,
            rubles: r.rubles,
            coupons: r.coupons.clone(),
            receipt: None,
        },
    )
}

/// Asks unless `--yes`; with nobody to ask and no `--yes`, a usage error.
fn confirm(cx: &Context<'_>, ask: super::Ask<'_>, yes: bool, what: &str) -> Result<(), Failure> {
    let t = cx.locale.text();
    if yes {
        return Ok(());
    }
    let Some(ask) = ask else {
        return Err(Failure::new(Exit::Usage, t.cli.reverse_needs_yes));
    };
    let agreed = ask(&fill(t.cli.reverse_confirm, what))
        .map_err(|e| Failure::new(Exit::Failed, format!("standard input: {e}")))?;
    if agreed {
        Ok(())
    } else {
        Err(Failure::new(Exit::Refused, t.cli.reverse_declined))
    }
}

/// How an unanswered reversal came out, by its original read again: what was reversed of
/// it grew by exactly what was asked (it went through), did not change (it did not), or
/// changed otherwise (another till's reversal meanwhile: cannot tell).
fn read_back(before: &Operation, after: &Operation, asked: &Reversal) -> Outcome {
    let grew = |b: Amount, a: Amount| a.minor() - b.minor();
    let points = grew(before.reversed_points, after.reversed_points);
    let rubles = grew(before.reversed_rubles, after.reversed_rubles);
    let coupons_back = after
        .reversed_coupons
        .iter()
        .filter(|c| !before.reversed_coupons.contains(c))
        .count();
    let want = |a: Option<Amount>| a.map_or(0, |a| a.minor());
    if points == want(asked.points)
        && rubles == want(asked.rubles)
        && coupons_back == asked.coupons.len()
    {
        Outcome::AppliedAfterCheck
    } else if points == 0 && rubles == 0 && coupons_back == 0 {
        Outcome::NotAppliedAfterCheck
    } else {
        Outcome::UnclearAfterCheck
    }
}

/// Journals what the check found and says it: 0 it went through (checked), 3 it did not,
/// 4 cannot tell.
fn settle(
    cx: &mut Context<'_>,
    journal: &Journal,
    (key, client): (&str, ClientId),
    outcome: Outcome,
    look_at: impl std::fmt::Display,
    what: &str,
) -> Result<(), Failure> {
    let t = cx.locale.text();
    tracing::info!(key, outcome = outcome.as_str(), "reversal checked");
    if let Err(e) = journal.outcome(key, client, outcome, None, None) {
        tracing::error!("journal {}: {e}", journal.path().display());
    }
    match outcome {
        Outcome::AppliedAfterCheck => {
            cx.print(&format!("{}\n", fill(t.cli.reversed_after_check, what)))
        }
        Outcome::NotAppliedAfterCheck => Err(Failure::new(Exit::Failed, t.cli.reverse_not_applied)),
        _ => Err(Failure::new(
            Exit::Unknown,
            format!(
                "{}\n{}",
                fill(t.cli.reverse_unclear, look_at),
                fill(t.cli.reverse_key, key)
            ),
        )),
    }
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
    ask: super::Ask<'_>,
    yes: bool,
) -> Result<(), Failure> {
    let (locale, t) = (cx.locale, cx.locale.text());
    let service = super::client::service(cx)?;
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

/// A refund's outcome by the balance: up by exactly what the write-off took, unchanged, or
/// moved otherwise.
fn balance_back(before: &Balances, after: &Balances, took: &WriteOff) -> Outcome {
    let up = |b: Amount, a: Amount| a.minor() - b.minor();
    let want = |a: Option<Amount>| a.map_or(0, |a| a.minor());
    let (points, rubles) = (
        up(before.points, after.points),
        up(before.rubles, after.rubles),
    );
    if points == want(took.points) && rubles == want(took.rubles) {
        Outcome::AppliedAfterCheck
    } else if points == 0 && rubles == 0 {
        Outcome::NotAppliedAfterCheck
    } else {
        Outcome::UnclearAfterCheck
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::reversal::{OperationKind, Who};
    use crate::domain::{ClientId, CouponId};

    fn op(reversed_points: i64, reversed_coupons: Vec<CouponId>) -> Operation {
        Operation {
            id: OperationId(7),
            client: ClientId(1),
            kind: OperationKind::WriteOff,
            at: jiff::Timestamp::UNIX_EPOCH,
            points: Amount::from_minor(10_000),
            rubles: Amount::ZERO,
            coupons: vec![CouponId(3)],
            reversed_points: Amount::from_minor(reversed_points),
            reversed_rubles: Amount::ZERO,
            reversed_coupons,
            receipt: None,
            who: Who::default(),
            why: None,
            original: None,
        }
    }

    fn back(points: i64, coupons: Vec<CouponId>) -> Reversal {
        Reversal {
            original: OperationId(7),
            client: ClientId(1),
            points: Some(Amount::from_minor(points)),
            rubles: None,
            coupons,
            why: Why::new(ReasonCode::Mistake, None).unwrap(),
        }
    }

    #[test]
    fn a_reversal_read_back_went_through_only_when_it_grew_by_exactly_the_amount() {
        let before = op(1_000, vec![]);
        let asked = back(2_500, vec![CouponId(3)]);
        assert_eq!(
            read_back(&before, &op(3_500, vec![CouponId(3)]), &asked),
            Outcome::AppliedAfterCheck
        );
        assert_eq!(
            read_back(&before, &op(1_000, vec![]), &asked),
            Outcome::NotAppliedAfterCheck
        );
        // Another till's reversal meanwhile: grown, but not by this one's amount.
        assert_eq!(
            read_back(&before, &op(2_000, vec![]), &asked),
            Outcome::UnclearAfterCheck
        );
        assert_eq!(
            read_back(&before, &op(3_500, vec![]), &asked),
            Outcome::UnclearAfterCheck,
            "the coupon did not come back"
        );
    }

    #[test]
    fn a_refund_read_back_by_the_balance() {
        let took = WriteOff {
            points: Some(Amount::from_minor(1_000)),
            ..WriteOff::default()
        };
        let b = |p| Balances {
            points: Amount::from_minor(p),
            rubles: Amount::ZERO,
        };
        assert_eq!(
            balance_back(&b(0), &b(1_000), &took),
            Outcome::AppliedAfterCheck
        );
        assert_eq!(
            balance_back(&b(0), &b(0), &took),
            Outcome::NotAppliedAfterCheck
        );
        assert_eq!(
            balance_back(&b(0), &b(400), &took),
            Outcome::UnclearAfterCheck
        );
    }
}
