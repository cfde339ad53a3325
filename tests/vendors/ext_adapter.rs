//! The seed-001 adapter on the exact JSON samples of the vendor document, and on every kind
//! of failure a vendor can produce. A tiny fixture server on 127.0.0.1 plays the vendor.

use crate::common::stub;
use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use loyalty_console::backend::ClientService;
use loyalty_console::backend::ext::ExtAdapter;
use loyalty_console::config::{ExtCredential, Secret};
use loyalty_console::domain::limits::{Capabilities, LimitKind, ManagerPin};
use loyalty_console::domain::reversal::{ReasonCode, Why};
use loyalty_console::domain::shift::ReportSource;
use loyalty_console::domain::{
    Amount, ClientId, ClientQuery, CouponId, Currency, ErrorKind, HistoryCursor, HistoryQuery,
    OperationId, Reason, Receipt, Reversal, WriteOff,
};
use loyalty_console::wire::ext::{WriteOffDto, balances_from_wire};
use std::sync::{Arc, Mutex};

const CLIENTS: &str = include_str!("../fixtures/ext/clients.json");
const BALANCE: &str = include_str!("../fixtures/ext/balance.json");
const COUPONS: &str = include_str!("../fixtures/ext/coupons.json");
const HISTORY: &str = include_str!("../fixtures/ext/history.json");
const WRITE_OFF: &str = include_str!("../fixtures/ext/write_off_request.json");

type Seen = Arc<Mutex<Vec<(String, String)>>>;

/// Serves the seed samples; records (auth header or path-and-query, body) of each request.
async fn vendor(seen: Seen) -> String {
    let json = |body: &'static str| move || async move { stub::json(body) };
    let record = seen.clone();
    let record_query = seen.clone();
    let app = Router::new()
        .route(
            "/ext/api/v1/clients/",
            get(move |uri: axum::http::Uri, headers: HeaderMap| async move {
                let auth = headers.get("authorization").map(|v| v.to_str().unwrap_or("").to_string());
                record_query.lock().unwrap().push((uri.to_string(), auth.unwrap_or_default()));
                ([("content-type", "application/json")], CLIENTS)
            }),
        )
        .route("/ext/api/v1/clients/1234567/balance/", get(json(BALANCE)))
        .route("/ext/api/v1/clients/1234567/coupons/", get(json(COUPONS)))
        .route("/ext/api/v1/clients/1234567/balance/history/", get(json(HISTORY)))
        .route(
            "/ext/api/v1/clients/1234567/balance/write_off/",
            post(move |body: Bytes| async move {
                record.lock().unwrap().push(("write_off".into(), String::from_utf8_lossy(&body).into()));
                StatusCode::OK
            }),
        )
        .route("/ext/api/v1/clients/500/balance/", get(|| async { (StatusCode::INTERNAL_SERVER_ERROR, "<html>Bad Gateway</html>") }))
        .route("/ext/api/v1/clients/401/balance/", get(|| async { StatusCode::UNAUTHORIZED }))
        .route("/ext/api/v1/clients/422/balance/write_off/", post(|| async {
            (StatusCode::UNPROCESSABLE_ENTITY, [("content-type", "application/json")],
             r#"{"error":{"code":"insufficient_balance","message":"insufficient points balance"}}"#)
        }))
        .route("/ext/api/v1/clients/7/balance/", get(|| async { "{not json" }))
        .route("/ext/api/v1/clients/8/balance/", get(|| async { r#"[{"amount":1.005,"currency":"points"}]"# }))
        .route("/ext/api/v1/clients/9/balance/", get(|| async { r#"[{"amount":"12","currency":"points"}]"# }))
        .route("/ext/api/v1/clients/10/balance/", get(|| async {
            r#"[{"amount":5,"currency":"points"},{"amount":7.5,"currency":"bonus_miles"}]"#
        }));
    stub::serve(app).await
}

async fn adapter() -> (ExtAdapter, Seen) {
    let seen: Seen = Arc::default();
    let url = vendor(seen.clone()).await;
    (
        ExtAdapter::new(&url, ExtCredential::Bearer(Secret::new("s3cr3t"))).unwrap(),
        seen,
    )
}

#[tokio::test]
async fn reads_the_client_search_sample() {
    let (a, seen) = adapter().await;
    let clients = a
        .search(ClientQuery::from_input("7912345678").unwrap())
        .await
        .unwrap();
    assert_eq!(clients.len(), 1);
    let c = &clients[0];
    assert_eq!(c.id, ClientId(1_234_567));
    assert_eq!(c.email.as_deref(), Some("test@test.ru"));
    assert_eq!(c.phone.as_deref(), Some("7912345678"));
    assert_eq!(c.name.as_deref(), Some("Client First"));
    let (uri, auth) = seen.lock().unwrap()[0].clone();
    // `%` travels percent-encoded, and the token as a bearer header.
    assert_eq!(uri, "/ext/api/v1/clients/?phone=%257912345678");
    assert_eq!(auth, "Bearer s3cr3t");
}

#[tokio::test]
async fn reads_the_balance_sample_exactly() {
    let (a, _) = adapter().await;
    let b = a.balance(ClientId(1_234_567)).await.unwrap();
    assert_eq!(b.points, Amount::from_minor(123_456));
    assert_eq!(b.rubles, Amount::from_minor(432_106));
}

#[tokio::test]
async fn reads_the_coupon_sample() {
    let (a, _) = adapter().await;
    let c = a.coupons(ClientId(1_234_567)).await.unwrap();
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].id, CouponId(1234));
    assert_eq!(c[0].title, "Описание купона");
    assert_eq!(c[0].expires_at.unwrap().as_millisecond(), 1_548_968_400_000);
}

#[tokio::test]
async fn reads_the_history_sample() {
    let (a, _) = adapter().await;
    let q = HistoryQuery {
        from: None,
        to: None,
        offset: 0,
        limit: 10,
        after: None,
    };
    let h = a.history(ClientId(1_234_567), q).await.unwrap();
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].amount, Amount::from_minor(123_456));
    assert_eq!(h[0].currency, Currency::Points);
    assert_eq!(h[0].at.as_millisecond(), 1_548_968_400_000);
    assert_eq!(h[0].transaction_id, "123456789");
}

#[tokio::test]
async fn sends_the_write_off_body_in_the_documented_shape() {
    let (a, seen) = adapter().await;
    let request = WriteOff {
        points: Some(Amount::from_minor(123_456)),
        rubles: None,
        coupons: vec![CouponId(123), CouponId(321)],
        receipt: None,
        why: None,
        code: None,
    };
    a.write_off(ClientId(1_234_567), request, None, None, &no_record)
        .await
        .unwrap();
    let body = seen
        .lock()
        .unwrap()
        .iter()
        .find(|(k, _)| k == "write_off")
        .unwrap()
        .1
        .clone();
    let sent: serde_json::Value = serde_json::from_str(&body).unwrap();
    let documented: serde_json::Value = serde_json::from_str(WRITE_OFF).unwrap();
    assert_eq!(sent, documented);
    // The amount went out as the exact decimal text, never through a float.
    assert!(body.contains("1234.56"), "{body}");
}

#[test]
fn the_documented_write_off_body_parses() {
    let dto: WriteOffDto = serde_json::from_str(WRITE_OFF).unwrap();
    let (balances, skipped) = balances_from_wire(dto.balance.as_deref().unwrap()).unwrap();
    assert_eq!(balances.points, Amount::from_minor(123_456));
    assert!(skipped.is_empty());
    assert_eq!(dto.coupons, Some(vec![123, 321]));
}

#[tokio::test]
async fn server_errors_and_refusals_are_told_apart() {
    let (a, _) = adapter().await;
    let e = a.balance(ClientId(500)).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Server);
    assert!(
        e.detail.contains("500") && e.detail.contains("Bad Gateway"),
        "{}",
        e.detail
    );
    let e = a.balance(ClientId(401)).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Unauthorized);
    let e = a
        .write_off(
            ClientId(422),
            WriteOff {
                points: Some(Amount::from_minor(1)),
                ..Default::default()
            },
            None,
            None,
            &no_record,
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Rejected);
    assert_eq!(e.detail, "insufficient points balance");
    assert!(!e.outcome_unknown());
}

#[tokio::test]
async fn garbage_and_out_of_contract_answers_are_bad_responses() {
    let (a, _) = adapter().await;
    for id in [7, 8, 9] {
        let e = a.balance(ClientId(id)).await.unwrap_err();
        assert_eq!(e.kind, ErrorKind::BadResponse, "client {id}: {}", e.detail);
    }
    let e = a.balance(ClientId(404404)).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Rejected);
}

