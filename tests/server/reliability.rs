//! The money guarantees of `loyalty serve`: concurrent tills never overdraw or redeem a coupon
//! twice, an Idempotency-Key makes a retry harmless, and a SIGKILL under load loses no
//! acknowledged write-off and leaves every balance equal to its ledger.

use crate::common;
use crate::common::requests::{self, write_off_url};

use common::{TOKEN, TestServer};
use loyalty_console::server::demo::SAMPLE_CLIENT_ID;
use std::process::Command;

async fn post(
    http: &reqwest::Client,
    url: &str,
    key: Option<&str>,
    body: &str,
) -> (u16, String, bool) {
    let response = requests::write_off(http, url, key, body.to_string())
        .send()
        .await
        .unwrap();
    let replayed = response.headers().contains_key("idempotent-replayed");
    (
        response.status().as_u16(),
        response.text().await.unwrap(),
        replayed,
    )
}

async fn points(http: &reqwest::Client, base: &str) -> String {
    let url = format!("{base}/ext/api/v1/clients/{SAMPLE_CLIENT_ID}/balance/");
    let v: serde_json::Value = http
        .get(url)
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    v[0]["amount"].to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_concurrent_write_offs_take_exactly_what_is_there() {
    let s = TestServer::start(5).await;
    let http = reqwest::Client::new();
    let url = write_off_url(&s.url(), SAMPLE_CLIENT_ID);
    // 1234.56 points cover 123 write-offs of 10.00, and not the 124th.
    let tasks: Vec<_> = (0..200)
        .map(|i| {
            let (http, url) = (http.clone(), url.clone());
            tokio::spawn(async move {
                let key = format!("till-{}-{i}", i % 7);
                post(
                    &http,
                    &url,
                    Some(&key),
                    r#"{"balance":[{"amount":10,"currency":"points"}]}"#,
                )
                .await
                .0
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 123);
    assert_eq!(
        statuses.iter().filter(|s| **s == 422).count(),
        77,
        "{statuses:?}"
    );
    assert_eq!(points(&http, &s.url()).await, "4.56");
    assert!(s.ledger_mismatches().await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_coupon_is_redeemed_once_however_many_tills_try() {
    let s = TestServer::start(5).await;
    let http = reqwest::Client::new();
    let url = write_off_url(&s.url(), SAMPLE_CLIENT_ID);
    let ledger_before = ledger_rows(&s);
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let (http, url) = (http.clone(), url.clone());
            tokio::spawn(async move { post(&http, &url, None, r#"{"coupons":[1235]}"#).await })
        })
        .collect();
    let mut answers = Vec::new();
    for t in tasks {
        let (status, body, _) = t.await.unwrap();
        answers.push((status, body));
    }
    assert_eq!(
        answers.iter().filter(|a| a.0 == 200).count(),
        1,
        "{answers:?}"
    );
    // Every other till gets the business refusal, not a server error.
    let refused: Vec<_> = answers.iter().filter(|a| a.0 != 200).collect();
    assert_eq!(refused.len(), 49);
    for (status, body) in refused {
        assert_eq!(*status, 422, "{body}");
        let v: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(v["error"]["code"], "coupon_redeemed", "{body}");
    }
    // The coupon is redeemed once, and a coupon-only write-off moves no balance.
    let redeemed: i64 = s
        .sqlite()
        .with_conn(|c| {
            Ok(c.query_row(
                "SELECT count(*) FROM coupons WHERE id = 1235 AND redeemed_ms IS NOT NULL",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(redeemed, 1);
    assert_eq!(ledger_rows(&s), ledger_before);
    assert!(s.ledger_mismatches().await.is_empty());
}

fn ledger_rows(s: &TestServer) -> i64 {
    s.sqlite()
        .with_conn(|c| Ok(c.query_row("SELECT count(*) FROM ledger", [], |r| r.get(0))?))
        .unwrap()
}

#[tokio::test]
async fn keys_belong_to_the_principal_that_used_them() {
    let s = TestServer::start(5).await;
    let add = |name: &str| {
        let role = loyalty_console::server::principals::Role::Cashier;
        s.store.add_user(name.to_string(), role, 0)
    };
    let (till_a, till_b) = (add("till-a").await.unwrap(), add("till-b").await.unwrap());
    let url = write_off_url(&s.url(), SAMPLE_CLIENT_ID);
    let http = reqwest::Client::new();
    let send = |till: &str, amount: u32| {
        http.post(&url)
            .bearer_auth(till)
            .header("Idempotency-Key", "shared-key")
            .header("content-type", "application/json")
            .body(format!(
                r#"{{"balance":[{{"amount":{amount},"currency":"points"}}]}}"#
            ))
            .send()
    };
    let a = send(&till_a, 1).await.unwrap();
    assert_eq!(a.status(), 200);
    // The same key from another till, with another body: its own write-off, not a 422 and
    // not till A's answer.
    let b = send(&till_b, 2).await.unwrap();
    assert_eq!(b.status(), 200);
    assert!(!b.headers().contains_key("idempotent-replayed"));
    let again = send(&till_a, 1).await.unwrap();
    assert!(again.headers().contains_key("idempotent-replayed"));
    assert_eq!(
        points(&http, &s.url()).await,
        "1231.56",
        "1 + 2 taken, once each"
    );
}

#[tokio::test]
async fn a_key_replays_for_48_hours_and_is_forgotten_after() {
    let s = TestServer::start(5).await;
    let http = reqwest::Client::new();
    let url = write_off_url(&s.url(), SAMPLE_CLIENT_ID);
    let body = r#"{"balance":[{"amount":1,"currency":"points"}]}"#;
    assert_eq!(post(&http, &url, Some("k"), body).await.0, 200);
    s.clock.advance(jiff::SignedDuration::from_hours(47));
    assert!(
        post(&http, &url, Some("k"), body).await.2,
        "replayed after 47 hours"
    );
    s.clock.advance(jiff::SignedDuration::from_hours(2));
    let late = post(&http, &url, Some("k"), body).await;
    assert_eq!(
        (late.0, late.2),
        (200, false),
        "a new write-off after 49 hours"
    );
    assert_eq!(points(&http, &s.url()).await, "1232.56");
}

#[test]
fn serve_check_names_a_tampered_balance_and_ledger_row() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    let store = loyalty_console::server::store::Sqlite::open(&db).unwrap();
    let other = store
        .with_conn(|c| {
            loyalty_console::server::demo::seed(c, 5, jiff::Timestamp::now())?;
            // Behind the server's back: a balance one kopeck up, and (past the trigger that
            // guards it) a ledger row of another client changed.
            c.execute(
                "UPDATE balances SET amount = amount + 1 WHERE client_id = ?1 AND currency = 'points'",
                [SAMPLE_CLIENT_ID],
            )?;
            let (id, client, currency): (i64, i64, String) = c.query_row(
                "SELECT id, client_id, currency FROM ledger WHERE client_id <> ?1 LIMIT 1",
                [SAMPLE_CLIENT_ID],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?;
            c.execute_batch("DROP TRIGGER ledger_no_update")?;
            c.execute("UPDATE ledger SET amount = amount + 500 WHERE id = ?1", [id])?;
            Ok((client, currency))
        })
        .unwrap();
    drop(store);
    let out = common::check_database(&db);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stdout}");
    assert!(
        stdout.contains(&format!(
            "client {SAMPLE_CLIENT_ID} points: balance 123457 but ledger sums to 123456"
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("client {} {}:", other.0, other.1)),
        "{stdout}"
    );
    assert!(stderr.contains("2 balance(s) disagree"), "{stderr}");
}

#[tokio::test]
async fn a_retry_with_the_same_key_changes_nothing() {
    let s = TestServer::start(5).await;
    let http = reqwest::Client::new();
    let url = write_off_url(&s.url(), SAMPLE_CLIENT_ID);
    let body = r#"{"balance":[{"amount":100,"currency":"points"}],"coupons":[1235]}"#;
    let first = post(&http, &url, Some("key-1"), body).await;
    assert_eq!((first.0, first.2), (200, false));
    let again = post(&http, &url, Some("key-1"), body).await;
    assert_eq!(
        (again.0, again.2),
        (200, true),
        "the stored answer, marked as a replay"
    );
    assert_eq!(points(&http, &s.url()).await, "1134.56", "charged once");
    // The same key for another request is a misuse.
    let other = post(
        &http,
        &url,
        Some("key-1"),
        r#"{"balance":[{"amount":1,"currency":"points"}]}"#,
    )
    .await;
    assert_eq!(other.0, 422, "{}", other.1);
    assert!(other.1.contains("idempotency_key_reused"));
    // A refusal is stored too: its retry is refused the same way without running again.
    let too_much = r#"{"balance":[{"amount":5000,"currency":"points"}]}"#;
    let refused = post(&http, &url, Some("key-2"), too_much).await;
    let replay = post(&http, &url, Some("key-2"), too_much).await;
    assert_eq!((refused.0, replay.0, replay.2), (422, 422, true));
    assert_eq!(refused.1, replay.1);
    // A key of another shape is refused before anything runs.
    let bad = post(&http, &url, Some("ключ"), body).await;
    assert_eq!(bad.0, 400);
    assert!(s.ledger_mismatches().await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_duplicate_while_the_first_is_running_gets_409() {
    let s = TestServer::start(5).await;
    // Hold the database's write lock so the first request waits inside its transaction.
    let blocker = rusqlite::Connection::open(s.sqlite().path()).unwrap();
    blocker.execute_batch("BEGIN IMMEDIATE").unwrap();
    let http = reqwest::Client::new();
    let url = write_off_url(&s.url(), SAMPLE_CLIENT_ID);
    let body = r#"{"balance":[{"amount":1,"currency":"points"}]}"#;
    let first = {
        let (http, url) = (http.clone(), url.clone());
        tokio::spawn(async move { post(&http, &url, Some("slow"), body).await })
    };
    // Only once the first request holds its key is the duplicate sent.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while s.state.write_offs_in_flight() == 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "the first request never started"
        );
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let duplicate = post(&http, &url, Some("slow"), body).await;
    assert_eq!(duplicate.0, 409, "{}", duplicate.1);
    assert!(duplicate.1.contains("idempotency_in_flight"));
    blocker.execute_batch("ROLLBACK").unwrap();
    assert_eq!(first.await.unwrap().0, 200);
    assert_eq!(points(&http, &s.url()).await, "1233.56");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigkill_under_load_loses_no_acknowledged_write_off() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    let start = |demo: bool| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_loyalty"));
        cmd.args(["serve", "--listen", "127.0.0.1:0", "--token", TOKEN])
            .arg("--db")
            .arg(&db);
        if demo {
            cmd.args(["--demo", "50"]);
        }
        common::spawn_serve(&mut cmd)
    };
    let (mut server, base) = start(true);
    let http = reqwest::Client::new();
    let acknowledged = std::sync::Arc::new(std::sync::Mutex::new(Vec::<(i64, String)>::new()));
    let body = r#"{"balance":[{"amount":0.01,"currency":"points"}]}"#;
    // Eight tills, each writing off a kopeck at a time from its own client.
    let workers: Vec<_> = (0..8)
        .map(|w| {
            let (http, base, acknowledged) = (http.clone(), base.clone(), acknowledged.clone());
            tokio::spawn(async move {
                let client = SAMPLE_CLIENT_ID + 1 + w;
                for n in 0..400 {
                    let key = format!("w{w}-{n}");
                    let sent = http
                        .post(write_off_url(&base, client))
                        .bearer_auth(TOKEN)
                        .header("Idempotency-Key", &key)
                        .header("content-type", "application/json")
                        .body(body)
                        .send()
                        .await;
                    match sent {
                        Ok(r) if r.status() == 200 => {
                            acknowledged.lock().unwrap().push((client, key))
                        }
                        Ok(_) => {}
                        Err(_) => return,
                    }
                }
            })
        })
        .collect();
    // Kill once enough write-offs are acknowledged, while the rest are in flight.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while acknowledged.lock().unwrap().len() < 60 {
        assert!(
            std::time::Instant::now() < deadline,
            "the server stopped acknowledging"
        );
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    server.kill().unwrap(); // SIGKILL on Unix
    server.wait().unwrap();
    for w in workers {
        w.await.unwrap();
    }
    let check = common::check_database(&db);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    assert!(String::from_utf8_lossy(&check.stdout).starts_with("ok:"));
    // Every acknowledged write-off is in the database: its key replays.
    let (mut server, base) = start(false);
    let acked = acknowledged.lock().unwrap().clone();
    assert!(acked.len() >= 60);
    for (client, key) in &acked {
        let r = http
            .post(write_off_url(&base, *client))
            .bearer_auth(TOKEN)
            .header("Idempotency-Key", key)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert!(
            r.headers().contains_key("idempotent-replayed"),
            "{key} was acknowledged but is missing"
        );
    }
    server.kill().unwrap();
    server.wait().unwrap();
}

/// Beyond the requests it serves at once the server answers 503 with Retry-After at once,
/// in the route's format, instead of queueing into "database is locked" after 10 s; the
/// requests it took all finish, and none of the refused ones changed anything.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn overload_gets_503_with_retry_after_at_once() {
    let s = TestServer::start_with(5, |st| st.with_max_in_flight(4)).await;
    // Hold the write lock so the first requests stay in flight.
    let blocker = rusqlite::Connection::open(s.sqlite().path()).unwrap();
    blocker.execute_batch("BEGIN IMMEDIATE").unwrap();
    let http = reqwest::Client::new();
    let url = write_off_url(&s.url(), SAMPLE_CLIENT_ID);
    let body = r#"{"balance":[{"amount":1,"currency":"points"}]}"#;
    let tasks: Vec<_> = (0..12)
        .map(|_| {
            let (http, url) = (http.clone(), url.clone());
            tokio::spawn(async move {
                let r = http
                    .post(&url)
                    .bearer_auth(TOKEN)
                    .header("content-type", "application/json")
                    .body(body)
                    .send()
                    .await
                    .unwrap();
                let retry = r
                    .headers()
                    .get("retry-after")
                    .map(|v| v.to_str().unwrap().to_string());
                (r.status().as_u16(), retry, r.text().await.unwrap())
            })
        })
        .collect();
    // The refusals come while the lock is still held: they did not wait for it.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while tasks.iter().filter(|t| t.is_finished()).count() < 8 {
        assert!(
            std::time::Instant::now() < deadline,
            "refusals did not come at once"
        );
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    blocker.execute_batch("ROLLBACK").unwrap();
    let mut answers = Vec::new();
    for t in tasks {
        answers.push(t.await.unwrap());
    }
    let refused: Vec<_> = answers.iter().filter(|a| a.0 == 503).collect();
    assert_eq!(refused.len(), 8, "{answers:?}");
    for (_, retry, text) in &refused {
        assert_eq!(retry.as_deref(), Some("1"));
        assert!(text.contains("busy"), "{text}");
    }
    assert_eq!(answers.iter().filter(|a| a.0 == 200).count(), 4);
    assert_eq!(
        points(&http, &s.url()).await,
        "1230.56",
        "four write-offs, no more"
    );
}

/// Under a 1,024-descriptor limit, 500 concurrent write-offs all get an answer that is a
/// success or a business refusal: the bounded pool never runs out of descriptors.
#[test]
fn five_hundred_write_offs_under_a_1024_descriptor_limit() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    let bin = env!("CARGO_BIN_EXE_loyalty");
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(format!(
            "ulimit -n 1024 && exec '{bin}' serve --listen 127.0.0.1:0 --token {TOKEN} --demo 5 --db '{}'",
            db.display()
        ));
    let (mut server, base) = common::spawn_serve(&mut cmd);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let statuses = runtime.block_on(async {
        let http = reqwest::Client::new();
        let url = write_off_url(&base, SAMPLE_CLIENT_ID);
        let tasks: Vec<_> = (0..500)
            .map(|i| {
                let (http, url) = (http.clone(), url.clone());
                tokio::spawn(async move {
                    post(
                        &http,
                        &url,
                        Some(&format!("k-{i}")),
                        r#"{"balance":[{"amount":3,"currency":"points"}]}"#,
                    )
                    .await
                    .0
                })
            })
            .collect();
        let mut statuses = Vec::new();
        for t in tasks {
            statuses.push(t.await.unwrap());
        }
        statuses
    });
    server.kill().unwrap();
    server.wait().unwrap();
    // 1234.56 covers 411 write-offs of 3.00; the rest are refused for the balance, or told
    // to come back (503) when more than the server serves at once arrive together.
    assert!(
        statuses.iter().all(|s| matches!(s, 200 | 422 | 503)),
        "{statuses:?}"
    );
    let accepted = statuses.iter().filter(|s| **s == 200).count() as i64;
    assert!(accepted > 0 && accepted <= 411, "{accepted} accepted");
    // What was answered is what was taken: one ledger row of 3.00 each, no overdraw, and the
    // balance agrees with its ledger.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let (rows, taken): (i64, i64) = conn
        .query_row(
            "SELECT count(*), coalesce(-sum(amount), 0) FROM ledger
             WHERE client_id = ?1 AND currency = 'points' AND amount < 0",
            [SAMPLE_CLIENT_ID],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((rows, taken), (accepted, accepted * 300));
    let check = common::check_database(&db);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

/// A server that seeded its demo data serves without the memory the seeding used: SQLite's
/// page cache, freed into the C library's allocator, goes back to the system.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[test]
fn a_seeded_server_serves_without_the_seedings_memory() {
    /// The kilobytes of the process `pid` in the `field` of its `/proc` status.
    fn status_kb(pid: u32, field: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
        let line = status
            .lines()
            .find(|l| l.starts_with(&format!("{field}:")))
            .unwrap_or_else(|| panic!("no {field} in {status}"));
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    }
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_loyalty"));
    cmd.args(["serve", "--listen", "127.0.0.1:0", "--token", TOKEN])
        .args(["--demo", "20000", "--db"])
        .arg(dir.path().join("shop.db"));
    let (server, _) = common::spawn_serve(&mut cmd);
    let (peak, anonymous) = (
        status_kb(server.id(), "VmHWM"),
        status_kb(server.id(), "RssAnon"),
    );
    // The seeding's peak is its page cache (tens of megabytes at 20,000 clients); what
    // stays is the runtime's own.
    assert!(
        anonymous * 3 < peak,
        "{anonymous} kB anonymous once serving, the seeding's peak {peak} kB"
    );
}
