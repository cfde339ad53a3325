//! The client card head: who, and what they can spend. Also the welcome text when no client
//! is open.

use super::{pane_block, theme};
use crate::app::Model;
use crate::app::model::CardState;
use crate::domain::mask;
use crate::i18n::format_amount;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

pub fn render(model: &Model, card: &CardState, frame: &mut Frame, area: Rect) {
    let t = model.locale.text();
    let client = &card.client;
    let name = client.name.clone().unwrap_or_else(|| t.no_name.to_string());
    let block = pane_block(model, None, name);
    let inner = block.inner(area);
    frame.render_widget(block, area);

    let who = Line::from(vec![
        Span::styled(format!("{} ", t.card_id), theme::muted()),
        Span::raw(format!("{}   ", client.id.0)),
        Span::styled(format!("{} ", t.card_phone), theme::muted()),
        Span::raw(
            client
                .phone
                .as_deref()
                .map_or(t.none.to_string(), mask::phone),
        ),
    ]);
    let email = Line::from(vec![
        Span::styled(format!("{} ", t.card_email), theme::muted()),
        Span::raw(
            client
                .email
                .as_deref()
                .map_or(t.none.to_string(), mask::email),
        ),
    ]);
    let balance = match (&card.balance.data, &card.balance.error) {
        (_, Some(e)) if !card.balance.is_loading() => Line::from(Span::styled(
            crate::i18n::fill(t.failed, super::labels::error(t, e)),
            theme::danger(),
        )),
        (Some(b), _) => Line::from(vec![
            Span::styled(format!("{} ", t.points), theme::muted()),
            Span::styled(format_amount(model.locale, b.points), theme::money()),
            Span::raw("    "),
            Span::styled(format!("{} ", t.rubles), theme::muted()),
            Span::styled(
                format!("{} ₽", format_amount(model.locale, b.rubles)),
                theme::money(),
            ),
            Span::styled(
                if card.balance.is_loading() {
                    format!("   {}", t.loading)
                } else {
                    String::new()
                },
                theme::muted(),
            ),
        ]),
        (None, _) => Line::from(Span::styled(t.loading, theme::muted())),
    };
    let mut lines = vec![who, email, balance];
    lines.extend(outlook_lines(model, card));
    frame.render_widget(
        Paragraph::new(lines),
        Rect {
            x: inner.x + 1,
            width: inner.width.saturating_sub(1),
            ..inner
        },
    );
}

/// «сгорит»/«неактивно» under the balance, once the provider said something of them.
pub fn outlook_lines(model: &Model, card: &CardState) -> Vec<Line<'static>> {
    card.outlook
        .data
        .as_ref()
        .map_or_else(Vec::new, |o| super::outlook::lines(model, o))
}

pub fn render_welcome(model: &Model, frame: &mut Frame, area: Rect) {
    let t = model.locale.text();
    let block = pane_block(model, None, t.welcome_title.to_string());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let lines: Vec<Line> = t.welcome_lines.iter().map(|l| Line::from(*l)).collect();
    super::render_text(
        frame,
        Paragraph::new(lines).wrap(Wrap { trim: false }),
        Rect {
            x: inner.x + 1,
            y: inner.y + 1,
            width: inner.width.saturating_sub(2),
            height: inner.height.saturating_sub(1),
        },
    );
}
