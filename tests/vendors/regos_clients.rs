//! `loyalty serve`'s REGOS methods in the shapes REGOS's official Python SDK needs
//! (https://github.com/regos-software/py-integrations): its pydantic models are generated
//! from REGOS's Swagger, and a field it cannot read fails the whole answer. The SDK is not
//! on a package registry, so these tests send what its code sends and pin what its models
//! take. Every scenario runs on SQLite and on a throwaway PostgreSQL, and both stores must
//! answer alike.

use crate::common;

use common::postgres::Postgres as Cluster;
use common::{INTEGRATION_KEY, TestServer};
use loyalty_console::server::demo::{CARD_PROMO_ID, FIRST_CARD_NUMBER, SAMPLE_CLIENT_ID};
use loyalty_console::server::store::{DbTarget, Store};
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// Demo clients, one card each.
const CARDS: i64 = 60;

/// A server whose REGOS budget does not slow the scenarios down.
async fn server_on(store: Store, dir: tempfile::TempDir) -> TestServer {
    TestServer::start_on(store, dir, CARDS as u64, |st| {
        st.with_regos_rate(10_000.0, 10_000)
    })
    .await
}

async fn sqlite_server() -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_sqlite(&dir.path().join("regos.db")).unwrap();
    server_on(store, dir).await
}

async fn postgres_server(cluster: &Cluster) -> TestServer {
    let target = DbTarget::parse(&cluster.fresh_database().await).unwrap();
    let store = Store::open(&target).await.unwrap();
    server_on(store, tempfile::tempdir().unwrap()).await
}

/// One REGOS method as the SDK's `APIClient.post` calls it: `POST
/// {base}/gateway/out/{integration_id}/v1/{method}` with a JSON body (core/api/client.py).
async fn call(s: &TestServer, method: &str, body: Value) -> Value {
    let r = reqwest::Client::new()
        .post(format!(
            "{}/gateway/out/{INTEGRATION_KEY}/v1/{method}",
            s.url()
        ))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{method} {body}");
    r.json().await.unwrap()
}

/// A successful answer's rows, with its `next_offset` and `total`.
fn rows(answer: &Value) -> (Vec<Value>, Value, Value) {
    assert_eq!(answer["ok"], true, "{answer}");
    let rows = answer["result"].as_array().expect("a result array").clone();
    (rows, answer["next_offset"].clone(), answer["total"].clone())
}

/// A refusal's REGOS code and description.
fn refusal(answer: &Value) -> (i64, String) {
    assert_eq!(answer["ok"], false, "{answer}");
    (
        answer["result"]["error"].as_i64().unwrap(),
        answer["result"]["description"]
            .as_str()
            .unwrap()
            .to_string(),
    )
}

fn ids(cards: &[Value]) -> Vec<i64> {
    cards.iter().map(|c| c["id"].as_i64().unwrap()).collect()
}

/// `RetailCard/Get` with `body`.
async fn get(s: &TestServer, body: Value) -> Value {
    call(s, "RetailCard/Get", body).await
}

async fn operations(s: &TestServer, body: Value) -> Value {
    call(s, "RetailCard/GetOperations", body).await
}

/// Whether `v` is what a pydantic field `int | None` takes (no bool, no float).
fn int_or_null(v: &Value) -> bool {
    v.is_null() || v.is_i64()
}

/// The fields of the SDK's `RetailCardOperation`
/// (schemas/api/references/retail_card.py), each in a type its model takes: `type` is a
/// `PromoBonusType` (schemas/api/references/promo_bonus.py), which has only the names
/// `Default`, `Income` and `Outcome`: a number there fails the whole page.
fn assert_sdk_operation(op: &Value) {
    let fields = [
        "uuid",
        "type",
        "amount",
        "value",
        "used_value",
        "is_payment",
        "date",
        "exp_date",
        "description",
        "last_update",
    ];
    for key in op.as_object().unwrap().keys() {
        assert!(fields.contains(&key.as_str()), "{key} in {op}");
    }
    assert!(
        matches!(op["type"].as_str(), Some("Income" | "Outcome")),
        "{op}"
    );
    assert!(op["uuid"].is_string(), "{op}");
    for decimal in ["amount", "value", "used_value"] {
        assert!(op[decimal].is_number(), "{decimal} in {op}");
    }
    assert!(op["is_payment"].is_boolean(), "{op}");
    for seconds in ["date", "exp_date", "last_update"] {
        assert!(int_or_null(&op[seconds]), "{seconds} in {op}");
    }
    assert!(
        op["description"].is_null() || op["description"].is_string(),
        "{op}"
    );
}

