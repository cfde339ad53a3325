//! The confirmation code step of `loyalty write-off`: where the profile's policy or the
//! server's wants the client's code for this amount, the code is sent and checked before
//! the write-off goes (or a manager's PIN stands in for it). Nothing is written off on
//! any way out of here but the one that returns the write-off.

use super::pin::Secret;
use super::{Context, Exit, Failure, movement_failure};
use crate::backend::ClientService;
use crate::config::{CodeFallbackMode, CodeSettings};
use crate::domain::codes::{CodeCheck, ConfirmationCode, Confirmed};
use crate::domain::{Amount, Client, ErrorKind, Reason, ServiceError, WriteOff};
use crate::i18n::{Locale, fill};

/// What the code step gives to send, and how (the code is the server's to check when it
/// rides in the write-off).
pub(super) struct Settled {
    pub request: WriteOff,
    pub confirmed: Option<Confirmed>,
}

/// The write-off to send once its code is met. `given`: `--code`; `manager`: a manager's
/// PIN was given, which stands in for the code; `read`: the terminal, where the code is
/// asked for when none was given.
pub(super) async fn settle(
    cx: &mut Context<'_>,
    settings: CodeSettings,
    service: &dyn ClientService,
    (client, request): (&Client, WriteOff),
    (given, manager): (Option<&str>, bool),
    read: Secret<'_>,
) -> Result<Settled, Failure> {
    let (locale, t) = (cx.locale, cx.locale.text());
    let (needed, carried_is_checked) = needs_code(settings, service, &request).await;
    if !needed {
        return Ok(Settled {
            request,
            confirmed: None,
        });
    }
    if manager {
        return Ok(Settled {
            request,
            confirmed: Some(Confirmed::Manager),
        });
    }
    let Some(codes) = cx.services.codes.clone() else {
        return Err(fallback(locale, settings));
    };
    let unchecked = |e: ServiceError| match e.kind {
        ErrorKind::NotConfigured => {
            tracing::info!("confirmation codes: {}", e.detail);
            fallback(locale, settings)
        }
        _ => refused(locale, e),
    };
    let code = match given {
        Some(text) => ConfirmationCode::new(text)
            .ok_or_else(|| Failure::new(Exit::Usage, t.cli.code_shape))?,
        None => {
            let sent = codes.send_code(client, &request).await.map_err(unchecked)?;
            let to = sent.to.unwrap_or_else(|| t.cli.code_phone.to_string());
            let Some(read) = read else {
                return Err(Failure::new(Exit::Refused, fill(t.cli.code_again, to)));
            };
            cx.print(&format!("{}\n", fill(t.cli.code_sent, to)))?;
            typed_code(cx, read)?
        }
    };
    let request = match codes.check_code(client, &code).await.map_err(unchecked)? {
        CodeCheck::Confirmed => request,
        // A provider without codes (the live vendor) would take the write-off with any
        // code at all: the code would be checked by nobody.
        CodeCheck::Carried if !carried_is_checked => return Err(fallback(locale, settings)),
        CodeCheck::Carried => WriteOff {
            code: Some(code),
            ..request
        },
    };
    Ok(Settled {
        request,
        confirmed: Some(Confirmed::Code),
    })
}

/// How many times a code that is not 4 to 8 digits is asked for again at the terminal: a
/// slip of the finger must not cost the client a new code.
const TYPING_TRIES: usize = 3;

/// The code read at the terminal, asked again after a slip; said without what was typed.
fn typed_code(
    cx: &mut Context<'_>,
    read: &mut dyn FnMut(&str) -> std::io::Result<String>,
) -> Result<ConfirmationCode, Failure> {
    let t = cx.locale.text();
    for _ in 0..TYPING_TRIES {
        let typed = read(t.cli.code_prompt)
            .map_err(|e| Failure::new(Exit::Failed, format!("standard input: {e}")))?;
        if let Some(code) = ConfirmationCode::new(&typed) {
            return Ok(code);
        }
        cx.print(&format!("{}\n", t.cli.code_shape_typed))?;
    }
    Err(Failure::new(Exit::Refused, t.cli.code_shape_typed))
}

/// Whether the profile's policy or the server's (as its capabilities say) wants a code for
/// the points and roubles of `request` together, and whether the server checks a code the
/// write-off carries (its capabilities name a policy). Capabilities that cannot be read
/// say no policy: the server that has one refuses a write-off without its code anyway,
/// and a code is then never taken as checked by it.
async fn needs_code(
    settings: CodeSettings,
    service: &dyn ClientService,
    request: &WriteOff,
) -> (bool, bool) {
    let total = request
        .balance_parts()
        .into_iter()
        .try_fold(Amount::ZERO, |sum, (_, a)| sum.checked_add(a))
        // A sum past any bound is above every policy's amount.
        .unwrap_or(Amount::from_minor(i64::MAX));
    let server = match service.capabilities().await {
        Ok(can) => can.codes,
        Err(e) => {
            tracing::warn!("capabilities: {e}; the server's code policy is not known");
            None
        }
    };
    let needed = settings.policy.requires(total) || server.is_some_and(|p| p.requires(total));
    (needed, server.is_some())
}

/// Nothing here can check a code: the profile refuses, or wants a manager's PIN instead.
fn fallback(locale: Locale, settings: CodeSettings) -> Failure {
    let t = locale.text();
    match settings.fallback {
        CodeFallbackMode::Refuse => Failure::new(Exit::Refused, t.cli.code_cannot_check),
        CodeFallbackMode::Manager => Failure::new(Exit::Refused, t.cli.code_needs_pin),
    }
}

/// A send or a check refused (a wrong code, too many sends, no phone): said in the
/// catalogue's words, with nothing written off.
fn refused(locale: Locale, e: ServiceError) -> Failure {
    if let (Some(Reason::CodeResendWait), Some(wait)) = (e.reason, e.retry_after) {
        let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        return Failure::new(Exit::Refused, fill(locale.text().cli.code_wait, seconds));
    }
    let failure = movement_failure(locale, e);
    Failure::new(
        failure.exit,
        fill(locale.text().money.problem_refused, failure.message),
    )
}
