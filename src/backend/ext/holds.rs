//! Two-phase write-offs in the vendor's fiscal document: a hold per balance part, then
//! each hold written off by its transaction id.

use super::ExtAdapter;
use crate::backend::http;
use crate::backend::{Record, ServiceResult};
use crate::domain::journal::HoldStep;
use crate::domain::{ClientId, ErrorKind, ServiceError, WriteOff};
use crate::wire::ext as wire;
use reqwest::Method;

/// Two-phase write-offs (the vendor's fiscal document): hold each part, then write each
/// hold off. Every step is sent once: the document promises nothing of a repeated request, so
/// a step without an answer that proves a refusal (a timeout, a dropped connection, a 5xx, an
/// unreadable 2xx) leaves the write-off's outcome unknown, to be judged by reading back. A
/// hold whose write-off is in doubt is never cancelled; the cashier's retry (same key), offered
/// only once reading back showed nothing was taken, writes off the same holds by their
/// transaction ids and never holds anew.
impl ExtAdapter {
    pub(super) async fn write_off_in_holds(
        &self,
        client: ClientId,
        request: WriteOff,
        key: Option<String>,
        record: Record<'_>,
    ) -> ServiceResult<()> {
        let known = key
            .as_ref()
            .and_then(|k| self.unsettled.lock().ok()?.get(k).cloned());
        let holds = match known {
            Some(holds) => holds,
            None => self
                .hold_all(client, &request, record)
                .await?
                .into_iter()
                .map(|transaction| Unsettled {
                    transaction,
                    sent: false,
                })
                .collect(),
        };
        let keep = |left: Vec<Unsettled>| {
            if let (Some(k), Ok(mut map)) = (&key, self.unsettled.lock()) {
                if left.is_empty() {
                    map.remove(k);
                } else {
                    map.insert(k.clone(), left);
                }
            }
        };
        for (n, hold) in holds.iter().enumerate() {
            let result = self.settle(&hold.transaction, &request).await;
            match result {
                Ok(()) => record.step(HoldStep::WrittenOff, &hold.transaction),
                Err(e) if e.outcome_unknown() || hold.sent => {
                    // In doubt: this hold and the rest stay held for the retry, which writes
                    // them off by the same ids. A refusal of a write-off sent before proves
                    // nothing (the vendor may refuse it for being done already).
                    let mut left = holds[n..].to_vec();
                    left[0].sent = true;
                    keep(left);
                    return Err(unknown_after(e, n, holds.len()));
                }
                Err(e) => {
                    let rest: Vec<String> =
                        holds[n..].iter().map(|h| h.transaction.clone()).collect();
                    self.cancel_all(&rest, record).await;
                    keep(Vec::new());
                    return Err(if n == 0 {
                        e
                    } else {
                        ServiceError::new(
                            e.kind,
                            format!(
                                "only part was written off ({n} of {} holds); the rest was refused: {}",
                                holds.len(),
                                e.detail
                            ),
                        )
                    });
                }
            }
        }
        keep(Vec::new());
        Ok(())
    }

    /// One hold per balance part, the coupons with the first (coupons alone: a hold of 0
    /// points). A refused hold cancels those made before it, so nothing stays held; a hold
    /// without an answer may exist (it lapses by itself) and makes the outcome unknown, and
    /// those made before it, which nothing was written off from, are cancelled.
    async fn hold_all(
        &self,
        client: ClientId,
        request: &WriteOff,
        record: Record<'_>,
    ) -> ServiceResult<Vec<String>> {
        let mut parts = request.balance_parts();
        if parts.is_empty() {
            parts.push((crate::domain::Currency::Points, crate::domain::Amount::ZERO));
        }
        let mut holds = Vec::new();
        for (n, (currency, amount)) in parts.into_iter().enumerate() {
            let body = wire::HoldRequestDto {
                client_id: client.0,
                currency: wire::currency_to_wire(currency).to_string(),
                amount: wire::amount_to_wire(amount),
                coupon_ids: if n == 0 {
                    request.coupons.iter().map(|c| c.0).collect()
                } else {
                    Vec::new()
                },
                order_id: request.receipt.as_ref().map(|r| r.number.clone()),
            };
            let builder = self.request(Method::POST, wire::HOLD_PATH).json(&body);
            let answer = match self.send("hold", builder).await {
                Ok(bytes) => serde_json::from_slice::<wire::HoldDto>(&bytes).map_err(|e| {
                    ServiceError::new(ErrorKind::BadResponse, format!("hold answer: {e}"))
                }),
                Err(e) => Err(e),
            };
            match answer {
                Ok(hold) => {
                    record.held(&hold.transaction_id, hold.id);
                    holds.push(hold.transaction_id);
                }
                Err(e) => {
                    self.cancel_all(&holds, record).await;
                    return Err(e);
                }
            }
        }
        Ok(holds)
    }

