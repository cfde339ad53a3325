//! Terminal input on its own thread: crossterm's blocking reader, forwarded as `Msg`s.

use crate::app::Msg;
use ratatui::crossterm::event::{self, Event, KeyEventKind};
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
                Ok(Event::Key(k)) if k.kind == KeyEventKind::Press => Msg::Key(k),
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
