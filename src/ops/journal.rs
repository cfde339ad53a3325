//! The local audit journal: one JSON line per event, appended and fsynced before the request
//! it records goes out, never rewritten. An attempt line carries a movement: who, which
//! profile, the client, its kind, amounts and coupons, why, and the idempotency key; outcome
//! lines follow it.

use crate::domain::codes::Confirmed;
use crate::domain::journal::{Attempt, HoldStep, JournalRow, Movement, Outcome};
use crate::domain::reversal::{ReasonCode, Refund, Why};
use crate::domain::{Amount, ClientId, CouponId, OperationId, Receipt, Reversal, WriteOff};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The kind of movement an attempt line records. Lines written before there was more than
/// one kind have no `kind`: they are write-offs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Kind {
    #[default]
    WriteOff,
    Reversal,
    Refund,
}

// One line lives at a time, on its way to or from the file: its size costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
enum Line {
    Attempt {
        at: String,
        key: String,
        profile: String,
        user: String,
        client: i64,
        #[serde(default)]
        kind: Kind,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        points: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        rubles: Option<String>,
        #[serde(default)]
        coupons: Vec<i64>,
        /// A write-off's receipt: its number and total.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        receipt: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        receipt_total: Option<String>,
        /// A reversal's original operation and its reason's code and note.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        original: Option<i64>,
        /// A refund's write-off, by its journal key.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        of_key: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        why: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
        /// Sent with a manager's PIN; the PIN itself never reaches the journal.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        manager: bool,
        /// How a write-off that needed the client's code was allowed (`Confirmed::code`);
        /// lines written before codes have none.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        confirmed: Option<String>,
    },
    Outcome {
        at: String,
        key: String,
        client: i64,
        outcome: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        detail: Option<String>,
        /// The server's number for the movement, when it gave one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        operation: Option<i64>,
    },
    /// A vendor transaction of a two-phase write-off: held, written off or cancelled.
    Transaction {
        at: String,
        key: String,
        client: i64,
        step: String,
        transaction_id: String,
        /// A hold's own `id` from its answer, which a refund names it by; lines written
        /// before it was kept have none.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        hold: Option<i64>,
    },
}

/// A hold a two-phase write-off was written off from: its transaction and the hold's id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenOffHold {
    pub transaction: String,
    pub hold: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct Journal {
    path: PathBuf,
    profile: String,
    user: String,
}

impl Journal {
    pub fn new(path: PathBuf, profile: String) -> Self {
        let user = ["USER", "LOGNAME", "USERNAME"]
            .iter()
            .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
            .unwrap_or_else(|| "unknown".into());
        Journal {
            path,
            profile,
            user,
        }
    }

