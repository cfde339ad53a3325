//! The removal confirmation: it names the group and its clients and says, as Poster does,
//! that the clients go with it and nothing can be restored. Cancel has the focus.

use super::{labels, theme, write_off};
use crate::app::Model;
use crate::app::model::GroupRemoval;
use crate::i18n::fill;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

pub fn render(model: &Model, r: &GroupRemoval, frame: &mut Frame, area: Rect) {
    let t = model.locale.text();
    let inner = super::danger_dialog(frame, area, (64, 12), t.group_remove_title);
    let mut lines = vec![
        Line::from(Span::styled(
            fill(t.group_remove_what, &r.group.name),
            theme::key(),
        )),
        Line::from(fill(
            t.group_remove_clients,
            model.locale.count(r.group.clients, &t.clients),
        )),
        Line::default(),
        Line::from(Span::styled(t.group_remove_warning, theme::danger())),
        Line::default(),
    ];
    if let Some(e) = &r.problem {
        lines.push(Line::from(Span::styled(
            format!("! {}", labels::error(t, e)),
            theme::danger(),
        )));
    }
    lines.push(match r.sending {
        Some(_) => Line::from(Span::styled(t.removing, theme::muted())),
        None => write_off::buttons(t.button_cancel, t.button_remove, r.focus),
    });
    super::dialog_text(frame, inner, lines);
}
