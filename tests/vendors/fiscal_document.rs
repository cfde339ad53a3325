//! Seed 001's vendor has no public client: its document on fiscal operations, «Работа с
//! фискализацией» (the sibling of seed 001's clients document, same `/ext/api/v1/` API), is
//! the client. Its example requests are sent here byte for byte to `loyalty serve` over
//! loopback, on SQLite and on PostgreSQL, with the document's `login` and `api_key` URL
//! parameters; where an example names a value the server made (a `transactionId`), that
//! value alone is put in its place. No public copy of the document could be found to cite
//! by repository and path (see docs/vendors.md), so each test names its section.
//!
//! Also here: seed 001's `GET clients/` with neither `phone` nor `email` (both optional),
//! paged as the seed pages history, and phone wildcards matching the stored digits.

use crate::common;

use common::postgres::Postgres as Cluster;
use common::raw::Raw;
use common::{SAMPLE, TOKEN, TestServer};
use loyalty_console::server::store::{DbTarget, Store};
use serde_json::Value;

const LOGIN: &str = "kassa@shop.ru";

/// «Создание hold для списания бонусов», «Параметры данных», as printed.
const HOLD: &str = "{\n    \"clientId\" : 1,\n    \"currency\" : \"points\",\n    \"amount\" : 12.34,\n    \"couponIds\": [1, 2]\n}\n    \n";
/// «Списание hold»: `fiscalOrderId` is an integer.
const WRITE_OFF: &str = "{\n    \"transactionId\": \"1f1f1f1f-1f1f-1e1e-d1d1-1a1b1c1d1e1f00\",\n    \"fiscalOrderId\" : 1\n}\n    \n";
/// «Отмена hold».
const CANCEL: &str =
    "{\n    \"transactionId\": \"1f1f1f1f-1f1f-1e1e-d1d1-1a1b1c1d1e1f00\"\n}\n    \n";
/// «Возврат»: «Идентификаторы из базы».
const REFUND: &str = "{\n    \"orderItems\": [1, 2, 3]\n}\n    \n";
/// The document's example transaction id, which the server's own takes the place of.
const EXAMPLE_TRANSACTION: &str = "1f1f1f1f-1f1f-1e1e-d1d1-1a1b1c1d1e1f00";

/// A server over `store` with `clients` demo clients, and raw access to its database.
async fn serve(store: Store, pg_url: Option<&str>, clients: u64) -> (TestServer, Raw) {
    let dir = tempfile::tempdir().unwrap();
    let s = TestServer::start_on(store, dir, clients, |s| s).await;
    let raw = match pg_url {
        Some(url) => Raw::Pg(Cluster::connect(url).await),
        None => Raw::Lite(rusqlite::Connection::open(s.sqlite().path()).unwrap()),
    };
    (s, raw)
}

async fn sqlite_server(clients: u64) -> (TestServer, Raw, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let target = DbTarget::parse(dir.path().join("l.db").to_str().unwrap()).unwrap();
    let store = Store::open(&target).await.unwrap();
    let (s, raw) = serve(store, None, clients).await;
    (s, raw, dir)
}

async fn postgres_server(cluster: &Cluster, clients: u64) -> (TestServer, Raw) {
    let url = cluster.fresh_database().await;
    let store = Store::open(&DbTarget::parse(&url).unwrap()).await.unwrap();
    serve(store, Some(&url), clients).await
}

/// POSTs `body` byte for byte to `path` under `/ext/api/v1/` with the document's URL
/// parameters; the status and the answer's JSON (`null` for an empty one).
async fn post(s: &TestServer, path: &str, body: &str) -> (u16, Value) {
    let r = reqwest::Client::new()
        .post(format!("{}/ext/api/v1/{path}", s.url()))
        .query(&[("login", LOGIN), ("api_key", TOKEN)])
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let text = r.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn get(s: &TestServer, path_and_query: &str) -> (u16, Value) {
    let r = reqwest::Client::new()
        .get(format!("{}/ext/api/v1/{path_and_query}", s.url()))
        .query(&[("login", LOGIN), ("api_key", TOKEN)])
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap())
}

/// Client 1 of the document's examples, with 100 points and its coupons 1 and 2.
async fn the_documents_client(raw: &Raw, at_ms: i64) {
    raw.exec(&format!(
        "INSERT INTO clients (id, name) VALUES (1, 'Client One');
         INSERT INTO ledger (client_id, currency, amount, at_ms, kind)
         VALUES (1, 'points', 10000, {at_ms}, 'accrual');
         INSERT INTO coupons (id, client_id, title) VALUES (1, 1, 'Купон 1'), (2, 1, 'Купон 2');"
    ))
    .await;
}