#[tokio::test]
async fn unknown_currencies_do_not_hide_known_ones() {
    let (a, _) = adapter().await;
    let b = a.balance(ClientId(10)).await.unwrap();
    assert_eq!(b.points, Amount::from_minor(500));
    assert_eq!(b.rubles, Amount::ZERO);
}

#[tokio::test]
async fn a_server_that_is_gone_is_unreachable_and_leaks_nothing() {
    // Bind then drop: the port is closed.
    let addr = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let a = ExtAdapter::new(
        &format!("http://{addr}/base"),
        ExtCredential::Bearer(Secret::new("s3cr3t")),
    )
    .unwrap();
    let e = a
        .search(ClientQuery::from_input("test@test.ru").unwrap())
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Unreachable);
    assert!(!e.outcome_unknown(), "nothing was sent");
    assert!(
        !e.detail.contains("s3cr3t")
            && !e.detail.contains("test%40")
            && !e.detail.contains("email="),
        "{}",
        e.detail
    );
}

#[test]
fn a_bad_base_url_is_refused_up_front() {
    assert!(ExtAdapter::new("not a url", ExtCredential::Bearer(Secret::new("t"))).is_err());
}

/// A TLS server on 127.0.0.1 whose certificate (for `localhost`) no trusted CA signed; counts the
/// handshakes that completed.
async fn untrusted_server(handshakes: Arc<std::sync::atomic::AtomicUsize>) -> u16 {
    use tokio_rustls::rustls::pki_types::pem::PemObject;
    use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let certs = vec![CertificateDer::from_pem_slice(LOCALHOST_CERT.as_bytes()).unwrap()];
    let key = PrivateKeyDer::from_pem_slice(LOCALHOST_KEY.as_bytes()).unwrap();
    let config = tokio_rustls::rustls::ServerConfig::builder_with_provider(Arc::new(
        tokio_rustls::rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let (acceptor, handshakes) = (acceptor.clone(), handshakes.clone());
            tokio::spawn(async move {
                if let Ok(mut tls) = acceptor.accept(socket).await {
                    handshakes.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    use tokio::io::{AsyncReadExt, AsyncWriteExt};
                    let mut buf = [0u8; 4096];
                    let _ = tls.read(&mut buf).await;
                    let body = "[]";
                    let answer = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = tls.write_all(answer.as_bytes()).await;
                    let _ = tls.shutdown().await;
                }
            });
        }
    });
    port
}

/// `localhost`'s certificate, signed by a test CA that no system trusts (its key was
/// thrown away once the certificate was signed). Both are valid from 2021 to 2120, so the
/// test holds with the machine's calendar a year either way.
const LOCALHOST_CERT: &str = include_str!("../fixtures/tls/localhost.crt");
const LOCALHOST_KEY: &str = include_str!("../fixtures/tls/localhost.key");
const TEST_CA: &str = include_str!("../fixtures/tls/ca.crt");

#[tokio::test]
async fn a_certificate_no_trusted_ca_signed_is_refused() {
    let handshakes = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let port = untrusted_server(handshakes.clone()).await;
    let url = format!("https://localhost:{port}");
    // The server works for a client that trusts its certificate…
    let trusting = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(TEST_CA.as_bytes()).unwrap())
        .build()
        .unwrap();
    let r = trusting
        .get(format!("{url}/ext/api/v1/clients/"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(handshakes.load(std::sync::atomic::Ordering::SeqCst), 1);
    // …and the console, which verifies certificates and has no switch to stop, refuses it.
    let adapter = ExtAdapter::new(&url, ExtCredential::Bearer(Secret::new("t"))).unwrap();
    let e = adapter
        .search(ClientQuery {
            phone: Some("%5678".into()),
            email: None,
        })
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Unreachable, "{e:?}");
    assert_eq!(
        handshakes.load(std::sync::atomic::Ordering::SeqCst),
        1,
        "no handshake completed with the console"
    );
}

/// Every request as the vendor saw it: its path and query, and its Authorization header.
type Requests = Arc<Mutex<Vec<(String, Option<String>)>>>;

/// A vendor that answers the seed samples on any path and records each request; client
/// 401 is refused.
async fn recording_vendor(requests: Requests) -> String {
    let app = Router::new().fallback(move |uri: axum::http::Uri, headers: HeaderMap| async move {
        let auth = headers
            .get("authorization")
            .map(|v| v.to_str().unwrap_or("").to_string());
        requests.lock().unwrap().push((uri.to_string(), auth));
        let path = uri.path();
        let body = if path.contains("/401/") {
            return (StatusCode::UNAUTHORIZED, "").into_response();
        } else if path.ends_with("/balance/history/") {
            HISTORY
        } else if path.ends_with("/balance/") {
            BALANCE
        } else if path.ends_with("/coupons/") {
            COUPONS
        } else if path.ends_with("/write_off/") {
            ""
        } else {
            CLIENTS
        };
        ([("content-type", "application/json")], body).into_response()
    });
    stub::serve(app).await
}

