//! Semantic styles. Meaning never rests on colour alone: selection is reversed, danger is
//! bold and spelled out, so the screen still reads with NO_COLOR.

use ratatui::style::{Color, Modifier, Style};

pub fn plain() -> Style {
    Style::default()
}

pub fn focused() -> Style {
    Style::default()
        .fg(Color::Cyan)
        .add_modifier(Modifier::BOLD)
}

pub fn selected() -> Style {
    Style::default().add_modifier(Modifier::REVERSED)
}

pub fn muted() -> Style {
    Style::default().fg(Color::DarkGray)
}

pub fn danger() -> Style {
    Style::default().fg(Color::Red).add_modifier(Modifier::BOLD)
}

pub fn good() -> Style {
    Style::default().fg(Color::Green)
}

pub fn key() -> Style {
    Style::default().add_modifier(Modifier::BOLD)
}

pub fn money() -> Style {
    Style::default().add_modifier(Modifier::BOLD)
}
