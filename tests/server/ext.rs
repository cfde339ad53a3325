//! The seed-001 adapter against `loyalty serve` over real HTTP on 127.0.0.1: search in every
//! phone format and by email, history paging and periods, write-offs that succeed and those
//! that must be refused without changing anything.

use crate::common;
use crate::common::requests;

use common::{TOKEN, TestServer};
use loyalty_console::backend::ClientService;
use loyalty_console::backend::ext::ExtAdapter;
use loyalty_console::config::{ExtCredential, Secret};
use loyalty_console::domain::{
    Amount, Client, ClientId, ClientQuery, CouponId, Currency, ErrorKind, HistoryCursor,
    HistoryQuery, WriteOff,
};
use loyalty_console::server::demo::SAMPLE_CLIENT_ID;

const SAMPLE: ClientId = ClientId(SAMPLE_CLIENT_ID);

fn page(offset: u32, limit: u32) -> HistoryQuery {
    HistoryQuery {
        from: None,
        to: None,
        offset,
        limit,
        after: None,
    }
}

async fn find(server: &TestServer, typed: &str) -> Vec<Client> {
    server
        .adapter()
        .search(ClientQuery::from_input(typed).unwrap())
        .await
        .unwrap()
}

/// Raw GET with the token; returns status and body.
async fn get(server: &TestServer, path_and_query: &str) -> (u16, String) {
    let r = reqwest::Client::new()
        .get(format!("{}{path_and_query}", server.url()))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

async fn post(server: &TestServer, id: i64, body: &str) -> (u16, String) {
    let url = requests::write_off_url(&server.url(), id);
    let r = requests::write_off(&reqwest::Client::new(), &url, None, body.to_string())
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

#[tokio::test]
async fn the_seed_sample_client_is_found_as_documented() {
    let s = TestServer::start(50).await;
    let found = find(&s, "7912345678").await;
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id, SAMPLE);
    assert_eq!(found[0].name.as_deref(), Some("Client First"));
    let by_email = find(&s, "TEST@test.ru").await;
    assert_eq!(
        by_email.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![SAMPLE]
    );
    let (status, body) = get(&s, "/ext/api/v1/clients/?phone=7912345678").await;
    assert_eq!(status, 200);
    assert_eq!(
        body,
        r#"[{"id":1234567,"email":"test@test.ru","phone":"7912345678","name":"Client First"}]"#
    );
}

#[tokio::test]
async fn every_phone_format_finds_the_same_client() {
    let s = TestServer::start(300).await;
    // Take demo clients stored in each of the formats the seeding uses.
    let (_, body) = get(&s, "/ext/api/v1/clients/?phone=%25").await;
    let all: Vec<serde_json::Value> = serde_json::from_str(&body).unwrap();
    let mut checked = 0;
    for c in all.iter().filter(|c| c["phone"].is_string()).take(40) {
        let stored = c["phone"].as_str().unwrap();
        let id = ClientId(c["id"].as_i64().unwrap());
        let digits: String = stored.chars().filter(char::is_ascii_digit).collect();
        let national = &digits[digits.len() - 10..];
        let formats = [
            format!(
                "+7 {} {}-{}-{}",
                &national[..3],
                &national[3..6],
                &national[6..8],
                &national[8..]
            ),
            format!("8{national}"),
            format!("7{national}"),
            format!(
                "8 ({}) {} {} {}",
                &national[..3],
                &national[3..6],
                &national[6..8],
                &national[8..]
            ),
            national.to_string(),
        ];
        for typed in &formats {
            // Through the console's adapter (which sends `%` + the last ten digits)...
            let found = find(&s, typed).await;
            assert!(
                found.iter().any(|f| f.id == id),
                "{typed} should find {stored}"
            );
            // ...and as a raw, wildcard-free parameter, normalised by the server.
            let (_, body) = get(
                &s,
                &format!("/ext/api/v1/clients/?phone={}", urlencode(typed)),
            )
            .await;
            assert!(
                body.contains(&format!("\"id\":{}", id.0)),
                "raw {typed} should find {stored}: {body}"
            );
        }
        checked += 1;
    }
    assert!(checked >= 30, "enough demo phones to check: {checked}");
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z' | b'-' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn wildcards_work_as_the_api_says() {
    let s = TestServer::start(200).await;
    let prefix = find(&s, "test@%").await;
    assert!(prefix.iter().any(|c| c.id == SAMPLE));
    let (status, body) = get(&s, "/ext/api/v1/clients/?email=%25%40test.ru").await;
    assert_eq!(status, 200);
    assert!(body.contains("test@test.ru"));
    let (_, body) = get(&s, "/ext/api/v1/clients/?phone=%25234%25").await;
    let middle: Vec<serde_json::Value> = serde_json::from_str(&body).unwrap();
    assert!(middle.iter().all(|c| {
        c["phone"]
            .as_str()
            .unwrap()
            .chars()
            .filter(char::is_ascii_digit)
            .collect::<String>()
            .contains("234")
    }));
    // The stored text's digits are what a phone wildcard matches, as at the vendor: the
    // sample is stored as `7912345678` (normalised `77912345678`).
    let (status, body) = get(&s, "/ext/api/v1/clients/?phone=7912%25").await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"id\":1234567"), "{body}");
    // Neither contact (both optional in the seed): the first page of every client.
    let (status, body) = get(&s, "/ext/api/v1/clients/").await;
    assert_eq!(status, 200, "{body}");
    let all: Vec<serde_json::Value> = serde_json::from_str(&body).unwrap();
    assert_eq!(all.len(), 200);
    assert_eq!(all[0]["id"], SAMPLE_CLIENT_ID);
}

