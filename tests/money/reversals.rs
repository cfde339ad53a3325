//! Money back, once: a reversal or a refund of holds that was sent and got no answer that
//! proves a refusal (a 5xx, garbage, no answer at all) has an unknown outcome, is never sent
//! again, and `loyalty reverse` judges it by reading back. Against a real `loyalty serve`
//! behind a gateway that fails after forwarding, as `money.rs` does for write-offs. The
//! refund's shape mirrors the seed-001 fiscal document (cited by name: no public client of
//! that API exists, see docs/vendors.md), `{"orderItems": [...]}`.

use crate::common;

use common::TestServer;
use common::gateway::{After, Gateway};
use loyalty_console::backend::ext::ExtAdapter;
use loyalty_console::backend::{ClientService, Recorder};
use loyalty_console::config::{ExtCredential, Secret, WriteOffMode};
use loyalty_console::domain::journal::HoldStep;
use loyalty_console::domain::limits::ManagerPin;
use loyalty_console::domain::reversal::{ReasonCode, Why};
use loyalty_console::domain::{Amount, ClientId, Reversal, WriteOff};
use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

const CLIENT: ClientId = ClientId(1_234_567);
/// The sample client's points before any write-off (1 234,56).
const POINTS: i64 = 123_456;
const REFUND: &str = "/cash_back/refund/";
const REVERSAL: &str = "/reversal/";

/// The ways a gateway fails after the vendor carried the request out that these tests walk.
const AFTER_APPLYING: [After; 3] = [After::Status(502), After::Garbage, After::Hang];

/// Seconds before a request counts as unanswered: long enough for a loaded machine.
const TIMEOUT: u64 = 5;

fn adapter(url: &str, mode: WriteOffMode) -> ExtAdapter {
    ExtAdapter::new(url, ExtCredential::Bearer(Secret::new(common::TOKEN)))
        .unwrap()
        .with_write_off(mode)
        .with_timeout(Duration::from_secs(TIMEOUT))
        .unwrap()
}

/// Keeps each hold's id as its answer gave it, as the journal does.
#[derive(Default)]
struct HoldIds(Mutex<Vec<String>>);

impl Recorder for HoldIds {
    fn step(&self, _: HoldStep, _: &str) {}
    fn held(&self, _: &str, hold: Option<i64>) {
        let id = hold.expect("loyalty serve gives each hold its id");
        self.0.lock().unwrap().push(id.to_string());
    }
}

async fn points(s: &TestServer) -> i64 {
    s.adapter().balance(CLIENT).await.unwrap().points.minor()
}

fn ten_points() -> WriteOff {
    WriteOff {
        points: Some(Amount::from_minor(1_000)),
        ..WriteOff::default()
    }
}

/// A refund the vendor made whose answer was lost is unknown, sent once, and made once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refund_of_holds_the_vendor_made_is_unknown_and_sent_once() {
    for after in AFTER_APPLYING {
        let s = TestServer::start(3).await;
        let g = Gateway::start(s.addr).await;
        let a = adapter(&g.url, WriteOffMode::Hold);
        let holds = HoldIds::default();
        a.write_off(CLIENT, ten_points(), Some("k-1".into()), None, &holds)
            .await
            .unwrap();
        assert_eq!(points(&s).await, POINTS - 1_000);
        g.fail(REFUND, after, 1);
        let ids = holds.0.lock().unwrap().clone();
        let no_steps = |_: HoldStep, _: &str| {};
        let e = a.refund_holds(CLIENT, ids, &no_steps).await.unwrap_err();
        assert!(e.outcome_unknown(), "{after:?}: {e:?}");
        assert_eq!(g.seen.count(REFUND), 1, "{after:?}: sent once");
        assert_eq!(points(&s).await, POINTS, "{after:?}: given back once");
        assert!(s.ledger_mismatches().await.is_empty());
    }
}

