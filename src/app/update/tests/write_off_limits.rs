//! The write-off dialog where the provider keeps receipts and has limits: the receipt's
//! fields after the coupons, «Доступно к списанию» asked on opening and for the receipt's
//! total, a limit's refusal offering the manager's PIN, which sends again under a new key.

use crate::app::fixtures::{amount, key, opened, type_text};
use crate::app::keys::key::KeyCode;
use crate::app::model::{Dialog, FormProblem, Model, ReceiptAsk, WriteOffField, WriteOffStep};
use crate::app::msg::{Cmd, Msg, RequestId};
use crate::app::update::update;
use crate::domain::limits::{Available, Capabilities, LimitKind, ManagerPin};
use crate::domain::reversal::{ReasonCode, Why};
use crate::domain::{ClientId, ErrorKind, Reason, Receipt, ServiceError, WriteOff};

fn all() -> Capabilities {
    Capabilities {
        reversal: true,
        receipt: true,
        limits: true,
        shift_report: true,
        codes: None,
        outlook: false,
    }
}

fn dialog(m: &Model) -> &crate::app::model::WriteOffDialog {
    match &m.dialog {
        Some(Dialog::WriteOff(d)) => d,
        other => panic!("no write-off dialog: {other:?}"),
    }
}

/// `w` on the opened client with `caps`; the commands the key gave.
fn open(caps: Capabilities, mode: ReceiptAsk) -> (Model, Vec<Cmd>) {
    let mut m = opened();
    m.capabilities.data = Some(caps);
    m.receipt_mode = mode;
    let cmds = key(&mut m, KeyCode::Char('w'));
    (m, cmds)
}

