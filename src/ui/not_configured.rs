//! What a screen without its provider shows: which provider, and the config that adds it.

use super::screens::ScreenView;
use super::{pane_block, theme};
use crate::app::Model;
use crate::i18n::fill;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

pub fn render(model: &Model, screen: &ScreenView, frame: &mut Frame, area: Rect) {
    let t = model.locale.text();
    let (name, snippet) = (screen.provider, screen.config);
    let block = pane_block(model, None, (screen.title)(t).to_string());
    let mut lines = vec![
        Line::from(Span::styled(fill(t.not_configured, name), theme::danger())),
        Line::default(),
        Line::from(t.not_configured_hint),
        Line::default(),
    ];
    lines.extend(
        snippet
            .iter()
            .map(|l| Line::from(Span::styled(format!("  {l}"), theme::key()))),
    );
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}
