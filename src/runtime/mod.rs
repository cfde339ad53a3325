//! The runtime: owns the terminal, turns terminal events and replies into `Msg`s, runs
//! `update`, executes the `Cmd`s it returns, and redraws.

mod events;
mod executor;
pub mod keys;
pub mod look;
pub mod start;
mod terminal;

use crate::app::{Cmd, Model, Msg, update};
use crate::backend::Services;
use crate::domain::{ErrorKind, ServiceError};
use crate::ui;
use jiff::Timestamp;
use ratatui::DefaultTerminal;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

pub use terminal::run_in_terminal;

/// How often the clock ticks: fast enough for a lively spinner, slow enough to cost nothing.
const TICK: Duration = Duration::from_millis(200);

/// Where the console logs how long frames take (`LOYALTY_LOG=loyalty::frames=debug` adds
/// one line per keystroke); `scripts/bench.sh` reads them.
const FRAMES: &str = "loyalty::frames";

/// Runs the console until the user quits; exports go to `exports`, write-offs are journaled
/// in `journal`. `started` is when the process began, to log how long the first frame took;
/// `seeding`, a new embedded database being filled, is told to `update` when it is done.
pub async fn run(
    terminal: &mut DefaultTerminal,
    mut model: Model,
    services: Services,
    exports: PathBuf,
    journal: crate::ops::journal::Journal,
    started: Instant,
    seeding: Option<crate::ops::launch::Seeding>,
) -> std::io::Result<()> {
    let (tx, mut rx) = mpsc::unbounded_channel::<Msg>();
    if let Some(seeding) = seeding {
        let tx = tx.clone();
        tokio::spawn(async move {
            let seeded = seeding.await.unwrap_or_else(|e| {
                Err(ServiceError::new(
                    ErrorKind::Server,
                    format!("demo data: {e}"),
                ))
            });
            if let Err(e) = &seeded {
                tracing::error!("{e}");
            }
            let _ = tx.send(Msg::DemoSeeded(seeded));
        });
    }
    let _reader = events::spawn_reader(tx.clone());
    let executor = executor::Executor::new(services, exports, journal, tx);
    let mut stop = terminal::StopSignals::new()?;
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut hits = ui::Hits::default();
    let mut clicks = events::Clicks::default();
    terminal.draw(|f| hits = ui::view(&model, f))?;
    let micros = started.elapsed().as_micros();
    tracing::info!(target: FRAMES, micros, "first frame drawn");
    // What the console asks once per session goes first, as any other message's commands.
    let mut batch = vec![Msg::Started];
    // When the last key was read: a reply's frame is timed from the key that asked for it,
    // as the user waits for it (the bench's page rows).
    let mut last_key: Option<Instant> = None;
    // When the last key's frame still waited for the server (a history page turned): the
    // frame that shows its answer is logged too, timed from that key.
    let mut answer_due: Option<Instant> = None;
    loop {
        tokio::select! {
            n = rx.recv_many(&mut batch, 64) => {
                if n == 0 {
                    return Ok(());
                }
            }
            _ = tick.tick() => batch.push(Msg::Tick(Timestamp::now())),
            // Killed, hung up or quit from outside: leave as `q` does, terminal restored.
            signal = stop.recv() => {
                tracing::info!("{signal}: leaving");
                return Ok(());
            }
        }
        let woke = Instant::now();
        // A tick alone redraws only to move the spinner.
        let redraw = batch.iter().any(|m| !matches!(m, Msg::Tick(_))) || model.busy();
        let keyed = batch.iter().any(|m| matches!(m, Msg::Key(_)));
        let replied = batch.iter().any(|m| m.answers().is_some());
        if keyed {
            last_key = Some(woke);
        }
        for msg in batch.drain(..) {
            // A pointer is read against the frame the user clicked on.
            let msg = match msg {
                Msg::Pointer(p) => match clicks.gesture(p, &hits, Instant::now()) {
                    Some(mouse) => Msg::Mouse(mouse),
                    None => continue,
                },
                msg => msg,
            };
            for cmd in update(&mut model, msg) {
                match cmd {
                    Cmd::Quit => return Ok(()),
                    Cmd::Suspend => {
                        terminal::suspend()?;
                        terminal.clear()?;
                        continue;
                    }
                    _ => {}
                }
                executor.execute(cmd);
            }
        }
        if redraw {
            terminal.draw(|f| hits = ui::view(&model, f))?;
            if keyed {
                let micros = woke.elapsed().as_micros();
                let waiting = model.busy();
                tracing::debug!(target: FRAMES, micros, waiting, "redrawn after a key");
                answer_due = waiting.then_some(woke);
            } else if let Some(key_at) = answer_due
                && !model.busy()
            {
                let micros = key_at.elapsed().as_micros();
                tracing::debug!(target: FRAMES, micros, "answered after a key");
                answer_due = None;
            }
            if let (true, Some(key)) = (replied, last_key) {
                let micros = key.elapsed().as_micros();
                tracing::debug!(target: FRAMES, micros, "redrawn after a reply");
            }
        }
    }
}
