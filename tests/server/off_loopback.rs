//! `loyalty serve` off loopback, as `docs/deploy.md` runs it: the real binary listens on
//! 0.0.0.0 (reached here through 127.0.0.1) in each documented configuration, on SQLite and
//! on PostgreSQL, and every vendor format refuses a caller without its credential or with a
//! wrong one; a format given no credential is closed, not open, and the start-up message
//! says who may use each. A bad secret stops the server before anything is created.

use crate::common;
use crate::common::requests;

use common::postgres::Postgres as Cluster;
use loyalty_console::server::store::Store;
use loyalty_console::server::{self, ServerState};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_loyalty");
const TOKEN: &str = "shop-token-0123456789abcdef";
const PASSWORD: &str = "manager-password-0123456789";
const KEY: &str = "regos-integration-key-0123456789";
/// The manager phone of the docs' example.
const MANAGER: &str = "79001234567";

/// The four formats as the start-up message names them.
const FORMATS: [&str; 4] = [
    "seed-001 /ext/api/v1/",
    "Poster /api/clients.*",
    "Mloyalty /managerlogin",
    "REGOS /gateway/out/{key}/",
];

/// A running `loyalty serve`, killed and waited for when the test ends, passing or not.
struct Served {
    child: Child,
    /// Through 127.0.0.1, whatever address it listens on.
    url: String,
    /// Each format's line of the start-up message.
    doors: Vec<String>,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The binary with a clean environment and its own dirs under `dir`.
fn loyalty(dir: &Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env_clear()
        .env("LOYALTY_DATA_DIR", dir.join("data"))
        .env("LOYALTY_CONFIG_DIR", dir.join("config"))
        .env("LOYALTY_STATE_DIR", dir.join("state"));
    common::same_clock(&mut cmd);
    cmd
}

/// Starts `cmd` (a `serve` listening on port 0), reads the start-up message's line for
/// each format from its log and its address from its first line of output.
fn start(cmd: &mut Command) -> Served {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("loyalty serve starts");
    let stderr = child.stderr.take().expect("piped stderr");
    let stdout = child.stdout.take().expect("piped stdout");
    let mut served = Served {
        child,
        url: String::new(),
        doors: Vec::new(),
    };
    // The message comes before the address is printed: read until every format is named.
    let mut log = BufReader::new(stderr).lines();
    let mut seen = String::new();
    while served.doors.len() < FORMATS.len() {
        let Some(Ok(line)) = log.next() else {
            panic!("loyalty serve stopped before naming every format:\n{seen}");
        };
        seen.push_str(&line);
        seen.push('\n');
        if FORMATS.iter().any(|f| line.contains(&format!("{f}: "))) {
            served.doors.push(line);
        }
    }
    std::thread::spawn(move || log.for_each(drop));
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("loyalty serve prints its address");
    let port = line
        .trim()
        .rsplit(':')
        .next()
        .unwrap_or_else(|| panic!("unexpected first line: {line}"));
    assert!(line.starts_with("listening on http://0.0.0.0:"), "{line}");
    served.url = format!("http://127.0.0.1:{port}");
    served
}

/// The line of the start-up message about `format`.
fn door<'a>(served: &'a Served, format: &str) -> &'a str {
    served
        .doors
        .iter()
        .find(|l| l.contains(&format!("{format}: ")))
        .unwrap_or_else(|| panic!("{format} not named: {:?}", served.doors))
}

/// Runs `loyalty serve user add NAME --role ROLE --db DB`; returns the new key.
fn add_user(dir: &Path, db: &str, name: &str, role: &str) -> String {
    requests::serve_user(loyalty(dir), db, &["add", name, "--role", role])
}

/// A file only its owner can read, holding `secret` and a line break, as an editor leaves it.
fn secret_file(dir: &Path, name: &str, secret: &str, mode: u32) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join(name);
    std::fs::write(&path, format!("{secret}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    path
}

/// What a caller can get from each format with `secret` as its credential.
struct Caller<'a> {
    http: &'a reqwest::Client,
    url: &'a str,
}

