//! The write-off dialog: the form (`form`), then the confirmation that repeats everything,
//! with Cancel focused, and a sending state that cannot be confirmed again (`confirm`). Here:
//! what both draw alike, and the box, buttons and key names other dialogs borrow.

mod code;
mod confirm;
mod form;

use super::{labels, theme, truncate};
use crate::app::Model;
use crate::app::keys::{Action, Scope};
use crate::app::model::{Button, WriteOffDialog, WriteOffStep};
use crate::domain::{Client, mask};
use crate::i18n::Text;
use confirm::Waiting;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Block;
use unicode_width::UnicodeWidthStr;

const WIDTH: u16 = 68;

pub fn render(model: &Model, d: &WriteOffDialog, frame: &mut Frame, area: Rect) {
    match &d.step {
        WriteOffStep::Form => form::render(model, d, frame, area),
        WriteOffStep::Confirm { request, focus, .. } => {
            confirm::render(model, d, request, Waiting::Consent(*focus), frame, area)
        }
        WriteOffStep::Sending { request, .. } => {
            confirm::render(model, d, request, Waiting::Sending, frame, area)
        }
        WriteOffStep::Checking { request, .. } => {
            confirm::render(model, d, request, Waiting::Checking, frame, area)
        }
        WriteOffStep::Checked {
            request, verdict, ..
        } => confirm::render(model, d, request, Waiting::Checked(*verdict), frame, area),
        WriteOffStep::Code(step) => code::render(model, d, step, frame, area),
    }
}

pub(super) fn dialog_block(title: String, danger: bool) -> Block<'static> {
    Block::bordered()
        .title(format!(" {title} "))
        .border_style(if danger {
            theme::danger()
        } else {
            theme::focused()
        })
}

/// Whom the money is taken from, in `width` columns: the name, the phone masked as
/// everywhere (its last four digits show; the email when there is no phone) and, `with_id`,
/// the card id. Only the name is ever cut, so the digits the cashier checks stay whole.
fn client_line(t: &Text, client: &Client, width: usize, with_id: bool) -> String {
    let name = client.name.as_deref().unwrap_or(t.no_name);
    let contact = match (&client.phone, &client.email) {
        (Some(phone), _) => Some(mask::phone(phone)),
        (None, Some(email)) => Some(mask::email(email)),
        (None, None) => None,
    };
    let id = with_id.then(|| format!("{} {}", t.card_id, client.id.0));
    let rest: String = [contact, id]
        .into_iter()
        .flatten()
        .map(|part| format!(" · {part}"))
        .collect();
    let room = width.saturating_sub(rest.width());
    format!("{}{rest}", truncate(name, room.max(1)))
}

/// The keys bound to `action` in `scope`, named as the hint bar names them.
pub(super) fn scope_keys(model: &Model, scope: Scope, action: Action) -> String {
    let keys: Vec<_> = model
        .keymap
        .own(scope)
        .filter(|b| b.action == action)
        .flat_map(|b| b.keys.iter().copied())
        .collect();
    labels::keys(model.locale.text(), &keys)
}

/// `[ Отмена ]   Списать`: the focused button reversed and bracketed, so it shows without
/// colour.
pub fn buttons(cancel: &str, confirm: &str, focus: Button) -> Line<'static> {
    let button = |label: &str, on: bool| {
        if on {
            Span::styled(format!("▶[ {label} ]◀"), theme::selected())
        } else {
            Span::raw(format!("  {label}  "))
        }
    };
    Line::from(vec![
        button(cancel, focus == Button::Cancel),
        Span::raw("    "),
        button(confirm, focus == Button::Confirm),
    ])
    .centered()
}
