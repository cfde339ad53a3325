//! The balance history table: one page from the server, only the visible rows built.

use super::table::{self, Columns, Fit};
use super::{pane_block, theme, window};
use crate::app::Model;
use crate::app::model::{CardState, Pane};
use crate::app::mouse::{List, Target};
use crate::domain::About;
use crate::domain::codes::Confirmed;
use crate::domain::reversal::{OperationKind, Who};
use crate::i18n::{fill, format_date, format_datetime, format_movement};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Wrap};

pub fn render(model: &Model, card: &CardState, frame: &mut Frame, area: Rect) {
    let t = model.locale.text();
    let h = &card.history;
    let period = match (h.from, h.to) {
        (None, None) => t.history_all_time.to_string(),
        (from, to) => {
            let show = |x: Option<jiff::Timestamp>| {
                x.map_or("…".to_string(), |x| {
                    format_date(model.locale, x, &model.tz)
                })
            };
            fill(t.history_period, format!("{}–{}", show(from), show(to)))
        }
    };
    let mut title = format!(
        "{} · {} · {}",
        t.history_title,
        fill(t.history_page, h.page()),
        period
    );
    if h.rows.is_loading() {
        title = format!("{title} · {}", t.loading);
    }
    let block = pane_block(model, Some(Pane::History), title);
    let inner = block.inner(area);
    frame.render_widget(block, area);

    let message = match (&h.rows.data, &h.rows.error) {
        (_, Some(e)) if !h.rows.is_loading() => {
            Some((fill(t.failed, super::labels::error(t, e)), theme::danger()))
        }
        (None, _) => Some((t.loading.to_string(), theme::muted())),
        (Some(rows), _) if rows.is_empty() => Some((t.history_empty.to_string(), theme::muted())),
        _ => None,
    };
    if let Some((text, style)) = message {
        frame.render_widget(
            Paragraph::new(Line::from(Span::styled(text, style))).wrap(Wrap { trim: true }),
            inner,
        );
        return;
    }
    let rows = h.rows.data.as_deref().unwrap_or_default();
    let visible = window(
        rows.len(),
        h.selected,
        inner.height.saturating_sub(1) as usize,
    );
    super::hits::record(inner, Target::Pane(List::History));
    for (line, i) in visible.clone().enumerate() {
        super::hits::record(
            Rect::new(inner.x, inner.y + 1 + line as u16, inner.width, 1),
            Target::Row {
                list: List::History,
                index: i,
            },
        );
    }
    let focused = model.focus == Pane::History && model.dialog.is_none();
    // Who, why and the receipt, when the server keeps them (ours does): a column of words
    // that is cut, or left out, before the amounts are.
    let abouts = visible.clone().any(|i| {
        rows[i]
            .about
            .as_ref()
            .is_some_and(|a| !about(t, a).is_empty())
    });
    let mut columns = vec![
        (t.col_date, Fit::Whole),
        (t.col_amount, Fit::Number),
        (t.col_currency, Fit::Text),
    ];
    if abouts {
        columns.push((t.money.col_about, Fit::Text));
    }
    columns.push((t.col_transaction, Fit::Whole));
    let columns = Columns(columns);
    let texts: Vec<(usize, Vec<String>)> = visible
        .map(|i| {
            let e = &rows[i];
            let amount = format_movement(model.locale, e.amount);
            let mut cells = vec![
                format_datetime(model.locale, e.at, &model.tz),
                amount,
                super::labels::currency(t, e.currency).to_string(),
            ];
            if abouts {
                cells.push(e.about.as_ref().map_or(String::new(), |a| about(t, a)));
            }
            cells.push(e.shown_id());
            (i, cells)
        })
        .collect();
    let all: Vec<Vec<String>> = texts.iter().map(|(_, c)| c.clone()).collect();
    let widths = table::fit(inner.width, &columns, &all);
    let built = texts.into_iter().map(|(i, cells)| {
        let style = if focused && i == h.selected {
            theme::selected()
        } else {
            theme::plain()
        };
        let mut cells = table::cells(&columns, &widths, cells);
        // The transaction id, when it is shown, is the quiet last column.
        if widths.last().is_some_and(Option::is_some)
            && let Some(last) = cells.last_mut()
        {
            *last = last.clone().style(theme::muted());
        }
        Row::new(cells).style(style)
    });
    let titles = columns.0.iter().map(|(t, _)| (*t).to_string()).collect();
    let header = Row::new(table::cells(&columns, &widths, titles)).style(theme::key());
    frame.render_widget(table::table(built.collect(), &widths, header), inner);
}

/// What a row's `about` says beyond the amount: a reversal says so, then who, why and the
/// receipt's number, each only when known.
fn about(t: &crate::i18n::Text, a: &About) -> String {
    let mut parts = Vec::new();
    if a.kind == Some(OperationKind::Reversal) {
        parts.push(t.money.kind_reversal.to_string());
    }
    // How a write-off that needed the client's code was let go, first, as it is what a
    // narrow column should still show: by it, or by a manager (named where known).
    match a.confirmed {
        Some(Confirmed::Code) => parts.push(t.codes.confirmed_code.to_string()),
        Some(Confirmed::Manager) => {
            let manager = a.who.manager.as_deref().unwrap_or("—");
            parts.push(crate::i18n::fill(t.codes.confirmed_manager, manager));
        }
        None => {}
    }
    // A manager named with the bypass is not named again among who did it.
    let who = match a.confirmed {
        Some(Confirmed::Manager) if a.who.manager.is_some() => super::reversal::who(&Who {
            manager: None,
            ..a.who.clone()
        }),
        _ => super::reversal::who(&a.who),
    };
    if !who.is_empty() {
        parts.push(who);
    }
    if let Some(why) = &a.why {
        parts.push(crate::i18n::describe::why(t, why));
    }
    if let Some(receipt) = &a.receipt {
        parts.push(format!("№ {}", receipt.number));
    }
    parts.join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;

    /// F2's row of a bypass names the manager once, with the bypass; a manager who allowed
    /// something else (a limit) is still named among who did it.
    #[test]
    fn a_bypass_names_the_manager_once() {
        let t = Locale::Ru.text();
        let about_by = |confirmed| About {
            who: Who {
                principal: Some("shop-1".into()),
                login: Some("anna".into()),
                manager: Some("Ольга".into()),
            },
            confirmed,
            ..About::default()
        };
        assert_eq!(
            about(t, &about_by(Some(Confirmed::Manager))),
            "PIN вместо кода: Ольга · anna (shop-1)"
        );
        assert_eq!(
            about(t, &about_by(Some(Confirmed::Code))),
            "по коду клиента · anna (shop-1), Ольга"
        );
        assert_eq!(about(t, &about_by(None)), "anna (shop-1), Ольга");
    }
}
