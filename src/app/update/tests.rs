//! Pure transition tests: no I/O, no async. Each feeds `Msg`s and checks the Model and the
//! `Cmd`s that come out.

use super::super::model::{
    Button, Dialog, Doubt, FormProblem, HISTORY_PAGE, Model, Notice, Pane, Verdict, WriteOffField,
    WriteOffStep,
};
use super::super::msg::{Cmd, Msg, RequestId};
use super::fixtures::{key, model_at, type_text};
use super::search::DEBOUNCE;
use super::update;
use crate::app::keys::key::{Key, KeyCode, Modifiers};
use crate::domain::journal::Outcome;
use crate::domain::{
    Amount, AmountError, Balances, Client, ClientId, ClientQuery, Coupon, CouponId, Currency,
    ErrorKind, HistoryEntry, ServiceError, WriteOff,
};
use crate::i18n::Locale;
use jiff::Timestamp;

const NOW_MS: i64 = 1_700_000_000_000;

pub(super) fn model() -> Model {
    model_at(Locale::En, NOW_MS)
}

pub(super) fn client(id: i64, name: &str) -> Client {
    Client {
        id: ClientId(id),
        name: Some(name.to_string()),
        phone: Some("79123456789".to_string()),
        email: None,
    }
}

/// Types `text`, presses Enter and answers the search with `found`; the commands the answer
/// gave.
pub(super) fn search_answered(m: &mut Model, text: &str, found: Vec<Client>) -> Vec<Cmd> {
    type_text(m, text);
    let id = search_id(&key(m, KeyCode::Enter));
    update(
        m,
        Msg::Searched {
            id,
            result: Ok(found),
        },
    )
}

pub(super) fn search_id(cmds: &[Cmd]) -> RequestId {
    cmds.iter()
        .find_map(|c| match c {
            Cmd::Search { id, .. } => Some(*id),
            _ => None,
        })
        .expect("a search command")
}

fn coupon(id: i64, expires_ms: i64) -> Coupon {
    Coupon {
        id: CouponId(id),
        title: format!("Купон {id}"),
        expires_at: Some(Timestamp::from_millisecond(expires_ms).unwrap()),
    }
}

fn amount(text: &str) -> Amount {
    Amount::parse_decimal(text).unwrap()
}

