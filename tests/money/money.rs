//! Money once: a write-off step that was sent and got no answer proving a refusal (a 5xx, a
//! dropped connection, garbage, no answer at all) has an unknown outcome, whether the vendor
//! carried it out or not. Tried against a real `loyalty serve` behind a gateway that fails
//! after forwarding, in both write-off modes, and over every status a server can answer.

use crate::common;

use axum::Router;
use axum::http::StatusCode;
use common::TestServer;
use common::gateway::{After, Gateway};
use loyalty_console::backend::ClientService;
use loyalty_console::backend::ext::ExtAdapter;
use loyalty_console::config::{ExtCredential, Secret, WriteOffMode};
use loyalty_console::domain::journal::HoldStep;
use loyalty_console::domain::{Amount, ClientId, CouponId, ServiceError, WriteOff};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const CLIENT: ClientId = ClientId(1_234_567);
/// The sample client's points before any write-off (1 234,56).
const POINTS: i64 = 123_456;

const WRITE_OFF: &str = "/balance/write_off/";
const HOLD: &str = "/cash_back/hold/";
const HOLD_WRITE_OFF: &str = "/hold/write_off/";
const HOLD_CANCEL: &str = "/hold/cancel/";

/// Every way a gateway or a vendor fails after the vendor carried the request out.
const AFTER_APPLYING: [After; 7] = [
    After::Status(500),
    After::Status(502),
    After::Status(503),
    After::Status(504),
    After::Garbage,
    After::Drop,
    After::Hang,
];

fn adapter(url: &str, mode: WriteOffMode) -> ExtAdapter {
    ExtAdapter::new(url, ExtCredential::Bearer(Secret::new(common::TOKEN)))
        .unwrap()
        .with_write_off(mode)
        // Long enough for a loaded machine to answer; a hung gateway costs this once.
        .with_timeout(Duration::from_secs(5))
        .unwrap()
}

fn ten_points() -> WriteOff {
    WriteOff {
        points: Some(Amount::from_minor(1_000)),
        ..WriteOff::default()
    }
}

type Steps = Arc<Mutex<Vec<(HoldStep, String)>>>;

async fn write_off(
    a: &ExtAdapter,
    request: WriteOff,
    key: &str,
    steps: &Steps,
) -> Result<(), ServiceError> {
    let record = |step: HoldStep, id: &str| steps.lock().unwrap().push((step, id.to_string()));
    a.write_off(CLIENT, request, Some(key.to_string()), None, &record)
        .await
        .map(|_| ())
}