#[tokio::test]
async fn balances_and_coupons_of_the_sample_client() {
    let s = TestServer::start(10).await;
    let a = s.adapter();
    let b = a.balance(SAMPLE).await.unwrap();
    assert_eq!(
        (b.points, b.rubles),
        (Amount::from_minor(123_456), Amount::from_minor(432_106))
    );
    let coupons = a.coupons(SAMPLE).await.unwrap();
    assert_eq!(coupons[0].id, CouponId(1234));
    assert_eq!(
        coupons[0].expires_at.unwrap().as_millisecond(),
        1_548_968_400_000
    );
    let e = a.balance(ClientId(1)).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Rejected);
    assert!(e.detail.contains("not found"), "{}", e.detail);
}

#[tokio::test]
async fn history_pages_newest_first_and_honours_the_period() {
    let s = TestServer::start(60).await;
    let a = s.adapter();
    // A client with a long history.
    let mut client = None;
    for i in 1..60 {
        let id = ClientId(SAMPLE_CLIENT_ID + i);
        if a.history(id, page(0, 100)).await.unwrap().len() >= 12 {
            client = Some(id);
            break;
        }
    }
    let id = client.expect("a demo client with 12+ entries");
    let all = a.history(id, page(0, 100)).await.unwrap();
    assert!(all.windows(2).all(|w| w[0].at >= w[1].at), "newest first");
    let first = a.history(id, page(0, 5)).await.unwrap();
    let second = a.history(id, page(5, 5)).await.unwrap();
    assert_eq!(first, all[..5]);
    assert_eq!(second, all[5..10]);
    let beyond = a.history(id, page(1000, 5)).await.unwrap();
    assert!(beyond.is_empty());
    // A period cut from the middle of the list holds exactly the entries inside it.
    let (from, to) = (all[8].at, all[3].at);
    let q = HistoryQuery {
        from: Some(from),
        to: Some(to),
        offset: 0,
        limit: 100,
        after: None,
    };
    let within = a.history(id, q).await.unwrap();
    let expected: Vec<_> = all
        .iter()
        .filter(|e| e.at >= from && e.at <= to)
        .cloned()
        .collect();
    assert_eq!(within, expected);
    assert!(all.iter().all(|e| e.at <= s.anchor));

    // Our cursor (docs/vendors.md, seed 001): the page after the row named, whatever the
    // offset beside it says; a row this client does not have names no place, and the
    // offset is followed.
    let cursor = HistoryQuery {
        after: HistoryCursor::after(&all[4]),
        ..page(0, 5)
    };
    assert_eq!(a.history(id, cursor).await.unwrap(), all[5..10]);
    let other = a.history(SAMPLE, page(0, 1)).await.unwrap();
    let foreign = HistoryQuery {
        after: HistoryCursor::after(&other[0]),
        ..page(5, 5)
    };
    assert_eq!(a.history(id, foreign).await.unwrap(), all[5..10]);
    let path = format!(
        "/ext/api/v1/clients/{}/balance/history/?afterDate=1&afterId=x",
        id.0
    );
    assert_eq!(get(&s, &path).await.0, 400, "a cursor that is not a number");
}

