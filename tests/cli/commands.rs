//! The real binary: `loyalty serve` as a process, and the config commands and errors.

use crate::common;
use crate::common::requests;

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_loyalty");

fn loyalty(dir: &std::path::Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env_clear()
        .env("LOYALTY_DATA_DIR", dir.join("data"))
        .env("LOYALTY_CONFIG_DIR", dir.join("config"))
        .env("LOYALTY_STATE_DIR", dir.join("state"));
    cmd
}

/// `loyalty serve` on loopback over `db` with 20 demo clients.
fn demo_server(dir: &std::path::Path, db: &std::path::Path) -> Command {
    let mut cmd = loyalty(dir);
    cmd.args(["serve", "--listen", "127.0.0.1:0", "--demo", "20", "--db"])
        .arg(db);
    cmd
}

#[tokio::test]
async fn serve_speaks_seed_001_with_demo_data_and_a_token() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, url) = common::spawn_serve(
        loyalty(dir.path())
            .args(["serve", "--listen", "127.0.0.1:0", "--demo", "100"])
            .arg("--db")
            .arg(dir.path().join("shop.db"))
            .env("LOYALTY_SERVER_TOKEN", "tok"),
    );
    let http = reqwest::Client::new();
    let get = |path: &str| http.get(format!("{url}{path}")).bearer_auth("tok").send();
    let r = get("/ext/api/v1/clients/?phone=%257912345678")
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("Client First"));
    let r = get("/ext/api/v1/clients/1234600/balance/").await.unwrap();
    assert_eq!(r.status(), 200);
    let r = http
        .get(format!("{url}/ext/api/v1/clients/1234567/balance/"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn config_path_and_init() {
    let dir = tempfile::tempdir().unwrap();
    let out = loyalty(dir.path())
        .args(["config", "path"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success());
    assert!(
        text.contains(
            &dir.path()
                .join("config")
                .join("config.toml")
                .display()
                .to_string()
        ),
        "{text}"
    );
    assert!(
        text.contains(
            &dir.path()
                .join("data")
                .join("loyalty.db")
                .display()
                .to_string()
        ),
        "{text}"
    );
    assert!(text.contains("14 days kept"), "{text}");
    assert!(
        text.contains(&dir.path().join("state").display().to_string()),
        "{text}"
    );
    let out = loyalty(dir.path())
        .args(["config", "init"])
        .output()
        .unwrap();
    assert!(out.status.success());
    // What init says is about init: the two files it wrote.
    let said = String::from_utf8(out.stdout).unwrap();
    for file in ["config.toml", "keys.toml"] {
        let path = dir.path().join("config").join(file);
        assert!(
            said.contains(&format!("wrote {}", path.display())),
            "{said}"
        );
    }
    let written = std::fs::read_to_string(dir.path().join("config/config.toml")).unwrap();
    assert!(written.contains("[profiles.shop.ext]"));
    // It will hold secrets: only its owner may read it.
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(dir.path().join("config/config.toml"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    let again = loyalty(dir.path())
        .args(["config", "init"])
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("not overwritten"));
}

#[test]
fn config_errors_are_clear_and_name_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.toml");
    std::fs::write(&file, "default_profile = \"shop\"\n[profiles.shop.ext]\nbase_url = \"https://x.example\"\ntokn = \"abc\"\n").unwrap();
    // A mistake in a vendor's section leaves that vendor off: `config check` names it, with
    // the file, and exits 2; the commands that need the vendor say it too.
    let out = loyalty(dir.path())
        .arg("--config")
        .arg(&file)
        .args(["config", "check"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("tokn") && said.contains("bad.toml"), "{said}");
    let out = loyalty(dir.path())
        .arg("--config")
        .arg(&file)
        .args(["client", "find", "7912345678"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("tokn") && err.contains("bad.toml"), "{err}");
    // The file's own syntax is everyone's: the console does not start.
    std::fs::write(&file, "[profiles.shop.ext\n").unwrap();
    let out = loyalty(dir.path())
        .arg("--config")
        .arg(&file)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.toml") && !err.contains("terminal"),
        "{err}"
    );

    std::fs::write(
        &file,
        "[profiles.shop.ext]\nbase_url = \"https://x.example\"\ntoken_env = \"NOPE\"\n",
    )
    .unwrap();
    let out = loyalty(dir.path())
        .arg("--config")
        .arg(&file)
        .args(["--profile", "shop", "client", "find", "7912345678"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("profiles.shop.ext.token_env names NOPE"),
        "{err}"
    );

    let out = loyalty(dir.path())
        .arg("--config")
        .arg(dir.path().join("missing.toml"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.toml"));
}

/// Starts `loyalty serve` with every credential set; returns the child and its URL.
fn serve_with_credentials(dir: &std::path::Path) -> (common::Reaped, String) {
    common::spawn_serve(
        loyalty(dir)
            .args([
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--demo",
                "20",
                "--token",
                "tok-1",
            ])
            .args(["--manager-password", "pw-2", "--integration-key", "key-3"])
            .arg("--db")
            .arg(dir.join("shop.db")),
    )
}

#[test]
fn config_check_calls_each_provider_and_names_the_one_that_fails() {
    let dir = tempfile::tempdir().unwrap();
    let (mut server, url) = serve_with_credentials(dir.path());
    let config = dir.path().join("shop.toml");
    let write = |poster_token: &str, api_key: &str| {
        std::fs::write(
            &config,
            format!(
                "default_profile = \"shop\"\n\
                 [profiles.shop.ext]\nbase_url = \"{url}\"\nlogin = \"kassa@shop.ru\"\napi_key = \"{api_key}\"\n\
                 [profiles.shop.poster]\nbase_url = \"{url}\"\ntoken = \"{poster_token}\"\n\
                 [profiles.shop.mloyalty]\nbase_url = \"{url}\"\nusername = \"79990000000\"\npassword_env = \"ML_PW\"\n\
                 [profiles.shop.regos]\nbase_url = \"{url}\"\nintegration_key = \"key-3\"\n"
            ),
        )
        .unwrap();
    };
    write("tok-1", "tok-1");
    let out = loyalty(dir.path())
        .arg("--config")
        .arg(&config)
        .args(["config", "check"])
        .env("ML_PW", "pw-2")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for provider in ["ext", "poster", "mloyalty", "regos"] {
        assert!(
            text.lines()
                .any(|l| l.trim_start().starts_with(provider) && l.ends_with(" ok")),
            "{provider}: {text}"
        );
    }
    write("wrong-secret-token", "wrong-api-key");
    let out = loyalty(dir.path())
        .arg("--config")
        .arg(&config)
        .args(["config", "check"])
        .env("ML_PW", "pw-2")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success());
    assert!(
        text.contains("poster    error: Unauthorized: Poster 11: Bad access token"),
        "{text}"
    );
    assert!(
        text.lines().any(|l| l.trim_start().starts_with("ext")
            && l.contains("Unauthorized")
            && l.contains("check the profile's login and api_key")),
        "{text}"
    );
    assert!(
        !text.contains("wrong-secret-token") && !text.contains("wrong-api-key"),
        "{text}"
    );
    server.kill().unwrap();
    server.wait().unwrap();
}

#[test]
fn version_profile_from_the_environment_and_a_bad_log_level_said_first() {
    let dir = tempfile::tempdir().unwrap();
    let out = loyalty(dir.path()).arg("--version").output().unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("loyalty {}", env!("CARGO_PKG_VERSION"))
    );
    // LOYALTY_PROFILE picks a profile as --profile does: one that is not there is named.
    let file = dir.path().join("config.toml");
    std::fs::write(
        &file,
        "[profiles.shop.ext]\nbase_url = \"https://x.example\"\n",
    )
    .unwrap();
    let out = loyalty(dir.path())
        .arg("--config")
        .arg(&file)
        .args(["config", "check"])
        .env("LOYALTY_PROFILE", "bakery")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("profile \"bakery\" is not in the config"),
        "{said}"
    );
    // A level that is not one is a warning on stderr, before anything else happens.
    for (flag, env) in [(Some("lodd"), None), (None, Some("info,loyalty=loud"))] {
        let mut cmd = loyalty(dir.path());
        cmd.args(["config", "path"]);
        if let Some(flag) = flag {
            cmd.args(["--log-level", flag]);
        }
        if let Some(env) = env {
            cmd.env("LOYALTY_LOG", env);
        }
        let out = cmd.output().unwrap();
        assert!(out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.starts_with("loyalty: warning: ") && err.contains("is not a level"),
            "{err}"
        );
    }
    let out = loyalty(dir.path())
        .args(["config", "path", "--log-level", "debug"])
        .output()
        .unwrap();
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn completions_for_each_shell_and_the_man_page() {
    let dir = tempfile::tempdir().unwrap();
    for (shell, mark) in [
        ("bash", "_loyalty()"),
        ("zsh", "#compdef loyalty"),
        ("fish", "complete -c loyalty"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let out = loyalty(dir.path())
            .args(["completions", shell])
            .output()
            .unwrap();
        assert!(out.status.success(), "{shell}");
        let script = String::from_utf8_lossy(&out.stdout);
        assert!(script.contains(mark), "{shell}: {script}");
        assert!(
            script.contains("serve") && script.contains("log-level"),
            "{shell}"
        );
    }
    let out = loyalty(dir.path())
        .args(["completions", "tcsh"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "a usage error");
    let out = loyalty(dir.path()).arg("man").output().unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        include_str!("../../docs/loyalty.1")
    );
}

/// Without a terminal (a pipe, cron, `</dev/null`) the console says what it needs and where
/// to go instead, and creates nothing.
#[test]
fn without_a_terminal_the_console_says_so_and_names_the_other_commands() {
    let dir = tempfile::tempdir().unwrap();
    let out = loyalty(dir.path())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("needs a terminal"), "{err}");
    assert!(
        err.contains("loyalty serve") && err.contains("loyalty config"),
        "{err}"
    );
    assert!(!dir.path().join("data").exists(), "no demo database seeded");
}

/// A load balancer asks `/healthz` without credentials and learns only that the server and
/// its database answer; SIGTERM stops the server after the requests in progress: write-offs
/// still coming in when SIGTERM is sent are finished and answered, and each one answered is
/// in the ledger.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_answers_without_data_and_sigterm_stops_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    let mut serve = demo_server(dir.path(), &db);
    let (mut child, url) = common::spawn_serve(serve.env("LOYALTY_SERVER_TOKEN", "tok"));
    let http = reqwest::Client::new();
    let r = http.get(format!("{url}/healthz")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.text().await.unwrap(), r#"{"status":"ok"}"#);

    // Write-offs keep coming while SIGTERM is sent: the ones in progress then are finished
    // and answered, and every one answered is in the ledger.
    let done = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let write_off = |n: usize| {
        let (http, url, done) = (http.clone(), url.clone(), done.clone());
        tokio::spawn(async move {
            let sent = http
                .post(format!(
                    "{url}/ext/api/v1/clients/1234567/balance/write_off/"
                ))
                .bearer_auth("tok")
                .header("Idempotency-Key", format!("drain-{n}"))
                .json(&serde_json::json!({ "balance": [{ "amount": 0.01, "currency": "points" }] }))
                .send()
                .await;
            done.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            (
                sent.map(|r| r.status().as_u16()).unwrap_or(0),
                std::time::Instant::now(),
            )
        })
    };
    let writes: Vec<_> = (0..400).map(write_off).collect();
    // SIGTERM once the first are answered, with the others still on their way.
    let deadline = std::time::Instant::now() + common::tmux::DEADLINE;
    while done.load(std::sync::atomic::Ordering::SeqCst) < 5 {
        assert!(
            std::time::Instant::now() < deadline,
            "no write-off answered"
        );
        tokio::time::sleep(std::time::Duration::from_millis(1)).await;
    }
    let pid = child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let signalled = std::time::Instant::now();
    let mut answered = 0;
    let mut after_signal = 0;
    for w in writes {
        let (status, at) = w.await.unwrap();
        if status == 200 {
            answered += 1;
            after_signal += usize::from(at > signalled);
        }
    }
    assert!(
        after_signal > 0,
        "some write-off was in progress when SIGTERM came and was finished"
    );
    let deadline = std::time::Instant::now() + common::tmux::DEADLINE;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "still running after SIGTERM"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    assert!(status.success(), "{status}");
    let check = common::check_database(&db);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let written: i64 = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT count(*) FROM ledger WHERE client_id = 1234567 AND amount = -1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    // Equal: none answered is missing, and none done in the ledger went unanswered (a server
    // that stops without finishing leaves write-offs done and never answered).
    assert_eq!(written, answered, "the ledger and the answers agree");
}

/// Reachable from other machines with no token, the money API would be open to anyone.
#[test]
fn serve_refuses_a_public_address_without_a_credential() {
    let dir = tempfile::tempdir().unwrap();
    let out = loyalty(dir.path())
        .args(["serve", "--listen", "0.0.0.0:0", "--db"])
        .arg(dir.path().join("shop.db"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("refusing to listen on 0.0.0.0:0 without a credential"),
        "{err}"
    );
    assert!(!dir.path().join("shop.db").exists(), "nothing created");
}

/// A database URL carries its password: no error about it repeats it, whether it came by
/// flag or environment, is malformed, or names a server that does not answer.
#[test]
fn a_database_password_never_reaches_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let malformed = "postgres://till:s3cret-pw@host:notaport/shop";
    let unreachable = "postgres://till:s3cret-pw@127.0.0.1:1/shop?connect_timeout=2";
    let runs = [
        loyalty(dir.path())
            .args(["serve", "--db", malformed])
            .output(),
        loyalty(dir.path())
            .args(["serve", "user", "list"])
            .env("LOYALTY_DATABASE_URL", malformed)
            .output(),
        loyalty(dir.path())
            .args(["serve", "--check", "--db", unreachable])
            .output(),
        loyalty(dir.path())
            .args(["serve", "user", "add", "till-1", "--role", "cashier"])
            .env("LOYALTY_DATABASE_URL", unreachable)
            .output(),
    ];
    for out in runs {
        let out = out.unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{err}");
        assert!(!err.contains("s3cret"), "{err}");
        assert!(
            err.contains("postgres") || err.contains("PostgreSQL"),
            "{err}"
        );
    }
}

/// Users' keys are credentials too: a shop that gave each till its key needs no shared token.
#[test]
fn serve_listens_publicly_once_users_have_keys() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    let serve = || {
        let mut cmd = loyalty(dir.path());
        cmd.args(["serve", "--listen", "0.0.0.0:0", "--db"])
            .arg(&db);
        cmd
    };
    // An existing database with no user is still refused.
    let added = loyalty(dir.path())
        .args(["serve", "--migrate", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(added.status.success());
    let out = serve().output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("serve user add"));
    let added = loyalty(dir.path())
        .args([
            "serve", "user", "add", "till-1", "--role", "cashier", "--db",
        ])
        .arg(&db)
        .output()
        .unwrap();
    assert!(added.status.success());
    let (mut child, url) = common::spawn_serve(&mut serve());
    assert!(url.starts_with("http://0.0.0.0:"), "{url}");
    child.kill().unwrap();
    child.wait().unwrap();
}

/// Each till and admin has its own key: made once by `serve user add`, stored as a digest,
/// checked on every request by every instance, revoked at once, and recorded with each
/// ledger movement. A cashier's key writes off but cannot manage groups.
#[tokio::test]
async fn each_till_has_its_own_key_with_its_role_recorded_and_revocable() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    let user = |args: &[&str]| requests::serve_user(loyalty(dir.path()), &db, args);
    let till = user(&["add", "till-3", "--role", "cashier"]);
    let boss = user(&["add", "boss", "--role", "admin"]);
    assert!(till.starts_with("lk_") && till != boss);

    let (mut child, url) = common::spawn_serve(&mut demo_server(dir.path(), &db));
    let http = reqwest::Client::new();
    let write_off = requests::write_off_url(&url, common::SAMPLE.0);
    let body = serde_json::json!({ "balance": [{ "amount": 1, "currency": "points" }] });
    let r = http.post(&write_off).json(&body).send().await.unwrap();
    assert_eq!(r.status(), 401, "users exist: no key, no entry");
    let r = http
        .post(&write_off)
        .bearer_auth(&till)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    let groups = |key: String| {
        http.get(format!("{url}/api/clients.getGroups?token={key}"))
            .send()
    };
    let refused: serde_json::Value = groups(till.clone()).await.unwrap().json().await.unwrap();
    assert_eq!(
        refused["error"]["code"], 20,
        "a cashier manages no groups: {refused}"
    );
    let listed: serde_json::Value = groups(boss.clone()).await.unwrap().json().await.unwrap();
    assert!(listed["response"].is_array(), "{listed}");
    // Reports: REGOS takes an admin's key in its path, Mloyalty an admin's key as the
    // manager's password; a cashier's is refused by both.
    let regos = |key: &str| {
        http.post(format!(
            "{url}/gateway/out/{key}/v1/RetailCard/GetOperations"
        ))
        .json(&serde_json::json!({ "card_id": 1, "promo_id": 1 }))
        .send()
    };
    let ok: serde_json::Value = regos(&boss).await.unwrap().json().await.unwrap();
    assert_eq!(ok["ok"], true, "{ok}");
    let denied: serde_json::Value = regos(&till).await.unwrap().json().await.unwrap();
    assert_eq!(denied["ok"], false, "{denied}");
    let login = format!("{url}/managerlogin");
    let manager = |key: &str| requests::password_login(&http, &login, "79001234567", key).send();
    assert_eq!(manager(&boss).await.unwrap().status(), 200);
    assert_ne!(manager(&till).await.unwrap().status(), 200);

    user(&["revoke", "till-3"]);
    let r = http
        .post(&write_off)
        .bearer_auth(&till)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401, "revoked from the next request, no restart");
    child.kill().unwrap();
    child.wait().unwrap();

    let list = user(&["list"]);
    assert!(list.contains("boss") && list.contains("admin"), "{list}");
    assert!(
        list.lines()
            .any(|l| l.starts_with("till-3") && l.contains("revoked")),
        "{list}"
    );
    let conn = rusqlite::Connection::open(&db).unwrap();
    let by: String = conn
        .query_row(
            "SELECT principal FROM ledger WHERE kind = 'write_off' ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(by, "till-3");
    let stored: i64 = conn
        .query_row(
            "SELECT count(*) FROM principals WHERE key_sha256 = ?1",
            [till.as_bytes()],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(stored, 0, "the key itself is nowhere in the database");
}

/// A database written by a newer `loyalty` is refused, not half-read.
#[test]
fn a_newer_schema_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    let out = common::check_database(&db);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("schema is version 99, newer than the 7"),
        "{err}"
    );

    // An older file is brought up to date by --migrate, which serves nothing.
    let old = dir.path().join("old.db");
    rusqlite::Connection::open(&old)
        .unwrap()
        .execute_batch(
            "CREATE TABLE ledger (id INTEGER PRIMARY KEY, client_id INTEGER, currency TEXT, amount INTEGER, at_ms INTEGER, kind TEXT);
             -- Version 2's holds, which did not say whose they were.
             CREATE TABLE holds (transaction_id TEXT PRIMARY KEY, client_id INTEGER NOT NULL,
                 currency TEXT NOT NULL, amount INTEGER NOT NULL, created_ms INTEGER NOT NULL,
                 expires_ms INTEGER NOT NULL, state TEXT NOT NULL, fiscal_order_id TEXT,
                 login TEXT) WITHOUT ROWID;
             INSERT INTO holds VALUES ('tx-old', 7, 'points', 100, 0, 1, 'written_off', NULL, 'kassa');
             PRAGMA user_version = 2;",
        )
        .unwrap();
    let out = loyalty(dir.path())
        .args(["serve", "--migrate", "--db"])
        .arg(&old)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let conn = rusqlite::Connection::open(&old).unwrap();
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(
        version, 7,
        "codes (5), lots (6) and the cards' counts of operations (7) came after"
    );
    let columns: i64 = conn
        .query_row(
            "SELECT count(*) FROM pragma_table_info('ledger') WHERE name IN ('login', 'principal')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(columns, 2);
    let operations: i64 = conn
        .query_row(
            "SELECT count(*) FROM pragma_table_info('ledger') WHERE name = 'operation_id'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(operations, 1, "a ledger row names its operation");
    let columns: i64 = conn
        .query_row(
            "SELECT count(*) FROM pragma_table_info('holds')
             WHERE name IN ('principal', 'refunded_by', 'refunded_ms')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(columns, 3, "a hold records who made it and who refunded it");
    let owner: Option<String> = conn
        .query_row(
            "SELECT principal FROM holds WHERE transaction_id = 'tx-old'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(owner, None, "an older hold is kept, owned by no till");
}

#[test]
fn config_keys_prints_the_map_in_effect_and_names_a_bad_line() {
    let dir = tempfile::tempdir().unwrap();
    let out = loyalty(dir.path())
        .args(["config", "keys"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("[global]\n"), "{text}");
    assert!(text.contains("\nwrite_off = \"w\"\n"), "{text}");
    assert!(text.contains("\n[write_off_confirm]\n"), "{text}");

    std::fs::create_dir_all(dir.path().join("config")).unwrap();
    let keys = dir.path().join("config/keys.toml");
    std::fs::write(&keys, "[global]\nwrite_off = \"F9\"\n").unwrap();
    let out = loyalty(dir.path())
        .args(["config", "keys"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("\nwrite_off = \"F9\"\n"), "{text}");

    std::fs::write(&keys, "[global]\nwrite_off = \"F9\"\n\nquit = \"F9\"\n").unwrap();
    for args in [&["config", "keys"][..], &[][..]] {
        let out = loyalty(dir.path()).args(args).output().unwrap();
        assert!(!out.status.success(), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("keys.toml:4: `F9` is bound twice in [global]: quit, write_off"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn config_init_writes_a_commented_keys_toml_that_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = loyalty(dir.path())
        .args(["config", "init"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let keys = std::fs::read_to_string(dir.path().join("config/keys.toml")).unwrap();
    assert!(keys.contains("\n# write_off = \"w\"\n"), "{keys}");
    assert!(
        keys.lines().all(|l| l.is_empty() || l.starts_with('#')),
        "every line a comment: {keys}"
    );
    let default = loyalty(dir.path())
        .args(["config", "keys"])
        .output()
        .unwrap();
    assert!(default.status.success());
    assert!(String::from_utf8_lossy(&default.stdout).contains("\nwrite_off = \"w\"\n"));
}
