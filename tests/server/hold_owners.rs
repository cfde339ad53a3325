//! What one till may do to another's money, on SQLite and on a throwaway PostgreSQL: a hold
//! is stepped (written off, cancelled, refunded) only by the principal that made it or an
//! admin, and a refund records who asked; idempotency keys belong to the principal, not to
//! the `login` a caller names; REGOS refuses a NUL in a search alike on both stores. And no
//! caller's text forges a line of the server's log.

use crate::common;
use crate::common::requests;

use common::postgres::Postgres as Cluster;
use common::{INTEGRATION_KEY, SAMPLE, TOKEN, TestServer};
use jiff::Timestamp;
use loyalty_console::domain::{Amount, Currency};
use loyalty_console::server::holds::Reach;
use loyalty_console::server::principals::Role;
use loyalty_console::server::store::{DbTarget, Made, Refusal, Store, StoreError};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

fn anchor() -> Timestamp {
    Timestamp::from_second(1_790_000_000).unwrap()
}

fn made(principal: Option<&str>) -> Made {
    Made {
        at: anchor(),
        by: Some("kassa@shop.ru".into()),
        principal: principal.map(Into::into),
        ..Made::default()
    }
}

async fn points(store: &Store) -> Amount {
    store.balances(SAMPLE).await.unwrap().points
}

fn not_yours(result: Result<(), StoreError>, transaction: &str) {
    let e = result.unwrap_err();
    assert!(
        matches!(&e, StoreError::Refused(Refusal::HoldOfAnother(id)) if id == transaction),
        "{e}"
    );
}

/// Till B can neither write off, cancel nor refund till A's hold, and nothing changes; an
/// admin can do each; a hold that records no principal is an admin's alone.
async fn a_hold_is_stepped_only_by_its_till_or_an_admin(store: &Store) {
    let till_a = || made(Some("till-a"));
    let till_b = || made(Some("till-b"));
    let admin = || made(Some("back-office"));
    let start = points(store).await;
    let hundred = Amount::from_minor(100);
    for tx in ["tx-a1", "tx-a2", "tx-a3"] {
        let a = till_a();
        let held = store.hold(
            SAMPLE,
            Currency::Points,
            hundred,
            vec![],
            a,
            tx.into(),
            None,
        );
        held.await.unwrap();
    }
    let b_writes_off = store.hold_write_off("tx-a1".into(), None, till_b(), Reach::Own);
    not_yours(b_writes_off.await, "tx-a1");
    not_yours(
        store
            .hold_cancel("tx-a1".into(), till_b(), Reach::Own)
            .await,
        "tx-a1",
    );
    assert_eq!(points(store).await, start, "nothing taken");
    store
        .hold_write_off("tx-a1".into(), None, till_a(), Reach::Own)
        .await
        .unwrap();
    let spent = Amount::from_minor(start.minor() - 100);
    assert_eq!(points(store).await, spent);
    not_yours(
        store
            .hold_refund("tx-a1".into(), till_b(), Reach::Own)
            .await,
        "tx-a1",
    );
    assert_eq!(points(store).await, spent, "nothing given back");
    store
        .hold_refund("tx-a1".into(), admin(), Reach::Any)
        .await
        .unwrap();
    assert_eq!(points(store).await, start);
    store
        .hold_write_off("tx-a2".into(), None, admin(), Reach::Any)
        .await
        .unwrap();
    store
        .hold_cancel("tx-a3".into(), admin(), Reach::Any)
        .await
        .unwrap();
    assert_eq!(points(store).await, spent);
    // As a hold made before holds recorded their principal is.
    let old = made(None);
    let held = store.hold(
        SAMPLE,
        Currency::Points,
        hundred,
        vec![],
        old,
        "tx-old".into(),
        None,
    );
    held.await.unwrap();
    for asker in [till_a(), made(None)] {
        not_yours(
            store.hold_cancel("tx-old".into(), asker, Reach::Own).await,
            "tx-old",
        );
    }
    store
        .hold_cancel("tx-old".into(), admin(), Reach::Any)
        .await
        .unwrap();
}

/// `(transaction, principal, refunded_by, refunded_ms)` and `(login, refunded_login)` as
/// each store keeps them: who made a hold and who refunded it, by principal and by login.
type Recorded = Vec<(
    (String, Option<String>, Option<String>, Option<i64>),
    (Option<String>, Option<String>),
)>;

