//! The original as read back (on opening, to prefill the form; after a reversal got no
//! answer, to judge it) and the reversal's answer. Never resent blind, never cancelled on an
//! unknown.

use super::super::super::model::{
    Model, Notice, ReversalField, ReversalProblem, ReversalStep, ReversalVerdict,
};
use super::super::super::msg::{Cmd, Reply, RequestId};
use super::super::{card, journal};
use super::dialog;
use super::form::prefill;
use crate::app::model::Screen;
use crate::domain::journal::Outcome;
use crate::domain::reversal::Operation;
use crate::domain::{Amount, ClientId, Currency, OperationId, Reason, Reversal};

/// The original, read on opening or read again after an unanswered reversal.
pub fn operation_loaded(model: &mut Model, id: RequestId, result: Reply<Operation>) -> Vec<Cmd> {
    let Some(d) = dialog(model) else {
        return Vec::new();
    };
    match d.step.clone() {
        ReversalStep::Loading { id: asked } if asked == id => {
            match result {
                Ok(op) => {
                    d.points = prefill(op.left(Currency::Points));
                    d.rubles = prefill(op.left(Currency::Rubles));
                    d.coupons_back = !op.coupons_left().is_empty();
                    d.original = Some(op);
                    d.step = ReversalStep::Form;
                }
                Err(e) => d.step = ReversalStep::Unreadable(e),
            }
            Vec::new()
        }
        ReversalStep::Checking {
            request,
            key,
            id: asked,
        } if asked == id => {
            let verdict = d
                .original
                .as_ref()
                .zip(result.ok().as_ref())
                .map_or(Verdict::Unclear, |(before, now)| {
                    judge(before, now, &request)
                });
            let client = d.client;
            let outcome = match verdict {
                Verdict::Applied => {
                    let operation = d.operation;
                    model.dialog = None;
                    model.error = None;
                    model.notice = Some(Notice::Reversed {
                        operation,
                        request,
                        after_check: true,
                    });
                    Outcome::AppliedAfterCheck
                }
                Verdict::NotApplied => {
                    d.step = ReversalStep::Checked {
                        request,
                        key: key.clone(),
                        verdict: ReversalVerdict::NotApplied,
                    };
                    Outcome::NotAppliedAfterCheck
                }
                Verdict::Unclear => {
                    d.step = ReversalStep::Checked {
                        request,
                        key: key.clone(),
                        verdict: ReversalVerdict::Unclear,
                    };
                    Outcome::UnclearAfterCheck
                }
            };
            let mut cmds = vec![Cmd::Record {
                key,
                client,
                outcome,
            }];
            if outcome == Outcome::AppliedAfterCheck {
                cmds.extend(after_done(model, client));
            }
            cmds
        }
        // A reply to a read no longer waited for.
        _ => Vec::new(),
    }
}

/// What reading the original again says of a reversal that got no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Applied,
    NotApplied,
    Unclear,
}

/// Reversed grew by exactly what was asked: it went through; unchanged: it did not;
/// anything else (another till reversed meanwhile, or part of it) cannot be told apart.
fn judge(before: &Operation, now: &Operation, asked: &Reversal) -> Verdict {
    let grew = |b: Amount, n: Amount| n.minor() - b.minor();
    let points = grew(before.reversed_points, now.reversed_points);
    let rubles = grew(before.reversed_rubles, now.reversed_rubles);
    let new_coupons: Vec<_> = now
        .reversed_coupons
        .iter()
        .filter(|c| !before.reversed_coupons.contains(c))
        .copied()
        .collect();
    let unchanged = points == 0 && rubles == 0 && new_coupons.is_empty();
    let minor = |a: Option<Amount>| a.map_or(0, |a| a.minor());
    let mut asked_coupons = asked.coupons.clone();
    let mut new_sorted = new_coupons;
    asked_coupons.sort();
    new_sorted.sort();
    let exactly = points == minor(asked.points)
        && rubles == minor(asked.rubles)
        && new_sorted == asked_coupons;
    if exactly && !unchanged {
        Verdict::Applied
    } else if unchanged {
        Verdict::NotApplied
    } else {
        Verdict::Unclear
    }
}

pub fn reversed(model: &mut Model, id: RequestId, result: Reply<Option<OperationId>>) -> Vec<Cmd> {
    let read = model.next_id();
    let Some(d) = dialog(model) else {
        return Vec::new();
    };
    let ReversalStep::Sending {
        request,
        key,
        id: sent,
    } = d.step.clone()
    else {
        return Vec::new();
    };
    if sent != id {
        return Vec::new();
    }
    match result {
        Ok(_) => {
            let (operation, client) = (d.operation, d.client);
            model.dialog = None;
            model.notice = Some(Notice::Reversed {
                operation,
                request,
                after_check: false,
            });
            after_done(model, client)
        }
        Err(e) if e.outcome_unknown() => {
            // Read the original again: only what it shows decides.
            d.step = ReversalStep::Checking {
                request,
                key,
                id: read,
            };
            let operation = d.operation;
            model.error = Some(e);
            vec![Cmd::LoadOperation {
                id: read,
                operation,
            }]
        }
        Err(e) => {
            if e.reason == Some(Reason::PinWrong) {
                d.field = ReversalField::Pin;
            }
            d.manager = None;
            // A refusal proved nothing moved, and it is what the old key's stored answer
            // is now: whatever is confirmed next goes under a new key.
            d.last_key = None;
            d.step = ReversalStep::Form;
            d.problem = Some(ReversalProblem::Refused(e.clone()));
            model.error = Some(e);
            Vec::new()
        }
    }
}

/// After a reversal went through: the card and the journal show it.
fn after_done(model: &mut Model, client: ClientId) -> Vec<Cmd> {
    let mut cmds = Vec::new();
    if model.card.as_ref().is_some_and(|c| c.client.id == client) {
        cmds.extend(card::reload(model));
    }
    if model.screen == Screen::Journal {
        cmds.extend(journal::load(model));
    }
    cmds
}
