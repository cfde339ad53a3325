//! The messages overlay: what the status line said, newest first, each in full with its
//! time, so a message that went by or was shortened can be read again.

use super::{labels, theme};
use crate::app::Model;
use crate::app::model::Said;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

pub fn render(model: &Model, selected: usize, frame: &mut Frame, area: Rect) {
    let t = model.locale.text();
    frame.render_widget(Clear, area);
    let block = Block::bordered()
        .title(format!(" {} ({}) ", t.messages_title, model.messages.len()))
        .border_style(theme::focused());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if model.messages.is_empty() {
        frame.render_widget(
            Paragraph::new(Span::styled(t.messages_none, theme::muted())),
            inner,
        );
        return;
    }
    // The selected message comes first; the ones before it are scrolled past. An error's
    // vendor detail (cleaned of controls when it was made) is shown here and nowhere else.
    let lines: Vec<Line> = model
        .messages
        .iter()
        .rev()
        .enumerate()
        .skip(selected)
        .flat_map(|(i, m)| {
            let time =
                m.at.to_zoned(model.tz.clone())
                    .strftime("%H:%M:%S")
                    .to_string();
            let (text, style) = match &m.said {
                Said::Notice(n) => (labels::notice(model.locale, n), theme::good()),
                Said::Error(e) => (labels::error(t, e), theme::danger()),
            };
            let marker = if i == selected { "▶ " } else { "  " };
            let said = Line::from(vec![
                Span::styled(format!("{marker}{time} "), theme::muted()),
                Span::styled(text, style),
            ]);
            let detail = match &m.said {
                Said::Error(e) if !e.detail.is_empty() => Some(Line::from(Span::styled(
                    format!("           {}", e.detail),
                    theme::muted(),
                ))),
                _ => None,
            };
            std::iter::once(said).chain(detail)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