#[tokio::test]
async fn a_write_off_takes_balances_and_coupons_in_one_go() {
    let s = TestServer::start(10).await;
    let a = s.adapter();
    let request = WriteOff {
        points: Some(Amount::from_minor(23_456)),
        rubles: Some(Amount::from_minor(2_106)),
        coupons: vec![CouponId(1235)],
        receipt: None,
        why: None,
        code: None,
    };
    // A minute after the data was made; coupon 1235 expires 30 days after that.
    s.clock.advance(jiff::SignedDuration::from_mins(1));
    a.write_off(SAMPLE, request, None, None, &no_record)
        .await
        .unwrap();
    let b = a.balance(SAMPLE).await.unwrap();
    assert_eq!(
        (b.points, b.rubles),
        (Amount::from_minor(100_000), Amount::from_minor(430_000))
    );
    let coupons = a.coupons(SAMPLE).await.unwrap();
    assert!(
        coupons.iter().all(|c| c.id != CouponId(1235)),
        "redeemed coupon is gone"
    );
    let h = a.history(SAMPLE, page(0, 2)).await.unwrap();
    let mut newest: Vec<_> = h.iter().map(|e| (e.currency, e.amount)).collect();
    newest.sort();
    assert_eq!(
        newest,
        vec![
            (Currency::Points, Amount::from_minor(-23_456)),
            (Currency::Rubles, Amount::from_minor(-2_106))
        ]
    );
    assert!(
        h.iter()
            .all(|e| e.at == s.anchor + jiff::SignedDuration::from_mins(1)),
        "recorded at the server's time: {h:?}"
    );
    // The whole balance can go, to zero and not one kopeck further.
    let rest = WriteOff {
        points: Some(Amount::from_minor(100_000)),
        ..Default::default()
    };
    a.write_off(SAMPLE, rest, None, None, &no_record)
        .await
        .unwrap();
    assert_eq!(a.balance(SAMPLE).await.unwrap().points, Amount::ZERO);
    assert!(s.ledger_mismatches().await.is_empty());
}

#[tokio::test]
async fn an_overdraw_is_refused_and_changes_nothing() {
    let s = TestServer::start(10).await;
    let a = s.adapter();
    let request = WriteOff {
        points: Some(Amount::from_minor(100)),
        rubles: Some(Amount::from_minor(432_107)),
        coupons: vec![CouponId(1235)],
        receipt: None,
        why: None,
        code: None,
    };
    let e = a
        .write_off(SAMPLE, request, None, None, &no_record)
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Rejected);
    assert!(
        e.detail.contains("insufficient rubles balance"),
        "{}",
        e.detail
    );
    let b = a.balance(SAMPLE).await.unwrap();
    assert_eq!(
        (b.points, b.rubles),
        (Amount::from_minor(123_456), Amount::from_minor(432_106))
    );
    assert!(
        a.coupons(SAMPLE)
            .await
            .unwrap()
            .iter()
            .any(|c| c.id == CouponId(1235))
    );
}

