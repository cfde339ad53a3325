//! Confirmation codes in PostgreSQL's SQL (`rules::codes` says what they mean), as
//! `sqlite/codes.rs` says them in SQLite's: a send counts and pauses under a lock of the
//! phone, so instances sharing the database cannot both slip past the bound; a check locks
//! the client's codes, so a wrong try is counted once; a write-off spends its code by a
//! conditional update in its own transaction.

use super::Postgres;
use super::write_off::Outcome;
use crate::domain::ClientId;
use crate::server::store::rules::codes::{
    self, ATTEMPTS_MAX, CodeRefusal, CodeRow, Confirm, NewCode, RECENT, SENDS_WINDOW_MS, Verdict,
};
use crate::server::store::rules::spending::Made;
use crate::server::store::{Refusal, StoreError};
use deadpool_postgres::GenericClient;

impl Postgres {
    /// See `Sqlite::record_code`.
    pub async fn record_code(&self, new: &NewCode) -> Result<(i64, String), StoreError> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        let Some(row) = tx
            .query_opt("SELECT phone FROM clients WHERE id = $1", &[&new.client.0])
            .await?
        else {
            return Err(StoreError::ClientNotFound(new.client.0));
        };
        let phone =
            codes::phone_digits(row.get::<_, Option<&str>>(0)).ok_or(CodeRefusal::NoPhone)?;
        tx.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended($1, 7))",
            &[&format!("code\n{phone}")],
        )
        .await?;
        let sent: Vec<i64> = tx
            .query(
                "SELECT created_ms FROM confirmation_codes WHERE phone = $1 AND created_ms > $2",
                &[&phone, &(new.created_ms - SENDS_WINDOW_MS)],
            )
            .await?
            .iter()
            .map(|r| r.get(0))
            .collect();
        let last_own: Option<i64> = tx
            .query_one(
                "SELECT max(created_ms) FROM confirmation_codes
                 WHERE client_id = $1 AND principal = $2 AND NOT void",
                &[&new.client.0, &new.principal],
            )
            .await?
            .get(0);
        codes::may_send(&sent, last_own, new.created_ms)?;
        tx.execute(
            "UPDATE confirmation_codes SET void = true
             WHERE client_id = $1 AND principal = $2 AND used_ms IS NULL AND NOT void",
            &[&new.client.0, &new.principal],
        )
        .await?;
        let id: i64 = tx
            .query_one(
                "INSERT INTO confirmation_codes (client_id, phone, principal, points, rubles,
                                                 code_salt, code_hash, created_ms, expires_ms)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                &[
                    &new.client.0,
                    &phone,
                    &new.principal,
                    &new.points,
                    &new.rubles,
                    &new.salt,
                    &new.hash,
                    &new.created_ms,
                    &new.expires_ms,
                ],
            )
            .await?
            .get(0);
        tx.commit().await?;
        Ok((id, phone))
    }

    /// A code whose sending failed: no one may use it.
    pub async fn void_code(&self, id: i64) -> Result<(), StoreError> {
        self.client()
            .await?
            .execute(
                "UPDATE confirmation_codes SET void = true WHERE id = $1",
                &[&id],
            )
            .await?;
        Ok(())
    }

    /// See `Sqlite::spend_code`.
    pub async fn spend_code(&self, id: i64, now_ms: i64) -> Result<bool, StoreError> {
        let spent = self
            .client()
            .await?
            .execute(
                "UPDATE confirmation_codes SET used_ms = $2
                 WHERE id = $1 AND used_ms IS NULL AND NOT void AND expires_ms > $2",
                &[&id, &now_ms],
            )
            .await?;
        Ok(spent == 1)
    }

    /// See `Sqlite::check_code`.
    pub async fn check_code(
        &self,
        client: ClientId,
        code: &str,
        principal: &str,
        amounts: (i64, i64),
        now_ms: i64,
    ) -> Result<Verdict, StoreError> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        let rows: Vec<CodeRow> = tx
            .query(
                "SELECT id, principal, points, rubles, code_salt, code_hash, expires_ms,
                        attempts::bigint, used_ms IS NOT NULL, void
                 FROM confirmation_codes WHERE client_id = $1
                 ORDER BY id DESC LIMIT $2 FOR UPDATE",
                &[&client.0, &RECENT],
            )
            .await?
            .iter()
            .map(|r| CodeRow {
                id: r.get(0),
                principal: r.get(1),
                points: r.get(2),
                rubles: r.get(3),
                salt: r.get(4),
                hash: r.get(5),
                expires_ms: r.get(6),
                attempts: r.get(7),
                used: r.get(8),
                void: r.get(9),
            })
            .collect();
        let typed = codes::Typed {
            code,
            principal,
            points: amounts.0,
            rubles: amounts.1,
        };
        let verdict = codes::verdict(&rows, typed, now_ms);
        if let Verdict::Refuse(_, Some(id)) = verdict {
            tx.execute(
                "UPDATE confirmation_codes SET attempts = attempts + 1 WHERE id = $1",
                &[&id],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(verdict)
    }
}

/// A write-off's outcome once its code is spent and how it was allowed is marked: a code
/// spent meanwhile turns it into that refusal (its transaction is then not committed).
pub(super) async fn confirmed(
    c: &impl GenericClient,
    outcome: Outcome,
    made: &Made,
) -> Result<Outcome, StoreError> {
    let Outcome::Done(written) = outcome else {
        return Ok(outcome);
    };
    match confirm(c, written.operation.0, made).await {
        Ok(()) => Ok(Outcome::Done(written)),
        Err(e @ StoreError::Refused(_)) => Ok(Outcome::Refused(e)),
        Err(e) => Err(e),
    }
}

/// Marks how the write-off `operation` was allowed and spends its code, in the write-off's
/// transaction: a code spent meanwhile refuses the write-off, which the caller rolls back.
async fn confirm(c: &impl GenericClient, operation: i64, made: &Made) -> Result<(), StoreError> {
    let Some(confirm) = made.confirm else {
        return Ok(());
    };
    if let Confirm::Code(id) = confirm {
        let spent = c
            .execute(
                "UPDATE confirmation_codes SET used_ms = $1, operation_id = $2
                 WHERE id = $3 AND used_ms IS NULL AND NOT void AND expires_ms > $1
                   AND attempts < $4",
                &[
                    &made.at.as_millisecond(),
                    &operation,
                    &id,
                    &(ATTEMPTS_MAX as i32),
                ],
            )
            .await?;
        if spent == 0 {
            let used: bool = c
                .query_one(
                    "SELECT used_ms IS NOT NULL FROM confirmation_codes WHERE id = $1",
                    &[&id],
                )
                .await?
                .get(0);
            let refusal = if used {
                CodeRefusal::Used
            } else {
                CodeRefusal::Expired
            };
            return Err(StoreError::Refused(Refusal::Code(refusal)));
        }
    }
    c.execute(
        "UPDATE operations SET confirmed = $1 WHERE id = $2",
        &[&confirm.code(), &operation],
    )
    .await?;
    Ok(())
}
