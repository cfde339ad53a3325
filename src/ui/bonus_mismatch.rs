//! Poster stored another birthday bonus than the one saved: the dialog says both amounts in
//! plain words and, when a unit explains the difference, offers to send it again. Cancel has
//! the focus.

use super::{labels, theme, write_off};
use crate::app::Model;
use crate::app::model::BonusMismatch;
use crate::i18n::{fill, fill2, format_amount};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

pub fn render(model: &Model, b: &BonusMismatch, frame: &mut Frame, area: Rect) {
    let t = model.locale.text();
    let inner = super::danger_dialog(frame, area, (64, 13), t.bonus_mismatch_title);
    let amounts = fill2(
        t.bonus_mismatch_amounts,
        format_amount(model.locale, b.meant),
        format_amount(model.locale, b.stored),
    );
    let mut lines = vec![
        Line::from(Span::styled(
            fill(t.bonus_mismatch_what, &b.name),
            theme::key(),
        )),
        Line::from(Span::styled(amounts, theme::danger())),
        Line::default(),
        Line::from(if b.fix.is_some() {
            t.bonus_mismatch_fix
        } else {
            t.bonus_mismatch_no_fix
        }),
        Line::default(),
    ];
    if let Some(e) = &b.problem {
        lines.push(Line::from(Span::styled(
            format!("! {}", labels::error(t, e)),
            theme::danger(),
        )));
    }
    lines.push(match (b.sending, &b.fix) {
        (Some(_), _) => Line::from(Span::styled(t.correcting, theme::muted())),
        (None, Some(_)) => write_off::buttons(t.button_cancel, t.button_correct, b.focus),
        (None, None) => Line::from(t.money.checked_close).centered(),
    });
    super::dialog_text(frame, inner, lines);
}
