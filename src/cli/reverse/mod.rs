//! `loyalty reverse`: gives back all or part of an earlier write-off. OPERATION is what
//! `journal --json` and `client history --json` print as the movement's `id`: the server's
//! operation number, or a journal key when no number is known. A number is reversed on the
//! server under a fresh key with a manager's PIN; a write-off the live vendor took through
//! holds comes back whole, by refunding its holds. Either is journalled before it is sent,
//! and one that gets no answer is judged by reading back, never sent again blindly.

mod holds;
mod judge;
mod number;

use super::pin::{Secret, manager_pin};
use super::{Context, Exit, Failure};
use crate::domain::reversal::{NOTE_MAX, ReasonCode, Why, WhyError};
use crate::domain::text::clean;
use crate::domain::{Amount, AmountError, OperationId};
use crate::i18n::fill;
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
        return number::reverse(cx, OperationId(id), (amount, why), journal, key, (pin, ask)).await;
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
        return number::reverse(cx, id, (amount, why), journal, key, (pin, ask)).await;
    }
    let ask = (asking.ask, args.yes);
    holds::refund(cx, &rows, &row, (amount, why), journal, key, ask).await
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
