//! The search field.

use super::{pane_block, theme};
use crate::app::Model;
use crate::app::model::Pane;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

pub fn render(model: &Model, frame: &mut Frame, area: Rect) {
    let t = model.locale.text();
    let block = pane_block(model, Some(Pane::Search), t.search_title.to_string());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let focused = model.focus == Pane::Search && model.dialog.is_none();
    super::field::input_line(frame, inner, &model.search.input, focused);
    if focused && model.search.replace {
        // Selected, as a browser's address bar: what is typed next replaces it.
        frame.render_widget(
            Paragraph::new(model.search.input.value()).style(theme::selected()),
            Rect {
                width: (model.search.input.value().width() as u16).min(inner.width),
                ..inner
            },
        );
    }
    if model.search.input.value().is_empty() {
        frame.render_widget(
            Paragraph::new(t.search_placeholder).style(theme::muted()),
            Rect {
                x: inner.x + 1,
                width: inner.width.saturating_sub(1),
                ..inner
            },
        );
        if model.focus == Pane::Search && model.dialog.is_none() {
            frame.set_cursor_position(Position::new(inner.x, inner.y));
        }
    }
}