    /// Records `login` as who made the entries, when the profile signs in as someone: the
    /// person the vendor knows, rather than the machine's account.
    pub fn by(self, login: Option<&str>) -> Self {
        match login {
            Some(user) => Journal {
                user: user.to_string(),
                ..self
            },
            None => self,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn append(&self, line: &Line) -> std::io::Result<()> {
        let mut text = serde_json::to_string(line).map_err(std::io::Error::other)?;
        text.push('\n');
        let mut file = super::private::append(&self.path)?;
        file.write_all(text.as_bytes())?;
        // On disk before the request leaves: a crash after sending still leaves the record.
        file.sync_all()
    }

    /// Records a movement about to be sent, under its key.
    pub fn attempt(&self, attempt: &Attempt) -> std::io::Result<()> {
        let (kind, points, rubles, coupons) = match &attempt.movement {
            Movement::WriteOff(w) => (Kind::WriteOff, w.points, w.rubles, &w.coupons),
            Movement::Reversal(r) => (Kind::Reversal, r.points, r.rubles, &r.coupons),
            Movement::Refund(f) => (
                Kind::Refund,
                f.taken.points,
                f.taken.rubles,
                &f.taken.coupons,
            ),
        };
        let (receipt, why, original, of_key) = match &attempt.movement {
            Movement::WriteOff(w) => (w.receipt.as_ref(), w.why.as_ref(), None, None),
            Movement::Reversal(r) => (None, Some(&r.why), Some(r.original.0), None),
            Movement::Refund(f) => (
                f.taken.receipt.as_ref(),
                Some(&f.why),
                None,
                Some(&f.of_key),
            ),
        };
        self.append(&Line::Attempt {
            at: Timestamp::now().to_string(),
            key: attempt.key.clone(),
            profile: self.profile.clone(),
            user: self.user.clone(),
            client: attempt.client.0,
            kind,
            reason: attempt.reason.clone(),
            points: points.map(|a| a.to_string()),
            rubles: rubles.map(|a| a.to_string()),
            coupons: coupons.iter().map(|c| c.0).collect(),
            receipt: receipt.map(|r| r.number.clone()),
            receipt_total: receipt.map(|r| r.total.to_string()),
            original,
            of_key: of_key.cloned(),
            why: why.map(|w| w.code.code().to_string()),
            note: why.and_then(|w| w.note.clone()),
            manager: attempt.manager,
            confirmed: attempt.confirmed.map(|c| c.code().to_string()),
        })
    }

    /// Records how a movement ended; `operation` is the server's number for it, if known.
    pub fn outcome(
        &self,
        key: &str,
        client: ClientId,
        outcome: Outcome,
        detail: Option<String>,
        operation: Option<OperationId>,
    ) -> std::io::Result<()> {
        self.append(&Line::Outcome {
            at: Timestamp::now().to_string(),
            key: key.to_string(),
            client: client.0,
            outcome: outcome.as_str().to_string(),
            detail,
            operation: operation.map(|o| o.0),
        })
    }

    /// Records a vendor transaction of a two-phase write-off; `hold`: the hold's own id.
    pub fn transaction(
        &self,
        key: &str,
        client: ClientId,
        step: HoldStep,
        transaction_id: &str,
        hold: Option<i64>,
    ) -> std::io::Result<()> {
        self.append(&Line::Transaction {
            at: Timestamp::now().to_string(),
            key: key.to_string(),
            client: client.0,
            step: step.as_str().to_string(),
            transaction_id: transaction_id.to_string(),
            hold,
        })
    }

    /// The holds the write-off under `key` was made of and written off from, with the id
    /// each hold's answer gave (`None` where the line predates it or the vendor gave none).
    /// Empty: a direct write-off, or one that took nothing through holds.
    pub fn written_off_holds(&self, key: &str) -> std::io::Result<Vec<WrittenOffHold>> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        let mut ids: HashMap<String, i64> = HashMap::new();
        let mut written: Vec<String> = Vec::new();
        for line in text.lines() {
            if let Ok(Line::Transaction {
                key: k,
                step,
                transaction_id,
                hold,
                ..
            }) = serde_json::from_str::<Line>(line)
                && k == key
            {
                if let Some(hold) = hold {
                    ids.insert(transaction_id.clone(), hold);
                }
                if step == HoldStep::WrittenOff.as_str() && !written.contains(&transaction_id) {
                    written.push(transaction_id);
                }
            }
        }
        Ok(written
            .into_iter()
            .map(|transaction| WrittenOffHold {
                hold: ids.get(&transaction).copied(),
                transaction,
            })
            .collect())
    }

    /// Every attempt with its latest outcome, newest first. Lines that cannot be read (a
    /// torn last line after a power cut) are skipped, not fatal.
    pub fn rows(&self) -> std::io::Result<Vec<JournalRow>> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        let mut rows: Vec<JournalRow> = Vec::new();
        let mut by_key: HashMap<String, usize> = HashMap::new();
        for line in text.lines() {
            match serde_json::from_str::<Line>(line) {
                Ok(Line::Attempt {
                    at,
                    key,
                    profile,
                    user,
                    client,
                    kind,
                    reason,
                    points,
                    rubles,
                    coupons,
                    receipt,
                    receipt_total,
                    original,
                    of_key,
                    why,
                    note,
                    manager,
                    confirmed,
                }) => {
                    let amount = |a: Option<String>| a.and_then(|t| Amount::parse_decimal(&t).ok());
                    let coupons = coupons.into_iter().map(CouponId).collect();
                    let taken = WriteOff {
                        points: amount(points),
                        rubles: amount(rubles),
                        coupons,
                        receipt: receipt.map(|number| Receipt {
                            number,
                            total: amount(receipt_total).unwrap_or(Amount::ZERO),
                        }),
                        why: None,
                        code: None,
                    };
                    // A reversal's or a refund's line always says why; a write-off's only
                    // when a manager let it past a limit.
                    let said = why.is_some();
                    let why = Why {
                        code: why
                            .as_deref()
                            .and_then(ReasonCode::from_code)
                            .unwrap_or(ReasonCode::Other),
                        note,
                    };
                    let movement = match kind {
                        Kind::WriteOff => Movement::WriteOff(WriteOff {
                            why: said.then_some(why),
                            ..taken
                        }),
                        Kind::Reversal => Movement::Reversal(Reversal {
                            original: OperationId(original.unwrap_or_default()),
                            client: ClientId(client),
                            points: taken.points,
                            rubles: taken.rubles,
                            coupons: taken.coupons,
                            why,
                        }),
                        Kind::Refund => Movement::Refund(Refund {
                            of_key: of_key.unwrap_or_default(),
                            client: ClientId(client),
                            taken,
                            why,
                        }),
                    };
                    by_key.insert(key.clone(), rows.len());
                    rows.push(JournalRow {
                        at: at.parse().unwrap_or(Timestamp::UNIX_EPOCH),
                        profile,
                        user,
                        attempt: Attempt {
                            key,
                            client: ClientId(client),
                            movement,
                            reason,
                            manager,
                            confirmed: confirmed.as_deref().and_then(Confirmed::from_code),
                        },
                        outcome: None,
                        detail: None,
                        operation: None,
                    });
                }
                Ok(Line::Outcome {
                    key,
                    outcome,
                    detail,
                    operation,
                    ..
                }) => {
                    if let Some(row) = by_key.get(&key).and_then(|i| rows.get_mut(*i)) {
                        row.outcome = Outcome::parse(&outcome);
                        row.detail = detail;
                        row.operation = operation.map(OperationId).or(row.operation);
                    }
                }
                // Transaction lines are for settling by hand; the rows show outcomes.
                Ok(Line::Transaction { .. }) => {}
                Err(e) => tracing::warn!(
                    "journal {}: unreadable line skipped: {e}",
                    self.path.display()
                ),
            }
        }
        rows.reverse();
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write_off(key: &str, client: i64, request: &WriteOff) -> Attempt {
        Attempt::write_off(key.into(), ClientId(client), request.clone())
    }

    #[test]
    fn attempts_and_outcomes_fold_into_rows_newest_first() {
        let dir = tempfile::tempdir().unwrap();
        let j = Journal::new(dir.path().join("journal.jsonl"), "shop".into());
        let w = WriteOff {
            points: Some(Amount::from_minor(1250)),
            rubles: None,
            coupons: vec![CouponId(7)],
            receipt: None,
            why: None,
            code: None,
        };
        j.attempt(&write_off("k1", 1, &w)).unwrap();
        j.outcome(
            "k1",
            ClientId(1),
            Outcome::Unknown,
            Some("timed out".into()),
            None,
        )
        .unwrap();
        j.attempt(&write_off("k2", 2, &w)).unwrap();
        j.outcome("k1", ClientId(1), Outcome::AppliedAfterCheck, None, None)
            .unwrap();
        // A torn last line is skipped.
        std::fs::OpenOptions::new()
            .append(true)
            .open(j.path())
            .unwrap()
            .write_all(br#"{"event":"att"#)
            .unwrap();
        let rows = j.rows().unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(
            (rows[0].attempt.key.as_str(), rows[0].outcome),
            ("k2", None)
        );
        assert_eq!(
            (rows[1].attempt.key.as_str(), rows[1].outcome),
            ("k1", Some(Outcome::AppliedAfterCheck))
        );
        assert_eq!(rows[1].attempt.movement, Movement::WriteOff(w));
        assert_eq!(rows[1].profile, "shop");
    }

    #[test]
    fn entries_name_the_profiles_login_when_it_has_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.jsonl");
        let w = WriteOff {
            points: Some(Amount::from_minor(100)),
            rubles: None,
            coupons: vec![],
            receipt: None,
            why: None,
            code: None,
        };
        Journal::new(path.clone(), "shop".into())
            .by(Some("cashier@shop.ru"))
            .attempt(&write_off("k1", 1, &w))
            .unwrap();
        let machine = Journal::new(path.clone(), "shop".into()).by(None);
        machine.attempt(&write_off("k2", 1, &w)).unwrap();
        let rows = machine.rows().unwrap();
        assert_eq!(rows[1].user, "cashier@shop.ru");
        assert_ne!(
            rows[0].user, "cashier@shop.ru",
            "no login: the account's name"
        );
    }

    /// Lines exactly as the console wrote them before movements had a kind: no `kind`, no
    /// `reason`. A journal kept across the upgrade must still list them as write-offs.
    #[test]
    fn a_line_written_before_kinds_loads_as_a_write_off() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.jsonl");
        std::fs::write(
            &path,
            concat!(
                r#"{"event":"attempt","at":"2026-03-01T10:00:00Z","key":"s-1","profile":"shop","user":"anna","client":42,"points":"12.5","rubles":"3","coupons":[5,6]}"#,
                "\n",
                r#"{"event":"transaction","at":"2026-03-01T10:00:01Z","key":"s-1","client":42,"step":"held","transaction_id":"t-9"}"#,
                "\n",
                r#"{"event":"outcome","at":"2026-03-01T10:00:02Z","key":"s-1","client":42,"outcome":"refused","detail":"no"}"#,
                "\n",
            ),
        )
        .unwrap();
        let rows = Journal::new(path, String::new()).rows().unwrap();
        assert_eq!(
            rows,
            vec![JournalRow {
                at: "2026-03-01T10:00:00Z".parse().unwrap(),
                profile: "shop".into(),
                user: "anna".into(),
                attempt: Attempt {
                    key: "s-1".into(),
                    client: ClientId(42),
                    movement: Movement::WriteOff(WriteOff {
                        points: Some(Amount::from_minor(1250)),
                        rubles: Some(Amount::from_minor(300)),
                        coupons: vec![CouponId(5), CouponId(6)],
                        receipt: None,
                        why: None,
                        code: None,
                    }),
                    reason: None,
                    manager: false,
                    confirmed: None,
                },
                outcome: Some(Outcome::Refused),
                detail: Some("no".into()),
                operation: None,
            }]
        );
    }