/// The fields of the SDK's `RetailCard` (schemas/api/references/retail_card.py) in types
/// its model takes; `customer` is a `RetailCustomer` and `group` a `RetailCardGroup`
/// (schemas/api/references/retail_customer.py, retail_card_group.py), both with an `int`
/// id. `expiry_date` is a `str` there: a number would fail the answer.
fn assert_sdk_card(card: &Value) {
    let fields = [
        "id",
        "group",
        "customer",
        "barcode_value",
        "barcode_type",
        "promo",
        "bonus_amount",
        "date",
        "unlimited",
        "expiry_date",
        "last_purchase",
        "enabled",
        "last_update",
    ];
    for key in card.as_object().unwrap().keys() {
        assert!(fields.contains(&key.as_str()), "{key} in {card}");
    }
    assert!(card["id"].is_i64(), "{card}");
    assert!(card["customer"]["id"].is_i64(), "customer.id in {card}");
    // A client may have no name on file.
    let name = &card["customer"]["full_name"];
    assert!(name.is_null() || name.is_string(), "{card}");
    assert!(card["promo"]["id"].is_i64(), "{card}");
    assert!(card["barcode_value"].is_string(), "{card}");
    assert!(card["bonus_amount"].is_number(), "{card}");
    assert!(card["enabled"].is_boolean(), "{card}");
    assert!(card["date"].is_i64(), "{card}");
    assert!(
        card["group"].is_null()
            || (card["group"]["id"].is_i64() && card["group"]["name"].is_string()),
        "{card}"
    );
    assert!(
        card["expiry_date"].is_null() || card["expiry_date"].is_string(),
        "{card}"
    );
    for seconds in ["last_purchase", "last_update"] {
        assert!(int_or_null(&card[seconds]), "{seconds} in {card}");
    }
}

/// A card's operations, newest first, all on one page.
async fn card_operations(s: &TestServer, card: i64) -> Vec<Value> {
    let answer = operations(
        s,
        json!({"card_id": card, "promo_id": CARD_PROMO_ID, "limit": 1000}),
    )
    .await;
    rows(&answer).0
}

/// The first demo card with at least `n` operations.
async fn card_with_operations(s: &TestServer, n: usize) -> (i64, Vec<Value>) {
    for card in 1..=CARDS {
        let ops = card_operations(s, card).await;
        if ops.len() >= n {
            return (card, ops);
        }
    }
    panic!("no demo card with {n} operations");
}

/// Mirrors `RetailCardService.get_operations` (core/api/references/retail_card.py) with
/// the request model `RetailCardOperationGet`, which sends `type` as a name, and the
/// answer model `RetailCardOperationRegosOffsettedArrayResult`
/// (schemas/api/references/retail_card.py).
async fn operation_types_are_the_sdks_names(s: &TestServer, seen: &mut Vec<String>) {
    let mut kinds = BTreeSet::new();
    for card in 1..=CARDS {
        for op in card_operations(s, card).await {
            assert_sdk_operation(&op);
            kinds.insert(op["type"].as_str().unwrap().to_string());
        }
    }
    assert_eq!(
        kinds,
        BTreeSet::from(["Income".to_string(), "Outcome".to_string()]),
        "the demo has both types"
    );
    let (card, all) = card_with_operations(s, 5).await;
    let uuids_of = |ops: &[Value]| -> Vec<String> {
        ops.iter()
            .map(|o| o["uuid"].as_str().unwrap().to_string())
            .collect()
    };
    // The SDK's name, the seed's number and REGOS's `Default` (no type) as the filter.
    let by = |kind: Value| json!({"card_id": card, "promo_id": CARD_PROMO_ID, "type": kind});
    let by_name = rows(&operations(s, by(json!("Income"))).await).0;
    let by_number = rows(&operations(s, by(json!(1))).await).0;
    assert_eq!(uuids_of(&by_name), uuids_of(&by_number));
    assert!(by_name.iter().all(|o| o["type"] == "Income"), "{by_name:?}");
    let outcomes = rows(&operations(s, by(json!("Outcome"))).await).0;
    assert_eq!(by_name.len() + outcomes.len(), all.len());
    let unset = rows(&operations(s, by(json!("Default"))).await).0;
    assert_eq!(uuids_of(&unset), uuids_of(&all));
    seen.push(format!(
        "types {kinds:?} card {card}: {} operations, {} incomes",
        all.len(),
        by_name.len()
    ));
}