#[tokio::test]
async fn login_and_api_key_go_with_every_call_and_never_into_an_error() {
    let requests: Requests = Arc::default();
    let url = recording_vendor(requests.clone()).await;
    let credential = ExtCredential::ApiKey {
        login: "kassa+1@shop.ru".into(),
        api_key: Secret::new("k3y-&=?"),
    };
    let a = ExtAdapter::new(&url, credential).unwrap();
    let id = ClientId(1_234_567);
    a.search(ClientQuery::from_input("test@test.ru").unwrap())
        .await
        .unwrap();
    a.balance(id).await.unwrap();
    a.coupons(id).await.unwrap();
    a.history(
        id,
        HistoryQuery {
            from: None,
            to: None,
            offset: 0,
            limit: 10,
            after: None,
        },
    )
    .await
    .unwrap();
    a.write_off(
        id,
        WriteOff {
            points: Some(Amount::from_minor(100)),
            ..WriteOff::default()
        },
        Some("key-1".into()),
        None,
        &no_record,
    )
    .await
    .unwrap();
    let seen = requests.lock().unwrap().clone();
    assert_eq!(seen.len(), 5);
    for (uri, auth) in &seen {
        let query: std::collections::HashMap<String, String> =
            serde_urlencoded::from_str(uri.split_once('?').unwrap().1).unwrap();
        assert_eq!(query["login"], "kassa+1@shop.ru", "{uri}");
        assert_eq!(query["api_key"], "k3y-&=?", "{uri}");
        assert!(auth.is_none(), "no bearer header with an API key: {uri}");
    }
    // A refusal says which credential to look at, and shows no part of the key or URL.
    let e = a.balance(ClientId(401)).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Unauthorized);
    assert!(e.detail.contains("login and api_key"), "{}", e.detail);
    assert!(
        !e.detail.contains("k3y") && !e.detail.contains("api_key="),
        "{}",
        e.detail
    );
    // A vendor that is gone: the error names no URL either.
    let addr = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let gone = ExtAdapter::new(
        &format!("http://{addr}"),
        ExtCredential::ApiKey {
            login: "l".into(),
            api_key: Secret::new("k3y-secret"),
        },
    )
    .unwrap();
    let e = gone.balance(id).await.unwrap_err();
    assert!(!format!("{e} {e:?}").contains("k3y-secret"), "{e:?}");
}

/// Write-offs in these tests are direct: no vendor transactions to record.
fn no_record(_: loyalty_console::domain::journal::HoldStep, _: &str) {}

/// What the two-phase stub saw, and how it answers.
#[derive(Default)]
struct HoldVendor {
    /// Every request: (path, body).
    seen: Mutex<Vec<(String, serde_json::Value)>>,
    /// Write-offs of holds to leave unanswered (each sleeps past the client's timeout).
    slow_write_offs: std::sync::atomic::AtomicUsize,
    /// Answer a hold write-off with 422.
    refuse_write_off: std::sync::atomic::AtomicBool,
    /// Answer holds of roubles with 422.
    refuse_roubles: std::sync::atomic::AtomicBool,
}

impl HoldVendor {
    fn paths(&self) -> Vec<String> {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .map(|(p, _)| p.clone())
            .collect()
    }
}

