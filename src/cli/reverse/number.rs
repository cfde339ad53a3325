//! A reversal on the server, by the write-off's operation number: the original read and
//! shown, what is asked for settled against what is left of it, sent once under a fresh key
//! with a manager's PIN, and read back when no answer comes.

use super::confirm;
use super::judge::{read_back, settle};
use crate::cli::pin::Pin;
use crate::cli::{Ask, Context, Exit, Failure, movement_failure};
use crate::domain::journal::Outcome;
use crate::domain::reversal::{Operation, Why};
use crate::domain::{Amount, Currency, OperationId, Reversal, WriteOff};
use crate::i18n::{describe, fill, fill2, format_amount, format_datetime};
use crate::ops::journal::Journal;

/// A reversal on the server: the original read and shown, what is asked for settled
/// against what is left of it, the PIN taken, sent once under `key`.
pub(super) async fn reverse(
    cx: &mut Context<'_>,
    id: OperationId,
    (amount, why): (Option<Amount>, Why),
    journal: &Journal,
    key: String,
    (pin, (ask, yes)): (Pin<'_>, (Ask<'_>, bool)),
) -> Result<(), Failure> {
    let (locale, t) = (cx.locale, cx.locale.text());
    let service = crate::cli::client::service(cx)?;
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
            why: None,
            code: None,
        },
    );
    let left = describe::write_off(
        locale,
        &WriteOff {
            points: Some(o.left(Currency::Points)).filter(|a| a.is_positive()),
            rubles: Some(o.left(Currency::Rubles)).filter(|a| a.is_positive()),
            coupons: o.coupons_left(),
            receipt: None,
            why: None,
            code: None,
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
            why: None,
            code: None,
        },
    )
}
