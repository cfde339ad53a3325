//! Semantic styles by role. Meaning never rests on colour alone: selection is reversed,
//! danger is bold and spelled out, so the screen reads the same in `mono` (NO_COLOR).
//!
//! The palette is per thread: the thread that draws installs it once (the runtime at start,
//! each snapshot test for itself), so views ask for a role without passing it down.

use ratatui::style::{Color, Modifier, Style};
use std::cell::Cell;

/// A colour per role; `None` is the terminal's own foreground (and, in `mono`, no colour
/// escape at all).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Palette {
    pub focus: Option<Color>,
    pub label: Option<Color>,
    pub danger: Option<Color>,
    pub ok: Option<Color>,
    pub muted: Option<Color>,
}

impl Palette {
    /// For dark backgrounds. Muted text is a fixed grey of the 256-colour cube, never ANSI 8
    /// (bright black), which Solarized-style dark themes make the background colour.
    pub const DARK: Palette = Palette {
        focus: Some(Color::Cyan),
        label: None,
        danger: Some(Color::Red),
        ok: Some(Color::Green),
        muted: Some(Color::Indexed(246)),
    };

    /// For light backgrounds: cyan and ANSI 8 wash out on white.
    pub const LIGHT: Palette = Palette {
        focus: Some(Color::Blue),
        label: None,
        danger: Some(Color::Red),
        ok: Some(Color::Green),
        muted: Some(Color::Indexed(241)),
    };

    /// No colour at all: bold, reverse video and the words carry every meaning.
    pub const MONO: Palette = Palette {
        focus: None,
        label: None,
        danger: None,
        ok: None,
        muted: None,
    };
}

thread_local! {
    static PALETTE: Cell<Palette> = const { Cell::new(Palette::DARK) };
}

/// The palette this thread draws with from now on.
pub fn install(palette: Palette) {
    PALETTE.with(|p| p.set(palette));
}

fn palette() -> Palette {
    PALETTE.with(Cell::get)
}

fn tinted(colour: Option<Color>) -> Style {
    match colour {
        Some(c) => Style::default().fg(c),
        None => Style::default(),
    }
}

pub fn plain() -> Style {
    Style::default()
}

pub fn focused() -> Style {
    tinted(palette().focus).add_modifier(Modifier::BOLD)
}

pub fn selected() -> Style {
    Style::default().add_modifier(Modifier::REVERSED)
}

pub fn muted() -> Style {
    tinted(palette().muted)
}

pub fn danger() -> Style {
    tinted(palette().danger).add_modifier(Modifier::BOLD)
}

pub fn good() -> Style {
    tinted(palette().ok)
}

pub fn key() -> Style {
    tinted(palette().label).add_modifier(Modifier::BOLD)
}

pub fn money() -> Style {
    Style::default().add_modifier(Modifier::BOLD)
}
