//! The code step: what the write-off is, where the code went and until when, the code the
//! client reads out (digits shown: they are said aloud anyway), the manager's PIN that may
//! stand in for it (dots only), and what went wrong.

use super::super::{centered, field, labels, theme, truncate};
use super::{WIDTH, client_line, dialog_block, scope_keys};
use crate::app::Model;
use crate::app::keys::{Action, Scope};
use crate::app::model::{CodeField, CodeProblem, CodeStep, WriteOffDialog};
use crate::domain::text::clean;
use crate::i18n::{Text, fill, format_datetime};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Clear, Paragraph, Wrap};
use tui_input::Input;
use unicode_width::UnicodeWidthStr;

pub(super) fn render(
    model: &Model,
    d: &WriteOffDialog,
    step: &CodeStep,
    frame: &mut Frame,
    area: Rect,
) {
    let t = model.locale.text();
    let rect = centered(area, WIDTH, 12);
    frame.render_widget(Clear, rect);
    let title_room = (WIDTH as usize).saturating_sub(t.codes.code_title.width() + 2);
    let who = client_line(t, &d.client, title_room, false);
    let block = dialog_block(fill(t.codes.code_title, who), false);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let width = inner.width.saturating_sub(2);
    let at = |i: u16| Rect::new(inner.x + 1, inner.y + i, width, 1);

    let amounts = fill(
        t.codes.code_amounts,
        labels::write_off(model.locale, &step.request),
    );
    frame.render_widget(
        Paragraph::new(Span::styled(
            truncate(&amounts, width as usize),
            theme::money(),
        )),
        at(0),
    );
    let (status, style) = status(model, step);
    frame.render_widget(
        Paragraph::new(Span::styled(status, style)).wrap(Wrap { trim: true }),
        Rect { height: 2, ..at(2) },
    );
    if step.checkable {
        let resend = scope_keys(model, Scope::WriteOffCode, Action::ResendCode);
        frame.render_widget(
            Paragraph::new(Span::styled(
                fill(t.codes.code_resend_hint, resend),
                theme::muted(),
            )),
            at(4),
        );
        let label = t.codes.code_field;
        field::labelled(
            frame,
            at(5),
            (label, 15),
            12,
            &d.code,
            step.field == CodeField::Code,
        );
    }
    // Only as many dots as digits typed: a PIN never reaches the screen.
    let masked = Input::new("•".repeat(d.code_pin.len()));
    field::labelled(
        frame,
        at(6),
        (t.codes.code_pin_field, 15),
        12,
        &masked,
        step.field == CodeField::Pin,
    );
    if step.checkable {
        let tab = scope_keys(model, Scope::WriteOffCode, Action::NextField);
        frame.render_widget(
            Paragraph::new(Span::styled(
                format!("  {}", fill(t.codes.code_pin_instead, tab)),
                theme::muted(),
            )),
            at(7),
        );
    }
    if let Some(p) = &step.problem {
        frame.render_widget(
            Paragraph::new(Span::styled(
                format!("! {}", problem(t, p)),
                theme::danger(),
            ))
            .wrap(Wrap { trim: true }),
            Rect { height: 2, ..at(8) },
        );
    }
}

/// What the step is waiting for, or where the code went.
fn status(model: &Model, step: &CodeStep) -> (String, ratatui::style::Style) {
    let t = model.locale.text();
    if !step.checkable {
        return (
            t.codes.code_uncheckable_manager.to_string(),
            theme::danger(),
        );
    }
    if step.checking.is_some() {
        return (t.codes.code_checking.to_string(), theme::muted());
    }
    if step.sending.is_some() {
        return (t.codes.code_sending.to_string(), theme::muted());
    }
    let Some(sent) = &step.sent else {
        return (String::new(), theme::plain());
    };
    // The masked phone is the vendor's text: cleaned of anything a terminal would act on.
    let mut said = match sent.to.as_deref().map(clean) {
        Some(to) if !to.trim().is_empty() => fill(t.codes.code_sent_to, truncate(&to, 24)),
        _ => t.codes.code_sent.to_string(),
    };
    if let Some(until) = sent.expires_at {
        let time = format_datetime(model.locale, until, &model.tz);
        // The day is today's while a code lives minutes: only the time is said.
        let time = time.rsplit(' ').next().unwrap_or(&time).to_string();
        said.push_str(&fill(t.codes.code_valid_until, time));
    }
    (said, theme::key())
}

fn problem(t: &Text, p: &CodeProblem) -> String {
    match p {
        CodeProblem::Malformed => t.codes.code_malformed.to_string(),
        CodeProblem::PinMissing => t.money.problem_pin.to_string(),
        CodeProblem::Wait(seconds) => fill(t.codes.code_wait, seconds),
        // A reason's sentence says already that the code was not sent.
        CodeProblem::NotSent(e) if e.reason.is_none() => {
            fill(t.codes.code_not_sent, labels::error(t, e))
        }
        CodeProblem::NotSent(e) | CodeProblem::Refused(e) => {
            fill(t.codes.code_refused, labels::refusal(t, e))
        }
    }
}
