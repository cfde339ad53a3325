//! `loyalty write-off`: the one command that moves money. It checks the request against the
//! client's balance and coupons, asks on a terminal (or needs `--yes`), and sends it as the
//! console does: journalled first, under one idempotency key, and when no answer comes, the
//! balance and coupons are read again and judged, never sent again blindly.

use super::pin::Secret;
use super::reverse::ReasonArg;
use super::{Context, Exit, Failure};
use crate::backend::{ClientService, Services};
use crate::config::CodeSettings;
use crate::domain::journal::Outcome;
use crate::domain::reconcile::{Doubt, Verdict, judge};
use crate::domain::reversal::{NOTE_MAX, RECEIPT_NUMBER_MAX, Why, WhyError};
use crate::domain::text::clean;
use crate::domain::{
    Amount, AmountError, Balances, Client, ClientId, Coupon, CouponId, Receipt, WriteOff,
};
use crate::domain::{ClientQuery, ServiceError, mask};
use crate::i18n::describe;
use crate::i18n::{Locale, Text, fill, fill2, format_amount};
use crate::ops::journal::Journal;
use crate::ops::write_off::send_confirmed;

/// The write-off as the command line gave it.
#[derive(clap::Args, Debug)]
#[command(group = clap::ArgGroup::new("what").required(true).multiple(true))]
pub struct WriteOffArgs {
    /// The client: their id (as `loyalty client find` shows it), or their phone or email,
    /// which must find exactly one client; the question then names them.
    #[arg(value_name = "CLIENT")]
    pub client: String,
    /// Points to write off (`100`, `12,50`, `12.50`).
    #[arg(long, value_name = "AMOUNT", group = "what")]
    pub points: Option<String>,
    /// Roubles to write off.
    #[arg(long, value_name = "AMOUNT", group = "what")]
    pub roubles: Option<String>,
    /// A coupon to redeem; repeat for several.
    #[arg(long = "coupon", value_name = "ID", group = "what")]
    pub coupons: Vec<i64>,
    /// The receipt's number this write-off pays part of (with --receipt-total).
    #[arg(long, value_name = "NUM", requires = "receipt_total")]
    pub receipt: Option<String>,
    /// The receipt's total before points, in roubles (with --receipt).
    #[arg(long, value_name = "AMOUNT", requires = "receipt")]
    pub receipt_total: Option<String>,
    /// The environment variable holding a manager's PIN, to go past a shop's limit.
    #[arg(long, value_name = "VAR")]
    pub pin_env: Option<String>,
    /// Why the manager lets it past the limit (with --pin-env); kept with the write-off.
    #[arg(long, value_enum, requires = "pin_env")]
    pub reason: Option<ReasonArg>,
    /// The reason in words; `other` needs it.
    #[arg(long, value_name = "TEXT", requires = "reason")]
    pub note: Option<String>,
    /// Do not ask: needed when standard input is not a terminal.
    #[arg(long)]
    pub yes: bool,
    /// The client's confirmation code, where the write-off needs one (asked for on a
    /// terminal; without one, the code is sent and the command ends).
    #[arg(long, value_name = "CODE")]
    pub code: Option<String>,
}

/// Asks the person at the terminal a yes/no question; `None` when there is no terminal.
pub type Ask<'a> = Option<&'a mut dyn FnMut(&str) -> std::io::Result<bool>>;