    /// A new attempt line names its kind, carries a reason only when there is one, and reads
    /// back into the movement it was written from.
    #[test]
    fn a_movement_round_trips_and_names_its_kind() {
        let dir = tempfile::tempdir().unwrap();
        let j = Journal::new(dir.path().join("journal.jsonl"), "shop".into()).by(Some("anna"));
        let plain = write_off(
            "k1",
            7,
            &WriteOff {
                points: None,
                rubles: Some(Amount::from_minor(99)),
                coupons: vec![],
                receipt: None,
                why: None,
                code: None,
            },
        );
        let reasoned = Attempt {
            reason: Some("the receipt was voided".into()),
            ..write_off(
                "k2",
                8,
                &WriteOff {
                    points: Some(Amount::from_minor(100_000)),
                    rubles: None,
                    coupons: vec![CouponId(3)],
                    receipt: None,
                    why: None,
                    code: None,
                },
            )
        };
        j.attempt(&plain).unwrap();
        j.attempt(&reasoned).unwrap();

        let text = std::fs::read_to_string(j.path()).unwrap();
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines[0]["kind"], "write_off", "{text}");
        assert_eq!(lines[0]["rubles"], "0.99", "{text}");
        assert!(lines[0].get("reason").is_none(), "{text}");
        assert_eq!(lines[1]["reason"], "the receipt was voided", "{text}");

