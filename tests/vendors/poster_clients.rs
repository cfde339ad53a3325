//! `loyalty serve` against what Poster's official PHP library (github.com/joinposter/api-php)
//! sends, byte for byte: `PosterApiCore::makeApiRequest` puts `format=json` and `token` in
//! the query of every call, GET parameters with them; `PosterApiCore::sendRequest` posts the
//! parameters `json_encode`d with `Content-Type: application/json`. The units are the
//! library's docblocks' (`src/Descriptions.php`, `ClientsAPI::createGroup`/`updateGroup`:
//! `birthday_bonus` "Количество бонусов в копейках").

use crate::common;

use common::{TOKEN, TestServer};
use serde_json::{Value, json};

/// PHP's `json_encode` with its default flags: every character beyond ASCII as `\uXXXX` and
/// `/` as `\/` (joinposter/api-php `src/PosterApiCore.php`, `sendRequest`).
fn php_json_encode(value: &Value) -> String {
    let mut out = String::new();
    for c in serde_json::to_string(value).unwrap().chars() {
        match c {
            '/' => out.push_str("\\/"),
            c if c.is_ascii() => out.push(c),
            c => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    out
}

/// `makeApiRequest($method, 'post', $params)`: the token and format in the query
/// (`prepareGetParams`), the parameters as a JSON body, the library's user agent
/// (joinposter/api-php `src/PosterApiCore.php`).
async fn php_post(s: &TestServer, method: &str, params: Value) -> Value {
    let body = php_json_encode(&params);
    reqwest::Client::new()
        .post(format!(
            "{}/api/{method}?format=json&token={TOKEN}",
            s.url()
        ))
        .header("Content-Type", "application/json")
        .header("Content-Length", body.len().to_string())
        .header("User-Agent", "Poster PHP API Library")
        .body(body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// `makeApiRequest($method, 'get', $params)`: the parameters merged into the query after
/// `format` and `token` (joinposter/api-php `src/PosterApiCore.php`).
async fn php_get(s: &TestServer, method: &str, params: &[(&str, &str)]) -> Value {
    let mut query = vec![("format", "json"), ("token", TOKEN)];
    query.extend_from_slice(params);
    reqwest::Client::new()
        .get(format!("{}/api/{method}", s.url()))
        .query(&query)
        .header("User-Agent", "Poster PHP API Library")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// The group's `birthday_bonus` as `clients.getGroup` answers it (kopecks, a string).
async fn stored_bonus(s: &TestServer, id: &Value) -> Value {
    let id = id.to_string();
    let group = php_get(s, "clients.getGroup", &[("group_id", &id)]).await;
    group["response"]["birthday_bonus"].clone()
}

/// `ClientsAPI::createGroup` (joinposter/api-php `src/Descriptions.php`) with the
/// docblock's kopecks, PHP integers and a Cyrillic name as `json_encode` escapes it.
#[tokio::test]
async fn create_group_takes_the_php_librarys_json_with_kopecks() {
    let s = TestServer::start(5).await;
    let created = php_post(
        &s,
        "clients.createGroup",
        json!({
            "client_groups_name": "Постоянный посетитель / VIP",
            "loyalty_type": 1,
            "client_groups_discount": 10,
            "birthday_bonus": 5000,
            "use_ewallet": 1,
        }),
    )
    .await;
    let id = &created["response"];
    assert!(
        id.is_i64(),
        "the new group's id, as Poster answers: {created}"
    );
    let group = php_get(&s, "clients.getGroup", &[("group_id", &id.to_string())]).await;
    let g = &group["response"];
    assert_eq!(g["client_groups_name"], "Постоянный посетитель / VIP");
    assert_eq!(g["loyalty_type"], "1");
    assert_eq!(g["client_groups_discount"], "10");
    assert_eq!(g["birthday_bonus"], "5000", "5000 kopecks written and read");
    assert_eq!(g["use_ewallet"], "1");
}

/// `ClientsAPI::updateGroup` (joinposter/api-php `src/Descriptions.php`): the id as a PHP
/// integer, the bonus in kopecks. The seed's roubles are read while they keep their decimal
/// point (`"50.00"`, or `50.0` as JSON writers that keep a float's point send it); the docs'
/// own example value `50.00` (joinposter/docs `ru/web/clients/updateGroup.md`) is a PHP float
/// that `json_encode` sends as `50`, which is 50 kopecks, as the docs' table says.
#[tokio::test]
async fn update_group_takes_the_php_librarys_json_and_the_seeds_decimal_roubles() {
    let s = TestServer::start(5).await;
    let created = php_post(
        &s,
        "clients.createGroup",
        json!({
            "client_groups_name": "ДР",
            "loyalty_type": 1,
            "client_groups_discount": 5,
            "birthday_bonus": 0,
        }),
    )
    .await;
    let id = created["response"].clone();
    let update = |bonus: Value| {
        json!({
            "client_groups_id": id.clone(),
            "client_groups_name": "ДР",
            "loyalty_type": 1,
            "client_groups_discount": 7.5,
            "birthday_bonus": bonus,
        })
    };
    let updated = php_post(&s, "clients.updateGroup", update(json!(7550))).await;
    assert_eq!(updated["response"], id, "{updated}");
    assert_eq!(stored_bonus(&s, &id).await, "7550");
    let group = php_get(&s, "clients.getGroup", &[("group_id", &id.to_string())]).await;
    assert_eq!(group["response"]["client_groups_discount"], "7.5");

    php_post(&s, "clients.updateGroup", update(json!(50.0))).await;
    assert_eq!(
        stored_bonus(&s, &id).await,
        "5000",
        "a decimal number is roubles"
    );
    php_post(&s, "clients.updateGroup", update(json!("50.00"))).await;
    assert_eq!(stored_bonus(&s, &id).await, "5000");
    php_post(&s, "clients.updateGroup", update(json!(50))).await;
    assert_eq!(
        stored_bonus(&s, &id).await,
        "50",
        "the docs' 50.00 as json_encode sends it: 50 kopecks"
    );
    php_post(&s, "clients.updateGroup", update(json!("2500"))).await;
    assert_eq!(
        stored_bonus(&s, &id).await,
        "2500",
        "a whole number in a string is kopecks too"
    );
}

/// `ClientsAPI::removeGroup` (joinposter/api-php `src/Descriptions.php`): `group_id` as a
/// PHP integer in a JSON body; Poster answers `true`, and `32` for a group that is gone.
#[tokio::test]
async fn remove_group_takes_the_php_librarys_json() {
    let s = TestServer::start(5).await;
    let created = php_post(
        &s,
        "clients.createGroup",
        json!({
            "client_groups_name": "Временная",
            "loyalty_type": 2,
            "client_groups_discount": 15,
        }),
    )
    .await;
    let id = created["response"].clone();
    let removed = php_post(&s, "clients.removeGroup", json!({ "group_id": id })).await;
    assert_eq!(removed, json!({ "response": true }));
    let again = php_post(&s, "clients.removeGroup", json!({ "group_id": id })).await;
    assert_eq!(again["error"]["code"], 32, "{again}");
}

/// The library sends the token only in the query (`makeApiRequest`, joinposter/api-php
/// `src/PosterApiCore.php`); a wrong one is Poster's error 11 in an HTTP 200, read by the
/// library's `json_decode` like any answer.
#[tokio::test]
async fn the_token_travels_in_the_query_and_a_wrong_one_is_error_11() {
    let s = TestServer::start(5).await;
    let r = reqwest::Client::new()
        .post(format!(
            "{}/api/clients.createGroup?format=json&token=wrong",
            s.url()
        ))
        .header("Content-Type", "application/json")
        .body(php_json_encode(&json!({
            "client_groups_name": "x",
            "loyalty_type": 2,
            "client_groups_discount": 1,
        })))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let answer: Value = r.json().await.unwrap();
    assert_eq!(answer["error"]["code"], 11, "{answer}");
    let missing = reqwest::Client::new()
        .get(format!("{}/api/clients.getGroups?format=json", s.url()))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(missing["error"]["code"], 10, "{missing}");
}

/// The library has no wrapper for `clients.getClientsAccumulations` or `getPromotions`:
/// `makeApiRequest` is its path (joinposter/api-php `src/PosterApiCore.php`), with `num` and
/// `offset` in the query. Money comes as kopecks in strings, as
/// joinposter/docs `ru/web/clients/getClientsAccumulations.md` shows (`"product_sum":"1476"`).
#[tokio::test]
async fn accumulations_and_promotions_answer_the_librarys_get() {
    let s = TestServer::start(30).await;
    let page = php_get(
        &s,
        "clients.getClientsAccumulations",
        &[("num", "2"), ("offset", "0")],
    )
    .await;
    let rows = page["response"].as_array().expect("an array of rows");
    assert!(!rows.is_empty(), "{page}");
    let clients: std::collections::HashSet<_> =
        rows.iter().map(|r| r["client_id"].clone()).collect();
    assert_eq!(clients.len(), 2, "num counts clients: {page}");
    for row in rows {
        let sum = row["product_sum"].as_str().expect("a string");
        assert!(
            !sum.is_empty() && sum.bytes().all(|b| b.is_ascii_digit()),
            "whole kopecks: {row}"
        );
    }
    let promotions = php_get(&s, "clients.getPromotions", &[]).await;
    let first = &promotions["response"][0];
    assert!(first["promotion_id"].is_string() && first["name"].is_string());
}

/// The seed's own form (seed 003: a form body, `birthday_bonus` `50.00` in roubles) is still
/// read as it was meant.
#[tokio::test]
async fn the_seeds_form_with_roubles_is_still_read() {
    let s = TestServer::start(5).await;
    let created: Value = reqwest::Client::new()
        .post(format!(
            "{}/api/clients.createGroup?format=json&token={TOKEN}",
            s.url()
        ))
        .form(&[
            ("client_groups_name", "Постоянный посетитель"),
            ("loyalty_type", "1"),
            ("client_groups_discount", "10"),
            ("birthday_bonus", "50.00"),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(stored_bonus(&s, &created["response"]).await, "5000");
}

/// A JSON object posted with a form's content type (what `curl -d '{…}'` sends) is read as
/// the JSON it is: no Poster field name starts with `{`.
#[tokio::test]
async fn a_json_object_posted_as_a_form_is_read_as_json() {
    let s = TestServer::start(5).await;
    let created: Value = reqwest::Client::new()
        .post(format!(
            "{}/api/clients.createGroup?format=json&token={TOKEN}",
            s.url()
        ))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(r#" {"client_groups_name":"curl","loyalty_type":1,"client_groups_discount":3,"birthday_bonus":120}"#)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        stored_bonus(&s, &created["response"]).await,
        "120",
        "{created}"
    );
}
