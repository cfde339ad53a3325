//! Quitting: at once, unless it would lose a write-off's outcome or a form's input; then the
//! console asks, and `y` (or Ctrl-C again) quits while any other key stays.

use super::super::keys::Action;
use super::super::model::{Dialog, Model, ReversalStep, Unsaved, WriteOffStep};
use super::super::msg::Cmd;

/// What quitting now would lose.
pub fn unsaved(model: &Model) -> Option<Unsaved> {
    // The help open over a dialog loses nothing of it.
    let dialog = match &model.dialog {
        Some(Dialog::Help(help)) => help.under.as_deref(),
        dialog => dialog.as_ref(),
    };
    match dialog {
        Some(Dialog::WriteOff(d)) => match d.step {
            WriteOffStep::Sending { .. } | WriteOffStep::Checking { .. } => {
                Some(Unsaved::WriteOffInFlight)
            }
            WriteOffStep::Form => {
                let typed = !d.points.value().trim().is_empty()
                    || !d.rubles.value().trim().is_empty()
                    || !d.chosen.is_empty();
                typed.then_some(Unsaved::Form)
            }
            WriteOffStep::Confirm { .. } | WriteOffStep::Code(_) => Some(Unsaved::Form),
            WriteOffStep::Checked { .. } => None,
        },
        // A reversal is money too: on its way or being checked, its outcome would go unseen.
        Some(Dialog::Reversal(d)) => match d.step {
            ReversalStep::Sending { .. } | ReversalStep::Checking { .. } => {
                Some(Unsaved::WriteOffInFlight)
            }
            ReversalStep::Form | ReversalStep::Confirm { .. } => Some(Unsaved::Form),
            ReversalStep::Loading { .. }
            | ReversalStep::Unreadable(_)
            | ReversalStep::Checked { .. } => None,
        },
        Some(Dialog::GroupForm(f)) if f.touched || f.sending.is_some() => Some(Unsaved::Form),
        _ => None,
    }
}

pub fn ask_or_quit(model: &mut Model) -> Vec<Cmd> {
    match unsaved(model) {
        Some(what) => {
            model.quit_asked = Some(what);
            Vec::new()
        }
        None => vec![Cmd::Quit],
    }
}

/// The key pressed while the question is shown: it is answered either way.
pub fn answer(model: &mut Model, action: Option<Action>) -> Vec<Cmd> {
    model.quit_asked = None;
    if action == Some(Action::Quit) {
        vec![Cmd::Quit]
    } else {
        Vec::new()
    }
}
