//! Confirmation codes and expiring points: the write-off's code step (sent, a wrong code, a
//! resend too soon, an undelivered code, a manager's PIN, the profile's refusal), the card's
//! «сгорит»/«неактивно», REGOS's line, and F7 and the shift report with a bypass. At 80x24,
//! in Russian and English.

use super::*;
use crate::app::model::Dialog;
use crate::domain::Reason;
use crate::domain::admin::{CardOperation, CardOperationPage, Expiry, OperationKind};
use crate::domain::codes::{CodeCheck, CodePolicy, CodeSent, Confirmed};
use crate::domain::journal::{Attempt, JournalRow, Movement, Outcome};
use crate::domain::limits::Capabilities;
use crate::domain::lots::{Dated, Outlook};
use crate::domain::shift::{Bypass, ReportSource, ShiftReport, ShiftRow};
use crate::domain::{OperationId, WriteOff};
use rust_decimal::Decimal;
use std::time::Duration;

/// Each locale at 80x24, under `name`.
fn small(name: &str, build: impl Fn(Locale) -> Model) {
    for (l, code) in [(Locale::Ru, "ru"), (Locale::En, "en")] {
        named(&format!("{name}_{code}_80x24"), draw(&build(l), 80, 24));
    }
}

/// The card opened on a provider whose capabilities are `caps`.
fn opened_with(l: Locale, caps: Capabilities) -> Model {
    let mut m = model(l);
    m.capabilities.data = Some(caps);
    searched(&mut m, Ok(clients()));
    for cmd in key(&mut m, KeyCode::Enter) {
        answer(&mut m, cmd, 5);
    }
    m
}

fn server_codes() -> Capabilities {
    Capabilities {
        codes: Some(CodePolicy::Always),
        ..Capabilities::default()
    }
}

/// 100,50 points to the confirmation on our server (codes always), `y`: the send's id.
fn to_code_step(l: Locale) -> (Model, crate::app::RequestId) {
    let mut m = opened_with(l, server_codes());
    key(&mut m, KeyCode::Char('w'));
    type_text(&mut m, "100,5");
    key(&mut m, KeyCode::Enter);
    let Some(Cmd::SendCode { id, .. }) = key(&mut m, KeyCode::Char('y')).into_iter().next() else {
        panic!("no code sent")
    };
    (m, id)
}

/// The code step once the server said where the code went.
fn code_sent(l: Locale) -> Model {
    let (mut m, id) = to_code_step(l);
    let sent = CodeSent {
        to: Some("+7 *** ***-45-67".into()),
        expires_at: Some(Timestamp::from_millisecond(NOW_MS + 5 * 60_000).unwrap()),
        resend_after_seconds: Some(60),
    };
    update(
        &mut m,
        Msg::CodeSent {
            id,
            result: Ok(sent),
        },
    );
    m
}

#[test]
fn the_code_sent() {
    small("code_sent", |l| {
        let mut m = code_sent(l);
        type_text(&mut m, "4821");
        m
    });
}

#[test]
fn a_wrong_code() {
    small("code_wrong", |l| {
        let mut m = code_sent(l);
        type_text(&mut m, "482199");
        let Some(Cmd::CheckCode { id, .. }) = key(&mut m, KeyCode::Enter).into_iter().next() else {
            panic!()
        };
        let Some(Cmd::WriteOff { id, .. }) = update(
            &mut m,
            Msg::CodeChecked {
                id,
                result: Ok(CodeCheck::Carried),
            },
        )
        .into_iter()
        .next() else {
            panic!()
        };
        update(
            &mut m,
            Msg::WrittenOff {
                id,
                result: Err(ServiceError::new(ErrorKind::Rejected, "code_wrong")
                    .with_reason(Some(Reason::CodeWrong))),
            },
        );
        m
    });
}

#[test]
fn a_resend_too_soon() {
    small("code_resend_wait", |l| {
        let mut m = code_sent(l);
        let Some(Cmd::SendCode { id, .. }) = key(&mut m, KeyCode::F(5)).into_iter().next() else {
            panic!()
        };
        update(
            &mut m,
            Msg::CodeSent {
                id,
                result: Err(
                    ServiceError::new(ErrorKind::RateLimited, "code_resend_wait")
                        .with_reason(Some(Reason::CodeResendWait))
                        .with_retry_after(Duration::from_secs(37)),
                ),
            },
        );
        m
    });
}

