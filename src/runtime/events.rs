//! Terminal input on its own thread: crossterm's blocking reader, forwarded as `Msg`s.

use crate::app::Msg;
use crate::app::key::{Key, KeyCode, Modifiers};
use ratatui::crossterm::event::{self, Event, KeyEvent, KeyEventKind, KeyModifiers};
use std::thread::JoinHandle;
use std::time::Duration;
use tokio::sync::mpsc::UnboundedSender;

pub fn spawn_reader(tx: UnboundedSender<Msg>) -> JoinHandle<()> {
    std::thread::spawn(move || {
        loop {
            // Polling with a timeout lets the thread notice that the app has gone.
            match event::poll(Duration::from_millis(250)) {
                Ok(false) => {
                    if tx.is_closed() {
                        return;
                    }
                    continue;
                }
                Ok(true) => {}
                Err(e) => {
                    tracing::error!("terminal input failed: {e}");
                    return;
                }
            }
            let msg = match event::read() {
                // Only presses act; releases and repeats from some terminals would double keys.
                Ok(Event::Key(k)) if k.kind == KeyEventKind::Press => match key(&k) {
                    Some(key) => Msg::Key(key),
                    None => continue,
                },
                Ok(Event::Paste(text)) => Msg::Paste(text),
                Ok(Event::Resize(..)) => Msg::Resized,
                Ok(_) => continue,
                Err(e) => {
                    tracing::error!("terminal input failed: {e}");
                    return;
                }
            };
            if tx.send(msg).is_err() {
                return;
            }
        }
    })
}

/// The console's own key for a terminal key; keys it has no use for (media keys, Insert,
/// lone modifiers) are dropped here.
fn key(event: &KeyEvent) -> Option<Key> {
    use ratatui::crossterm::event::KeyCode as C;
    let code = match event.code {
        C::Char(c) => KeyCode::Char(c),
        C::F(n) => KeyCode::F(n),
        C::Enter => KeyCode::Enter,
        C::Esc => KeyCode::Esc,
        C::Tab => KeyCode::Tab,
        C::BackTab => KeyCode::BackTab,
        C::Backspace => KeyCode::Backspace,
        C::Delete => KeyCode::Delete,
        C::Left => KeyCode::Left,
        C::Right => KeyCode::Right,
        C::Up => KeyCode::Up,
        C::Down => KeyCode::Down,
        C::Home => KeyCode::Home,
        C::End => KeyCode::End,
        C::PageUp => KeyCode::PageUp,
        C::PageDown => KeyCode::PageDown,
        _ => return None,
    };
    let m = event.modifiers;
    let modifiers = Modifiers {
        ctrl: m.contains(KeyModifiers::CONTROL),
        // Meta is what some terminals send for Alt.
        alt: m.intersects(KeyModifiers::ALT | KeyModifiers::META),
        shift: m.contains(KeyModifiers::SHIFT),
    };
    Some(Key::new(code, modifiers))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_keys_become_the_consoles_own() {
        let ctrl_c = KeyEvent::new(
            ratatui::crossterm::event::KeyCode::Char('c'),
            KeyModifiers::CONTROL,
        );
        assert_eq!(key(&ctrl_c), Some(Key::ctrl('c')));
        let alt_b = KeyEvent::new(
            ratatui::crossterm::event::KeyCode::Char('b'),
            KeyModifiers::META,
        );
        assert!(key(&alt_b).is_some_and(|k| k.modifiers.alt));
        let insert = KeyEvent::new(
            ratatui::crossterm::event::KeyCode::Insert,
            KeyModifiers::NONE,
        );
        assert_eq!(key(&insert), None);
    }
}
