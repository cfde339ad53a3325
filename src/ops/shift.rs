//! The shift report: from the server's ledger when the provider keeps one for every till
//! (`loyalty serve`), from this till's journal otherwise; either way the report says which,
//! and the movements still in doubt come from the journal, which alone knows them.

use super::journal::Journal;
use crate::backend::Services;
use crate::domain::journal::{JournalRow, Movement, Outcome};
use crate::domain::shift::{ReportSource, ShiftReport, ShiftRow};
use crate::domain::{Amount, Balances, Currency, ErrorKind, ServiceError};
use jiff::Timestamp;
use std::collections::BTreeMap;

pub async fn report(
    s: &Services,
    journal: &Journal,
    since: Timestamp,
) -> Result<ShiftReport, ServiceError> {
    let rows = journal.rows().map_err(|e| {
        ServiceError::new(
            ErrorKind::Rejected,
            format!(
                "the journal {} cannot be read: {e}",
                journal.path().display()
            ),
        )
    })?;
    let from_server = match &s.clients {
        Some(service) => service.capabilities().await?.shift_report,
        None => false,
    };
    let mut report = match (&s.clients, from_server) {
        (Some(service), true) => service.shift_report(since).await?,
        _ => from_journal(&rows, since),
    };
    report.unknown = in_doubt(&rows, since);
    Ok(report)
}

/// Movements since `since` whose outcome no answer or check has settled.
fn in_doubt(rows: &[JournalRow], since: Timestamp) -> u32 {
    let open = |o: Option<Outcome>| {
        matches!(
            o,
            None | Some(Outcome::Unknown | Outcome::UnclearAfterCheck)
        )
    };
    count(rows.iter().filter(|r| r.at >= since && open(r.outcome)))
}

/// Per profile and system user, what this till's journal says went through since `since`.
pub fn from_journal(rows: &[JournalRow], since: Timestamp) -> ShiftReport {
    let mut by_cashier: BTreeMap<(String, String), ShiftRow> = BTreeMap::new();
    let went_through =
        |o: Option<Outcome>| matches!(o, Some(Outcome::Applied | Outcome::AppliedAfterCheck));
    for r in rows
        .iter()
        .filter(|r| r.at >= since && went_through(r.outcome))
    {
        let row = by_cashier
            .entry((r.profile.clone(), r.user.clone()))
            .or_insert_with(|| ShiftRow {
                principal: Some(r.profile.clone()),
                login: Some(r.user.clone()),
                ..ShiftRow::default()
            });
        match &r.attempt.movement {
            Movement::WriteOff(w) => {
                add(&mut row.written_off, w.balance_parts());
                row.write_offs += 1;
                row.coupons += count(w.coupons.iter());
            }
            Movement::Reversal(v) => {
                add(&mut row.reversed, v.balance_parts());
                row.reversals += 1;
                row.coupons_back += count(v.coupons.iter());
            }
            Movement::Refund(f) => {
                add(&mut row.reversed, f.taken.balance_parts());
                row.reversals += 1;
                row.coupons_back += count(f.taken.coupons.iter());
            }
        }
        row.overrides += u32::from(r.attempt.manager);
    }
    ShiftReport {
        since,
        source: ReportSource::Journal,
        rows: by_cashier.into_values().collect(),
        unknown: 0,
        bypasses: Vec::new(),
    }
}

fn add(to: &mut Balances, parts: Vec<(Currency, Amount)>) {
    for (currency, amount) in parts {
        let slot = match currency {
            Currency::Points => &mut to.points,
            Currency::Rubles => &mut to.rubles,
        };
        *slot = slot
            .checked_add(amount)
            .unwrap_or(Amount::from_minor(i64::MAX));
    }
}

fn count<T>(items: impl Iterator<Item = T>) -> u32 {
    u32::try_from(items.count()).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::journal::Attempt;
    use crate::domain::reversal::{ReasonCode, Why};
    use crate::domain::{ClientId, CouponId, OperationId, Reversal, WriteOff};

    fn row(at: i64, user: &str, attempt: Attempt, outcome: Option<Outcome>) -> JournalRow {
        JournalRow {
            at: Timestamp::from_second(at).unwrap(),
            profile: "shop".into(),
            user: user.into(),
            attempt,
            outcome,
            detail: None,
            operation: None,
        }
    }

    fn write_off(points: i64, coupons: Vec<CouponId>) -> Attempt {
        Attempt::write_off(
            "k".into(),
            ClientId(1),
            WriteOff {
                points: Some(Amount::from_minor(points)),
                coupons,
                ..WriteOff::default()
            },
        )
    }

    #[test]
    fn only_what_went_through_since_the_start_counts_and_doubts_are_told_apart() {
        let reversal = Attempt::reversal(
            "r".into(),
            Reversal {
                original: OperationId(1),
                client: ClientId(1),
                points: Some(Amount::from_minor(2_500)),
                rubles: None,
                coupons: vec![CouponId(9)],
                why: Why::new(ReasonCode::Mistake, None).unwrap(),
            },
        );
        let rows = vec![
            row(
                50,
                "anna",
                write_off(99_900, vec![]),
                Some(Outcome::Applied),
            ),
            row(
                100,
                "anna",
                write_off(10_000, vec![CouponId(9)]),
                Some(Outcome::Applied),
            ),
            row(
                110,
                "anna",
                write_off(5_000, vec![]),
                Some(Outcome::AppliedAfterCheck),
            ),
            row(
                120,
                "anna",
                write_off(7_000, vec![]),
                Some(Outcome::Refused),
            ),
            row(
                130,
                "anna",
                write_off(8_000, vec![]),
                Some(Outcome::Unknown),
            ),
            row(140, "anna", reversal, Some(Outcome::Applied)),
            row(150, "boris", write_off(100, vec![]), None),
        ];
        let since = Timestamp::from_second(100).unwrap();
        let report = from_journal(&rows, since);
        assert_eq!(report.source, ReportSource::Journal);
        assert_eq!(report.rows.len(), 1, "boris has nothing that went through");
        let anna = &report.rows[0];
        assert_eq!(anna.login.as_deref(), Some("anna"));
        assert_eq!(anna.written_off.points, Amount::from_minor(15_000));
        assert_eq!(anna.reversed.points, Amount::from_minor(2_500));
        assert_eq!((anna.write_offs, anna.reversals), (2, 1));
        assert_eq!((anna.coupons, anna.coupons_back), (1, 1));
        assert_eq!(anna.overrides, 1, "a reversal always goes with a PIN");
        assert_eq!(
            in_doubt(&rows, since),
            2,
            "the unknown one and the unanswered one"
        );
    }
}
