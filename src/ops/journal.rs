//! The local audit journal: one JSON line per event, appended and fsynced before the request
//! it records goes out, never rewritten. An attempt line carries who, which profile, the
//! client, the amounts, the coupons and the idempotency key; outcome lines follow it.

use crate::domain::journal::{HoldStep, JournalRow, Outcome};
use crate::domain::{Amount, ClientId, CouponId, WriteOff};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
enum Line {
    Attempt {
        at: String,
        key: String,
        profile: String,
        user: String,
        client: i64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        points: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        rubles: Option<String>,
        #[serde(default)]
        coupons: Vec<i64>,
    },
    Outcome {
        at: String,
        key: String,
        client: i64,
        outcome: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        detail: Option<String>,
    },
    /// A vendor transaction of a two-phase write-off: held, written off or cancelled.
    Transaction {
        at: String,
        key: String,
        client: i64,
        step: String,
        transaction_id: String,
    },
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

    pub fn attempt(&self, key: &str, client: ClientId, request: &WriteOff) -> std::io::Result<()> {
        self.append(&Line::Attempt {
            at: Timestamp::now().to_string(),
            key: key.to_string(),
            profile: self.profile.clone(),
            user: self.user.clone(),
            client: client.0,
            points: request.points.map(|a| a.to_string()),
            rubles: request.rubles.map(|a| a.to_string()),
            coupons: request.coupons.iter().map(|c| c.0).collect(),
        })
    }

    pub fn outcome(
        &self,
        key: &str,
        client: ClientId,
        outcome: Outcome,
        detail: Option<String>,
    ) -> std::io::Result<()> {
        self.append(&Line::Outcome {
            at: Timestamp::now().to_string(),
            key: key.to_string(),
            client: client.0,
            outcome: outcome.as_str().to_string(),
            detail,
        })
    }

    pub fn transaction(
        &self,
        key: &str,
        client: ClientId,
        step: HoldStep,
        transaction_id: &str,
    ) -> std::io::Result<()> {
        self.append(&Line::Transaction {
            at: Timestamp::now().to_string(),
            key: key.to_string(),
            client: client.0,
            step: step.as_str().to_string(),
            transaction_id: transaction_id.to_string(),
        })
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
                    points,
                    rubles,
                    coupons,
                }) => {
                    let amount = |a: Option<String>| a.and_then(|t| Amount::parse_decimal(&t).ok());
                    by_key.insert(key.clone(), rows.len());
                    rows.push(JournalRow {
                        at: at.parse().unwrap_or(Timestamp::UNIX_EPOCH),
                        key,
                        profile,
                        user,
                        client: ClientId(client),
                        request: WriteOff {
                            points: amount(points),
                            rubles: amount(rubles),
                            coupons: coupons.into_iter().map(CouponId).collect(),
                        },
                        outcome: None,
                        detail: None,
                    });
                }
                Ok(Line::Outcome {
                    key,
                    outcome,
                    detail,
                    ..
                }) => {
                    if let Some(row) = by_key.get(&key).and_then(|i| rows.get_mut(*i)) {
                        row.outcome = Outcome::parse(&outcome);
                        row.detail = detail;
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

    #[test]
    fn attempts_and_outcomes_fold_into_rows_newest_first() {
        let dir = tempfile::tempdir().unwrap();
        let j = Journal::new(dir.path().join("journal.jsonl"), "shop".into());
        let w = WriteOff {
            points: Some(Amount::from_minor(1250)),
            rubles: None,
            coupons: vec![CouponId(7)],
        };
        j.attempt("k1", ClientId(1), &w).unwrap();
        j.outcome(
            "k1",
            ClientId(1),
            Outcome::Unknown,
            Some("timed out".into()),
        )
        .unwrap();
        j.attempt("k2", ClientId(2), &w).unwrap();
        j.outcome("k1", ClientId(1), Outcome::AppliedAfterCheck, None)
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
        assert_eq!((rows[0].key.as_str(), rows[0].outcome), ("k2", None));
        assert_eq!(
            (rows[1].key.as_str(), rows[1].outcome),
            ("k1", Some(Outcome::AppliedAfterCheck))
        );
        assert_eq!(rows[1].request, w);
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
        };
        Journal::new(path.clone(), "shop".into())
            .by(Some("cashier@shop.ru"))
            .attempt("k1", ClientId(1), &w)
            .unwrap();
        let machine = Journal::new(path.clone(), "shop".into()).by(None);
        machine.attempt("k2", ClientId(1), &w).unwrap();
        let rows = machine.rows().unwrap();
        assert_eq!(rows[1].user, "cashier@shop.ru");
        assert_ne!(
            rows[0].user, "cashier@shop.ru",
            "no login: the account's name"
        );
    }
}