fn available_asked(cmds: &[Cmd]) -> (RequestId, Option<crate::domain::Amount>) {
    match cmds {
        [
            Cmd::LoadAvailable {
                id,
                client,
                receipt_total,
            },
        ] => {
            assert_eq!(*client, ClientId(1));
            (*id, *receipt_total)
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_plain_provider_keeps_the_plain_dialog() {
    for (caps, mode) in [
        (Capabilities::default(), ReceiptAsk::Required),
        (all(), ReceiptAsk::Off),
    ] {
        let (mut m, cmds) = open(
            Capabilities {
                limits: false,
                ..caps
            },
            mode,
        );
        assert!(cmds.is_empty(), "{cmds:?}");
        assert!(!dialog(&m).receipt_shown);
        // Tab goes round the amounts and the coupons only.
        for _ in 0..3 {
            key(&mut m, KeyCode::Tab);
        }
        assert_eq!(dialog(&m).field, WriteOffField::Points);
    }
}

#[test]
fn the_receipt_follows_the_coupons_and_a_plain_write_off_takes_the_same_keys() {
    let (mut m, _) = open(all(), ReceiptAsk::Optional);
    assert!(dialog(&m).receipt_shown);
    let order: Vec<_> = (0..5)
        .map(|_| {
            key(&mut m, KeyCode::Tab);
            dialog(&m).field
        })
        .collect();
    assert_eq!(
        order,
        [
            WriteOffField::Rubles,
            WriteOffField::Coupons,
            WriteOffField::ReceiptNumber,
            WriteOffField::ReceiptTotal,
            WriteOffField::Points,
        ]
    );
    // `w`, the points, Enter, `y`: as many keys as without a receipt.
    let (mut m, _) = open(all(), ReceiptAsk::Optional);
    type_text(&mut m, "10");
    key(&mut m, KeyCode::Enter);
    let cmds = key(&mut m, KeyCode::Char('y'));
    assert!(
        matches!(&cmds[..], [Cmd::WriteOff { request, manager: None, .. }] if request.receipt.is_none()),
        "{cmds:?}"
    );
}

/// Tabs to `field` and types `text`.
fn fill(m: &mut Model, field: WriteOffField, text: &str) -> Vec<Cmd> {
    let mut cmds = Vec::new();
    while dialog(m).field != field {
        cmds.extend(key(m, KeyCode::Tab));
    }
    cmds.extend(type_text(m, text));
    cmds
}

#[test]
fn the_receipt_goes_whole_or_not_at_all_and_when_required() {
    let (mut m, _) = open(all(), ReceiptAsk::Optional);
    type_text(&mut m, "10");
    fill(&mut m, WriteOffField::ReceiptNumber, "A-17");
    key(&mut m, KeyCode::Enter);
    assert_eq!(dialog(&m).problem, Some(FormProblem::ReceiptHalf));
    fill(&mut m, WriteOffField::ReceiptTotal, "1000");
    key(&mut m, KeyCode::Enter);
    let WriteOffStep::Confirm { request, .. } = &dialog(&m).step else {
        panic!("{:?}", dialog(&m).step)
    };
    assert_eq!(
        request.receipt,
        Some(Receipt {
            number: "A-17".into(),
            total: amount("1000"),
        })
    );
    let (mut m, _) = open(all(), ReceiptAsk::Required);
    type_text(&mut m, "10");
    key(&mut m, KeyCode::Enter);
    assert_eq!(dialog(&m).problem, Some(FormProblem::ReceiptMissing));
}

#[test]
fn what_may_be_written_off_is_asked_on_opening_and_for_the_receipt_total() {
    let (mut m, cmds) = open(all(), ReceiptAsk::Optional);
    let (first, total) = available_asked(&cmds);
    assert_eq!(total, None);
    fill(&mut m, WriteOffField::ReceiptTotal, "500");
    // Leaving the total asks again for it; the first answer, now stale, is dropped.
    let (second, total) = available_asked(&key(&mut m, KeyCode::Tab));
    assert_eq!(total, Some(amount("500")));
    // Through the total again unchanged: nothing more is asked.
    for _ in 0..5 {
        assert!(key(&mut m, KeyCode::Tab).is_empty());
    }
    let answer = |points: &str, by| Available {
        points: amount(points),
        rubles: amount("50.5"),
        limited_by: by,
        together: None,
    };
    update(
        &mut m,
        Msg::AvailableLoaded {
            id: first,
            result: Ok(answer("100", None)),
        },
    );
    assert_eq!(dialog(&m).limits.as_ref().unwrap().data, None);
    let bounded = answer("250", Some(LimitKind::ReceiptShare));
    update(
        &mut m,
        Msg::AvailableLoaded {
            id: second,
            result: Ok(bounded),
        },
    );
    assert_eq!(dialog(&m).limits.as_ref().unwrap().data, Some(bounded));
}

/// Writes off 10 points, confirmed; the command sent.
fn sent(m: &mut Model) -> (RequestId, WriteOff, String) {
    type_text(m, "10");
    key(m, KeyCode::Enter);
    match &key(m, KeyCode::Char('y'))[..] {
        [
            Cmd::WriteOff {
                id, request, key, ..
            },
        ] => (*id, request.clone(), key.clone()),
        other => panic!("{other:?}"),
    }
}

fn refuse(m: &mut Model, id: RequestId, reason: Reason) {
    let e = ServiceError::new(ErrorKind::Rejected, "limit").with_reason(Some(reason));
    assert!(
        update(
            m,
            Msg::WrittenOff {
                id,
                result: Err(e.clone()),
            },
        )
        .is_empty()
    );
    assert_eq!(dialog(m).problem, Some(FormProblem::Refused(e)));
}

#[test]
fn over_a_limit_the_pin_sends_it_again_under_a_new_key() {
    let (mut m, _) = open(all(), ReceiptAsk::Off);
    let (id, request, first_key) = sent(&mut m);
    refuse(&mut m, id, Reason::Limit(LimitKind::Operation));
    assert_eq!(dialog(&m).step, WriteOffStep::Form);
    assert_eq!(dialog(&m).field, WriteOffField::Pin, "the PIN is offered");
    // Letters are no PIN's and are not typed.
    type_text(&mut m, "x86");
    key(&mut m, KeyCode::Enter);
    assert_eq!(dialog(&m).problem, Some(FormProblem::PinMissing));
    type_text(&mut m, "42");
    // The reason the manager gives comes after the PIN, and none is chosen for them: Enter
    // asks for one, and ↓↓ chooses «возврат товара».
    assert!(key(&mut m, KeyCode::Enter).is_empty());
    assert_eq!(dialog(&m).problem, Some(FormProblem::OverrideReasonMissing));
    key(&mut m, KeyCode::Tab);
    assert_eq!(dialog(&m).field, WriteOffField::OverrideReason);
    key(&mut m, KeyCode::Down);
    key(&mut m, KeyCode::Down);
    // Enter sends the refused write-off again at once, with the PIN, its reason and a new
    // key.
    let cmds = key(&mut m, KeyCode::Enter);
    let [
        Cmd::WriteOff {
            request: again,
            key: again_key,
            manager: Some(manager),
            ..
        },
    ] = &cmds[..]
    else {
        panic!("{cmds:?}")
    };
    let why = Why::new(ReasonCode::Returned, None).unwrap();
    assert_eq!(
        *again,
        WriteOff {
            why: Some(why),
            ..request
        }
    );
    assert_ne!(*again_key, first_key);
    assert_eq!(*manager, ManagerPin::new("8642").unwrap());
    assert_eq!(
        dialog(&m).pin.as_ref().unwrap().len(),
        0,
        "cleared once sent"
    );
    let shown = format!("{:?}", m.dialog);
    assert!(!shown.contains("8642"), "{shown}");
    assert!(!format!("{cmds:?}").contains("8642"));
}

#[test]
fn a_wrong_pin_is_said_and_cleared_and_may_be_typed_again() {
    let (mut m, _) = open(all(), ReceiptAsk::Off);
    let (id, request, _) = sent(&mut m);
    refuse(&mut m, id, Reason::Limit(LimitKind::ClientDay));
    type_text(&mut m, "1111");
    key(&mut m, KeyCode::Tab);
    key(&mut m, KeyCode::Down);
    let [Cmd::WriteOff { id, key: k1, .. }] = &key(&mut m, KeyCode::Enter)[..] else {
        panic!()
    };
    let (id, k1) = (*id, k1.clone());
    refuse(&mut m, id, Reason::PinWrong);
    assert_eq!(dialog(&m).pin.as_ref().unwrap().len(), 0);
    assert_eq!(dialog(&m).field, WriteOffField::Pin);
    type_text(&mut m, "4321");
    let cmds = key(&mut m, KeyCode::Enter);
    let [
        Cmd::WriteOff {
            request: again,
            key: k2,
            manager: Some(_),
            ..
        },
    ] = &cmds[..]
    else {
        panic!("{cmds:?}")
    };
    let why = Why::new(ReasonCode::Mistake, None).unwrap();
    assert_eq!(
        *again,
        WriteOff {
            why: Some(why),
            ..request
        },
        "the reason chosen stays for the next PIN"
    );
    assert_ne!(*k2, k1);
}

#[test]
fn going_past_a_limit_for_another_reason_says_which() {
    let (mut m, _) = open(all(), ReceiptAsk::Off);
    let (id, _, _) = sent(&mut m);
    refuse(&mut m, id, Reason::Limit(LimitKind::Operation));
    type_text(&mut m, "2468");
    key(&mut m, KeyCode::Tab);
    key(&mut m, KeyCode::Up);
    assert_eq!(dialog(&m).override_reason, Some(ReasonCode::Other));
    assert!(
        key(&mut m, KeyCode::Enter).is_empty(),
        "«другое» needs its note"
    );
    assert_eq!(dialog(&m).problem, Some(FormProblem::OverrideNoteMissing));
    key(&mut m, KeyCode::Tab);
    assert_eq!(dialog(&m).field, WriteOffField::OverrideNote);
    type_text(&mut m, "постоянный клиент");
    let cmds = key(&mut m, KeyCode::Enter);
    let [Cmd::WriteOff { request, .. }] = &cmds[..] else {
        panic!("{cmds:?}")
    };
    let why = request.why.as_ref().unwrap();
    assert_eq!(
        (why.code, why.note.as_deref()),
        (ReasonCode::Other, Some("постоянный клиент"))
    );
}

#[test]
fn a_refusal_for_want_of_a_receipt_makes_it_required() {
    let (mut m, _) = open(all(), ReceiptAsk::Optional);
    let (id, _, _) = sent(&mut m);
    refuse(&mut m, id, Reason::ReceiptRequired);
    let d = dialog(&m);
    assert!(d.receipt_required);
    assert_eq!(d.field, WriteOffField::ReceiptNumber);
    assert!(d.pin.is_some());
    key(&mut m, KeyCode::Enter);
    assert_eq!(dialog(&m).problem, Some(FormProblem::ReceiptMissing));
}

#[test]
fn a_changed_request_with_a_pin_is_confirmed_first() {
    let (mut m, _) = open(all(), ReceiptAsk::Off);
    let (id, _, _) = sent(&mut m);
    refuse(&mut m, id, Reason::Limit(LimitKind::Operation));
    type_text(&mut m, "1234");
    // Back to the points past the reason (chosen) and its note: 5 instead of 10.
    key(&mut m, KeyCode::Tab);
    key(&mut m, KeyCode::Down);
    for _ in 0..2 {
        key(&mut m, KeyCode::Tab);
    }
    assert_eq!(dialog(&m).field, WriteOffField::Points);
    update(&mut m, Msg::Key(crate::app::keys::key::Key::ctrl('u')));
    type_text(&mut m, "5");
    assert!(key(&mut m, KeyCode::Enter).is_empty());
    assert!(matches!(dialog(&m).step, WriteOffStep::Confirm { .. }));
    let cmds = key(&mut m, KeyCode::Char('y'));
    assert!(
        matches!(&cmds[..], [Cmd::WriteOff { manager: Some(_), request, .. }] if request.points == Some(amount("5"))),
        "{cmds:?}"
    );
}

#[test]
fn capabilities_are_asked_once_at_start_and_only_with_a_clients_provider() {
    let mut m = crate::app::fixtures::model();
    let cmds = update(&mut m, Msg::Started);
    let [Cmd::LoadCapabilities { id }] = cmds[..] else {
        panic!("{cmds:?}")
    };
    assert_eq!(m.can(), Capabilities::default(), "nothing until it answers");
    update(
        &mut m,
        Msg::CapabilitiesLoaded {
            id,
            result: Ok(all()),
        },
    );
    assert_eq!(m.can(), all());
    let mut m = crate::app::fixtures::model();
    m.available.clients = false;
    assert!(update(&mut m, Msg::Started).is_empty());
}
