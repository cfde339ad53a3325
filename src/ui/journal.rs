//! F7: the journal of money movements (write-offs today), newest first, each with how it
//! ended.

use super::pane_block;
use super::table::{self, Columns, Fit};
use crate::app::Model;
use crate::domain::journal::{Movement, Outcome};
use crate::i18n::{format_amount, format_datetime};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::Paragraph;

pub fn render(model: &Model, frame: &mut Frame, area: Rect) {
    let t = model.locale.text();
    let journal = &model.journal.rows;
    let mut title = t.journal_title.to_string();
    if let Some(rows) = &journal.data {
        title = format!("{title} ({})", rows.len());
    }
    if journal.is_loading() {
        title = format!("{title} · {}", t.loading);
    }
    let block = pane_block(model, None, title);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let message = super::placeholder(t, journal, t.journal_empty);
    if let Some((text, style)) = message {
        frame.render_widget(Paragraph::new(Span::styled(text, style)), inner);
        return;
    }
    let rows = journal.data.as_deref().unwrap_or_default();
    let fits = [
        Fit::Whole,
        Fit::Number,
        Fit::Number,
        Fit::Number,
        Fit::Whole,
        Fit::Text,
        Fit::Whole,
    ];
    let columns = Columns(t.journal_columns().into_iter().zip(fits).collect());
    let amount = |a: Option<crate::domain::Amount>| {
        a.map_or(String::new(), |a| format_amount(model.locale, a))
    };
    table::render(
        frame,
        inner,
        &columns,
        rows.len(),
        model.journal.selected,
        |i| {
            let r = &rows[i];
            let (points, rubles, coupons) = match &r.attempt.movement {
                Movement::WriteOff(w) => (w.points, w.rubles, &w.coupons),
                Movement::Reversal(r) => (r.points, r.rubles, &r.coupons),
            };
            let coupons: Vec<String> = coupons.iter().map(|c| c.0.to_string()).collect();
            let state = t.outcome(r.outcome);
            let state = match r.outcome {
                None | Some(Outcome::Unknown | Outcome::UnclearAfterCheck) => format!("! {state}"),
                _ => state.to_string(),
            };
            vec![
                format_datetime(model.locale, r.at, &model.tz),
                r.attempt.client.0.to_string(),
                amount(points),
                amount(rubles),
                coupons.join(","),
                state,
                r.attempt.key.clone(),
            ]
        },
    );
}
