//! F5: clients registered in a period, per point of sale.

use super::table::{self, Columns, Fit};
use super::{filter_bar, pane_block, theme};
use crate::app::Model;
use crate::app::model::{Preset, RegistrationField};
use crate::domain::admin::Registration;
use crate::i18n::{fill, format_datetime, zone_name};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use std::collections::BTreeMap;

fn preset(model: &Model) -> &'static str {
    let t = model.locale.text();
    match model.registrations.preset {
        Preset::Today => t.preset_today,
        Preset::Yesterday => t.preset_yesterday,
        Preset::ThisMonth => t.preset_month,
        Preset::ThisYear => t.preset_year,
        Preset::Custom => t.preset_custom,
    }
}

/// Registrations per point of sale, most first, with the total.
fn per_pos(rows: &[Registration]) -> Vec<(String, usize)> {
    let mut counts: BTreeMap<(i64, &str), usize> = BTreeMap::new();
    for r in rows {
        *counts.entry((r.pos, r.pos_name.as_str())).or_default() += 1;
    }
    let mut list: Vec<(String, usize)> = counts
        .into_iter()
        .map(|((_, name), n)| (name.to_string(), n))
        .collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    list
}

pub fn render(model: &Model, frame: &mut Frame, area: Rect) {
    let t = model.locale.text();
    let state = &model.registrations;
    // The period is counted in this zone and the times are shown in it: say which.
    let zone = fill(t.times_in_zone, zone_name(&state.zone, model.now));
    let mut title = format!("{} · {} · {zone}", t.reg_title, preset(model));
    if let Some(rows) = &state.rows.data {
        title = format!("{title} · {}", fill(t.total_of, rows.len()));
    }
    let [bar, problem, body] =
        super::table_frame(model, frame, area, title, state.rows.is_loading());
    let label = |field| match field {
        RegistrationField::From => (t.filter_from, 13),
        RegistrationField::To => (t.filter_to, 13),
        RegistrationField::PointOfSale => (t.filter_pos, 6),
    };
    filter_bar::render(frame, bar, &state.filter, label);
    // A field that cannot be read is what the admin must fix first; the rows left out stay
    // said while the rows they were left out of are shown.
    let note = match state.filter.invalid {
        Some(field) => Some(fill(t.filter_invalid_field, label(field).0)),
        None if state.outside_period > 0 && state.rows.data.is_some() => {
            Some(fill(t.reg_outside_period, state.outside_period))
        }
        None => None,
    };
    if let Some(note) = note {
        frame.render_widget(
            Paragraph::new(Span::styled(format!("! {note}"), theme::danger())),
            problem,
        );
    }
    let message = super::placeholder(t, &state.rows, t.reg_empty);
    if let Some((text, style)) = message {
        frame.render_widget(Paragraph::new(Span::styled(text, style)), body);
        return;
    }
    let rows = state.rows.data.as_deref().unwrap_or_default();
    let counts = per_pos(rows);
    // The per-point summary goes beside the table on wide screens, under it on narrow ones.
    let (table_area, summary_area) = if body.width >= 110 {
        let [a, b] = Layout::horizontal([Constraint::Min(0), Constraint::Length(32)]).areas(body);
        (a, b)
    } else {
        let height = (counts.len() as u16 + 2).min(body.height / 2);
        let [a, b] = Layout::vertical([Constraint::Min(0), Constraint::Length(height)]).areas(body);
        (a, b)
    };
    let columns = Columns(vec![
        (t.col_client, Fit::Number),
        (t.col_card, Fit::Number),
        (t.col_virtual, Fit::Text),
        (t.col_card_type, Fit::Text),
        (t.col_status, Fit::Text),
        (t.col_pos, Fit::Text),
        (t.col_registered, Fit::Whole),
    ]);
    table::render(
        frame,
        table_area,
        &columns,
        rows.len(),
        state.selected,
        |i| {
            let r = &rows[i];
            vec![
                r.client.to_string(),
                r.card.to_string(),
                if r.is_virtual { t.yes } else { t.no }.to_string(),
                r.card_type.clone(),
                r.card_status.clone(),
                r.pos_name.clone(),
                format_datetime(model.locale, r.registered, &state.zone),
            ]
        },
    );
    let summary_block = pane_block(model, None, t.per_pos_title.to_string());
    let summary_inner = summary_block.inner(summary_area);
    frame.render_widget(summary_block, summary_area);
    let width = summary_inner.width as usize;
    let mut lines: Vec<Line> = counts
        .iter()
        .map(|(name, n)| {
            let count = n.to_string();
            let name = super::truncate(name, width.saturating_sub(count.len() + 1));
            let pad = width
                .saturating_sub(unicode_width::UnicodeWidthStr::width(name.as_str()) + count.len());
            Line::from(format!("{name}{}{count}", " ".repeat(pad)))
        })
        .collect();
    if lines.len() < summary_inner.height as usize {
        let count = rows.len().to_string();
        let pad = width.saturating_sub(t.total.chars().count() + count.len());
        lines.push(Line::from(Span::styled(
            format!("{}{}{count}", t.total, " ".repeat(pad)),
            theme::key(),
        )));
    }
    frame.render_widget(Paragraph::new(lines), summary_inner);
}
