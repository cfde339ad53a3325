//! Money both ways over real HTTP on 127.0.0.1: our extension of the seed-001 family
//! (`wire::ext_operations`, documented in `docs/vendors.md`). The client that speaks it is
//! this repository's `src/backend/ext/money.rs`; the requests here are built as it builds
//! them (bearer token, `Idempotency-Key`, the PIN in `X-Manager-Pin`).

use crate::common;
use crate::common::requests;

use common::{Reaped, SAMPLE, TOKEN, TestServer, spawn_serve};
use loyalty_console::domain::Amount;
use loyalty_console::domain::limits::{Limits, ManagerPin};
use loyalty_console::server::pos_limits::PosLimits;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// Eight digits: the checks that no PIN is written anywhere would take a shorter one, turning
/// up by chance in a random idempotency key or a timestamp, for a leak.
const PIN: &str = "70415926";

async fn call(
    method: reqwest::Method,
    url: String,
    key: Option<&str>,
    pin: Option<&str>,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = reqwest::Client::new()
        .request(method, url)
        .bearer_auth(TOKEN);
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    if let Some(pin) = pin {
        request = request.header("X-Manager-Pin", pin);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

async fn get(base: &str, path: &str) -> (u16, Value) {
    call(
        reqwest::Method::GET,
        format!("{base}/ext/api/v1{path}"),
        None,
        None,
        None,
    )
    .await
}

async fn write_off(base: &str, key: Option<&str>, pin: Option<&str>, body: Value) -> (u16, Value) {
    let url = requests::write_off_url(base, SAMPLE.0);
    call(reqwest::Method::POST, url, key, pin, Some(body)).await
}

async fn reverse(
    base: &str,
    op: i64,
    key: Option<&str>,
    pin: Option<&str>,
    body: Value,
) -> (u16, Value) {
    let url = format!("{base}/ext/api/v1/operations/{op}/reversal/");
    call(reqwest::Method::POST, url, key, pin, Some(body)).await
}

fn code(v: &Value) -> &str {
    v["error"]["code"].as_str().unwrap_or_default()
}

async fn points(base: &str) -> String {
    let (_, balance) = get(base, &format!("/clients/{}/balance/", SAMPLE.0)).await;
    balance
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["currency"] == "points")
        .map(|a| a["amount"].to_string())
        .unwrap()
}

async fn with_manager(s: &TestServer) {
    s.store
        .add_manager("Ольга".into(), &ManagerPin::new(PIN).unwrap(), 0)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_reversal_needs_a_managers_pin_names_its_original_and_replays_by_its_key() {
    let s = TestServer::start(5).await;
    with_manager(&s).await;
    let base = s.url();
    let (status, caps) = get(&base, "/capabilities/").await;
    assert_eq!(status, 200);
    assert_eq!(
        caps,
        json!({
            "reversal": true, "receipt": true, "limits": true, "shiftReport": true,
            "codes": "never", "outlook": true
        })
    );
    let body = json!({
        "balance": [{"amount": 100, "currency": "points"}],
        "receipt": {"number": "ЧЕК-7", "total": 1000}
    });
    let (status, made) = write_off(&base, Some("w-1"), None, body.clone()).await;
    assert_eq!(status, 200, "{made}");
    let op = made["operationId"]
        .as_i64()
        .expect("the operation's number");
    let (status, again) = write_off(&base, Some("w-1"), None, body).await;
    assert_eq!(
        (status, &again),
        (200, &made),
        "the replay repeats the number"
    );
    let after_write_off = points(&base).await;

    let give = json!({"clientId": SAMPLE.0, "balance": [{"amount": 40, "currency": "points"}],
                      "reason": "returned"});
    let (status, e) = reverse(&base, op, Some("r-1"), None, give.clone()).await;
    assert_eq!((status, code(&e)), (403, "manager_required"));
    let (status, e) = reverse(&base, op, Some("r-1"), Some("11111"), give.clone()).await;
    assert_eq!((status, code(&e)), (403, "pin_wrong"));
    assert_eq!(points(&base).await, after_write_off, "nothing was done");

    let (status, reversed) = reverse(&base, op, Some("r-1"), Some(PIN), give.clone()).await;
    assert_eq!(status, 200, "{reversed}");
    let reversal = reversed["operationId"].as_i64().unwrap();
    assert_ne!(reversal, op);
    let (status, again) = reverse(&base, op, Some("r-1"), Some(PIN), give.clone()).await;
    assert_eq!((status, &again), (200, &reversed));
    let (_, original) = get(&base, &format!("/operations/{op}/")).await;
    assert_eq!(original["kind"], "write_off");
    assert_eq!(original["reversed"][0]["amount"].to_string(), "40");
    assert_eq!(
        original["receipt"],
        json!({"number": "ЧЕК-7", "total": 1000})
    );
    assert_eq!(original["principal"], "token");
    let (_, back) = get(&base, &format!("/operations/{reversal}/")).await;
    assert_eq!(
        (
            &back["kind"],
            &back["original"],
            &back["manager"],
            &back["reason"]
        ),
        (
            &json!("reversal"),
            &json!(op),
            &json!("Ольга"),
            &json!("returned")
        )
    );

    // What is left is 60: 61 is over the original, a reversal's reversal is refused, an
    // unknown operation is 404.
    let too_much = json!({"clientId": SAMPLE.0, "balance": [{"amount": 61, "currency": "points"}],
                          "reason": "mistake"});
    let (status, e) = reverse(&base, op, None, Some(PIN), too_much.clone()).await;
    assert_eq!((status, code(&e)), (422, "over_reversal"));
    let (status, e) = reverse(&base, reversal, None, Some(PIN), too_much.clone()).await;
    assert_eq!((status, code(&e)), (422, "not_reversible"));
    let (status, e) = reverse(&base, 999_999, None, Some(PIN), too_much).await;
    assert_eq!((status, code(&e)), (404, "operation_not_found"));
    let (status, _) = get(&base, "/operations/999999/").await;
    assert_eq!(status, 404);

    let (_, report) = get(
        &base,
        &format!("/reports/shift/?since={}", s.anchor.as_millisecond()),
    )
    .await;
    let rows = report["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{report}");
    assert_eq!(rows[0]["writeOffs"], 1);
    assert_eq!(rows[0]["reversals"], 1);
    assert_eq!(rows[0]["overrides"], 1);
    assert!(s.ledger_mismatches().await.is_empty());
}

#[tokio::test]
async fn wrong_pins_are_slowed_after_three_and_a_right_one_is_not() {
    let s = TestServer::start(3).await;
    with_manager(&s).await;
    let base = s.url();
    let (_, made) = write_off(
        &base,
        None,
        None,
        json!({"balance": [{"amount": 1, "currency": "points"}]}),
    )
    .await;
    let op = made["operationId"].as_i64().unwrap();
    let give = json!({"clientId": SAMPLE.0, "balance": [{"amount": 1, "currency": "points"}],
                      "reason": "mistake"});
    for _ in 0..3 {
        let started = Instant::now();
        let (status, _) = reverse(&base, op, None, Some("0000"), give.clone()).await;
        assert_eq!(status, 403);
        assert!(
            started.elapsed() < Duration::from_millis(900),
            "the first three go at once"
        );
    }
    let started = Instant::now();
    let (status, e) = reverse(&base, op, None, Some("0000"), give.clone()).await;
    assert_eq!((status, code(&e)), (403, "pin_wrong"));
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "the fourth wrong PIN waits its second: {:?}",
        started.elapsed()
    );
    let (status, _) = reverse(&base, op, None, Some(PIN), give).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_limit_refuses_by_name_and_a_managers_pin_goes_past_it() {
    let limits = PosLimits {
        defaults: Limits {
            operation: Some(Amount::from_minor(5_00)),
            ..Limits::default()
        },
        ..PosLimits::default()
    };
    let s = TestServer::start_with(3, |state| state.with_limits(limits)).await;
    with_manager(&s).await;
    let base = s.url();
    let before = points(&base).await;
    let (_, available) = get(&base, &format!("/clients/{}/balance/available/", SAMPLE.0)).await;
    assert_eq!(available["limitedBy"], "operation", "{available}");
    let over = json!({"balance": [{"amount": 5.01, "currency": "points"}]});
    let (status, e) = write_off(&base, Some("k"), None, over.clone()).await;
    assert_eq!((status, code(&e)), (422, "limit_operation"));
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("5 per write-off"),
        "{e}"
    );
    let (status, e) = write_off(&base, None, Some("9999"), over.clone()).await;
    assert_eq!((status, code(&e)), (403, "pin_wrong"));
    assert_eq!(points(&base).await, before, "nothing moved");
    let (status, made) = write_off(&base, None, Some(PIN), over.clone()).await;
    assert_eq!(status, 200, "{made}");
    let (_, op) = get(&base, &format!("/operations/{}/", made["operationId"])).await;
    assert_eq!(op["manager"], "Ольга");
    let at_edge = json!({"balance": [{"amount": 5, "currency": "points"}]});
    let (status, _) = write_off(&base, None, None, at_edge).await;
    assert_eq!(status, 200);
}

/// `serve user add --role manager --pin-env` on the file a real `loyalty serve` then runs
/// over: the PIN it stored allows a reversal over HTTP; the PIN is not printed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_added_on_the_command_line_reverses_over_http() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_loyalty"))
        .args([
            "serve",
            "user",
            "add",
            "Ольга",
            "--role",
            "manager",
            "--pin-env",
            "MANAGER_PIN",
            "--db",
        ])
        .arg(&db)
        .env("MANAGER_PIN", PIN)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!said.contains(PIN), "{said}");
    let listed = requests::serve_user(
        std::process::Command::new(env!("CARGO_BIN_EXE_loyalty")),
        &db,
        &["list"],
    );
    assert!(
        listed.contains("Ольга") && listed.contains("manager"),
        "{listed}"
    );
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_loyalty"));
    cmd.args([
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--token",
        TOKEN,
        "--demo",
        "3",
        "--db",
    ])
    .arg(&db);
    let (_served, base): (Reaped, String) = spawn_serve(&mut cmd);
    let (status, made) = write_off(
        &base,
        None,
        None,
        json!({"balance": [{"amount": 10, "currency": "points"}]}),
    )
    .await;
    assert_eq!(status, 200, "{made}");
    let op = made["operationId"].as_i64().unwrap();
    let give = json!({"clientId": SAMPLE.0, "balance": [{"amount": 10, "currency": "points"}],
                      "reason": "other", "note": "покупатель передумал"});
    let (status, e) = reverse(&base, op, None, Some("12345"), give.clone()).await;
    assert_eq!((status, code(&e)), (403, "pin_wrong"));
    let (status, reversed) = reverse(&base, op, None, Some(PIN), give).await;
    assert_eq!(status, 200, "{reversed}");
    let (_, back) = get(&base, &format!("/operations/{}/", reversed["operationId"])).await;
    assert_eq!(back["manager"], "Ольга");
    assert_eq!(back["note"], "покупатель передумал");
}

