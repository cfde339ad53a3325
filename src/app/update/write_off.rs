//! The write-off dialog: form, validation, confirmation (Cancel by default), one request in
//! flight at most, and what happens after.

use super::super::keys::Action;
use super::super::model::{
    Button, Dialog, Doubt, FormProblem, Model, Notice, Verdict, WriteOffDialog, WriteOffField,
    WriteOffStep,
};
use super::super::msg::{Cmd, Reply, RequestId};
use super::card;
use crate::domain::journal::Outcome;
use crate::domain::{Amount, Balances, Coupon, CouponId, WriteOff};
use ratatui::crossterm::event::KeyEvent;
use std::collections::BTreeSet;
use tui_input::Input;

/// `w`: open the dialog for the open client once its balance is known.
pub fn open(model: &mut Model) -> Vec<Cmd> {
    let Some(card) = model.card.as_ref() else {
        return Vec::new();
    };
    let Some(balances) = card.balance.data else {
        // Said instead of the read's error, which the card still shows.
        model.error = None;
        model.notice = Some(Notice::NoBalanceToWriteOff);
        return Vec::new();
    };
    model.dialog = Some(Dialog::WriteOff(Box::new(WriteOffDialog {
        client: card.client.clone(),
        balances,
        coupons: card.coupons.data.clone().unwrap_or_default(),
        points: Input::default(),
        rubles: Input::default(),
        field: WriteOffField::Points,
        coupon_cursor: 0,
        chosen: BTreeSet::new(),
        problem: None,
        step: WriteOffStep::Form,
        last_key: None,
    })));
    model.notice = None;
    Vec::new()
}

fn dialog(model: &mut Model) -> Option<&mut WriteOffDialog> {
    match model.dialog.as_mut() {
        Some(Dialog::WriteOff(d)) => Some(d),
        _ => None,
    }
}

pub fn on_key(model: &mut Model, action: Option<Action>, key: KeyEvent) -> Vec<Cmd> {
    if action == Some(Action::Quit) {
        return vec![Cmd::Quit];
    }
    let now = model.now;
    let fresh_key = model.new_key();
    let Some(d) = dialog(model) else {
        return Vec::new();
    };
    match (&d.step, action) {
        (WriteOffStep::Sending { .. } | WriteOffStep::Checking { .. }, _) => Vec::new(),
        (
            WriteOffStep::Checked {
                request,
                key,
                verdict,
            },
            Some(action),
        ) => {
            let (request, key, verdict) = (request.clone(), key.clone(), *verdict);
            match action {
                // Only a write-off known not to have gone through is offered again, under
                // the same key, so even a wrong verdict cannot charge twice where the
                // vendor honours keys.
                Action::Confirm | Action::Submit if verdict == Verdict::NotApplied => {
                    send(model, request, key)
                }
                Action::Cancel => {
                    model.dialog = None;
                    Vec::new()
                }
                _ => Vec::new(),
            }
        }
        (WriteOffStep::Checked { .. }, None) => Vec::new(),
        (WriteOffStep::Form, Some(Action::Cancel)) => {
            model.dialog = None;
            Vec::new()
        }
        (WriteOffStep::Form, Some(Action::NextField)) => {
            d.field = next_field(
                d.field,
                !d.coupons.is_empty(),
                key.code == ratatui::crossterm::event::KeyCode::BackTab,
            );
            Vec::new()
        }
        (WriteOffStep::Form, Some(Action::Up | Action::Down))
            if d.field == WriteOffField::Coupons =>
        {
            let last = d.coupons.len().saturating_sub(1);
            d.coupon_cursor = if action == Some(Action::Up) {
                d.coupon_cursor.saturating_sub(1)
            } else {
                (d.coupon_cursor + 1).min(last)
            };
            Vec::new()
        }
        (WriteOffStep::Form, Some(Action::ToggleCoupon)) if d.field == WriteOffField::Coupons => {
            toggle_coupon(d, now);
            Vec::new()
        }
        (WriteOffStep::Form, Some(Action::Submit)) => {
            match validate(d, now) {
                Ok(request) => {
                    d.problem = None;
                    // The same request confirmed again keeps its key; a changed one gets a
                    // new key, as it is a new write-off.
                    let key = match &d.last_key {
                        Some((last, key)) if *last == request => key.clone(),
                        _ => fresh_key,
                    };
                    d.last_key = Some((request.clone(), key.clone()));
                    d.step = WriteOffStep::Confirm {
                        request,
                        focus: Button::Cancel,
                        key,
                    };
                }
                Err(problem) => d.problem = Some(problem),
            }
            Vec::new()
        }
        (WriteOffStep::Form, _) => {
            let input = match d.field {
                WriteOffField::Points => &mut d.points,
                WriteOffField::Rubles => &mut d.rubles,
                WriteOffField::Coupons => return Vec::new(),
            };
            if super::typed(input, key) {
                d.problem = None;
            }
            Vec::new()
        }
        (
            WriteOffStep::Confirm {
                focus,
                request,
                key,
            },
            Some(action),
        ) => {
            let (focus, request, key) = (*focus, request.clone(), key.clone());
            match action {
                Action::NextField => {
                    d.step = WriteOffStep::Confirm {
                        request,
                        focus: focus.other(),
                        key,
                    };
                    Vec::new()
                }
                Action::Confirm => send(model, request, key),
                Action::Submit if focus == Button::Confirm => send(model, request, key),
                Action::Submit | Action::Cancel => {
                    d.step = WriteOffStep::Form;
                    Vec::new()
                }
                _ => Vec::new(),
            }
        }
        (WriteOffStep::Confirm { .. }, None) => Vec::new(),
    }
}