impl Caller<'_> {
    /// Seed 001 by bearer (`None`: no header) and by the `api_key` parameter: whether let in.
    async fn ext(&self, secret: Option<&str>) -> bool {
        let path = format!("{}/ext/api/v1/clients/?phone=%2B79123456789", self.url);
        let mut request = self.http.get(&path);
        if let Some(secret) = secret {
            request = request.bearer_auth(secret);
        }
        let by_bearer = request.send().await.unwrap().status();
        let by_param = self
            .http
            .get(format!(
                "{path}&login=till%40shop&api_key={}",
                secret.unwrap_or("")
            ))
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(
            by_bearer == StatusCode::UNAUTHORIZED,
            by_param == StatusCode::UNAUTHORIZED,
            "{by_bearer} {by_param}"
        );
        by_bearer != StatusCode::UNAUTHORIZED
    }

    /// Poster's `token` parameter (`None`: left out): whether groups were answered.
    async fn poster(&self, secret: Option<&str>) -> bool {
        let mut path = format!("{}/api/clients.getGroups", self.url);
        if let Some(secret) = secret {
            path = format!("{path}?token={secret}");
        }
        let answer: Value = self
            .http
            .get(path)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(
            answer.get("response").is_some() != answer.get("error").is_some(),
            "{answer}"
        );
        answer.get("response").is_some()
    }

    /// Mloyalty's login as `phone` with `secret` as the password; whether a JWT came, and
    /// the registrations' API is checked to refuse a caller without one.
    async fn mloyalty(&self, phone: &str, secret: &str) -> bool {
        for bearer in [None, Some("e30.e30.c2ln")] {
            let mut request = self
                .http
                .post(format!("{}/api/client/ClientInfoPeriod", self.url))
                .json(&json!({ "Token": 1001, "Operator": 1 }));
            if let Some(bearer) = bearer {
                request = request.bearer_auth(bearer);
            }
            let status = request.send().await.unwrap().status();
            assert_eq!(status, StatusCode::UNAUTHORIZED, "JWT {bearer:?}");
        }
        let login = format!("{}/managerlogin", self.url);
        let r = requests::password_login(self.http, &login, phone, secret)
            .send()
            .await
            .unwrap();
        let status = r.status();
        let answer: Value = r.json().await.unwrap();
        let jwt = answer["access_token"].as_str().map(str::to_string);
        assert_eq!(status == StatusCode::OK, jwt.is_some(), "{answer}");
        let Some(jwt) = jwt else {
            return false;
        };
        let status = self
            .http
            .post(format!("{}/api/client/ClientInfoPeriod", self.url))
            .bearer_auth(jwt)
            .json(&json!({ "Token": 1001, "Operator": 1 }))
            .send()
            .await
            .unwrap()
            .status();
        assert_ne!(status, StatusCode::UNAUTHORIZED);
        true
    }

    /// REGOS's card search with `secret` as the path key: whether cards were answered.
    async fn regos(&self, secret: &str) -> bool {
        let answer: Value = self
            .http
            .post(format!(
                "{}/gateway/out/{secret}/v1/RetailCard/Get",
                self.url
            ))
            .json(&json!({ "search": "Иван" }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        answer["ok"].as_bool().unwrap_or_else(|| panic!("{answer}"))
    }

    /// Every format refuses a caller without a credential, with a wrong one, and with
    /// `others` (credentials that belong to other formats or roles).
    async fn all_refuse_strangers(&self) {
        // Each format is asked from a loopback address of its own: the server slows an
        // address after ten refusals, and these are more than ten.
        let from = |n: u8| {
            reqwest::Client::builder()
                .local_address(std::net::IpAddr::from([127, 0, 0, n]))
                .build()
                .unwrap()
        };
        let (a, b, c, d) = (from(11), from(12), from(13), from(14));
        let from = |http| Caller {
            http,
            url: self.url,
        };
        for wrong in [None, Some("wrong-credential-0123456789")] {
            assert!(!from(&a).ext(wrong).await, "seed 001 with {wrong:?}");
            assert!(!from(&b).poster(wrong).await, "Poster with {wrong:?}");
        }
        for phone in [MANAGER, "79990000000"] {
            for password in ["", "wrong-credential-0123456789"] {
                assert!(
                    !from(&c).mloyalty(phone, password).await,
                    "{phone} {password:?}"
                );
            }
        }
        for key in ["x", "wrong-credential-0123456789"] {
            assert!(!from(&d).regos(key).await, "REGOS key {key:?}");
        }
    }
}

/// Each configuration of `docs/deploy.md`, over `db` (a SQLite file or a PostgreSQL URL,
/// fresh for each).
async fn every_configuration(dir: &Path, mut db: impl FnMut(&str) -> String) {
    let http = reqwest::Client::new();
    let serve = |db: &str| {
        let mut cmd = loyalty(dir);
        cmd.args(["serve", "--listen", "0.0.0.0:0", "--demo", "20", "--db", db]);
        cmd
    };

    // "Starting and stopping": the three secrets from the environment.
    let shop = start(
        serve(&db("shop"))
            .args(["--manager-user", MANAGER])
            .env("LOYALTY_SERVER_TOKEN", TOKEN)
            .env("LOYALTY_MANAGER_PASSWORD", PASSWORD)
            .env("LOYALTY_INTEGRATION_KEY", KEY),
    );
    let c = Caller {
        http: &http,
        url: &shop.url,
    };
    c.all_refuse_strangers().await;
    assert!(c.ext(Some(TOKEN)).await && c.poster(Some(TOKEN)).await);
    assert!(c.mloyalty(MANAGER, PASSWORD).await && c.regos(KEY).await);
    assert!(door(&shop, FORMATS[3]).contains("open to the --integration-key"));
    assert!(door(&shop, FORMATS[2]).contains(&format!("open to the manager {MANAGER}")));
    drop(shop);

    // The sample systemd unit: the token alone, from a file. The formats it is not the
    // credential of are closed to it and to everyone.
    let token_file = secret_file(dir, "token", TOKEN, 0o600);
    let unit = start(serve(&db("unit")).arg("--token-file").arg(&token_file));
    let c = Caller {
        http: &http,
        url: &unit.url,
    };
    c.all_refuse_strangers().await;
    assert!(c.ext(Some(TOKEN)).await && c.poster(Some(TOKEN)).await);
    assert!(!c.mloyalty("79990000000", TOKEN).await && !c.regos(TOKEN).await);
    for format in &FORMATS[..2] {
        assert!(
            door(&unit, format).contains("open to the --token"),
            "{format}"
        );
    }
    for format in &FORMATS[2..] {
        let line = door(&unit, format);
        assert!(
            line.contains("WARN") && line.contains("closed to everyone"),
            "{line}"
        );
    }
    drop(unit);

    // "A key for each till": users' keys, no shared secret.
    let tills = db("tills");
    let till = add_user(dir, &tills, "till-1", "cashier");
    let boss = add_user(dir, &tills, "back-office", "admin");
    let keyed = start(&mut serve(&tills));
    let c = Caller {
        http: &http,
        url: &keyed.url,
    };
    c.all_refuse_strangers().await;
    assert!(c.ext(Some(&till)).await && c.ext(Some(&boss)).await);
    assert!(!c.poster(Some(&till)).await && c.poster(Some(&boss)).await);
    assert!(!c.mloyalty("79990000000", &till).await && c.mloyalty("79990000000", &boss).await);
    assert!(!c.regos(&till).await && c.regos(&boss).await);
    assert!(door(&keyed, FORMATS[0]).contains("the keys of 2 live cashier or admin user(s)"));
    assert!(door(&keyed, FORMATS[3]).contains("open to the keys of 1 live admin user(s)"));
    drop(keyed);

    // "A chain of shops": users' keys and the shared token from the environment.
    let chain = db("chain");
    let till = add_user(dir, &chain, "shop1-till1", "cashier");
    let head = add_user(dir, &chain, "head-office", "admin");
    let instance = start(serve(&chain).env("LOYALTY_SERVER_TOKEN", TOKEN));
    let c = Caller {
        http: &http,
        url: &instance.url,
    };
    c.all_refuse_strangers().await;
    assert!(c.ext(Some(&till)).await && c.ext(Some(TOKEN)).await);
    assert!(!c.poster(Some(&till)).await && c.poster(Some(&head)).await);
    assert!(c.mloyalty("79990000000", &head).await && c.regos(&head).await);
    assert!(!c.mloyalty("79990000000", TOKEN).await && !c.regos(TOKEN).await);
    drop(instance);
}

#[tokio::test]
async fn every_documented_configuration_closes_every_format_to_strangers_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    every_configuration(dir.path(), |name| {
        root.join(format!("{name}.db")).display().to_string()
    })
    .await;
}