/// A model with client 1 found, opened, and its balance, coupons and history loaded.
pub(super) fn opened() -> Model {
    let mut m = model();
    type_text(&mut m, "9123456789");
    let id = search_id(&key(&mut m, KeyCode::Enter));
    update(
        &mut m,
        Msg::Searched {
            id,
            result: Ok(vec![client(1, "Пётр Иванов"), client(2, "Anna")]),
        },
    );
    let cmds = key(&mut m, KeyCode::Enter);
    for cmd in cmds {
        match cmd {
            Cmd::LoadBalance { id, .. } => {
                update(
                    &mut m,
                    Msg::BalanceLoaded {
                        id,
                        result: Ok(Balances {
                            points: amount("100"),
                            rubles: amount("50.5"),
                        }),
                    },
                );
            }
            Cmd::LoadCoupons { id, .. } => {
                update(
                    &mut m,
                    Msg::CouponsLoaded {
                        id,
                        result: Ok(vec![coupon(7, NOW_MS + 1000), coupon(8, NOW_MS - 1000)]),
                    },
                );
            }
            Cmd::LoadHistory { id, .. } => {
                update(
                    &mut m,
                    Msg::HistoryLoaded {
                        id,
                        result: Ok(history(3)),
                    },
                );
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    m
}

pub(super) fn history(n: usize) -> Vec<HistoryEntry> {
    (0..n)
        .map(|i| HistoryEntry {
            amount: Amount::from_minor(100 * (i as i64 + 1)),
            currency: Currency::Points,
            at: Timestamp::from_millisecond(NOW_MS - i as i64 * 60_000).unwrap(),
            transaction_id: format!("t{i}"),
        })
        .collect()
}

fn dialog_step(m: &Model) -> &WriteOffStep {
    match &m.dialog {
        Some(Dialog::WriteOff(d)) => &d.step,
        other => panic!("no write-off dialog: {other:?}"),
    }
}

fn problem(m: &Model) -> Option<&FormProblem> {
    match &m.dialog {
        Some(Dialog::WriteOff(d)) => d.problem.as_ref(),
        _ => None,
    }
}

// ---- search -------------------------------------------------------------------------

#[test]
fn typing_debounces_and_only_the_latest_generation_searches() {
    let mut m = model();
    assert!(
        type_text(&mut m, "912").is_empty(),
        "three digits are not enough"
    );
    let cmds = key(&mut m, KeyCode::Char('3'));
    assert_eq!(
        cmds,
        vec![Cmd::Debounce {
            generation: 4,
            delay: DEBOUNCE
        }]
    );
    key(&mut m, KeyCode::Char('4'));
    // The first timer fires late: a newer keystroke has superseded it.
    assert!(update(&mut m, Msg::DebounceElapsed(4)).is_empty());
    let cmds = update(&mut m, Msg::DebounceElapsed(5));
    assert!(matches!(
        &cmds[..],
        [Cmd::Search { query, .. }] if *query == ClientQuery::from_input("91234").unwrap()
    ));
    assert!(m.busy());
}

#[test]
fn stale_search_replies_never_overwrite_newer_ones() {
    let mut m = model();
    type_text(&mut m, "1111");
    let g = m.search.generation;
    let old = search_id(&update(&mut m, Msg::DebounceElapsed(g)));
    type_text(&mut m, "2");
    let g = m.search.generation;
    let new = search_id(&update(&mut m, Msg::DebounceElapsed(g)));
    update(
        &mut m,
        Msg::Searched {
            id: new,
            result: Ok(vec![client(2, "New")]),
        },
    );
    update(
        &mut m,
        Msg::Searched {
            id: old,
            result: Ok(vec![client(1, "Old")]),
        },
    );
    assert_eq!(m.search.results.data.as_ref().unwrap()[0].id, ClientId(2));
    assert!(!m.busy());
}

#[test]
fn enter_searches_at_once_and_moves_to_the_results() {
    let mut m = model();
    type_text(&mut m, "test@test.ru");
    let cmds = key(&mut m, KeyCode::Enter);
    assert!(matches!(
        &cmds[..],
        [Cmd::Search { query, .. }] if query.email.as_deref() == Some("test@test.ru%")
    ));
    assert_eq!(m.focus, Pane::Results);
    // The debounce that typing started finds the search already done.
    let g = m.search.generation;
    assert!(update(&mut m, Msg::DebounceElapsed(g)).is_empty());
}

#[test]
fn the_seed_sample_phone_typed_as_is_searches_by_its_digits() {
    let mut m = model();
    type_text(&mut m, "7912345678");
    let cmds = key(&mut m, KeyCode::Enter);
    assert!(matches!(
        &cmds[..],
        [Cmd::Search { query, .. }] if query.phone.as_deref() == Some("%7912345678")
    ));
}

#[test]
fn a_name_is_not_searched_and_says_why() {
    let mut m = model();
    type_text(&mut m, "Иван");
    assert!(key(&mut m, KeyCode::Enter).is_empty());
    assert_eq!(m.notice, Some(Notice::NoSearchFor("Иван".into())));
    assert_eq!(m.focus, Pane::Search);
}

#[test]
fn search_failures_are_kept_and_shown() {
    let mut m = model();
    type_text(&mut m, "5555");
    let id = search_id(&key(&mut m, KeyCode::Enter));
    let err = ServiceError::new(ErrorKind::Unreachable, "could not connect");
    update(
        &mut m,
        Msg::Searched {
            id,
            result: Err(err.clone()),
        },
    );
    assert_eq!(m.search.results.error, Some(err.clone()));
    assert_eq!(m.error, Some(err));
    // Enter again retries a failed search.
    key(&mut m, KeyCode::Esc);
    assert!(matches!(
        &key(&mut m, KeyCode::Enter)[..],
        [Cmd::Search { .. }]
    ));
}

#[test]
fn letters_type_into_the_search_field_instead_of_quitting() {
    let mut m = model();
    let cmds = type_text(&mut m, "q@w");
    assert!(!cmds.contains(&Cmd::Quit));
    assert_eq!(m.search.input.value(), "q@w");
    key(&mut m, KeyCode::Esc);
    assert_eq!(m.search.input.value(), "", "Esc clears the search");
    assert_eq!(key(&mut m, KeyCode::Tab), vec![]);
    assert_eq!(m.focus, Pane::Results);
    assert_eq!(key(&mut m, KeyCode::Char('q')), vec![Cmd::Quit]);
}

#[test]
fn paste_types_without_submitting() {
    let mut m = model();
    let cmds = update(&mut m, Msg::Paste("+7 912\n345-67-89\n".into()));
    assert_eq!(m.search.input.value(), "+7 912345-67-89");
    assert_eq!(
        cmds.iter()
            .filter(|c| matches!(c, Cmd::Debounce { .. }))
            .count(),
        1
    );
    assert_eq!(m.focus, Pane::Search);
}

// ---- selection and the card ---------------------------------------------------------

#[test]
fn selection_moves_within_bounds_and_enter_opens_the_client() {
    let mut m = model();
    search_answered(&mut m, "9123", vec![client(1, "A"), client(2, "B")]);
    key(&mut m, KeyCode::Up);
    assert_eq!(m.search.selected, 0);
    key(&mut m, KeyCode::Down);
    key(&mut m, KeyCode::Down);
    assert_eq!(m.search.selected, 1);
    let cmds = key(&mut m, KeyCode::Enter);
    assert_eq!(m.card.as_ref().unwrap().client.id, ClientId(2));
    assert_eq!(cmds.len(), 3);
    assert!(cmds.iter().all(|c| matches!(
        c,
        Cmd::LoadBalance {
            client: ClientId(2),
            ..
        } | Cmd::LoadCoupons {
            client: ClientId(2),
            ..
        } | Cmd::LoadHistory {
            client: ClientId(2),
            ..
        }
    )));
}

#[test]
fn replies_for_a_client_no_longer_open_are_dropped() {
    let mut m = opened();
    let cmds = key(&mut m, KeyCode::Char('r'));
    let Some(Cmd::LoadBalance { id, .. }) = cmds.first().cloned() else {
        panic!("refresh loads the balance first: {cmds:?}");
    };
    // The cashier opens the other client before the answer comes.
    key(&mut m, KeyCode::Down);
    key(&mut m, KeyCode::Enter);
    update(
        &mut m,
        Msg::BalanceLoaded {
            id,
            result: Ok(Balances {
                points: amount("999"),
                rubles: Amount::ZERO,
            }),
        },
    );
    let card = m.card.as_ref().unwrap();
    assert_eq!(card.client.id, ClientId(2));
    assert_eq!(card.balance.data, None);
}

#[test]
fn history_pages_forward_only_after_a_full_page_and_back_to_zero() {
    let mut m = opened();
    assert!(
        key(&mut m, KeyCode::Char(']')).is_empty(),
        "3 rows: no next page"
    );
    let card = m.card.as_mut().unwrap();
    let id = RequestId(999);
    card.history.rows.start(id);
    update(
        &mut m,
        Msg::HistoryLoaded {
            id,
            result: Ok(history(HISTORY_PAGE as usize)),
        },
    );
    let cmds = key(&mut m, KeyCode::Char(']'));
    assert!(matches!(
        &cmds[..],
        [Cmd::LoadHistory { query, .. }] if query.offset == HISTORY_PAGE && query.limit == HISTORY_PAGE
    ));
    assert_eq!(m.focus, Pane::History);
    let cmds = key(&mut m, KeyCode::Char('['));
    assert!(matches!(&cmds[..], [Cmd::LoadHistory { query, .. }] if query.offset == 0));
    assert!(
        key(&mut m, KeyCode::Char('[')).is_empty(),
        "no page before the first"
    );
}

#[test]
fn history_period_filter_sets_whole_days_and_restarts_paging() {
    let mut m = opened();
    m.focus = Pane::History;
    key(&mut m, KeyCode::Char('f'));
    assert!(matches!(m.dialog, Some(Dialog::HistoryFilter(_))));
    type_text(&mut m, "32.01.2019");
    assert!(key(&mut m, KeyCode::Enter).is_empty());
    let Some(Dialog::HistoryFilter(d)) = &m.dialog else {
        panic!()
    };
    assert!(d.invalid.is_some(), "32 January is not a date");
    for _ in 0..10 {
        key(&mut m, KeyCode::Backspace);
    }
    type_text(&mut m, "01.02.2019");
    key(&mut m, KeyCode::Tab);
    type_text(&mut m, "2019-02-01");
    let cmds = key(&mut m, KeyCode::Enter);
    let [Cmd::LoadHistory { query, .. }] = &cmds[..] else {
        panic!("{cmds:?}")
    };
    assert_eq!(query.offset, 0);
    assert_eq!(query.from.unwrap().as_millisecond(), 1_548_979_200_000);
    assert_eq!(
        query.to.unwrap().as_millisecond(),
        1_548_979_200_000 + 86_399_999
    );
    assert!(m.dialog.is_none());
}

// ---- write-off ----------------------------------------------------------------------

#[test]
fn write_off_opens_with_points_focused() {
    let mut m = opened();
    key(&mut m, KeyCode::Char('w'));
    let Some(Dialog::WriteOff(d)) = &m.dialog else {
        panic!()
    };
    assert_eq!(d.field, WriteOffField::Points);
    assert_eq!(d.step, WriteOffStep::Form);
    assert_eq!(d.coupons.len(), 2);
}

#[test]
fn write_off_needs_a_loaded_balance() {
    let mut m = opened();
    m.card.as_mut().unwrap().balance.data = None;
    key(&mut m, KeyCode::Char('w'));
    assert!(m.dialog.is_none());
}

#[test]
fn validation_explains_every_refusal() {
    let cases: [(&str, FormProblem); 5] = [
        (
            "abc",
            FormProblem::Amount {
                field: WriteOffField::Points,
                error: AmountError::NotANumber,
            },
        ),
        (
            "-5",
            FormProblem::Amount {
                field: WriteOffField::Points,
                error: AmountError::NotANumber,
            },
        ),
        (
            "1.234",
            FormProblem::Amount {
                field: WriteOffField::Points,
                error: AmountError::TooManyDecimals,
            },
        ),
        ("0", FormProblem::NotPositive(WriteOffField::Points)),
        (
            "100.01",
            FormProblem::AboveBalance {
                field: WriteOffField::Points,
                available: amount("100"),
            },
        ),
    ];
    for (text, expected) in cases {
        let mut m = opened();
        key(&mut m, KeyCode::Char('w'));
        type_text(&mut m, text);
        assert!(key(&mut m, KeyCode::Enter).is_empty());
        assert_eq!(problem(&m), Some(&expected), "{text}");
        assert_eq!(dialog_step(&m), &WriteOffStep::Form);
    }
    let mut m = opened();
    key(&mut m, KeyCode::Char('w'));
    key(&mut m, KeyCode::Enter);
    assert_eq!(problem(&m), Some(&FormProblem::Nothing));
}

#[test]
fn an_expired_coupon_cannot_be_picked() {
    let mut m = opened();
    key(&mut m, KeyCode::Char('w'));
    key(&mut m, KeyCode::Tab);
    key(&mut m, KeyCode::Tab);
    key(&mut m, KeyCode::Down);
    key(&mut m, KeyCode::Char(' '));
    assert_eq!(problem(&m), Some(&FormProblem::CouponExpired(CouponId(8))));
    let Some(Dialog::WriteOff(d)) = &m.dialog else {
        panic!()
    };
    assert!(d.chosen.is_empty());
}

/// Fills points 12,5 and roubles 50.50 and coupon 7, then goes to the confirmation.
fn to_confirmation(m: &mut Model) -> WriteOff {
    key(m, KeyCode::Char('w'));
    type_text(m, "12,5");
    key(m, KeyCode::Tab);
    type_text(m, "50.50");
    key(m, KeyCode::Tab);
    key(m, KeyCode::Char(' '));
    assert!(key(m, KeyCode::Enter).is_empty());
    let expected = WriteOff {
        points: Some(amount("12.5")),
        rubles: Some(amount("50.5")),
        coupons: vec![CouponId(7)],
    };
    assert!(matches!(
        dialog_step(m),
        WriteOffStep::Confirm { request, focus: Button::Cancel, .. } if *request == expected
    ));
    expected
}

#[test]
fn confirmation_defaults_to_cancel() {
    let mut m = opened();
    to_confirmation(&mut m);
    // Enter on the focused Cancel goes back to the form; nothing is sent.
    assert!(key(&mut m, KeyCode::Enter).is_empty());
    assert_eq!(dialog_step(&m), &WriteOffStep::Form);
    // The form keeps what was typed: Enter goes straight back to the confirmation.
    key(&mut m, KeyCode::Enter);
    assert!(matches!(
        dialog_step(&m),
        WriteOffStep::Confirm {
            focus: Button::Cancel,
            ..
        }
    ));
    assert!(key(&mut m, KeyCode::Char('n')).is_empty());
    assert_eq!(dialog_step(&m), &WriteOffStep::Form);
    key(&mut m, KeyCode::Esc);
    assert!(m.dialog.is_none(), "Esc in the form closes the dialog");
}

#[test]
fn confirming_sends_once_and_a_second_press_does_nothing() {
    let mut m = opened();
    let expected = to_confirmation(&mut m);
    key(&mut m, KeyCode::Right);
    let cmds = key(&mut m, KeyCode::Enter);
    assert!(matches!(
        &cmds[..],
        [Cmd::WriteOff { client: ClientId(1), request, .. }] if *request == expected
    ));
    assert!(matches!(dialog_step(&m), WriteOffStep::Sending { .. }));
    for code in [
        KeyCode::Enter,
        KeyCode::Char('y'),
        KeyCode::Esc,
        KeyCode::Char('w'),
    ] {
        assert!(key(&mut m, code).is_empty(), "{code:?} while sending");
    }
    assert!(matches!(dialog_step(&m), WriteOffStep::Sending { .. }));
    assert!(m.busy());
}

#[test]
fn success_closes_the_dialog_says_what_was_written_off_and_refreshes() {
    let mut m = opened();
    let expected = to_confirmation(&mut m);
    let [Cmd::WriteOff { id, .. }] = key(&mut m, KeyCode::Char('y'))[..] else {
        panic!()
    };
    let cmds = update(&mut m, Msg::WrittenOff { id, result: Ok(()) });
    assert!(m.dialog.is_none());
    assert_eq!(
        m.notice,
        Some(Notice::WrittenOff {
            client: client(1, "Пётр Иванов"),
            request: expected
        })
    );
    assert_eq!(cmds.len(), 3, "balance, coupons and history are read again");
}

#[test]
fn a_refusal_returns_to_the_form_with_the_servers_reason() {
    let mut m = opened();
    to_confirmation(&mut m);
    let [Cmd::WriteOff { id, .. }] = key(&mut m, KeyCode::Char('y'))[..] else {
        panic!()
    };
    let refusal = ServiceError::new(ErrorKind::Rejected, "insufficient points balance");
    assert!(
        update(
            &mut m,
            Msg::WrittenOff {
                id,
                result: Err(refusal.clone())
            }
        )
        .is_empty()
    );
    assert_eq!(dialog_step(&m), &WriteOffStep::Form);
    assert_eq!(problem(&m), Some(&FormProblem::Refused(refusal)));
}

#[test]
fn the_key_is_made_before_sending_and_kept_for_the_same_request() {
    let mut m = opened();
    to_confirmation(&mut m);
    let WriteOffStep::Confirm { key: first, .. } = dialog_step(&m).clone() else {
        panic!()
    };
    assert!(first.starts_with(&m.session));
    // Back to the form and confirmed again unchanged: the same key.
    key(&mut m, KeyCode::Char('n'));
    key(&mut m, KeyCode::Enter);
    let WriteOffStep::Confirm { key: again, .. } = dialog_step(&m).clone() else {
        panic!()
    };
    assert_eq!(again, first);
    let cmds = key(&mut m, KeyCode::Char('y'));
    assert!(matches!(&cmds[..], [Cmd::WriteOff { key, .. }] if *key == first));
    // A changed request is a new write-off with a new key.
    let mut m = opened();
    to_confirmation(&mut m);
    let WriteOffStep::Confirm { key: first, .. } = dialog_step(&m).clone() else {
        panic!()
    };
    key(&mut m, KeyCode::Char('n'));
    // The coupon list still has the focus: Space unpicks coupon 7.
    key(&mut m, KeyCode::Char(' '));
    key(&mut m, KeyCode::Enter);
    let WriteOffStep::Confirm { key: other, .. } = dialog_step(&m).clone() else {
        panic!()
    };
    assert_ne!(other, first);
}

/// Confirms, answers with a timeout, and returns the commands that came out.
fn time_out(m: &mut Model) -> Vec<Cmd> {
    to_confirmation(m);
    let [Cmd::WriteOff { id, .. }] = key(m, KeyCode::Char('y'))[..] else {
        panic!()
    };
    let timeout = ServiceError::new(ErrorKind::Timeout, "timed out");
    update(
        m,
        Msg::WrittenOff {
            id,
            result: Err(timeout),
        },
    )
}

/// Answers the re-reads of a check with these balances and coupons.
fn answer_check(
    m: &mut Model,
    cmds: Vec<Cmd>,
    points: &str,
    rubles: &str,
    coupons: Vec<Coupon>,
) -> Vec<Cmd> {
    let mut out = Vec::new();
    for cmd in cmds {
        out.extend(match cmd {
            Cmd::LoadBalance { id, .. } => update(
                m,
                Msg::BalanceLoaded {
                    id,
                    result: Ok(Balances {
                        points: amount(points),
                        rubles: amount(rubles),
                    }),
                },
            ),
            Cmd::LoadCoupons { id, .. } => update(
                m,
                Msg::CouponsLoaded {
                    id,
                    result: Ok(coupons.clone()),
                },
            ),
            Cmd::LoadHistory { id, .. } => update(
                m,
                Msg::HistoryLoaded {
                    id,
                    result: Ok(history(3)),
                },
            ),
            other => panic!("unexpected {other:?}"),
        });
    }
    out
}

#[test]
fn a_timeout_is_checked_by_rereading_not_by_retrying() {
    let mut m = opened();
    let cmds = time_out(&mut m);
    assert_eq!(
        m.notice,
        Some(Notice::OutcomeUnknown {
            client: ClientId(1)
        })
    );
    assert!(matches!(dialog_step(&m), WriteOffStep::Checking { .. }));
    assert!(
        cmds.iter().all(|c| !matches!(c, Cmd::WriteOff { .. })),
        "never retried blindly"
    );
    assert!(
        key(&mut m, KeyCode::Char('y')).is_empty(),
        "nothing to confirm while checking"
    );
    // 100 - 12.5 points, 50.5 - 50.5 roubles, coupon 7 gone: it went through.
    let WriteOffStep::Checking { key: sent, .. } = dialog_step(&m).clone() else {
        panic!()
    };
    let out = answer_check(&mut m, cmds, "87.5", "0", vec![coupon(8, NOW_MS - 1000)]);
    assert_eq!(
        out,
        vec![Cmd::Record {
            key: sent,
            client: ClientId(1),
            outcome: Outcome::AppliedAfterCheck
        }]
    );
    assert!(m.dialog.is_none());
    assert!(matches!(
        m.notice,
        Some(Notice::WrittenOffAfterCheck { .. })
    ));
}

/// Only an answer that proves a refusal returns to the form; a 5xx, an unreadable answer,
/// a conflict with a write in flight, a timeout or a broken connection are checked by
/// reading back, and nothing is sent again.
#[test]
fn only_a_refusal_returns_to_the_form_every_other_failure_is_checked() {
    for kind in [
        ErrorKind::Timeout,
        ErrorKind::Interrupted,
        ErrorKind::Server,
        ErrorKind::BadResponse,
        ErrorKind::InProgress,
        ErrorKind::Rejected,
        ErrorKind::Unauthorized,
        ErrorKind::RateLimited,
        ErrorKind::Unreachable,
    ] {
        let mut m = opened();
        to_confirmation(&mut m);
        let [Cmd::WriteOff { id, .. }] = key(&mut m, KeyCode::Char('y'))[..] else {
            panic!()
        };
        let e = ServiceError::new(kind, "502 Bad Gateway");
        let cmds = update(&mut m, Msg::WrittenOff { id, result: Err(e) });
        assert!(
            cmds.iter().all(|c| !matches!(c, Cmd::WriteOff { .. })),
            "{kind:?}: never sent again on its own"
        );
        let refused = matches!(
            kind,
            ErrorKind::Rejected
                | ErrorKind::Unauthorized
                | ErrorKind::RateLimited
                | ErrorKind::Unreachable
        );
        if refused {
            assert_eq!(dialog_step(&m), &WriteOffStep::Form, "{kind:?}");
        } else {
            assert!(
                matches!(dialog_step(&m), WriteOffStep::Checking { .. }),
                "{kind:?}: {:?}",
                dialog_step(&m)
            );
            assert!(
                cmds.iter().any(|c| matches!(c, Cmd::LoadBalance { .. })),
                "{kind:?}: read back"
            );
        }
    }
}

#[test]
fn a_write_off_shown_not_to_have_gone_through_is_offered_again_with_its_key() {
    let mut m = opened();
    let cmds = time_out(&mut m);
    let WriteOffStep::Checking { key: sent, .. } = dialog_step(&m).clone() else {
        panic!()
    };
    let out = answer_check(
        &mut m,
        cmds,
        "100",
        "50.5",
        vec![coupon(7, NOW_MS + 1000), coupon(8, NOW_MS - 1000)],
    );
    assert_eq!(
        out,
        vec![Cmd::Record {
            key: sent.clone(),
            client: ClientId(1),
            outcome: Outcome::NotAppliedAfterCheck
        }]
    );
    assert!(matches!(
        dialog_step(&m),
        WriteOffStep::Checked {
            verdict: Verdict::NotApplied,
            ..
        }
    ));
    let cmds = key(&mut m, KeyCode::Enter);
    assert!(
        matches!(&cmds[..], [Cmd::WriteOff { key, .. }] if *key == sent),
        "the same key again"
    );
}

#[test]
fn an_unclear_check_offers_no_retry() {
    let mut m = opened();
    let cmds = time_out(&mut m);
    // Points moved, but not by the amount sent: another till, perhaps.
    let out = answer_check(&mut m, cmds, "60", "50.5", vec![coupon(7, NOW_MS + 1000)]);
    assert!(matches!(
        &out[..],
        [Cmd::Record {
            outcome: Outcome::UnclearAfterCheck,
            ..
        }]
    ));
    assert!(matches!(
        dialog_step(&m),
        WriteOffStep::Checked {
            verdict: Verdict::Unclear(Doubt::ChangedOtherwise),
            ..
        }
    ));
    assert!(key(&mut m, KeyCode::Enter).is_empty());
    assert!(key(&mut m, KeyCode::Char('y')).is_empty());
    key(&mut m, KeyCode::Esc);
    assert!(m.dialog.is_none());
}

/// A write-off left unclear keeps the client's next `w` from writing off anything new:
/// it checks again first, against the balance the doubtful one was sent against.
fn left_unclear(m: &mut Model) -> String {
    let cmds = time_out(m);
    let WriteOffStep::Checking { key: sent, .. } = dialog_step(m).clone() else {
        panic!()
    };
    answer_check(m, cmds, "60", "50.5", vec![coupon(7, NOW_MS + 1000)]);
    key(m, KeyCode::Esc);
    assert!(m.dialog.is_none());
    assert!(m.doubts.contains_key(&ClientId(1)));
    sent
}

#[test]
fn w_after_an_unclear_write_off_checks_it_again_before_anything_new() {
    let mut m = opened();
    let sent = left_unclear(&mut m);
    let cmds = key(&mut m, KeyCode::Char('w'));
    assert!(
        matches!(dialog_step(&m), WriteOffStep::Checking { key, .. } if *key == sent),
        "{:?}",
        dialog_step(&m)
    );
    assert_eq!(m.notice, Some(Notice::CheckingEarlier));
    assert!(cmds.iter().all(|c| !matches!(c, Cmd::WriteOff { .. })));
    // Nothing moved since it was sent: it did not go through, and only now is the same
    // write-off offered again, under its own key.
    answer_check(
        &mut m,
        cmds,
        "100",
        "50.5",
        vec![coupon(7, NOW_MS + 1000), coupon(8, NOW_MS - 1000)],
    );
    assert!(!m.doubts.contains_key(&ClientId(1)), "settled");
    let cmds = key(&mut m, KeyCode::Enter);
    assert!(
        matches!(&cmds[..], [Cmd::WriteOff { key, .. }] if *key == sent),
        "{cmds:?}"
    );
}

#[test]
fn a_write_off_still_unclear_lets_the_cashier_write_off_anew_only_when_asked() {
    let mut m = opened();
    let sent = left_unclear(&mut m);
    let cmds = key(&mut m, KeyCode::Char('w'));
    answer_check(&mut m, cmds, "60", "50.5", vec![coupon(7, NOW_MS + 1000)]);
    assert!(matches!(
        dialog_step(&m),
        WriteOffStep::Checked {
            verdict: Verdict::Unclear(_),
            ..
        }
    ));
    // Neither Enter nor y sends anything; n, once the history is read, opens a new form.
    assert!(key(&mut m, KeyCode::Enter).is_empty());
    assert!(key(&mut m, KeyCode::Char('y')).is_empty());
    assert!(m.doubts.contains_key(&ClientId(1)));
    key(&mut m, KeyCode::Char('n'));
    assert_eq!(dialog_step(&m), &WriteOffStep::Form);
    assert!(!m.doubts.contains_key(&ClientId(1)));
    type_text(&mut m, "5");
    key(&mut m, KeyCode::Enter);
    let WriteOffStep::Confirm { key: new, .. } = dialog_step(&m).clone() else {
        panic!("{:?}", dialog_step(&m))
    };
    assert_ne!(new, sent, "a new write-off has a key of its own");
}

#[test]
fn a_recheck_that_finds_it_applied_settles_the_doubt() {
    let mut m = opened();
    left_unclear(&mut m);
    let cmds = key(&mut m, KeyCode::Char('w'));
    // 12.5 points, 50.5 roubles and coupon 7 gone from what it was sent against.
    answer_check(&mut m, cmds, "87.5", "0", vec![coupon(8, NOW_MS - 1000)]);
    assert!(m.dialog.is_none());
    assert!(!m.doubts.contains_key(&ClientId(1)));
    assert!(matches!(
        m.notice,
        Some(Notice::WrittenOffAfterCheck { .. })
    ));
}

/// The verdict a check came to, and that it records it and retries nothing.
fn checked(m: &Model, out: &[Cmd]) -> Verdict {
    let WriteOffStep::Checked { verdict, .. } = dialog_step(m) else {
        panic!("{:?}", dialog_step(m))
    };
    let outcome = match verdict {
        Verdict::NotApplied => Outcome::NotAppliedAfterCheck,
        Verdict::Unclear(_) => Outcome::UnclearAfterCheck,
    };
    assert!(
        matches!(out, [Cmd::Record { outcome: o, .. }] if *o == outcome),
        "{out:?}"
    );
    *verdict
}

#[test]
fn a_reread_that_fails_is_unclear_and_nothing_is_retried() {
    let mut m = opened();
    let cmds = time_out(&mut m);
    let mut out = Vec::new();
    for cmd in cmds {
        out.extend(match cmd {
            Cmd::LoadBalance { id, .. } => update(
                &mut m,
                Msg::BalanceLoaded {
                    id,
                    result: Err(ServiceError::new(ErrorKind::Unreachable, "down")),
                },
            ),
            Cmd::LoadCoupons { id, .. } => update(
                &mut m,
                Msg::CouponsLoaded {
                    id,
                    result: Ok(vec![coupon(7, NOW_MS + 1000)]),
                },
            ),
            _ => Vec::new(),
        });
    }
    assert_eq!(checked(&m, &out), Verdict::Unclear(Doubt::Unreadable));
    assert!(key(&mut m, KeyCode::Enter).is_empty());
    assert!(key(&mut m, KeyCode::Char('y')).is_empty());
}

#[test]
fn a_balance_that_went_up_meanwhile_is_unclear() {
    let mut m = opened();
    let cmds = time_out(&mut m);
    // An accrual landed: points rose, roubles are as before, the coupon is still there.
    let out = answer_check(&mut m, cmds, "110", "50.5", vec![coupon(7, NOW_MS + 1000)]);
    assert_eq!(checked(&m, &out), Verdict::Unclear(Doubt::ChangedOtherwise));
}

#[test]
fn a_coupon_that_expired_before_the_check_proves_nothing_by_its_absence() {
    let mut m = opened();
    let cmds = time_out(&mut m);
    // Coupon 7 expired a second after the dialog opened; the vendor no longer lists it.
    update(
        &mut m,
        Msg::Tick(Timestamp::from_millisecond(NOW_MS + 2000).unwrap()),
    );
    let out = answer_check(&mut m, cmds, "87.5", "0", vec![coupon(8, NOW_MS - 1000)]);
    assert_eq!(
        checked(&m, &out),
        Verdict::Unclear(Doubt::CouponExpired(CouponId(7)))
    );
    assert!(key(&mut m, KeyCode::Enter).is_empty(), "nothing retried");
}

fn write_off_dialog(m: &Model) -> &crate::app::model::WriteOffDialog {
    match &m.dialog {
        Some(Dialog::WriteOff(d)) => d,
        other => panic!("no write-off dialog: {other:?}"),
    }
}

#[test]
fn shift_tab_walks_the_form_backwards() {
    use crate::app::model::WriteOffField;
    let mut m = opened();
    key(&mut m, KeyCode::Char('w'));
    let mut seen = Vec::new();
    for _ in 0..3 {
        key(&mut m, KeyCode::BackTab);
        seen.push(write_off_dialog(&m).field);
    }
    assert_eq!(
        seen,
        [
            WriteOffField::Coupons,
            WriteOffField::Rubles,
            WriteOffField::Points
        ]
    );
}

#[test]
fn arrows_and_space_pick_coupons_only_in_the_coupon_list() {
    let mut m = opened();
    key(&mut m, KeyCode::Char('w'));
    // In the points field: the arrows leave the coupon list alone and Space is typed.
    key(&mut m, KeyCode::Down);
    key(&mut m, KeyCode::Char(' '));
    let d = write_off_dialog(&m);
    assert_eq!(d.coupon_cursor, 0);
    assert!(d.chosen.is_empty(), "{:?}", d.chosen);
    key(&mut m, KeyCode::Up);
    key(&mut m, KeyCode::Tab);
    key(&mut m, KeyCode::Tab);
    key(&mut m, KeyCode::Down);
    let d = write_off_dialog(&m);
    assert_eq!(d.coupon_cursor, 1);
}

#[test]
fn an_unclear_verdict_is_not_sent_again_whatever_action_comes() {
    use super::super::keys::Action;
    let mut m = opened();
    let cmds = time_out(&mut m);
    answer_check(&mut m, cmds, "60", "50.5", vec![coupon(7, NOW_MS + 1000)]);
    // Past the key map, straight to the dialog: the verdict itself forbids a retry.
    let enter = Key::new(KeyCode::Enter, Modifiers::NONE);
    for action in [Action::Confirm, Action::Submit] {
        assert!(super::write_off::on_key(&mut m, Some(action), enter).is_empty());
    }
}

#[test]
fn f7_reads_the_journal_each_time() {
    let mut m = opened();
    let cmds = key(&mut m, KeyCode::F(7));
    let [Cmd::LoadJournal { id }] = cmds[..] else {
        panic!("{cmds:?}")
    };
    update(
        &mut m,
        Msg::JournalLoaded {
            id,
            result: Ok(vec![]),
        },
    );
    assert_eq!(m.journal.rows.data, Some(vec![]));
    key(&mut m, KeyCode::F(2));
    assert!(matches!(
        key(&mut m, KeyCode::F(7))[..],
        [Cmd::LoadJournal { .. }]
    ));
}

#[test]
fn a_reply_to_an_older_write_off_is_ignored() {
    let mut m = opened();
    to_confirmation(&mut m);
    key(&mut m, KeyCode::Char('y'));
    assert!(
        update(
            &mut m,
            Msg::WrittenOff {
                id: RequestId(1),
                result: Ok(())
            }
        )
        .is_empty()
    );
    assert!(matches!(dialog_step(&m), WriteOffStep::Sending { .. }));
}

// ---- the rest -----------------------------------------------------------------------

#[test]
fn help_finds_keys_by_typed_text_scrolls_and_closes() {
    let mut m = opened();
    key(&mut m, KeyCode::Char('?'));
    assert!(matches!(m.dialog, Some(Dialog::Help(_))));
    assert!(
        type_text(&mut m, "qu").is_empty(),
        "q is looked for in the help, it does not quit"
    );
    let Some(Dialog::Help(h)) = &m.dialog else {
        panic!("help stays open while typing");
    };
    assert_eq!(h.filter.value(), "qu");
    key(&mut m, KeyCode::Backspace);
    key(&mut m, KeyCode::Backspace);
    key(&mut m, KeyCode::PageDown);
    key(&mut m, KeyCode::Down);
    let Some(Dialog::Help(h)) = &m.dialog else {
        panic!("help stays open while scrolling");
    };
    assert_eq!(h.scroll, 11);
    key(&mut m, KeyCode::End);
    let Some(Dialog::Help(h)) = &m.dialog else {
        panic!("help stays open while scrolling");
    };
    let end = h.scroll;
    key(&mut m, KeyCode::PageDown);
    assert!(matches!(&m.dialog, Some(Dialog::Help(h)) if h.scroll == end));
    key(&mut m, KeyCode::Char('?'));
    assert!(m.dialog.is_none(), "? with nothing typed closes it");
    key(&mut m, KeyCode::F(1));
    key(&mut m, KeyCode::Esc);
    assert!(m.dialog.is_none());
}

#[test]
fn ctrl_c_quits_from_anywhere() {
    let mut m = opened();
    key(&mut m, KeyCode::Char('w'));
    let cmds = update(
        &mut m,
        Msg::Key(Key::new(KeyCode::Char('c'), Modifiers::CONTROL)),
    );
    assert_eq!(cmds, vec![Cmd::Quit]);
}

#[test]
fn tab_cycles_through_the_panes_of_an_open_client() {
    let mut m = opened();
    assert_eq!(m.focus, Pane::Results);
    key(&mut m, KeyCode::Tab);
    assert_eq!(m.focus, Pane::History);
    key(&mut m, KeyCode::Tab);
    assert_eq!(m.focus, Pane::Search);
    key(&mut m, KeyCode::BackTab);
    assert_eq!(m.focus, Pane::History);
}

#[test]
fn ticks_move_the_spinner_only_while_busy() {
    let mut m = model();
    update(
        &mut m,
        Msg::Tick(Timestamp::from_millisecond(NOW_MS + 1).unwrap()),
    );
    assert_eq!(m.spinner, 0);
    type_text(&mut m, "9123");
    key(&mut m, KeyCode::Enter);
    update(
        &mut m,
        Msg::Tick(Timestamp::from_millisecond(NOW_MS + 2).unwrap()),
    );
    assert_eq!(m.spinner, 1);
    assert_eq!(m.now.as_millisecond(), NOW_MS + 2);
}

/// The demo database is filled after the first frame: its end is said on the status line,
/// and so is its failure.
#[test]
fn the_end_of_demo_seeding_is_told() {
    let mut m = model();
    m.notice = Some(Notice::DemoSeeding { clients: 5000 });
    assert!(update(&mut m, Msg::DemoSeeded(Ok(5000))).is_empty());
    assert_eq!(m.notice, Some(Notice::DemoCreated { clients: 5000 }));
    // A search made while the database was still empty is made again.
    search_answered(&mut m, "9123456789", vec![]);
    let again = update(&mut m, Msg::DemoSeeded(Ok(5000)));
    assert!(matches!(again[..], [Cmd::Search { .. }]), "{again:?}");
    let failed = ServiceError::new(ErrorKind::Server, "demo data: disk full");
    update(&mut m, Msg::DemoSeeded(Err(failed.clone())));
    assert_eq!(m.error, Some(failed));
}

/// Dates are written with slashes too (`31/12/2026`): `/` types in the history's filter.
#[test]
fn a_slash_types_into_the_history_filter() {
    let mut m = opened();
    m.focus = Pane::History;
    key(&mut m, KeyCode::Char('f'));
    type_text(&mut m, "01/02/2019");
    let Some(Dialog::HistoryFilter(d)) = &m.dialog else {
        panic!("the filter stays open")
    };
    assert_eq!(d.from.value(), "01/02/2019");
    let cmds = key(&mut m, KeyCode::Enter);
    let [Cmd::LoadHistory { query, .. }] = &cmds[..] else {
        panic!("{cmds:?}")
    };
    assert_eq!(query.from.unwrap().as_millisecond(), 1_548_979_200_000);
}

/// Every request is recorded until its reply: a write-off on its way turns the spinner
/// like a read, but it is never offered to Esc, however long it takes; a slow read is.
#[test]
fn writes_on_their_way_are_recorded_and_never_cancelled() {
    use crate::app::msg::Kind;
    let mut m = opened();
    to_confirmation(&mut m);
    key(&mut m, KeyCode::Right);
    let [Cmd::WriteOff { id, .. }] = key(&mut m, KeyCode::Enter)[..] else {
        panic!("sent")
    };
    assert_eq!(m.in_flight.get(&id).map(|r| r.kind), Some(Kind::Write));
    assert!(m.busy());
    let later = m.now + jiff::SignedDuration::from_secs(30);
    update(&mut m, Msg::Tick(later));
    assert!(m.slow_reads().is_empty(), "a write is no read to drop");
    m.dialog = None;
    assert!(
        !key(&mut m, KeyCode::Esc)
            .iter()
            .any(|c| matches!(c, Cmd::Cancel(_))),
        "Esc cancels no write"
    );
    update(&mut m, Msg::WrittenOff { id, result: Ok(()) });
    assert!(!m.in_flight.contains_key(&id), "the reply clears it");
}

/// Each command says whether it starts a request and of which kind; only reads cancel.
#[test]
fn only_reads_are_cancellable() {
    use crate::app::msg::Kind;
    let id = RequestId(7);
    let read = Cmd::LoadGroups { id };
    let write = Cmd::RemoveGroup { id, group: 1 };
    let local = Cmd::LoadJournal { id };
    assert_eq!(read.request().map(|r| r.kind), Some(Kind::Read));
    assert_eq!(write.request().map(|r| r.kind), Some(Kind::Write));
    assert_eq!(local.request().map(|r| r.kind), Some(Kind::Local));
    assert_eq!(read.cancellable(), Some(id));
    assert_eq!(write.cancellable(), None);
    assert_eq!(local.cancellable(), None);
    assert_eq!(Cmd::Quit.request(), None);
}

/// The cursor moves over the lines the filter found, not over all the help: End on a
/// narrowed list stops at its last line, and the first Up moves visibly.
#[test]
fn the_help_cursor_stays_within_the_lines_found() {
    let mut m = opened();
    key(&mut m, KeyCode::Char('?'));
    type_text(&mut m, "quit");
    let Some(Dialog::Help(h)) = &m.dialog else {
        panic!("help is open")
    };
    let found = super::help::lines(&m, h.filter.value()).len();
    assert!(found > 1 && found < 10, "a few lines found: {found}");
    key(&mut m, KeyCode::End);
    key(&mut m, KeyCode::PageDown);
    let Some(Dialog::Help(h)) = &m.dialog else {
        panic!("help is open")
    };
    assert_eq!(h.scroll, found - 1);
    key(&mut m, KeyCode::Up);
    let Some(Dialog::Help(h)) = &m.dialog else {
        panic!("help is open")
    };
    assert_eq!(h.scroll, found - 2);
}
