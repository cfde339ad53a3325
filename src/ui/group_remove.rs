//! The removal confirmation: it names the group and its clients and says, as Poster does,
//! that the clients go with it and nothing can be restored. Cancel has the focus.

use super::{labels, theme, write_off};
use crate::app::Model;
use crate::app::model::GroupRemoval;
use crate::i18n::fill;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

pub fn render(model: &Model, r: &GroupRemoval, frame: &mut Frame, area: Rect) {
    let t = model.locale.text();
    let inner = super::danger_dialog(frame, area, (64, 12), t.group_remove_title);
    let mut lines = vec![
        Line::from(Span::styled(
            fill(t.group_remove_what, &r.group.name),
            theme::key(),
        )),
        Line::from(fill(t.group_remove_clients, r.group.clients)),
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
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: true }),
        Rect::new(
            inner.x + 1,
            inner.y + 1,
            inner.width.saturating_sub(2),
            inner.height.saturating_sub(1),
        ),
    );
}