#[tokio::test]
async fn every_documented_configuration_closes_every_format_to_strangers_on_postgres() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut urls = Vec::new();
    for _ in 0..4 {
        urls.push(cluster.fresh_database().await);
    }
    every_configuration(dir.path(), |_| urls.pop().expect("a database each")).await;
}

/// How a `serve` that should not start ended, and what it said; one that starts after all
/// is stopped at once and fails the test rather than serving until killed.
fn outcome(cmd: &mut Command) -> (std::process::ExitStatus, String) {
    let mut served = Served {
        child: cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("loyalty serve runs"),
        url: String::new(),
        doors: Vec::new(),
    };
    let mut said = String::new();
    let mut line = String::new();
    BufReader::new(served.child.stdout.take().expect("piped stdout"))
        .read_line(&mut line)
        .unwrap();
    assert!(line.is_empty(), "started: {line}");
    std::io::Read::read_to_string(
        &mut served.child.stderr.take().expect("piped stderr"),
        &mut said,
    )
    .ok();
    (served.child.wait().unwrap(), said)
}

/// Empty and short secrets are refused off loopback before anything is created, from the
/// environment, a flag or a file; a file others can read is refused wherever the server
/// listens, and a server with no credential at all does not start.
#[test]
fn a_bad_secret_stops_the_server_off_loopback_before_it_starts() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    let refused = |cmd: &mut Command, said: &[&str]| {
        let (status, err) = outcome(cmd);
        assert!(!status.success(), "{err}");
        for s in said {
            assert!(err.contains(s), "{s:?} not in {err}");
        }
        assert!(
            !err.contains("change-me"),
            "the secret is never repeated: {err}"
        );
        assert!(!db.exists(), "nothing created: {err}");
    };
    let serve = |listen: &str| {
        let mut cmd = loyalty(dir.path());
        cmd.args(["serve", "--listen", listen, "--db"]).arg(&db);
        cmd
    };
    let public = || serve("0.0.0.0:0");
    for (variable, flag) in [
        ("LOYALTY_MANAGER_PASSWORD", "--manager-password"),
        ("LOYALTY_INTEGRATION_KEY", "--integration-key"),
        ("LOYALTY_SERVER_TOKEN", "--token"),
    ] {
        refused(public().env(variable, ""), &[&format!("{flag} is empty")]);
        refused(
            public().env(variable, "change-me"),
            &[&format!("{flag} is too short")],
        );
        refused(
            public().args([flag, "change-me"]),
            &["too short", "at least 16"],
        );
        let file = secret_file(dir.path(), "short", "change-me", 0o600);
        refused(
            public().arg(format!("{flag}-file")).arg(&file),
            &[&format!("{flag}-file"), "too short"],
        );
        let file = secret_file(dir.path(), "shared", &"x".repeat(32), 0o644);
        for mut cmd in [public(), serve("127.0.0.1:0")] {
            refused(
                cmd.arg(format!("{flag}-file")).arg(&file),
                &["can be read by other users (mode 0644)", "chmod 600"],
            );
        }
        refused(
            public()
                .env(variable, "x".repeat(32))
                .arg(format!("{flag}-file"))
                .arg(&file),
            &["keep one"],
        );
    }
    refused(
        loyalty(dir.path())
            .args(["serve", "--listen", "0.0.0.0:0", "--db"])
            .arg(&db),
        &[
            "refusing to listen on 0.0.0.0:0 without a credential",
            "serve user add",
        ],
    );

    // The same file made the owner's only is taken; the manager password and the
    // integration key likewise.
    let files: Vec<PathBuf> = ["t", "p", "k"]
        .iter()
        .map(|name| secret_file(dir.path(), name, &"x".repeat(32), 0o600))
        .collect();
    let served = start(
        loyalty(dir.path())
            .args(["serve", "--listen", "0.0.0.0:0", "--db"])
            .arg(&db)
            .arg("--token-file")
            .arg(&files[0])
            .arg("--manager-password-file")
            .arg(&files[1])
            .arg("--integration-key-file")
            .arg(&files[2]),
    );
    for format in FORMATS {
        assert!(door(&served, format).contains("open to the"), "{format}");
    }
}

/// The library's own server, off loopback: a state built without credentials (as tests and
/// the console build theirs) is closed there, and an empty manager password is no password.
#[tokio::test]
async fn a_state_without_credentials_is_closed_off_loopback_and_open_on_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_sqlite(&dir.path().join("s.db")).unwrap();
    store.seed_demo(5, jiff::Timestamp::now()).await.unwrap();
    let state = ServerState::new(store, None)
        .await
        .with_manager("79990000000".into(), String::new());
    let http = reqwest::Client::new();
    let public = server::spawn("0.0.0.0:0".parse().unwrap(), state.clone())
        .await
        .unwrap();
    let url = format!("http://127.0.0.1:{}", public.port());
    let c = Caller {
        http: &http,
        url: &url,
    };
    c.all_refuse_strangers().await;
    let local = server::spawn("127.0.0.1:0".parse().unwrap(), state)
        .await
        .unwrap();
    let url = format!("http://{local}");
    let c = Caller {
        http: &http,
        url: &url,
    };
    assert!(c.ext(None).await && c.poster(None).await && c.regos("any").await);
    assert!(c.mloyalty("79990000000", "").await);
}
