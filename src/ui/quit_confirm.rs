//! The question before quitting would lose something: what would be lost, and the two keys.

use super::theme;
use crate::app::Model;
use crate::app::model::Unsaved;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

pub fn render(model: &Model, what: Unsaved, frame: &mut Frame, area: Rect) {
    let t = model.locale.text();
    let inner = super::danger_dialog(frame, area, (60, 8), t.quit_title);
    let reason = match what {
        Unsaved::WriteOffInFlight => t.quit_write_off_in_flight,
        Unsaved::Form => t.quit_unsaved_form,
    };
    let lines = vec![
        Line::from(Span::styled(reason, theme::danger())),
        Line::default(),
        Line::from(Span::styled(t.quit_keys, theme::key())),
    ];
    super::dialog_text(frame, inner, lines);
}
