//! Mloyalty's confirmation codes: our adapter against a stub built from what the PyPI
//! client `mloyalty` 0.2.4 sends (mloyalty/client.py `send_verification_code` and
//! `confirm_code`; mloyalty/base.py `_make_request`: a form body, `Authorization: Bearer`
//! with the `managerlogin` JWT; `_check_result`: HTTP 200 and `ErrorCode` 0, else `Message`).
//! The stub refuses anything the client would not send: another path's case, a JSON body,
//! other form keys, another bearer.

use crate::common::stub;
use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use loyalty_console::backend::CodeService;
use loyalty_console::backend::mloyalty::MloyaltyAdapter;
use loyalty_console::config::Secret;
use loyalty_console::domain::codes::{CodeCheck, ConfirmationCode};
use loyalty_console::domain::{Client, ClientId, ErrorKind, Reason, WriteOff};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// Each code call the stub took: (path, its form as pairs).
type Calls = Arc<Mutex<Vec<(String, Vec<(String, String)>)>>>;

const JWT_CLAIMS: &str = r#"{"role":"manager","user":"79000000001","oper":"12","partner":"SHOP","pos":"3","poscode":"A1","permissioncode":"7","exp":4102444800}"#;

fn jwt() -> String {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(JWT_CLAIMS);
    format!("e30.{b64}.c2ln")
}

/// The form of a request as the client posts it, or why it is not one.
fn form_of(headers: &HeaderMap, body: &[u8]) -> Result<Vec<(String, String)>, String> {
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if content_type != "application/x-www-form-urlencoded" {
        return Err(format!("not a form: {content_type}"));
    }
    let auth = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if auth != format!("Bearer {}", jwt()) {
        return Err(format!("not the bearer JWT: {auth}"));
    }
    serde_urlencoded::from_bytes(body).map_err(|e| e.to_string())
}

fn keys(form: &[(String, String)]) -> Vec<&str> {
    form.iter().map(|(k, _)| k.as_str()).collect()
}

fn answer(status: StatusCode, body: &str) -> (StatusCode, String) {
    (status, body.to_string())
}