    /// Writes a hold off: sent once, and a success is a 2xx the console can read. The
    /// receipt's number goes as the document's `fiscalOrderId`.
    async fn settle(&self, transaction: &str, request: &WriteOff) -> ServiceResult<()> {
        let body = wire::HoldWriteOffDto {
            transaction_id: transaction.to_string(),
            fiscal_order_id: request.receipt.as_ref().map(|r| r.number.clone()),
        };
        let builder = self
            .request(Method::POST, wire::HOLD_WRITE_OFF_PATH)
            .json(&body);
        let answer = self.send("hold write-off", builder).await?;
        http::write_accepted("hold write-off", &answer)
    }

    /// Releases holds nothing was written off from; each cancel is sent once, and one that
    /// gets no clear answer is logged (an unreleased hold lapses by itself).
    async fn cancel_all(&self, holds: &[String], record: Record<'_>) {
        for transaction in holds {
            let body = wire::TransactionDto {
                transaction_id: transaction.clone(),
            };
            let builder = self
                .request(Method::POST, wire::HOLD_CANCEL_PATH)
                .json(&body);
            let result = match self.send("hold cancel", builder).await {
                Ok(answer) => http::write_accepted("hold cancel", &answer),
                Err(e) => Err(e),
            };
            match result {
                Ok(()) => record.step(HoldStep::Cancelled, transaction),
                Err(e) => tracing::warn!(transaction, "hold not cancelled: {e}"),
            }
        }
    }

    /// `refund/` with the document's `{"orderItems": [...]}`: the holds' own `id`s, each
    /// given back in full. Sent once, never retried: a timeout, a dropped connection, a 5xx
    /// or an unreadable 2xx leaves its outcome unknown, to be judged by reading back.
    pub(super) async fn refund(&self, holds: &[String]) -> ServiceResult<()> {
        let items: Vec<serde_json::Value> = holds
            .iter()
            .map(|id| match id.parse::<i64>() {
                Ok(n) => serde_json::Value::from(n),
                Err(_) => serde_json::Value::from(id.as_str()),
            })
            .collect();
        let body = serde_json::json!({ "orderItems": items });
        let builder = self.request(Method::POST, wire::REFUND_PATH).json(&body);
        let answer = self.send("refund", builder).await?;
        http::write_accepted("refund", &answer)
    }
}

/// A hold made for a write-off and not yet written off; `sent` once its write-off went out
/// without an answer that settles it.
#[derive(Debug, Clone)]
pub(super) struct Unsettled {
    transaction: String,
    sent: bool,
}

/// The error of a write-off left in doubt at its `n`th hold of `total`.
fn unknown_after(e: ServiceError, n: usize, total: usize) -> ServiceError {
    // A refusal of a write-off sent before is an answer that cannot be read as one.
    let kind = if e.outcome_unknown() {
        e.kind
    } else {
        ErrorKind::BadResponse
    };
    let detail = if n == 0 {
        e.detail
    } else {
        format!(
            "{n} of {total} holds were written off; the next one is in doubt: {}",
            e.detail
        )
    };
    ServiceError::new(kind, detail)
}
