//! Terminal set-up and tear-down: raw mode, alternate screen, bracketed paste, restored on
//! every exit path including a panic.

use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use ratatui::crossterm::execute;
use std::io::stdout;

/// Runs `f` with the terminal in TUI mode and restores it afterwards, whatever happens.
pub fn run_in_terminal<T>(f: impl FnOnce(&mut DefaultTerminal) -> T) -> std::io::Result<T> {
    // ratatui's own hook restores raw mode and the screen and then calls this one, so paste
    // mode is switched off too before the panic message is printed. A panic on any thread
    // ends the process: a console whose terminal was restored under it, or whose pane waits
    // for a reply that will never come, is worse than a clean exit with the message.
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(stdout(), DisableBracketedPaste);
        tracing::error!("panic: {info}");
        previous(info);
        std::process::exit(101);
    }));
    let mut terminal = ratatui::try_init()?;
    let _ = execute!(stdout(), EnableBracketedPaste);
    let result = f(&mut terminal);
    let _ = execute!(stdout(), DisableBracketedPaste);
    ratatui::try_restore()?;
    Ok(result)
}