/// A reversal the server made whose answer was lost is unknown, sent once, made once; the
/// original read back shows it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reversal_the_server_made_is_unknown_and_sent_once() {
    for after in AFTER_APPLYING {
        let s = with_manager().await;
        let g = Gateway::start(s.addr).await;
        let a = adapter(&g.url, WriteOffMode::Direct);
        let no_steps = |_: HoldStep, _: &str| {};
        let id = a
            .write_off(CLIENT, ten_points(), Some("k-1".into()), None, &no_steps)
            .await
            .unwrap()
            .expect("loyalty serve numbers its operations");
        g.fail(REVERSAL, after, 1);
        let back = Reversal {
            original: id,
            client: CLIENT,
            points: Some(Amount::from_minor(400)),
            rubles: None,
            coupons: vec![],
            why: Why::new(ReasonCode::Mistake, None).unwrap(),
        };
        let pin = ManagerPin::new(PIN);
        let e = a.reverse(back, Some("r-1".into()), pin).await.unwrap_err();
        assert!(e.outcome_unknown(), "{after:?}: {e:?}");
        assert_eq!(g.seen.count(REVERSAL), 1, "{after:?}: sent once");
        let op = a.operation(id).await.unwrap();
        assert_eq!(op.reversed_points, Amount::from_minor(400), "{after:?}");
        assert_eq!(points(&s).await, POINTS - 600, "{after:?}: given back once");
    }
}

/// The manager whose PIN the command-line tests give (`serve user add --role manager`).
/// Eight digits: the checks that no PIN is written anywhere would take a shorter one, turning
/// up by chance in a random idempotency key or a timestamp, for a leak.
const PIN: &str = "24681357";

