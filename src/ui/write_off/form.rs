//! The write-off form: the balance and «доступно к списанию», the amounts, the coupons to
//! pick, the receipt when it is asked, the PIN's dots once a limit refused, and the problem.

use super::super::{centered, coupons, field, labels, theme};
use super::{WIDTH, client_line, dialog_block, scope_keys};
use crate::app::Model;
use crate::app::keys::{Action, Scope};
use crate::app::model::{Remote, WriteOffDialog, WriteOffField};
use crate::domain::limits::{Available, LimitKind};
use crate::i18n::{fill, fill2, format_amount};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};
use tui_input::Input;
use unicode_width::UnicodeWidthStr;

pub(super) fn render(model: &Model, d: &WriteOffDialog, frame: &mut Frame, area: Rect) {
    let t = model.locale.text();
    let locale = model.locale;
    let coupon_rows = d.coupons.len().clamp(1, 6) as u16;
    // The receipt's two fields and a blank row; the PIN's row, its reason and note, and a
    // blank one.
    let receipt_rows = if d.receipt_shown { 3 } else { 0 };
    let pin_rows = if d.pin.is_some() { 4 } else { 0 };
    // «Доступно к списанию» takes the blank row under the balance, and the limit that
    // bounds it one more.
    let limit_rows = u16::from(d.limits.is_some());
    let rect = centered(
        area,
        WIDTH,
        11 + coupon_rows + receipt_rows + pin_rows + limit_rows,
    );
    frame.render_widget(Clear, rect);
    let title_room = (WIDTH as usize).saturating_sub(t.money.write_off_title.width() + 2);
    let who = client_line(t, &d.client, title_room, false);
    let block = dialog_block(fill(t.money.write_off_title, who), false);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let at = |i: u16| Rect::new(inner.x + 1, inner.y + i, inner.width.saturating_sub(2), 1);
    // Rows below the balance move down past the limit's row when there is one.
    let row = |i: u16| at(if i == 0 { 0 } else { i + limit_rows });

    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(format!("{}: ", t.money.available), theme::muted()),
            Span::styled(
                format!("{} {}", t.points, format_amount(locale, d.balances.points)),
                theme::money(),
            ),
            Span::raw(" · "),
            Span::styled(
                format!(
                    "{} {} ₽",
                    t.rubles,
                    format_amount(locale, d.balances.rubles)
                ),
                theme::money(),
            ),
        ])),
        row(0),
    );
    if let Some(limits) = &d.limits {
        let [amounts, bound] = limits_lines(model, limits);
        frame.render_widget(Paragraph::new(amounts), at(1));
        frame.render_widget(Paragraph::new(bound), at(2));
    }
    for (i, field, input) in [
        (2, WriteOffField::Points, &d.points),
        (3, WriteOffField::Rubles, &d.rubles),
    ] {
        let label = labels::field(t, field);
        field::labelled(frame, row(i), (label, 9), 22, input, d.field == field);
    }
    let coupons_focused = d.field == WriteOffField::Coupons;
    frame.render_widget(
        Paragraph::new(Span::styled(
            format!(
                "{}{}",
                if coupons_focused { "▶ " } else { "  " },
                fill(t.money.coupons_label, toggle_keys(model))
            ),
            if coupons_focused {
                theme::focused()
            } else {
                theme::plain()
            },
        )),
        row(5),
    );
    if d.coupons.is_empty() {
        frame.render_widget(
            Paragraph::new(Span::styled(
                format!("  {}", t.coupons_empty),
                theme::muted(),
            )),
            row(6),
        );
    }
    let visible = super::super::window(d.coupons.len(), d.coupon_cursor, coupon_rows as usize);
    for (line_no, i) in visible.enumerate() {
        let c = &d.coupons[i];
        let mark = if d.chosen.contains(&c.id) {
            "[x] "
        } else {
            "[ ] "
        };
        let cursor = coupons_focused && i == d.coupon_cursor;
        let r = row(6 + line_no as u16);
        let mut line = coupons::line(model, c, r.width.saturating_sub(6) as usize);
        line.spans.insert(
            0,
            Span::raw(format!("{}{mark}", if cursor { "▶ " } else { "  " })),
        );
        let line = if cursor {
            line.style(theme::selected())
        } else {
            line
        };
        frame.render_widget(Paragraph::new(line), r);
    }
    let mut bottom = 7 + coupon_rows;
    if d.receipt_shown {
        for (i, field, input) in [
            (bottom, WriteOffField::ReceiptNumber, &d.receipt_number),
            (bottom + 1, WriteOffField::ReceiptTotal, &d.receipt_total),
        ] {
            let label = labels::field(t, field);
            field::labelled(frame, row(i), (label, 14), 22, input, d.field == field);
        }
        bottom += receipt_rows;
    }
    if let Some(pin) = &d.pin {
        // Only as many dots as digits typed: the digits never reach the screen.
        let masked = Input::new("•".repeat(pin.len()));
        let field = WriteOffField::Pin;
        let label = labels::field(t, field);
        field::labelled(
            frame,
            row(bottom),
            (label, 14),
            14,
            &masked,
            d.field == field,
        );
        let field = WriteOffField::OverrideReason;
        let label = labels::field(t, field);
        field::reason(
            frame,
            row(bottom + 1),
            (label, 14),
            t,
            d.override_reason,
            d.field == field,
        );
        let field = WriteOffField::OverrideNote;
        let label = labels::field(t, field);
        field::labelled(
            frame,
            row(bottom + 2),
            (label, 14),
            40,
            &d.override_note,
            d.field == field,
        );
        bottom += pin_rows;
    }
    if let Some(p) = &d.problem {
        frame.render_widget(
            Paragraph::new(Span::styled(
                format!("! {}", labels::problem(locale, p)),
                theme::danger(),
            ))
            .wrap(Wrap { trim: true }),
            Rect {
                height: 2,
                ..row(bottom)
            },
        );
    }
}

