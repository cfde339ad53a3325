//! Confirmation codes on our extension (`wire::ext_operations::codes`): `POST
//! clients/{id}/confirmation_code/` has a code sent to the client's phone for a write-off's
//! amounts, and a write-off its till's policy asks a code for must carry it
//! (`X-Confirmation-Code`) or a manager's PIN, whoever calls. The code is never logged: the
//! phone is, masked.

use super::write_off::parse_write_off;
use super::*;
use crate::domain::codes::{CodePolicy, ConfirmationCode};
use crate::server::codes::{Issued, NotIssued, issue};
use crate::server::error::code_refusal;
use crate::server::store::rules::codes::{self, CodeRefusal, Confirm, Verdict};
use crate::wire::ext_operations::{CODE_HEADER, CodeSentDto};
use axum::http::header::RETRY_AFTER;

/// Points and roubles of a write-off in kopecks: what a code binds to and a policy weighs
/// (coupons count nothing).
fn amounts(request: &WriteOff) -> (i64, i64) {
    (
        request.points.map_or(0, Amount::minor),
        request.rubles.map_or(0, Amount::minor),
    )
}

/// The caller's point of sale's code policy.
pub(super) fn policy(state: &ServerState, caller: &Caller) -> CodePolicy {
    state.limits.code_policy(&caller.principal.name)
}

fn requires(policy: CodePolicy, request: &WriteOff) -> bool {
    let (points, rubles) = amounts(request);
    policy.requires(Amount::from_minor(points.saturating_add(rubles)))
}

/// A refusal of a code's send: 429s carry `Retry-After`.
fn refused(r: CodeRefusal) -> Response {
    let mut response = code_refusal(r).into_response();
    if let Some(seconds) = r.retry_after()
        && let Ok(value) = seconds.to_string().parse()
    {
        response.headers_mut().insert(RETRY_AFTER, value);
    }
    response
}

/// `POST clients/{id}/confirmation_code/`: the body is the write-off's (`balance`,
/// `coupons`); answers where the code went, until when it is good, and when another may be
/// sent.
pub(super) async fn send(
    State(state): State<ServerState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let id = client_id(&id)?;
    let request = parse_write_off(&body)?;
    let principal = caller.principal.name.clone();
    match issue(&state, id, principal, amounts(&request)).await {
        Ok(Issued { masked, expires }) => Ok(Json(CodeSentDto {
            sent_to: Some(masked),
            expires_at: Some(expires.to_string()),
            resend_after: Some((codes::RESEND_MS / 1000) as u32),
        })
        .into_response()),
        Err(NotIssued::NoSender) => Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "code_undelivered",
            "this server has no way to send codes (no --code-outbox or --code-webhook): \
             a write-off that needs a code needs a manager's PIN",
        )),
        Err(NotIssued::Refused(r)) => {
            tracing::info!(client = id.0, code = r.code(), "confirmation code not sent");
            Ok(refused(r))
        }
        Err(NotIssued::Undelivered(why)) => Err(ApiError::new(
            StatusCode::BAD_GATEWAY,
            "code_undelivered",
            format!("the code could not be delivered ({why}); send another"),
        )),
        Err(NotIssued::Store(e)) => Err(e.into()),
    }
}

/// How a write-off of `request` by `caller` is allowed under its policy: `None` where the
/// policy asks no code, the manager's PIN where one was given, else the code in
/// [`CODE_HEADER`], checked now (a wrong try is counted whatever the write-off comes to).
/// `keyed`: a code already spent is passed on, for the key's stored answer to decide.
pub(super) async fn confirm(
    state: &ServerState,
    caller: &Caller,
    client: ClientId,
    request: &WriteOff,
    manager: bool,
    headers: &HeaderMap,
    keyed: bool,
) -> Result<Option<Confirm>, ApiError> {
    if !requires(policy(state, caller), request) {
        return Ok(None);
    }
    if manager {
        return Ok(Some(Confirm::Manager));
    }
    let Some(value) = headers.get(CODE_HEADER) else {
        return Err(code_refusal(CodeRefusal::Required));
    };
    let Some(code) = value.to_str().ok().and_then(ConfirmationCode::new) else {
        return Err(code_refusal(CodeRefusal::Wrong));
    };
    let verdict = state
        .store
        .check_code(
            client,
            code.expose().to_string(),
            caller.principal.name.clone(),
            amounts(request),
            state.now().as_millisecond(),
        )
        .await?;
    match verdict {
        Verdict::Spend(id) => Ok(Some(Confirm::Code(id))),
        Verdict::Spent(id) if keyed => Ok(Some(Confirm::Code(id))),
        Verdict::Spent(_) => Err(code_refusal(CodeRefusal::Used)),
        Verdict::Refuse(r, _) => {
            tracing::info!(
                client = client.0,
                code = r.code(),
                "confirmation code refused"
            );
            Err(code_refusal(r))
        }
    }
}

/// A hold its till's policy would ask a code for: refused without a manager's PIN, since a
/// hold's request has no place for the code on this server.
pub(super) fn hold_allowed(
    state: &ServerState,
    caller: &Caller,
    request: &WriteOff,
    manager: bool,
) -> Result<(), ApiError> {
    if manager || !requires(policy(state, caller), request) {
        return Ok(());
    }
    Err(ApiError::new(
        StatusCode::FORBIDDEN,
        "code_required",
        "the point of sale asks the client's confirmation code for this amount, and a hold \
         cannot carry one on this server: write off directly with the code, or give a \
         manager's PIN",
    ))
}
