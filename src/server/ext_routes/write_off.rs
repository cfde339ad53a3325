//! `POST clients/{id}/balance/write_off/`: the body read strictly, the `Idempotency-Key`
//! honoured (replay, conflict, one request per key at a time) and the answer in the vendor's
//! form.

use super::*;

/// Reads and checks a write-off body: each currency at most once, amounts above zero with at
/// most two decimals, coupons listed once, and something to write off at all.
pub fn parse_write_off(body: &[u8]) -> Result<WriteOff, ApiError> {
    let dto: WriteOffDto = serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("invalid write-off body: {e}")))?;
    let mut request = WriteOff::default();
    for item in dto.balance.unwrap_or_default() {
        let currency = ext::currency_from_wire(&item.currency)
            .map_err(|_| ApiError::bad_request(format!("unknown currency {:?}", item.currency)))?;
        let amount = Amount::parse_decimal(&item.amount.to_string())
            .map_err(|e| ApiError::bad_request(format!("amount {}: {e}", item.amount)))?;
        if !amount.is_positive() {
            return Err(ApiError::bad_request(format!(
                "amount must be above zero, got {}",
                item.amount
            )));
        }
        let slot = match currency {
            Currency::Points => &mut request.points,
            Currency::Rubles => &mut request.rubles,
        };
        if slot.replace(amount).is_some() {
            return Err(ApiError::bad_request(format!(
                "currency {:?} is listed twice",
                item.currency
            )));
        }
    }
    let mut seen = HashSet::new();
    for id in dto.coupons.unwrap_or_default() {
        if !seen.insert(id) {
            return Err(ApiError::bad_request(format!(
                "coupon {id} is listed twice"
            )));
        }
        request.coupons.push(CouponId(id));
    }
    if request.is_empty() {
        return Err(ApiError::bad_request(
            "nothing to write off: give balance or coupons",
        ));
    }
    Ok(request)
}

pub const IDEMPOTENCY_KEY: &str = "idempotency-key";

/// The caller's `Idempotency-Key`, if any: 1 to 255 printable ASCII characters.
fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(value) = headers.get(IDEMPOTENCY_KEY) else {
        return Ok(None);
    };
    let key = value
        .to_str()
        .ok()
        .filter(|k| (1..=255).contains(&k.len()) && k.chars().all(|c| c.is_ascii_graphic()))
        .ok_or_else(|| {
            ApiError::bad_request("Idempotency-Key must be 1 to 255 printable ASCII characters")
        })?;
    Ok(Some(key.to_string()))
}

fn sha256_hex(parts: &[&[u8]]) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    hex::encode(hasher.finalize())
}

/// Removes a key from the in-flight set however the request ends.
struct InFlight {
    set: Arc<Mutex<HashSet<(String, String)>>>,
    entry: (String, String),
}

impl Drop for InFlight {
    fn drop(&mut self) {
        if let Ok(mut set) = self.set.lock() {
            set.remove(&self.entry);
        }
    }
}

fn answer(result: Result<(), &StoreError>) -> (u16, String) {
    match result {
        Ok(()) => (200, String::new()),
        Err(StoreError::Refused(r)) => {
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, r.code(), r.to_string()).parts()
        }
        Err(e) => ApiError::not_found(e.to_string()).parts(),
    }
}

pub(super) async fn write_off(
    State(state): State<ServerState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let id = client_id(&id)?;
    let request = parse_write_off(&body)?;
    let summary = format!("{request:?}");
    let made = caller.made(&state);
    let Some(key) = idempotency_key(&headers)? else {
        let ledger = state.store.write_off(id, request, made).await?;
        tracing::info!(client = id.0, ?ledger, "write-off {summary}");
        return Ok(StatusCode::OK.into_response());
    };
    // Keys belong to the principal that used them: two tills never collide, and a till
    // that retries under another seed-001 `login` (the caller chooses it) still gets its
    // first answer rather than a second write-off.
    let scope = sha256_hex(&[b"principal", caller.principal.name.as_bytes()]);
    let entry = (scope.clone(), key.clone());
    let _guard = {
        let mut set = state
            .in_flight
            .lock()
            .map_err(|_| ApiError::conflict("try again"))?;
        if !set.insert(entry.clone()) {
            return Err(ApiError::conflict(format!(
                "a write-off with Idempotency-Key {key} is still running"
            )));
        }
        InFlight {
            set: state.in_flight.clone(),
            entry,
        }
    };
    let idem = store::Idempotency {
        fingerprint: sha256_hex(&[id.0.to_string().as_bytes(), &body]),
        scope,
        key: key.clone(),
    };
    let outcome = state
        .store
        .write_off_once(id, request, made, idem, answer)
        .await?;
    match outcome {
        store::Keyed::Fresh(Ok(ledger)) => {
            tracing::info!(client = id.0, ?ledger, key, "write-off {summary}");
            Ok(StatusCode::OK.into_response())
        }
        store::Keyed::Fresh(Err(e)) => Err(e.into()),
        store::Keyed::Replay { status, body } => {
            tracing::info!(client = id.0, key, status, "write-off replayed");
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
            let json = !body.is_empty();
            let mut response = (status, body).into_response();
            if json {
                response
                    .headers_mut()
                    .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            }
            response
                .headers_mut()
                .insert("idempotent-replayed", HeaderValue::from_static("true"));
            Ok(response)
        }
        store::Keyed::Mismatch => Err(ApiError::key_reused(format!(
            "Idempotency-Key {key} was used for a different request"
        ))),
    }
}
