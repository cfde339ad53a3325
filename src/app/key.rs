//! The console's own key type. `update` and the key registry see only this, so `app` builds
//! without a terminal library; the runtime converts the terminal's events into it.

use tui_input::InputRequest;

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

    /// What this key does to a focused text field: the readline keys people expect
    /// (Ctrl-U, Ctrl-W, Ctrl-A/E, Home/End, Alt-Backspace) besides typing.
    pub fn edit(&self) -> Option<InputRequest> {
        use InputRequest::*;
        use KeyCode::*;
        let Modifiers { ctrl, alt, .. } = self.modifiers;
        Some(match (self.code, ctrl, alt) {
            (Backspace, false, false) | (Char('h'), true, false) => DeletePrevChar,
            (Delete, false, false) => DeleteNextChar,
            (Delete, true, false) => DeleteNextWord,
            (Left, false, false) | (Char('b'), true, false) => GoToPrevChar,
            (Left, true, false) | (Char('b'), false, true) => GoToPrevWord,
            (Right, false, false) | (Char('f'), true, false) => GoToNextChar,
            (Right, true, false) | (Char('f'), false, true) => GoToNextWord,
            (Home, false, false) | (Char('a'), true, false) => GoToStart,
            (End, false, false) | (Char('e'), true, false) => GoToEnd,
            (Char('u'), true, false) => DeleteLine,
            (Char('w'), true, false) | (Char('d'), false, true) | (Backspace, _, true) => {
                DeletePrevWord
            }
            (Char('k'), true, false) => DeleteTillEnd,
            (Char('y'), true, false) => Yank,
            // AltGr arrives as Ctrl+Alt on Windows and types a character.
            (Char(c), false, false) | (Char(c), true, true) => InsertChar(c),
            _ => return None,
        })
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

    #[test]
    fn readline_keys_edit_a_field_and_control_letters_do_not_type() {
        let mut input = tui_input::Input::new("двадцать пять".into());
        input.handle(Key::ctrl('w').edit().unwrap());
        assert_eq!(input.value(), "двадцать ");
        input.handle(Key::ctrl('u').edit().unwrap());
        assert_eq!(input.value(), "");
        assert_eq!(Key::ctrl('x').edit(), None);
        assert_eq!(Key::char('ж').edit(), Some(InputRequest::InsertChar('ж')));
    }
}
