//! A chain of shops: two real `loyalty serve` processes over one PostgreSQL database share one
//! ledger. Tills write off through both at once; one instance is killed with SIGKILL in the
//! middle, and its tills go on through the other, retrying what they never heard back about
//! with the same Idempotency-Key. Nothing is charged twice, nothing overdraws, every
//! acknowledged write-off is in the ledger and `serve --check` is clean.

use crate::common;
use crate::common::requests;

use common::postgres::Postgres as Cluster;
use common::{Reaped, TOKEN, spawn_serve};
use loyalty_console::server::demo::SAMPLE_CLIENT_ID;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const WRITE_OFFS: usize = 200;
/// Every write-off is its own till's, all at once.
const TILLS: usize = WRITE_OFFS;
/// Acknowledged write-offs before one instance is killed.
const KILL_AFTER: usize = 40;

fn serve(db: &str, demo: bool) -> (Reaped, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_loyalty"));
    cmd.args([
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--token",
        TOKEN,
        "--db",
        db,
    ]);
    if demo {
        cmd.args(["--demo", "5"]);
    }
    spawn_serve(&mut cmd)
}

/// What a till heard back: a status, or nothing (the instance died under it).
async fn write_off(http: &reqwest::Client, base: &str, key: &str) -> Option<u16> {
    let url = requests::write_off_url(base, SAMPLE_CLIENT_ID);
    let body = r#"{"balance":[{"amount":10,"currency":"points"}]}"#;
    let response = requests::write_off(http, &url, Some(key), body)
        .send()
        .await
        .ok()?;
    Some(response.status().as_u16())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_share_one_ledger_and_the_loss_of_one_loses_nothing() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let db = cluster.fresh_database().await;
    let (doomed, url_a) = serve(&db, true);
    let (mut survivor, url_b) = serve(&db, false);
    let doomed = Arc::new(Mutex::new(doomed));
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    let (acked, mut acked_rx) = tokio::sync::watch::channel(0usize);
    let acked = Arc::new(acked);
    let killer = {
        let doomed = doomed.clone();
        tokio::spawn(async move {
            acked_rx.wait_for(|n| *n >= KILL_AFTER).await.unwrap();
            doomed.lock().unwrap().kill().unwrap(); // SIGKILL
        })
    };
    // Each till sends its share through its own instance; whatever it hears nothing back
    // about, it retries through the survivor with the same key, as the console reconciles.
    let tills: Vec<_> = (0..TILLS)
        .map(|till| {
            let (http, acked) = (http.clone(), acked.clone());
            let own = if till % 2 == 0 {
                url_a.clone()
            } else {
                url_b.clone()
            };
            let survivor = url_b.clone();
            tokio::spawn(async move {
                let mut outcomes = Vec::new();
                for i in (till..WRITE_OFFS).step_by(TILLS) {
                    let key = format!("chain-{i}");
                    let first = write_off(&http, &own, &key).await;
                    let status = match first {
                        Some(s) => s,
                        None => write_off(&http, &survivor, &key)
                            .await
                            .expect("the surviving instance answers"),
                    };
                    if status == 200 {
                        acked.send_modify(|n| *n += 1);
                    }
                    outcomes.push((key, status, first.is_none()));
                }
                outcomes
            })
        })
        .collect();
    let mut outcomes = Vec::new();
    for t in tills {
        outcomes.extend(t.await.unwrap());
    }
    killer.await.unwrap();
    let accepted: Vec<&String> = outcomes
        .iter()
        .filter(|(_, s, _)| *s == 200)
        .map(|(k, _, _)| k)
        .collect();
    let refused = outcomes.iter().filter(|(_, s, _)| *s == 422).count();
    let retried = outcomes.iter().filter(|(_, _, r)| *r).count();
    // 1234.56 points cover 123 write-offs of 10.00 and not one more, however they were
    // spread over the instances and retried.
    assert_eq!(accepted.len(), 123, "{outcomes:?}");
    assert_eq!(refused, WRITE_OFFS - 123, "{outcomes:?}");
    assert!(retried > 0, "the kill happened mid-load");

    let client = Cluster::connect(&db).await;
    let balance: i64 = client
        .query_one(
            "SELECT amount FROM balances WHERE client_id = $1 AND currency = 'points'",
            &[&SAMPLE_CLIENT_ID],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(
        balance,
        123_456 - 123 * 1000,
        "the drop is the accepted sum"
    );
    let ledger: i64 = client
        .query_one(
            "SELECT count(*) FROM ledger WHERE client_id = $1 AND kind = 'write_off'
             AND principal IS NOT NULL",
            &[&SAMPLE_CLIENT_ID],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(ledger, 123, "one ledger row per accepted write-off");
    for key in accepted {
        let status: i64 = client
            .query_one("SELECT status FROM idempotency_keys WHERE key = $1", &[key])
            .await
            .unwrap()
            .get(0);
        assert_eq!(status, 200, "{key} is stored as accepted");
    }
    // The survivor still serves; the database passes the check.
    assert_eq!(
        write_off(&http, &url_b, "after").await,
        Some(422),
        "the survivor answers (nothing is left to write off)"
    );
    survivor.kill().unwrap();
    let check = Command::new(env!("CARGO_BIN_EXE_loyalty"))
        .args(["serve", "--check", "--db", &db])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert!(
        check.status.success(),
        "{stdout} {}",
        String::from_utf8_lossy(&check.stderr)
    );
    assert!(
        stdout.contains("every balance equals its ledger"),
        "{stdout}"
    );
}

/// `loyalty serve user …` against the chain's database, as an operator runs it.
fn user(db: &str, args: &[&str]) -> String {
    requests::serve_user(Command::new(env!("CARGO_BIN_EXE_loyalty")), db, args)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_and_jwts_of_one_instance_are_honoured_by_the_other() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let db = cluster.fresh_database().await;
    let cashier = user(&db, &["add", "shop1-till1", "--role", "cashier"]);
    let admin = user(&db, &["add", "head-office", "--role", "admin"]);
    assert!(user(&db, &["list"]).contains("shop1-till1"));
    let (mut a, url_a) = serve(&db, true);
    let (mut b, url_b) = serve(&db, false);
    let http = reqwest::Client::new();
    let balance = |base: &str, key: &str| {
        http.get(format!(
            "{base}/ext/api/v1/clients/{SAMPLE_CLIENT_ID}/balance/"
        ))
        .bearer_auth(key.to_string())
        .send()
    };
    for base in [&url_a, &url_b] {
        assert_eq!(
            balance(base, &cashier).await.unwrap().status(),
            200,
            "{base}"
        );
    }
    // A JWT issued by one instance (the admin key as the manager's password) is honoured by
    // the other: the signing key lives in the database.
    let url = format!("{url_a}/managerlogin");
    let login: serde_json::Value = requests::password_login(&http, &url, "79990000000", &admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let jwt = login["access_token"].as_str().expect("a JWT").to_string();
    let period = serde_json::json!({
        "BegDate": "2020-01-01T00:00:00+03:00", "EndDate": "2030-01-01T00:00:00+03:00",
        "Token": 1001, "Operator": 1
    });
    let report = http
        .post(format!("{url_b}/api/client/ClientInfoPeriod"))
        .bearer_auth(&jwt)
        .json(&period)
        .send()
        .await
        .unwrap();
    assert_eq!(report.status(), 200);
    // Revoked once, refused by every instance at the next request.
    user(&db, &["revoke", "shop1-till1"]);
    for base in [&url_a, &url_b] {
        assert_eq!(
            balance(base, &cashier).await.unwrap().status(),
            401,
            "{base}"
        );
    }
    a.kill().unwrap();
    b.kill().unwrap();
}

/// A client search's status and body.
async fn search(http: &reqwest::Client, base: &str, query: &str) -> (u16, String) {
    let response = http
        .get(format!("{base}/ext/api/v1/clients/?{query}"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .expect("an answer");
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

/// The ids of the clients a search's body lists.
fn ids(body: &str) -> Vec<i64> {
    let found: Vec<serde_json::Value> = serde_json::from_str(body).unwrap();
    found.iter().map(|c| c["id"].as_i64().unwrap()).collect()
}

/// Exact searches share a few pipelined connections: many at once each get their own
/// answer, and when the database drops every connection of the instance (a restart, an
/// operator's `pg_terminate_backend`), the next searches still answer instead of failing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exact_searches_share_connections_and_outlive_their_loss() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let db = cluster.fresh_database().await;
    let (mut server, base) = serve(&db, true);
    let http = reqwest::Client::new();
    let asked = [
        ("phone=7912345678", vec![SAMPLE_CLIENT_ID]),
        ("email=test@test.ru", vec![SAMPLE_CLIENT_ID]),
        ("phone=70000000000", vec![]),
    ];
    let all = (0..60).map(|i| {
        let (query, want) = asked[i % asked.len()].clone();
        let (http, base) = (&http, &base);
        async move {
            let (status, body) = search(http, base, query).await;
            assert_eq!(status, 200, "{query}: {body}");
            assert_eq!(ids(&body), want, "{query}");
        }
    });
    futures_util::future::join_all(all).await;

    let admin = Cluster::connect(&db).await;
    let killed: i64 = admin
        .query_one(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
             WHERE application_name = 'loyalty serve'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert!(killed >= 2, "the shared connections were open: {killed}");
    // Each lost connection fails at most one search, as "unavailable", and only if the one
    // run again on a new connection meets another of the killed: so within `killed + 1`
    // tries every search answers.
    for (query, want) in asked {
        let mut tries = 0;
        let body = loop {
            tries += 1;
            let (status, body) = search(&http, &base, query).await;
            if status == 200 {
                break body;
            }
            assert_eq!(status, 503, "{query} after the loss: {body}");
            assert!(body.contains("unavailable"), "{body}");
            assert!(
                tries <= killed,
                "{query}: still failing after {tries} tries"
            );
        };
        assert_eq!(ids(&body), want, "{query} after the loss");
    }
    server.kill().unwrap();
}