        let rows = j.rows().unwrap();
        let read: Vec<&Attempt> = rows.iter().map(|r| &r.attempt).collect();
        assert_eq!(read, vec![&reasoned, &plain]);
        assert!(rows.iter().all(|r| r.user == "anna" && r.outcome.is_none()));
    }

    /// A write-off allowed by the client's code journals that it was, and never the code;
    /// one a manager's PIN let go says so; a line from before codes reads as neither.
    #[test]
    fn how_a_code_was_met_is_journalled_but_never_the_code() {
        use crate::domain::codes::ConfirmationCode;
        let dir = tempfile::tempdir().unwrap();
        let j = Journal::new(dir.path().join("journal.jsonl"), "shop".into());
        let request = WriteOff {
            points: Some(Amount::from_minor(50_000)),
            code: ConfirmationCode::new("735914"),
            ..WriteOff::default()
        };
        let by_code = Attempt {
            confirmed: Some(Confirmed::Code),
            ..write_off("k1", 3, &request)
        };
        let by_manager = Attempt {
            manager: true,
            confirmed: Some(Confirmed::Manager),
            ..write_off(
                "k2",
                3,
                &WriteOff {
                    code: None,
                    ..request.clone()
                },
            )
        };
        j.attempt(&by_code).unwrap();
        j.attempt(&by_manager).unwrap();
        let text = std::fs::read_to_string(j.path()).unwrap();
        assert!(!text.contains("735914"), "{text}");
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines[0]["confirmed"], "code", "{text}");
        assert_eq!(lines[1]["confirmed"], "manager", "{text}");
        let rows = j.rows().unwrap();
        let read: Vec<Option<Confirmed>> = rows.iter().map(|r| r.attempt.confirmed).collect();
        assert_eq!(read, vec![Some(Confirmed::Manager), Some(Confirmed::Code)]);

        let old = dir.path().join("old.jsonl");
        std::fs::write(
            &old,
            r#"{"event":"attempt","at":"2026-01-01T00:00:00Z","key":"k","profile":"p","user":"u","client":1,"points":"5.00"}"#,
        )
        .unwrap();
        let rows = Journal::new(old, "p".into()).rows().unwrap();
        assert_eq!(rows[0].attempt.confirmed, None);
    }
}