async fn vendor(calls: Calls) -> String {
    let sends = calls.clone();
    let confirms = calls;
    let app = Router::new()
        .route(
            "/managerlogin",
            post(|body: Bytes| async move {
                let form: BTreeMap<String, String> = serde_urlencoded::from_bytes(&body).unwrap();
                assert_eq!(form["grant_type"], "password");
                axum::Json(serde_json::json!({
                    "access_token": jwt(), "token_type": "bearer", "expires_in": 86400
                }))
            }),
        )
        .route(
            "/api/client/GetSendVerificationCode",
            post(move |headers: HeaderMap, body: Bytes| async move {
                let form = match form_of(&headers, &body) {
                    Ok(form) => form,
                    Err(e) => return answer(StatusCode::BAD_REQUEST, &e),
                };
                sends.lock().unwrap().push(("send".into(), form.clone()));
                if keys(&form) != ["operator", "poscode", "phone"] {
                    return answer(StatusCode::BAD_REQUEST, "form keys");
                }
                match form[2].1.as_str() {
                    "9123456789" => answer(StatusCode::OK, r#"{"ErrorCode":0,"Message":""}"#),
                    _ => answer(
                        StatusCode::OK,
                        "{\"ErrorCode\":3,\"Message\":\"SMS limit \\u001b[31mreached\"}",
                    ),
                }
            }),
        )
        .route(
            "/api/client/GetConfirmCode",
            post(move |headers: HeaderMap, body: Bytes| async move {
                let form = match form_of(&headers, &body) {
                    Ok(form) => form,
                    Err(e) => return answer(StatusCode::BAD_REQUEST, &e),
                };
                confirms
                    .lock()
                    .unwrap()
                    .push(("confirm".into(), form.clone()));
                if keys(&form) != ["phone", "code"] {
                    return answer(StatusCode::BAD_REQUEST, "form keys");
                }
                match form[1].1.as_str() {
                    "1234" => answer(StatusCode::OK, r#"{"ErrorCode":0,"Message":"OK"}"#),
                    "5555" => answer(StatusCode::INTERNAL_SERVER_ERROR, "<html>500</html>"),
                    "6666" => answer(StatusCode::OK, r#"{"Message":"no code"}"#),
                    _ => answer(
                        StatusCode::OK,
                        r#"{"ErrorCode":5,"Message":"Неверный код"}"#,
                    ),
                }
            }),
        );
    stub::serve(app).await
}

async fn adapter(calls: Calls) -> MloyaltyAdapter {
    let url = vendor(calls).await;
    MloyaltyAdapter::new(
        &url,
        "79000000001",
        Secret::new("p"),
        jiff::tz::TimeZone::fixed(jiff::tz::offset(3)),
    )
    .unwrap()
    // The vendor's JWT carries no `token`: the profile gives it.
    .with_ids(Some(5), None)
}

fn client(phone: Option<&str>) -> Client {
    Client {
        id: ClientId(1),
        name: None,
        phone: phone.map(str::to_string),
        email: None,
    }
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The send and the check post exactly the client's forms: the JWT's operator and
/// poscode with the phone as ten digits from 9, then the phone and the code.
#[tokio::test]
async fn the_code_calls_are_the_pypi_clients_forms() {
    let calls = Calls::default();
    let a = adapter(calls.clone()).await;
    let anna = client(Some("+7 912 345-67-89"));
    let sent = a.send_code(&anna, &WriteOff::default()).await.unwrap();
    // Where it went, masked as the console masks a phone.
    assert_eq!(sent.to.as_deref(), Some("+7 *** ***-67-89"));
    let code = ConfirmationCode::new("1234").unwrap();
    assert_eq!(
        a.check_code(&anna, &code).await.unwrap(),
        CodeCheck::Confirmed
    );
    assert_eq!(
        *calls.lock().unwrap(),
        vec![
            (
                "send".to_string(),
                pairs(&[
                    ("operator", "12"),
                    ("poscode", "A1"),
                    ("phone", "9123456789")
                ])
            ),
            (
                "confirm".to_string(),
                pairs(&[("phone", "9123456789"), ("code", "1234")])
            ),
        ]
    );
}

/// `ErrorCode` other than 0: a send is refused in the vendor's words, cleaned; a check is a
/// wrong code. A 500 or an answer without `ErrorCode` confirms nothing. A client without a
/// Russian mobile phone is refused before anything is sent.
#[tokio::test]
async fn what_the_vendor_refuses_confirms_nothing() {
    let calls = Calls::default();
    let a = adapter(calls.clone()).await;
    let e = a
        .send_code(&client(Some("89990000000")), &WriteOff::default())
        .await
        .unwrap_err();
    assert_eq!((e.kind, e.reason), (ErrorKind::Rejected, None), "{e:?}");
    assert!(e.detail.contains("SMS limit"), "{e:?}");
    assert!(!e.detail.contains('\u{1b}'), "cleaned: {e:?}");

    let anna = client(Some("9123456789"));
    let wrong = ConfirmationCode::new("0000").unwrap();
    let e = a.check_code(&anna, &wrong).await.unwrap_err();
    assert_eq!(
        (e.kind, e.reason),
        (ErrorKind::Rejected, Some(Reason::CodeWrong))
    );
    let failing = ConfirmationCode::new("5555").unwrap();
    let e = a.check_code(&anna, &failing).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Server, "{e:?}");
    assert!(
        !e.detail.contains("5555"),
        "the code is in no message: {e:?}"
    );
    let unsaid = ConfirmationCode::new("6666").unwrap();
    let e = a.check_code(&anna, &unsaid).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::BadResponse, "{e:?}");

    let sent_before = calls.lock().unwrap().len();
    for phone in [None, Some("+380 67 123 4567"), Some("+7 495 123-45-67")] {
        let e = a
            .send_code(&client(phone), &WriteOff::default())
            .await
            .unwrap_err();
        assert_eq!(e.reason, Some(Reason::NoPhone), "{phone:?}");
    }
    assert_eq!(calls.lock().unwrap().len(), sent_before, "nothing sent");
}
