//! F4: promotion accumulations, a page at a time, optionally for one client.

use super::table::{self, Columns, Fit};
use super::{filter_bar, fit, labels, theme};
use crate::app::Model;
use crate::app::model::{ADMIN_PAGE, AccumulationField};
use crate::domain::Amount;
use crate::domain::admin::{Accumulation, AccumulationStatus};
use crate::i18n::{Locale, fill, format_amount, format_day, format_decimal};
use jiff::civil::DateTime;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::Paragraph;
use rust_decimal::Decimal;

fn status(model: &Model, s: AccumulationStatus) -> String {
    let t = model.locale.text();
    match s {
        AccumulationStatus::Active => t.status_active.into(),
        AccumulationStatus::Closed => t.status_closed.into(),
        AccumulationStatus::Deleted => t.status_deleted.into(),
        AccumulationStatus::Other(code) => fill(t.status_other, code),
    }
}

/// Poster's dates are the point of sale's local time: shown as they come, without a zone.
fn day(locale: Locale, dt: Option<DateTime>) -> String {
    dt.map_or_else(String::new, |d| format_day(locale, d.date()))
}

/// A promotion's name, as `clients.getPromotions` gave it; its id until then.
fn promotion(model: &Model, id: i64) -> String {
    model
        .accumulations
        .promotions
        .data
        .as_ref()
        .and_then(|all| all.iter().find(|p| p.id == id))
        .map_or_else(|| id.to_string(), |p| p.name.clone())
}

/// The selected row's promotion with its dates, under the filter.
fn promotion_line(model: &Model, a: &Accumulation) -> Option<String> {
    let t = model.locale.text();
    let p = model
        .accumulations
        .promotions
        .data
        .as_ref()?
        .iter()
        .find(|p| p.id == a.promotion_id)?;
    let end = p
        .ends
        .map_or_else(|| t.no_end.to_string(), |e| day(model.locale, Some(e)));
    Some(format!(
        "{} «{}» · {} – {end}",
        t.col_promotion,
        p.name,
        day(model.locale, p.starts)
    ))
}

/// Poster's `product_sum` is kopecks, as all of its money is: shown in roubles like every
/// other amount (`1476` is `14,76 ₽`). A fraction of a kopeck, which Poster never sends, is
/// shown as it comes rather than rounded away.
fn price(locale: Locale, kopecks: Decimal) -> String {
    match i64::try_from(kopecks.normalize()) {
        Ok(minor) if kopecks.fract().is_zero() => {
            format!("{} ₽", format_amount(locale, Amount::from_minor(minor)))
        }
        _ => format!(
            "{} ₽",
            format_decimal(locale, kopecks / Decimal::ONE_HUNDRED, None)
        ),
    }
}

fn row(model: &Model, a: &Accumulation) -> Vec<String> {
    let t = model.locale.text();
    let product = match a.modification_id {
        Some(m) => format!("{}/{m}", a.product_id),
        None => a.product_id.to_string(),
    };
    vec![
        a.id.to_string(),
        promotion(model, a.promotion_id),
        a.client_id.to_string(),
        product,
        format_decimal(model.locale, a.count, None),
        price(model.locale, a.product_sum),
        status(model, a.status),
        day(model.locale, a.started),
        day(model.locale, a.closed),
        if a.weighed { t.yes } else { t.no }.to_string(),
    ]
}

pub fn render(model: &Model, frame: &mut Frame, area: Rect) {
    let t = model.locale.text();
    let state = &model.accumulations;
    let client = state.client.map_or(t.all_clients.to_string(), |c| {
        format!("{} {c}", t.col_client)
    });
    let title = format!(
        "{} · {} · {}",
        t.acc_title,
        client,
        fill(t.history_page, state.offset / ADMIN_PAGE + 1)
    );
    let [bar, options, body] =
        super::table_frame(model, frame, area, title, state.rows.is_loading());
    filter_bar::render(frame, bar, &state.filter, |field| match field {
        AccumulationField::Client => (t.filter_client, 14),
    });
    if state.filter.invalid.is_some() {
        let x = bar.x + 36;
        if x < bar.right() {
            frame.render_widget(
                Paragraph::new(Span::styled(
                    format!("! {}", fill(t.filter_invalid_field, t.filter_client)),
                    theme::danger(),
                )),
                Rect {
                    x,
                    width: bar.right() - x,
                    ..bar
                },
            );
        }
    }
    let message = super::placeholder(t, &state.rows, t.acc_empty);
    if let Some((text, style)) = message {
        frame.render_widget(Paragraph::new(Span::styled(text, style)), body);
        return;
    }
    let rows = state.rows.data.as_deref().unwrap_or_default();
    let line = match &state.promotions.error {
        Some(e) if !state.promotions.is_loading() => Span::styled(
            fit::fit(
                &fill(t.acc_promotions_refused, labels::error(t, e)),
                options.width.into(),
            ),
            theme::danger(),
        ),
        _ => Span::styled(
            rows.get(state.selected)
                .and_then(|a| promotion_line(model, a))
                .unwrap_or_default(),
            theme::muted(),
        ),
    };
    frame.render_widget(Paragraph::new(line), options);
    let columns = Columns(vec![
        (t.col_id, Fit::Number),
        (t.col_promotion, Fit::Text),
        (t.col_client, Fit::Number),
        (t.col_product, Fit::Whole),
        (t.col_count, Fit::Number),
        (t.col_price, Fit::Number),
        (t.col_status, Fit::Text),
        (t.col_started, Fit::Whole),
        (t.col_closed, Fit::Whole),
        (t.col_weight, Fit::Text),
    ]);
    table::render(frame, body, &columns, rows.len(), state.selected, |i| {
        row(model, &rows[i])
    });
}
