//! The `?` overlay: the bindings of the current screen and the global ones, from the key
//! registry, grouped by where they apply.

use super::{labels, theme, truncate};
use crate::app::Model;
use crate::app::keys::{BINDINGS, Scope};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

pub fn render(model: &Model, frame: &mut Frame, area: Rect) {
    let t = model.locale.text();
    let rect = area;
    frame.render_widget(Clear, rect);
    let block = Block::bordered()
        .title(format!(" {} ", t.help_title))
        .title_bottom(format!(" {} ", t.help_close))
        .border_style(theme::focused());
    let inner = block.inner(rect);
    frame.render_widget(block, rect);

    // Sections are packed into as many columns as the height needs.
    let height = inner.height as usize;
    let mut columns: Vec<Vec<(Scope, Vec<&crate::app::keys::Binding>)>> = vec![Vec::new()];
    let mut used = 0;
    for &scope in std::iter::once(&Scope::Global).chain(super::screens::view(model.screen).help) {
        let bindings: Vec<_> = BINDINGS.iter().filter(|b| b.scope == scope).collect();
        let needed = bindings.len() + 1 + usize::from(used > 0);
        if used > 0 && used + needed > height {
            columns.push(Vec::new());
            used = 0;
        }
        used += bindings.len() + 1 + usize::from(used > 0);
        columns
            .last_mut()
            .expect("at least one column")
            .push((scope, bindings));
    }
    let col_width = inner.width / columns.len().max(1) as u16;
    for (i, column) in columns.into_iter().enumerate() {
        let key_width = column
            .iter()
            .flat_map(|(_, bs)| bs.iter().map(|b| labels::keys(b.keys).chars().count()))
            .max()
            .unwrap_or(0);
        let action_width = (col_width as usize).saturating_sub(key_width + 4);
        let mut lines = Vec::new();
        for (scope, bindings) in column {
            if !lines.is_empty() {
                lines.push(Line::default());
            }
            lines.push(Line::from(Span::styled(
                labels::scope(t, scope),
                theme::focused(),
            )));
            for b in bindings {
                lines.push(Line::from(vec![
                    Span::styled(
                        format!(" {:<key_width$} ", labels::keys(b.keys)),
                        theme::key(),
                    ),
                    Span::raw(truncate(labels::action(t, b.action, b.scope), action_width)),
                ]));
            }
        }
        let r = Rect::new(
            inner.x + i as u16 * col_width,
            inner.y,
            col_width,
            inner.height,
        );
        frame.render_widget(Paragraph::new(lines), r);
    }
}
