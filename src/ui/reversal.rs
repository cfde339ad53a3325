//! The reversal dialog (сторно): the original (when, who, amounts, receipt, what is left),
//! the form, then the confirmation with Cancel focused; sending and checking states that
//! cannot be confirmed again.

use super::write_off::{buttons, dialog_block, scope_keys};
use super::{centered, field, labels, theme, truncate};
use crate::app::Model;
use crate::app::keys::{Action, Scope};
use crate::app::model::{ReversalDialog, ReversalField, ReversalStep, ReversalVerdict};
use crate::domain::reversal::{Operation, Who};
use crate::domain::{Amount, Currency, Reversal};
use crate::i18n::{fill, fill2, format_amount, format_datetime};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};
use tui_input::Input;

const WIDTH: u16 = 68;
/// Labels are padded to this many columns, so the fields line up.
const LABEL: usize = 14;

pub fn render(model: &Model, d: &ReversalDialog, frame: &mut Frame, area: Rect) {
    let t = model.locale.text();
    let m = &t.money;
    let title = fill(m.reversal_title, d.operation);
    match (&d.step, &d.original) {
        (ReversalStep::Form, Some(original)) => render_form(model, d, original, frame, area),
        (ReversalStep::Loading { .. } | ReversalStep::Form, _) => {
            message(frame, area, title, m.rev_loading.to_string(), false)
        }
        (ReversalStep::Unreadable(e), _) => message(
            frame,
            area,
            title,
            fill(t.failed, labels::error(t, e)),
            true,
        ),
        (ReversalStep::Confirm { request, focus, .. }, _) => {
            let lines = vec![buttons(t.button_cancel, m.button_reverse, *focus)];
            render_request(
                model,
                d,
                request,
                m.rev_confirm_question,
                lines,
                frame,
                area,
            )
        }
        (ReversalStep::Sending { request, .. }, _) => {
            let lines = vec![Line::from(Span::styled(t.sending, theme::muted()))];
            render_request(model, d, request, m.rev_sent_question, lines, frame, area)
        }
        (ReversalStep::Checking { request, .. }, _) => {
            let lines = vec![Line::from(Span::styled(m.rev_checking, theme::danger()))];
            render_request(model, d, request, m.rev_sent_question, lines, frame, area)
        }
        (
            ReversalStep::Checked {
                request,
                verdict: ReversalVerdict::NotApplied,
                ..
            },
            _,
        ) => {
            let again = [Action::Confirm, Action::Submit]
                .map(|a| scope_keys(model, Scope::ReversalConfirm, a))
                .join("/");
            let lines = vec![
                Line::from(Span::styled(m.rev_checked_not_applied, theme::danger())),
                Line::from(fill2(
                    m.checked_retry,
                    again,
                    scope_keys(model, Scope::ReversalConfirm, Action::Cancel),
                )),
            ];
            render_request(model, d, request, m.rev_sent_question, lines, frame, area)
        }
        (
            ReversalStep::Checked {
                request,
                verdict: ReversalVerdict::Unclear,
                ..
            },
            _,
        ) => {
            let lines = vec![Line::from(Span::styled(
                m.rev_checked_unclear,
                theme::danger(),
            ))];
            render_request(model, d, request, m.rev_sent_question, lines, frame, area)
        }
    }
}

/// A small popup of one sentence: loading, or why the original cannot be read.
fn message(frame: &mut Frame, area: Rect, title: String, text: String, danger: bool) {
    let rect = centered(area, WIDTH, 5);
    frame.render_widget(Clear, rect);
    let block = dialog_block(title, danger);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let style = if danger {
        theme::danger()
    } else {
        theme::muted()
    };
    frame.render_widget(
        Paragraph::new(Span::styled(text, style)).wrap(Wrap { trim: true }),
        Rect::new(
            inner.x + 1,
            inner.y + 1,
            inner.width.saturating_sub(2),
            inner.height.saturating_sub(1),
        ),
    );
}

