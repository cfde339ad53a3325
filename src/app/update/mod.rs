//! `update(&mut Model, Msg) -> Vec<Cmd>`: the only place the Model changes.

mod accumulations;
mod card;
mod card_operations;
mod cashier;
mod filter;
mod groups;
pub(super) mod help;
mod journal;
mod mouse;
mod quit;
mod registrations;
mod reversal;
pub(crate) mod screens;
mod search;
mod shift;
mod tables;
mod write_off;

pub use help::{HelpLine, HelpSection, lines as help_lines, sections as help_sections};
pub use screens::{available as screen_available, tab as screen_tab, title as screen_title};

use super::keys::key::Key;
use super::keys::{self, Action, Move, Scope};
use super::model::{Dialog, InFlight, Model, Notice, Said, Screen};
use super::msg::{Cmd, Msg};
use crate::domain::ServiceError;

pub fn update(model: &mut Model, msg: Msg) -> Vec<Cmd> {
    if let Msg::Tick(now) = msg {
        // Many a second, and they change nothing said: no status line to compare.
        model.now = now;
        if model.busy() {
            model.spinner = model.spinner.wrapping_add(1);
        }
        return Vec::new();
    }
    if let Some(id) = msg.answers() {
        model.in_flight.remove(&id);
    }
    let said_before = (model.notice.clone(), model.error.clone());
    let elsewhere = msg.screen().is_some_and(|s| s != model.screen);
    let cmds = step(model, msg);
    card::follow_list(model);
    record_message(model, said_before.clone());
    if elsewhere {
        // Kept in the messages and on its own screen's pane, not on the screen shown.
        model.error = said_before.1;
    }
    for request in cmds.iter().filter_map(Cmd::request) {
        let started = model.now;
        model.in_flight.insert(
            request.id,
            InFlight {
                kind: request.kind,
                started,
                attempt: None,
            },
        );
    }
    cmds
}

/// Keeps what the status line newly says for the messages overlay.
fn record_message(model: &mut Model, (notice, error): (Option<Notice>, Option<ServiceError>)) {
    let said = match (&model.error, &model.notice) {
        (Some(e), _) if error.as_ref() != Some(e) => Said::Error(e.clone()),
        (None, Some(n)) if notice.as_ref() != Some(n) => Said::Notice(n.clone()),
        _ => return,
    };
    model.remember(said);
}

