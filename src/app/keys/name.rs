//! Keys as `keys.toml` writes them: `w`, `F9`, `ctrl-c`, `alt-backspace`, `pagedown`,
//! `space`. Parsing accepts any case and the usual aliases (`C-c`, `esc`, `pgdn`); printing
//! gives one canonical name, which parses back to the same key.

use super::key::{Key, KeyCode, Modifiers};

/// Named keys: the canonical name first, then aliases.
const NAMED: &[(KeyCode, &[&str])] = &[
    (KeyCode::Enter, &["enter", "return", "ret"]),
    (KeyCode::Esc, &["esc", "escape"]),
    (KeyCode::Tab, &["tab"]),
    (KeyCode::BackTab, &["backtab", "shift-tab", "s-tab"]),
    (KeyCode::Backspace, &["backspace", "bs"]),
    (KeyCode::Delete, &["delete", "del"]),
    (KeyCode::Left, &["left"]),
    (KeyCode::Right, &["right"]),
    (KeyCode::Up, &["up"]),
    (KeyCode::Down, &["down"]),
    (KeyCode::Home, &["home"]),
    (KeyCode::End, &["end"]),
    (KeyCode::PageUp, &["pageup", "pgup"]),
    (KeyCode::PageDown, &["pagedown", "pgdn"]),
    (KeyCode::Char(' '), &["space"]),
];

impl Key {
    /// The key a name stands for, or `None` when it is no key.
    pub fn parse(text: &str) -> Option<Key> {
        let text = text.trim();
        let mut modifiers = Modifiers::NONE;
        let mut rest = text;
        // `ctrl-c`, `C-c`, `alt-x`, `A-x`, `M-x`; a lone `-` is the minus key.
        while let Some((head, tail)) = rest.split_once('-').filter(|(_, t)| !t.is_empty()) {
            match head.to_lowercase().as_str() {
                "ctrl" | "c" => modifiers.ctrl = true,
                "alt" | "a" | "m" => modifiers.alt = true,
                // `shift-tab` is a named key, not a modifier.
                "shift" | "s" if tail.eq_ignore_ascii_case("tab") => break,
                _ => return None,
            }
            rest = tail;
        }
        let lower = rest.to_lowercase();
        let named = NAMED
            .iter()
            .find(|(_, names)| names.contains(&lower.as_str()))
            .map(|(code, _)| *code);
        let code = match named {
            Some(code) => code,
            None => {
                let mut chars = rest.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) if !c.is_control() => KeyCode::Char(c),
                    _ => match lower.strip_prefix('f').map(str::parse::<u8>) {
                        Some(Ok(n)) if (1..=24).contains(&n) => KeyCode::F(n),
                        _ => return None,
                    },
                }
            }
        };
        Some(Key::new(code, modifiers))
    }

    /// The key's name as `keys.toml` writes it.
    pub fn name(&self) -> String {
        let base = match self.code {
            KeyCode::F(n) => format!("F{n}"),
            code => NAMED
                .iter()
                .find(|(c, _)| *c == code)
                .map(|(_, names)| names[0].to_string())
                .unwrap_or_else(|| match code {
                    KeyCode::Char(c) => c.to_string(),
                    _ => unreachable!("every named code is in NAMED"),
                }),
        };
        let mut name = String::new();
        if self.modifiers.ctrl {
            name.push_str("ctrl-");
        }
        if self.modifiers.alt {
            name.push_str("alt-");
        }
        name + &base
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_aliases_parse_to_keys() {
        for (text, key) in [
            ("w", Key::char('w')),
            ("ц", Key::char('ц')),
            ("?", Key::char('?')),
            ("-", Key::char('-')),
            ("F9", Key::plain(KeyCode::F(9))),
            ("f12", Key::plain(KeyCode::F(12))),
            ("ctrl-c", Key::ctrl('c')),
            ("C-c", Key::ctrl('c')),
            ("alt-backspace", Key::alt(KeyCode::Backspace)),
            ("M-b", Key::alt(KeyCode::Char('b'))),
            ("Esc", Key::plain(KeyCode::Esc)),
            ("pgdn", Key::plain(KeyCode::PageDown)),
            ("shift-tab", Key::plain(KeyCode::BackTab)),
            ("space", Key::char(' ')),
            ("ctrl--", Key::ctrl('-')),
        ] {
            assert_eq!(Key::parse(text), Some(key), "{text}");
        }
    }

    #[test]
    fn what_is_no_key_is_refused() {
        for text in ["", "F0", "F25", "ww", "hyper-x", "ctrl-", "enterr", "\u{7}"] {
            assert_eq!(Key::parse(text), None, "{text:?}");
        }
    }

    #[test]
    fn every_name_parses_back_to_its_key() {
        let mut keys: Vec<Key> = NAMED.iter().map(|(c, _)| Key::plain(*c)).collect();
        keys.extend([
            Key::char('w'),
            Key::char('ж'),
            Key::ctrl('u'),
            Key::alt(KeyCode::Left),
            Key::plain(KeyCode::F(7)),
        ]);
        for key in keys {
            assert_eq!(Key::parse(&key.name()), Some(key), "{}", key.name());
        }
    }
}
