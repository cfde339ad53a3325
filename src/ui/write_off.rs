//! The write-off dialog: the form, then the confirmation that repeats everything, with
//! Cancel focused; a sending state that cannot be confirmed again.

use super::{centered, coupons, field, labels, theme, truncate};
use crate::app::Model;
use crate::app::keys::{Action, Scope};
use crate::app::model::{Button, Remote, Verdict, WriteOffDialog, WriteOffField, WriteOffStep};
use crate::domain::limits::Available;
use crate::domain::{Amount, Client, WriteOff, mask};
use crate::i18n::{Text, fill, fill2, format_amount};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
use tui_input::Input;
use unicode_width::UnicodeWidthStr;

const WIDTH: u16 = 68;

pub fn render(model: &Model, d: &WriteOffDialog, frame: &mut Frame, area: Rect) {
    match &d.step {
        WriteOffStep::Form => render_form(model, d, frame, area),
        WriteOffStep::Confirm { request, focus, .. } => {
            render_confirm(model, d, request, Waiting::Consent(*focus), frame, area)
        }
        WriteOffStep::Sending { request, .. } => {
            render_confirm(model, d, request, Waiting::Sending, frame, area)
        }
        WriteOffStep::Checking { request, .. } => {
            render_confirm(model, d, request, Waiting::Checking, frame, area)
        }
        WriteOffStep::Checked {
            request, verdict, ..
        } => render_confirm(model, d, request, Waiting::Checked(*verdict), frame, area),
    }
}

pub(super) fn dialog_block(title: String, danger: bool) -> Block<'static> {
    Block::bordered()
        .title(format!(" {title} "))
        .border_style(if danger {
            theme::danger()
        } else {
            theme::focused()
        })
}

fn render_form(model: &Model, d: &WriteOffDialog, frame: &mut Frame, area: Rect) {
    let t = model.locale.text();
    let locale = model.locale;
    let coupon_rows = d.coupons.len().clamp(1, 6) as u16;
    // The receipt's two fields and a blank row; the PIN's row and a blank one.
    let receipt_rows = if d.receipt_shown { 3 } else { 0 };
    let pin_rows = if d.pin.is_some() { 2 } else { 0 };
    // «Доступно к списанию» takes the blank row under the balance, and the limit that
    // bounds it one more.
    let limit_rows = u16::from(d.limits.is_some());
    let rect = centered(
        area,
        WIDTH,
        11 + coupon_rows + receipt_rows + pin_rows + limit_rows,
    );
    frame.render_widget(Clear, rect);
    let title_room = (WIDTH as usize).saturating_sub(t.write_off_title.width() + 2);
    let who = client_line(t, &d.client, title_room, false);
    let block = dialog_block(fill(t.write_off_title, who), false);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let at = |i: u16| Rect::new(inner.x + 1, inner.y + i, inner.width.saturating_sub(2), 1);
    // Rows below the balance move down past the limit's row when there is one.
    let row = |i: u16| at(if i == 0 { 0 } else { i + limit_rows });

    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(format!("{}: ", t.available), theme::muted()),
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
                fill(t.coupons_label, toggle_keys(model))
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
    let visible = super::window(d.coupons.len(), d.coupon_cursor, coupon_rows as usize);
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
        format!("{}: ", t.available_to_write_off),
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
                bound = Line::from(Span::styled(
                    format!("  {}", fill(t.available_bounded, labels::limit(t, kind))),
                    theme::muted(),
                ));
            }
        }
        (None, _) => spans.push(Span::styled(t.loading, theme::muted())),
    }
    [Line::from(spans), bound]
}

/// The text the cashier puts on the receipt (54-ФЗ wants the points on it): its total, what
/// points and roubles paid, and what is left to pay. A point pays one rouble, so both
/// balances come off the total alike.
fn receipt_lines(model: &Model, request: &WriteOff) -> Vec<Line<'static>> {
    let Some(receipt) = &request.receipt else {
        return Vec::new();
    };
    let t = model.locale.text();
    let locale = model.locale;
    let paid = |a: Option<Amount>| a.unwrap_or(Amount::ZERO);
    let to_pay =
        receipt.total.minor() - paid(request.points).minor() - paid(request.rubles).minor();
    let to_pay = Amount::from_minor(to_pay.max(0));
    let row = |label: &str, amount: Amount| {
        Line::from(vec![
            Span::styled(format!("  {label:<18}"), theme::muted()),
            Span::styled(
                format!("{} ₽", format_amount(locale, amount)),
                theme::money(),
            ),
        ])
    };
    vec![
        Line::from(Span::styled(
            fill(t.receipt_for, truncate(&receipt.number, 40)),
            theme::key(),
        )),
        row(t.receipt_total, receipt.total),
        row(t.receipt_paid_points, paid(request.points)),
        row(t.receipt_paid_rubles, paid(request.rubles)),
        row(t.receipt_to_pay, to_pay),
    ]
}

/// What the confirmation waits for.
enum Waiting {
    Consent(Button),
    Sending,
    Checking,
    Checked(Verdict),
}