fn step(model: &mut Model, msg: Msg) -> Vec<Cmd> {
    match msg {
        Msg::Key(key) => on_key(model, key),
        // Nothing can be seen to paste into or click on while the screen is too small.
        Msg::Paste(_) | Msg::Mouse(_) if model.too_small() => Vec::new(),
        Msg::Paste(text) => on_paste(model, &text),
        Msg::Mouse(m) => mouse::on_mouse(model, m),
        Msg::Pointer(_) => Vec::new(),
        Msg::Resized { width, height } => {
            model.terminal = Some((width, height));
            Vec::new()
        }
        // Taken by `update` before the step.
        Msg::Tick(_) => Vec::new(),
        Msg::DemoSeeded(Ok(clients)) => {
            model.notice = Some(Notice::DemoCreated { clients });
            search::again(model)
        }
        Msg::DemoSeeded(Err(e)) => {
            model.error = Some(e);
            Vec::new()
        }
        Msg::DebounceElapsed(generation) => search::debounce_elapsed(model, generation),
        Msg::Attempt { id, attempt, of } => {
            if let Some(read) = model.in_flight.get_mut(&id) {
                read.attempt = Some((attempt, of));
            }
            Vec::new()
        }
        Msg::RetryDue(id) => card_operations::retry_card_operations(model, id),
        Msg::CardsFound { id, result } => card_operations::cards_found(model, id, result),
        Msg::PromotionsLoaded { id, result } => accumulations::promotions_loaded(model, id, result),
        Msg::Searched { id, result } => search::searched(model, id, result),
        Msg::BalanceLoaded { id, result } => card::balance_loaded(model, id, result),
        Msg::CouponsLoaded { id, result } => card::coupons_loaded(model, id, result),
        Msg::HistoryLoaded { id, result } => card::history_loaded(model, id, result),
        Msg::WrittenOff { id, result } => write_off::written_off(model, id, result),
        Msg::GroupsLoaded { id, result } => groups::loaded(model, id, result),
        Msg::GroupLoaded { id, result } => groups::detail_loaded(model, id, result),
        Msg::GroupSaved { id, result } => groups::saved(model, id, result),
        Msg::GroupRemoved { id, result } => groups::removed(model, id, result),
        Msg::AccumulationsLoaded { id, result } => {
            accumulations::accumulations_loaded(model, id, result)
        }
        Msg::RegistrationsLoaded { id, result } => {
            registrations::registrations_loaded(model, id, result)
        }
        Msg::CardOperationsLoaded { id, result } => {
            card_operations::card_operations_loaded(model, id, result)
        }
        Msg::Exported { id, result } => tables::exported(model, id, result),
        Msg::ExportProgress { id, rows } => tables::export_progress(model, id, rows),
        Msg::JournalLoaded { id, result } => journal::loaded(model, id, result),
        Msg::Started => capabilities(model),
        Msg::CapabilitiesLoaded { id, result } => {
            // A provider that cannot say is offered nothing beyond a plain write-off.
            model.capabilities.accept(id, result);
            Vec::new()
        }
        Msg::AvailableLoaded { id, result } => write_off::available_loaded(model, id, result),
        Msg::OperationLoaded { id, result } => reversal::operation_loaded(model, id, result),
        Msg::Reversed { id, result } => reversal::reversed(model, id, result),
        Msg::ShiftReportLoaded { id, result } => shift::loaded(model, id, result),
        Msg::CodeSent { id, result } => write_off::code_sent(model, id, result),
        Msg::CodeChecked { id, result } => write_off::code_checked(model, id, result),
        Msg::OutlookLoaded { id, result } => card::outlook_loaded(model, id, result),
    }
}

/// Asked once per session, when a clients' provider is configured.
fn capabilities(model: &mut Model) -> Vec<Cmd> {
    if !model.available.clients {
        return Vec::new();
    }
    let id = model.next_id();
    model.capabilities.start(id);
    vec![Cmd::LoadCapabilities { id }]
}

/// The scope whose bindings apply now, and whether a text field has the keyboard.
fn on_key(model: &mut Model, key: Key) -> Vec<Cmd> {
    if model.quit_asked.is_some() {
        let action = model.keymap.resolve(Scope::QuitConfirm, false, &key);
        return quit::answer(model, action);
    }
    let context = model.key_context();
    let action = model.keymap.resolve(context.scope, context.typing, &key);
    if action == Some(Action::Quit) {
        return quit::ask_or_quit(model);
    }
    if model.too_small() {
        // The screen says only that it is too small: a key must not confirm or type into
        // what cannot be seen (a write-off's or a reversal's confirmation among them).
        return Vec::new();
    }
    if action == Some(Action::Suspend) {
        return vec![Cmd::Suspend];
    }
    if action == Some(Action::Back) && model.dialog.is_none() {
        // Esc first stops a wait the status line shows; the next Esc walks back as usual.
        let slow: Vec<_> = model.slow_reads().into_iter().map(|(id, _)| id).collect();
        if !slow.is_empty() {
            return vec![Cmd::Cancel(slow)];
        }
    }
    if action == Some(Action::Help) && model.dialog.is_some() {
        // A dialog whose scope binds the help key (the write-off's): the help opens over
        // it and gives it back on closing.
        return help::open(model);
    }
    match &model.dialog {
        Some(Dialog::Help(_)) => return help::on_key(model, action, key),
        Some(Dialog::Messages(selected)) => {
            let (mut selected, len) = (*selected, model.messages.len());
            match action {
                Some(Action::Move(step)) => step_selection(&mut selected, len, step),
                _ => {
                    model.dialog = None;
                    return Vec::new();
                }
            }
            model.dialog = Some(Dialog::Messages(selected));
            return Vec::new();
        }
        Some(Dialog::WriteOff(_)) => return write_off::on_key(model, action, key),
        Some(Dialog::HistoryFilter(_)) => return filter::on_key(model, action, key),
        Some(Dialog::GroupForm(_)) => return groups::on_form_key(model, action, key),
        Some(Dialog::GroupRemove(_)) => return groups::on_remove_key(model, action),
        Some(Dialog::BonusMismatch(_)) => return groups::on_mismatch_key(model, action),
        Some(Dialog::CardPicker(_)) => return card_operations::on_picker_key(model, action),
        Some(Dialog::Reversal(_)) => return reversal::on_key(model, action, key),
        Some(Dialog::ShiftReport(_)) => return shift::on_key(model, action),
        None => {}
    }
    match action {
        Some(Action::Help) => return help::open(model),
        Some(Action::Messages) => {
            model.dialog = Some(Dialog::Messages(0));
            return Vec::new();
        }
        Some(Action::Show(screen)) => return show(model, screen),
        _ => {}
    }
    if context.scope == Scope::AdminFilter {
        return tables::on_filter_key(model, action, key);
    }
    // A screen without its provider shows how to configure it and takes no other keys.
    if !screens::available(model, model.screen) {
        return Vec::new();
    }
    (screens::spec(model.screen).on_key)(model, action, key)
}

