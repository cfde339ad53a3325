//! «сгорит N до DATE» and «неактивно N до DATE»: the client card's and the REGOS operations'
//! line of points that burn soon and points not yet spendable. Only what the provider said:
//! an empty outlook draws nothing.

use super::theme;
use crate::app::Model;
use crate::domain::Currency;
use crate::domain::lots::{Dated, Outlook};
use crate::i18n::{fill2, format_amount, format_date};
use ratatui::text::{Line, Span};

/// The outlook on one line, or `None` when it says nothing.
pub fn line(model: &Model, outlook: &Outlook) -> Option<Line<'static>> {
    let t = model.locale.text();
    let said = |template: &str, d: &Dated| {
        let amount = format_amount(model.locale, d.amount);
        let amount = match d.currency {
            Currency::Rubles => format!("{amount} ₽"),
            Currency::Points => amount,
        };
        fill2(template, amount, format_date(model.locale, d.at, &model.tz))
    };
    let mut spans = Vec::new();
    for (style, text) in outlook
        .expiring
        .iter()
        .map(|d| (theme::danger(), said(t.codes.outlook_expiring, d)))
        .chain(
            outlook
                .pending
                .iter()
                .map(|d| (theme::muted(), said(t.codes.outlook_pending, d))),
        )
    {
        if !spans.is_empty() {
            spans.push(Span::raw("   "));
        }
        spans.push(Span::styled(text, style));
    }
    (!spans.is_empty()).then(|| Line::from(spans))
}