#[tokio::test]
async fn foreign_expired_and_redeemed_coupons_are_refused() {
    let s = TestServer::start(40).await;
    let a = s.adapter();
    // A coupon that belongs to somebody else.
    let mut foreign = None;
    for i in 1..40 {
        if let Some(c) = a
            .coupons(ClientId(SAMPLE_CLIENT_ID + i))
            .await
            .unwrap()
            .first()
        {
            foreign = Some(c.id);
            break;
        }
    }
    let foreign = foreign.expect("a demo client with a coupon");
    let with_points = |coupon| WriteOff {
        points: Some(Amount::from_minor(1)),
        rubles: None,
        coupons: vec![coupon],
        receipt: None,
        why: None,
        code: None,
    };
    let e = a
        .write_off(SAMPLE, with_points(foreign), None, None, &no_record)
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Rejected);
    assert!(e.detail.contains("does not belong"), "{}", e.detail);
    let e = a
        .write_off(SAMPLE, with_points(CouponId(1234)), None, None, &no_record)
        .await
        .unwrap_err();
    assert!(e.detail.contains("expired"), "{}", e.detail);
    let e = a
        .write_off(
            SAMPLE,
            with_points(CouponId(99_999_999)),
            None,
            None,
            &no_record,
        )
        .await
        .unwrap_err();
    assert!(e.detail.contains("does not belong"), "{}", e.detail);
    // Coupon 1235 lives 30 days from the data's day: on day 31 the server refuses it.
    let month = jiff::SignedDuration::from_hours(31 * 24);
    s.clock.advance(month);
    let e = a
        .write_off(SAMPLE, with_points(CouponId(1235)), None, None, &no_record)
        .await
        .unwrap_err();
    assert!(e.detail.contains("expired"), "{}", e.detail);
    s.clock.advance(-month);
    a.write_off(
        SAMPLE,
        WriteOff {
            coupons: vec![CouponId(1235)],
            ..Default::default()
        },
        None,
        None,
        &no_record,
    )
    .await
    .unwrap();
    let e = a
        .write_off(SAMPLE, with_points(CouponId(1235)), None, None, &no_record)
        .await
        .unwrap_err();
    assert!(e.detail.contains("already redeemed"), "{}", e.detail);
    // None of the refused requests took the point that came with them.
    assert_eq!(
        a.balance(SAMPLE).await.unwrap().points,
        Amount::from_minor(123_456)
    );
}