async fn points_of_client_1(s: &TestServer) -> String {
    let (status, balances) = get(s, "clients/1/balance/").await;
    assert_eq!(status, 200, "{balances}");
    balances
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["currency"] == "points")
        .map(|b| b["amount"].to_string())
        .unwrap()
}

async fn unredeemed_coupons_of_client_1(s: &TestServer) -> Vec<i64> {
    let (_, coupons) = get(s, "clients/1/coupons/").await;
    coupons
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect()
}

/// A hold made by the document's request with `body` in place of its data; its answer.
async fn hold(s: &TestServer, body: &str) -> Value {
    let (status, answer) = post(s, "fiscal_hub/cash_back/hold/", body).await;
    assert_eq!(status, 200, "{answer}");
    answer
}

fn with_transaction(example: &str, answer: &Value) -> String {
    example.replace(
        EXAMPLE_TRANSACTION,
        answer["transactionId"].as_str().unwrap(),
    )
}

/// The whole document on one store: «Создание hold для списания бонусов» answers every key
/// of its example with `id` and `balanceId` integers; «Списание hold» with the integer
/// `fiscalOrderId` settles it; «Отмена hold» releases another; «Возврат» with its
/// `orderItems` refunds the holds of those ids, all or none, once, ledgered with the login.
async fn the_document_works_byte_for_byte(s: &TestServer, raw: &Raw) {
    the_documents_client(raw, s.anchor.as_millisecond()).await;

    let first = hold(s, HOLD).await;
    let mut keys: Vec<&str> = first
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "amount",
            "balanceId",
            "clientId",
            "currency",
            "expirationDate",
            "fiscalOrderId",
            "id",
            "orderId",
            "transactionDate",
            "transactionId"
        ],
        "the example answer's keys: {first}"
    );
    assert_eq!(first["id"], 1, "the first hold of the database: {first}");
    assert_eq!(first["balanceId"], 11, "client 1's points balance: {first}");
    assert_eq!(first["clientId"], 1);
    assert_eq!(first["currency"], "points");
    assert_eq!(first["amount"].to_string(), "12.34");
    assert_eq!(first["fiscalOrderId"], Value::Null);
    assert_eq!(first["orderId"], Value::Null);
    assert_eq!(first["transactionDate"], s.anchor.as_millisecond());
    assert_eq!(
        first["expirationDate"].as_i64().unwrap() - first["transactionDate"].as_i64().unwrap(),
        15 * 60_000
    );
    assert!(first["transactionId"].is_string());

    // The integer fiscalOrderId settles the hold: the points and both coupons are taken.
    let (status, answer) = post(
        s,
        "fiscal_hub/cash_back/hold/write_off/",
        &with_transaction(WRITE_OFF, &first),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(points_of_client_1(s).await, "87.66");
    assert!(unredeemed_coupons_of_client_1(s).await.is_empty());
    let fiscal = raw
        .rows("SELECT fiscal_order_id, state FROM holds WHERE id = 1")
        .await;
    assert_eq!(fiscal, ["1|written_off"]);

    // Two more holds: the second written off with a string fiscalOrderId (as before), the
    // third still held, so the document's refund of items 1, 2, 3 is refused whole.
    let second = hold(s, r#"{"clientId": 1, "currency": "points", "amount": 1.5}"#).await;
    assert_eq!(
        (second["id"].as_i64(), second["balanceId"].as_i64()),
        (Some(2), Some(11))
    );
    let body = format!(
        r#"{{"transactionId": {}, "fiscalOrderId": "F-2"}}"#,
        second["transactionId"]
    );
    let (status, _) = post(s, "fiscal_hub/cash_back/hold/write_off/", &body).await;
    assert_eq!(status, 200);
    let third = hold(s, r#"{"clientId": 1, "currency": "points", "amount": 2}"#).await;
    assert_eq!(third["id"], 3);
    let (status, answer) = post(s, "fiscal_hub/cash_back/refund/", REFUND).await;
    assert_eq!(
        (status, answer["error"]["code"].as_str()),
        (422, Some("transaction_state")),
        "{answer}"
    );
    assert!(
        answer["error"]["message"]
            .as_str()
            .unwrap()
            .contains("still held"),
        "{answer}"
    );
    assert_eq!(points_of_client_1(s).await, "86.16", "nothing refunded");

    // Once all three are written off, the document's refund gives back all they took.
    let body = format!(r#"{{"transactionId": {}}}"#, third["transactionId"]);
    let (status, _) = post(s, "fiscal_hub/cash_back/hold/write_off/", &body).await;
    assert_eq!(status, 200);
    assert_eq!(points_of_client_1(s).await, "84.16");
    for _ in 0..2 {
        let (status, answer) = post(s, "fiscal_hub/cash_back/refund/", REFUND).await;
        assert_eq!(status, 200, "{answer}");
        assert_eq!(points_of_client_1(s).await, "100", "refunded once");
        assert_eq!(unredeemed_coupons_of_client_1(s).await, [1, 2]);
    }
    let refunds = raw
        .rows(
            "SELECT CAST(amount AS TEXT), login FROM ledger
             WHERE client_id = 1 AND kind = 'refund' ORDER BY id",
        )
        .await;
    assert_eq!(
        refunds,
        [
            format!("1234|{LOGIN}"),
            format!("150|{LOGIN}"),
            format!("200|{LOGIN}")
        ]
    );
    let states = raw
        .rows("SELECT state FROM holds WHERE id IN (1, 2, 3) AND refunded_ms IS NOT NULL")
        .await;
    assert_eq!(states, ["refunded", "refunded", "refunded"]);

    // «Отмена hold» releases what a hold reserved.
    let fourth = hold(s, HOLD).await;
    assert_eq!(fourth["id"], 4);
    let (status, answer) = post(
        s,
        "fiscal_hub/cash_back/hold/cancel/",
        &with_transaction(CANCEL, &fourth),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    let (status, _) = post(
        s,
        "fiscal_hub/cash_back/hold/write_off/",
        &with_transaction(WRITE_OFF, &fourth),
    )
    .await;
    assert_eq!(status, 422, "a cancelled hold is not spent");
    assert_eq!(points_of_client_1(s).await, "100");
    assert!(s.ledger_mismatches().await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_fiscal_document_works_byte_for_byte_on_sqlite() {
    let (s, raw, _dir) = sqlite_server(3).await;
    the_document_works_byte_for_byte(&s, &raw).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_fiscal_document_works_byte_for_byte_on_postgres() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let (s, raw) = postgres_server(&cluster, 3).await;
    the_document_works_byte_for_byte(&s, &raw).await;
}

/// «Возврат» names items; what cannot be refunded is refused with a reason and changes
/// nothing: an id no hold has, an id twice, no items, items and a transaction at once, a
/// non-numeric item; a till's key may not refund another till's hold.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn order_item_refunds_that_cannot_be_done_are_refused_with_a_reason() {
    let (s, raw, _dir) = sqlite_server(3).await;
    the_documents_client(&raw, s.anchor.as_millisecond()).await;
    let held = hold(&s, HOLD).await;
    let (status, _) = post(
        &s,
        "fiscal_hub/cash_back/hold/write_off/",
        &with_transaction(WRITE_OFF, &held),
    )
    .await;
    assert_eq!(status, 200);
    for (body, status, code) in [
        (r#"{"orderItems": [1, 9]}"#, 422, "transaction_not_found"),
        (r#"{"orderItems": [1, 1]}"#, 400, "bad_request"),
        (r#"{"orderItems": []}"#, 400, "bad_request"),
        (r#"{"orderItems": ["x"]}"#, 400, "bad_request"),
        (r#"{"orderItems": [0]}"#, 400, "bad_request"),
        (r#"{}"#, 400, "bad_request"),
        (
            r#"{"orderItems": [1], "transactionId": "t"}"#,
            400,
            "bad_request",
        ),
        (r#"{"orderItems": [1], "extra": 1}"#, 400, "bad_request"),
    ] {
        let (got, answer) = post(&s, "fiscal_hub/cash_back/refund/", body).await;
        assert_eq!(
            (got, answer["error"]["code"].as_str()),
            (status, Some(code)),
            "{body}: {answer}"
        );
        assert!(answer["error"]["message"].is_string(), "{body}: {answer}");
    }
    assert_eq!(points_of_client_1(&s).await, "87.66", "nothing refunded");
    // Numeric strings are ids too.
    let (status, answer) = post(
        &s,
        "fiscal_hub/cash_back/refund/",
        r#"{"orderItems": ["1"]}"#,
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(points_of_client_1(&s).await, "100");
}

/// The hold answer's ids as integers are the console's too: it reads an integer
/// `fiscalOrderId`/`orderId` in a vendor's hold answer as well as a string.
#[test]
fn the_console_reads_ids_as_numbers_or_strings() {
    use loyalty_console::wire::ext::{HoldDto, HoldWriteOffDto};
    let answer: HoldDto = serde_json::from_str(
        r#"{"amount": 12.34, "balanceId": 1, "clientId": 1, "currency": "points",
            "expirationDate": 1572532181669, "fiscalOrderId": 7, "id": 1, "orderId": "A-1",
            "transactionDate": 1569940181669,
            "transactionId": "1f1f1f1f-1f1f-1e1e-d1d1-1a1b1c1d1e1f00"}"#,
    )
    .unwrap();
    assert_eq!(
        (
            answer.fiscal_order_id.as_deref(),
            answer.order_id.as_deref()
        ),
        (Some("7"), Some("A-1"))
    );
    assert_eq!((answer.id, answer.balance_id), (Some(1), Some(1)));
    let write_off: HoldWriteOffDto = serde_json::from_str(WRITE_OFF).unwrap();
    assert_eq!(write_off.fiscal_order_id.as_deref(), Some("1"));
}

/// Every client, a page at a time: `GET clients/` with neither contact, paged by seed 001's
/// `offset` and `limit` (as its history is), answered as its plain array.
async fn every_client_a_page_at_a_time(s: &TestServer) -> Vec<i64> {
    let mut ids = Vec::new();
    for page in 0.. {
        let (status, answer) = get(s, &format!("clients/?offset={}&limit=7", page * 7)).await;
        assert_eq!(status, 200, "{answer}");
        let got: Vec<i64> = answer
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_i64().unwrap())
            .collect();
        assert!(got.len() <= 7);
        if got.is_empty() {
            break;
        }
        ids.extend(got);
    }
    ids
}

/// Whether `pattern` (digits and `%`) matches `digits` as a LIKE over the text does.
fn like(pattern: &str, digits: &str) -> bool {
    let parts: Vec<&str> = pattern.split('%').collect();
    if parts.len() == 1 {
        return pattern == digits;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !digits.starts_with(first)
        || !digits.ends_with(last)
        || digits.len() < first.len() + last.len()
    {
        return false;
    }
    let mut rest = &digits[first.len()..digits.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    true
}

/// Listing and wildcards on one store: the pages hold every client once, in id order; the
/// page size is bounded; a phone wildcard finds exactly the clients whose stored phone's
/// digits match it, as the vendor's search over the stored text does.
async fn listing_and_wildcards(s: &TestServer, clients: usize) {
    let (status, first) = get(s, "clients/").await;
    assert_eq!(status, 200, "{first}");
    let first: Vec<Value> = serde_json::from_value(first).unwrap();
    assert_eq!(first.len(), clients.min(200));
    assert_eq!(first[0]["id"], SAMPLE.0);
    let ids = every_client_a_page_at_a_time(s).await;
    assert_eq!(ids.len(), clients);
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "id order, each once");
    for bad in [
        "clients/?limit=201",
        "clients/?offset=x",
        "clients/?limit=-1",
    ] {
        let (status, answer) = get(s, bad).await;
        assert_eq!(status, 400, "{bad}: {answer}");
    }

    let mut everyone = Vec::new();
    for offset in (0..clients).step_by(200) {
        let (_, page) = get(s, &format!("clients/?offset={offset}")).await;
        everyone.extend(page.as_array().unwrap().clone());
    }
    let digits = |c: &Value| -> Option<String> {
        c["phone"]
            .as_str()
            .map(|p| p.chars().filter(char::is_ascii_digit).collect())
    };
    for pattern in [
        "7912%", "8900%", "7900%", "%5678", "%11%", "89%1", "+7 900%", "%0",
    ] {
        let pattern_digits: String = pattern
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '%')
            .collect();
        let want: Vec<&Value> = everyone
            .iter()
            .filter(|c| digits(c).is_some_and(|d| like(&pattern_digits, &d)))
            .take(200)
            .collect();
        let encoded = pattern
            .replace('%', "%25")
            .replace('+', "%2B")
            .replace(' ', "%20");
        let (status, got) = get(s, &format!("clients/?phone={encoded}")).await;
        assert_eq!(status, 200, "{pattern}: {got}");
        let got: Vec<&Value> = got.as_array().unwrap().iter().collect();
        let ids = |v: &[&Value]| {
            v.iter()
                .map(|c| c["id"].as_i64().unwrap())
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&got), ids(&want), "{pattern}");
        if pattern != "7912%" {
            assert!(
                !want.is_empty(),
                "{pattern} finds someone among the demo clients"
            );
        }
    }
    // The sample is stored as `7912345678`: the vendor's prefix finds it.
    let (_, found) = get(s, "clients/?phone=7912%25").await;
    assert_eq!(found[0]["id"], SAMPLE.0, "{found}");
    // `+7 900…` and `8 900…` are one number to an exact search, two texts to a wildcard.
    let (_, eight) = get(s, "clients/?phone=8900%25").await;
    let (_, seven) = get(s, "clients/?phone=7900%25").await;
    assert!(
        eight
            .as_array()
            .unwrap()
            .iter()
            .all(|c| digits(c).unwrap().starts_with("8900"))
    );
    assert!(
        seven
            .as_array()
            .unwrap()
            .iter()
            .all(|c| digits(c).unwrap().starts_with("7900"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clients_are_listed_a_page_at_a_time_and_wildcards_match_stored_digits_on_sqlite() {
    let (s, _raw, _dir) = sqlite_server(230).await;
    listing_and_wildcards(&s, 230).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clients_are_listed_a_page_at_a_time_and_wildcards_match_stored_digits_on_postgres() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let (s, _raw) = postgres_server(&cluster, 230).await;
    listing_and_wildcards(&s, 230).await;
}

/// Scans of the phone indexes of `clients` so far, as PostgreSQL counts them.
async fn phone_index_scans(raw: &Raw) -> Vec<String> {
    raw.exec("SELECT pg_stat_clear_snapshot()").await;
    raw.rows(
        "SELECT indexrelname || '=' || idx_scan FROM pg_stat_user_indexes
         WHERE indexrelname IN ('clients_phone_norm', 'clients_phone_rev', 'clients_phone_tail')
         ORDER BY 1",
    )
    .await
}

/// The phone indexes `search` reads, waiting (a backend publishes its counters up to ten
/// seconds late) until `expected` have been counted or fifteen seconds have passed.
async fn indexes_read_by(
    s: &TestServer,
    raw: &Raw,
    search: &str,
    expected: &[&str],
) -> Vec<String> {
    let before = phone_index_scans(raw).await;
    let (status, answer) = get(s, search).await;
    assert_eq!(status, 200, "{answer}");
    let mut read = Vec::new();
    for _ in 0..150 {
        read = phone_index_scans(raw)
            .await
            .iter()
            .filter(|a| !before.contains(a))
            .map(|a| a.split('=').next().unwrap().to_string())
            .collect();
        if read == expected {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    read
}

/// PostgreSQL reads a phone wildcard's ranges from the normalised columns' indexes (the
/// server's own queries, with sequential scans priced out as for a large table): a prefix
/// from `phone_norm`, a short suffix from `phone_rev`; a till's ten digits from the index of
/// phones' ten-digit tails, which the shared connections' plans made once read at any size,
/// and an eleven-digit `8…` suffix from that and `phone_norm` (its `7…` form is an exact
/// value).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn phone_wildcards_read_indexes_on_postgres() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let url = cluster.fresh_database().await;
    let admin = Cluster::connect(&cluster.url("postgres")).await;
    let name = url.rsplit('/').next().unwrap();
    admin
        .batch_execute(&format!("ALTER DATABASE {name} SET enable_seqscan = off"))
        .await
        .unwrap();
    let store = Store::open(&DbTarget::parse(&url).unwrap()).await.unwrap();
    let (s, raw) = serve(store, Some(&url), 50).await;
    for (search, expected) in [
        ("clients/?phone=7912%25", &["clients_phone_norm"][..]),
        ("clients/?phone=%255678", &["clients_phone_rev"][..]),
        ("clients/?phone=%259123456789", &["clients_phone_tail"][..]),
        (
            "clients/?phone=%2589123456789",
            &["clients_phone_norm", "clients_phone_tail"][..],
        ),
    ] {
        assert_eq!(
            indexes_read_by(&s, &raw, search, expected).await,
            expected,
            "{search}"
        );
    }
}