async fn hold_vendor(v: Arc<HoldVendor>) -> String {
    use std::sync::atomic::Ordering;
    let app = Router::new().fallback(move |uri: axum::http::Uri, body: Bytes| {
        let v = v.clone();
        async move {
            let body: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
            let path = uri.path().trim_start_matches("/ext/api/v1/fiscal_hub/cash_back/").to_string();
            v.seen.lock().unwrap().push((path.clone(), body.clone()));
            let n = v.seen.lock().unwrap().len();
            match path.as_str() {
                "hold/" if body["currency"] == "rubles" && v.refuse_roubles.load(Ordering::SeqCst) => (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    r#"{"error":{"code":"insufficient_balance","message":"not enough roubles"}}"#.to_string(),
                ),
                "hold/" => (StatusCode::OK, format!(r#"{{"transactionId":"t-{n}","expirationDate":1}}"#)),
                "hold/write_off/" if v.slow_write_offs.load(Ordering::SeqCst) > 0 => {
                    v.slow_write_offs.fetch_sub(1, Ordering::SeqCst);
                    tokio::time::sleep(std::time::Duration::from_secs(10)).await;
                    (StatusCode::OK, String::new())
                }
                "hold/write_off/" if v.refuse_write_off.load(Ordering::SeqCst) => (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    r#"{"error":{"code":"transaction_expired","message":"transaction has expired"}}"#.to_string(),
                ),
                _ => (StatusCode::OK, String::new()),
            }
        }
    });
    stub::serve(app).await
}

fn hold_adapter(url: &str) -> ExtAdapter {
    ExtAdapter::new(url, ExtCredential::Bearer(Secret::new("t")))
        .unwrap()
        .with_write_off(loyalty_console::config::WriteOffMode::Hold)
        // Seconds, not milliseconds: a loaded machine must not make an answer look lost.
        .with_timeout(std::time::Duration::from_secs(3))
        .unwrap()
}

type Steps = Arc<Mutex<Vec<(String, String)>>>;

fn recorder(
    steps: &Steps,
) -> impl Fn(loyalty_console::domain::journal::HoldStep, &str) + Send + Sync + use<> {
    let steps = steps.clone();
    move |step, id| {
        steps
            .lock()
            .unwrap()
            .push((step.as_str().to_string(), id.to_string()))
    }
}

fn points_roubles_coupon() -> WriteOff {
    WriteOff {
        points: Some(Amount::from_minor(1_000)),
        rubles: Some(Amount::from_minor(250)),
        coupons: vec![CouponId(1235)],
        receipt: None,
        why: None,
        code: None,
    }
}

/// Hold mode, as the vendor's fiscal document describes it: a hold per currency (the
/// coupons with the first), then each hold written off by its transaction id.
#[tokio::test]
async fn hold_mode_holds_each_part_then_writes_each_hold_off() {
    let v = Arc::new(HoldVendor::default());
    let url = hold_vendor(v.clone()).await;
    let steps: Steps = Arc::default();
    let record = recorder(&steps);
    hold_adapter(&url)
        .write_off(
            ClientId(1_234_567),
            points_roubles_coupon(),
            Some("k".into()),
            None,
            &record,
        )
        .await
        .unwrap();
    let seen = v.seen.lock().unwrap().clone();
    assert_eq!(
        v.paths(),
        ["hold/", "hold/", "hold/write_off/", "hold/write_off/"]
    );
    assert_eq!(seen[0].1["clientId"], 1_234_567);
    assert_eq!(
        (
            seen[0].1["currency"].as_str(),
            seen[0].1["amount"].to_string().as_str()
        ),
        (Some("points"), "10")
    );
    assert_eq!(seen[0].1["couponIds"], serde_json::json!([1235]));
    assert_eq!(seen[1].1["couponIds"], serde_json::json!([]));
    assert_eq!(seen[2].1["transactionId"], "t-1");
    assert_eq!(seen[3].1["transactionId"], "t-2");
    assert_eq!(
        *steps.lock().unwrap(),
        [
            ("held".to_string(), "t-1".to_string()),
            ("held".into(), "t-2".into()),
            ("written_off".into(), "t-1".into()),
            ("written_off".into(), "t-2".into()),
        ]
    );
}

fn ten_points() -> WriteOff {
    WriteOff {
        points: Some(Amount::from_minor(1_000)),
        ..WriteOff::default()
    }
}

/// A hold's write-off without an answer is in doubt: it is sent once, never repeated on its
/// own (the vendor's document promises nothing of a repeat), and its hold is not cancelled.
#[tokio::test]
async fn a_lost_answer_to_a_hold_write_off_is_unknown_sent_once_and_not_cancelled() {
    let v = Arc::new(HoldVendor::default());
    v.slow_write_offs
        .store(1, std::sync::atomic::Ordering::SeqCst);
    let url = hold_vendor(v.clone()).await;
    let steps: Steps = Arc::default();
    let record = recorder(&steps);
    let e = hold_adapter(&url)
        .write_off(ClientId(1), ten_points(), Some("k".into()), None, &record)
        .await
        .unwrap_err();
    assert!(e.outcome_unknown(), "{e:?}");
    assert_eq!(v.paths(), ["hold/", "hold/write_off/"]);
    assert_eq!(*steps.lock().unwrap(), [("held".into(), "t-1".into())]);
}

/// A hold vendor whose first hold write-off goes unanswered, an adapter on it, and the
/// steps it records.
async fn first_hold_write_off_unanswered() -> (Arc<HoldVendor>, ExtAdapter, Steps) {
    let v = Arc::new(HoldVendor::default());
    v.slow_write_offs
        .store(1, std::sync::atomic::Ordering::SeqCst);
    let url = hold_vendor(v.clone()).await;
    (v, hold_adapter(&url), Steps::default())
}

/// The cashier's retry (same key, offered once reading back showed nothing taken) writes
/// off the same hold by its transaction id; no second hold is made.
#[tokio::test]
async fn the_retry_writes_off_the_same_hold_and_never_holds_again() {
    let (v, adapter, steps) = first_hold_write_off_unanswered().await;
    let record = recorder(&steps);
    let e = adapter
        .write_off(ClientId(1), ten_points(), Some("k".into()), None, &record)
        .await
        .unwrap_err();
    assert!(e.outcome_unknown(), "{e:?}");
    adapter
        .write_off(ClientId(1), ten_points(), Some("k".into()), None, &record)
        .await
        .unwrap();
    assert_eq!(v.paths(), ["hold/", "hold/write_off/", "hold/write_off/"]);
    let seen = v.seen.lock().unwrap().clone();
    assert!(seen[1..].iter().all(|(_, b)| b["transactionId"] == "t-1"));
    // Another write-off (another key) holds anew.
    adapter
        .write_off(ClientId(1), ten_points(), Some("k2".into()), None, &record)
        .await
        .unwrap();
    assert_eq!(v.paths().iter().filter(|p| *p == "hold/").count(), 2);
}

/// The vendor refusing the retried write-off of a hold whose first write-off went
/// unanswered proves nothing (it may refuse it for being done already): still in doubt,
/// and the hold is not cancelled.
#[tokio::test]
async fn a_refused_repeat_of_a_hold_write_off_in_doubt_is_still_in_doubt() {
    let (v, adapter, steps) = first_hold_write_off_unanswered().await;
    let record = recorder(&steps);
    let first = adapter
        .write_off(ClientId(1), ten_points(), Some("k".into()), None, &record)
        .await;
    assert!(first.unwrap_err().outcome_unknown());
    v.refuse_write_off
        .store(true, std::sync::atomic::Ordering::SeqCst);
    let e = adapter
        .write_off(ClientId(1), ten_points(), Some("k".into()), None, &record)
        .await
        .unwrap_err();
    assert!(e.outcome_unknown(), "{e:?}");
    assert_eq!(v.paths(), ["hold/", "hold/write_off/", "hold/write_off/"]);
    assert!(!steps.lock().unwrap().iter().any(|(s, _)| s == "cancelled"));
}

#[tokio::test]
async fn a_refused_hold_write_off_cancels_the_holds() {
    let v = Arc::new(HoldVendor::default());
    v.refuse_write_off
        .store(true, std::sync::atomic::Ordering::SeqCst);
    let url = hold_vendor(v.clone()).await;
    let steps: Steps = Arc::default();
    let record = recorder(&steps);
    let e = hold_adapter(&url)
        .write_off(
            ClientId(1),
            points_roubles_coupon(),
            Some("k".into()),
            None,
            &record,
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Rejected);
    assert!(e.detail.contains("expired"), "{}", e.detail);
    assert_eq!(
        v.paths(),
        [
            "hold/",
            "hold/",
            "hold/write_off/",
            "hold/cancel/",
            "hold/cancel/"
        ]
    );
    let cancelled: Vec<_> = steps
        .lock()
        .unwrap()
        .iter()
        .filter(|(s, _)| s == "cancelled")
        .cloned()
        .collect();
    assert_eq!(cancelled.len(), 2);
}

#[tokio::test]
async fn a_refused_second_hold_cancels_the_first() {
    let v = Arc::new(HoldVendor::default());
    v.refuse_roubles
        .store(true, std::sync::atomic::Ordering::SeqCst);
    let url = hold_vendor(v.clone()).await;
    let steps: Steps = Arc::default();
    let record = recorder(&steps);
    let e = hold_adapter(&url)
        .write_off(
            ClientId(1),
            points_roubles_coupon(),
            Some("k".into()),
            None,
            &record,
        )
        .await
        .unwrap_err();
    assert!(e.detail.contains("not enough roubles"), "{}", e.detail);
    assert_eq!(v.paths(), ["hold/", "hold/", "hold/cancel/"]);
    assert!(
        !v.paths().contains(&"hold/write_off/".to_string()),
        "nothing was written off"
    );
}

/// A vendor's text with escape sequences and a bidi override reaches the console clean;
/// so does the vendor's error message.
#[tokio::test]
async fn vendor_text_is_cleaned_of_terminal_controls() {
    let app = Router::new()
        .route(
            "/ext/api/v1/clients/",
            get(|| async {
                (
                    [("content-type", "application/json")],
                    "[{\"id\":1,\"name\":\"\\u001b]0;pwned\\u0007Иван\\u202e\\u0000\",\"email\":\"a\\u001b[2J@b.ru\"}]",
                )
            }),
        )
        .route(
            "/ext/api/v1/clients/1/balance/history/",
            get(|| async {
                (
                    [("content-type", "application/json")],
                    "[{\"amount\":1,\"currency\":\"points\",\"transactionDate\":0,\"transactionId\":\"\\u001b[2J42\\u009b\"}]",
                )
            }),
        )
        .route(
            "/ext/api/v1/clients/1/balance/",
            get(|| async {
                (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    [("content-type", "application/json")],
                    "{\"error\":{\"code\":\"x\",\"message\":\"\\u001b[31mno\\u001b[0m\"}}",
                )
            }),
        );
    let url = stub::serve(app).await;
    let a = ExtAdapter::new(&url, ExtCredential::Bearer(Secret::new("t"))).unwrap();
    let found = a
        .search(ClientQuery::from_input("a@b.ru").unwrap())
        .await
        .unwrap();
    assert_eq!(found[0].name.as_deref(), Some("Иван"));
    assert_eq!(found[0].email.as_deref(), Some("a@b.ru"));
    let e = a.balance(ClientId(1)).await.unwrap_err();
    assert_eq!(e.detail, "no");
    let page = HistoryQuery {
        from: None,
        to: None,
        offset: 0,
        limit: 10,
        after: None,
    };
    let history = a.history(ClientId(1), page).await.unwrap();
    assert_eq!(history[0].transaction_id, "42");
}

/// A vendor that takes every connection and never answers; counts the attempts.
async fn silent_vendor() -> (String, Arc<std::sync::atomic::AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let attempts = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let seen = attempts.clone();
    tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            open.push(socket);
        }
    });
    (format!("http://{addr}"), attempts)
}