#[test]
fn an_undelivered_code() {
    small("code_undelivered", |l| {
        let (mut m, id) = to_code_step(l);
        update(
            &mut m,
            Msg::CodeSent {
                id,
                result: Err(ServiceError::new(ErrorKind::Server, "code_undelivered")
                    .with_reason(Some(Reason::CodeUndelivered))),
            },
        );
        m
    });
}

#[test]
fn a_managers_pin_instead() {
    small("code_pin", |l| {
        let mut m = code_sent(l);
        key(&mut m, KeyCode::Tab);
        type_text(&mut m, "7391");
        m
    });
}

#[test]
fn nothing_here_checks_codes_and_the_profile_refuses() {
    small("code_refused_by_profile", |l| {
        let mut m = opened_with(l, Capabilities::default());
        m.codes.policy = CodePolicy::Always;
        key(&mut m, KeyCode::Char('w'));
        type_text(&mut m, "100,5");
        key(&mut m, KeyCode::Enter);
        assert!(key(&mut m, KeyCode::Char('y')).is_empty());
        m
    });
}

#[test]
fn the_card_says_what_burns_and_what_waits() {
    small("card_outlook", |l| {
        let mut m = model(l);
        m.capabilities.data = Some(Capabilities {
            outlook: true,
            ..Capabilities::default()
        });
        searched(&mut m, Ok(clients()));
        let day = |days: i64| Timestamp::from_millisecond(NOW_MS + days * 86_400_000).unwrap();
        for cmd in key(&mut m, KeyCode::Enter) {
            if let Cmd::LoadOutlook { id, .. } = cmd {
                let outlook = Outlook {
                    expiring: vec![Dated {
                        currency: Currency::Points,
                        amount: Amount::from_minor(12_000),
                        at: day(3),
                    }],
                    pending: vec![Dated {
                        currency: Currency::Points,
                        amount: Amount::from_minor(5_000),
                        at: day(4),
                    }],
                };
                update(
                    &mut m,
                    Msg::OutlookLoaded {
                        id,
                        result: Ok(outlook),
                    },
                );
            } else {
                answer(&mut m, cmd, 5);
            }
        }
        m
    });
}

#[test]
fn regos_operations_say_what_burns() {
    small("card_operations_outlook", |l| {
        let mut m = model(l);
        key(&mut m, KeyCode::F(6));
        type_text(&mut m, "12");
        key(&mut m, KeyCode::Tab);
        type_text(&mut m, "1");
        let Some(Cmd::LoadCardOperations { id, .. }) =
            key(&mut m, KeyCode::Enter).into_iter().next()
        else {
            panic!()
        };
        let at = |days: i64| Timestamp::from_millisecond(NOW_MS + days * 86_400_000).unwrap();
        let op = |value: i64, used: i64, expires: Expiry| CardOperation {
            uuid: Some(format!("op-{value}")),
            kind: Some(OperationKind::Income),
            amount: Some(Decimal::new(value * 20, 2)),
            value: Some(Decimal::new(value, 2)),
            used_value: Some(Decimal::new(used, 2)),
            is_payment: Some(false),
            date: Some(at(-30)),
            expires: Some(expires),
            description: None,
            last_update: None,
        };
        let operations = vec![
            // 150 accrued, 30 used: 120 burn in 21 days.
            op(15_000, 3_000, Expiry::At(at(21))),
            op(9_000, 0, Expiry::At(at(60))),
            op(4_000, 0, Expiry::Never),
            // Expired already: no longer anything to burn.
            op(7_000, 0, Expiry::At(at(-1))),
        ];
        update(
            &mut m,
            Msg::CardOperationsLoaded {
                id,
                result: Ok(CardOperationPage {
                    operations,
                    next_offset: None,
                    total: Some(4),
                }),
            },
        );
        m
    });
}

