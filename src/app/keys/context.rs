//! One answer to "which keys apply now": key dispatch, paste, the hint bar and the help all
//! ask `Model::key_context()`, so none of them keeps its own copy of the rules.

use super::Scope;
use crate::app::model::{
    CodeField, Dialog, Model, ReversalField, ReversalStep, ReversalVerdict, Verdict, WriteOffStep,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyContext {
    /// Whose bindings apply.
    pub scope: Scope,
    /// A text field has the keyboard: unbound printable keys are typed into it.
    pub typing: bool,
    /// A dialog or form owns the keyboard: global keys other than Ctrl-C do not apply.
    pub modal: bool,
}

impl Model {
    pub fn key_context(&self) -> KeyContext {
        let (scope, typing) = self.scope_and_typing();
        KeyContext {
            scope,
            typing,
            modal: scope.is_modal(),
        }
    }

    fn scope_and_typing(&self) -> (Scope, bool) {
        if self.quit_asked.is_some() {
            return (Scope::QuitConfirm, false);
        }
        match &self.dialog {
            Some(Dialog::Help(_)) => (Scope::Help, true),
            Some(Dialog::Messages(_)) => (Scope::Messages, false),
            Some(Dialog::WriteOff(d)) => match d.step {
                WriteOffStep::Form => (Scope::WriteOffForm, true),
                WriteOffStep::Code(ref step) if !step.checkable => (Scope::WriteOffPinOnly, true),
                WriteOffStep::Code(ref step) if step.field == CodeField::Pin => {
                    (Scope::WriteOffCodePin, true)
                }
                WriteOffStep::Code(_) => (Scope::WriteOffCode, true),
                WriteOffStep::Sending { .. } | WriteOffStep::Checking { .. } => {
                    (Scope::WriteOffWaiting, false)
                }
                WriteOffStep::Checked {
                    verdict: Verdict::Unclear(_),
                    ..
                } => (Scope::WriteOffUnclear, false),
                _ => (Scope::WriteOffConfirm, false),
            },
            Some(Dialog::HistoryFilter(_)) => (Scope::Filter, true),
            Some(Dialog::GroupForm(_)) => (Scope::GroupForm, true),
            Some(Dialog::GroupRemove(_)) => (Scope::GroupRemove, false),
            Some(Dialog::BonusMismatch(_)) => (Scope::BonusMismatch, false),
            Some(Dialog::CardPicker(_)) => (Scope::CardPicker, false),
            Some(Dialog::ShiftReport(_)) => (Scope::ShiftReport, false),
            Some(Dialog::Reversal(d)) => match d.step {
                ReversalStep::Form => (
                    Scope::ReversalForm,
                    !matches!(d.field, ReversalField::Coupons | ReversalField::Reason),
                ),
                ReversalStep::Confirm { .. }
                | ReversalStep::Checked {
                    verdict: ReversalVerdict::NotApplied,
                    ..
                } => (Scope::ReversalConfirm, false),
                ReversalStep::Sending { .. } | ReversalStep::Checking { .. } => {
                    (Scope::WriteOffWaiting, false)
                }
                ReversalStep::Loading { .. }
                | ReversalStep::Unreadable(_)
                | ReversalStep::Checked { .. } => (Scope::ReversalUnclear, false),
            },
            // A screen without its provider shows how to add one: its own keys do nothing.
            None if !crate::app::update::screen_available(self, self.screen) => {
                (Scope::Global, false)
            }
            None => {
                let screen = crate::app::update::screens::spec(self.screen);
                match &screen.table {
                    Some(table) if (table.filter)(self).editing() => (Scope::AdminFilter, true),
                    _ => (screen.scope)(self),
                }
            }
        }
    }
}
