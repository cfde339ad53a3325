//! The write-off's confirmation, which repeats everything (and the receipt's lines) with
//! Cancel focused, and the same box while it is sent, checked, and once the check judged.

use super::super::{centered, labels, theme, truncate};
use super::{WIDTH, buttons, client_line, dialog_block, scope_keys};
use crate::app::Model;
use crate::app::keys::{Action, Scope};
use crate::app::model::{Button, Verdict, WriteOffDialog};
use crate::domain::{Amount, WriteOff};
use crate::i18n::{fill, fill2, format_amount};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

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
            fill(t.money.receipt_for, truncate(&receipt.number, 40)),
            theme::key(),
        )),
        row(t.money.receipt_total, receipt.total),
        row(t.money.receipt_paid_points, paid(request.points)),
        row(t.money.receipt_paid_rubles, paid(request.rubles)),
        row(t.money.receipt_to_pay, to_pay),
    ]
}

/// What the confirmation waits for.
pub(super) enum Waiting {
    Consent(Button),
    Sending,
    Checking,
    Checked(Verdict),
}

pub(super) fn render(
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
        Waiting::Consent(_) => t.money.confirm_title,
        Waiting::Sending => t.money.sending_title,
        Waiting::Checking => t.money.checking_title,
        Waiting::Checked(Verdict::NotApplied) => t.money.not_applied_title,
        Waiting::Checked(Verdict::Unclear(_)) => t.money.unclear_title,
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
        Waiting::Consent(_) => t.money.confirm_question,
        _ => t.money.sent_question,
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
        Waiting::Consent(focus) => {
            lines.push(buttons(t.button_cancel, t.money.button_confirm, focus))
        }
        Waiting::Sending => lines.push(Line::from(Span::styled(t.sending, theme::muted()))),
        Waiting::Checking => {
            lines.push(Line::from(Span::styled(t.money.checking, theme::danger())))
        }
        Waiting::Checked(Verdict::NotApplied) => {
            lines.push(Line::from(Span::styled(
                t.money.checked_not_applied,
                theme::danger(),
            )));
            let again = [Action::Confirm, Action::Submit]
                .map(|a| scope_keys(model, Scope::WriteOffConfirm, a))
                .join("/");
            lines.push(Line::from(fill2(
                t.money.checked_retry,
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
                t.money.checked_anew,
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
