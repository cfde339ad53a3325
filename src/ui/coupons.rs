//! The client's coupons, expired ones said so in words.

use super::{pane_block, theme, truncate};
use crate::app::Model;
use crate::app::model::CardState;
use crate::domain::Coupon;
use crate::i18n::{fill, format_date};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

pub fn render(model: &Model, card: &CardState, frame: &mut Frame, area: Rect) {
    let t = model.locale.text();
    let coupons = &card.coupons;
    let mut title = t.coupons_title.to_string();
    if let Some(list) = &coupons.data {
        title = format!("{title} ({})", list.len());
    }
    let block = pane_block(model, None, title);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let lines: Vec<Line> = match (&coupons.data, &coupons.error) {
        (_, Some(e)) if !coupons.is_loading() => vec![Line::from(Span::styled(
            fill(t.failed, super::labels::error(t, e)),
            theme::danger(),
        ))],
        (None, _) => vec![Line::from(Span::styled(t.loading, theme::muted()))],
        (Some(list), _) if list.is_empty() => {
            vec![Line::from(Span::styled(t.coupons_empty, theme::muted()))]
        }
        (Some(list), _) => list
            .iter()
            .take(inner.height as usize)
            .map(|c| line(model, c, inner.width as usize))
            .collect(),
    };
    // A failure's sentence wraps at words rather than being cut (coupons are single lines).
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
}

/// `1234  Описание купона      до 01.02.2019` or `… ИСТЁК 01.02.2019`.
pub fn line(model: &Model, coupon: &Coupon, width: usize) -> Line<'static> {
    let t = model.locale.text();
    let expired = coupon.is_expired(model.now);
    let expiry = match coupon.expires_at {
        None => t.coupon_no_expiry.to_string(),
        Some(at) => {
            let date = format_date(model.locale, at, &model.tz);
            fill(
                if expired {
                    t.coupon_expired
                } else {
                    t.coupon_until
                },
                date,
            )
        }
    };
    let id = format!("{:<6}", coupon.id.0);
    let title_width = width.saturating_sub(id.chars().count() + expiry.chars().count() + 2);
    let title = truncate(&coupon.title, title_width);
    let pad = title_width.saturating_sub(unicode_width::UnicodeWidthStr::width(title.as_str()));
    Line::from(vec![
        Span::styled(id, theme::muted()),
        Span::raw(format!("{title}{} ", " ".repeat(pad))),
        Span::styled(
            expiry,
            if expired {
                theme::danger()
            } else {
                theme::plain()
            },
        ),
    ])
}
