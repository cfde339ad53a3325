//! Credentials that end and cannot be guessed fast: Mloyalty's sessions end with their user,
//! at the end their login set, and with the signing key; a token without `exp` is refused;
//! refused credentials are slowed per peer in every format while a right one always passes;
//! what the server keeps per REGOS key stays within its bound however many keys come.

use crate::common;

use common::postgres::Postgres as Cluster;
use common::{INTEGRATION_KEY, MANAGER, PASSWORD, TOKEN, TestServer};
use jiff::SignedDuration;
use loyalty_console::server::principals::Role;
use loyalty_console::server::store::{DbTarget, Store};
use loyalty_console::server::{JWT_SECRET_NAME, REGOS_INTEGRATIONS_MAX};
use loyalty_console::wire::mloyalty::claims;
use serde_json::{Value, json};

async fn sqlite_server() -> TestServer {
    TestServer::start(5).await
}

async fn postgres_server(cluster: &Cluster) -> TestServer {
    let target = DbTarget::parse(&cluster.fresh_database().await).unwrap();
    let store = Store::open(&target).await.expect("open PostgreSQL");
    TestServer::start_on(store, tempfile::tempdir().unwrap(), 5, |s| s).await
}

/// `managerlogin` with `pairs`: its status and answer.
async fn login(s: &TestServer, pairs: &[(&str, &str)]) -> (u16, Value) {
    let r = reqwest::Client::new()
        .post(format!("{}/managerlogin", s.url()))
        .form(pairs)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

async fn password_login(s: &TestServer, phone: &str, password: &str) -> Value {
    let (status, answer) = login(
        s,
        &[
            ("username", phone),
            ("password", password),
            ("grant_type", "password"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    answer
}

async fn refresh(s: &TestServer, token: &str) -> (u16, Value) {
    login(
        s,
        &[("grant_type", "refresh_token"), ("refresh_token", token)],
    )
    .await
}

fn text<'v>(answer: &'v Value, field: &str) -> &'v str {
    answer[field].as_str().unwrap()
}

/// `ClientInfoPeriod`'s HTTP status with `jwt` as the bearer.
async fn report(s: &TestServer, jwt: &str) -> u16 {
    reqwest::Client::new()
        .post(format!("{}/api/client/ClientInfoPeriod", s.url()))
        .bearer_auth(jwt)
        .json(&json!({
            "BegDate": "2020-01-01T00:00:00+03:00", "EndDate": "2030-01-01T00:00:00+03:00",
            "Token": 1001, "Operator": 1
        }))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// The refresh of a revoked user is refused; a refresh keeps the session's end, past which
/// it is refused; a rotated signing key ends every session at once.
async fn sessions_end(s: &TestServer) {
    // An admin's key logs in (any phone); its session dies with the user.
    let key = s
        .store
        .add_user("back-office".into(), Role::Admin, 1)
        .await
        .unwrap();
    let admin = password_login(s, "79005550000", &key).await;
    let (status, renewed) = refresh(s, text(&admin, "refresh_token")).await;
    assert_eq!(status, 200, "a live admin refreshes: {renewed}");
    assert!(s.store.revoke_user("back-office".into(), 2).await.unwrap());
    let (status, refused) = refresh(s, text(&renewed, "refresh_token")).await;
    assert_eq!(status, 400, "a revoked user's refresh: {refused}");
    assert_eq!(refused["error"], "invalid_grant");

    // The manager's session ends fourteen days after the password login, refreshed or not.
    let first = password_login(s, MANAGER, PASSWORD).await;
    let ends = claims(text(&first, "refresh_token")).unwrap().exp.unwrap();
    assert_eq!(ends, s.clock.now().as_second() + 14 * 24 * 3600);
    s.clock.advance(SignedDuration::from_hours(13 * 24 + 23));
    let (status, renewed) = refresh(s, text(&first, "refresh_token")).await;
    assert_eq!(status, 200, "{renewed}");
    let again = claims(text(&renewed, "refresh_token")).unwrap();
    assert_eq!(again.exp, Some(ends), "a refresh keeps the session's end");
    let access = claims(text(&renewed, "access_token")).unwrap();
    assert!(
        access.exp.unwrap() <= ends,
        "no access outlives the session"
    );
    assert_eq!(report(s, text(&renewed, "access_token")).await, 200);
    s.clock.advance(SignedDuration::from_hours(1));
    let (status, _) = refresh(s, text(&renewed, "refresh_token")).await;
    assert_eq!(status, 400, "past its end the session is over");

    // Rotating the signing key ends every session: access and refresh tokens alike.
    let live = password_login(s, MANAGER, PASSWORD).await;
    assert_eq!(report(s, text(&live, "access_token")).await, 200);
    s.store.rotate_secret(JWT_SECRET_NAME).await.unwrap();
    assert_eq!(report(s, text(&live, "access_token")).await, 401);
    let (status, _) = refresh(s, text(&live, "refresh_token")).await;
    assert_eq!(status, 400);
    let fresh = password_login(s, MANAGER, PASSWORD).await;
    assert_eq!(report(s, text(&fresh, "access_token")).await, 200);
}

#[tokio::test]
async fn sessions_end_with_their_user_their_term_and_the_key_on_sqlite() {
    sessions_end(&sqlite_server().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_end_with_their_user_their_term_and_the_key_on_postgres() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    sessions_end(&postgres_server(&cluster).await).await;
}

/// HS256 over `claims` with `secret`, as someone who read the secret would sign.
fn forge(secret: &[u8], claims: &Value) -> String {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use hmac::{Hmac, Mac};
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    let input = format!("{header}.{payload}");
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret).unwrap();
    mac.update(input.as_bytes());
    let signature = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    format!("{input}.{signature}")
}

#[tokio::test]
async fn a_token_without_exp_is_refused_even_signed_with_the_real_key() {
    let s = sqlite_server().await;
    let secret = s.store.secret(JWT_SECRET_NAME).await.unwrap().unwrap();
    let claims = json!({"token": "1001", "oper": "1", "role": "manager", "user": MANAGER});
    assert_eq!(report(&s, &forge(&secret, &claims)).await, 401);
    // The same claims with an `exp` pass: the key and the shape are right.
    let mut with_exp = claims.clone();
    with_exp["exp"] = json!(s.clock.now().as_second() + 60);
    assert_eq!(report(&s, &forge(&secret, &with_exp)).await, 200);
}

/// One attempt of a format: whether it was let in, and whether its answer was held
/// (`Retry-After`).
struct Attempt {
    passed: bool,
    held: bool,
}

async fn attempt(s: &TestServer, format: &str, credential: &str) -> Attempt {
    let http = reqwest::Client::new();
    let base = s.url();
    let request = match format {
        "ext" => http
            .get(format!(
                "{base}/ext/api/v1/clients/{}/balance/",
                common::SAMPLE.0
            ))
            .bearer_auth(credential),
        "poster" => http.get(format!("{base}/api/clients.getGroups?token={credential}")),
        "mloyalty" => http.post(format!("{base}/managerlogin")).form(&[
            ("username", MANAGER),
            ("password", credential),
            ("grant_type", "password"),
        ]),
        "regos" => http
            .post(format!(
                "{base}/gateway/out/{credential}/v1/RetailCard/GetOperations"
            ))
            .json(&json!({"card_id": 1, "promo_id": 1})),
        _ => unreachable!(),
    };
    let r = request.send().await.unwrap();
    let (status, held) = (r.status().as_u16(), r.headers().contains_key("retry-after"));
    let v: Value = r.json().await.unwrap();
    let passed = status == 200
        && match format {
            "ext" => v.get("error").is_none(),
            "poster" => v.get("response").is_some(),
            "mloyalty" => v["access_token"].is_string(),
            _ => v["ok"] == true,
        };
    Attempt { passed, held }
}

/// Ten refused credentials from one peer answer at once; the next is held back (and says
/// so); the right credential from the same peer passes at once, never locked out. Each
/// format: seed 001's bearer, Poster's token, Mloyalty's manager password, REGOS's key.
#[tokio::test]
async fn refused_credentials_are_slowed_per_peer_and_a_right_one_always_passes() {
    for (format, right) in [
        ("ext", TOKEN),
        ("poster", TOKEN),
        ("mloyalty", PASSWORD),
        ("regos", INTEGRATION_KEY),
    ] {
        let s = sqlite_server().await;
        for n in 0..10 {
            let a = attempt(&s, format, &format!("guess-{n}")).await;
            assert!(!a.passed && !a.held, "{format}: guess {n} refused at once");
        }
        let a = attempt(&s, format, "guess-10").await;
        assert!(!a.passed && a.held, "{format}: the eleventh guess is held");
        let a = attempt(&s, format, right).await;
        assert!(
            a.passed && !a.held,
            "{format}: the right credential passes at once"
        );
    }
}

/// The issue's reproduction: 12,000 requests, each with a new REGOS key (any key is taken
/// while no credential is set up). Each key's rate bucket used to stay for ever; now the map
/// never holds more than its bound.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twelve_thousand_new_regos_keys_keep_the_map_within_its_bound() {
    let s = TestServer::start_with(5, |st| st.with_integration_key(None)).await;
    let http = reqwest::Client::new();
    let streams = (0..8).map(|stream| {
        let (http, base) = (http.clone(), s.url());
        tokio::spawn(async move {
            for n in 0..1_500 {
                let v: Value = http
                    .post(format!("{base}/gateway/out/key-{stream}-{n}/v1/Nothing"))
                    .json(&json!({}))
                    .send()
                    .await
                    .unwrap()
                    .json()
                    .await
                    .unwrap();
                assert_eq!(v["ok"], false, "{v}");
            }
        })
    });
    // Watched while the flood runs: buckets a second quiet are let go, so on a slow machine
    // the map holds fewer at the end than at its fullest. The bound itself, and the overflow
    // newcomers share, are held with a controlled clock by `callers`' own tests.
    let most = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let watch = {
        let (state, most) = (s.state.clone(), most.clone());
        tokio::spawn(async move {
            loop {
                let now = state.regos_integrations_tracked();
                most.fetch_max(now, std::sync::atomic::Ordering::Relaxed);
                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            }
        })
    };
    for stream in streams.collect::<Vec<_>>() {
        stream.await.unwrap();
    }
    watch.abort();
    let end = s.state.regos_integrations_tracked();
    let most = most.load(std::sync::atomic::Ordering::Relaxed).max(end);
    assert!(
        most <= REGOS_INTEGRATIONS_MAX,
        "never more than the bound: {most} at most"
    );
    assert!(end > 0, "new keys are tracked at all");
}

/// `loyalty serve user rotate-jwt-key` replaces the stored signing key, so a server over
/// that database refuses what it signed before.
#[tokio::test]
async fn the_command_line_rotates_the_signing_key() {
    let s = sqlite_server().await;
    let live = password_login(&s, MANAGER, PASSWORD).await;
    assert_eq!(report(&s, text(&live, "access_token")).await, 200);
    let db = s.sqlite().path().to_path_buf();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_loyalty"))
        .args(["serve", "user", "rotate-jwt-key", "--db"])
        .arg(&db)
        .output()
        .expect("loyalty serve user rotate-jwt-key runs");
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    assert!(said.contains("log in again"), "{said}");
    assert_eq!(report(&s, text(&live, "access_token")).await, 401);
}
