//! The secrets of `loyalty serve`, each given by its environment variable, a file only its
//! owner can read, or (visible to every local user in the process list) a flag.

use loyalty_console::server::access::{checked_secret, read_secret_file};
use std::path::PathBuf;

/// One secret as the command line and the environment gave it.
pub struct Given {
    /// From the flag or, under the same name, its environment variable.
    pub value: Option<String>,
    pub file: Option<PathBuf>,
    pub flag: &'static str,
    pub env: &'static str,
}

impl Given {
    /// The secret to use, or why the server must not start with it (never the secret itself).
    pub fn resolve(self, loopback: bool) -> Result<Option<String>, String> {
        let Given {
            value,
            file,
            flag,
            env,
        } = self;
        match (value, file) {
            (Some(_), Some(_)) => Err(format!(
                "{flag} (or {env}) and {flag}-file both give the same secret: keep one"
            )),
            (Some(value), None) => {
                // clap takes the flag over the variable: a value that is not the variable's
                // came from the command line.
                if std::env::var(env).ok().as_deref() != Some(value.as_str()) {
                    tracing::warn!(
                        "{flag} on the command line can be read by every local user in the \
                         process list: give it as {env} or {flag}-file instead"
                    );
                }
                checked_secret(flag, Some(value), loopback)
            }
            (None, Some(path)) => {
                let what = format!("{flag}-file");
                let secret = read_secret_file(&what, &path)?;
                checked_secret(
                    &format!("{what} {}", path.display()),
                    Some(secret),
                    loopback,
                )
            }
            (None, None) => Ok(None),
        }
    }
}
