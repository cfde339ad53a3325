//! `loyalty serve user add|list|revoke|rotate-jwt-key`: the API keys of a shop's tills and
//! admins, the managers' PINs, and the key that signs Mloyalty's sessions, kept in the
//! server's database so every instance over it knows them at once.

use clap::Subcommand;
use loyalty_console::domain::limits::{ManagerPin, PIN_MAX};
use loyalty_console::server::principals::Role;
use loyalty_console::server::store::{DbTarget, Store};
use std::io::{BufRead, IsTerminal, Write};

#[derive(Subcommand)]
pub enum UserAction {
    /// Add a user and print its new API key (shown once, stored only as a digest); or a
    /// manager, whose PIN (asked twice on the terminal, or read from --pin-env) allows
    /// reversals and going past a limit, and who gets no key.
    Add {
        name: String,
        /// cashier: search, read and write off; admin: also groups and reports; manager:
        /// a PIN for the tills' reversals and overrides.
        #[arg(long, value_parser = ["cashier", "admin", "manager"])]
        role: String,
        /// A manager's PIN (4 to 32 digits) from this environment variable instead of the
        /// terminal.
        #[arg(long, value_name = "VAR")]
        pin_env: Option<String>,
        /// The server's database: a SQLite file or a postgres:// URL.
        #[arg(long, env = "LOYALTY_DATABASE_URL", hide_env_values = true, value_parser = crate::db_arg::DbArg)]
        db: DbTarget,
    },
    /// List the users, with when each was added and revoked.
    List {
        /// The server's database: a SQLite file or a postgres:// URL.
        #[arg(long, env = "LOYALTY_DATABASE_URL", hide_env_values = true, value_parser = crate::db_arg::DbArg)]
        db: DbTarget,
    },
    /// Revoke a user's key, or a manager's PIN; every instance refuses it from the next
    /// request.
    Revoke {
        name: String,
        /// The server's database: a SQLite file or a postgres:// URL.
        #[arg(long, env = "LOYALTY_DATABASE_URL", hide_env_values = true, value_parser = crate::db_arg::DbArg)]
        db: DbTarget,
    },
    /// Replace the key that signs Mloyalty's tokens: every session (access and refresh
    /// tokens) is refused by every instance from its next request, and managers log in again.
    RotateJwtKey {
        /// The server's database: a SQLite file or a postgres:// URL.
        #[arg(long, env = "LOYALTY_DATABASE_URL", hide_env_values = true, value_parser = crate::db_arg::DbArg)]
        db: DbTarget,
    },
}

async fn open(db: &DbTarget) -> Result<Store, String> {
    Store::open(db)
        .await
        .map_err(|e| format!("database {db}: {e}"))
}

