//! The real binary in a tmux pseudo-terminal: tmux emulates the screen, the tests type
//! keys and poll the screen until what they expect appears (never a fixed sleep).

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_loyalty");

/// Generous: CI machines are slow, and a passing run never waits this long.
pub const DEADLINE: Duration = Duration::from_secs(60);

pub struct Tmux {
    pub socket: String,
}

/// What the console logged in `data` (its state dir is `data/logs`): the day's files, oldest
/// first, as one text.
pub fn console_log(data: &Path) -> String {
    let mut files: Vec<_> = std::fs::read_dir(data.join("logs"))
        .map(|dir| dir.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "log"))
        .map(|p| std::fs::read_to_string(p).unwrap_or_default())
        .collect()
}

impl Tmux {
    /// The console on the built-in server, its data in `data`.
    pub fn start(data: &Path, lang: &str, width: u16, height: u16) -> Tmux {
        Self::start_with(data, lang, width, height, "")
    }

    /// The console with extra `env`ironment assignments and arguments (`VAR=x … -- args`).
    pub fn start_with(data: &Path, lang: &str, width: u16, height: u16, extra: &str) -> Tmux {
        Self::launch(data, lang, width, height, &format!("{extra} '{BIN}'"))
    }

    /// An interactive bash with job control, the console's environment set, and the
    /// console's path in `$LOYALTY`: for journeys that leave the console and come back.
    pub fn shell(data: &Path, lang: &str, width: u16, height: u16) -> Tmux {
        Self::launch(
            data,
            lang,
            width,
            height,
            &format!("LOYALTY='{BIN}' PS1='shell> ' bash --norc --noprofile -i"),
        )
    }

    fn launch(data: &Path, lang: &str, width: u16, height: u16, program: &str) -> Tmux {
        let socket = format!(
            "loyalty-e2e-{}-{}",
            std::process::id(),
            data.file_name().unwrap().to_string_lossy()
        );
        let t = Tmux { socket };
        let command = format!(
            "env -u LC_ALL -u LC_MESSAGES LANG={lang} TERM=xterm-256color LOYALTY_DATA_DIR='{}' LOYALTY_CONFIG_DIR='{}' LOYALTY_STATE_DIR='{}' {program}",
            data.display(),
            data.join("config").display(),
            data.join("logs").display(),
        );
        let status = Command::new("tmux")
            .args([
                "-L",
                &t.socket,
                "-f",
                "/dev/null",
                "new-session",
                "-d",
                "-s",
                "e2e",
            ])
            .args([
                "-x",
                &width.to_string(),
                "-y",
                &height.to_string(),
                &command,
            ])
            .status()
            .expect("tmux must be installed to run the end-to-end tests (apt-get install tmux)");
        assert!(status.success());
        Command::new("tmux")
            .args([
                "-L",
                &t.socket,
                "set-option",
                "-t",
                "e2e",
                "remain-on-exit",
                "on",
            ])
            .status()
            .unwrap();
        t
    }

    pub fn screen(&self) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket, "capture-pane", "-p", "-t", "e2e"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub fn keys(&self, keys: &[&str]) {
        for k in keys {
            let status = Command::new("tmux")
                .args(["-L", &self.socket, "send-keys", "-t", "e2e", k])
                .status()
                .unwrap();
            assert!(status.success());
        }
    }

    pub fn text(&self, text: &str) {
        Command::new("tmux")
            .args(["-L", &self.socket, "send-keys", "-t", "e2e", "-l", text])
            .status()
            .unwrap();
    }

    /// Pastes `text` as a terminal does: bracketed, so the console sees one paste.
    pub fn paste(&self, text: &str) {
        let set = Command::new("tmux")
            .args(["-L", &self.socket, "set-buffer", "-b", "e2e-paste", text])
            .status()
            .unwrap();
        assert!(set.success());
        let pasted = Command::new("tmux")
            .args([
                "-L",
                &self.socket,
                "paste-buffer",
                "-p",
                "-b",
                "e2e-paste",
                "-t",
                "e2e",
            ])
            .status()
            .unwrap();
        assert!(pasted.success());
    }

    pub fn wait_for(&self, wanted: &str) -> String {
        self.wait_until(&format!("{wanted:?}"), |s| s.contains(wanted))
    }

    /// Waits until `gone` is off the screen: the sign a dialog closed, when what was behind it
    /// was on the screen all along.
    pub fn wait_without(&self, gone: &str) -> String {
        self.wait_until(&format!("no {gone:?}"), |s| !s.contains(gone))
    }

    fn wait_until(&self, what: &str, done: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if done(&screen) {
                return screen;
            }
            assert!(
                start.elapsed() < DEADLINE,
                "waited {DEADLINE:?} for {what}; the screen is:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn resize(&self, width: u16, height: u16) {
        let status = Command::new("tmux")
            .args(["-L", &self.socket, "resize-window", "-t", "e2e"])
            .args(["-x", &width.to_string(), "-y", &height.to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// One of the pane's `#{...}` variables.
    fn pane_variable(&self, format: &str) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket, "list-panes", "-t", "e2e", "-F", format])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// The process the pane started (the shell of [`Tmux::shell`]).
    pub fn pane_pid(&self) -> u32 {
        self.pane_variable("#{pane_pid}").parse().unwrap()
    }

    pub fn exited(&self) -> bool {
        self.pane_variable("#{pane_dead}") == "1"
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .status();
    }
}