/// Who made a movement: the cashier's login and the till's principal, and the manager.
pub fn who(who: &Who) -> String {
    let cashier = match (&who.login, &who.principal) {
        (Some(login), Some(principal)) => format!("{login} ({principal})"),
        (Some(one), None) | (None, Some(one)) => one.clone(),
        (None, None) => String::new(),
    };
    match &who.manager {
        Some(manager) if !cashier.is_empty() => format!("{cashier}, {manager}"),
        Some(manager) => manager.clone(),
        None => cashier,
    }
}

/// The original's lines above the form: when and who, its receipt, what is left.
fn original_lines(model: &Model, op: &Operation, width: usize) -> Vec<Line<'static>> {
    let t = model.locale.text();
    let locale = model.locale;
    let label = |text: &str| Span::styled(format!("{text:<LABEL$}"), theme::muted());
    let room = width.saturating_sub(LABEL);
    let taken = [
        (Currency::Points, op.points, op.left(Currency::Points)),
        (Currency::Rubles, op.rubles, op.left(Currency::Rubles)),
    ];
    let amounts: Vec<String> = taken
        .iter()
        .filter(|(_, a, _)| a.is_positive())
        .map(|(c, a, _)| format!("{} {}", labels::currency(t, *c), format_amount(locale, *a)))
        .collect();
    let mut when = format_datetime(locale, op.at, &model.tz);
    let by = who(&op.who);
    if !by.is_empty() {
        when = format!("{when} · {by}");
    }
    let mut lines = vec![
        Line::from(vec![
            label(t.money.rev_original),
            Span::raw(truncate(&when, room)),
        ]),
        Line::from(vec![
            label(""),
            Span::styled(truncate(&amounts.join(" · "), room), theme::money()),
        ]),
    ];
    if let Some(receipt) = &op.receipt {
        let text = format!(
            "№ {} · {} ₽",
            receipt.number,
            format_amount(locale, receipt.total)
        );
        lines.push(Line::from(vec![
            label(t.money.rev_receipt),
            Span::raw(truncate(&text, room)),
        ]));
    }
    let mut left: Vec<String> = taken
        .iter()
        .map(|(c, _, left)| {
            format!(
                "{} {}",
                labels::currency(t, *c),
                format_amount(locale, *left)
            )
        })
        .collect();
    let coupons = op.coupons_left();
    if !coupons.is_empty() {
        let ids: Vec<String> = coupons.iter().map(|c| c.0.to_string()).collect();
        left.push(format!("{} {}", t.coupons_title, ids.join(", ")));
    }
    lines.push(Line::from(vec![
        label(t.money.rev_left),
        Span::styled(truncate(&left.join(" · "), room), theme::money()),
    ]));
    lines
}

