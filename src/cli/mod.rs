//! The scriptable face: what a cashier or admin reads, without the TUI, for scripts and
//! support staff. Human output is aligned tables in the UI language; `--json` is stable and
//! documented in `docs/cli.md`. The exit code says what happened.

mod admin;
mod client;
mod code;
mod export;
mod json;
mod pin;
mod reverse;
mod shift;
mod table;
mod write_off;

pub use admin::GroupsCommand;
pub use client::ClientCommand;
pub use export::ExportCommand;
pub use pin::Secret;
pub use reverse::ReverseArgs;
pub use shift::ShiftCommand;
pub use write_off::{Ask, WriteOffArgs};

use crate::backend::Services;
use crate::config::{Paths, Settings, Vendor};
use crate::domain::days;
use crate::domain::{ErrorKind, Reason, ServiceError};
use crate::i18n::{Locale, describe};
use crate::ops::journal::Journal;
use crate::ops::launch;
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use std::io::Write;

/// What a command came to, as its exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Ok = 0,
    /// A business refusal: not found, insufficient balance, an expired coupon.
    Refused = 1,
    /// The command line or the configuration is wrong.
    Usage = 2,
    /// The network or the vendor failed: nothing is known to have happened.
    Failed = 3,
    /// A write-off whose outcome is unknown: check before trying again.
    Unknown = 4,
    /// Standard output was closed by its reader (`| head`): the command ends quietly with
    /// the status a shell shows for a program that SIGPIPE ended (128 + 13).
    Closed = 141,
}

impl Exit {
    /// How a failed write to standard output ends the command: quietly when the reader went
    /// away, which is how pipelines end, as a vendor-free failure otherwise.
    pub fn of_output(e: &std::io::Error) -> Failure {
        match e.kind() {
            std::io::ErrorKind::BrokenPipe => Failure::new(Exit::Closed, ""),
            _ => Failure::new(Exit::Failed, format!("standard output: {e}")),
        }
    }
}

/// A command that did not succeed: its exit code and what to tell on stderr.
#[derive(Debug)]
pub struct Failure {
    pub exit: Exit,
    pub message: String,
}

impl Failure {
    pub fn new(exit: Exit, message: impl Into<String>) -> Failure {
        Failure {
            exit,
            message: message.into(),
        }
    }

    /// A read that failed: refused by the vendor (1), with nothing configured to ask (2),
    /// or the network or the vendor failing (3). A read has no outcome to be unsure of. Said
    /// in the catalogue's words; the vendor's own go to the log.
    pub fn of_read(locale: Locale) -> impl Fn(ServiceError) -> Failure {
        move |e| {
            let exit = match e.kind {
                ErrorKind::Rejected => Exit::Refused,
                ErrorKind::NotConfigured => Exit::Usage,
                _ => Exit::Failed,
            };
            tracing::warn!(kind = ?e.kind, "{}", e.detail);
            Failure::new(exit, describe::refusal(locale.text(), &e))
        }
    }
}

/// A money movement that was refused or never sent: refused with a reason the server gave
/// (a limit, a wrong PIN) or by a plain 4xx (1), nothing configured (2), or the network
/// or the vendor failing before it was sent (3). A refusal that a manager's PIN can lift
/// says how to give one here.
pub(crate) fn movement_failure(locale: Locale, e: ServiceError) -> Failure {
    let t = locale.text();
    let exit = match (e.reason, e.kind) {
        (Some(_), _) | (None, ErrorKind::Rejected) => Exit::Refused,
        (None, ErrorKind::NotConfigured) => Exit::Usage,
        _ => Exit::Failed,
    };
    tracing::warn!(kind = ?e.kind, "{}", e.detail);
    let mut message = describe::refusal(t, &e);
    if matches!(e.reason, Some(Reason::Limit(_) | Reason::ManagerRequired)) {
        message = format!("{message}. {}", t.cli.pin_env_hint);
    }
    Failure::new(exit, message)
}

/// What every command is given: the services of the profile (or the built-in server), the
/// UI language and the local time zone, and where to print.
pub struct Context<'a> {
    pub services: &'a Services,
    pub locale: Locale,
    pub tz: TimeZone,
    pub out: &'a mut dyn Write,
}

impl Context<'_> {
    fn print(&mut self, text: &str) -> Result<(), Failure> {
        self.out
            .write_all(text.as_bytes())
            .and_then(|()| self.out.flush())
            .map_err(|e| Exit::of_output(&e))
    }
}

/// Days given on the command line (local time, both inclusive) as the instants that bound
/// them: from the first instant of `from` to the last of `to`.
fn period(
    tz: &TimeZone,
    from: Option<Date>,
    to: Option<Date>,
) -> Result<(Option<Timestamp>, Option<Timestamp>), Failure> {
    let bound = |d: Date, last: bool| {
        let t = if last {
            days::last_instant(d, tz)
        } else {
            days::first_instant(d, tz)
        };
        t.ok_or_else(|| Failure::new(Exit::Usage, format!("{d}: no such day here")))
    };
    let from = from.map(|d| bound(d, false)).transpose()?;
    let to = to.map(|d| bound(d, true)).transpose()?;
    if let (Some(f), Some(t)) = (from, to)
        && f > t
    {
        return Err(Failure::new(Exit::Usage, "--from is after --to"));
    }
    Ok((from, to))
}

