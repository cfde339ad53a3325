//! Confirmation codes in SQLite's SQL (`rules::codes` says what they mean): recording one
//! sent, voiding one undelivered, checking one typed (its wrong try committed whatever the
//! write-off comes to), and spending it inside the write-off's own savepoint.

use super::Sqlite;
use crate::domain::ClientId;
use crate::server::store::rules::codes::{
    self, ATTEMPTS_MAX, CodeRefusal, CodeRow, Confirm, NewCode, RECENT, SENDS_WINDOW_MS, Verdict,
};
use crate::server::store::rules::spending::Made;
use crate::server::store::{Refusal, StoreError};
use rusqlite::{Connection, OptionalExtension, params};

impl Sqlite {
    /// Records a code to be sent, voiding the till's earlier one for this client: its id and
    /// the phone's digits; refused without a phone, too soon after the last, or too often.
    pub async fn record_code(&self, new: NewCode) -> Result<(i64, String), StoreError> {
        self.run_write(move |c| record(c, &new)).await
    }

    /// A code whose sending failed: no one may use it.
    pub async fn void_code(&self, id: i64) -> Result<(), StoreError> {
        self.run_write(move |c| {
            c.execute("UPDATE confirmation_codes SET void = 1 WHERE id = ?1", [id])?;
            Ok(())
        })
        .await
    }

    /// Spends a code checked apart from any write-off (Mloyalty's `GetConfirmCode`): whether
    /// it was still good to spend.
    pub async fn spend_code(&self, id: i64, now_ms: i64) -> Result<bool, StoreError> {
        self.run_write(move |c| {
            let spent = c.execute(
                "UPDATE confirmation_codes SET used_ms = ?2
                 WHERE id = ?1 AND used_ms IS NULL AND void = 0 AND expires_ms > ?2",
                params![id, now_ms],
            )?;
            Ok(spent == 1)
        })
        .await
    }

    /// Checks a typed code for a write-off; a wrong try is counted and committed.
    pub async fn check_code(
        &self,
        client: ClientId,
        code: String,
        principal: String,
        amounts: (i64, i64),
        now_ms: i64,
    ) -> Result<Verdict, StoreError> {
        self.run_write(move |c| {
            let rows = recent(c, client)?;
            let typed = codes::Typed {
                code: &code,
                principal: &principal,
                points: amounts.0,
                rubles: amounts.1,
            };
            let verdict = codes::verdict(&rows, typed, now_ms);
            if let Verdict::Refuse(_, Some(id)) = verdict {
                c.execute(
                    "UPDATE confirmation_codes SET attempts = attempts + 1 WHERE id = ?1",
                    [id],
                )?;
            }
            Ok(verdict)
        })
        .await
    }
}

fn record(c: &Connection, new: &NewCode) -> Result<(i64, String), StoreError> {
    let phone: Option<Option<String>> = c
        .query_row(
            "SELECT phone FROM clients WHERE id = ?1",
            [new.client.0],
            |r| r.get(0),
        )
        .optional()?;
    let Some(phone) = phone else {
        return Err(StoreError::ClientNotFound(new.client.0));
    };
    let phone = codes::phone_digits(phone.as_deref()).ok_or(CodeRefusal::NoPhone)?;
    let sent: Vec<i64> = c
        .prepare_cached(
            "SELECT created_ms FROM confirmation_codes WHERE phone = ?1 AND created_ms > ?2",
        )?
        .query_map(params![phone, new.created_ms - SENDS_WINDOW_MS], |r| {
            r.get(0)
        })?
        .collect::<Result<_, _>>()?;
    let last_own: Option<i64> = c.query_row(
        "SELECT max(created_ms) FROM confirmation_codes
             WHERE client_id = ?1 AND principal = ?2 AND void = 0",
        params![new.client.0, new.principal],
        |r| r.get(0),
    )?;
    codes::may_send(&sent, last_own, new.created_ms)?;
    c.execute(
        "UPDATE confirmation_codes SET void = 1
         WHERE client_id = ?1 AND principal = ?2 AND used_ms IS NULL AND void = 0",
        params![new.client.0, new.principal],
    )?;
    c.execute(
        "INSERT INTO confirmation_codes (client_id, phone, principal, points, rubles,
                                         code_salt, code_hash, created_ms, expires_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            new.client.0,
            phone,
            new.principal,
            new.points,
            new.rubles,
            new.salt,
            new.hash,
            new.created_ms,
            new.expires_ms
        ],
    )?;
    Ok((c.last_insert_rowid(), phone))
}

/// The client's newest codes, newest first.
fn recent(c: &Connection, client: ClientId) -> Result<Vec<CodeRow>, StoreError> {
    let rows = c
        .prepare_cached(
            "SELECT id, principal, points, rubles, code_salt, code_hash, expires_ms, attempts,
                    used_ms IS NOT NULL, void
             FROM confirmation_codes WHERE client_id = ?1 ORDER BY id DESC LIMIT ?2",
        )?
        .query_map(params![client.0, RECENT], |r| {
            Ok(CodeRow {
                id: r.get(0)?,
                principal: r.get(1)?,
                points: r.get(2)?,
                rubles: r.get(3)?,
                salt: r.get(4)?,
                hash: r.get(5)?,
                expires_ms: r.get(6)?,
                attempts: r.get(7)?,
                used: r.get(8)?,
                void: r.get(9)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Marks how the write-off `operation` was allowed and spends its code, in the write-off's
/// own savepoint: a code spent meanwhile (another till's write-off, a concurrent request)
/// refuses the write-off, which then leaves nothing.
pub(super) fn confirm(c: &Connection, operation: i64, made: &Made) -> Result<(), StoreError> {
    let Some(confirm) = made.confirm else {
        return Ok(());
    };
    if let Confirm::Code(id) = confirm {
        let spent = c.execute(
            "UPDATE confirmation_codes SET used_ms = ?1, operation_id = ?2
             WHERE id = ?3 AND used_ms IS NULL AND void = 0 AND expires_ms > ?1
               AND attempts < ?4",
            params![made.at.as_millisecond(), operation, id, ATTEMPTS_MAX],
        )?;
        if spent == 0 {
            let used: bool = c.query_row(
                "SELECT used_ms IS NOT NULL FROM confirmation_codes WHERE id = ?1",
                [id],
                |r| r.get(0),
            )?;
            let refusal = if used {
                CodeRefusal::Used
            } else {
                CodeRefusal::Expired
            };
            return Err(StoreError::Refused(Refusal::Code(refusal)));
        }
    }
    c.execute(
        "UPDATE operations SET confirmed = ?1 WHERE id = ?2",
        params![confirm.code(), operation],
    )?;
    Ok(())
}
