//! Confirmation codes on `loyalty serve` over real HTTP: our extension of the seed-001
//! family (`wire::ext_operations::codes`, documented in `docs/vendors.md`). The client
//! that speaks it is this repository's `src/backend/ext/` (the write-off carries the code in
//! `X-Confirmation-Code`, as the PIN travels in `X-Manager-Pin`); the requests here are
//! built as it builds them. Codes are read from the file outbox, as a cashier's tests do.

use crate::common;
use crate::common::requests;

use common::{SAMPLE, TOKEN, TestServer, spawn_serve};
use loyalty_console::domain::codes::CodePolicy;
use loyalty_console::domain::limits::ManagerPin;
use loyalty_console::server::codes::{Codes, Sender, Webhook};
use loyalty_console::server::pos_limits::PosLimits;
use loyalty_console::server::principals::Role;
use serde_json::{Value, json};
use std::path::Path;
use std::time::Duration;

const PIN: &str = "70415";

/// A server whose default policy is `policy`, sending codes to an outbox it returns.
async fn server(policy: &str) -> (TestServer, tempfile::TempDir) {
    let outbox = tempfile::tempdir().unwrap();
    let dir = outbox.path().join("outbox");
    let limits = PosLimits {
        code_default: CodePolicy::parse(policy).unwrap(),
        ..PosLimits::default()
    };
    let s = TestServer::start_with(5, move |state| {
        state.with_limits(limits).with_codes(Codes {
            sender: Some(Sender::Outbox(dir)),
            ..Codes::default()
        })
    })
    .await;
    s.store
        .add_manager("Ольга".into(), &ManagerPin::new(PIN).unwrap(), 0)
        .await
        .unwrap();
    (s, outbox)
}

struct Answer {
    status: u16,
    body: Value,
    retry_after: Option<String>,
}

impl Answer {
    fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or_default()
    }
}

/// A POST to our extension's `path` with `key` as the bearer token, and these headers.
async fn post(base: &str, key: &str, path: &str, headers: &[(&str, &str)], body: &Value) -> Answer {
    let mut request = reqwest::Client::new()
        .post(format!("{base}/ext/api/v1{path}"))
        .bearer_auth(key)
        .json(body);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_string());
    let text = response.text().await.unwrap();
    Answer {
        status,
        body: serde_json::from_str(&text).unwrap_or(Value::String(text)),
        retry_after,
    }
}

fn points(amount: &str) -> Value {
    json!({"balance": [{"amount": amount.parse::<f64>().unwrap(), "currency": "points"}]})
}

async fn send(s: &TestServer, key: &str, client: i64, body: &Value) -> Answer {
    post(
        &s.url(),
        key,
        &format!("/clients/{client}/confirmation_code/"),
        &[],
        body,
    )
    .await
}

async fn write_off(s: &TestServer, key: &str, headers: &[(&str, &str)], body: &Value) -> Answer {
    let path = format!("/clients/{}/balance/write_off/", SAMPLE.0);
    post(&s.url(), key, &path, headers, body).await
}

async fn balance_points(s: &TestServer) -> i64 {
    s.store.balances(SAMPLE).await.unwrap().points.minor()
}

fn sql_i64(s: &TestServer, sql: &'static str) -> i64 {
    s.sqlite()
        .with_conn(|c| Ok(c.query_row(sql, [], |r| r.get(0))?))
        .unwrap()
}

fn sql_text(s: &TestServer, sql: &'static str) -> Option<String> {
    s.sqlite()
        .with_conn(|c| Ok(c.query_row(sql, [], |r| r.get(0))?))
        .unwrap()
}

