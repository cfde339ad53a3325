//! The look: `theme = "dark" | "light" | "mono"`, or a `[theme]` table with a `base` and a
//! colour per role. `NO_COLOR` (any value) selects `mono` whatever the file says.

use super::ConfigError;
use ratatui::style::Color;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ThemeName {
    #[default]
    Dark,
    Light,
    Mono,
}

/// What a colour is for on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The pane or field that has the keyboard.
    Focus,
    /// Key names in the hint bar and the help.
    Label,
    /// Errors, expired coupons, what cannot be undone.
    Danger,
    /// Done, written off, saved.
    Ok,
    /// Secondary text: hints, placeholders, empty cells.
    Muted,
}

/// The roles by the names the file gives them.
pub const ROLES: [(&str, Role); 5] = [
    ("focus", Role::Focus),
    ("label", Role::Label),
    ("danger", Role::Danger),
    ("ok", Role::Ok),
    ("muted", Role::Muted),
];

/// The theme chosen, with the colours the file gives per role (in `ROLES` order).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ThemeSettings {
    pub base: ThemeName,
    pub colours: Vec<(Role, Color)>,
}

fn name(text: &str, at: &str) -> Result<ThemeName, ConfigError> {
    match text {
        "dark" => Ok(ThemeName::Dark),
        "light" => Ok(ThemeName::Light),
        "mono" => Ok(ThemeName::Mono),
        other => Err(ConfigError(format!(
            "{at} = {other:?}: a theme is \"dark\", \"light\" or \"mono\""
        ))),
    }
}

impl ThemeSettings {
    /// From the file's `theme` value (absent: dark) and whether `NO_COLOR` is set.
    pub fn from_file(value: Option<&toml::Value>, no_color: bool) -> Result<Self, ConfigError> {
        let mut settings = match value {
            None => ThemeSettings::default(),
            Some(toml::Value::String(s)) => ThemeSettings {
                base: name(s, "theme")?,
                colours: Vec::new(),
            },
            Some(toml::Value::Table(table)) => {
                let mut settings = ThemeSettings::default();
                for (key, value) in table {
                    let at = format!("theme.{key}");
                    let text = value.as_str().ok_or_else(|| {
                        ConfigError(format!("{at}: a string is expected, not {value}"))
                    })?;
                    if key == "base" {
                        settings.base = name(text, &at)?;
                        continue;
                    }
                    let (_, role) = ROLES.iter().find(|(r, _)| r == key).ok_or_else(|| {
                        let names: Vec<&str> = ROLES.iter().map(|(r, _)| *r).collect();
                        ConfigError(format!(
                            "{at}: no such role; the roles are {}",
                            names.join(", ")
                        ))
                    })?;
                    let colour = Color::from_str(text).map_err(|_| {
                        ConfigError(format!(
                            "{at} = {text:?}: not a colour (a name such as \"cyan\" or \
                             \"light-red\", \"#rrggbb\", or 0-255)"
                        ))
                    })?;
                    settings.colours.push((*role, colour));
                }
                settings
            }
            Some(other) => {
                return Err(ConfigError(format!(
                    "theme = {other}: give a name (\"dark\", \"light\", \"mono\") or a [theme] table"
                )));
            }
        };
        if no_color {
            // NO_COLOR's promise is no colour at all: the file's colours go too.
            settings = ThemeSettings {
                base: ThemeName::Mono,
                colours: Vec::new(),
            };
        }
        Ok(settings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str, no_color: bool) -> Result<ThemeSettings, ConfigError> {
        let table: toml::Table = toml::from_str(text).unwrap();
        ThemeSettings::from_file(table.get("theme"), no_color)
    }

    #[test]
    fn a_name_or_a_table_of_roles() {
        assert_eq!(parse("", false).unwrap(), ThemeSettings::default());
        assert_eq!(
            parse("theme = \"light\"", false).unwrap().base,
            ThemeName::Light
        );
        let t = parse(
            "[theme]\nbase = \"light\"\nfocus = \"magenta\"\nmuted = \"#808080\"\nok = \"28\"",
            false,
        )
        .unwrap();
        assert_eq!(t.base, ThemeName::Light);
        assert_eq!(
            t.colours,
            [
                (Role::Focus, Color::Magenta),
                (Role::Muted, Color::Rgb(0x80, 0x80, 0x80)),
                (Role::Ok, Color::Indexed(28)),
            ]
        );
    }

    #[test]
    fn no_color_wins_over_the_file() {
        let t = parse("[theme]\nbase = \"dark\"\nfocus = \"red\"", true).unwrap();
        assert_eq!(t.base, ThemeName::Mono);
        assert!(t.colours.is_empty());
    }

    #[test]
    fn mistakes_name_the_key() {
        for (text, said) in [
            ("theme = \"solarized\"", "theme = \"solarized\""),
            (
                "[theme]\nfocus = \"blu\"",
                "theme.focus = \"blu\": not a colour",
            ),
            (
                "[theme]\nhighlight = \"red\"",
                "theme.highlight: no such role",
            ),
            ("[theme]\nbase = \"neon\"", "theme.base = \"neon\""),
            ("[theme]\nok = 5", "theme.ok: a string is expected"),
            ("theme = 3", "theme = 3"),
        ] {
            let e = parse(text, false).unwrap_err().0;
            assert!(e.contains(said), "{text}: {e}");
        }
    }
}
