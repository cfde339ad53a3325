//! The command line: every subcommand and option, from which `--help`, the completions and
//! the man page are all made.

use crate::{db_arg, users};
use clap::{Parser, Subcommand};
use loyalty_console::cli;
use loyalty_console::server::store::DbTarget;
use std::net::SocketAddr;
use std::path::PathBuf;

/// A terminal console for loyalty programs.
#[derive(Parser)]
#[command(name = "loyalty", version, about)]
pub struct Cli {
    /// Config file (default: config.toml in the config dir).
    #[arg(long, global = true, env = "LOYALTY_CONFIG")]
    pub config: Option<PathBuf>,
    /// Profile to use instead of `default_profile`.
    #[arg(long, global = true, env = "LOYALTY_PROFILE")]
    pub profile: Option<String>,
    /// What to log: a level (error, warn, info, debug, trace) or a filter such as
    /// `info,loyalty=debug`; overrides LOYALTY_LOG.
    #[arg(long, global = true, value_name = "LEVEL")]
    pub log_level: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

// Parsed once at start: the size of the server's variant costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
pub enum Command {
    /// Run the loyalty server.
    #[command(subcommand_negates_reqs = true, args_conflicts_with_subcommands = true)]
    Serve {
        #[command(subcommand)]
        manage: Option<ServeCommand>,
        /// Address to listen on; loopback unless you mean otherwise.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        /// The database: a SQLite file (created if missing) for one shop, or a
        /// `postgres://user:password@host/db` URL for a chain of instances over one database.
        #[arg(
            long,
            required = true,
            env = "LOYALTY_DATABASE_URL",
            hide_env_values = true,
            value_parser = db_arg::DbArg
        )]
        db: Option<DbTarget>,
        /// Seed N demo clients into an empty database.
        #[arg(long, value_name = "N")]
        demo: Option<u64>,
        /// With --demo: make one of the demo clients (not the sample) as big as a long
        /// customer's card, for measuring the console (`scripts/bench.sh cards`).
        #[arg(long, value_name = "CLIENT:HISTORY:COUPONS", requires = "demo")]
        demo_heavy: Option<loyalty_console::server::demo::Heavy>,
        /// Bearer token of the /ext/api/v1/ API, also Poster's `token` parameter. Off
        /// loopback at least 16 characters. Give it by the variable or --token-file: a flag
        /// shows in the process list.
        #[arg(long, env = "LOYALTY_SERVER_TOKEN", hide_env_values = true)]
        token: Option<String>,
        /// File holding the token, readable by its owner only (0600).
        #[arg(long, value_name = "PATH")]
        token_file: Option<PathBuf>,
        /// Mloyalty manager login accepted by /managerlogin: a phone number, as the vendor
        /// reads logins as numbers.
        #[arg(long, default_value = "79990000000")]
        manager_user: String,
        /// Issue Mloyalty JWTs with only the vendor's `oper` claim and no `token` (as its
        /// older servers do); clients then give the token themselves.
        #[arg(long)]
        mloyalty_jwt_without_token: bool,
        /// Password of the Mloyalty manager login. Without it only admin users' keys log in
        /// (on loopback with no user added, any login). Off loopback at least 16 characters.
        #[arg(long, env = "LOYALTY_MANAGER_PASSWORD", hide_env_values = true)]
        manager_password: Option<String>,
        /// File holding the manager password, readable by its owner only (0600).
        #[arg(long, value_name = "PATH")]
        manager_password_file: Option<PathBuf>,
        /// REGOS integration key expected in /gateway/out/{key}/. Without it only admin
        /// users' keys are taken (on loopback with no user added, any key). Off loopback at
        /// least 16 characters.
        #[arg(long, env = "LOYALTY_INTEGRATION_KEY", hide_env_values = true)]
        integration_key: Option<String>,
        /// File holding the integration key, readable by its owner only (0600).
        #[arg(long, value_name = "PATH")]
        integration_key_file: Option<PathBuf>,
        /// Do not serve: check the database (integrity, every balance against its ledger,
        /// every reversal against its original), report, and exit non-zero on any problem.
        #[arg(long)]
        check: bool,
        /// Do not serve: bring the database's schema up to this version's, and exit.
        #[arg(long, conflicts_with = "check")]
        migrate: bool,
        /// How long an idempotency key's answer is remembered, e.g. 48h, 90m, 5m: a
        /// retry within it gets the first answer, not a second movement. Below 24h the
        /// callers' promise of a day is broken: for soaks and tests.
        #[arg(long, value_name = "DURATION", default_value = "48h", value_parser = crate::serve::parse_retention)]
        key_retention: std::time::Duration,
        #[command(flatten)]
        limits: crate::serve::LimitArgs,
        #[command(flatten)]
        codes: crate::serve::CodeArgs,
    },
    /// Show or create the configuration.
    Config {
        #[command(subcommand)]
        action: ConfigAction,
    },
    /// Find a client, show their balances and coupons, list their history.
    Client {
        #[command(subcommand)]
        command: cli::ClientCommand,
    },
    /// Poster's marketing groups.
    Groups {
        #[command(subcommand)]
        command: cli::GroupsCommand,
    },
    /// Write off a client's points, roubles or coupons: asks first on a terminal, needs
    /// `--yes` otherwise. Exit 4: no answer came and the check could not tell whether it
    /// went through; look at the history before trying again.
    WriteOff(cli::WriteOffArgs),
    /// Give back all or part of a write-off (сторно) with a manager's PIN: asks first on a
    /// terminal, needs `--yes` otherwise. Exit 4: no answer came and reading the operation
    /// back could not tell whether it went through.
    Reverse(cli::ReverseArgs),
    /// The shift's totals per cashier (Итоги смены).
    Shift {
        #[command(subcommand)]
        command: cli::ShiftCommand,
    },
    /// Every row of an admin table as CSV on standard output.
    Export {
        #[command(subcommand)]
        command: cli::ExportCommand,
    },
    /// This console's journal of movements (write-offs and reversals), newest first.
    Journal {
        #[arg(long)]
        json: bool,
    },
    /// Print the shell's completion script, e.g.
    /// `loyalty completions bash > ~/.local/share/bash-completion/completions/loyalty`.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff): `loyalty man | man -l -`.
    Man,
}

#[derive(Subcommand)]
pub enum ServeCommand {
    /// Manage the API keys of tills and admins, and the managers' PINs.
    User {
        #[command(subcommand)]
        action: users::UserAction,
    },
}

#[derive(Subcommand)]
pub enum ConfigAction {
    /// Print where the config, database and log live.
    Path,
    /// Write a commented config template and keys.toml (never overwrites either).
    Init,
    /// Call each provider of the profile once and report ok or the error.
    Check,
    /// Print the key bindings in effect (the registry with keys.toml over it), as
    /// keys.toml writes them.
    Keys,
}