#[tokio::test]
async fn above_an_amount_asks_a_code_only_strictly_above_it_and_the_code_lets_it_through() {
    let (s, outbox) = server("above:500").await;
    let at = write_off(&s, TOKEN, &[], &points("500")).await;
    assert_eq!(at.status, 200, "at the amount no code: {}", at.body);
    let below = write_off(&s, TOKEN, &[], &points("10")).await;
    assert_eq!(below.status, 200, "{}", below.body);
    let above = points("500.01");
    let refused = write_off(&s, TOKEN, &[], &above).await;
    assert_eq!((refused.status, refused.code()), (403, "code_required"));
    let before = balance_points(&s).await;
    let sent = send(&s, TOKEN, SAMPLE.0, &above).await;
    assert_eq!(sent.status, 200, "{}", sent.body);
    let to = sent.body["sentTo"].as_str().unwrap();
    assert!(to.starts_with("+7 *** ***-"), "{to}");
    assert_eq!(sent.body["resendAfter"], 30);
    let expires: jiff::Timestamp = sent.body["expiresAt"].as_str().unwrap().parse().unwrap();
    assert_eq!(expires, s.anchor + jiff::SignedDuration::from_mins(5));
    let code = common::outbox::newest(outbox.path());
    let made = write_off(&s, TOKEN, &[("X-Confirmation-Code", &code)], &above).await;
    assert_eq!(made.status, 200, "{}", made.body);
    assert_eq!(balance_points(&s).await, before - 50_001);
    assert_eq!(
        sql_text(
            &s,
            "SELECT confirmed FROM operations ORDER BY id DESC LIMIT 1"
        )
        .as_deref(),
        Some("code")
    );
    // Kept only as a salted hash.
    let stored: Vec<u8> = s
        .sqlite()
        .with_conn(|c| {
            Ok(c.query_row(
                "SELECT code_hash FROM confirmation_codes ORDER BY id DESC LIMIT 1",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(stored.len(), 32);
    assert!(!String::from_utf8_lossy(&stored).contains(&code));
}

#[tokio::test]
async fn a_code_expires_and_is_spent_once() {
    let (s, outbox) = server("always").await;
    let body = points("10");
    assert_eq!(send(&s, TOKEN, SAMPLE.0, &body).await.status, 200);
    let code = common::outbox::newest(outbox.path());
    s.clock.advance(jiff::SignedDuration::from_secs(301));
    let late = write_off(&s, TOKEN, &[("X-Confirmation-Code", &code)], &body).await;
    assert_eq!((late.status, late.code()), (403, "code_expired"));
    assert_eq!(send(&s, TOKEN, SAMPLE.0, &body).await.status, 200);
    let code = common::outbox::newest(outbox.path());
    let before = balance_points(&s).await;
    let made = write_off(&s, TOKEN, &[("X-Confirmation-Code", &code)], &body).await;
    assert_eq!(made.status, 200, "{}", made.body);
    let again = write_off(&s, TOKEN, &[("X-Confirmation-Code", &code)], &body).await;
    assert_eq!((again.status, again.code()), (403, "code_used"));
    assert_eq!(balance_points(&s).await, before - 10_00, "once");
}

#[tokio::test]
async fn three_wrong_tries_kill_a_code_and_each_is_counted_though_nothing_is_written() {
    let (s, outbox) = server("always").await;
    let body = points("10");
    assert_eq!(send(&s, TOKEN, SAMPLE.0, &body).await.status, 200);
    let code = common::outbox::newest(outbox.path());
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let before = balance_points(&s).await;
    let mut codes = Vec::new();
    for _ in 0..3 {
        let a = write_off(&s, TOKEN, &[("X-Confirmation-Code", wrong)], &body).await;
        assert_eq!(a.status, 403);
        codes.push(a.code().to_string());
        // Committed at once, though the write-off was refused.
        let n = sql_i64(&s, "SELECT attempts FROM confirmation_codes");
        assert_eq!(n as usize, codes.len());
    }
    assert_eq!(codes, ["code_wrong", "code_wrong", "code_attempts"]);
    let right = write_off(&s, TOKEN, &[("X-Confirmation-Code", &code)], &body).await;
    assert_eq!((right.status, right.code()), (403, "code_attempts"));
    assert_eq!(balance_points(&s).await, before);
}

#[tokio::test]
async fn sends_pause_per_client_and_till_and_stop_at_five_per_phone_per_hour() {
    let (s, _outbox) = server("always").await;
    let body = points("10");
    assert_eq!(send(&s, TOKEN, SAMPLE.0, &body).await.status, 200);
    s.clock.advance(jiff::SignedDuration::from_secs(10));
    let soon = send(&s, TOKEN, SAMPLE.0, &body).await;
    assert_eq!((soon.status, soon.code()), (429, "code_resend_wait"));
    assert_eq!(soon.retry_after.as_deref(), Some("20"));
    for _ in 0..4 {
        s.clock.advance(jiff::SignedDuration::from_secs(30));
        let sent = send(&s, TOKEN, SAMPLE.0, &body).await;
        assert_eq!(sent.status, 200, "{}", sent.body);
    }
    s.clock.advance(jiff::SignedDuration::from_secs(30));
    let sixth = send(&s, TOKEN, SAMPLE.0, &body).await;
    assert_eq!((sixth.status, sixth.code()), (429, "code_sends"));
    // The first went 160 s ago: the hour is up 3440 s from now.
    assert_eq!(sixth.retry_after.as_deref(), Some("3440"));
    // Only the newest of the till's codes is good: a new send voids the one before.
    assert_eq!(
        sql_i64(&s, "SELECT count(*) FROM confirmation_codes WHERE void = 0"),
        1
    );
}

#[tokio::test]
async fn a_code_is_bound_to_its_client_amount_and_till() {
    let (s, outbox) = server("always").await;
    let till = s
        .store
        .add_user("till-2".into(), Role::Cashier, 0)
        .await
        .unwrap();
    let body = points("10");
    assert_eq!(send(&s, TOKEN, SAMPLE.0, &body).await.status, 200);
    let code = common::outbox::newest(outbox.path());
    let header = [("X-Confirmation-Code", code.as_str())];
    let other_amount = write_off(&s, TOKEN, &header, &points("11")).await;
    assert_eq!(
        (other_amount.status, other_amount.code()),
        (403, "code_wrong")
    );
    let other_till = write_off(&s, &till, &header, &body).await;
    assert_eq!((other_till.status, other_till.code()), (403, "code_wrong"));
    // Another client's write-off with this client's code finds no code of theirs.
    let other = format!("/clients/{}/balance/write_off/", SAMPLE.0 + 1);
    let other_client = post(&s.url(), TOKEN, &other, &header, &body).await;
    assert_eq!(other_client.status, 403, "{}", other_client.body);
    assert_eq!(other_client.code(), "code_expired");
    assert_eq!(
        sql_i64(&s, "SELECT attempts FROM confirmation_codes"),
        2,
        "the wrong amount and the wrong till each cost a try"
    );
    let made = write_off(&s, TOKEN, &header, &body).await;
    assert_eq!(
        made.status, 200,
        "the third try is still its own: {}",
        made.body
    );
}

#[tokio::test]
async fn a_managers_pin_stands_in_for_the_code_and_is_recorded_with_both_names() {
    let (s, outbox) = server("always").await;
    let made = write_off(&s, TOKEN, &[("X-Manager-Pin", PIN)], &points("10")).await;
    assert_eq!(made.status, 200, "{}", made.body);
    let row: (String, String, String) = s
        .sqlite()
        .with_conn(|c| {
            Ok(c.query_row(
                "SELECT confirmed, manager, principal FROM operations ORDER BY id DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?)
        })
        .unwrap();
    assert_eq!(row, ("manager".into(), "Ольга".into(), "token".into()));
    let wrong = write_off(&s, TOKEN, &[("X-Manager-Pin", "11111")], &points("10")).await;
    assert_eq!((wrong.status, wrong.code()), (403, "pin_wrong"));
    let with_code = points("20");
    assert_eq!(send(&s, TOKEN, SAMPLE.0, &with_code).await.status, 200);
    let code = common::outbox::newest(outbox.path());
    let header = [("X-Confirmation-Code", code.as_str())];
    assert_eq!(write_off(&s, TOKEN, &header, &with_code).await.status, 200);
    let http = reqwest::Client::new();
    let read = |path: String| {
        let http = http.clone();
        async move {
            let answer = http.get(path).bearer_auth(TOKEN).send().await.unwrap();
            assert_eq!(answer.status().as_u16(), 200);
            answer.json::<Value>().await.unwrap()
        }
    };
    // The client's history says how it was allowed, and by whom.
    let history = read(format!(
        "{}/ext/api/v1/clients/{}/balance/history/",
        s.url(),
        SAMPLE.0
    ))
    .await;
    let rows = history.as_array().unwrap();
    assert_eq!(rows[0]["confirmed"], "code");
    assert_eq!(rows[1]["confirmed"], "manager");
    assert_eq!(rows[1]["manager"], "Ольга");
    assert_eq!(rows[1]["principal"], "token");
    // The shift report counts the bypass for its cashier and lists it with both names;
    // a write-off the policy let go with a code is no bypass.
    let since = s.anchor.as_millisecond() - 1;
    let report = read(format!(
        "{}/ext/api/v1/reports/shift/?since={since}",
        s.url()
    ))
    .await;
    let rows = report["rows"].as_array().unwrap();
    let till: Vec<&Value> = rows.iter().filter(|r| r["principal"] == "token").collect();
    assert_eq!(till.len(), 1, "{report}");
    assert_eq!(till[0]["bypasses"], 1);
    assert_eq!(till[0]["writeOffs"], 2);
    let bypasses = report["bypasses"].as_array().unwrap();
    assert_eq!(bypasses.len(), 1, "{report}");
    assert_eq!(bypasses[0]["manager"], "Ольга");
    assert_eq!(bypasses[0]["principal"], "token");
    assert_eq!(bypasses[0]["operationId"], made.body["operationId"]);
    assert_eq!(bypasses[0]["balance"][0]["amount"], 10);
}

#[tokio::test]
async fn every_caller_is_refused_a_write_off_without_a_code() {
    let (s, _outbox) = server("always").await;
    let till = s
        .store
        .add_user("till-3".into(), Role::Cashier, 0)
        .await
        .unwrap();
    let before = balance_points(&s).await;
    let body = points("1");
    for key in [TOKEN, till.as_str()] {
        let refused = write_off(&s, key, &[], &body).await;
        assert_eq!((refused.status, refused.code()), (403, "code_required"));
    }
    // The fiscal document's `login` and `api_key` parameters.
    let url = format!(
        "{}?login=kassa%40shop.ru&api_key={TOKEN}",
        requests::write_off_url(&s.url(), SAMPLE.0)
    );
    let response = reqwest::Client::new()
        .post(url)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 403);
    let answer: Value = response.json().await.unwrap();
    assert_eq!(answer["error"]["code"], "code_required");
    // A hold cannot carry a code here: refused in words, unless a manager allows it.
    let hold = json!({"clientId": SAMPLE.0, "currency": "points", "amount": 1, "couponIds": []});
    let held = post(&s.url(), TOKEN, "/fiscal_hub/cash_back/hold/", &[], &hold).await;
    assert_eq!((held.status, held.code()), (403, "code_required"));
    assert!(
        held.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("hold")
    );
    assert_eq!(balance_points(&s).await, before);
}

#[tokio::test]
async fn a_keyed_retry_after_its_code_was_spent_replays_and_a_second_use_is_refused() {
    let (s, outbox) = server("always").await;
    let body = points("10");
    assert_eq!(send(&s, TOKEN, SAMPLE.0, &body).await.status, 200);
    let code = common::outbox::newest(outbox.path());
    let before = balance_points(&s).await;
    let headers = [
        ("X-Confirmation-Code", code.as_str()),
        ("Idempotency-Key", "k-1"),
    ];
    let first = write_off(&s, TOKEN, &headers, &body).await;
    assert_eq!(first.status, 200, "{}", first.body);
    let replay = write_off(&s, TOKEN, &headers, &body).await;
    assert_eq!((replay.status, &replay.body), (200, &first.body));
    let other_key = [
        ("X-Confirmation-Code", code.as_str()),
        ("Idempotency-Key", "k-2"),
    ];
    let second = write_off(&s, TOKEN, &other_key, &body).await;
    assert_eq!((second.status, second.code()), (403, "code_used"));
    assert_eq!(balance_points(&s).await, before - 10_00);
}

#[tokio::test]
async fn two_write_offs_at_once_with_one_code_go_through_once() {
    let (s, outbox) = server("always").await;
    let body = points("10");
    assert_eq!(send(&s, TOKEN, SAMPLE.0, &body).await.status, 200);
    let code = common::outbox::newest(outbox.path());
    let before = balance_points(&s).await;
    let first = [
        ("X-Confirmation-Code", code.as_str()),
        ("Idempotency-Key", "a"),
    ];
    let second = [
        ("X-Confirmation-Code", code.as_str()),
        ("Idempotency-Key", "b"),
    ];
    let (a, b) = tokio::join!(
        write_off(&s, TOKEN, &first, &body),
        write_off(&s, TOKEN, &second, &body),
    );
    let mut outcomes = [
        (a.status, a.code().to_string()),
        (b.status, b.code().to_string()),
    ];
    outcomes.sort();
    assert_eq!(outcomes, [(200, String::new()), (403, "code_used".into())]);
    assert_eq!(balance_points(&s).await, before - 10_00);
}

/// A gateway that takes the connection and never answers.
async fn silent_gateway() -> (std::net::SocketAddr, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let task = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    (addr, task)
}

/// A gateway that answers every request with `status` and a body that is no JSON.
async fn failing_gateway(status: u16) -> (std::net::SocketAddr, tokio::task::JoinHandle<()>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let task = tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buf = [0u8; 4096];
            let _ = socket.read(&mut buf).await;
            let answer = format!(
                "HTTP/1.1 {status} Oops\r\ncontent-length: 7\r\nconnection: close\r\n\r\n<html>!"
            );
            let _ = socket.write_all(answer.as_bytes()).await;
        }
    });
    (addr, task)
}

async fn webhook_server(addr: std::net::SocketAddr) -> TestServer {
    let limits = PosLimits {
        code_default: CodePolicy::Always,
        ..PosLimits::default()
    };
    let hook = Webhook::new(&format!("http://{addr}/sms"), None, Duration::from_secs(1)).unwrap();
    TestServer::start_with(5, move |state| {
        state.with_limits(limits).with_codes(Codes {
            sender: Some(Sender::Webhook(hook)),
            ..Codes::default()
        })
    })
    .await
}

#[tokio::test]
async fn a_gateway_that_hangs_or_fails_voids_the_code_and_is_said_in_words() {
    let (silent, _a) = silent_gateway().await;
    let (failing, _b) = failing_gateway(500).await;
    for addr in [silent, failing] {
        let s = webhook_server(addr).await;
        let before = balance_points(&s).await;
        let started = std::time::Instant::now();
        let sent = send(&s, TOKEN, SAMPLE.0, &points("10")).await;
        assert!(
            started.elapsed() < Duration::from_secs(4),
            "bounded by the timeout"
        );
        assert_eq!(
            (sent.status, sent.code()),
            (502, "code_undelivered"),
            "{}",
            sent.body
        );
        let message = sent.body["error"]["message"].as_str().unwrap();
        assert!(message.contains("gateway"), "{message}");
        assert_eq!(
            sql_i64(&s, "SELECT count(*) FROM confirmation_codes WHERE void = 0"),
            0,
            "the undelivered code is void"
        );
        assert_eq!(balance_points(&s).await, before, "nothing written");
    }
}

#[tokio::test]
async fn without_a_sender_a_send_is_refused_and_the_write_off_still_needs_a_code() {
    let limits = PosLimits {
        code_default: CodePolicy::Always,
        ..PosLimits::default()
    };
    let s = TestServer::start_with(5, move |state| state.with_limits(limits)).await;
    let sent = send(&s, TOKEN, SAMPLE.0, &points("10")).await;
    assert_eq!(sent.status, 503, "{}", sent.body);
    let refused = write_off(&s, TOKEN, &[], &points("10")).await;
    assert_eq!((refused.status, refused.code()), (403, "code_required"));
}

#[tokio::test]
async fn a_client_without_a_phone_gets_no_code() {
    let (s, _outbox) = server("always").await;
    s.sqlite()
        .with_conn(|c| {
            c.execute("UPDATE clients SET phone = NULL WHERE id = ?1", [SAMPLE.0])?;
            Ok(())
        })
        .unwrap();
    let sent = send(&s, TOKEN, SAMPLE.0, &points("10")).await;
    assert_eq!((sent.status, sent.code()), (403, "no_phone"));
}

#[tokio::test]
async fn capabilities_tell_the_tills_own_policy() {
    let (s, _outbox) = server("above:500").await;
    let caps: Value = reqwest::Client::new()
        .get(format!("{}/ext/api/v1/capabilities/", s.url()))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(caps["codes"], "above:500");
}

/// The real `loyalty serve` with `--code-policy always --code-outbox DIR`: the code goes
/// to the outbox (0700, its file 0600), lets the write-off through, and is nowhere in the
/// server's log, which names the phone only masked.
#[test]
fn the_served_binary_sends_to_its_outbox_and_never_logs_a_code() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    let outbox = dir.path().join("outbox");
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_loyalty"));
    cmd.args([
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--demo",
        "3",
        "--token",
        TOKEN,
    ])
    .args(["--code-policy", "always", "--code-outbox"])
    .arg(&outbox)
    .arg("--db")
    .arg(&db)
    .args(["--log-level", "trace"]);
    let (served, base) = spawn_serve(&mut cmd);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let http = reqwest::Client::new();
    let body = points("1").to_string();
    let sent = rt.block_on(async {
        http.post(format!(
            "{base}/ext/api/v1/clients/{}/confirmation_code/",
            SAMPLE.0
        ))
        .bearer_auth(TOKEN)
        .header("content-type", "application/json")
        .body(body.clone())
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
    });
    assert_eq!(sent, 200, "{}", served.said());
    let code = common::outbox::newest(dir.path());
    let status = rt.block_on(async {
        requests::write_off(&http, &requests::write_off_url(&base, SAMPLE.0), None, body)
            .header("X-Confirmation-Code", &code)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    });
    assert_eq!(status, 200, "{}", served.said());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&outbox), 0o700);
        for file in std::fs::read_dir(&outbox).unwrap() {
            let file = file.unwrap().path();
            assert_eq!(mode(&file), 0o600);
            assert!(file.file_name().unwrap().to_str().unwrap().starts_with('7'));
        }
    }
    let log = served.said();
    assert!(log.contains("confirmation code sent"), "{log}");
    assert!(log.contains("***-"), "the phone, masked: {log}");
    assert!(!log.contains(&code), "the code is in the log:\n{log}");
}