/// F2–F6: switch screens; a screen's data is loaded the first time it is shown.
fn show(model: &mut Model, screen: Screen) -> Vec<Cmd> {
    if model.screen != screen {
        // What the status line said belongs to the screen left behind.
        model.error = None;
    }
    model.screen = screen;
    model.notice = None;
    if !screens::available(model, screen) {
        return Vec::new();
    }
    (screens::spec(screen).on_show)(model)
}

/// Rows PgUp/PgDn move by: the model does not know the pane's height, and a fixed step
/// keeps the rows under the cursor predictable.
const PAGE_ROWS: usize = 10;

/// Moves a selection within a list of `len` rows.
fn step_selection(selected: &mut usize, len: usize, step: Move) {
    let Some(last) = len.checked_sub(1) else {
        return;
    };
    *selected = match step {
        Move::Up => selected.saturating_sub(1),
        Move::Down => selected.saturating_add(1),
        Move::PageUp => selected.saturating_sub(PAGE_ROWS),
        Move::PageDown => selected.saturating_add(PAGE_ROWS),
        Move::Top => 0,
        Move::Bottom => last,
    }
    .min(last);
}

/// Types a key into a text field; true when its text changed.
fn typed(keymap: &keys::Keymap, input: &mut tui_input::Input, key: Key) -> bool {
    keymap
        .field_request(&key)
        .and_then(|request| input.handle(request))
        .is_some_and(|c| c.value)
}

fn on_paste(model: &mut Model, text: &str) -> Vec<Cmd> {
    // Pasted text is typed into the focused field; newlines must not submit anything.
    let flat: String = text.chars().filter(|c| !c.is_control()).collect();
    let mut cmds = Vec::new();
    for c in flat.chars() {
        let key = Key::char(c);
        // The same scopes as typed keys: the text goes to the field that has the keyboard.
        let context = model.key_context();
        if !context.typing {
            break;
        }
        cmds.extend(match context.scope {
            Scope::WriteOffForm
            | Scope::WriteOffCode
            | Scope::WriteOffCodePin
            | Scope::WriteOffPinOnly => write_off::on_key(model, None, key),
            Scope::ReversalForm => reversal::on_key(model, None, key),
            Scope::JournalFilter => journal::on_filter_key(model, None, key),
            Scope::Filter => filter::on_key(model, None, key),
            Scope::GroupForm => groups::on_form_key(model, None, key),
            Scope::AdminFilter => tables::on_filter_key(model, None, key),
            Scope::Search => search::edit(model, key),
            Scope::Help => help::on_key(model, None, key),
            _ => break,
        });
    }
    // Only the last debounce of a paste matters.
    let last_debounce = cmds.iter().rposition(|c| matches!(c, Cmd::Debounce { .. }));
    cmds.into_iter()
        .enumerate()
        .filter(|(i, c)| !matches!(c, Cmd::Debounce { .. }) || Some(*i) == last_debounce)
        .map(|(_, c)| c)
        .collect()
}

#[cfg(test)]
pub(crate) mod fixtures;
#[cfg(test)]
mod tests;