/// The demo's notes agree with their operation's type: a write-off note on an income (or a
/// purchase note on an outcome) tells the reader the opposite of what happened.
async fn notes_agree_with_types(s: &TestServer, seen: &mut Vec<String>) {
    let mut notes = BTreeSet::new();
    for card in 1..=CARDS {
        for op in card_operations(s, card).await {
            let Some(note) = op["description"].as_str() else {
                continue;
            };
            let spends = ["Списание", "Оплата", "Paid"]
                .iter()
                .any(|w| note.contains(w));
            let earns = ["Покупка", "Начисление", "Birthday"]
                .iter()
                .any(|w| note.contains(w));
            match op["type"].as_str() {
                Some("Income") => assert!(earns && !spends, "{op}"),
                Some("Outcome") => assert!(spends && !earns, "{op}"),
                _ => panic!("{op}"),
            }
            notes.insert(format!("{} {note}", op["type"]));
        }
    }
    assert!(notes.len() >= 4, "{notes:?}");
    seen.push(format!("notes {notes:?}"));
}

/// Mirrors `RegosAPIService.get_by_id` (core/api/service.py): `get(RetailCardGet(ids=[id],
/// limit=1))` and the first row, or `None` when there is none.
async fn get_by_id_finds_the_card_and_its_customer(s: &TestServer, seen: &mut Vec<String>) {
    let (cards, next, total) = rows(&get(s, json!({"ids": [7], "limit": 1})).await);
    assert_eq!(ids(&cards), [7]);
    assert_eq!((next, total), (json!(1), json!(1)));
    let card = &cards[0];
    assert_sdk_card(card);
    // Card n is the n-th demo client's, the seed's sample client first.
    assert_eq!(card["customer"]["id"], SAMPLE_CLIENT_ID + 6);
    assert_eq!(card["barcode_value"], (FIRST_CARD_NUMBER + 6).to_string());
    let (none, _, total) = rows(&get(s, json!({"ids": [CARDS + 1], "limit": 1})).await);
    assert!(none.is_empty());
    assert_eq!(total, 0);
    // The customer's id finds its card again.
    let by_customer = get(s, json!({"customer_ids": [SAMPLE_CLIENT_ID + 6]})).await;
    assert_eq!(ids(&rows(&by_customer).0), [7]);
    seen.push(format!("card 7 {card}").replace(&card["date"].to_string(), "<date>"));
}

/// Mirrors the SDK's paging: `RetailCardRegosOffsettedArrayResult`'s `total` ("the whole
/// selection's count") and `next_offset` ("the offset of the next selection")
/// (schemas/api/references/retail_card.py), walked as the SDK's own integrations walk them
/// (clients/marketplace_uzum_tezkor/main.py: stop when `next_offset` is 0, stands still or
/// reaches `total`).
async fn paging_counts_every_match(s: &TestServer, seen: &mut Vec<String>) {
    let (first, next, total) = rows(&get(s, json!({"limit": 7})).await);
    assert_eq!(ids(&first), (1..=7).collect::<Vec<_>>());
    assert_eq!((next, total), (json!(7), json!(CARDS)));
    let (second, next, total) = rows(&get(s, json!({"limit": 7, "offset": 7})).await);
    assert_eq!(ids(&second), (8..=14).collect::<Vec<_>>());
    assert_eq!((next, total), (json!(14), json!(CARDS)));
    let mut offset = 0;
    let mut walked = Vec::new();
    let mut pages = 0;
    loop {
        let (page, next, total) = rows(&get(s, json!({"limit": 25, "offset": offset})).await);
        pages += 1;
        page.iter().for_each(assert_sdk_card);
        walked.extend(ids(&page));
        let (next, total) = (next.as_i64().unwrap(), total.as_i64().unwrap());
        assert_eq!(next, offset + page.len() as i64);
        if next == 0 || next == offset || (total > 0 && next >= total) {
            break;
        }
        offset = next;
    }
    assert_eq!(walked, (1..=CARDS).collect::<Vec<_>>());
    assert_eq!(pages, 3);
    // Past the end: nothing, the offset unmoved, the total still counted.
    let (past, next, total) = rows(&get(s, json!({"limit": 5, "offset": 500})).await);
    assert!(past.is_empty());
    assert_eq!((next, total), (json!(500), json!(CARDS)));
    // The search text pages alike: `total` counts every name that matches, not the page.
    let (page, next, total) = rows(&get(s, json!({"search": "ова", "limit": 2})).await);
    let total = total.as_u64().unwrap();
    assert!(total > 2, "{total}");
    assert_eq!((page.len(), next), (2, json!(2)));
    // Operations page the same way.
    let (card, all) = card_with_operations(s, 5).await;
    let body = json!({"card_id": [card], "promo_id": [CARD_PROMO_ID], "limit": 2, "offset": 2});
    let (ops, next, op_total) = rows(&operations(s, body).await);
    assert_eq!(ops, all[2..4]);
    assert_eq!((next, op_total), (json!(4), json!(all.len())));
    seen.push(format!(
        "paging: {total} names, card {card} {} ops",
        all.len()
    ));
}

