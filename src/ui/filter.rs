//! The history period dialog.

use super::{centered, theme};
use crate::app::Model;
use crate::app::model::{FilterDialog, FilterField};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Block, Clear, Paragraph};

pub fn render(model: &Model, d: &FilterDialog, frame: &mut Frame, area: Rect) {
    let t = model.locale.text();
    let rect = centered(area, 50, 8);
    frame.render_widget(Clear, rect);
    let block = Block::bordered()
        .title(format!(" {} ", t.filter_title))
        .border_style(theme::focused());
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let row = |i: u16| Rect::new(inner.x + 1, inner.y + i, inner.width.saturating_sub(2), 1);
    frame.render_widget(
        Paragraph::new(Span::styled(t.filter_hint, theme::muted())),
        row(0),
    );
    for (i, field, label, input) in [
        (2, FilterField::From, t.filter_from, &d.from),
        (3, FilterField::To, t.filter_to, &d.to),
    ] {
        let focused = d.field == field;
        let r = row(i);
        frame.render_widget(
            Paragraph::new(Span::styled(
                format!("{}{label}", if focused { "▶ " } else { "  " }),
                if focused {
                    theme::focused()
                } else {
                    theme::plain()
                },
            )),
            r,
        );
        let field_area = Rect::new(r.x + 8, r.y, 16.min(r.width.saturating_sub(8)), 1);
        super::write_off::render_field(frame, field_area, input, focused);
    }
    if d.invalid.is_some() {
        frame.render_widget(
            Paragraph::new(Span::styled(
                format!("! {}", t.filter_invalid),
                theme::danger(),
            )),
            row(5),
        );
    }
}
