//! F5: clients registered in a period, per point of sale.

use super::table::{self, Columns, Fit};
use super::{filter_bar, pane_block, theme};
use crate::app::Model;
use crate::app::model::{DayState, Preset, RegistrationField};
use crate::i18n::{fill, fill2, format_datetime, format_day, zone_name};
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

/// Registrations per point of sale, most first: the counts kept as the days come in.
fn per_pos(counts: &BTreeMap<(i64, String), usize>) -> Vec<(&str, usize)> {
    let mut list: Vec<(&str, usize)> = counts
        .iter()
        .map(|((_, name), n)| (name.as_str(), *n))
        .collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    list
}

pub fn render(model: &Model, frame: &mut Frame, area: Rect) {
    let t = model.locale.text();
    let state = &model.registrations;
    // The period is counted in this zone and the times are shown in it: say which.
    let zone = fill(t.times_in_zone, zone_name(&state.zone, model.now));
    let days = &state.days;
    let mut title = format!("{} · {} · {zone}", t.reg_title, preset(model));
    // A total once a day is counted: a period whose only day failed has none to give.
    if days.answered() > days.missing().map_or(0, |(n, _)| n) {
        title = format!("{title} · {}", fill(t.total_of, days.total()));
    }
    // A long period is counted a day at a time: how far the count is.
    if days.counting.is_some() && days.days.len() > 1 {
        title = format!(
            "{title} · {}",
            fill2(t.reg_days_counted, days.answered(), days.days.len())
        );
    }
    let [bar, problem, body] = super::table_frame(model, frame, area, title, days.is_loading());
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
        // Totals without a day's rows must not pass for the period's.
        None => match days.missing() {
            Some((n, first)) if days.answered() < days.days.len() || days.total() > 0 => {
                Some(fill2(t.reg_incomplete, n, format_day(model.locale, first)))
            }
            _ if state.outside_period > 0 => Some(fill(t.reg_outside_period, state.outside_period)),
            _ => None,
        },
    };
    if let Some(note) = note {
        frame.render_widget(
            Paragraph::new(Span::styled(format!("! {note}"), theme::danger())),
            problem,
        );
    }
    if let Some((text, style)) = placeholder(model) {
        frame.render_widget(Paragraph::new(Span::styled(text, style)), body);
        return;
    }
    let counts = per_pos(&days.per_pos);
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
        days.total(),
        state.selected,
        |i| {
            // A row whose day was let go from memory is being asked for again.
            let Some(r) = days.row(i) else {
                return vec!["…".to_string()];
            };
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
        let count = days.total().to_string();
        let pad = width.saturating_sub(t.total.chars().count() + count.len());
        lines.push(Line::from(Span::styled(
            format!("{}{}{count}", t.total, " ".repeat(pad)),
            theme::key(),
        )));
    }
    frame.render_widget(Paragraph::new(lines), summary_inner);
}

/// What the table's place says before there are rows: loading, the whole period failed, or
/// nothing registered.
fn placeholder(model: &Model) -> Option<(String, ratatui::style::Style)> {
    let t = model.locale.text();
    let days = &model.registrations.days;
    if days.total() > 0 {
        return None;
    }
    if days.answered() < days.days.len() || days.days.is_empty() {
        return Some((t.loading.to_string(), theme::muted()));
    }
    match days.days.iter().find_map(|(_, s)| match s {
        DayState::Missing(e) => Some(e),
        _ => None,
    }) {
        Some(e) => Some((fill(t.failed, super::labels::error(t, e)), theme::danger())),
        None => Some((t.reg_empty.to_string(), theme::muted())),
    }
}
