//! The create/edit group form.

use super::{centered, field, labels, theme};
use crate::app::Model;
use crate::app::model::{GroupField, GroupForm};
use crate::domain::admin::GroupKind;
use crate::i18n::fill;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

pub fn render(model: &Model, f: &GroupForm, frame: &mut Frame, area: Rect) {
    let t = model.locale.text();
    let rect = centered(area, 64, 12);
    frame.render_widget(Clear, rect);
    let title = match f.editing {
        None => t.group_new_title.to_string(),
        Some(id) => fill(t.group_edit_title, id),
    };
    let block = Block::bordered()
        .title(format!(" {title} "))
        .border_style(theme::focused());
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let row = |i: u16| Rect::new(inner.x + 1, inner.y + i, inner.width.saturating_sub(2), 1);
    // The labels' column is as wide as the longest label, so none runs into its field.
    let width = [
        t.field_name,
        t.field_kind,
        t.field_percent,
        t.field_birthday_bonus,
    ]
    .iter()
    .map(|l| unicode_width::UnicodeWidthStr::width(*l))
    .max()
    .unwrap_or(0)
        + 1;
    field::labelled(
        frame,
        row(1),
        (t.field_name, width),
        40,
        &f.name,
        f.field == GroupField::Name,
    );
    let kind_focused = f.field == GroupField::Kind;
    let marker = if kind_focused { "▶ " } else { "  " };
    let style = if kind_focused {
        theme::focused()
    } else {
        theme::plain()
    };
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(
                format!("{marker}{:<width$}", t.field_kind, width = width),
                style,
            ),
            Span::styled(
                format!(" ‹ {} › ", labels::group_kind(t, f.kind)),
                theme::key(),
            ),
            Span::styled(format!(" {}", t.kind_toggle_hint), theme::muted()),
        ])),
        row(2),
    );
    field::labelled(
        frame,
        row(3),
        (t.field_percent, width),
        10,
        &f.percent,
        f.field == GroupField::Percent,
    );
    match f.kind {
        GroupKind::Bonus => field::labelled(
            frame,
            row(4),
            (t.field_birthday_bonus, width),
            14,
            &f.birthday_bonus,
            f.field == GroupField::BirthdayBonus,
        ),
        GroupKind::Discount => frame.render_widget(
            Paragraph::new(Span::styled(
                format!(
                    "  {:<width$} {}",
                    t.field_birthday_bonus,
                    t.bonus_only_bonus,
                    width = width
                ),
                theme::muted(),
            )),
            row(4),
        ),
    }
    let status = if f.sending.is_some() {
        Some((t.saving.to_string(), theme::muted()))
    } else {
        f.problem.as_ref().map(|p| {
            (
                format!("! {}", labels::group_problem(model.locale, p)),
                theme::danger(),
            )
        })
    };
    if let Some((text, style)) = status {
        frame.render_widget(
            Paragraph::new(Span::styled(text, style)).wrap(Wrap { trim: true }),
            Rect {
                height: 3,
                ..row(6)
            },
        );
    }
}
