//! A throwaway PostgreSQL for tests: `initdb` into a temporary directory and `pg_ctl start`
//! on a free loopback port, as the `postgres` user when the tests run as root (PostgreSQL
//! refuses to run as root). Stopped and removed on drop. No mocks.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio_postgres::NoTls;

pub struct Postgres {
    bin: PathBuf,
    dir: tempfile::TempDir,
    pub port: u16,
    as_postgres: bool,
}

/// The newest `/usr/lib/postgresql/<version>/bin` that has `initdb`.
fn binaries() -> Option<PathBuf> {
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let version = e.file_name().to_string_lossy().parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, bin)| bin)
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

impl Postgres {
    /// A running cluster, or `None` with a loud message when no PostgreSQL is installed. Under
    /// CI (`CI` or `LOYALTY_REQUIRE_POSTGRES` set, as `.ci/run` sets it) a missing PostgreSQL
    /// fails the test: the runner swallows a skipped test's message, and the store contract
    /// would pass untested.
    pub fn start() -> Option<Postgres> {
        let Some(bin) = binaries() else {
            let required = ["CI", "LOYALTY_REQUIRE_POSTGRES"]
                .iter()
                .any(|v| std::env::var_os(v).is_some_and(|v| !v.is_empty()));
            assert!(
                !required,
                "no PostgreSQL binaries under /usr/lib/postgresql, and this run requires them \
                 (apt-get install postgresql)"
            );
            eprintln!(
                "\n*** SKIPPED: no PostgreSQL binaries under /usr/lib/postgresql \
                 (apt-get install postgresql) ***\n"
            );
            return None;
        };
        let dir = tempfile::tempdir().expect("temp dir");
        let as_postgres = is_root();
        if as_postgres {
            let owned = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(dir.path())
                .status()
                .expect("chown");
            assert!(owned.success(), "chown the cluster's directory to postgres");
        }
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let pg = Postgres {
            bin,
            dir,
            port,
            as_postgres,
        };
        let data = pg.data();
        pg.run(
            "initdb",
            &[
                "-D",
                &data,
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--no-sync",
                "--locale=C",
            ],
        );
        let options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300",
            pg.dir.path().display()
        );
        let log = format!("{}/log", pg.dir.path().display());
        pg.run(
            "pg_ctl",
            &["-D", &data, "-o", &options, "-l", &log, "-w", "start"],
        );
        Some(pg)
    }

    fn data(&self) -> String {
        format!("{}/data", self.dir.path().display())
    }

    /// Runs a PostgreSQL binary, as `postgres` when we are root.
    fn run(&self, program: &str, args: &[&str]) {
        let status = self
            .command(program)
            .args(args)
            .status()
            .unwrap_or_else(|e| panic!("{program}: {e}"));
        assert!(status.success(), "{program} {args:?} failed");
    }

    /// A PostgreSQL binary's command, as `postgres` when we are root. The cluster keeps the
    /// real wall clock when the tests run under libfaketime (`.ci/run`'s calendar check): in
    /// its preload PostgreSQL's timers never fire, so `lock_timeout` and
    /// `statement_timeout` would wait for ever. No SQL reads the database's clock.
    fn command(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        let mut cmd = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&path);
            c
        } else {
            Command::new(&path)
        };
        for (name, _) in std::env::vars_os() {
            let faked = name.to_str().is_some_and(|n| n.starts_with("FAKETIME"));
            if faked || name == "LD_PRELOAD" {
                cmd.env_remove(name);
            }
        }
        cmd
    }

    /// A new empty database on this cluster; its URL, as `--db` takes it.
    pub async fn fresh_database(&self) -> String {
        static NEXT: AtomicUsize = AtomicUsize::new(1);
        let name = format!("t{}", NEXT.fetch_add(1, Ordering::Relaxed));
        let (client, connection) = tokio_postgres::connect(&self.params("postgres"), NoTls)
            .await
            .expect("connect to the test cluster");
        tokio::spawn(connection);
        client
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .await
            .expect("create a test database");
        self.url(&name)
    }

    /// A connection of the test's own to the database at `url`, driven on the runtime.
    pub async fn connect(url: &str) -> tokio_postgres::Client {
        let (client, connection) = tokio_postgres::connect(url, NoTls)
            .await
            .expect("connect to the test database");
        tokio::spawn(connection);
        client
    }

    /// The URL of database `db`.
    pub fn url(&self, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{db}", self.port)
    }

    /// Connection parameters of database `db` as tokio-postgres reads them.
    pub fn params(&self, db: &str) -> String {
        format!(
            "host=127.0.0.1 port={} user=postgres dbname={db}",
            self.port
        )
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let data = self.data();
        let _ = self
            .command("pg_ctl")
            .args(["-D", &data, "-m", "immediate", "stop"])
            .status();
    }
}