fn next_field(field: WriteOffField, has_coupons: bool, backwards: bool) -> WriteOffField {
    use WriteOffField::*;
    let order: &[WriteOffField] = if has_coupons {
        &[Points, Rubles, Coupons]
    } else {
        &[Points, Rubles]
    };
    let at = order.iter().position(|f| *f == field).unwrap_or(0);
    let len = order.len();
    order[if backwards {
        (at + len - 1) % len
    } else {
        (at + 1) % len
    }]
}

fn toggle_coupon(d: &mut WriteOffDialog, now: jiff::Timestamp) {
    let Some(coupon) = d.coupons.get(d.coupon_cursor) else {
        return;
    };
    if d.chosen.remove(&coupon.id) {
        d.problem = None;
    } else if coupon.is_expired(now) {
        d.problem = Some(FormProblem::CouponExpired(coupon.id));
    } else {
        d.chosen.insert(coupon.id);
        d.problem = None;
    }
}

fn amount(
    input: &Input,
    field: WriteOffField,
    balances: &Balances,
) -> Result<Option<Amount>, FormProblem> {
    if input.value().trim().is_empty() {
        return Ok(None);
    }
    let amount =
        Amount::parse_user(input.value()).map_err(|error| FormProblem::Amount { field, error })?;
    if !amount.is_positive() {
        return Err(FormProblem::NotPositive(field));
    }
    let available = match field {
        WriteOffField::Points => balances.points,
        _ => balances.rubles,
    };
    if amount > available {
        return Err(FormProblem::AboveBalance { field, available });
    }
    Ok(Some(amount))
}

/// Checks the form against what the console knows; the server checks again.
pub fn validate(d: &WriteOffDialog, now: jiff::Timestamp) -> Result<WriteOff, FormProblem> {
    let points = amount(&d.points, WriteOffField::Points, &d.balances)?;
    let rubles = amount(&d.rubles, WriteOffField::Rubles, &d.balances)?;
    let mut coupons = Vec::new();
    for coupon in d.coupons.iter().filter(|c| d.chosen.contains(&c.id)) {
        if coupon.is_expired(now) {
            return Err(FormProblem::CouponExpired(coupon.id));
        }
        coupons.push(coupon.id);
    }
    let request = WriteOff {
        points,
        rubles,
        coupons,
    };
    if request.is_empty() {
        return Err(FormProblem::Nothing);
    }
    Ok(request)
}

fn send(model: &mut Model, request: WriteOff, key: String) -> Vec<Cmd> {
    let id = model.next_id();
    let Some(d) = dialog(model) else {
        return Vec::new();
    };
    let client = d.client.id;
    d.step = WriteOffStep::Sending {
        request: request.clone(),
        id,
        key: key.clone(),
    };
    model.error = None;
    vec![Cmd::WriteOff {
        id,
        client,
        request,
        key,
    }]
}