pub async fn run(action: UserAction) -> Result<(), String> {
    let now = jiff::Timestamp::now().as_millisecond();
    match action {
        UserAction::Add {
            name,
            role,
            pin_env,
            db,
        } if role == "manager" => {
            let pin = manager_pin(pin_env.as_deref())?;
            open(&db)
                .await?
                .add_manager(name.clone(), &pin, now)
                .await
                .map_err(|e| e.to_string())?;
            eprintln!("manager {name:?} added: their PIN allows reversals and going past a limit");
            Ok(())
        }
        UserAction::Add {
            name,
            role,
            pin_env,
            db,
        } => {
            if pin_env.is_some() {
                return Err("--pin-env is for --role manager".into());
            }
            let role = Role::parse(&role).ok_or("--role is cashier, admin or manager")?;
            let key = open(&db)
                .await?
                .add_user(name.clone(), role, now)
                .await
                .map_err(|e| e.to_string())?;
            println!("{key}");
            eprintln!(
                "user {name:?} added as {}: the key above is shown only now; give it to the till \
                 (its console's api_key, or the Bearer token)",
                role.as_str()
            );
            Ok(())
        }
        UserAction::List { db } => {
            let store = open(&db).await?;
            let users = store.users().await.map_err(|e| e.to_string())?;
            let managers = store.managers().await.map_err(|e| e.to_string())?;
            let day = |ms: i64| {
                jiff::Timestamp::from_millisecond(ms)
                    .map(|t| t.strftime("%Y-%m-%d %H:%M UTC").to_string())
                    .unwrap_or_default()
            };
            for u in users {
                let revoked = u
                    .revoked_ms
                    .map(|ms| format!("  revoked {}", day(ms)))
                    .unwrap_or_default();
                println!(
                    "{:<24} {:<8} added {}{revoked}",
                    u.name,
                    u.role.as_str(),
                    day(u.created_ms)
                );
            }
            for m in managers {
                let revoked = m
                    .revoked_ms
                    .map(|ms| format!("  revoked {}", day(ms)))
                    .unwrap_or_default();
                println!(
                    "{:<24} {:<8} added {}{revoked}",
                    m.name,
                    "manager",
                    day(m.created_ms)
                );
            }
            Ok(())
        }
        UserAction::Revoke { name, db } => {
            let store = open(&db).await?;
            let revoked = store
                .revoke_user(name.clone(), now)
                .await
                .map_err(|e| e.to_string())?
                || store
                    .revoke_manager(name.clone(), now)
                    .await
                    .map_err(|e| e.to_string())?;
            if revoked {
                eprintln!("user {name:?} revoked");
                Ok(())
            } else {
                Err(format!("no user {name:?} with a live key"))
            }
        }
        UserAction::RotateJwtKey { db } => {
            open(&db)
                .await?
                .rotate_secret(loyalty_console::server::JWT_SECRET_NAME)
                .await
                .map_err(|e| e.to_string())?;
            eprintln!(
                "the Mloyalty signing key was replaced: every token issued before is refused \
                 from now on, and managers log in again"
            );
            Ok(())
        }
    }
}

/// A new manager's PIN: from the environment variable `var`, or typed twice on the terminal
/// without echo. Never printed.
fn manager_pin(var: Option<&str>) -> Result<ManagerPin, String> {
    let bad = || format!("a PIN is 4 to {PIN_MAX} digits");
    if let Some(var) = var {
        let text = std::env::var(var).map_err(|_| format!("--pin-env {var}: not set"))?;
        return ManagerPin::new(text.trim()).ok_or_else(bad);
    }
    if !std::io::stdin().is_terminal() {
        return Err("no terminal to ask the PIN on: give it by --pin-env VAR".into());
    }
    let first = ask_hidden("PIN: ")?;
    let pin = ManagerPin::new(first.trim()).ok_or_else(bad)?;
    let again = ask_hidden("PIN again: ")?;
    if again.trim() != pin.expose() {
        return Err("the two PINs differ; nothing was added".into());
    }
    Ok(pin)
}

/// A line read from the terminal with its echo off (restored however the read ends).
fn ask_hidden(prompt: &str) -> Result<String, String> {
    eprint!("{prompt}");
    let _ = std::io::stderr().flush();
    let fd = libc::STDIN_FILENO;
    // SAFETY: termios is plain data; tcgetattr fills it or fails, checked below.
    let mut saved: libc::termios = unsafe { std::mem::zeroed() };
    // SAFETY: fd is standard input, a terminal (checked by the caller); `saved` is valid.
    if unsafe { libc::tcgetattr(fd, &mut saved) } != 0 {
        return Err("cannot read the terminal's settings".into());
    }
    let mut quiet = saved;
    quiet.c_lflag &= !libc::ECHO;
    quiet.c_lflag |= libc::ECHONL;
    // SAFETY: as above, with settings derived from the terminal's own.
    unsafe { libc::tcsetattr(fd, libc::TCSANOW, &quiet) };
    let mut line = String::new();
    let read = std::io::stdin().lock().read_line(&mut line);
    // SAFETY: restores the settings read above.
    unsafe { libc::tcsetattr(fd, libc::TCSANOW, &saved) };
    read.map_err(|e| format!("reading the PIN: {e}"))?;
    Ok(line)
}