/// A read against a vendor that never answers ends within its budget: retries start only
/// while the budget leaves an attempt its time (1 s each here, with pauses of 0.2 and 0.8 s).
#[tokio::test]
async fn a_read_retries_only_within_its_budget() {
    for (budget_ms, attempts) in [(1_500, 1), (2_500, 2), (6_000, 3)] {
        let (url, seen) = silent_vendor().await;
        let a = ExtAdapter::new(&url, ExtCredential::Bearer(Secret::new("t")))
            .unwrap()
            .with_timeout(std::time::Duration::from_secs(1))
            .unwrap()
            .with_read_budget(std::time::Duration::from_millis(budget_ms));
        let e = a.balance(ClientId(1)).await.unwrap_err();
        assert_eq!(e.kind, ErrorKind::Timeout, "{budget_ms}: {e:?}");
        assert_eq!(
            seen.load(std::sync::atomic::Ordering::SeqCst),
            attempts,
            "budget {budget_ms} ms"
        );
    }
}

/// Everything the console's log is given, as one text.
#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Log {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A vendor's refusal and an unreadable answer with a newline and an escape in them reach the
/// log cleaned: no line of the log is the vendor's forgery.
#[tokio::test]
async fn a_vendors_words_cannot_forge_a_log_line() {
    let forged = "no\\nWARN loyalty: admin logged in\\u001b[2J";
    let app = Router::new()
        .route(
            "/ext/api/v1/clients/1/balance/",
            get(move || async move {
                (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    format!("{{\"error\":{{\"code\":\"x\",\"message\":\"{forged}\"}}}}"),
                )
            }),
        )
        .route(
            "/ext/api/v1/clients/1/coupons/",
            get(|| async { "[{\"id\": \"\nWARN loyalty: forged\"}]" }),
        );
    let url = stub::serve(app).await;
    let log = Log::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let a = ExtAdapter::new(&url, ExtCredential::Bearer(Secret::new("t"))).unwrap();
    assert!(a.balance(ClientId(1)).await.is_err());
    assert!(a.coupons(ClientId(1)).await.is_err());
    let text = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
    assert!(
        text.contains("admin logged in"),
        "the refusal is logged: {text}"
    );
    for line in text.lines() {
        assert!(!line.starts_with("WARN loyalty"), "a forged line: {text}");
        assert!(!line.contains('\u{1b}'), "an escape: {text}");
    }
}

// Money both ways: what the adapter asks of a provider, on the live vendor's
// shapes (no `capabilities/`, a bare 200 for a write-off, holds with `orderId`) and on ours
// (`wire::ext_operations`: capabilities, an `operationId` answer, reversals, refunds).

/// Every request a stub saw: (path, the PIN header if any, the key header if any, body).
/// The seed's sample client.
const SAMPLE_ID: ClientId = ClientId(1_234_567);

type Calls = Arc<Mutex<Vec<(String, Option<String>, Option<String>, String)>>>;

/// A stub of `loyalty serve`'s extension (`receipt: true` … in its capabilities) or of the
/// live vendor (`ours: false`: `capabilities/` is a 404, a write-off a bare 200).
async fn movements_vendor(ours: bool, calls: Calls) -> String {
    let app = Router::new().fallback(
        move |uri: axum::http::Uri, headers: HeaderMap, body: Bytes| {
            let calls = calls.clone();
            async move {
                let header = |name: &str| {
                    headers
                        .get(name)
                        .and_then(|v| v.to_str().ok())
                        .map(str::to_string)
                };
                let path = uri.path().trim_start_matches("/ext/api/v1").to_string();
                calls.lock().unwrap().push((
                    path.clone(),
                    header("x-manager-pin"),
                    header("idempotency-key"),
                    String::from_utf8_lossy(&body).into(),
                ));
                let json = |s: &str| (StatusCode::OK, s.to_string());
                match (ours, path.as_str()) {
                    (true, "/capabilities/") => json(
                        r#"{"reversal":true,"receipt":true,"limits":true,"shiftReport":true}"#,
                    ),
                    (true, "/clients/1234567/balance/write_off/") => json(r#"{"operationId":41}"#),
                    (false, "/clients/1234567/balance/write_off/") => json(""),
                    (true, "/operations/41/reversal/") => json(r#"{"operationId":42}"#),
                    (true, "/operations/43/reversal/") => json("<html>proxy</html>"),
                    (true, "/operations/44/reversal/") => (
                        StatusCode::FORBIDDEN,
                        r#"{"error":{"code":"pin_wrong","message":"wrong PIN"}}"#.to_string(),
                    ),
                    (true, "/operations/41/") => json(
                        r#"{"id":41,"clientId":1234567,"kind":"write_off","at":1548968400000,
                            "balance":[{"amount":100,"currency":"points"}],"coupons":[1235],
                            "reversed":[{"amount":25.5,"currency":"points"}],"couponsReversed":[],
                            "receipt":{"number":"A-17","total":1500},"login":"anna","principal":"till-1"}"#,
                    ),
                    (true, "/clients/1234567/balance/available/") => json(
                        r#"{"balance":[{"amount":300,"currency":"points"},{"amount":0,"currency":"rubles"}],"limitedBy":"receipt_share"}"#,
                    ),
                    (true, "/reports/shift/") => json(
                        r#"{"since":1548968400000,"rows":[{"principal":"till-1","login":"anna",
                            "writtenOff":[{"amount":100,"currency":"points"}],"reversed":[],
                            "writeOffs":1,"reversals":0,"coupons":1,"couponsBack":0,"overrides":0}]}"#,
                    ),
                    (_, "/fiscal_hub/cash_back/refund/") => json(""),
                    (_, "/fiscal_hub/cash_back/hold/") => {
                        let n = calls.lock().unwrap().len();
                        json(&format!(r#"{{"transactionId":"t-{n}","id":{}}}"#, 900 + n))
                    }
                    (_, "/fiscal_hub/cash_back/hold/write_off/") => json(""),
                    _ => (StatusCode::NOT_FOUND, String::new()),
                }
            }
        },
    );
    stub::serve(app).await
}

fn movements_adapter(url: &str) -> ExtAdapter {
    ExtAdapter::new(url, ExtCredential::Bearer(Secret::new("t")))
        .unwrap()
        .with_timeout(std::time::Duration::from_secs(3))
        .unwrap()
}

fn with_receipt() -> WriteOff {
    WriteOff {
        points: Some(Amount::from_minor(1_000)),
        receipt: Some(Receipt {
            number: "A-17".into(),
            total: Amount::from_minor(150_000),
        }),
        ..WriteOff::default()
    }
}

fn paths_of(calls: &Calls) -> Vec<String> {
    calls.lock().unwrap().iter().map(|c| c.0.clone()).collect()
}