pub async fn run(
    cx: &mut Context<'_>,
    (args, codes): (WriteOffArgs, CodeSettings),
    journal: &Journal,
    key: String,
    (ask, secret): (Ask<'_>, Secret<'_>),
) -> Result<(), Failure> {
    let (locale, t) = (cx.locale, cx.locale.text());
    let service = super::client::service(cx)?;
    let manager = args
        .pin_env
        .as_deref()
        .map(|name| super::pin::from_env(t, name))
        .transpose()?;
    let (whose, named) = whom(&*service, t, &args.client)
        .await
        .map_err(|e| match e {
            Whom::Read(e) => Failure::of_read(locale)(e),
            Whom::Said(failure) => failure,
        })?;
    let client = whose.id;
    let (balances, offered) = tokio::try_join!(service.balance(client), service.coupons(client))
        .map_err(Failure::of_read(cx.locale))?;
    let request = request(locale, &args, &balances, &offered, jiff::Timestamp::now())?;
    let what = describe::write_off(locale, &request);
    if !args.yes {
        let Some(ask) = ask else {
            return Err(Failure::new(Exit::Usage, t.cli.needs_yes));
        };
        let agreed = ask(&fill2(t.cli.confirm, &named, &what))
            .map_err(|e| Failure::new(Exit::Failed, format!("standard input: {e}")))?;
        if !agreed {
            return Err(Failure::new(Exit::Refused, t.cli.declined));
        }
    }
    let settled = super::code::settle(
        cx,
        codes,
        &*service,
        (&whose, request),
        (args.code.as_deref(), manager.is_some()),
        secret,
    )
    .await?;
    let request = settled.request;
    let result = send_confirmed(
        cx.services,
        journal,
        (client, request.clone(), key.clone()),
        manager,
        settled.confirmed,
    )
    .await;
    match result {
        Ok(_) => {
            cx.print(&format!("{}\n", fill(t.money.notice_written_off, &what)))?;
            match &request.receipt {
                Some(receipt) => cx.print(&format!("{}\n", on_receipt(locale, receipt, &request))),
                None => Ok(()),
            }
        }
        Err(e) if e.outcome_unknown() => {
            check(cx, journal, (client, &request, &key), (&balances, &offered)).await
        }
        Err(e) => {
            // Refused (a limit or a wrong PIN among the reasons), or never sent: the exit
            // says which; the words say that nothing was written off.
            let failure = super::movement_failure(cx.locale, e);
            Err(Failure::new(
                failure.exit,
                fill(t.money.problem_refused, failure.message),
            ))
        }
    }
}

/// A whole phone has ten digits or more; a client id written with fewer is read as an id
/// (a longer id is written `#1234567890`).
const PHONE_DIGITS: usize = 10;

/// Why the client could not be settled on.
enum Whom {
    Read(ServiceError),
    Said(Failure),
}

/// The client the command line names, and how the question names them: an id as it is
/// (the API reads no name or phone by id), a phone or email by the one client it finds,
/// with their name and masked phone as the console's confirmation shows them.
async fn whom(
    service: &dyn ClientService,
    t: &Text,
    given: &str,
) -> Result<(Client, String), Whom> {
    let given = given.trim();
    let digits = given.chars().filter(char::is_ascii_digit).count();
    let id = given.strip_prefix('#').unwrap_or(given);
    if let Ok(id) = id.parse::<i64>()
        && id > 0
        && (given.starts_with('#') || digits < PHONE_DIGITS)
    {
        let client = Client {
            id: ClientId(id),
            name: None,
            phone: None,
            email: None,
        };
        return Ok((client, fill(t.cli.client_id, id)));
    }
    let Some(query) = ClientQuery::from_input(given) else {
        return Err(Whom::Said(Failure::new(Exit::Usage, t.cli.client_arg)));
    };
    let found = service.search(query).await.map_err(Whom::Read)?;
    match found.as_slice() {
        [one] => {
            let name = one.name.clone().unwrap_or_else(|| t.no_name.to_string());
            let contact = one
                .phone
                .as_deref()
                .map(mask::phone)
                .or_else(|| one.email.as_deref().map(mask::email));
            let named = match contact {
                Some(contact) => format!("{name} ({contact}, #{})", one.id.0),
                None => format!("{name} (#{})", one.id.0),
            };
            Ok((one.clone(), clean(&named)))
        }
        [] => Err(Whom::Said(Failure::new(
            Exit::Refused,
            t.results_none_found,
        ))),
        many => Err(Whom::Said(Failure::new(
            Exit::Usage,
            fill(t.cli.client_many, many.len()),
        ))),
    }
}