/// A hold keeps the receipt it was asked for: `orderId` is answered as given, and the
/// hold records its till's principal and the cashier's login.
#[tokio::test]
async fn a_hold_keeps_its_receipts_number() {
    let s = TestServer::start(3).await;
    let url = format!("{}/ext/api/v1/fiscal_hub/cash_back/hold/", s.url());
    let body = json!({"clientId": SAMPLE.0, "currency": "points", "amount": 5,
                      "orderId": "ЧЕК-19"});
    let (status, held) = call(reqwest::Method::POST, url, None, None, Some(body)).await;
    assert_eq!(status, 200, "{held}");
    assert_eq!(held["orderId"], "ЧЕК-19");
    let transaction = held["transactionId"].as_str().unwrap().to_string();
    let kept: (Option<String>, Option<String>) = s
        .sqlite()
        .with_conn(|c| {
            Ok(c.query_row(
                "SELECT order_id, principal FROM holds WHERE transaction_id = ?1",
                [&transaction],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?)
        })
        .unwrap();
    assert_eq!(kept, (Some("ЧЕК-19".into()), Some("token".into())));
}

/// `serve --limit-operation` gives every till a limit, and a `--limits` file's section
/// replaces it for the till it names (here the shared token's, `token`); a receipt is read
/// strictly.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn limits_come_from_the_command_line_and_a_file_replaces_them_for_its_till() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("limits.toml");
    std::fs::write(&file, "[pos.\"token\"]\nreceipt_share = 50\n").unwrap();
    let serve = |limits: Option<&std::path::Path>| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_loyalty"));
        cmd.args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--token",
            TOKEN,
            "--demo",
            "3",
        ])
        .args(["--limit-operation", "5", "--db"])
        .arg(
            dir.path()
                .join(if limits.is_some() { "b.db" } else { "a.db" }),
        );
        if let Some(limits) = limits {
            cmd.arg("--limits").arg(limits);
        }
        spawn_serve(&mut cmd)
    };
    let six = json!({"balance": [{"amount": 6, "currency": "points"}]});
    let (_a, base) = serve(None);
    let (status, e) = write_off(&base, None, None, six.clone()).await;
    assert_eq!((status, code(&e)), (422, "limit_operation"), "{e}");
    let (_b, base) = serve(Some(&file));
    let (status, e) = write_off(&base, None, None, six.clone()).await;
    assert_eq!((status, code(&e)), (422, "receipt_required"), "{e}");
    let with = |number: &str, total: i64| {
        json!({"balance": [{"amount": 6, "currency": "points"}],
               "receipt": {"number": number, "total": total}})
    };
    let (status, e) = write_off(&base, None, None, with("Ч-1", 11)).await;
    assert_eq!((status, code(&e)), (422, "limit_receipt_share"), "{e}");
    let (status, made) = write_off(&base, None, None, with("Ч-1", 12)).await;
    assert_eq!(
        status, 200,
        "the file's section replaced the 5-point cap: {made}"
    );
    for (number, total) in [("", 12), (&"9".repeat(65)[..], 12), ("Ч-2", 0)] {
        let (status, e) = write_off(&base, None, None, with(number, total)).await;
        assert_eq!(
            (status, code(&e)),
            (400, "bad_request"),
            "{number:?} {total}: {e}"
        );
    }
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "[pos.\"till\"]\nreceipt_share = 0\n").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_loyalty"))
        .args(["serve", "--listen", "127.0.0.1:0", "--db"])
        .arg(dir.path().join("c.db"))
        .arg("--limits")
        .arg(&bad)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("receipt_share is a percent from 1 to 100"),
        "{said}"
    );
}
