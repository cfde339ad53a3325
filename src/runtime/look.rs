//! The config's theme as the palette the views draw with.

use crate::config::{Role, ThemeName, ThemeSettings};
use crate::ui::theme::{self, Palette};

/// The palette of the theme, with the file's colours by role over it.
pub fn palette(settings: &ThemeSettings) -> Palette {
    let mut palette = match settings.base {
        ThemeName::Dark => Palette::DARK,
        ThemeName::Light => Palette::LIGHT,
        ThemeName::Mono => Palette::MONO,
    };
    for (role, colour) in &settings.colours {
        let slot = match role {
            Role::Focus => &mut palette.focus,
            Role::Label => &mut palette.label,
            Role::Danger => &mut palette.danger,
            Role::Ok => &mut palette.ok,
            Role::Muted => &mut palette.muted,
        };
        *slot = Some(*colour);
    }
    palette
}

/// Draws with the theme on this thread, the one that renders, from now on.
pub fn install(settings: &ThemeSettings) {
    theme::install(palette(settings));
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::Color;

    #[test]
    fn the_files_colours_go_over_the_base() {
        let settings = ThemeSettings {
            base: ThemeName::Light,
            colours: vec![
                (Role::Focus, Color::Magenta),
                (Role::Muted, Color::Indexed(244)),
            ],
        };
        let p = palette(&settings);
        assert_eq!(p.focus, Some(Color::Magenta));
        assert_eq!(p.muted, Some(Color::Indexed(244)));
        assert_eq!(p.danger, Palette::LIGHT.danger);
    }

    #[test]
    fn no_theme_draws_text_in_ansi_8_alone() {
        for p in [Palette::DARK, Palette::LIGHT, Palette::MONO] {
            for c in [p.focus, p.label, p.danger, p.ok, p.muted] {
                assert_ne!(c, Some(Color::DarkGray), "{p:?}");
            }
        }
    }
}