const RECORDED: &str = "SELECT transaction_id, principal, refunded_by, refunded_ms, login,
                               refunded_login
                        FROM holds ORDER BY transaction_id";

fn assert_recorded(rows: Recorded) {
    let owner = |p: &str| Some(p.to_string());
    let kassa = || owner("kassa@shop.ru");
    assert_eq!(
        rows,
        vec![
            (
                (
                    "tx-a1".into(),
                    owner("till-a"),
                    owner("back-office"),
                    Some(anchor().as_millisecond())
                ),
                (kassa(), kassa())
            ),
            (
                ("tx-a2".into(), owner("till-a"), None, None),
                (kassa(), None)
            ),
            (
                ("tx-a3".into(), owner("till-a"), None, None),
                (kassa(), None)
            ),
            (("tx-old".into(), None, None, None), (kassa(), None)),
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_holds_belong_to_their_till() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("holds.db");
    let store = Store::open_sqlite(&path).unwrap();
    store.seed_demo(3, anchor()).await.unwrap();
    a_hold_is_stepped_only_by_its_till_or_an_admin(&store).await;
    let conn = rusqlite::Connection::open(&path).unwrap();
    let rows = conn
        .prepare(RECORDED)
        .unwrap()
        .query_map([], |r| {
            Ok((
                (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?),
                (r.get(4)?, r.get(5)?),
            ))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_recorded(rows);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_holds_belong_to_their_till() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let url = cluster.fresh_database().await;
    let store = Store::open(&DbTarget::parse(&url).unwrap()).await.unwrap();
    store.seed_demo(3, anchor()).await.unwrap();
    a_hold_is_stepped_only_by_its_till_or_an_admin(&store).await;
    let client = Cluster::connect(&url).await;
    let rows = client.query(RECORDED, &[]).await.unwrap();
    assert_recorded(
        rows.iter()
            .map(|r| {
                (
                    (r.get(0), r.get(1), r.get(2), r.get(3)),
                    (r.get(4), r.get(5)),
                )
            })
            .collect(),
    );
}

/// A seed-001 call with `key` as its bearer token, or as `api_key` beside `login`.
async fn call(s: &TestServer, key: &str, login: Option<&str>, path: &str, body: &Value) -> Call {
    let url = format!("{}/ext/api/v1{path}", s.url());
    let request = reqwest::Client::new().post(url).json(body);
    let request = match login {
        Some(login) => request.query(&[("login", login), ("api_key", key)]),
        None => request.bearer_auth(key),
    };
    let request = request.header("Idempotency-Key", "sale-1");
    let r = request.send().await.unwrap();
    let replayed = r.headers().contains_key("idempotent-replayed");
    let status = r.status().as_u16();
    let text = r.text().await.unwrap();
    Call {
        status,
        body: serde_json::from_str(&text).unwrap_or(Value::Null),
        replayed,
    }
}

struct Call {
    status: u16,
    body: Value,
    replayed: bool,
}

/// Over HTTP with two tills' keys: B's steps on A's hold are refused in seed 001's error
/// form and change nothing, the shared token (an admin) may take them; A's write-off
/// retried under another `login` is replayed, not taken twice; a NUL in REGOS's search is
/// its validation error.
async fn tills_over_http(s: &TestServer) {
    let a = s.store.add_user("till-a".into(), Role::Cashier, 0);
    let a = a.await.unwrap();
    let b = s.store.add_user("till-b".into(), Role::Cashier, 0);
    let b = b.await.unwrap();
    let start = points(&s.store).await;
    let hold = json!({"clientId": SAMPLE.0, "currency": "points", "amount": 10, "couponIds": []});
    let held = call(s, &a, None, "/fiscal_hub/cash_back/hold/", &hold).await;
    assert_eq!(held.status, 200, "{}", held.body);
    let tx = json!({"transactionId": held.body["transactionId"]});
    let write_off = "/fiscal_hub/cash_back/hold/write_off/";
    let refund = "/fiscal_hub/cash_back/refund/";
    for path in [write_off, "/fiscal_hub/cash_back/hold/cancel/", refund] {
        let refused = call(s, &b, None, path, &tx).await;
        assert_eq!(refused.status, 403, "{path}: {}", refused.body);
        assert_eq!(refused.body["error"]["code"], "transaction_forbidden");
        let message = refused.body["error"]["message"].as_str().unwrap();
        assert!(message.contains("another till"), "{message}");
    }
    assert_eq!(points(&s.store).await, start);
    assert_eq!(call(s, &a, None, write_off, &tx).await.status, 200);
    assert_eq!(call(s, &b, None, refund, &tx).await.status, 403);
    assert_eq!(points(&s.store).await.minor(), start.minor() - 1000);
    assert_eq!(call(s, TOKEN, None, refund, &tx).await.status, 200);
    assert_eq!(points(&s.store).await, start);

    let path = format!("/clients/{}/balance/write_off/", SAMPLE.0);
    let body = json!({"balance": [{"amount": 1, "currency": "points"}]});
    let first = call(s, &a, Some("kassa-1"), &path, &body).await;
    assert_eq!((first.status, first.replayed), (200, false));
    let again = call(s, &a, Some("kassa-2"), &path, &body).await;
    assert_eq!(
        (again.status, again.replayed),
        (200, true),
        "{}",
        again.body
    );
    let as_bearer = call(s, &a, None, &path, &body).await;
    assert!(as_bearer.replayed, "the same principal, however it signs");
    let others = call(s, &b, Some("kassa-1"), &path, &body).await;
    assert_eq!((others.status, others.replayed), (200, false), "B's own");
    assert_eq!(points(&s.store).await.minor(), start.minor() - 200);

    let url = format!(
        "{}/gateway/out/{INTEGRATION_KEY}/v1/RetailCard/Get",
        s.url()
    );
    for search in ["Иван\0", "791\u{0}2345678"] {
        let r = reqwest::Client::new()
            .post(&url)
            .json(&json!({"search": search}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "REGOS answers every call with 200");
        let answer: Value = r.json().await.unwrap();
        assert_eq!(answer["ok"], false, "{answer}");
        assert_eq!(answer["result"]["error"], 1008, "{answer}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_tills_keep_to_their_own_over_http() {
    let s = TestServer::start(5).await;
    tills_over_http(&s).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_tills_keep_to_their_own_over_http() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let url = cluster.fresh_database().await;
    let store = Store::open(&DbTarget::parse(&url).unwrap()).await.unwrap();
    let s = TestServer::start_on(store, tempfile::tempdir().unwrap(), 5, |s| s).await;
    tills_over_http(&s).await;
}

/// The real `loyalty serve`, killed however the test ends.
struct Serve(Child);

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A JSON key with line breaks ends up in serde's "unknown field" text, which the server
/// logs with the refusal: it stays inside its one line.
#[tokio::test]
async fn a_json_key_with_a_newline_forges_no_log_line() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("serve.log");
    let mut serve = Command::new(env!("CARGO_BIN_EXE_loyalty"));
    serve
        .env_clear()
        .env("LOYALTY_DATA_DIR", dir.path().join("data"))
        .env("LOYALTY_STATE_DIR", dir.path().join("state"))
        .env("LOYALTY_SERVER_TOKEN", TOKEN)
        .args(["serve", "--listen", "127.0.0.1:0", "--db"])
        .arg(dir.path().join("shop.db"))
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&log).unwrap());
    common::same_clock(&mut serve);
    let mut serve = Serve(serve.spawn().unwrap());
    let mut line = String::new();
    BufReader::new(serve.0.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap()
        .to_string();
    let forged = "2030-01-01T00:00:00.000000Z  INFO loyalty: FORGED admin revoked";
    let body = format!(r#"{{"balance":[],"x\n{forged}\r\n":1}}"#);
    let url = requests::write_off_url(&url, SAMPLE.0);
    let r = requests::write_off(&reqwest::Client::new(), &url, None, body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    drop(serve);
    let log = std::fs::read_to_string(&log).unwrap();
    let refusal: Vec<&str> = log.lines().filter(|l| l.contains("FORGED")).collect();
    assert_eq!(refusal.len(), 1, "{log}");
    assert!(refusal[0].contains("unknown field `x\\n2030-"), "{log}");
    for line in log.lines() {
        assert!(
            !line.starts_with("2030-") && !line.starts_with('\r'),
            "a forged line: {line:?}"
        );
    }
}
