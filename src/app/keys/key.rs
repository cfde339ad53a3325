//! The console's own key type. `update` and the key registry see only this, so `app` builds
//! without a terminal library; the runtime converts the terminal's events into it.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyCode {
    Char(char),
    F(u8),
    Enter,
    Esc,
    Tab,
    BackTab,
    Backspace,
    Delete,
    Left,
    Right,
    Up,
    Down,
    Home,
    End,
    PageUp,
    PageDown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Modifiers {
    pub ctrl: bool,
    pub alt: bool,
    pub shift: bool,
}

impl Modifiers {
    pub const NONE: Modifiers = Modifiers {
        ctrl: false,
        alt: false,
        shift: false,
    };
    pub const CONTROL: Modifiers = Modifiers {
        ctrl: true,
        alt: false,
        shift: false,
    };
    pub const ALT: Modifiers = Modifiers {
        ctrl: false,
        alt: true,
        shift: false,
    };
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub modifiers: Modifiers,
}

impl Key {
    pub const fn new(code: KeyCode, modifiers: Modifiers) -> Key {
        Key { code, modifiers }
    }

    pub const fn plain(code: KeyCode) -> Key {
        Key::new(code, Modifiers::NONE)
    }

    pub const fn char(c: char) -> Key {
        Key::plain(KeyCode::Char(c))
    }

    pub const fn ctrl(c: char) -> Key {
        Key::new(KeyCode::Char(c), Modifiers::CONTROL)
    }

    pub const fn alt(code: KeyCode) -> Key {
        Key::new(code, Modifiers::ALT)
    }

    /// Whether a pressed key is this binding. Shift is part of the character for `?`, `[`,
    /// `]` on most layouts (and of BackTab), so it is ignored.
    pub fn matches(&self, pressed: &Key) -> bool {
        self.code == pressed.code
            && self.modifiers.ctrl == pressed.modifiers.ctrl
            && self.modifiers.alt == pressed.modifiers.alt
    }

    /// A key that types a character into a focused text field.
    pub fn is_text(&self) -> bool {
        matches!(self.code, KeyCode::Char(_)) && !self.modifiers.ctrl
    }
}

impl From<KeyCode> for Key {
    fn from(code: KeyCode) -> Key {
        Key::plain(code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shift_does_not_change_which_binding_a_key_is() {
        let shifted = Key::new(
            KeyCode::Char('?'),
            Modifiers {
                shift: true,
                ..Modifiers::NONE
            },
        );
        assert!(Key::char('?').matches(&shifted));
        assert!(!Key::char('c').matches(&Key::ctrl('c')));
    }
}
