//! The real binary: `loyalty serve` as a process, and the config commands and errors.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_loyalty");

fn loyalty(dir: &std::path::Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env_clear()
        .env("LOYALTY_DATA_DIR", dir.join("data"))
        .env("LOYALTY_CONFIG_DIR", dir.join("config"));
    cmd
}

#[tokio::test]
async fn serve_speaks_seed_001_with_demo_data_and_a_token() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = loyalty(dir.path())
        .args(["serve", "--listen", "127.0.0.1:0", "--demo", "100"])
        .arg("--db")
        .arg(dir.path().join("shop.db"))
        .env("LOYALTY_SERVER_TOKEN", "tok")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .expect(&line)
        .to_string();
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
    let out = loyalty(dir.path())
        .args(["config", "init"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let written = std::fs::read_to_string(dir.path().join("config/config.toml")).unwrap();
    assert!(written.contains("[profiles.shop.ext]"));
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
    let out = loyalty(dir.path())
        .arg("--config")
        .arg(&file)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("tokn") && err.contains("bad.toml"), "{err}");

    std::fs::write(
        &file,
        "[profiles.shop.ext]\nbase_url = \"https://x.example\"\ntoken_env = \"NOPE\"\n",
    )
    .unwrap();
    let out = loyalty(dir.path())
        .arg("--config")
        .arg(&file)
        .args(["--profile", "shop"])
        .output()
        .unwrap();
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