#[tokio::test]
async fn malformed_write_offs_get_a_json_reason() {
    let s = TestServer::start(5).await;
    for body in [
        "",
        "garbage",
        "{}",
        r#"{"balance":[{"amount":1.234,"currency":"points"}]}"#,
        r#"{"balance":[{"amount":-5,"currency":"points"}]}"#,
        r#"{"balance":[{"amount":0,"currency":"points"}]}"#,
        r#"{"balance":[{"amount":1e3,"currency":"points"}]}"#,
        r#"{"balance":[{"amount":NaN,"currency":"points"}]}"#,
        r#"{"balance":[{"amount":"NaN","currency":"points"}]}"#,
        r#"{"balance":[{"amount":Infinity,"currency":"points"}]}"#,
        r#"{"balance":[{"amount":-Infinity,"currency":"points"}]}"#,
        r#"{"balance":[{"amount":1e999,"currency":"points"}]}"#,
        r#"{"balance":[{"amount":"5","currency":"points"}]}"#,
        r#"{"balance":[{"amount":5,"currency":"dollars"}]}"#,
        r#"{"balance":[{"amount":1,"currency":"points"},{"amount":1,"currency":"points"}]}"#,
        r#"{"coupons":[1235,1235]}"#,
        r#"{"coupons":["x"]}"#,
        r#"{"balance":[{"amount":99999999999999999999999,"currency":"points"}]}"#,
        r#"{"balance":[],"extra":1}"#,
    ] {
        let (status, text) = post(&s, SAMPLE_CLIENT_ID, body).await;
        assert_eq!(status, 400, "{body} -> {text}");
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert!(v["error"]["message"].is_string(), "{text}");
    }
    let (status, _) = post(&s, 42, r#"{"coupons":[1]}"#).await;
    assert_eq!(status, 404);
    let (status, _) = post(&s, -1, r#"{"coupons":[1]}"#).await;
    assert_eq!(status, 400);
    let huge = format!(r#"{{"coupons":[{}]}}"#, "1,".repeat(40_000) + "1");
    let (status, _) = post(&s, SAMPLE_CLIENT_ID, &huge).await;
    assert_eq!(status, 413);
    let b = s.adapter().balance(SAMPLE).await.unwrap();
    assert_eq!(b.points, Amount::from_minor(123_456));
}

#[tokio::test]
async fn requests_without_the_token_get_401() {
    let s = TestServer::start(5).await;
    for auth in [None, Some("Bearer wrong"), Some(TOKEN)] {
        let mut r = reqwest::Client::new().get(format!(
            "{}/ext/api/v1/clients/{SAMPLE_CLIENT_ID}/balance/",
            s.url()
        ));
        if let Some(a) = auth {
            r = r.header("authorization", a);
        }
        let r = r.send().await.unwrap();
        assert_eq!(r.status(), 401);
        let v: serde_json::Value = r.json().await.unwrap();
        assert_eq!(v["error"]["code"], "unauthorized");
    }
}

#[tokio::test]
async fn bad_query_parameters_get_a_json_reason() {
    let s = TestServer::start(5).await;
    for path in [
        "/ext/api/v1/clients/abc/balance/",
        "/ext/api/v1/clients/0/coupons/",
        "/ext/api/v1/clients/1234567/balance/history/?limit=abc",
        "/ext/api/v1/clients/1234567/balance/history/?limit=5000",
        "/ext/api/v1/clients/1234567/balance/history/?offset=-1",
        "/ext/api/v1/clients/1234567/balance/history/?from=NaN",
        "/ext/api/v1/clients/1234567/balance/history/?to=99999999999999999999",
        "/ext/api/v1/clients/?limit=201",
        "/ext/api/v1/clients/?phone=7912%25&offset=-1",
    ] {
        let (status, body) = get(&s, path).await;
        assert_eq!(status, 400, "{path}: {body}");
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert!(v["error"]["message"].is_string(), "{path}: {body}");
    }
    let (status, _) = get(&s, "/ext/api/v1/nothing/here").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn login_and_api_key_are_accepted_and_the_login_is_recorded_with_the_ledger() {
    let s = TestServer::start(5).await;
    let http = reqwest::Client::new();
    let balance = format!("{}/ext/api/v1/clients/{SAMPLE_CLIENT_ID}/balance/", s.url());
    let status = |query: &'static [(&'static str, &'static str)]| {
        let (http, url) = (http.clone(), balance.clone());
        async move {
            http.get(url)
                .query(query)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(
        status(&[("login", "kassa@shop.ru"), ("api_key", TOKEN)]).await,
        200
    );
    assert_eq!(
        status(&[("login", "kassa@shop.ru"), ("api_key", "wrong")]).await,
        401
    );
    assert_eq!(
        status(&[("api_key", TOKEN)]).await,
        401,
        "the login is required"
    );
    assert_eq!(status(&[("login", " "), ("api_key", TOKEN)]).await, 401);
    let long = "x".repeat(255);
    let r = http
        .get(&balance)
        .query(&[("login", long.as_str()), ("api_key", TOKEN)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401, "a login longer than an email can be");

    let by_key = ExtAdapter::new(
        &s.url(),
        ExtCredential::ApiKey {
            login: "kassa@shop.ru".into(),
            api_key: Secret::new(TOKEN),
        },
    )
    .unwrap();
    let one_point = WriteOff {
        points: Some(Amount::from_minor(100)),
        ..WriteOff::default()
    };
    by_key
        .write_off(
            SAMPLE,
            one_point.clone(),
            Some("k1".into()),
            None,
            &no_record,
        )
        .await
        .unwrap();
    s.adapter()
        .write_off(SAMPLE, one_point, Some("k2".into()), None, &no_record)
        .await
        .unwrap();
    let logins: Vec<Option<String>> = s
        .sqlite()
        .with_conn(|c| {
            let mut stmt = c.prepare(
                "SELECT login FROM ledger WHERE kind = 'write_off' AND client_id = ?1 ORDER BY id",
            )?;
            let rows = stmt.query_map([SAMPLE_CLIENT_ID], |r| r.get(0))?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .unwrap();
    assert_eq!(logins, vec![Some("kassa@shop.ru".to_string()), None]);
}

/// POSTs `body` to `path` under `/ext/api/v1` with the token; status and JSON answer.
async fn call(
    server: &TestServer,
    path: &str,
    body: serde_json::Value,
) -> (u16, serde_json::Value) {
    let r = reqwest::Client::new()
        .post(format!("{}/ext/api/v1{path}", server.url()))
        .bearer_auth(TOKEN)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let text = r.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
    )
}

async fn hold(s: &TestServer, body: serde_json::Value) -> String {
    let (status, answer) = call(s, "/fiscal_hub/cash_back/hold/", body).await;
    assert_eq!(status, 200, "{answer}");
    answer["transactionId"].as_str().unwrap().to_string()
}

/// The two-phase write-off of the vendor's fiscal document: a hold reserves (no other till
/// can spend it), lapses after 15 minutes, is written off once (a repeat is a no-op),
/// cancelled to release, refunded to give back.
#[tokio::test]
async fn holds_reserve_expire_write_off_once_cancel_and_refund() {
    use serde_json::json;
    let s = TestServer::start(5).await;
    let points = |s: &TestServer| {
        let a = s.adapter();
        async move { a.balance(SAMPLE).await.unwrap().points }
    };
    let (status, answer) = call(
        &s,
        "/fiscal_hub/cash_back/hold/",
        json!({"clientId": SAMPLE_CLIENT_ID, "currency": "points", "amount": 1000, "couponIds": []}),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    let a = answer["transactionId"].as_str().unwrap().to_string();
    assert_eq!(
        answer["expirationDate"].as_i64().unwrap(),
        s.anchor.as_millisecond() + 15 * 60_000
    );
    // Another till cannot spend what is held.
    let (status, body) = post(
        &s,
        SAMPLE_CLIENT_ID,
        r#"{"balance":[{"amount":300,"currency":"points"}]}"#,
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("234.56 available"), "{body}");
    // Written off once; the repeat changes nothing.
    for _ in 0..2 {
        let (status, _) = call(
            &s,
            "/fiscal_hub/cash_back/hold/write_off/",
            json!({"transactionId": a, "fiscalOrderId": "F-1"}),
        )
        .await;
        assert_eq!(status, 200);
    }
    assert_eq!(points(&s).await, Amount::from_minor(23_456));
    let (status, answer) = call(
        &s,
        "/fiscal_hub/cash_back/hold/cancel/",
        json!({"transactionId": a}),
    )
    .await;
    assert_eq!(
        (status, answer["error"]["code"].as_str()),
        (422, Some("transaction_state"))
    );

    // A held coupon is no one else's to redeem; cancelling releases it.
    let b = hold(&s, json!({"clientId": SAMPLE_CLIENT_ID, "currency": "points", "amount": 0, "couponIds": [1235]})).await;
    let (status, body) = post(&s, SAMPLE_CLIENT_ID, r#"{"coupons":[1235]}"#).await;
    assert!(status == 422 && body.contains("coupon_held"), "{body}");
    for _ in 0..2 {
        let (status, _) = call(
            &s,
            "/fiscal_hub/cash_back/hold/cancel/",
            json!({"transactionId": b}),
        )
        .await;
        assert_eq!(status, 200);
    }
    let (status, _) = call(
        &s,
        "/fiscal_hub/cash_back/hold/write_off/",
        json!({"transactionId": b}),
    )
    .await;
    assert_eq!(status, 422, "a cancelled hold is not spent");
    let (status, body) = post(&s, SAMPLE_CLIENT_ID, r#"{"coupons":[1235]}"#).await;
    assert_eq!(status, 200, "{body}");

    // A hold lapses: its write-off is refused and what it reserved is free again.
    let c = hold(
        &s,
        json!({"clientId": SAMPLE_CLIENT_ID, "currency": "points", "amount": 200, "couponIds": []}),
    )
    .await;
    s.clock.advance(jiff::SignedDuration::from_mins(16));
    let (status, answer) = call(
        &s,
        "/fiscal_hub/cash_back/hold/write_off/",
        json!({"transactionId": c}),
    )
    .await;
    assert_eq!(
        (status, answer["error"]["code"].as_str()),
        (422, Some("transaction_expired"))
    );
    let (status, body) = post(
        &s,
        SAMPLE_CLIENT_ID,
        r#"{"balance":[{"amount":234.56,"currency":"points"}]}"#,
    )
    .await;
    assert_eq!(status, 200, "{body}");

    // The refund gives back what hold A took, once.
    for _ in 0..2 {
        let (status, _) = call(
            &s,
            "/fiscal_hub/cash_back/refund/",
            json!({"transactionId": a}),
        )
        .await;
        assert_eq!(status, 200);
    }
    assert_eq!(points(&s).await, Amount::from_minor(100_000));
    assert!(s.ledger_mismatches().await.is_empty());
}

#[tokio::test]
async fn hold_requests_that_make_no_sense_get_a_reason() {
    use serde_json::json;
    let s = TestServer::start(5).await;
    for (body, status) in [
        (
            json!({"clientId": SAMPLE_CLIENT_ID, "currency": "points", "amount": 0}),
            400,
        ),
        (
            json!({"clientId": SAMPLE_CLIENT_ID, "currency": "points", "amount": -5}),
            400,
        ),
        (
            json!({"clientId": SAMPLE_CLIENT_ID, "currency": "bonus", "amount": 5}),
            400,
        ),
        (
            json!({"clientId": SAMPLE_CLIENT_ID, "currency": "points", "amount": 5, "couponIds": [1235, 1235]}),
            400,
        ),
        (
            json!({"clientId": SAMPLE_CLIENT_ID, "currency": "points", "amount": 99999}),
            422,
        ),
        (
            json!({"clientId": 42, "currency": "points", "amount": 5}),
            404,
        ),
        (
            json!({"clientId": SAMPLE_CLIENT_ID, "currency": "points", "amount": 5, "extra": 1}),
            400,
        ),
    ] {
        let (got, answer) = call(&s, "/fiscal_hub/cash_back/hold/", body.clone()).await;
        assert_eq!(got, status, "{body} -> {answer}");
        assert!(answer["error"]["message"].is_string(), "{answer}");
    }
    let long = "x".repeat(65);
    for id in ["", long.as_str()] {
        let (got, _) = call(
            &s,
            "/fiscal_hub/cash_back/hold/write_off/",
            json!({"transactionId": id}),
        )
        .await;
        assert_eq!(got, 400);
    }
    let (got, answer) = call(
        &s,
        "/fiscal_hub/cash_back/hold/cancel/",
        json!({"transactionId": "nope"}),
    )
    .await;
    assert_eq!(
        (got, answer["error"]["code"].as_str()),
        (422, Some("transaction_not_found"))
    );
}

/// Write-offs in these tests are direct: no vendor transactions to record.
fn no_record(_: loyalty_console::domain::journal::HoldStep, _: &str) {}

#[tokio::test]
async fn the_console_writes_off_in_holds_against_loyalty_serve() {
    let s = TestServer::start(5).await;
    let adapter = ExtAdapter::new(
        &s.url(),
        ExtCredential::ApiKey {
            login: "kassa@shop.ru".into(),
            api_key: Secret::new(TOKEN),
        },
    )
    .unwrap()
    .with_write_off(loyalty_console::config::WriteOffMode::Hold);
    let steps = std::sync::Mutex::new(Vec::new());
    let record = |step: loyalty_console::domain::journal::HoldStep, id: &str| {
        steps.lock().unwrap().push((step.as_str(), id.to_string()));
    };
    let request = WriteOff {
        points: Some(Amount::from_minor(23_456)),
        rubles: Some(Amount::from_minor(2_106)),
        coupons: vec![CouponId(1235)],
        receipt: None,
        why: None,
        code: None,
    };
    adapter
        .write_off(SAMPLE, request, Some("k".into()), None, &record)
        .await
        .unwrap();
    let b = adapter.balance(SAMPLE).await.unwrap();
    assert_eq!(
        (b.points, b.rubles),
        (Amount::from_minor(100_000), Amount::from_minor(430_000))
    );
    assert!(
        adapter
            .coupons(SAMPLE)
            .await
            .unwrap()
            .iter()
            .all(|c| c.id != CouponId(1235))
    );
    let steps = steps.into_inner().unwrap();
    let held: Vec<_> = steps.iter().filter(|(s, _)| *s == "held").collect();
    let written: Vec<_> = steps.iter().filter(|(s, _)| *s == "written_off").collect();
    assert_eq!((held.len(), written.len()), (2, 2), "{steps:?}");
    assert!(s.ledger_mismatches().await.is_empty());
}

#[tokio::test]
async fn a_search_pattern_longer_than_any_phone_or_email_is_refused() {
    let s = TestServer::start(5).await;
    // Over the bound but inside the 8 KiB request target (a 60,000-byte one, past SQLite's
    // LIKE limit, is refused as a 414 before it reaches the route).
    let long = format!("%{}%", "7".repeat(1_000));
    for key in ["phone", "email"] {
        let r = reqwest::Client::new()
            .get(format!("{}/ext/api/v1/clients/", s.url()))
            .bearer_auth(TOKEN)
            .query(&[(key, long.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400, "{key}");
        let v: serde_json::Value = r.json().await.unwrap();
        assert!(
            v["error"]["message"]
                .as_str()
                .unwrap()
                .contains("at most 256"),
            "{v}"
        );
    }
}

/// 413, 405, 414 and 431 are JSON in the vendor format of their route, like every other
/// error answer.
#[tokio::test]
async fn every_error_answer_is_json_in_the_routes_vendor_format() {
    let s = TestServer::start(5).await;
    let http = reqwest::Client::new();
    let base = s.url();
    let check = |status: u16, r: reqwest::Response, shape: &'static str| async move {
        assert_eq!(r.status().as_u16(), status);
        let ct = r.headers()["content-type"].to_str().unwrap().to_string();
        assert!(ct.starts_with("application/json"), "{ct}");
        let v: serde_json::Value = r.json().await.unwrap();
        let ok = match shape {
            "ext" => v["error"]["message"].is_string() && v["error"]["code"].is_string(),
            "poster" => v["error"]["code"].is_number(),
            "mloyalty" => v["Message"].is_string(),
            _ => v["ok"] == false && v["result"]["description"].is_string(),
        };
        assert!(ok, "{shape}: {v}");
    };
    let write_off = requests::write_off_url(&base, SAMPLE_CLIENT_ID);
    let big = "x".repeat(70 * 1024);
    let r = http
        .post(&write_off)
        .bearer_auth(TOKEN)
        .body(big)
        .send()
        .await
        .unwrap();
    check(413, r, "ext").await;
    let r = http
        .get(&write_off)
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    check(405, r, "ext").await;
    let long = format!("{base}/ext/api/v1/clients/?email={}", "a".repeat(9 * 1024));
    let r = http.get(&long).bearer_auth(TOKEN).send().await.unwrap();
    check(414, r, "ext").await;
    let r = http
        .get(format!("{base}/ext/api/v1/clients/?email=a@b"))
        .bearer_auth(TOKEN)
        .header("x-filler", "y".repeat(20 * 1024))
        .send()
        .await
        .unwrap();
    check(431, r, "ext").await;
    let r = http
        .delete(format!("{base}/api/clients.getGroups"))
        .send()
        .await
        .unwrap();
    check(405, r, "poster").await;
    let r = http
        .get(format!("{base}/api/client/ClientInfoPeriod"))
        .send()
        .await
        .unwrap();
    check(405, r, "mloyalty").await;
    let r = http
        .get(format!("{base}/gateway/out/k/v1/RetailCard/Get"))
        .send()
        .await
        .unwrap();
    check(405, r, "regos").await;
}
