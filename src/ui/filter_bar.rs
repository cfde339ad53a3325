//! A row of labelled filter fields above an admin table.

use super::field;
use crate::app::model::FilterForm;
use ratatui::Frame;
use ratatui::layout::Rect;

/// Lays the fields out left to right: each `(label, field width)`.
pub fn render(frame: &mut Frame, area: Rect, form: &FilterForm, fields: &[(&str, u16)]) {
    let mut x = area.x;
    for (i, (label, width)) in fields.iter().enumerate() {
        let label_width = label.chars().count() + 1;
        let total = (label_width as u16 + 2) + width + 1;
        if x + total > area.right() {
            break;
        }
        let row = Rect::new(x, area.y, total, 1);
        let focused = form.editing && form.field == i;
        if let Some(input) = form.inputs.get(i) {
            field::labelled(frame, row, (label, label_width), *width, input, focused);
        }
        x += total + 1;
    }
}
