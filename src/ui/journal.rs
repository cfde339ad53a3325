//! F7: the journal of money movements (write-offs and reversals), newest first, each with
//! its kind, receipt, reason and how it ended.

use super::table::{self, Columns, Fit};
use super::{field, labels, pane_block};
use crate::app::Model;
use crate::domain::codes::Confirmed;
use crate::domain::journal::{JournalRow, Outcome};
use crate::domain::reversal::OperationKind;
use crate::i18n::{format_amount, format_datetime};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

pub fn render(model: &Model, frame: &mut Frame, area: Rect) {
    let t = model.locale.text();
    let journal = &model.journal.rows;
    let mut title = t.journal_title.to_string();
    let filtered = model.journal.filtering || !model.journal.filter.value().is_empty();
    if let Some(rows) = &journal.data {
        title = match filtered {
            true => format!("{title} ({}/{})", model.journal.shown().len(), rows.len()),
            false => format!("{title} ({})", rows.len()),
        };
    }
    if journal.is_loading() {
        title = format!("{title} · {}", t.loading);
    }
    let block = pane_block(model, None, title);
    let mut inner = block.inner(area);
    frame.render_widget(block, area);
    if filtered {
        // The filter's own row above the table, only while there is one.
        let row = Rect { height: 1, ..inner };
        let label = t.journal_filter;
        field::labelled(
            frame,
            row,
            (label, label.width() + 1),
            30,
            &model.journal.filter,
            model.journal.filtering && model.dialog.is_none(),
        );
        inner.y += 1;
        inner.height = inner.height.saturating_sub(1);
    }
    let message = super::placeholder(t, journal, t.journal_empty);
    if let Some((text, style)) = message {
        frame.render_widget(Paragraph::new(Span::styled(text, style)), inner);
        return;
    }
    let rows = model.journal.shown();
    // The kind, receipt and reason columns come only when a row has one: a journal of plain
    // write-offs keeps its room for the outcome at 80 columns.
    let any = |f: fn(&JournalRow) -> bool| rows.iter().any(|r| f(r));
    let shown = [
        true,
        true,
        any(|r| r.attempt.movement.gives_back()),
        true,
        true,
        true,
        any(|r| r.attempt.movement.receipt().is_some()),
        any(|r| r.attempt.movement.gives_back() || r.attempt.confirmed.is_some()),
        true,
        true,
    ];
    let fits = [
        Fit::Whole,
        Fit::Number,
        Fit::Whole,
        Fit::Number,
        Fit::Number,
        Fit::Whole,
        Fit::Text,
        Fit::Text,
        Fit::Text,
        Fit::Whole,
    ];
    let columns = Columns(
        t.journal_columns()
            .into_iter()
            .zip(fits)
            .zip(shown)
            .filter_map(|(c, shown)| shown.then_some(c))
            .collect(),
    );
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
            let movement = &r.attempt.movement;
            let kind = if movement.gives_back() {
                OperationKind::Reversal
            } else {
                OperationKind::WriteOff
            };
            let (points, rubles, coupons) = movement.amounts();
            let receipt = movement.receipt().map(|r| r.number.clone());
            let why = movement.why().map(|w| crate::i18n::describe::why(t, w));
            let confirmed = confirmed(t, r).map(str::to_string);
            let reason = [why, confirmed]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" · ");
            let coupons: Vec<String> = coupons.iter().map(|c| c.0.to_string()).collect();
            let state = t.outcome(&r.attempt.movement, r.outcome);
            let state = match r.outcome {
                None | Some(Outcome::Unknown | Outcome::UnclearAfterCheck) => format!("! {state}"),
                _ => state.to_string(),
            };
            let cells = [
                format_datetime(model.locale, r.at, &model.tz),
                r.attempt.client.0.to_string(),
                labels::operation_kind(t, kind).to_string(),
                amount(points),
                amount(rubles),
                coupons.join(","),
                receipt.unwrap_or_default(),
                reason,
                state,
                r.attempt.key.clone(),
            ];
            cells
                .into_iter()
                .zip(shown)
                .filter_map(|(c, shown)| shown.then_some(c))
                .collect()
        },
    );
}

/// A write-off a manager's PIN let go without the client's code.
/// How a write-off that needed the client's code was let go: by the code, or by a
/// manager's PIN in its place.
fn confirmed(t: &crate::i18n::Text, r: &JournalRow) -> Option<&'static str> {
    match r.attempt.confirmed? {
        Confirmed::Code => Some(t.codes.journal_by_code),
        Confirmed::Manager => Some(t.codes.journal_bypass),
    }
}
