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
        super::field::labelled(frame, row(i), (label, 6), 16, input, d.field == field);
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
