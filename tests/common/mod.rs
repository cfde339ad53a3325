//! Shared by the integration tests: a `loyalty serve` in-process on 127.0.0.1 over a
//! temporary database, and an adapter pointed at it.
#![allow(dead_code)] // each test crate uses its own part of this module

pub mod gateway;
pub mod outbox;
pub mod postgres;
pub mod raw;
pub mod requests;
pub mod stub;
pub mod tmux;

use jiff::Timestamp;
use loyalty_console::backend::ext::ExtAdapter;
use loyalty_console::clock::Clock;
use loyalty_console::config::{ExtCredential, Secret};
use loyalty_console::server::store::Store;
use loyalty_console::server::{self, ServerState};
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};

pub const TOKEN: &str = "test-token-7f3a9c";
pub const MANAGER: &str = "79990000000";
pub const PASSWORD: &str = "Пароль with spaces & symbols";
pub const INTEGRATION_KEY: &str = "integration-9d2f";
/// The seed's sample client, the first of every demo data set.
pub const SAMPLE: loyalty_console::domain::ClientId = loyalty_console::domain::ClientId(1_234_567);

pub struct TestServer {
    pub addr: SocketAddr,
    /// The test's own "now": the demo data is laid out around it and the server's clock
    /// stands at it (move it with `clock.advance`), whatever the machine's calendar says.
    pub anchor: Timestamp,
    pub clock: Clock,
    pub store: Store,
    pub state: ServerState,
    _dir: tempfile::TempDir,
}

impl TestServer {
    /// A server with `clients` demo clients, requiring [`TOKEN`], the manager login and
    /// [`INTEGRATION_KEY`].
    pub async fn start(clients: u64) -> TestServer {
        Self::start_with(clients, |s| s).await
    }

    /// Like [`TestServer::start`], with the server's state adjusted by `tune`.
    pub async fn start_with(
        clients: u64,
        tune: impl FnOnce(ServerState) -> ServerState,
    ) -> TestServer {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open_sqlite(&dir.path().join("loyalty.db")).expect("open store");
        Self::start_on(store, dir, clients, tune).await
    }

    /// A server over `store` (SQLite or PostgreSQL) seeded with `clients` demo clients;
    /// `dir` is kept as long as the server.
    pub async fn start_on(
        store: Store,
        dir: tempfile::TempDir,
        clients: u64,
        tune: impl FnOnce(ServerState) -> ServerState,
    ) -> TestServer {
        // Whole seconds: the wire formats carry no finer times.
        let anchor = Timestamp::from_second(Timestamp::now().as_second()).unwrap();
        let clock = Clock::pinned(anchor);
        store.seed_demo(clients, anchor).await.expect("seed");
        let state = ServerState::new(store.clone(), Some(TOKEN.to_string()))
            .await
            .with_manager(MANAGER.to_string(), PASSWORD.to_string())
            .with_integration_key(Some(INTEGRATION_KEY.to_string()))
            .with_clock(clock.clone());
        let state = tune(state);
        let addr = server::spawn(SocketAddr::from(([127, 0, 0, 1], 0)), state.clone())
            .await
            .expect("bind");
        TestServer {
            addr,
            anchor,
            clock,
            store,
            state,
            _dir: dir,
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn adapter(&self) -> ExtAdapter {
        ExtAdapter::new(&self.url(), ExtCredential::Bearer(Secret::new(TOKEN))).expect("adapter")
    }

    /// Every balance that disagrees with the sum of its ledger, as `serve --check` finds.
    pub async fn ledger_mismatches(&self) -> Vec<(i64, String, i64, i64)> {
        self.store.check().await.expect("ledger check").mismatches
    }

    /// The SQLite database under the server, for raw SQL.
    pub fn sqlite(&self) -> &loyalty_console::server::store::Sqlite {
        self.store.sqlite().expect("a SQLite test server")
    }
}

/// A process a test started: killed and reaped when the test ends, passing or failing, so
/// a failed test leaves nothing running (an orphan holds the pipe the calendar check's
/// faketime waits on, and CI hangs instead of failing).
pub struct Reaped {
    child: Child,
    /// Where its stderr goes, so a failure can say what it said.
    stderr: Option<tempfile::NamedTempFile>,
}

impl Reaped {
    pub fn new(child: Child) -> Reaped {
        Reaped {
            child,
            stderr: None,
        }
    }

    /// What the process wrote on stderr so far.
    pub fn said(&self) -> String {
        self.stderr
            .as_ref()
            .and_then(|f| std::fs::read_to_string(f.path()).ok())
            .unwrap_or_default()
    }
}

impl std::ops::Deref for Reaped {
    type Target = Child;
    fn deref(&self) -> &Child {
        &self.child
    }
}

impl std::ops::DerefMut for Reaped {
    fn deref_mut(&mut self) -> &mut Child {
        &mut self.child
    }
}

impl Drop for Reaped {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the real `loyalty serve` as `cmd` describes (listening on port 0) and reads the
/// address it prints; returns the process, killed when dropped, and its base URL. A server
/// that does not start says why: its stderr is in the panic.
pub fn spawn_serve(cmd: &mut Command) -> (Reaped, String) {
    let stderr = tempfile::NamedTempFile::new().expect("a file for stderr");
    let child = cmd
        .stdout(Stdio::piped())
        .stderr(stderr.reopen().expect("stderr file"))
        .spawn()
        .expect("loyalty serve starts");
    let mut served = Reaped {
        child,
        stderr: Some(stderr),
    };
    let mut line = String::new();
    let out = served.child.stdout.take().expect("piped stdout");
    let read = BufReader::new(out).read_line(&mut line);
    let url = match (read, line.trim().strip_prefix("listening on ")) {
        (Ok(_), Some(url)) => url.to_string(),
        _ => {
            let _ = served.child.kill();
            let _ = served.child.wait();
            panic!(
                "loyalty serve did not start: {line:?}\nits stderr:\n{}",
                served.said()
            );
        }
    };
    (served, url)
}

/// `loyalty serve --check --db DB` run as a process: its status and its report.
pub fn check_database(db: &std::path::Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_loyalty"))
        .args(["serve", "--check", "--db"])
        .arg(db)
        .output()
        .expect("loyalty serve --check runs")
}

/// Gives a child whose environment was cleared the test's own wall clock: under the
/// calendar check (libfaketime, `.ci/run`) it would otherwise judge coupons and dates by the
/// real calendar while the test server stands a year away.
pub fn same_clock(cmd: &mut Command) {
    for (name, value) in std::env::vars_os() {
        let faked = name.to_str().is_some_and(|n| n.starts_with("FAKETIME"));
        if faked || name == "LD_PRELOAD" {
            cmd.env(name, value);
        }
    }
}