/// The live vendor has no `capabilities/`: its 404 is "none of it", asked once; the
/// write-off then goes without our `receipt` field or a manager's PIN, and its bare 200
/// names no operation.
#[tokio::test]
async fn the_live_vendor_has_no_capabilities_and_its_bare_200_names_no_operation() {
    let calls = Calls::default();
    let a = movements_adapter(&movements_vendor(false, calls.clone()).await);
    assert_eq!(a.capabilities().await.unwrap(), Capabilities::default());
    let pin = ManagerPin::new("4321");
    let made = a
        .write_off(
            SAMPLE_ID,
            with_receipt(),
            Some("k-1".into()),
            pin,
            &no_record,
        )
        .await
        .unwrap();
    assert_eq!(made, None);
    assert_eq!(a.capabilities().await.unwrap(), Capabilities::default());
    assert_eq!(
        paths_of(&calls),
        ["/capabilities/", "/clients/1234567/balance/write_off/"],
        "capabilities asked once"
    );
    let body: serde_json::Value = serde_json::from_str(&calls.lock().unwrap()[1].3).unwrap();
    assert!(body.get("receipt").is_none(), "{body}");
    assert_eq!(
        calls.lock().unwrap()[1].1,
        None,
        "no PIN to a vendor without limits"
    );
}

/// Our server keeps receipts: the write-off carries it and the PIN (in its header only),
/// and the answer's `operationId` is the operation's number.
#[tokio::test]
async fn our_write_off_carries_the_receipt_and_pin_and_reads_the_operation_number() {
    let calls = Calls::default();
    let a = movements_adapter(&movements_vendor(true, calls.clone()).await);
    let pin = ManagerPin::new("4321").unwrap();
    let made = a
        .write_off(
            SAMPLE_ID,
            with_receipt(),
            Some("k-1".into()),
            Some(pin),
            &no_record,
        )
        .await
        .unwrap();
    assert_eq!(made, Some(OperationId(41)));
    let (_, pin, key, body) = calls.lock().unwrap()[1].clone();
    assert_eq!(
        (pin.as_deref(), key.as_deref()),
        (Some("4321"), Some("k-1"))
    );
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["receipt"]["number"], "A-17");
    assert_eq!(body["receipt"]["total"].to_string(), "1500");
    assert!(!body.to_string().contains("4321"), "the PIN is in no body");
}

/// Hold mode (the vendor's fiscal document): the receipt's number is each hold's `orderId`
/// and each hold write-off's `fiscalOrderId`; each hold's `id` is recorded for a refund.
#[tokio::test]
async fn hold_mode_names_the_receipt_on_each_hold_and_records_the_hold_ids() {
    let calls = Calls::default();
    let a = movements_adapter(&movements_vendor(false, calls.clone()).await)
        .with_write_off(loyalty_console::config::WriteOffMode::Hold);
    let request = WriteOff {
        rubles: Some(Amount::from_minor(500)),
        ..with_receipt()
    };
    let held = HeldIds::default();
    a.write_off(SAMPLE_ID, request, Some("k".into()), None, &held)
        .await
        .unwrap();
    let calls = calls.lock().unwrap().clone();
    let bodies = |path: &str| -> Vec<serde_json::Value> {
        calls
            .iter()
            .filter(|c| c.0 == path)
            .map(|c| serde_json::from_str(&c.3).unwrap())
            .collect()
    };
    let holds = bodies("/fiscal_hub/cash_back/hold/");
    let settled = bodies("/fiscal_hub/cash_back/hold/write_off/");
    assert_eq!((holds.len(), settled.len()), (2, 2));
    assert!(holds.iter().all(|b| b["orderId"] == "A-17"), "{holds:?}");
    assert!(
        settled.iter().all(|b| b["fiscalOrderId"] == "A-17"),
        "{settled:?}"
    );
    assert_eq!(
        *held.0.lock().unwrap(),
        [
            ("t-1".to_string(), Some(901)),
            ("t-2".to_string(), Some(902))
        ]
    );
}

/// A recorder that keeps each hold's transaction and id, as the journal does.
#[derive(Default)]
struct HeldIds(Mutex<Vec<(String, Option<i64>)>>);

impl loyalty_console::backend::Recorder for HeldIds {
    fn step(&self, _: loyalty_console::domain::journal::HoldStep, _: &str) {}
    fn held(&self, transaction: &str, hold: Option<i64>) {
        self.0.lock().unwrap().push((transaction.into(), hold));
    }
}

/// A reversal is sent once to its original's route, with its own key and the PIN header,
/// and its answer names the reversal's number; an unreadable 2xx is an unknown outcome,
/// and a refusal never carries the PIN.
#[tokio::test]
async fn a_reversal_goes_once_with_key_and_pin_and_an_unreadable_answer_is_unknown() {
    let calls = Calls::default();
    let a = movements_adapter(&movements_vendor(true, calls.clone()).await);
    let pin = || Some(ManagerPin::new("987654").unwrap());
    let back = |original| Reversal {
        original: OperationId(original),
        client: SAMPLE_ID,
        points: Some(Amount::from_minor(2_550)),
        rubles: None,
        coupons: vec![CouponId(1235)],
        why: Why::new(ReasonCode::Returned, Some("goods back")).unwrap(),
    };
    let made = a
        .reverse(back(41), Some("r-1".into()), pin())
        .await
        .unwrap();
    assert_eq!(made, Some(OperationId(42)));
    let (path, sent_pin, key, body) = calls.lock().unwrap()[0].clone();
    assert_eq!(path, "/operations/41/reversal/");
    assert_eq!(
        (sent_pin.as_deref(), key.as_deref()),
        (Some("987654"), Some("r-1"))
    );
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["clientId"], 1_234_567);
    assert_eq!(body["balance"][0]["amount"].to_string(), "25.5");
    assert_eq!(
        (body["reason"].as_str(), body["note"].as_str()),
        (Some("returned"), Some("goods back"))
    );

    let e = a
        .reverse(back(43), Some("r-2".into()), pin())
        .await
        .unwrap_err();
    assert!(e.outcome_unknown(), "{e:?}");
    let e = a
        .reverse(back(44), Some("r-3".into()), pin())
        .await
        .unwrap_err();
    assert!(!e.outcome_unknown(), "{e:?}");
    // A wrong PIN is a refusal of this request, not of the till's token.
    assert_eq!(
        (e.kind, e.reason),
        (ErrorKind::Rejected, Some(Reason::PinWrong))
    );
    assert!(!e.detail.contains("check the profile"), "{e:?}");
    assert!(!format!("{e} {e:?}").contains("987654"), "{e:?}");
    assert_eq!(
        paths_of(&calls),
        [
            "/operations/41/reversal/",
            "/operations/43/reversal/",
            "/operations/44/reversal/"
        ],
        "each sent once"
    );
}