/// «Доступно к списанию» under the shop's limits, per currency, and on the next row the
/// limit that bounds it, once the provider answered.
fn limits_lines(model: &Model, limits: &Remote<Available>) -> [Line<'static>; 2] {
    let t = model.locale.text();
    let locale = model.locale;
    let mut spans = vec![Span::styled(
        format!("{}: ", t.money.available_to_write_off),
        theme::muted(),
    )];
    let mut bound = Line::default();
    match (&limits.data, &limits.error) {
        (_, Some(e)) if !limits.is_loading() => {
            spans.push(Span::styled(
                fill(t.failed, labels::error(t, e)),
                theme::danger(),
            ));
        }
        (Some(a), _) => {
            spans.push(Span::styled(
                format!("{} {}", t.points, format_amount(locale, a.points)),
                theme::money(),
            ));
            spans.push(Span::raw(" · "));
            spans.push(Span::styled(
                format!("{} {} ₽", t.rubles, format_amount(locale, a.rubles)),
                theme::money(),
            ));
            if let Some(kind) = a.limited_by {
                let limit = labels::limit(t, kind);
                // The figures above are each at most this, not this each.
                let said = match a.together.filter(|_| kind != LimitKind::ClientDay) {
                    Some(together) => fill2(
                        t.money.available_together,
                        limit,
                        format_amount(locale, together),
                    ),
                    None => fill(t.money.available_bounded, limit),
                };
                bound = Line::from(Span::styled(format!("  {said}"), theme::muted()));
            }
        }
        (None, _) => spans.push(Span::styled(t.loading, theme::muted())),
    }
    [Line::from(spans), bound]
}

/// The keys that pick a coupon in the form, named as the hint bar names them.
fn toggle_keys(model: &Model) -> String {
    scope_keys(model, Scope::WriteOffForm, Action::ToggleCoupon)
}