/// `loyalty ARGS` on a profile whose vendor is at `url`, writing off as `mode` says, with
/// the manager's PIN in `BOSS_PIN`; its exit code and what it said.
async fn loyalty(
    dir: &Path,
    url: &str,
    mode: &str,
    args: &[&str],
) -> (Option<i32>, String, String) {
    let config = dir.join("gateway.toml");
    std::fs::write(
        &config,
        format!(
            "default_profile = \"shop\"\nrequest_timeout_seconds = {TIMEOUT}\n\
             [profiles.shop.ext]\nbase_url = \"{url}\"\ntoken = \"{}\"\nwrite_off = \"{mode}\"\n",
            common::TOKEN
        ),
    )
    .unwrap();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_loyalty"));
    cmd.env_clear()
        .env("LANG", "en_US.UTF-8")
        .env("TZ", "UTC")
        .env("BOSS_PIN", PIN)
        .env("LOYALTY_CONFIG", &config)
        .env("LOYALTY_DATA_DIR", dir)
        .env("LOYALTY_STATE_DIR", dir.join("logs"))
        .args(args);
    common::same_clock(&mut cmd);
    // The vendor answers on this runtime's threads while the command runs.
    let out = tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

/// The newest movement's `id` in `loyalty journal --json`.
async fn newest_id(dir: &Path, url: &str) -> String {
    let (code, out, err) = loyalty(dir, url, "hold", &["journal", "--json"]).await;
    assert_eq!(code, Some(0), "{err}");
    let rows: serde_json::Value = serde_json::from_str(&out).unwrap();
    rows[0]["id"]
        .as_str()
        .expect("every row has an id")
        .to_string()
}

/// `loyalty reverse KEY` of a write-off made through holds, whose refund the vendor made
/// and `after` hid: read back by the balance, given back (0) when it was forwarded, not
/// (3) when it never was; the refund sent once either way.
async fn refund_behind(after: After) -> (Option<i32>, String, usize, i64) {
    let dir = tempfile::tempdir().unwrap();
    let s = TestServer::start(3).await;
    let g = Gateway::start(s.addr).await;
    let (code, _, err) = loyalty(
        dir.path(),
        &g.url,
        "hold",
        &["write-off", "1234567", "--points", "10", "--yes"],
    )
    .await;
    assert_eq!(code, Some(0), "{err}");
    let key = newest_id(dir.path(), &g.url).await;
    assert!(
        key.ends_with("-cli"),
        "no number: the id is the key ({key})"
    );
    g.fail(REFUND, after, 1);
    let reverse = ["reverse", &key, "--reason", "returned", "--yes"];
    let (code, out, err) = loyalty(dir.path(), &g.url, "hold", &reverse).await;
    let (points, sent) = (points(&s).await, g.seen.count(REFUND));
    // Once given back, never again: the vendor answers a repeated refund as done, so the
    // journal is what says so, and the repeat sends nothing.
    if code == Some(0) {
        let (again, _, said) = loyalty(dir.path(), &g.url, "hold", &reverse).await;
        assert_eq!(again, Some(1), "{said}");
        assert!(said.contains("Nothing is left to give back"), "{said}");
        assert_eq!(g.seen.count(REFUND), sent, "{said}");
    }
    (code, out + &err, sent, points)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reverse_checks_a_refund_whose_answer_was_garbage_and_exits_0() {
    let (code, said, sent, points) = refund_behind(After::Garbage).await;
    assert_eq!(code, Some(0), "{said}");
    assert!(said.contains("checked: it was given back"), "{said}");
    assert_eq!((sent, points), (1, POINTS), "{said}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reverse_exits_3_when_the_refund_never_reached_the_vendor() {
    let (code, said, sent, points) = refund_behind(After::Before(502)).await;
    assert_eq!(code, Some(3), "{said}");
    assert!(said.contains("nothing was given back"), "{said}");
    assert_eq!((sent, points), (1, POINTS - 1_000), "{said}");
}

/// A test server whose store has a manager `boss` with [`PIN`], added as a shop adds one:
/// `loyalty serve user add boss --role manager --pin-env VAR`.
async fn with_manager() -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("loyalty.db");
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_loyalty"));
    cmd.env_clear()
        .env("BOSS_PIN", PIN)
        .args([
            "serve",
            "user",
            "add",
            "boss",
            "--role",
            "manager",
            "--pin-env",
            "BOSS_PIN",
            "--db",
        ])
        .arg(&db);
    let out = tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let store = loyalty_console::server::store::Store::open_sqlite(&db).unwrap();
    TestServer::start_on(store, dir, 3, |s| s).await
}

/// `loyalty reverse N` through the gateway: a direct write-off, then a reversal of part of
/// it whose answer `after` hides; its exit by reading the operation back.
async fn reversal_behind(after: After) -> (Option<i32>, String, usize, i64) {
    let dir = tempfile::tempdir().unwrap();
    let s = with_manager().await;
    let g = Gateway::start(s.addr).await;
    let (code, _, err) = loyalty(
        dir.path(),
        &g.url,
        "direct",
        &["write-off", "1234567", "--points", "10", "--yes"],
    )
    .await;
    assert_eq!(code, Some(0), "{err}");
    let id = newest_id(dir.path(), &g.url).await;
    assert!(id.parse::<i64>().is_ok(), "loyalty serve numbers it: {id}");
    g.fail(REVERSAL, after, 1);
    let (code, out, err) = loyalty(
        dir.path(),
        &g.url,
        "direct",
        &[
            "reverse",
            &id,
            "--amount",
            "4",
            "--reason",
            "mistake",
            "--pin-env",
            "BOSS_PIN",
            "--yes",
        ],
    )
    .await;
    (code, out + &err, g.seen.count(REVERSAL), points(&s).await)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reverse_checks_a_reversal_whose_answer_was_lost_and_exits_0() {
    for after in AFTER_APPLYING {
        let (code, said, sent, points) = reversal_behind(after).await;
        assert_eq!(code, Some(0), "{after:?}: {said}");
        assert!(said.contains("checked: it was given back"), "{said}");
        assert_eq!((sent, points), (1, POINTS - 600), "{after:?}: {said}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reverse_exits_3_when_the_reversal_never_reached_the_server() {
    let (code, said, sent, points) = reversal_behind(After::Before(502)).await;
    assert_eq!(code, Some(3), "{said}");
    assert!(said.contains("nothing was given back"), "{said}");
    assert_eq!((sent, points), (1, POINTS - 1_000), "{said}");
}