pub fn written_off(model: &mut Model, id: RequestId, result: Reply<()>) -> Vec<Cmd> {
    let Some(d) = dialog(model) else {
        return Vec::new();
    };
    let WriteOffStep::Sending {
        request,
        id: sent,
        key,
    } = &d.step
    else {
        return Vec::new();
    };
    if *sent != id {
        return Vec::new();
    }
    let (request, key) = (request.clone(), key.clone());
    match result {
        Ok(()) => {
            let client = d.client.clone();
            model.dialog = None;
            model.notice = Some(Notice::WrittenOff { client, request });
            card::reload(model)
        }
        Err(e) if e.outcome_unknown() => {
            // Never retried on its own: the balance and coupons are read again, and only a
            // write-off shown not to have gone through is offered again.
            let client = d.client.id;
            d.step = WriteOffStep::Checking { request, key };
            model.notice = Some(Notice::OutcomeUnknown { client });
            model.error = Some(e);
            card::reload(model)
        }
        Err(e) => {
            d.step = WriteOffStep::Form;
            d.problem = Some(FormProblem::Refused(e.clone()));
            model.error = Some(e);
            Vec::new()
        }
    }
}

/// After an unanswered write-off, once the balance and coupons have been read again: did
/// it go through? Compares them with what the dialog opened with.
pub fn check(model: &mut Model) -> Vec<Cmd> {
    let Some(card) = model.card.as_ref() else {
        return Vec::new();
    };
    if card.balance.is_loading() || card.coupons.is_loading() {
        return Vec::new();
    }
    let reread = match (&card.balance, &card.coupons) {
        (b, c) if b.error.is_some() || c.error.is_some() => None,
        (b, c) => b.data.zip(c.data.clone()),
    };
    let now = model.now;
    let Some(Dialog::WriteOff(d)) = model.dialog.as_mut() else {
        return Vec::new();
    };
    let WriteOffStep::Checking { request, key } = &d.step else {
        return Vec::new();
    };
    let (request, key) = (request.clone(), key.clone());
    let found = judge(
        &d.balances,
        &d.coupons,
        &request,
        reread.as_ref().map(|(b, c)| (b, c.as_slice())),
        now,
    );
    let client = d.client.clone();
    let outcome = match found {
        None => {
            model.dialog = None;
            model.error = None;
            model.notice = Some(Notice::WrittenOffAfterCheck {
                client: client.clone(),
                request,
            });
            Outcome::AppliedAfterCheck
        }
        Some(verdict) => {
            d.step = WriteOffStep::Checked {
                request,
                key: key.clone(),
                verdict,
            };
            match verdict {
                Verdict::NotApplied => Outcome::NotAppliedAfterCheck,
                Verdict::Unclear(_) => Outcome::UnclearAfterCheck,
            }
        }
    };
    vec![Cmd::Record {
        key,
        client: client.id,
        outcome,
    }]
}

