//! What the tests send again and again, built once: seed 001's write-off as a till sends it,
//! and the operator's `loyalty serve user …` commands.

use std::ffi::OsStr;
use std::process::{Command, Output};

/// Seed 001's write-off route for `client` on the server at `base`.
pub fn write_off_url(base: &str, client: i64) -> String {
    format!("{base}/ext/api/v1/clients/{client}/balance/write_off/")
}

/// A write-off of `body` (JSON) posted to `url` with the server's bearer token, as a till
/// sends it; under `Idempotency-Key: key` when a key is given.
pub fn write_off(
    http: &reqwest::Client,
    url: &str,
    key: Option<&str>,
    body: impl Into<reqwest::Body>,
) -> reqwest::RequestBuilder {
    let request = http
        .post(url)
        .bearer_auth(super::TOKEN)
        .header("content-type", "application/json")
        .body(body);
    match key {
        Some(key) => request.header("Idempotency-Key", key),
        None => request,
    }
}

/// What a process that had to succeed printed, trimmed; a failure panics with its stderr.
pub fn printed(out: Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// `loyalty serve user ARGS --db DB` run as `cmd` (the binary, with the test's environment);
/// what it printed (a new user's key for `add`).
pub fn serve_user(mut cmd: Command, db: impl AsRef<OsStr>, args: &[&str]) -> String {
    let out = cmd
        .args(["serve", "user"])
        .args(args)
        .arg("--db")
        .arg(db)
        .output()
        .expect("loyalty serve user runs");
    printed(out)
}

/// Mloyalty's password login as its clients post it (a form with `grant_type=password`) to
/// `url` (the server's `/managerlogin`, in whatever case the client spells it).
pub fn password_login(
    http: &reqwest::Client,
    url: &str,
    phone: &str,
    password: &str,
) -> reqwest::RequestBuilder {
    http.post(url).form(&[
        ("username", phone),
        ("password", password),
        ("grant_type", "password"),
    ])
}
