//! F6: bonus operations of one retail card, filtered, sorted and paged by REGOS.

use super::table::{self, Columns, Fit};
use super::{filter_bar, labels, theme};
use crate::app::Model;
use crate::app::model::CardOperationField;
use crate::domain::admin::{Expiry, OperationKind, SortColumn, SortDirection};
use crate::i18n::{Locale, fill, format_decimal};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use rust_decimal::Decimal;

fn kind(model: &Model, k: Option<OperationKind>) -> &'static str {
    let t = model.locale.text();
    match k {
        None => t.type_all,
        Some(OperationKind::Income) => t.type_income,
        Some(OperationKind::Outcome) => t.type_outcome,
    }
}

fn sort(model: &Model, c: SortColumn) -> &'static str {
    let t = model.locale.text();
    match c {
        SortColumn::Date => t.sort_date,
        SortColumn::Type => t.sort_type,
        SortColumn::Amount => t.sort_amount,
        SortColumn::Value => t.sort_value,
        SortColumn::ExpiryDate => t.sort_expiry,
        SortColumn::LastUpdate => t.sort_updated,
    }
}

/// A decimal as REGOS amounts are shown: two places, the locale's marks.
pub(super) fn number(locale: Locale, d: Decimal) -> String {
    format_decimal(locale, d, Some(2))
}

pub fn render(model: &Model, frame: &mut Frame, area: Rect) {
    let t = model.locale.text();
    let state = &model.card_operations;
    let mut title = t.ops_title.to_string();
    if let (Some(q), Some(page)) = (&state.query, &state.rows.data) {
        title = format!(
            "{title} · {} {} · {}",
            t.filter_card,
            q.card_id,
            fill(t.history_page, q.offset / q.limit.max(1) + 1)
        );
        if let Some(total) = page.total {
            title = format!("{title} · {}", fill(t.total_of, total));
        }
    }
    let [bar, options, body] =
        super::table_frame(model, frame, area, title, state.rows.is_loading());
    let label = |field| match field {
        // Wide enough for a phone typed to find the card.
        CardOperationField::Card => (t.filter_card, 13),
        CardOperationField::Promotion => (t.filter_promo, 6),
        CardOperationField::From => (t.filter_from, 12),
        CardOperationField::To => (t.filter_to, 12),
    };
    filter_bar::render(frame, bar, &state.filter, label);
    let arrow = match state.direction {
        SortDirection::Asc => "↑",
        SortDirection::Desc => "↓",
    };
    let mut spans = vec![
        Span::styled(format!("{}: ", t.col_type), theme::muted()),
        Span::styled(kind(model, state.kind), theme::key()),
        Span::styled(format!("   {}: ", t.sort_label), theme::muted()),
        Span::styled(format!("{} {arrow}", sort(model, state.sort)), theme::key()),
    ];
    if state.unsorted && state.rows.data.is_some() {
        spans.push(Span::styled(
            format!("   ! {}", t.ops_unsorted),
            theme::danger(),
        ));
    }
    if state.rows.data.is_some() {
        for line in super::outlook::lines(model, &state.outlook) {
            spans.push(Span::raw("   "));
            spans.extend(line.spans);
        }
    }
    if let Some(field) = state.filter.invalid {
        let name = label(field).0;
        spans.push(Span::styled(
            format!("   ! {}", fill(t.filter_invalid_field, name)),
            theme::danger(),
        ));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), options);
    let message = match (&state.query, &state.rows.data, &state.rows.error) {
        (_, _, Some(e)) if !state.rows.is_loading() => {
            Some((fill(t.failed, labels::error(t, e)), theme::danger()))
        }
        (None, _, _) => Some((t.ops_start.to_string(), theme::muted())),
        (_, None, _) => Some((t.loading.to_string(), theme::muted())),
        (_, Some(page), _) if page.operations.is_empty() => {
            Some((t.ops_empty.to_string(), theme::muted()))
        }
        _ => None,
    };
    if let Some((text, style)) = message {
        frame.render_widget(
            Paragraph::new(Span::styled(text, style)).wrap(Wrap { trim: true }),
            body,
        );
        return;
    }
    let ops = state
        .rows
        .data
        .as_ref()
        .map(|p| p.operations.as_slice())
        .unwrap_or_default();
    let columns = Columns(vec![
        (t.col_date, Fit::Whole),
        (t.col_type, Fit::Text),
        (t.col_amount, Fit::Number),
        (t.col_value, Fit::Number),
        (t.col_used, Fit::Number),
        (t.col_payment, Fit::Text),
        (t.col_expires, Fit::Whole),
        (t.col_description, Fit::Text),
    ]);
    // A field REGOS left null shows as "—".
    let shown = |v: Option<String>| v.unwrap_or_else(|| t.none.to_string());
    let date = |at| crate::i18n::format_date(model.locale, at, &model.tz);
    let amount = |d: Option<Decimal>| shown(d.map(|d| number(model.locale, d)));
    table::render(frame, body, &columns, ops.len(), state.selected, |i| {
        let o = &ops[i];
        vec![
            shown(o.date.map(date)),
            shown(o.kind.map(|k| kind(model, Some(k)).to_string())),
            amount(o.amount),
            amount(o.value),
            amount(o.used_value),
            shown(
                o.is_payment
                    .map(|p| if p { t.yes } else { t.no }.to_string()),
            ),
            shown(o.expires.map(|e| match e {
                Expiry::Never => t.no_expiry.to_string(),
                Expiry::At(at) => date(at),
            })),
            o.description.clone().unwrap_or_default(),
        ]
    });
}
