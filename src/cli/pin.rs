//! A manager's PIN on the command line: from the environment variable `--pin-env` names
//! (scripts), or asked on the terminal without echo. Never printed, logged or journalled.

use super::{Exit, Failure};
use crate::domain::limits::ManagerPin;
use crate::i18n::{Text, fill};

/// Reads a secret on the terminal without echo, after a prompt; `None` when there is no
/// terminal.
pub type Secret<'a> = Option<&'a mut dyn FnMut(&str) -> std::io::Result<String>>;

/// The PIN from the variable `env` names, or asked on the terminal; neither: a usage error.
pub fn manager_pin(t: &Text, env: Option<&str>, secret: Secret<'_>) -> Result<ManagerPin, Failure> {
    if let Some(name) = env {
        return from_env(t, name);
    }
    let Some(read) = secret else {
        return Err(Failure::new(Exit::Usage, t.cli_pin_needed));
    };
    let typed = read(t.cli_pin_prompt)
        .map_err(|e| Failure::new(Exit::Failed, format!("standard input: {e}")))?;
    // A mistyped PIN is the manager's to type again: said without what was typed.
    ManagerPin::new(typed.trim()).ok_or_else(|| Failure::new(Exit::Refused, t.reason_pin_wrong))
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
                fill(t.cli_pin_env_unset, crate::domain::text::clean(name)),
            )
        })
}
