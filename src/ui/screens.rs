//! The screens as the view knows them: one entry per screen with its F-key, its names, how it
//! draws, and the provider that enables it. A new screen is one
//! more entry here (and its own file beside this one).

use super::{accumulations, card_operations, cashier, groups, journal, registrations};
use crate::app::Model;
use crate::app::model::Screen;
use ratatui::Frame;
use ratatui::layout::Rect;

/// The tabs list the screens in this table's order; the key that shows each is the
/// keymap's (`Action::Show`).
pub struct ScreenView {
    pub screen: Screen,
    pub render: fn(&Model, &mut Frame, Rect),
    /// Who provides its data and the configuration that adds them; empty when it is local.
    pub provider: &'static str,
    pub config: &'static [&'static str],
}

pub const SCREENS: [ScreenView; 6] = [
    ScreenView {
        screen: Screen::Clients,
        render: cashier::render,
        provider: "ext",
        config: &[
            "[profiles.{profile}.ext]",
            "base_url = \"https://…\"",
            "token_env = \"LOYALTY_EXT_TOKEN\"",
        ],
    },
    ScreenView {
        screen: Screen::Groups,
        render: groups::render,
        provider: "Poster",
        config: POSTER,
    },
    ScreenView {
        screen: Screen::Accumulations,
        render: accumulations::render,
        provider: "Poster",
        config: POSTER,
    },
    ScreenView {
        screen: Screen::Registrations,
        render: registrations::render,
        provider: "Mloyalty",
        config: &[
            "[profiles.{profile}.mloyalty]",
            "base_url = \"https://…/lcmanagerpartner/\"",
            "username = \"manager\"",
            "password_env = \"MLOYALTY_PASSWORD\"",
        ],
    },
    ScreenView {
        screen: Screen::CardOperations,
        render: card_operations::render,
        provider: "REGOS",
        config: &[
            "[profiles.{profile}.regos]",
            "base_url = \"https://integration.regos.uz\"",
            "integration_key_env = \"REGOS_INTEGRATION_KEY\"",
        ],
    },
    ScreenView {
        screen: Screen::Journal,
        render: journal::render,
        // The journal is local and always there.
        provider: "",
        config: &[],
    },
];

const POSTER: &[&str] = &[
    "[profiles.{profile}.poster]",
    "base_url = \"https://shop.joinposter.com\"",
    "token_env = \"POSTER_TOKEN\"",
];

/// The entry of a screen. Every screen has one (a test checks `Screen::ALL`); should one be
/// missing, the first entry is drawn rather than the console stopping.
pub fn view(screen: Screen) -> &'static ScreenView {
    SCREENS
        .iter()
        .find(|v| v.screen == screen)
        .unwrap_or(&SCREENS[0])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_screen_has_one_entry_and_its_own_key() {
        for &screen in Screen::ALL {
            assert_eq!(SCREENS.iter().filter(|e| e.screen == screen).count(), 1);
            assert_eq!(view(screen).screen, screen);
        }
        assert_eq!(SCREENS.len(), Screen::ALL.len());
        let keymap = crate::app::keys::Keymap::default();
        let keys: std::collections::BTreeSet<String> = SCREENS
            .iter()
            .map(|v| {
                let shows = keymap.keys_of(
                    crate::app::keys::Scope::Global,
                    crate::app::keys::Action::Show(v.screen),
                );
                format!("{shows:?}")
            })
            .collect();
        assert_eq!(keys.len(), SCREENS.len(), "one key per screen");
    }
}
