//! «Баллы: сгорит N до DATE» and «Баллы: неактивно N до DATE»: the client card's and the REGOS operations'
//! line of points that burn soon and points not yet spendable. Only what the provider said:
//! an empty outlook draws nothing.

use super::theme;
use crate::app::Model;
use crate::domain::Currency;
use crate::domain::lots::{Dated, Outlook};
use crate::i18n::{Locale, fill, fill2, format_amount, format_date};
use jiff::Timestamp;
use ratatui::text::{Line, Span};

/// The outlook's lines: what burns soonest, then what is not yet spendable, each only
/// where the provider said it.
pub fn lines(model: &Model, outlook: &Outlook) -> Vec<Line<'static>> {
    let t = model.locale.text();
    // The currency is named as the card names its balances: «Баллы: сгорит 300,00 до 08.12».
    let said = |template: &str, d: &Dated| {
        let currency = match d.currency {
            Currency::Rubles => t.rubles,
            Currency::Points => t.points,
        };
        let amount = format_amount(model.locale, d.amount);
        fill(&fill2(template, currency, amount), day(model, d.at))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::fixtures::{NOW_MS, amount, model_at};

    /// Each sum is named by its currency, in both languages, as the command line says it.
    #[test]
    fn each_sum_names_its_currency() {
        let day = Timestamp::from_millisecond(NOW_MS).unwrap();
        let outlook = Outlook {
            expiring: vec![
                Dated {
                    currency: Currency::Points,
                    amount: amount("300"),
                    at: day,
                },
                Dated {
                    currency: Currency::Rubles,
                    amount: amount("20"),
                    at: day,
                },
            ],
            pending: vec![Dated {
                currency: Currency::Points,
                amount: amount("250"),
                at: day,
            }],
        };
        let said = |locale| {
            let model = model_at(locale, NOW_MS);
            lines(&model, &outlook)
                .iter()
                .map(|l| l.spans.iter().map(|s| s.content.to_string()).collect())
                .collect::<Vec<String>>()
        };
        assert_eq!(
            said(Locale::Ru),
            [
                "Баллы: сгорит 300,00 до 14.11  Рубли: сгорит 20,00 до 14.11",
                "Баллы: неактивно 250,00 до 14.11"
            ]
        );
        assert_eq!(
            said(Locale::En),
            [
                "Points: 300.00 expire on 11-14  Roubles: 20.00 expire on 11-14",
                "Points: 250.00 pending until 11-14"
            ]
        );
    }
}