/// The points the vendor holds for the sample client, read past the gateway.
async fn points(s: &TestServer) -> i64 {
    s.adapter().balance(CLIENT).await.unwrap().points.minor()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_direct_write_off_the_vendor_applied_is_unknown_whatever_the_gateway_says() {
    for after in AFTER_APPLYING {
        let s = TestServer::start(3).await;
        let g = Gateway::start(s.addr).await;
        g.fail(WRITE_OFF, after, 1);
        let a = adapter(&g.url, WriteOffMode::Direct);
        let e = write_off(&a, ten_points(), "k-1", &Steps::default())
            .await
            .unwrap_err();
        assert!(e.outcome_unknown(), "{after:?}: {e:?}");
        assert_eq!(g.seen.count(WRITE_OFF), 1, "{after:?}: sent once");
        assert_eq!(points(&s).await, POINTS - 1_000, "{after:?}: applied once");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hold_write_off_the_vendor_applied_is_unknown_never_repeated_or_cancelled() {
    for after in AFTER_APPLYING {
        let s = TestServer::start(3).await;
        let g = Gateway::start(s.addr).await;
        g.fail(HOLD_WRITE_OFF, after, 1);
        let a = adapter(&g.url, WriteOffMode::Hold);
        let steps = Steps::default();
        let request = WriteOff {
            rubles: Some(Amount::from_minor(500)),
            ..ten_points()
        };
        let e = write_off(&a, request.clone(), "k-1", &steps)
            .await
            .unwrap_err();
        assert!(e.outcome_unknown(), "{after:?}: {e:?}");
        // The points' hold was written off and its answer lost: the roubles' hold is not
        // written off, and nothing is cancelled.
        assert_eq!(g.seen.count(HOLD_WRITE_OFF), 1, "{after:?}");
        assert_eq!(g.seen.count(HOLD_CANCEL), 0, "{after:?}: no cancel");
        assert_eq!(points(&s).await, POINTS - 1_000, "{after:?}");
        let held = steps.lock().unwrap().clone();
        assert_eq!(held.len(), 2, "{after:?}: {held:?}");
        assert!(held.iter().all(|(step, _)| *step == HoldStep::Held));
        // The cashier's retry (same key) writes off the same two holds; the first is
        // already written off and the vendor's contract makes the repeat a no-op.
        write_off(&a, request, "k-1", &steps).await.unwrap();
        assert_eq!(g.seen.count(HOLD), 2, "{after:?}: never held again");
        let bodies = g.seen.bodies(HOLD_WRITE_OFF);
        assert!(bodies[1].contains(&held[0].1), "{after:?}: {bodies:?}");
        assert!(bodies[2].contains(&held[1].1), "{after:?}: {bodies:?}");
        assert_eq!(points(&s).await, POINTS - 1_000, "{after:?}: taken once");
        assert!(s.ledger_mismatches().await.is_empty());
    }
}

/// A hold (the reservation) without an answer: the outcome is unknown too, the holds made
/// before it (nothing written off from them) are released, and nothing is written off.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hold_without_an_answer_is_unknown_and_nothing_is_written_off() {
    let s = TestServer::start(3).await;
    let g = Gateway::start(s.addr).await;
    // The second hold (roubles) is made by the vendor; its answer is lost.
    g.fail(HOLD, After::Pass, 1);
    g.fail(HOLD, After::Status(502), 1);
    let a = adapter(&g.url, WriteOffMode::Hold);
    let steps = Steps::default();
    let request = WriteOff {
        rubles: Some(Amount::from_minor(500)),
        ..ten_points()
    };
    let e = write_off(&a, request, "k-1", &steps).await.unwrap_err();
    assert!(e.outcome_unknown(), "{e:?}");
    assert_eq!(g.seen.count(HOLD), 2);
    assert_eq!(g.seen.count(HOLD_WRITE_OFF), 0);
    assert_eq!(
        g.seen.count(HOLD_CANCEL),
        1,
        "the first hold, known, released"
    );
    assert_eq!(points(&s).await, POINTS);
}

/// A stub vendor that answers `code` to every write-off step it is told to and 200
/// otherwise, carrying nothing out: every status a server can send, in both modes.
async fn stub(code: u16, failing: &'static str) -> (String, Arc<Mutex<Vec<String>>>) {
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let log = seen.clone();
    let app = Router::new().fallback(move |uri: axum::http::Uri| {
        let log = log.clone();
        async move {
            let path = uri.path().to_string();
            log.lock().unwrap().push(path.clone());
            if path.contains(failing) {
                let status = StatusCode::from_u16(code).unwrap();
                return (
                    status,
                    r#"{"error":{"code":"x","message":"no"}}"#.to_string(),
                );
            }
            let body = if path.ends_with("/cash_back/hold/") {
                format!(r#"{{"transactionId":"t-{}"}}"#, log.lock().unwrap().len())
            } else {
                String::new()
            };
            (StatusCode::OK, body)
        }
    });
    (common::stub::serve(app).await, seen)
}

/// Ten points written off in `mode` against a stub that answers `code` to `failing`: the
/// result, and every path the stub was sent.
async fn against_stub(
    code: u16,
    failing: &'static str,
    mode: WriteOffMode,
) -> (Result<(), ServiceError>, Vec<String>) {
    let (url, seen) = stub(code, failing).await;
    let result = write_off(&adapter(&url, mode), ten_points(), "k", &Steps::default()).await;
    let paths = seen.lock().unwrap().clone();
    (result, paths)
}

/// Whether `code` is an answer that proves a refusal.
fn refusal(code: u16) -> bool {
    (400..500).contains(&code) && ![408, 409].contains(&code)
}

/// Over every final status from 200 to 599 on each write-off step: no step is ever sent
/// twice, a hold whose write-off got anything but a refusal is never cancelled, and only a
/// plain 4xx is taken for a refusal.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_write_off_step_is_resent_and_only_a_4xx_refuses_whatever_the_status() {
    for code in 200..=599u16 {
        if StatusCode::from_u16(code).is_err() || [204, 205, 304].contains(&code) {
            // Statuses that carry no body are answered without the refusal's body, which
            // the stub sends with every status; they are covered by the unit test of
            // `status_kind`.
            continue;
        }
        // Direct: one POST, whatever comes back.
        let (result, paths) = against_stub(code, "/write_off/", WriteOffMode::Direct).await;
        assert_eq!(paths.len(), 1, "{code}: sent once");
        match result {
            Ok(()) => assert!((200..300).contains(&code), "{code}"),
            Err(e) => assert_eq!(e.outcome_unknown(), !refusal(code), "{code}: {e:?}"),
        }
        // Hold mode, the hold's write-off answered with `code`.
        let (result, paths) = against_stub(code, "/hold/write_off/", WriteOffMode::Hold).await;
        let sent = |p: &str| paths.iter().filter(|x| x.ends_with(p)).count();
        assert_eq!(sent("/hold/write_off/"), 1, "{code}: {paths:?}");
        let cancelled = sent("/hold/cancel/");
        match result {
            Ok(()) => assert!((200..300).contains(&code) && cancelled == 0, "{code}"),
            Err(e) if refusal(code) => {
                assert!(!e.outcome_unknown(), "{code}: {e:?}");
                assert_eq!(cancelled, 1, "{code}: a refused hold is released");
            }
            Err(e) => {
                assert!(e.outcome_unknown(), "{code}: {e:?}");
                assert_eq!(cancelled, 0, "{code}: a hold in doubt is never cancelled");
            }
        }
        // Hold mode, the hold itself answered with `code`: nothing is written off.
        let (_, paths) = against_stub(code, "/cash_back/hold/", WriteOffMode::Hold).await;
        assert_eq!(paths.len(), 1, "{code}: {paths:?}");
    }
}

/// A coupon written off through a gateway that lost the answer: the coupon is gone from the
/// client's list, which singles the write-off out (a coupon is redeemed once).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_coupon_taken_behind_a_502_is_gone_once() {
    let s = TestServer::start(3).await;
    let g = Gateway::start(s.addr).await;
    g.fail(WRITE_OFF, After::Status(502), 1);
    let a = adapter(&g.url, WriteOffMode::Direct);
    let request = WriteOff {
        coupons: vec![CouponId(1235)],
        ..ten_points()
    };
    let e = write_off(&a, request, "k-1", &Steps::default())
        .await
        .unwrap_err();
    assert!(e.outcome_unknown(), "{e:?}");
    let coupons = s.adapter().coupons(CLIENT).await.unwrap();
    assert!(
        coupons.iter().all(|c| c.id != CouponId(1235)),
        "{coupons:?}"
    );
}