/// Mirrors `RetailCardGet` (schemas/api/references/retail_card.py): `ids`, `group_ids`,
/// `customer_ids` and `promo_ids` are arrays of ints, `barcode_value` and `search` texts;
/// all of them hold together.
async fn list_filters_narrow_together(s: &TestServer, seen: &mut Vec<String>) {
    let (cards, _, total) = rows(&get(s, json!({"ids": [3, 1, 2, 999]})).await);
    assert_eq!((ids(&cards), total), (vec![1, 2, 3], json!(3)));
    let customers = json!([SAMPLE_CLIENT_ID, SAMPLE_CLIENT_ID + 4]);
    let (cards, _, _) = rows(&get(s, json!({ "customer_ids": customers })).await);
    assert_eq!(ids(&cards), [1, 5]);
    for card in &cards {
        assert_eq!(
            card["customer"]["id"].as_i64().unwrap(),
            SAMPLE_CLIENT_ID + card["id"].as_i64().unwrap() - 1
        );
    }
    let (_, _, total) = rows(&get(s, json!({"promo_ids": [CARD_PROMO_ID]})).await);
    assert_eq!(total, CARDS);
    let (none, _, total) = rows(&get(s, json!({"promo_ids": [CARD_PROMO_ID + 1]})).await);
    assert!(none.is_empty());
    assert_eq!(total, 0);
    // Every card is in one group or none; the groups split the cards between them.
    let all = rows(&get(s, json!({"limit": 1000})).await).0;
    let mut by_group = std::collections::BTreeMap::<i64, Vec<i64>>::new();
    for card in &all {
        if let Some(group) = card["group"]["id"].as_i64() {
            by_group
                .entry(group)
                .or_default()
                .push(card["id"].as_i64().unwrap());
        }
    }
    assert!(by_group.len() >= 2, "{by_group:?}");
    for (group, members) in &by_group {
        let (cards, _, total) = rows(&get(s, json!({"group_ids": [group], "limit": 1000})).await);
        assert_eq!(&ids(&cards), members, "group {group}");
        assert_eq!(total, members.len());
    }
    let (group, members) = by_group.iter().next().unwrap();
    let (cards, _, _) =
        rows(&get(s, json!({"group_ids": [group], "ids": [members[0], 999]})).await);
    assert_eq!(ids(&cards), [members[0]]);
    // A card number, whole; with another filter that excludes it, nothing.
    let barcode = (FIRST_CARD_NUMBER + 9).to_string();
    let (cards, _, _) = rows(&get(s, json!({ "barcode_value": barcode })).await);
    assert_eq!(ids(&cards), [10]);
    let (cards, _, _) = rows(&get(s, json!({ "barcode_value": barcode, "ids": [1] })).await);
    assert!(cards.is_empty());
    // The search with an id filter: the text finds the card only among those ids.
    let (cards, _, _) = rows(&get(s, json!({ "search": barcode, "ids": [10, 11] })).await);
    assert_eq!(ids(&cards), [10]);
    let (cards, _, _) = rows(&get(s, json!({ "search": barcode, "ids": [11] })).await);
    assert!(cards.is_empty());
    seen.push(format!("groups {by_group:?}"));
}

/// A list filter is bounded: 500 members are taken, 501 are refused with REGOS's
/// validation code and the reason, as is anything but integers.
async fn list_filters_are_bounded(s: &TestServer, seen: &mut Vec<String>) {
    let many: Vec<i64> = (1..=500).collect();
    for field in ["ids", "customer_ids", "promo_ids", "group_ids"] {
        let (_, _, total) = rows(&get(s, json!({ field: many })).await);
        assert!(total.as_u64().unwrap() <= CARDS as u64, "{field}");
        let (code, why) = refusal(&get(s, json!({ field: (0..=500).collect::<Vec<i64>>() })).await);
        assert_eq!(code, 1008, "{field}");
        assert!(why.contains("at most 500"), "{why}");
        let (code, why) = refusal(&get(s, json!({ field: ["7"] })).await);
        assert_eq!(code, 1008, "{field}");
        assert!(why.contains("integers"), "{why}");
    }
    let (code, why) = refusal(&get(s, json!({"search": "ab"})).await);
    assert_eq!(code, 1008);
    assert!(why.contains("3 to 100"), "{why}");
    let (code, _) = refusal(&get(s, json!({"limit": 1001})).await);
    assert_eq!(code, 1008);
    let uuids: Vec<String> = (0..=500).map(|n| format!("{n:08x}")).collect();
    let (code, why) = refusal(&operations(s, json!({ "uuids": uuids })).await);
    assert_eq!(code, 1008);
    assert!(why.contains("at most 500"), "{why}");
    seen.push("bounded".into());
}

