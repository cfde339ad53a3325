//! A row of labelled filter fields above an admin table.

use super::field;
use crate::app::model::{FilterForm, TableField};
use ratatui::Frame;
use ratatui::layout::Rect;

/// Lays the fields out left to right, each as `label(field)` gives its name and width.
pub fn render<F: TableField>(
    frame: &mut Frame,
    area: Rect,
    form: &FilterForm<F>,
    label: impl Fn(F) -> (&'static str, u16),
) {
    let mut x = area.x;
    for &field in F::ALL {
        let (label, width) = label(field);
        let label_width = label.chars().count() + 1;
        let total = (label_width as u16 + 2) + width + 1;
        if x + total > area.right() {
            break;
        }
        let row = Rect::new(x, area.y, total, 1);
        let focused = form.editing && form.field == field;
        if let Some(input) = form.input(field) {
            field::labelled(frame, row, (label, label_width), width, input, focused);
        }
        x += total + 1;
    }
}