fn render_confirm(
    model: &Model,
    d: &WriteOffDialog,
    request: &WriteOff,
    waiting: Waiting,
    frame: &mut Frame,
    area: Rect,
) {
    let t = model.locale.text();
    let locale = model.locale;
    let chosen: Vec<_> = d
        .coupons
        .iter()
        .filter(|c| request.coupons.contains(&c.id))
        .collect();
    let receipt = receipt_lines(model, request);
    let receipt_rows = if receipt.is_empty() {
        0
    } else {
        receipt.len() as u16 + 1
    };
    let rect = centered(area, WIDTH, 14 + chosen.len().max(1) as u16 + receipt_rows);
    frame.render_widget(Clear, rect);
    let title = match waiting {
        Waiting::Consent(_) => t.confirm_title,
        Waiting::Sending => t.sending_title,
        Waiting::Checking => t.checking_title,
        Waiting::Checked(Verdict::NotApplied) => t.not_applied_title,
        Waiting::Checked(Verdict::Unclear(_)) => t.unclear_title,
    };
    let block = dialog_block(title.to_string(), true);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let width = inner.width.saturating_sub(2) as usize;
    let amount = |a: Option<crate::domain::Amount>, suffix: &str| {
        a.map_or(t.none.to_string(), |a| {
            format!("{}{suffix}", format_amount(locale, a))
        })
    };
    // Asked only while consent is wanted; once sent, the lines say what was sent.
    let question = match waiting {
        Waiting::Consent(_) => t.confirm_question,
        _ => t.sent_question,
    };
    let mut lines = vec![
        Line::from(Span::styled(question, theme::key())),
        Line::default(),
        Line::from(vec![
            Span::styled(format!("{:<10}", t.client_label), theme::muted()),
            Span::raw(client_line(t, &d.client, width.saturating_sub(10), true)),
        ]),
        Line::from(vec![
            Span::styled(format!("{:<10}", t.points), theme::muted()),
            Span::styled(amount(request.points, ""), theme::money()),
        ]),
        Line::from(vec![
            Span::styled(format!("{:<10}", t.rubles), theme::muted()),
            Span::styled(amount(request.rubles, " ₽"), theme::money()),
        ]),
    ];
    let coupon_label = format!("{:<10}", t.coupons_title);
    if chosen.is_empty() {
        lines.push(Line::from(vec![
            Span::styled(coupon_label.clone(), theme::muted()),
            Span::raw(t.none),
        ]));
    }
    for (i, c) in chosen.iter().enumerate() {
        let label = if i == 0 {
            coupon_label.clone()
        } else {
            " ".repeat(10)
        };
        lines.push(Line::from(vec![
            Span::styled(label, theme::muted()),
            Span::raw(truncate(
                &format!("{} {}", c.id.0, c.title),
                width.saturating_sub(10),
            )),
        ]));
    }
    if !receipt.is_empty() {
        lines.push(Line::default());
        lines.extend(receipt);
    }
    lines.push(Line::default());
    match waiting {
        Waiting::Consent(focus) => lines.push(buttons(t.button_cancel, t.button_confirm, focus)),
        Waiting::Sending => lines.push(Line::from(Span::styled(t.sending, theme::muted()))),
        Waiting::Checking => lines.push(Line::from(Span::styled(t.checking, theme::danger()))),
        Waiting::Checked(Verdict::NotApplied) => {
            lines.push(Line::from(Span::styled(
                t.checked_not_applied,
                theme::danger(),
            )));
            let again = [Action::Confirm, Action::Submit]
                .map(|a| scope_keys(model, Scope::WriteOffConfirm, a))
                .join("/");
            lines.push(Line::from(fill2(
                t.checked_retry,
                again,
                scope_keys(model, Scope::WriteOffConfirm, Action::Cancel),
            )));
        }
        Waiting::Checked(Verdict::Unclear(doubt)) => {
            lines.push(Line::from(Span::styled(
                labels::doubt(t, doubt),
                theme::danger(),
            )));
            lines.push(Line::from(fill2(
                t.checked_anew,
                scope_keys(model, Scope::WriteOffUnclear, Action::WriteOffAnew),
                scope_keys(model, Scope::WriteOffUnclear, Action::Cancel),
            )));
        }
    }
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }),
        Rect::new(
            inner.x + 1,
            inner.y,
            inner.width.saturating_sub(2),
            inner.height,
        ),
    );
}

/// Whom the money is taken from, in `width` columns: the name, the phone masked as
/// everywhere (its last four digits show; the email when there is no phone) and, `with_id`,
/// the card id. Only the name is ever cut, so the digits the cashier checks stay whole.
fn client_line(t: &Text, client: &Client, width: usize, with_id: bool) -> String {
    let name = client.name.as_deref().unwrap_or(t.no_name);
    let contact = match (&client.phone, &client.email) {
        (Some(phone), _) => Some(mask::phone(phone)),
        (None, Some(email)) => Some(mask::email(email)),
        (None, None) => None,
    };
    let id = with_id.then(|| format!("{} {}", t.card_id, client.id.0));
    let rest: String = [contact, id]
        .into_iter()
        .flatten()
        .map(|part| format!(" · {part}"))
        .collect();
    let room = width.saturating_sub(rest.width());
    format!("{}{rest}", truncate(name, room.max(1)))
}

/// The keys that pick a coupon in the form, named as the hint bar names them.
fn toggle_keys(model: &Model) -> String {
    scope_keys(model, Scope::WriteOffForm, Action::ToggleCoupon)
}

/// The keys bound to `action` in `scope`, named as the hint bar names them.
pub(super) fn scope_keys(model: &Model, scope: Scope, action: Action) -> String {
    let keys: Vec<_> = model
        .keymap
        .own(scope)
        .filter(|b| b.action == action)
        .flat_map(|b| b.keys.iter().copied())
        .collect();
    labels::keys(model.locale.text(), &keys)
}

/// `[ Отмена ]   Списать`: the focused button reversed and bracketed, so it shows without
/// colour.
pub fn buttons(cancel: &str, confirm: &str, focus: Button) -> Line<'static> {
    let button = |label: &str, on: bool| {
        if on {
            Span::styled(format!("▶[ {label} ]◀"), theme::selected())
        } else {
            Span::raw(format!("  {label}  "))
        }
    };
    Line::from(vec![
        button(cancel, focus == Button::Cancel),
        Span::raw("    "),
        button(confirm, focus == Button::Confirm),
    ])
    .centered()
}
