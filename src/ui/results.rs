//! The list of clients found.

use super::{pane_block, theme, truncate, window};
use crate::app::Model;
use crate::app::model::Pane;
use crate::app::mouse::{List, Target};
use crate::domain::search::SEARCH_CAP;
use crate::domain::{Client, mask};
use crate::i18n::fill;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Each client takes two lines: name, then masked phone and email.
const ROW_HEIGHT: usize = 2;

pub fn render(model: &Model, frame: &mut Frame, area: Rect) {
    let t = model.locale.text();
    let results = &model.search.results;
    // A failed search shows its error, not the list before it: no count of clients not shown.
    let failed = results.error.is_some() && !results.is_loading();
    let count = results.data.as_ref().map(Vec::len).filter(|_| !failed);
    // A list the search stopped at its cap may leave clients out: `200+`, and a line to
    // narrow it.
    let capped = count == Some(SEARCH_CAP);
    let mut title = t.results_title.to_string();
    if let Some(n) = count {
        title = format!("{title} ({n}{})", if capped { "+" } else { "" });
    }
    if results.is_loading() {
        title = format!("{title} · {}", t.loading);
    }
    let block = pane_block(model, Some(Pane::Results), title);
    let mut inner = block.inner(area);
    frame.render_widget(block, area);
    if capped {
        let hint = Paragraph::new(fill(t.results_capped, SEARCH_CAP))
            .style(theme::key())
            .wrap(ratatui::widgets::Wrap { trim: true });
        let rows =
            u16::try_from(hint.line_count(inner.width)).map_or(0, |n| n.min(inner.height / 2));
        frame.render_widget(
            hint,
            Rect {
                height: rows,
                ..inner
            },
        );
        inner.y += rows;
        inner.height -= rows;
    }
    let width = inner.width as usize;

    let message = match (&results.data, &results.error) {
        (_, Some(e)) if !results.is_loading() => {
            Some((super::labels::error(t, e), theme::danger()))
        }
        (None, _) if results.is_loading() => Some((t.loading.to_string(), theme::muted())),
        (None, _) => Some((t.results_empty.to_string(), theme::muted())),
        (Some(list), _) if list.is_empty() => {
            Some((t.results_none_found.to_string(), theme::muted()))
        }
        _ => None,
    };
    if let Some((text, style)) = message {
        super::render_text(
            frame,
            Paragraph::new(text)
                .style(style)
                .wrap(ratatui::widgets::Wrap { trim: true }),
            inner,
        );
        return;
    }
    let list = results.data.as_deref().unwrap_or_default();
    let visible = window(
        list.len(),
        model.search.selected,
        inner.height as usize / ROW_HEIGHT,
    );
    super::hits::record(inner, Target::Pane(List::Results));
    let first = visible.start;
    for i in visible {
        let y = inner.y + ((i - first) * ROW_HEIGHT) as u16;
        let height = (ROW_HEIGHT as u16).min(inner.bottom().saturating_sub(y));
        let row = Rect::new(inner.x, y, inner.width, height);
        super::hits::record(
            row,
            Target::Row {
                list: List::Results,
                index: i,
            },
        );
        let selected = i == model.search.selected;
        let style = if selected {
            theme::selected()
        } else {
            theme::plain()
        };
        let marker = if selected { "▶ " } else { "  " };
        let (name, contact) = describe(model, &list[i]);
        // A line styles its whole row itself, so the selection's bar needs no padding to
        // the width, which would cost a grapheme per blank column on every frame.
        let name = Line::from(format!(
            "{marker}{}",
            truncate(&name, width.saturating_sub(2))
        ))
        .style(style);
        frame.render_widget(name, row);
        if height > 1 {
            let contact = Span::styled(
                format!("  {}", truncate(&contact, width.saturating_sub(2))),
                theme::muted(),
            );
            frame.render_widget(
                Line::from(contact),
                Rect::new(inner.x, y + 1, inner.width, 1),
            );
        }
    }
}

fn describe(model: &Model, client: &Client) -> (String, String) {
    let t = model.locale.text();
    let name = client.name.clone().unwrap_or_else(|| t.no_name.to_string());
    let contact = [
        client.phone.as_deref().map(mask::phone),
        client.email.as_deref().map(mask::email),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join("  ");
    (name, contact)
}