fn render_form(
    model: &Model,
    d: &ReversalDialog,
    original: &Operation,
    frame: &mut Frame,
    area: Rect,
) {
    let t = model.locale.text();
    let head = original_lines(model, original, WIDTH as usize - 4);
    let has_coupons = !original.coupons_left().is_empty();
    let head_rows = head.len() as u16;
    // The head, a blank row, the amounts, the coupons, the reason, the note, the PIN, a
    // blank row and two for a problem.
    let rows = head_rows + 1 + 2 + u16::from(has_coupons) + 3 + 3;
    let rect = centered(area, WIDTH, rows + 2);
    frame.render_widget(Clear, rect);
    let block = dialog_block(fill(t.money.reversal_title, d.operation), true);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let row = |i: u16| Rect::new(inner.x + 1, inner.y + i, inner.width.saturating_sub(2), 1);
    frame.render_widget(
        Paragraph::new(head),
        Rect {
            height: head_rows,
            ..row(0)
        },
    );
    let mut at = head_rows + 1;
    for (field, input) in [
        (ReversalField::Points, &d.points),
        (ReversalField::Rubles, &d.rubles),
    ] {
        let label = labels::reversal_field(t, field);
        field::labelled(frame, row(at), (label, LABEL), 22, input, d.field == field);
        at += 1;
    }
    if has_coupons {
        let focused = d.field == ReversalField::Coupons;
        let mark = if d.coupons_back { "[x]" } else { "[ ]" };
        let keys = scope_keys(model, Scope::ReversalForm, Action::ToggleCoupon);
        let text = format!(
            "{}{:<LABEL$}{mark} {} ({keys})",
            marker(focused),
            t.coupons_title,
            t.action_coupons_back
        );
        frame.render_widget(Paragraph::new(Span::styled(text, style(focused))), row(at));
        at += 1;
    }
    let focused = d.field == ReversalField::Reason;
    field::reason(
        frame,
        row(at),
        (t.money.rev_reason, LABEL),
        t,
        d.reason,
        focused,
    );
    at += 1;
    let field = ReversalField::Note;
    let label = labels::reversal_field(t, field);
    field::labelled(
        frame,
        row(at),
        (label, LABEL),
        48,
        &d.note,
        d.field == field,
    );
    at += 1;
    // Only as many dots as digits typed: the digits never reach the screen.
    let masked = Input::new("•".repeat(d.pin.len()));
    let field = ReversalField::Pin;
    let label = labels::reversal_field(t, field);
    field::labelled(
        frame,
        row(at),
        (label, LABEL),
        14,
        &masked,
        d.field == field,
    );
    at += 2;
    if let Some(p) = &d.problem {
        frame.render_widget(
            Paragraph::new(Span::styled(
                format!("! {}", labels::reversal_problem(model.locale, p)),
                theme::danger(),
            ))
            .wrap(Wrap { trim: true }),
            Rect {
                height: 2,
                ..row(at)
            },
        );
    }
}

fn marker(focused: bool) -> &'static str {
    if focused { "▶ " } else { "  " }
}

fn style(focused: bool) -> ratatui::style::Style {
    if focused {
        theme::focused()
    } else {
        theme::plain()
    }
}

/// The request as the confirmation and the states after it show it, then `tail`.
fn render_request(
    model: &Model,
    d: &ReversalDialog,
    request: &Reversal,
    question: &str,
    tail: Vec<Line<'static>>,
    frame: &mut Frame,
    area: Rect,
) {
    let t = model.locale.text();
    let locale = model.locale;
    let label = |text: &str| Span::styled(format!("{text:<LABEL$}"), theme::muted());
    let amount = |a: Option<Amount>, suffix: &str| {
        a.map_or(t.none.to_string(), |a| {
            format!("{}{suffix}", format_amount(locale, a))
        })
    };
    let coupons = if request.coupons.is_empty() {
        t.none.to_string()
    } else {
        let ids: Vec<String> = request.coupons.iter().map(|c| c.0.to_string()).collect();
        ids.join(", ")
    };
    let mut why = crate::i18n::describe::reason_code(t, request.why.code).to_string();
    if let Some(note) = &request.why.note {
        why = format!("{why}: {note}");
    }
    let width = WIDTH as usize - 4 - LABEL;
    let mut lines = vec![
        Line::from(Span::styled(question.to_string(), theme::key())),
        Line::default(),
        Line::from(vec![
            label(t.money.rev_original),
            Span::raw(format!("{} · {} {}", d.operation, t.card_id, d.client.0)),
        ]),
        Line::from(vec![
            label(t.points),
            Span::styled(amount(request.points, ""), theme::money()),
        ]),
        Line::from(vec![
            label(t.rubles),
            Span::styled(amount(request.rubles, " ₽"), theme::money()),
        ]),
        Line::from(vec![label(t.coupons_title), Span::raw(coupons)]),
        Line::from(vec![
            label(t.money.rev_reason),
            Span::raw(truncate(&why, width)),
        ]),
        Line::default(),
    ];
    lines.extend(tail);
    let rect = centered(area, WIDTH, lines.len() as u16 + 4);
    frame.render_widget(Clear, rect);
    let block = dialog_block(fill(t.money.reversal_title, d.operation), true);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
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
