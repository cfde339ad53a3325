//! F7's «Итоги смены»: per cashier since the start of today, in the console's zone, from
//! the server's ledger or this till's journal (the report says which).

use super::super::keys::Action;
use super::super::model::{Dialog, Model, ShiftReportState};
use super::super::msg::{Cmd, Reply, RequestId};
use crate::domain::shift::ShiftReport;
use jiff::Timestamp;

pub fn open(model: &mut Model) -> Vec<Cmd> {
    let id = model.next_id();
    let mut state = ShiftReportState::default();
    state.report.start(id);
    model.dialog = Some(Dialog::ShiftReport(state));
    vec![Cmd::LoadShiftReport {
        id,
        since: start_of_day(model),
    }]
}

/// The start of today where the till is, from the model's clock: `update` reads none.
pub fn start_of_day(model: &Model) -> Timestamp {
    let today = model.now.to_zoned(model.tz.clone());
    today
        .start_of_day()
        .map_or(model.now, |start| start.timestamp())
}

pub fn loaded(model: &mut Model, id: RequestId, result: Reply<ShiftReport>) -> Vec<Cmd> {
    if let Some(Dialog::ShiftReport(state)) = model.dialog.as_mut() {
        state.report.accept(id, result);
    }
    Vec::new()
}

pub fn on_key(model: &mut Model, action: Option<Action>) -> Vec<Cmd> {
    if action == Some(Action::Cancel) {
        model.dialog = None;
    }
    Vec::new()
}
