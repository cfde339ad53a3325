//! Money both ways: the write-off dialog with its receipt, «Доступно к списанию»
//! and the manager's PIN; the reversal dialog at each step; «Итоги смены»; F7 with a
//! reversal and a receipt; F2's history saying who, why and which receipt.

use super::*;
use crate::app::model::Dialog;
use crate::domain::journal::{Attempt, JournalRow, Outcome};
use crate::domain::limits::{Available, Capabilities, LimitKind};
use crate::domain::reversal::{About, Operation, OperationKind, ReasonCode, Who, Why};
use crate::domain::shift::{ReportSource, ShiftReport, ShiftRow};
use crate::domain::{CouponId, OperationId, Reason, Receipt, Reversal, WriteOff};

const ALL: Capabilities = Capabilities {
    reversal: true,
    receipt: true,
    limits: true,
    shift_report: true,
    codes: None,
    outlook: false,
};

/// The write-off dialog on a provider with receipts and limits, «Доступно» answered.
fn limited_form(l: Locale) -> Model {
    let mut m = opened(l, 5);
    m.capabilities.data = Some(ALL);
    let cmds = key(&mut m, KeyCode::Char('w'));
    let Some(Cmd::LoadAvailable { id, .. }) = cmds.into_iter().next() else {
        panic!("no «Доступно» asked")
    };
    update(
        &mut m,
        Msg::AvailableLoaded {
            id,
            result: Ok(Available {
                points: Amount::from_minor(50_000),
                rubles: Amount::from_minor(50_000),
                limited_by: Some(LimitKind::ReceiptShare),
                together: Some(Amount::from_minor(50_000)),
            }),
        },
    );
    type_text(&mut m, "100");
    key(&mut m, KeyCode::Tab);
    key(&mut m, KeyCode::Tab);
    key(&mut m, KeyCode::Tab);
    type_text(&mut m, "A-0017");
    key(&mut m, KeyCode::Tab);
    type_text(&mut m, "1000");
    m
}

#[test]
fn write_off_with_a_receipt_and_limits() {
    both("write_off_limits_form", limited_form);
}

#[test]
fn write_off_confirmation_gives_the_receipt_text() {
    both("write_off_receipt_confirm", |l| {
        let mut m = limited_form(l);
        key(&mut m, KeyCode::Enter);
        m
    });
}

#[test]
fn write_off_over_a_limit_offers_the_pin() {
    both("write_off_pin", |l| {
        let mut m = limited_form(l);
        key(&mut m, KeyCode::Enter);
        confirm_and_answer(
            &mut m,
            Err(ServiceError::new(ErrorKind::Rejected, "limit")
                .with_reason(Some(Reason::Limit(LimitKind::Operation)))),
        );
        type_text(&mut m, "12");
        m
    });
}

const OP: OperationId = OperationId(41);

fn original() -> Operation {
    Operation {
        id: OP,
        client: ClientId(1_234_567),
        kind: OperationKind::WriteOff,
        at: Timestamp::from_millisecond(NOW_MS - 3_600_000).unwrap(),
        points: Amount::from_minor(10_000),
        rubles: Amount::from_minor(2_000),
        coupons: vec![CouponId(1235)],
        reversed_points: Amount::from_minor(2_500),
        reversed_rubles: Amount::ZERO,
        reversed_coupons: vec![],
        receipt: Some(Receipt {
            number: "A-0017".into(),
            total: Amount::from_minor(100_000),
        }),
        who: Who {
            principal: Some("shop-1".into()),
            login: Some("anna@shop.ru".into()),
            manager: None,
        },
        why: None,
        original: None,
    }
}

fn journal_rows() -> Vec<JournalRow> {
    let at = |minutes: i64| Timestamp::from_millisecond(NOW_MS - minutes * 60_000).unwrap();
    let reversal = Attempt::reversal(
        "72495f9e0c8b4d3a9e1f2b3c4d5e6f99".into(),
        Reversal {
            original: OP,
            client: ClientId(1_234_567),
            points: Some(Amount::from_minor(2_500)),
            rubles: None,
            coupons: vec![],
            why: Why::new(ReasonCode::Returned, None).unwrap(),
        },
    );
    let write_off = Attempt::write_off(
        "72495f9e0c8b4d3a9e1f2b3c4d5e6f98".into(),
        ClientId(1_234_567),
        WriteOff {
            points: Some(Amount::from_minor(10_000)),
            rubles: Some(Amount::from_minor(2_000)),
            coupons: vec![CouponId(1235)],
            receipt: Some(Receipt {
                number: "A-0017".into(),
                total: Amount::from_minor(100_000),
            }),
            why: None,
            code: None,
        },
    );
    let row = |minutes, attempt, operation| JournalRow {
        at: at(minutes),
        profile: "shop".into(),
        user: "anna".into(),
        attempt,
        outcome: Some(Outcome::Applied),
        detail: None,
        operation: Some(OperationId(operation)),
    };
    vec![row(5, reversal, 42), row(60, write_off, 41)]
}

/// F7 with a reversal over the write-off it gives back, the write-off selected.
fn journal(l: Locale) -> Model {
    let mut m = model(l);
    m.capabilities.data = Some(ALL);
    let Some(Cmd::LoadJournal { id }) = key(&mut m, KeyCode::F(7)).into_iter().next() else {
        panic!()
    };
    update(
        &mut m,
        Msg::JournalLoaded {
            id,
            result: Ok(journal_rows()),
        },
    );
    key(&mut m, KeyCode::Down);
    m
}