/// F7 with a write-off let go by a manager's PIN, and one by the client's code.
fn journal_with_a_bypass(l: Locale) -> Model {
    let mut m = model(l);
    let Some(Cmd::LoadJournal { id }) = key(&mut m, KeyCode::F(7)).into_iter().next() else {
        panic!()
    };
    let row = |i: i64, confirmed| JournalRow {
        at: Timestamp::from_millisecond(NOW_MS - i * 600_000).unwrap(),
        profile: "embedded".into(),
        user: "cashier".into(),
        attempt: Attempt {
            key: format!("72495f9e0c8b4d3a9e1f2b3c4d5e6f{}", 40 + i),
            client: ClientId(1_234_567 + i),
            movement: Movement::WriteOff(WriteOff {
                points: Some(Amount::from_minor(50_000 + i * 100)),
                ..WriteOff::default()
            }),
            reason: None,
            manager: confirmed == Some(Confirmed::Manager),
            confirmed,
        },
        outcome: Some(Outcome::Applied),
        detail: None,
        operation: Some(OperationId(7_000 + i)),
    };
    update(
        &mut m,
        Msg::JournalLoaded {
            id,
            result: Ok(vec![
                row(0, Some(Confirmed::Manager)),
                row(1, Some(Confirmed::Code)),
                row(2, None),
            ]),
        },
    );
    m
}

#[test]
fn the_journal_says_pin_instead_of_code() {
    small("journal_bypass", journal_with_a_bypass);
}

#[test]
fn the_shift_report_lists_bypasses_with_both_names() {
    small("shift_report_bypass", |l| {
        let mut m = journal_with_a_bypass(l);
        let Some(Cmd::LoadShiftReport { id, since }) =
            key(&mut m, KeyCode::Char('s')).into_iter().next()
        else {
            panic!("no report asked")
        };
        let row = ShiftRow {
            principal: Some("shop-1".into()),
            login: Some("anna@shop.ru".into()),
            written_off: Balances {
                points: Amount::from_minor(150_300),
                rubles: Amount::ZERO,
            },
            write_offs: 3,
            overrides: 1,
            bypasses: 1,
            ..ShiftRow::default()
        };
        let bypass = Bypass {
            operation: Some(OperationId(7_000)),
            at: Timestamp::from_millisecond(NOW_MS - 600_000).unwrap(),
            principal: Some("shop-1".into()),
            login: Some("anna@shop.ru".into()),
            manager: Some("Ольга Петрова".into()),
            points: Amount::from_minor(50_000),
            rubles: Amount::ZERO,
        };
        update(
            &mut m,
            Msg::ShiftReportLoaded {
                id,
                result: Ok(ShiftReport {
                    since,
                    source: ReportSource::Server,
                    rows: vec![row],
                    unknown: 0,
                    bypasses: vec![bypass],
                }),
            },
        );
        assert!(matches!(m.dialog, Some(Dialog::ShiftReport(_))));
        m
    });
}

#[test]
fn history_says_how_a_code_was_answered() {
    use crate::domain::reversal::{About, OperationKind as Kind, Who};
    both("history_confirmed", |l| {
        let mut m = opened_with(l, Capabilities::default());
        let about = |manager: Option<&str>, confirmed| About {
            operation: Some(OperationId(7_000)),
            kind: Some(Kind::WriteOff),
            who: Who {
                principal: Some("shop-1".into()),
                login: Some("anna".into()),
                manager: manager.map(str::to_string),
            },
            confirmed: Some(confirmed),
            ..About::default()
        };
        let card = m.card.as_mut().unwrap();
        let rows = card.history.rows.data.as_mut().unwrap();
        rows[0].about = Some(about(Some("olga"), Confirmed::Manager));
        rows[1].about = Some(about(None, Confirmed::Code));
        m
    });
}

#[test]
fn nothing_here_checks_codes_and_a_managers_pin_is_the_way() {
    small("code_manager_fallback", |l| {
        let mut m = opened_with(l, Capabilities::default());
        m.codes.policy = CodePolicy::Always;
        m.codes.fallback = crate::domain::codes::CodeFallback::Manager;
        key(&mut m, KeyCode::Char('w'));
        type_text(&mut m, "100,5");
        key(&mut m, KeyCode::Enter);
        assert!(key(&mut m, KeyCode::Char('y')).is_empty());
        type_text(&mut m, "12");
        m
    });
}