/// A scriptable command, as the command line gave it.
#[derive(Debug)]
pub enum Script {
    Client(ClientCommand),
    Groups(GroupsCommand),
    WriteOff(WriteOffArgs),
    Reverse(ReverseArgs),
    Shift(ShiftCommand),
    Export(ExportCommand),
    /// This console's write-off journal; `true`: as JSON.
    Journal {
        json: bool,
    },
}

impl Script {
    /// The vendor whose section the command needs.
    fn vendor(&self) -> Option<Vendor> {
        match self {
            Script::Client(_) | Script::WriteOff(_) | Script::Reverse(_) => Some(Vendor::Ext),
            // The report comes from the journal when there is no provider to ask.
            Script::Shift(_) => None,
            Script::Groups(_) => Some(Vendor::Poster),
            Script::Export(ExportCommand::Registrations { .. }) => Some(Vendor::Mloyalty),
            Script::Export(ExportCommand::CardOperations { .. }) => Some(Vendor::Regos),
            Script::Export(ExportCommand::History { .. }) => Some(Vendor::Ext),
            Script::Journal { .. } => None,
        }
    }

    /// The command's name, for the log: its arguments (a phone, an email) stay out of it.
    pub fn name(&self) -> &'static str {
        match self {
            Script::Client(ClientCommand::Find { .. }) => "client find",
            Script::Client(ClientCommand::Show { .. }) => "client show",
            Script::Client(ClientCommand::History { .. }) => "client history",
            Script::Groups(GroupsCommand::List { .. }) => "groups list",
            Script::WriteOff(_) => "write-off",
            Script::Reverse(_) => "reverse",
            Script::Shift(_) => "shift report",
            Script::Export(ExportCommand::Registrations { .. }) => "export registrations",
            Script::Export(ExportCommand::CardOperations { .. }) => "export card-operations",
            Script::Export(ExportCommand::History { .. }) => "export history",
            Script::Journal { .. } => "journal",
        }
    }
}

/// Runs a command on the profile's adapters, or on the built-in server over the data dir's
/// database (a new one is filled with demo data first, as the console does). `ask` puts a
/// movement's question to the person at the terminal, when there is one; `secret` asks a
/// manager's PIN there without echo.
pub async fn run(
    script: Script,
    settings: &Settings,
    paths: &Paths,
    out: &mut dyn Write,
    (ask, secret): (Ask<'_>, Secret<'_>),
) -> Result<(), Failure> {
    let tz = TimeZone::system();
    if let Script::Journal { json } = script {
        // The journal is this console's own file: no service is needed to read it.
        let rows = Journal::new(paths.journal(), String::new())
            .rows()
            .map_err(|e| {
                Failure::new(Exit::Failed, format!("{}: {e}", paths.journal().display()))
            })?;
        let mut cx = Context {
            services: &Services::default(),
            locale: settings.locale,
            tz,
            out,
        };
        return admin::journal(&mut cx, &rows, json);
    }
    let launched = launch::launch(settings, paths)
        .await
        .map_err(|e| Failure::new(Exit::Failed, e))?;
    // A mistake in another vendor's section is none of this command's business.
    if let Some(fault) = launched
        .faults
        .iter()
        .find(|f| Some(f.vendor) == script.vendor())
    {
        return Err(Failure::new(
            Exit::Usage,
            format!(
                "{}: {}",
                paths.config_file.display(),
                crate::i18n::describe::setting(settings.locale.text(), &fault.fault)
            ),
        ));
    }
    let label = launched.journal_label();
    if let Some(seeding) = launched.seeding {
        seeding
            .await
            .map_err(|e| Failure::new(Exit::Failed, format!("demo data: {e}")))?
            .map_err(Failure::of_read(settings.locale))?;
    }
    let mut cx = Context {
        services: &launched.services,
        locale: settings.locale,
        tz,
        out,
    };
    match script {
        Script::Client(command) => client::run(&mut cx, command).await,
        Script::Groups(command) => admin::groups(&mut cx, command).await,
        Script::Export(command) => {
            // The registrations' days are the vendor's zone's, as on the console's F5.
            let zone = launched.registrations_zone.unwrap_or(cx.tz.clone());
            export::run(&mut cx, command, zone).await
        }
        Script::WriteOff(args) => {
            let journal = Journal::new(paths.journal(), label).by(settings.login());
            // One key per command: a write-off run again is a new write-off.
            let key = format!("{}-cli", uuid::Uuid::new_v4().simple());
            let codes = settings.codes();
            write_off::run(&mut cx, (args, codes), &journal, key, (ask, secret)).await
        }
        Script::Reverse(args) => {
            let journal = Journal::new(paths.journal(), label).by(settings.login());
            // A reversal has its own key, fresh for each command.
            let key = format!("{}-cli", uuid::Uuid::new_v4().simple());
            let asking = reverse::Asking { ask, secret };
            reverse::run(&mut cx, args, &journal, key, asking).await
        }
        Script::Shift(command) => {
            let journal = Journal::new(paths.journal(), label).by(settings.login());
            shift::run(&mut cx, command, &journal).await
        }
        Script::Journal { .. } => unreachable!("read above without services"),
    }
}
