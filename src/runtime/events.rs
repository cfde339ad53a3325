//! Terminal input on its own thread: crossterm's blocking reader, forwarded as `Msg`s.

use crate::app::Msg;
use crate::app::keys::key::{Key, KeyCode, Modifiers};
use crate::app::mouse::{Gesture, Mouse, Pointer, Press, Target};
use crate::ui::Hits;
use ratatui::crossterm::event::{
    self, Event, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use std::thread::JoinHandle;
use std::time::Duration;
use std::time::Instant;
use tokio::sync::mpsc::UnboundedSender;

pub fn spawn_reader(tx: UnboundedSender<Msg>) -> JoinHandle<()> {
    std::thread::spawn(move || {
        // The size at start; every change after comes as a resize event.
        if let Ok((width, height)) = ratatui::crossterm::terminal::size() {
            let _ = tx.send(Msg::Resized { width, height });
        }
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
                Ok(Event::Mouse(m)) => match pointer(&m) {
                    Some(p) => Msg::Pointer(p),
                    None => continue,
                },
                Ok(Event::Resize(width, height)) => Msg::Resized { width, height },
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

/// The presses the console uses: the left button and the wheel; moves, drags, releases and
/// the other buttons are dropped here.
fn pointer(event: &MouseEvent) -> Option<Pointer> {
    let press = match event.kind {
        MouseEventKind::Down(MouseButton::Left) => Press::Left,
        MouseEventKind::ScrollUp => Press::WheelUp,
        MouseEventKind::ScrollDown => Press::WheelDown,
        _ => return None,
    };
    Some(Pointer {
        column: event.column,
        row: event.row,
        press,
    })
}

/// Two clicks on the same thing within this are a double click (the usual desktop default).
const DOUBLE_CLICK: Duration = Duration::from_millis(400);

/// Tells a click from a double click: remembers the last click and when it was.
#[derive(Default)]
pub struct Clicks {
    last: Option<(Instant, Target)>,
}

impl Clicks {
    /// What a pointer press did on the last frame drawn; `None` over nothing clickable.
    pub fn gesture(&mut self, p: Pointer, hits: &Hits, now: Instant) -> Option<Mouse> {
        let target = hits.at(p.column, p.row)?;
        let gesture = match p.press {
            Press::WheelUp => Gesture::WheelUp,
            Press::WheelDown => Gesture::WheelDown,
            Press::Left => {
                let double = self
                    .last
                    .is_some_and(|(at, t)| t == target && now.duration_since(at) <= DOUBLE_CLICK);
                // A third click starts over rather than double-clicking again.
                self.last = (!double).then_some((now, target));
                if double {
                    Gesture::DoubleClick
                } else {
                    Gesture::Click
                }
            }
        };
        Some(Mouse { target, gesture })
    }
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

    #[test]
    fn a_second_click_on_the_same_thing_soon_is_a_double_click() {
        use crate::app::mouse::List;
        let hits = crate::ui::hits_for_tests(&[
            (
                ratatui::layout::Rect::new(0, 5, 30, 2),
                Target::Row {
                    list: List::Results,
                    index: 0,
                },
            ),
            (
                ratatui::layout::Rect::new(0, 7, 30, 2),
                Target::Row {
                    list: List::Results,
                    index: 1,
                },
            ),
        ]);
        let click = |row| Pointer {
            column: 3,
            row,
            press: Press::Left,
        };
        let mut clicks = Clicks::default();
        let t0 = Instant::now();
        let at = |ms| t0 + Duration::from_millis(ms);
        let g = |c: &mut Clicks, row, ms| c.gesture(click(row), &hits, at(ms)).map(|m| m.gesture);
        assert_eq!(g(&mut clicks, 5, 0), Some(Gesture::Click));
        assert_eq!(
            g(&mut clicks, 6, 300),
            Some(Gesture::DoubleClick),
            "the same row's second line"
        );
        assert_eq!(
            g(&mut clicks, 6, 350),
            Some(Gesture::Click),
            "a third click starts over"
        );
        assert_eq!(g(&mut clicks, 7, 400), Some(Gesture::Click), "another row");
        assert_eq!(g(&mut clicks, 7, 1000), Some(Gesture::Click), "too late");
        assert_eq!(g(&mut clicks, 20, 1100), None, "nothing there");
        let wheel = Pointer {
            column: 3,
            row: 8,
            press: Press::WheelDown,
        };
        assert_eq!(
            clicks.gesture(wheel, &hits, at(1200)),
            Some(Mouse {
                target: Target::Row {
                    list: List::Results,
                    index: 1
                },
                gesture: Gesture::WheelDown
            })
        );
    }

    #[test]
    fn only_the_left_button_and_the_wheel_are_read() {
        use ratatui::crossterm::event::{KeyModifiers, MouseEvent};
        let event = |kind| MouseEvent {
            kind,
            column: 1,
            row: 2,
            modifiers: KeyModifiers::NONE,
        };
        assert_eq!(
            pointer(&event(MouseEventKind::Down(MouseButton::Left))),
            Some(Pointer {
                column: 1,
                row: 2,
                press: Press::Left
            })
        );
        assert!(pointer(&event(MouseEventKind::ScrollUp)).is_some());
        assert_eq!(
            pointer(&event(MouseEventKind::Down(MouseButton::Right))),
            None
        );
        assert_eq!(pointer(&event(MouseEventKind::Moved)), None);
        assert_eq!(pointer(&event(MouseEventKind::Up(MouseButton::Left))), None);
    }
}
