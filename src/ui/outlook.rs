//! «сгорит N до DATE» and «неактивно N до DATE»: the client card's and the REGOS operations'
//! line of points that burn soon and points not yet spendable. Only what the provider said:
//! an empty outlook draws nothing.

use super::theme;
use crate::app::Model;
use crate::domain::Currency;
use crate::domain::lots::{Dated, Outlook};
use crate::i18n::{Locale, fill2, format_amount, format_date};
use jiff::Timestamp;
use ratatui::text::{Line, Span};

/// The outlook's lines: what burns soonest, then what is not yet spendable, each only
/// where the provider said it.
pub fn lines(model: &Model, outlook: &Outlook) -> Vec<Line<'static>> {
    let t = model.locale.text();
    let said = |template: &str, d: &Dated| {
        let amount = format_amount(model.locale, d.amount);
        let amount = match d.currency {
            Currency::Rubles => format!("{amount} ₽"),
            Currency::Points => amount,
        };
        fill2(template, amount, day(model, d.at))
    };
    [
        (&outlook.expiring, t.codes.outlook_expiring, theme::danger()),
        (&outlook.pending, t.codes.outlook_pending, theme::muted()),
    ]
    .into_iter()
    .filter(|(dated, _, _)| !dated.is_empty())
    .map(|(dated, template, style)| {
        let text: Vec<String> = dated.iter().map(|d| said(template, d)).collect();
        Line::from(Span::styled(text.join("  "), style))
    })
    .collect()
}

/// The day in the profile's zone, without the year when it is this year's (`09.12`), so
/// that both sums fit beside each other on the card.
fn day(model: &Model, at: Timestamp) -> String {
    let date = at.to_zoned(model.tz.clone()).date();
    if date.year() != model.now.to_zoned(model.tz.clone()).date().year() {
        return format_date(model.locale, at, &model.tz);
    }
    match model.locale {
        Locale::Ru => date.strftime("%d.%m").to_string(),
        Locale::En => date.strftime("%m-%d").to_string(),
    }
}