/// No answer came: reads the balance and coupons again and judges by the console's rules.
/// Applied (0), shown not applied (3: nothing was taken), or unclear (4).
async fn check(
    cx: &mut Context<'_>,
    journal: &Journal,
    (client, request, key): (ClientId, &WriteOff, &str),
    (before, offered): (&Balances, &[Coupon]),
) -> Result<(), Failure> {
    let t = cx.locale.text();
    let after = reread(cx.services, client).await;
    let verdict = judge(
        before,
        offered,
        request,
        after.as_ref().map(|(b, c)| (b, c.as_slice())),
        jiff::Timestamp::now(),
    );
    let outcome = match verdict {
        None => Outcome::AppliedAfterCheck,
        Some(Verdict::NotApplied) => Outcome::NotAppliedAfterCheck,
        Some(Verdict::Unclear(_)) => Outcome::UnclearAfterCheck,
    };
    tracing::info!(
        client = client.0,
        key,
        outcome = outcome.as_str(),
        "write-off checked"
    );
    if let Err(e) = journal.outcome(key, client, outcome, None, None) {
        tracing::error!("journal {}: {e}", journal.path().display());
    }
    let what = describe::write_off(cx.locale, request);
    match verdict {
        None => cx.print(&format!(
            "{}\n",
            fill(t.money.notice_written_off_after_check, &what)
        )),
        Some(Verdict::NotApplied) => Err(Failure::new(Exit::Failed, t.cli.not_applied)),
        Some(Verdict::Unclear(doubt)) => Err(Failure::new(
            Exit::Unknown,
            format!("{}\n{}", told(t, doubt), fill(t.cli.key, key)),
        )),
    }
}

/// The balance and coupons once more, or `None` when either cannot be read.
async fn reread(services: &Services, client: ClientId) -> Option<(Balances, Vec<Coupon>)> {
    let service = services.clients.clone()?;
    tokio::try_join!(service.balance(client), service.coupons(client))
        .inspect_err(|e| tracing::warn!(client = client.0, "write-off check: {e}"))
        .ok()
}

/// What the person is told of a doubt: the console's words, but the history is read with
/// `loyalty client history`, not a key.
fn told(t: &Text, doubt: Doubt) -> String {
    match doubt {
        Doubt::Unreadable => t.cli.unreadable.to_string(),
        other => describe::doubt(t, other),
    }
}

/// The request, checked against what the client has as the console's form checks it: a
/// mistyped amount is a usage error (2); more than the balance, a coupon the client does
/// not have or one that has expired is a refusal (1). The server checks again.
/// The override's reason, as --reason and --note give it.
fn why(t: &Text, args: &WriteOffArgs) -> Result<Option<Why>, Failure> {
    let Some(reason) = args.reason else {
        return Ok(None);
    };
    Why::new(reason.into(), args.note.as_deref())
        .map(Some)
        .map_err(|e| match e {
            WhyError::NoteMissing => Failure::new(Exit::Usage, t.cli.note_missing),
            WhyError::NoteTooLong => Failure::new(Exit::Usage, fill(t.cli.note_too_long, NOTE_MAX)),
        })
}

