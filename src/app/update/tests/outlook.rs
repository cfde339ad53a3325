//! «сгорит»/«неактивно»: the card asks the outlook with the balance where the provider keeps
//! lots, shows nothing on a failure (said quietly in the messages), drops a stale answer;
//! REGOS's operations give theirs as of the model's clock.

use crate::app::fixtures::{NOW_MS, amount, client, key, model, search_answered, type_text};
use crate::app::keys::key::KeyCode;
use crate::app::model::{Model, Said};
use crate::app::msg::{Cmd, Msg, RequestId};
use crate::app::update::update;
use crate::domain::admin::{CardOperation, CardOperationPage, Expiry, OperationKind};
use crate::domain::limits::Capabilities;
use crate::domain::lots::{Dated, Outlook};
use crate::domain::{Currency, ErrorKind, ServiceError};
use jiff::Timestamp;
use rust_decimal::Decimal;

/// Client 1 found and opened on a provider with (`lots`) or without lots: the outlook's
/// request, if one was made.
fn opened(m: &mut Model, lots: bool) -> Option<RequestId> {
    m.capabilities.data = Some(Capabilities {
        outlook: lots,
        ..Capabilities::default()
    });
    search_answered(m, "9123456789", vec![client(1, "Пётр")]);
    key(m, KeyCode::Enter).into_iter().find_map(|c| match c {
        Cmd::LoadOutlook { id, client } => {
            assert_eq!(client.0, 1);
            Some(id)
        }
        _ => None,
    })
}

fn outlook() -> Outlook {
    Outlook {
        expiring: vec![Dated {
            currency: Currency::Points,
            amount: amount("120"),
            at: Timestamp::from_millisecond(NOW_MS + 86_400_000).unwrap(),
        }],
        pending: Vec::new(),
    }
}

fn shown(m: &Model) -> Option<&Outlook> {
    m.card.as_ref().and_then(|c| c.outlook.data.as_ref())
}

#[test]
fn the_outlook_is_asked_only_where_the_provider_keeps_lots() {
    let mut m = model();
    assert_eq!(opened(&mut m, false), None);
    let mut m = model();
    let id = opened(&mut m, true).expect("asked with the balance");
    update(
        &mut m,
        Msg::OutlookLoaded {
            id,
            result: Ok(outlook()),
        },
    );
    assert_eq!(shown(&m), Some(&outlook()));
}

#[test]
fn a_failed_outlook_shows_nothing_and_is_said_quietly() {
    let mut m = model();
    let id = opened(&mut m, true).unwrap();
    // A refresh asks again; the first answer is stale and dropped.
    let again = key(&mut m, KeyCode::Char('r'))
        .into_iter()
        .find_map(|c| match c {
            Cmd::LoadOutlook { id, .. } => Some(id),
            _ => None,
        })
        .unwrap();
    update(
        &mut m,
        Msg::OutlookLoaded {
            id,
            result: Ok(outlook()),
        },
    );
    assert_eq!(shown(&m), None, "a stale answer is dropped");
    update(
        &mut m,
        Msg::OutlookLoaded {
            id: again,
            result: Ok(outlook()),
        },
    );
    let id = key(&mut m, KeyCode::Char('r'))
        .into_iter()
        .find_map(|c| match c {
            Cmd::LoadOutlook { id, .. } => Some(id),
            _ => None,
        })
        .unwrap();
    let error = ServiceError::new(ErrorKind::BadResponse, "garbage");
    let before = m.error.clone();
    update(
        &mut m,
        Msg::OutlookLoaded {
            id,
            result: Err(error.clone()),
        },
    );
    assert_eq!(shown(&m), None, "no figure from before the failure");
    assert_eq!(m.error, before, "not on the status line");
    assert!(
        m.messages
            .iter()
            .any(|msg| msg.said == Said::Error(error.clone())),
        "kept in the messages"
    );
}

#[test]
fn regos_operations_say_what_burns_as_of_the_models_clock() {
    let mut m = model();
    key(&mut m, KeyCode::F(6));
    type_text(&mut m, "12");
    key(&mut m, KeyCode::Tab);
    type_text(&mut m, "1");
    let [Cmd::LoadCardOperations { id, .. }] = key(&mut m, KeyCode::Enter)[..] else {
        panic!()
    };
    let at = Timestamp::from_millisecond(NOW_MS + 3 * 86_400_000).unwrap();
    let operations = vec![CardOperation {
        kind: Some(OperationKind::Income),
        value: Some(Decimal::from(150)),
        used_value: Some(Decimal::from(30)),
        expires: Some(Expiry::At(at)),
        ..CardOperation::default()
    }];
    update(
        &mut m,
        Msg::CardOperationsLoaded {
            id,
            result: Ok(CardOperationPage {
                operations,
                next_offset: None,
                total: Some(1),
            }),
        },
    );
    let expiring = &m.card_operations.outlook.expiring;
    assert_eq!(expiring.len(), 1);
    assert_eq!(expiring[0].amount, amount("120"));
    assert_eq!(expiring[0].at, at);
}
