//! `loyalty`: the console (no subcommand), the server (`serve`) and the configuration
//! commands.

mod args;
mod config_commands;
mod db_arg;
mod serve;
mod users;

use args::{Cli, Command, ConfigAction, ServeCommand};
use clap::{CommandFactory, Parser};
use loyalty_console::cli::{self, Script};
use loyalty_console::config::{ConfigFile, Paths, secrets_exposed};
use loyalty_console::ops::journal::Journal;
use loyalty_console::ops::{self, launch, logging};
use loyalty_console::runtime;
use loyalty_console::server::store::Store;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

// A request's buffers and futures are allocated on one of the server's threads and often freed
// on another: glibc's malloc and free took 17% of the server's CPU under the till's search,
// mimalloc 8%, and the search served 7-13% more a second; SQLite's write-offs kept their
// rate, their p99 about 1.5 ms higher (docs/performance.md, "What the server adds to a
// PostgreSQL request").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn env(key: &str) -> Option<String> {
    std::env::var(key).ok()
}

#[tokio::main]
async fn main() -> ExitCode {
    let started = std::time::Instant::now();
    ops::private::owner_only_from_now();
    let cli = Cli::parse();
    let log_env = env("LOYALTY_LOG");
    let (log, warning) = logging::Level::choose(cli.log_level.as_deref(), log_env.as_deref());
    if let Some(warning) = warning {
        // Before the console takes the screen, where it can still be read.
        eprintln!("loyalty: warning: {warning}");
    }
    let script = |script| scripted(cli.config.clone(), cli.profile.clone(), &log, script);
    let command = match cli.command {
        Some(Command::Client { command }) => return script(Script::Client(command)).await,
        Some(Command::Groups { command }) => return script(Script::Groups(command)).await,
        Some(Command::Journal { json }) => return script(Script::Journal { json }).await,
        Some(Command::WriteOff(args)) => return script(Script::WriteOff(args)).await,
        Some(Command::Reverse(args)) => return script(Script::Reverse(args)).await,
        Some(Command::Shift { command }) => return script(Script::Shift(command)).await,
        Some(Command::Export { command }) => return script(Script::Export(command)).await,
        Some(Command::Completions { shell }) => {
            // Into memory first: clap_complete's own writes panic on a closed pipe.
            let mut text = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "loyalty", &mut text);
            return finish(emit(&mut std::io::stdout(), &text));
        }
        Some(Command::Man) => return finish(emit(&mut std::io::stdout(), man_page())),
        Some(Command::Config {
            action: ConfigAction::Check,
        }) => return finish(config_commands::check(cli.config, cli.profile.as_deref()).await),
        Some(Command::Config { action }) => {
            return finish(config_commands::config(cli.config, action));
        }
        other => other,
    };
    let result = match command {
        None => console(cli.config, cli.profile.as_deref(), &log, started).await,
        Some(Command::Serve {
            manage: Some(ServeCommand::User { action }),
            ..
        }) => users::run(action).await,
        Some(Command::Serve {
            db: Some(db),
            check: true,
            ..
        }) => serve::check_database(&db).await,
        Some(Command::Serve {
            db: Some(db),
            migrate: true,
            ..
        }) => {
            // Each step migrated is logged as it is taken.
            logging::to_stderr(&log);
            Store::open(&db)
                .await
                .map(|_| eprintln!("{db}: schema up to date"))
                .map_err(|e| format!("database {db}: {e}"))
        }
        Some(Command::Serve {
            listen,
            db: Some(db),
            demo,
            demo_heavy,
            token,
            token_file,
            manager_user,
            manager_password,
            manager_password_file,
            integration_key,
            integration_key_file,
            mloyalty_jwt_without_token,
            check: false,
            migrate: false,
            manage: None,
            key_retention,
            limits,
            codes,
        }) => {
            let credentials = serve::Credentials {
                token: serve::Given {
                    value: token,
                    file: token_file,
                    flag: "--token",
                    env: "LOYALTY_SERVER_TOKEN",
                },
                manager_user,
                manager_password: serve::Given {
                    value: manager_password,
                    file: manager_password_file,
                    flag: "--manager-password",
                    env: "LOYALTY_MANAGER_PASSWORD",
                },
                integration_key: serve::Given {
                    value: integration_key,
                    file: integration_key_file,
                    flag: "--integration-key",
                    env: "LOYALTY_INTEGRATION_KEY",
                },
                jwt_without_token: mloyalty_jwt_without_token,
            };
            logging::to_stderr(&log);
            serve::serve(
                listen,
                db,
                (demo, demo_heavy),
                credentials,
                key_retention,
                limits,
                codes,
            )
            .await
        }
        // clap requires --db unless a subcommand is given.
        Some(Command::Serve { db: None, .. }) => Err("serve needs --db".into()),
        Some(
            Command::Client { .. }
            | Command::Groups { .. }
            | Command::Journal { .. }
            | Command::WriteOff(_)
            | Command::Reverse(_)
            | Command::Shift { .. }
            | Command::Export { .. }
            | Command::Completions { .. }
            | Command::Man
            | Command::Config { .. },
        ) => {
            unreachable!("run above, with their own exit codes")
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("loyalty: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Said when the console is started without a terminal to draw on.
const NO_TERMINAL: &str = "the console needs a terminal: standard input and output must both be one. \
Without a terminal, use the commands that need none: `loyalty serve` (the loyalty server), \
`loyalty config path|init|check`, `loyalty completions`, `loyalty man`; `loyalty --help` lists them.";

async fn console(
    config: Option<PathBuf>,
    profile: Option<&str>,
    log: &logging::Level,
    started: std::time::Instant,
) -> Result<(), String> {
    let paths = Paths::resolve(config, env).map_err(|e| e.0)?;
    let file = ConfigFile::load(&paths.config_file, paths.config_explicit).map_err(|e| e.0)?;
    let settings = file.resolve(profile, env).map_err(|e| e.0)?;
    let keymap = runtime::keys::load(&paths.keys_file())?;
    if !(std::io::stdin().is_terminal() && std::io::stdout().is_terminal()) {
        // Checked after the config (its errors say more) and before anything is created.
        return Err(NO_TERMINAL.to_string());
    }
    logging::to_dir(&paths.state_dir, log).map_err(|e| format!("log: {e}"))?;
    tracing::info!(version = env!("CARGO_PKG_VERSION"), "console starting");
    let launched = launch::launch(&settings, &paths).await?;
    let journal_label = launched.journal_label();
    let config_readable = secrets_exposed(&paths.config_file, &file);
    if config_readable {
        tracing::warn!(
            "{} holds secrets and is readable by others",
            paths.config_file.display()
        );
    }
    for fault in &launched.faults {
        tracing::warn!(
            "{}: {} (that vendor is off)",
            paths.config_file.display(),
            fault.message()
        );
    }
    let found = runtime::start::Found {
        settings: &settings,
        keymap,
        config_file: &paths.config_file,
        config_readable,
    };
    let session = uuid::Uuid::new_v4().simple().to_string();
    let model = runtime::start::model(found, &launched, session, jiff::Timestamp::now());
    // This thread draws every frame (the loop below runs on it).
    runtime::look::install(&settings.theme);
    let outcome = runtime::run_in_terminal(settings.mouse, |terminal| {
        tokio::task::block_in_place(|| {
            tokio::runtime::Handle::current().block_on(runtime::run(
                terminal,
                model,
                launched.services,
                paths.exports(),
                Journal::new(paths.journal(), journal_label).by(settings.login()),
                started,
                launched.seeding,
            ))
        })
    })
    .map_err(|e| format!("terminal: {e}"))?;
    outcome.map_err(|e| format!("terminal: {e}"))?;
    tracing::info!("console stopped");
    Ok(())
}

/// A scriptable command: its output on stdout, what went wrong on stderr, and an exit code
/// that says which (docs/cli.md). Its log goes where the console's does.
/// Puts a question on stderr and reads the answer from the terminal: yes only for `y` or
/// `yes` (either language's `д`, `да`), so Enter alone declines.
fn ask_on_terminal(question: &str) -> std::io::Result<bool> {
    eprint!("{question}");
    std::io::stderr().flush()?;
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer)?;
    Ok(matches!(
        answer.trim().to_lowercase().as_str(),
        "y" | "yes" | "д" | "да"
    ))
}

/// Puts a prompt on the terminal and reads a line with its echo off (a manager's PIN):
/// what is typed is never shown.
fn secret_on_terminal(prompt: &str) -> std::io::Result<String> {
    rpassword::prompt_password(prompt)
}

async fn scripted(
    config: Option<PathBuf>,
    profile: Option<String>,
    log: &logging::Level,
    script: Script,
) -> ExitCode {
    let usage = |message: String| cli::Failure::new(cli::Exit::Usage, message);
    let outcome = async {
        let paths = Paths::resolve(config, env).map_err(|e| usage(e.0))?;
        let file =
            ConfigFile::load(&paths.config_file, paths.config_explicit).map_err(|e| usage(e.0))?;
        let settings = file
            .resolve(profile.as_deref(), env)
            .map_err(|e| usage(e.0))?;
        logging::to_dir(&paths.state_dir, log).map_err(|e| usage(format!("log: {e}")))?;
        tracing::info!(command = script.name(), "script");
        let mut ask = ask_on_terminal;
        let mut secret = secret_on_terminal;
        let terminal = std::io::stdin().is_terminal();
        let ask: cli::Ask =
            terminal.then_some(&mut ask as &mut dyn FnMut(&str) -> std::io::Result<bool>);
        let secret: cli::Secret =
            terminal.then_some(&mut secret as &mut dyn FnMut(&str) -> std::io::Result<String>);
        cli::run(
            script,
            &settings,
            &paths,
            &mut std::io::stdout(),
            (ask, secret),
        )
        .await
    };
    match outcome.await {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => exit_with(failure),
    }
}

fn finish(outcome: Result<(), cli::Failure>) -> ExitCode {
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => exit_with(failure),
    }
}

/// Says why a command failed, on stderr and in the log, and exits with its code; a closed
/// standard output is how a pipeline ends, and says nothing.
fn exit_with(failure: cli::Failure) -> ExitCode {
    if failure.exit != cli::Exit::Closed {
        tracing::warn!(exit = failure.exit as u8, "{}", failure.message);
        eprintln!("loyalty: {}", failure.message);
    }
    ExitCode::from(failure.exit as u8)
}

/// Writes a command's output; a reader that went away ends the command (see `exit_with`).
fn emit(out: &mut impl Write, text: impl AsRef<[u8]>) -> Result<(), cli::Failure> {
    out.write_all(text.as_ref())
        .and_then(|()| out.flush())
        .map_err(|e| cli::Exit::of_output(&e))
}

/// The manual page, from the same definitions as `--help`; `docs/loyalty.1` is this, kept
/// current by a test.
fn man_page() -> Vec<u8> {
    let mut page = Vec::new();
    // Rendering into memory cannot fail.
    let _ = clap_mangen::Man::new(Cli::command()).render(&mut page);
    page
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serve_listens_on_loopback_unless_told_otherwise() {
        let cli = Cli::try_parse_from(["loyalty", "serve", "--db", "shop.db"]).unwrap();
        let Some(Command::Serve { listen, .. }) = cli.command else {
            panic!("serve")
        };
        assert!(listen.ip().is_loopback(), "{listen}");
    }

    #[test]
    fn the_checked_in_man_page_is_current() {
        let page = String::from_utf8(man_page()).unwrap();
        assert!(page.contains(".TH loyalty"), "{page}");
        assert!(
            page == include_str!("../docs/loyalty.1"),
            "docs/loyalty.1 is not what `loyalty man` prints: run `cargo run -- man > docs/loyalty.1`"
        );
    }
}