/// The reads of our extension: an operation with what was reversed of it, what may be
/// written off under the limits, and the shift report from the ledger.
#[tokio::test]
async fn reads_an_operation_the_available_amount_and_the_shift_report() {
    let calls = Calls::default();
    let a = movements_adapter(&movements_vendor(true, calls.clone()).await);
    let op = a.operation(OperationId(41)).await.unwrap();
    assert_eq!(op.left(Currency::Points), Amount::from_minor(7_450));
    assert_eq!(op.coupons_left(), vec![CouponId(1235)]);
    assert_eq!(op.receipt.unwrap().number, "A-17");
    assert_eq!(op.who.login.as_deref(), Some("anna"));
    let available = a
        .available(SAMPLE_ID, Some(Amount::from_minor(150_000)))
        .await
        .unwrap();
    assert_eq!(available.points, Amount::from_minor(30_000));
    assert_eq!(available.limited_by, Some(LimitKind::ReceiptShare));
    let since = jiff::Timestamp::from_millisecond(1_548_968_400_000).unwrap();
    let report = a.shift_report(since).await.unwrap();
    assert_eq!(report.source, ReportSource::Server);
    assert_eq!(
        report.rows[0].written_off.points,
        Amount::from_minor(10_000)
    );
    assert_eq!(report.rows[0].login.as_deref(), Some("anna"));
}

/// The live vendor's only way back: `refund/` naming the holds' ids as order items, once.
#[tokio::test]
async fn a_refund_of_holds_names_their_ids_as_order_items_once() {
    let calls = Calls::default();
    let a = movements_adapter(&movements_vendor(false, calls.clone()).await);
    a.refund_holds(SAMPLE_ID, vec!["901".into(), "902".into()], &no_record)
        .await
        .unwrap();
    let calls = calls.lock().unwrap().clone();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].0, "/fiscal_hub/cash_back/refund/");
    let body: serde_json::Value = serde_json::from_str(&calls[0].3).unwrap();
    assert_eq!(body, serde_json::json!({ "orderItems": [901, 902] }));
}

/// A capabilities answer that is neither ours nor a 404 is an error, asked again later.
#[tokio::test]
async fn a_failing_capabilities_answer_is_an_error_not_none() {
    let app = Router::new().route(
        "/ext/api/v1/capabilities/",
        get(|| async { (StatusCode::BAD_GATEWAY, "<html>502</html>") }),
    );
    let a = movements_adapter(&stub::serve(app).await);
    let e = a.capabilities().await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Server, "{e:?}");
}

// Confirmation codes and the outlook on our extension: the shapes are ours
// (src/wire/ext_operations/codes.rs and outlook.rs; `loyalty serve` answers them), the live
// vendor has neither and answers 404.

/// Every request a codes stub saw: (path, the code header if any, body).
type CodeCalls = Arc<Mutex<Vec<(String, Option<String>, String)>>>;

/// `loyalty serve` with codes always and lots (`ours`), or the live vendor (every path of
/// ours a 404).
async fn codes_vendor(ours: bool, calls: CodeCalls) -> String {
    let app = Router::new().fallback(
        move |uri: axum::http::Uri, headers: HeaderMap, body: Bytes| {
            let calls = calls.clone();
            async move {
                let path = uri.path().trim_start_matches("/ext/api/v1").to_string();
                let code = headers
                    .get("x-confirmation-code")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string);
                calls
                    .lock()
                    .unwrap()
                    .push((path.clone(), code, String::from_utf8_lossy(&body).into()));
                let answer = |status: StatusCode, s: &str| {
                    (status, [("retry-after", "30")], s.to_string()).into_response()
                };
                let ok = |s: &str| (StatusCode::OK, s.to_string()).into_response();
                if !ours {
                    return (StatusCode::NOT_FOUND, String::new()).into_response();
                }
                match path.as_str() {
                    "/capabilities/" => ok(
                        r#"{"reversal":true,"receipt":true,"limits":true,"shiftReport":true,"codes":"always","outlook":true}"#,
                    ),
                    "/clients/1234567/confirmation_code/" => ok(
                        r#"{"sentTo":"+7 912 ***-**-89","expiresAt":"2026-12-05T21:40:00Z","resendAfter":60}"#,
                    ),
                    "/clients/2/confirmation_code/" => answer(
                        StatusCode::TOO_MANY_REQUESTS,
                        r#"{"error":{"code":"code_sends","message":"too many codes to this phone"}}"#,
                    ),
                    "/clients/3/confirmation_code/" => answer(
                        StatusCode::BAD_GATEWAY,
                        r#"{"error":{"code":"code_undelivered","message":"the gateway timed out"}}"#,
                    ),
                    "/clients/4/confirmation_code/" => answer(
                        StatusCode::FORBIDDEN,
                        r#"{"error":{"code":"no_phone","message":"no phone"}}"#,
                    ),
                    "/clients/5/confirmation_code/" => ok("<html>proxy</html>"),
                    "/clients/1234567/balance/write_off/" => ok(r#"{"operationId":51}"#),
                    "/clients/1234567/balance/outlook/" => ok(
                        r#"{"expiring":[{"currency":"points","amount":120.5,"at":"2026-12-10T21:00:00Z"}],
                            "pending":[{"currency":"points","amount":40,"at":"2026-12-07T00:00:00Z"}]}"#,
                    ),
                    "/clients/5/balance/outlook/" => ok(r#"{"expiring":[{"currency":"points","amount":"lots","at":"2026-12-10T21:00:00Z"}]}"#),
                    "/clients/6/balance/outlook/" => ok(r#"{"expiring":[{"currency":"points","amount":10,"at":"next week"}]}"#),
                    "/clients/7/balance/outlook/" => ok("<html>proxy</html>"),
                    _ => (StatusCode::NOT_FOUND, String::new()).into_response(),
                }
            }
        },
    );
    stub::serve(app).await
}

fn client(id: i64) -> loyalty_console::domain::Client {
    loyalty_console::domain::Client {
        id: ClientId(id),
        name: None,
        phone: Some("+79123456789".into()),
        email: None,
    }
}

/// A send posts the write-off's balance and coupons (nothing else) to its client's
/// `confirmation_code/`, and reads where it went, until when and the pause before another.
#[tokio::test]
async fn a_code_is_sent_for_the_write_offs_amounts_and_its_answer_read() {
    use loyalty_console::backend::CodeService;
    let calls = CodeCalls::default();
    let a = movements_adapter(&codes_vendor(true, calls.clone()).await);
    let request = WriteOff {
        receipt: Some(Receipt {
            number: "A-17".into(),
            total: Amount::from_minor(150_000),
        }),
        ..points_roubles_coupon()
    };
    let sent = a.send_code(&client(SAMPLE_ID.0), &request).await.unwrap();
    assert_eq!(sent.to.as_deref(), Some("+7 912 ***-**-89"));
    assert_eq!(
        sent.expires_at,
        Some("2026-12-05T21:40:00Z".parse().unwrap())
    );
    assert_eq!(sent.resend_after_seconds, Some(60));
    let (path, header, body) = calls.lock().unwrap()[0].clone();
    assert_eq!(path, "/clients/1234567/confirmation_code/");
    assert_eq!(header, None);
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    let sent_dto: WriteOffDto = serde_json::from_value(body.clone()).unwrap();
    let expected = WriteOffDto::from(&points_roubles_coupon());
    assert_eq!(
        serde_json::to_value(&sent_dto.balance).unwrap(),
        serde_json::to_value(&expected.balance).unwrap()
    );
    assert_eq!(sent_dto.coupons, expected.coupons);
    assert!(body.get("receipt").is_none(), "only what moves: {body}");
    // Our server checks the code with the write-off: nothing is asked before it.
    let code = loyalty_console::domain::codes::ConfirmationCode::new("735914").unwrap();
    assert_eq!(
        a.check_code(&client(SAMPLE_ID.0), &code).await.unwrap(),
        loyalty_console::domain::codes::CodeCheck::Carried
    );
    assert_eq!(calls.lock().unwrap().len(), 1);
}

/// Too many sends: a 429 with `Retry-After` is rate limited, with the wait and the reason
/// its body names; an undelivered code (502) is a refusal of the send, not a movement in
/// doubt; a client without a phone is refused with that reason; an unreadable answer is
/// one.
#[tokio::test]
async fn a_refused_send_says_why_and_how_long_to_wait() {
    use loyalty_console::backend::CodeService;
    let calls = CodeCalls::default();
    let a = movements_adapter(&codes_vendor(true, calls.clone()).await);
    let request = points_roubles_coupon();
    let e = a.send_code(&client(2), &request).await.unwrap_err();
    assert_eq!(
        (e.kind, e.reason, e.retry_after),
        (
            ErrorKind::RateLimited,
            Some(Reason::CodeSends),
            Some(std::time::Duration::from_secs(30))
        ),
        "{e:?}"
    );
    let e = a.send_code(&client(3), &request).await.unwrap_err();
    assert_eq!(
        (e.kind, e.reason),
        (ErrorKind::Rejected, Some(Reason::CodeUndelivered)),
        "{e:?}"
    );
    assert!(!e.outcome_unknown());
    let e = a.send_code(&client(4), &request).await.unwrap_err();
    assert_eq!(
        (e.kind, e.reason),
        (ErrorKind::Rejected, Some(Reason::NoPhone))
    );
    let e = a.send_code(&client(5), &request).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::BadResponse, "{e:?}");
    // Each sent once: a send repeated is another SMS.
    assert_eq!(calls.lock().unwrap().len(), 4);
}

