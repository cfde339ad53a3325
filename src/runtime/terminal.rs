//! Terminal set-up and tear-down: raw mode, alternate screen, bracketed paste, restored on
//! every exit path including a panic.

use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use std::io::stdout;
use std::sync::atomic::{AtomicBool, Ordering};
use tokio::signal::unix::{Signal, SignalKind, signal};

/// Whether the terminal reports the mouse (`mouse = true`): taken back on suspend, on exit
/// and on a panic, so the shell's own selection works again.
static MOUSE: AtomicBool = AtomicBool::new(false);

fn release_mouse() {
    if MOUSE.load(Ordering::Relaxed) {
        let _ = execute!(stdout(), DisableMouseCapture);
    }
}

fn capture_mouse() -> std::io::Result<()> {
    if MOUSE.load(Ordering::Relaxed) {
        execute!(stdout(), EnableMouseCapture)?;
    }
    Ok(())
}

/// Runs `f` with the terminal in TUI mode and restores it afterwards, whatever happens;
/// with `mouse`, clicks and the wheel are reported to the console meanwhile.
pub fn run_in_terminal<T>(
    mouse: bool,
    f: impl FnOnce(&mut DefaultTerminal) -> T,
) -> std::io::Result<T> {
    MOUSE.store(mouse, Ordering::Relaxed);
    // ratatui's own hook restores raw mode and the screen and then calls this one, so paste
    // mode is switched off too before the panic message is printed. A panic on any thread
    // ends the process: a console whose terminal was restored under it, or whose pane waits
    // for a reply that will never come, is worse than a clean exit with the message.
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(stdout(), DisableBracketedPaste);
        release_mouse();
        tracing::error!("panic: {info}");
        previous(info);
        std::process::exit(101);
    }));
    let mut terminal = ratatui::try_init()?;
    let _ = execute!(stdout(), EnableBracketedPaste);
    capture_mouse()?;
    let result = f(&mut terminal);
    release_mouse();
    let _ = execute!(stdout(), DisableBracketedPaste);
    ratatui::try_restore()?;
    Ok(result)
}

/// The signals that end the console from outside. Each is caught so the terminal is restored
/// as `q` restores it; left to their default they would kill the process in raw mode.
pub struct StopSignals {
    term: Signal,
    hangup: Signal,
    quit: Signal,
}

impl StopSignals {
    pub fn new() -> std::io::Result<StopSignals> {
        Ok(StopSignals {
            term: signal(SignalKind::terminate())?,
            hangup: signal(SignalKind::hangup())?,
            quit: signal(SignalKind::quit())?,
        })
    }

    /// The name of the next signal that arrives.
    pub async fn recv(&mut self) -> &'static str {
        tokio::select! {
            _ = self.term.recv() => "SIGTERM",
            _ = self.hangup.recv() => "SIGHUP",
            _ = self.quit.recv() => "SIGQUIT",
        }
    }
}

/// Ctrl-Z: the terminal goes back to the shell as it was, the process stops as any job
/// does, and when `fg` continues it the console takes the terminal again.
pub fn suspend() -> std::io::Result<()> {
    release_mouse();
    execute!(stdout(), DisableBracketedPaste, LeaveAlternateScreen)?;
    disable_raw_mode()?;
    // SAFETY: raise only sends a signal to this process; SIGTSTP's default action stops it
    // and execution continues here on SIGCONT.
    unsafe {
        libc::raise(libc::SIGTSTP);
    }
    enable_raw_mode()?;
    execute!(stdout(), EnterAlternateScreen, EnableBracketedPaste)?;
    capture_mouse()
}