fn request(
    locale: Locale,
    args: &WriteOffArgs,
    balances: &Balances,
    offered: &[Coupon],
    now: jiff::Timestamp,
) -> Result<WriteOff, Failure> {
    let t = locale.text();
    let amount = |text: &Option<String>, name: &str, available: Amount| {
        let Some(text) = text else {
            return Ok(None);
        };
        let amount = Amount::parse_user(text).map_err(|e| {
            let problem = match e {
                AmountError::NotANumber => t.money.problem_not_number,
                AmountError::TooManyDecimals => t.money.problem_decimals,
                AmountError::TooLarge => t.money.problem_too_large,
            };
            Failure::new(Exit::Usage, fill(problem, name))
        })?;
        if !amount.is_positive() {
            return Err(Failure::new(
                Exit::Usage,
                fill(t.money.problem_not_positive, name),
            ));
        }
        if amount > available {
            let above = fill(
                t.money.problem_above_balance,
                format_amount(locale, available),
            );
            return Err(Failure::new(Exit::Refused, format!("{name}: {above}")));
        }
        Ok(Some(amount))
    };
    let points = amount(&args.points, t.points, balances.points)?;
    let rubles = amount(&args.roubles, t.rubles, balances.rubles)?;
    let mut coupons: Vec<CouponId> = Vec::new();
    for id in args.coupons.iter().map(|id| CouponId(*id)) {
        let Some(coupon) = offered.iter().find(|c| c.id == id) else {
            return Err(Failure::new(
                Exit::Refused,
                fill(t.money.problem_coupon_unknown, id.0),
            ));
        };
        if coupon.is_expired(now) {
            return Err(Failure::new(
                Exit::Refused,
                fill(t.money.problem_coupon_expired, id.0),
            ));
        }
        if !coupons.contains(&id) {
            coupons.push(id);
        }
    }
    Ok(WriteOff {
        points,
        rubles,
        coupons,
        receipt: receipt(t, args)?,
        why: why(t, args)?,
        code: None,
    })
}

/// `--receipt` with `--receipt-total` (clap makes them go together): a number of at most
/// [`RECEIPT_NUMBER_MAX`] characters and a total above zero.
fn receipt(t: &Text, args: &WriteOffArgs) -> Result<Option<Receipt>, Failure> {
    let (Some(number), Some(total)) = (&args.receipt, &args.receipt_total) else {
        return Ok(None);
    };
    let number = clean(number.trim());
    if number.is_empty() || number.chars().count() > RECEIPT_NUMBER_MAX {
        return Err(Failure::new(
            Exit::Usage,
            fill(t.cli.receipt_number, RECEIPT_NUMBER_MAX),
        ));
    }
    let total = Amount::parse_user(total)
        .ok()
        .filter(|a| a.is_positive())
        .ok_or_else(|| {
            Failure::new(
                Exit::Usage,
                fill(t.money.problem_not_positive, "--receipt-total"),
            )
        })?;
    Ok(Some(Receipt { number, total }))
}

/// The line the cashier puts on the receipt: its total, what points and bonus roubles paid,
/// and what is left to pay (never below zero).
fn on_receipt(locale: Locale, receipt: &Receipt, request: &WriteOff) -> String {
    let paid = request
        .balance_parts()
        .into_iter()
        .fold(Amount::ZERO, |sum, (_, a)| {
            sum.checked_add(a).unwrap_or(sum)
        });
    let to_pay = Amount::from_minor((receipt.total.minor() - paid.minor()).max(0));
    [
        receipt.number.clone(),
        format_amount(locale, receipt.total),
        format_amount(locale, paid),
        format_amount(locale, to_pay),
    ]
    .iter()
    .fold(locale.text().cli.receipt_text.to_string(), |s, part| {
        fill(&s, part)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_receipt_line_says_total_paid_by_points_and_what_is_left_to_pay() {
        let receipt = Receipt {
            number: "A-17".into(),
            total: Amount::from_minor(150_000),
        };
        let request = WriteOff {
            points: Some(Amount::from_minor(10_000)),
            rubles: Some(Amount::from_minor(2_050)),
            ..WriteOff::default()
        };
        assert_eq!(
            on_receipt(Locale::En, &receipt, &request),
            "Receipt A-17: total 1,500.00, paid by points 120.50, to pay 1,379.50"
        );
        let all = WriteOff {
            points: Some(Amount::from_minor(200_000)),
            ..WriteOff::default()
        };
        assert!(on_receipt(Locale::Ru, &receipt, &all).ends_with("к оплате 0,00"));
    }
}
