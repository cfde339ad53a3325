//! A manager's PIN on the command line: from the environment variable `--pin-env` names
//! (scripts), or asked on the terminal without echo. Never printed, logged or journalled.

use super::{Exit, Failure};
use crate::domain::limits::ManagerPin;
use crate::i18n::{Text, fill};

/// Reads a secret on the terminal without echo, after a prompt; `None` when there is no
/// terminal.
pub type Secret<'a> = Option<&'a mut dyn FnMut(&str) -> std::io::Result<String>>;

/// Where the PIN will come from, settled before anything is read or sent: the variable
/// `--pin-env` names (read now), or the terminal (asked when it is needed). Neither: a
/// usage error.
pub enum Pin<'a> {
    Given(ManagerPin),
    Ask(&'a mut dyn FnMut(&str) -> std::io::Result<String>),
}

pub fn manager_pin<'a>(
    t: &Text,
    env: Option<&str>,
    secret: Secret<'a>,
) -> Result<Pin<'a>, Failure> {
    if let Some(name) = env {
        return from_env(t, name).map(Pin::Given);
    }
    secret
        .map(Pin::Ask)
        .ok_or_else(|| Failure::new(Exit::Usage, t.cli.pin_needed))
}

impl Pin<'_> {
    /// The PIN, asked now if it is the terminal's to give.
    pub fn take(self, t: &Text) -> Result<ManagerPin, Failure> {
        match self {
            Pin::Given(pin) => Ok(pin),
            Pin::Ask(read) => {
                let typed = read(t.cli.pin_prompt)
                    .map_err(|e| Failure::new(Exit::Failed, format!("standard input: {e}")))?;
                // Said without what was typed.
                ManagerPin::new(typed.trim())
                    .ok_or_else(|| Failure::new(Exit::Refused, t.money.reason_pin_wrong))
            }
        }
    }
}

/// The PIN in the variable `name`; unset or not a PIN: a usage error that names the
/// variable, never its value.
pub fn from_env(t: &Text, name: &str) -> Result<ManagerPin, Failure> {
    std::env::var(name)
        .ok()
        .and_then(|v| ManagerPin::new(v.trim()))
        .ok_or_else(|| {
            Failure::new(
                Exit::Usage,
                fill(t.cli.pin_env_unset, crate::domain::text::clean(name)),
            )
        })
}