#[test]
fn the_journal_with_a_reversal_and_a_receipt() {
    both("journal_reversal", journal);
}

#[test]
fn the_journal_filtered_by_a_receipt() {
    both("journal_filter", |l| {
        let mut m = journal(l);
        key(&mut m, KeyCode::Char('/'));
        type_text(&mut m, "a-00");
        m
    });
}

/// `c` on the write-off, its original read back, the reason set and the PIN typed.
fn reversal_form(l: Locale) -> Model {
    let mut m = journal(l);
    let Some(Cmd::LoadOperation { id, .. }) = key(&mut m, KeyCode::Char('c')).into_iter().next()
    else {
        panic!("no operation read")
    };
    update(
        &mut m,
        Msg::OperationLoaded {
            id,
            result: Ok(original()),
        },
    );
    for _ in 0..3 {
        key(&mut m, KeyCode::Tab);
    }
    key(&mut m, KeyCode::Down);
    key(&mut m, KeyCode::Tab);
    type_text(&mut m, "клиент вернул товар");
    key(&mut m, KeyCode::Tab);
    type_text(&mut m, "4321");
    m
}

#[test]
fn reversal_form_filled() {
    both("reversal_form", reversal_form);
}

#[test]
fn reversal_loading() {
    both("reversal_loading", |l| {
        let mut m = journal(l);
        key(&mut m, KeyCode::Char('c'));
        m
    });
}

#[test]
fn reversal_form_with_a_problem() {
    both("reversal_problem", |l| {
        let mut m = reversal_form(l);
        // Back to the points: more than is left.
        for _ in 0..5 {
            key(&mut m, KeyCode::BackTab);
        }
        type_text(&mut m, "0");
        key(&mut m, KeyCode::Enter);
        m
    });
}

fn reversal_confirm(l: Locale) -> Model {
    let mut m = reversal_form(l);
    key(&mut m, KeyCode::Enter);
    m
}

#[test]
fn reversal_confirmation() {
    both("reversal_confirm", reversal_confirm);
}

/// Sent, and no answer: the original read again shows `now`.
fn reversal_checked(l: Locale, now: Operation) -> Model {
    let mut m = reversal_confirm(l);
    let Some(Cmd::Reverse { id, .. }) = key(&mut m, KeyCode::Char('y')).into_iter().next() else {
        panic!("no reversal sent")
    };
    let read = update(
        &mut m,
        Msg::Reversed {
            id,
            result: Err(ServiceError::new(ErrorKind::Timeout, "no answer")),
        },
    );
    let Some(Cmd::LoadOperation { id, .. }) = read.into_iter().next() else {
        panic!("the original is not read again")
    };
    update(
        &mut m,
        Msg::OperationLoaded {
            id,
            result: Ok(now),
        },
    );
    m
}

#[test]
fn reversal_not_applied_offers_a_retry() {
    both("reversal_not_applied", |l| reversal_checked(l, original()));
}

#[test]
fn reversal_unclear_sends_to_f7() {
    both("reversal_unclear", |l| {
        let mut other = original();
        other.reversed_points = Amount::from_minor(3_000);
        reversal_checked(l, other)
    });
}

#[test]
fn the_shift_report() {
    both("shift_report", |l| {
        let mut m = journal(l);
        let Some(Cmd::LoadShiftReport { id, since }) =
            key(&mut m, KeyCode::Char('s')).into_iter().next()
        else {
            panic!("no report asked")
        };
        let row = |login: &str, off: i64, back: i64| ShiftRow {
            principal: Some("shop-1".into()),
            login: Some(login.into()),
            written_off: Balances {
                points: Amount::from_minor(off),
                rubles: Amount::from_minor(off / 10),
            },
            reversed: Balances {
                points: Amount::from_minor(back),
                rubles: Amount::ZERO,
            },
            write_offs: 3,
            reversals: 1,
            coupons: 2,
            coupons_back: 1,
            overrides: 1,
            bypasses: 0,
        };
        update(
            &mut m,
            Msg::ShiftReportLoaded {
                id,
                result: Ok(ShiftReport {
                    since,
                    source: ReportSource::Server,
                    rows: vec![
                        row("anna@shop.ru", 1_250_050, 2_500),
                        row("boris", 99_900, 0),
                    ],
                    unknown: 1,
                    bypasses: Vec::new(),
                }),
            },
        );
        assert!(matches!(m.dialog, Some(Dialog::ShiftReport(_))));
        m
    });
}

#[test]
fn history_says_who_why_and_which_receipt() {
    both("history_about", |l| {
        let mut m = opened(l, 3);
        let about = |kind, why: Option<Why>, receipt: Option<&str>| About {
            operation: Some(OP),
            kind: Some(kind),
            who: Who {
                principal: Some("shop-1".into()),
                login: Some("anna@shop.ru".into()),
                manager: None,
            },
            why,
            receipt: receipt.map(|n| Receipt {
                number: n.into(),
                total: Amount::from_minor(100_000),
            }),
            original: None,
            confirmed: None,
        };
        let card = m.card.as_mut().unwrap();
        let rows = card.history.rows.data.as_mut().unwrap();
        rows[0].about = Some(about(
            OperationKind::Reversal,
            Some(Why::new(ReasonCode::Returned, None).unwrap()),
            None,
        ));
        rows[1].about = Some(about(OperationKind::WriteOff, None, Some("A-0017")));
        m
    });
}
