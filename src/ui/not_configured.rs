//! What a screen without its provider shows: which provider, and the config that adds it.

use super::{labels, pane_block, theme};
use crate::app::Model;
use crate::app::model::Screen;
use crate::i18n::fill;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

fn provider(screen: Screen) -> (&'static str, &'static [&'static str]) {
    match screen {
        // The journal is local and always there.
        Screen::Journal => ("", &[]),
        Screen::Clients => (
            "ext",
            &[
                "[profiles.shop.ext]",
                "base_url = \"https://…\"",
                "token_env = \"LOYALTY_EXT_TOKEN\"",
            ],
        ),
        Screen::Groups | Screen::Accumulations => (
            "Poster",
            &[
                "[profiles.shop.poster]",
                "base_url = \"https://shop.joinposter.com\"",
                "token_env = \"POSTER_TOKEN\"",
            ],
        ),
        Screen::Registrations => (
            "Mloyalty",
            &[
                "[profiles.shop.mloyalty]",
                "base_url = \"https://…/lcmanagerpartner/\"",
                "username = \"manager\"",
                "password_env = \"MLOYALTY_PASSWORD\"",
            ],
        ),
        Screen::CardOperations => (
            "REGOS",
            &[
                "[profiles.shop.regos]",
                "base_url = \"https://integration.regos.uz\"",
                "integration_key_env = \"REGOS_INTEGRATION_KEY\"",
            ],
        ),
    }
}

pub fn render(model: &Model, screen: Screen, frame: &mut Frame, area: Rect) {
    let t = model.locale.text();
    let (name, snippet) = provider(screen);
    let block = pane_block(model, None, labels::screen(t, screen).to_string());
    let mut lines = vec![
        Line::from(Span::styled(fill(t.not_configured, name), theme::danger())),
        Line::default(),
        Line::from(t.not_configured_hint),
        Line::default(),
    ];
    lines.extend(
        snippet
            .iter()
            .map(|l| Line::from(Span::styled(format!("  {l}"), theme::key()))),
    );
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}