/// The live vendor has no codes: its 404 to a send is "not offered" (the profile's
/// fallback), and its outlook is empty without a request for it.
#[tokio::test]
async fn the_live_vendor_offers_no_codes_and_no_outlook() {
    use loyalty_console::backend::CodeService;
    let calls = CodeCalls::default();
    let a = movements_adapter(&codes_vendor(false, calls.clone()).await);
    let e = a
        .send_code(&client(SAMPLE_ID.0), &points_roubles_coupon())
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::NotConfigured, "{e:?}");
    assert!(a.outlook(SAMPLE_ID).await.unwrap().is_empty());
    let paths: Vec<String> = calls.lock().unwrap().iter().map(|c| c.0.clone()).collect();
    assert_eq!(
        paths,
        ["/clients/1234567/confirmation_code/", "/capabilities/"]
    );
}

/// The code rides in `X-Confirmation-Code` on the write-off, never in its body.
#[tokio::test]
async fn the_code_goes_in_its_header_and_never_in_the_body() {
    let calls = CodeCalls::default();
    let a = movements_adapter(&codes_vendor(true, calls.clone()).await);
    let request = WriteOff {
        code: loyalty_console::domain::codes::ConfirmationCode::new("735914"),
        ..points_roubles_coupon()
    };
    let made = a
        .write_off(SAMPLE_ID, request, Some("k-1".into()), None, &no_record)
        .await
        .unwrap();
    assert_eq!(made, Some(OperationId(51)));
    let calls = calls.lock().unwrap().clone();
    let (_, header, body) = calls
        .iter()
        .find(|c| c.0 == "/clients/1234567/balance/write_off/")
        .unwrap()
        .clone();
    assert_eq!(header.as_deref(), Some("735914"));
    assert!(!body.contains("735914"), "{body}");
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(body.get("code").is_none(), "{body}");
    // Without a code, no header at all.
    let seen = CodeCalls::default();
    let b = movements_adapter(&codes_vendor(true, seen.clone()).await);
    b.write_off(
        SAMPLE_ID,
        points_roubles_coupon(),
        Some("k-2".into()),
        None,
        &no_record,
    )
    .await
    .unwrap();
    assert!(seen.lock().unwrap().iter().all(|c| c.1.is_none()));
}

/// Our server's outlook is read as it says it; an amount or a date that is not one is an
/// unexpected answer, never a figure made up.
#[tokio::test]
async fn the_outlook_is_read_and_garbage_is_refused() {
    use loyalty_console::domain::lots::Dated;
    let a = movements_adapter(&codes_vendor(true, CodeCalls::default()).await);
    let outlook = a.outlook(SAMPLE_ID).await.unwrap();
    assert_eq!(
        outlook.expiring,
        vec![Dated {
            currency: Currency::Points,
            amount: Amount::from_minor(12_050),
            at: "2026-12-10T21:00:00Z".parse().unwrap(),
        }]
    );
    assert_eq!(
        outlook.pending(Currency::Points).map(|d| d.amount),
        Some(Amount::from_minor(4_000))
    );
    for id in [5, 6, 7] {
        let e = a.outlook(ClientId(id)).await.unwrap_err();
        assert_eq!(e.kind, ErrorKind::BadResponse, "{id}: {e:?}");
    }
}

/// The seed-001 document (no public client; the document is the client, see
/// docs/vendors.md) pages history by `offset` and `limit`: the adapter always sends those,
/// so a vendor that knows nothing of `loyalty serve`'s cursor still gets the right page, and
/// adds the last row seen as `afterDate` and `afterId` only when it has one.
#[tokio::test]
async fn history_pages_by_offset_and_add_the_cursor_of_the_last_row_seen() {
    let requests: Requests = Arc::default();
    let url = recording_vendor(requests.clone()).await;
    let a = ExtAdapter::new(&url, ExtCredential::Bearer(Secret::new("s3cr3t"))).unwrap();
    let id = ClientId(1_234_567);
    let first = HistoryQuery {
        from: None,
        to: None,
        offset: 0,
        limit: 500,
        after: None,
    };
    let rows = a.history(id, first).await.unwrap();
    let after = HistoryCursor::after(rows.last().unwrap());
    assert_eq!(
        after,
        Some(HistoryCursor {
            at: rows[0].at,
            id: 123_456_789
        }),
        "the sample's row, by its transactionDate and transactionId"
    );
    let next = HistoryQuery {
        offset: 500,
        after,
        ..first
    };
    a.history(id, next).await.unwrap();
    let sent: Vec<String> = requests
        .lock()
        .unwrap()
        .iter()
        .map(|(u, _)| u.clone())
        .collect();
    assert_eq!(
        sent,
        [
            "/ext/api/v1/clients/1234567/balance/history/?offset=0&limit=500",
            "/ext/api/v1/clients/1234567/balance/history/?offset=500&limit=500\
             &afterDate=1548968400000&afterId=123456789",
        ]
    );
}