/// Judges an unanswered write-off by the balance and coupons read again (`after`; `None`
/// when they could not be read) against those it was written against. `None`: it went
/// through. It is judged applied only on evidence that singles it out: every balance part
/// taken exactly and a coupon of its own, unexpired, gone (a coupon is one client's and is
/// redeemed once). A balance that fell by exactly the amount proves nothing by itself,
/// since another till may have taken the same amount.
pub fn judge(
    before: &Balances,
    offered: &[Coupon],
    request: &WriteOff,
    after: Option<(&Balances, &[Coupon])>,
    now: jiff::Timestamp,
) -> Option<Verdict> {
    let Some((balances, coupons)) = after else {
        return Some(Verdict::Unclear(Doubt::Unreadable));
    };
    let parts = request.balance_parts();
    let listed = |id: CouponId| coupons.iter().any(|c| c.id == id);
    let untouched = parts
        .iter()
        .all(|(c, _)| before.get(*c) == balances.get(*c))
        && request.coupons.iter().all(|id| listed(*id));
    if untouched {
        return Some(Verdict::NotApplied);
    }
    let taken = parts
        .iter()
        .all(|(c, a)| before.get(*c).minor() - a.minor() == balances.get(*c).minor())
        && request.coupons.iter().all(|id| !listed(*id));
    let expired_and_gone = request
        .coupons
        .iter()
        .copied()
        .find(|id| !listed(*id) && offered.iter().any(|c| c.id == *id && c.is_expired(now)));
    match (taken, expired_and_gone) {
        (_, Some(coupon)) => Some(Verdict::Unclear(Doubt::CouponExpired(coupon))),
        (true, None) if request.coupons.is_empty() => {
            Some(Verdict::Unclear(Doubt::SameAmountElsewhere))
        }
        (true, None) => None,
        (false, None) => Some(Verdict::Unclear(Doubt::ChangedOtherwise)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::Timestamp;

    const NOW: i64 = 1_800_000_000_000;

    fn at(ms: i64) -> Timestamp {
        Timestamp::from_millisecond(ms).unwrap()
    }

    fn balances(points: i64, rubles: i64) -> Balances {
        Balances {
            points: Amount::from_minor(points),
            rubles: Amount::from_minor(rubles),
        }
    }

    fn coupon(id: i64, expires_ms: Option<i64>) -> Coupon {
        Coupon {
            id: CouponId(id),
            title: String::new(),
            expires_at: expires_ms.map(at),
        }
    }

    fn points(minor: i64) -> WriteOff {
        WriteOff {
            points: Some(Amount::from_minor(minor)),
            ..WriteOff::default()
        }
    }

    fn coupons(ids: &[i64]) -> WriteOff {
        WriteOff {
            coupons: ids.iter().map(|i| CouponId(*i)).collect(),
            ..WriteOff::default()
        }
    }

    #[test]
    fn nothing_moved_means_not_applied() {
        let before = balances(10_000, 500);
        let offered = [coupon(1, None)];
        let request = WriteOff {
            coupons: vec![CouponId(1)],
            ..points(1_000)
        };
        let after = Some((&before, &offered[..]));
        assert_eq!(
            judge(&before, &offered, &request, after, at(NOW)),
            Some(Verdict::NotApplied)
        );
    }

    #[test]
    fn the_exact_amount_and_its_own_unexpired_coupon_gone_mean_applied() {
        let offered = [coupon(1, Some(NOW + 1)), coupon(2, None)];
        let request = WriteOff {
            coupons: vec![CouponId(1)],
            ..points(1_000)
        };
        let after = (balances(9_000, 500), [coupon(2, None)]);
        let found = judge(
            &balances(10_000, 500),
            &offered,
            &request,
            Some((&after.0, &after.1[..])),
            at(NOW),
        );
        assert_eq!(found, None);
    }

    #[test]
    fn the_same_amount_gone_without_a_coupon_may_be_another_tills() {
        // Another till wrote off 10.00 from the same client while this one got no answer:
        // the balance looks exactly as if this write-off had gone through.
        let after = balances(9_000, 500);
        let found = judge(
            &balances(10_000, 500),
            &[],
            &points(1_000),
            Some((&after, &[])),
            at(NOW),
        );
        assert_eq!(found, Some(Verdict::Unclear(Doubt::SameAmountElsewhere)));
    }

    #[test]
    fn a_balance_that_moved_otherwise_is_unclear() {
        // Up by an accrual, or down by more than this write-off.
        for after in [balances(10_500, 500), balances(8_000, 500)] {
            let found = judge(
                &balances(10_000, 500),
                &[],
                &points(1_000),
                Some((&after, &[])),
                at(NOW),
            );
            assert_eq!(
                found,
                Some(Verdict::Unclear(Doubt::ChangedOtherwise)),
                "{after:?}"
            );
        }
    }

    #[test]
    fn a_coupon_only_write_off_whose_coupon_expired() {
        let offered = [coupon(1, Some(NOW - 1))];
        let request = coupons(&[1]);
        let same = balances(10_000, 500);
        // Still listed (as an expired coupon): it was not redeemed.
        assert_eq!(
            judge(
                &same,
                &offered,
                &request,
                Some((&same, &offered[..])),
                at(NOW)
            ),
            Some(Verdict::NotApplied)
        );
        // No longer listed: redeemed, or dropped for having expired. Cannot tell.
        assert_eq!(
            judge(&same, &offered, &request, Some((&same, &[])), at(NOW)),
            Some(Verdict::Unclear(Doubt::CouponExpired(CouponId(1))))
        );
    }

    #[test]
    fn an_unreadable_reread_is_unclear() {
        assert_eq!(
            judge(&balances(1, 1), &[], &points(1), None, at(NOW)),
            Some(Verdict::Unclear(Doubt::Unreadable))
        );
    }
}
