//! F3: marketing groups, and the details of the one opened with Enter.

use super::table::{self, Columns, Fit};
use super::{labels, pane_block, theme};
use crate::app::Model;
use crate::domain::admin::{Group, GroupKind};
use crate::i18n::{fill, format_amount};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

fn percent(model: &Model, g: &Group) -> String {
    let text = g.percent.normalize().to_string();
    match model.locale {
        crate::i18n::Locale::Ru => text.replace('.', ","),
        crate::i18n::Locale::En => text,
    }
}

fn bonus(model: &Model, g: &Group) -> String {
    match g.kind {
        GroupKind::Bonus => format!("{} ₽", format_amount(model.locale, g.birthday_bonus)),
        GroupKind::Discount => model.locale.text().none.to_string(),
    }
}

pub fn render(model: &Model, frame: &mut Frame, area: Rect) {
    let t = model.locale.text();
    let state = &model.groups;
    let detail_height = if state.detail.data.is_some() || state.detail.is_loading() {
        7
    } else {
        0
    };
    // The details sit right under the list's last row, not at the foot of a tall screen;
    // a list too long for the screen gives up the rows they need.
    let list_rows = state.list.data.as_ref().map_or(1, |l| l.len().max(1)) as u16;
    let list_height = (list_rows + 3).min(area.height.saturating_sub(detail_height));
    let [list_area, detail_area, _] = Layout::vertical([
        Constraint::Length(list_height),
        Constraint::Length(detail_height),
        Constraint::Min(0),
    ])
    .areas(area);
    let mut title = t.groups_title.to_string();
    if let Some(list) = &state.list.data {
        title = format!("{title} ({})", list.len());
    }
    if state.list.is_loading() {
        title = format!("{title} · {}", t.loading);
    }
    let block = pane_block(model, None, title);
    let inner = block.inner(list_area);
    frame.render_widget(block, list_area);
    let message = super::placeholder(t, &state.list, t.groups_empty);
    if let Some((text, style)) = message {
        frame.render_widget(Paragraph::new(Span::styled(text, style)), inner);
    } else {
        let list = state.list.data.as_deref().unwrap_or_default();
        let columns = Columns(vec![
            (t.col_id, Fit::Number),
            (t.col_name, Fit::Text),
            (t.col_type, Fit::Text),
            (t.col_percent, Fit::Number),
            (t.col_birthday_bonus, Fit::Number),
            (t.col_clients, Fit::Number),
        ]);
        table::render(frame, inner, &columns, list.len(), state.selected, |i| {
            let g = &list[i];
            vec![
                g.id.to_string(),
                g.name.clone(),
                labels::group_kind(t, g.kind).to_string(),
                percent(model, g),
                bonus(model, g),
                g.clients.to_string(),
            ]
        });
    }
    if detail_height > 0 {
        render_detail(model, frame, detail_area);
    }
}

fn render_detail(model: &Model, frame: &mut Frame, area: Rect) {
    let t = model.locale.text();
    let detail = &model.groups.detail;
    let block = pane_block(model, None, t.group_detail_title.to_string());
    let lines = match (&detail.data, &detail.error) {
        (_, Some(e)) if !detail.is_loading() => {
            vec![Line::from(Span::styled(
                fill(t.failed, labels::error(t, e)),
                theme::danger(),
            ))]
        }
        (Some(g), _) => {
            let field = |label: &str, value: String| {
                Line::from(vec![
                    Span::styled(format!("{label:<16}"), theme::muted()),
                    Span::raw(value),
                ])
            };
            vec![
                field(t.field_name, format!("{} (ID {})", g.name, g.id)),
                field(
                    t.field_kind,
                    format!("{} · {}%", labels::group_kind(t, g.kind), percent(model, g)),
                ),
                field(t.col_birthday_bonus, bonus(model, g)),
                field(t.col_clients, g.clients.to_string()),
                field(
                    t.field_ewallet,
                    match g.use_ewallet {
                        Some(true) => t.yes,
                        Some(false) => t.no,
                        None => t.none,
                    }
                    .to_string(),
                ),
            ]
        }
        (None, _) => vec![Line::from(Span::styled(t.loading, theme::muted()))],
    };
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
