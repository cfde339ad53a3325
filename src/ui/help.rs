//! The help overlay: the keys of the screen shown, from the key registry, grouped by where
//! they apply; typing finds a key by its name or what it does, the arrows scroll.

use super::{labels, theme, truncate};
use crate::app::keys::Scope;
use crate::app::model::HelpState;
use crate::app::{HelpLine, Model, help_lines, help_sections};
use crate::i18n::fill;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

pub fn render(model: &Model, help: &HelpState, frame: &mut Frame, area: Rect) {
    let t = model.locale.text();
    frame.render_widget(Clear, area);
    let block = Block::bordered()
        .title(format!(" {} ", t.help_title))
        .title_bottom(format!(" {} ", t.help_close))
        .border_style(theme::focused());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [find_area, body] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(inner);
    frame.render_widget(
        Paragraph::new(Span::styled(
            fill(t.help_filter, help.filter.value()),
            theme::key(),
        )),
        find_area,
    );

    let sections = help_sections(model);
    // Each section aligns its own keys, so one long key does not push every column; the
    // width is the whole section's, so it does not jump while typing narrows the rows.
    let key_widths: Vec<usize> = sections
        .iter()
        .map(|section| {
            section
                .bindings
                .iter()
                .map(|b| labels::keys(t, &b.keys).chars().count())
                .chain(
                    [t.edit_paste_keys.chars().count()]
                        .into_iter()
                        .filter(|_| section.scope == Scope::Field),
                )
                .max()
                .unwrap_or(0)
                .min(body.width as usize / 3)
        })
        .collect();
    let mut lines: Vec<Line> = help_lines(model, help.filter.value())
        .into_iter()
        .map(|line| match line {
            HelpLine::Heading(scope) => {
                Line::from(Span::styled(labels::scope(t, scope), theme::focused()))
            }
            HelpLine::Row {
                section,
                keys,
                what,
            } => {
                let key_width = key_widths.get(section).copied().unwrap_or(0);
                let action_width = (body.width as usize).saturating_sub(key_width + 3);
                Line::from(vec![
                    Span::styled(
                        format!(" {:<key_width$} ", truncate(&keys, key_width)),
                        theme::key(),
                    ),
                    Span::raw(truncate(what, action_width)),
                ])
            }
            HelpLine::Blank => Line::default(),
        })
        .collect();
    if lines.is_empty() {
        lines.push(Line::from(Span::styled(
            fill(t.help_nothing, help.filter.value()),
            theme::muted(),
        )));
    }
    // The model's line is a cursor, as in every list: kept in view and marked, so each
    // key moves something visible; `update` keeps it within the lines found.
    let cursor = help.scroll.min(lines.len().saturating_sub(1));
    let visible = super::window(lines.len(), cursor, body.height as usize);
    let shown: Vec<Line> = lines
        .into_iter()
        .enumerate()
        .skip(visible.start)
        .take(visible.len())
        .map(|(i, line)| {
            if i == cursor {
                line.patch_style(theme::selected())
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(shown), body);
}