/// Mirrors `RetailCardOperationGet.uuids` (schemas/api/references/retail_card.py): REGOS
/// requires `card_id` and `promo_id` only when `uuids` is absent.
async fn operations_by_uuids(s: &TestServer, seen: &mut Vec<String>) {
    let (card, all) = card_with_operations(s, 3).await;
    let wanted = [all[0]["uuid"].clone(), all[2]["uuid"].clone()];
    let (ops, next, total) = rows(&operations(s, json!({ "uuids": wanted })).await);
    assert_eq!(ops, [all[0].clone(), all[2].clone()]);
    assert_eq!((next, total), (json!(2), json!(2)));
    // Any case, as UUIDs are.
    let upper = wanted[0].as_str().unwrap().to_uppercase();
    let (ops, _, _) = rows(&operations(s, json!({ "uuids": [upper] })).await);
    assert_eq!(ops, [all[0].clone()]);
    // With a card filter too, both hold.
    let other = if card == 1 { 2 } else { 1 };
    let body = json!({"uuids": wanted, "card_id": other, "promo_id": CARD_PROMO_ID});
    assert!(rows(&operations(s, body).await).0.is_empty());
    let body = json!({"uuids": wanted, "card_id": card, "promo_id": CARD_PROMO_ID});
    assert_eq!(rows(&operations(s, body).await).0.len(), 2);
    let (code, why) = refusal(&operations(s, json!({"uuids": ["x'; --"]})).await);
    assert_eq!(code, 1008);
    assert!(why.contains("UUID"), "{why}");
    let (code, why) = refusal(&operations(s, json!({"promo_id": CARD_PROMO_ID})).await);
    assert_eq!(code, 1008);
    assert!(why.contains("card_id is required unless uuids"), "{why}");
    seen.push(format!("uuids of card {card}: {wanted:?}"));
}

/// Every scenario on one server; what each saw, for comparing the stores.
async fn contract(s: &TestServer) -> Vec<String> {
    let mut seen = Vec::new();
    operation_types_are_the_sdks_names(s, &mut seen).await;
    notes_agree_with_types(s, &mut seen).await;
    get_by_id_finds_the_card_and_its_customer(s, &mut seen).await;
    paging_counts_every_match(s, &mut seen).await;
    list_filters_narrow_together(s, &mut seen).await;
    list_filters_are_bounded(s, &mut seen).await;
    operations_by_uuids(s, &mut seen).await;
    seen
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_serves_the_sdks_shapes() {
    let s = sqlite_server().await;
    contract(&s).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_serves_the_sdks_shapes_as_sqlite_does() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let pg = postgres_server(&cluster).await;
    let lite = sqlite_server().await;
    let (a, b) = (contract(&lite).await, contract(&pg).await);
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x, y);
    }
}

/// The console reads operations from REGOS itself and from older servers: the SDK's names
/// (`PromoBonusType`, schemas/api/references/promo_bonus.py), the seed's numbers, and
/// `Default` (or 0) as an operation of no type, which leaves its cell empty rather than
/// losing the page.
#[test]
fn the_console_reads_names_numbers_and_default() {
    use loyalty_console::domain::admin::{CardOperation, OperationKind};
    use loyalty_console::wire::regos::OperationDto;
    let kinds: Vec<Option<OperationKind>> = [
        json!(1),
        json!("Income"),
        json!(2),
        json!("Outcome"),
        json!("Default"),
        json!(0),
        Value::Null,
    ]
    .into_iter()
    .map(|kind| {
        let dto: OperationDto = serde_json::from_value(json!({ "type": kind })).unwrap();
        CardOperation::try_from(dto).unwrap().kind
    })
    .collect();
    use OperationKind::{Income, Outcome};
    assert_eq!(
        kinds,
        [
            Some(Income),
            Some(Income),
            Some(Outcome),
            Some(Outcome),
            None,
            None,
            None
        ]
    );
    let dto: OperationDto = serde_json::from_value(json!({"type": "Refund"})).unwrap();
    assert!(CardOperation::try_from(dto).is_err());
}
