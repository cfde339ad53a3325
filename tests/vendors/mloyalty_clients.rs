//! Mloyalty's own clients against `loyalty serve`: the PyPI package `mloyalty` 0.2.4 run
//! through its own code path (when `.ci/run` has installed it), and contract tests that pin
//! how the vendor's ASP.NET Web API binds what the clients send (Json.NET: property names in
//! any case, numbers as strings, form bodies; routes in any case).
//!
//! The clients mirrored: github.com/igorexa256/mloyalty-api `src/base.ts` (JSON bodies with
//! a lower-case `token` taken from the JWT's `token` claim) and the PyPI package `mloyalty`
//! 0.2.4, `mloyalty/base.py` (forms with lower-case keys; the JWT claims `oper`, `partner`,
//! `pos`, `poscode` and `exp` read in `get_request_params`).

use crate::common;
use crate::common::requests;

use common::{MANAGER, PASSWORD, TestServer};
use serde_json::{Value, json};
use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// A period that holds every demo client.
const FIRST_DAY: &str = "2000-01-01";
const LAST_DAY: &str = "2099-12-31";

/// Logs in as the manager with the form the clients post, at `path`; the access and
/// refresh tokens.
async fn login(http: &reqwest::Client, base: &str, path: &str) -> (String, String) {
    let url = format!("{base}{path}");
    let r = requests::password_login(http, &url, MANAGER, PASSWORD)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{path}");
    let answer: Value = r.json().await.unwrap();
    (
        answer["access_token"].as_str().unwrap().to_string(),
        answer["refresh_token"].as_str().unwrap().to_string(),
    )
}

/// The claims of a JWT, as the clients read them (unverified).
fn claims(jwt: &str) -> Value {
    use base64::Engine;
    let payload = jwt.split('.').nth(1).unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

/// `ClientInfoPeriod` at `path` with a JSON body: the status and the answer.
async fn period_json(http: &reqwest::Client, url: &str, jwt: &str, body: &Value) -> (u16, Value) {
    let r = http
        .post(url)
        .bearer_auth(jwt)
        .json(body)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

/// The same with a form body.
async fn period_form(
    http: &reqwest::Client,
    url: &str,
    jwt: &str,
    form: &[(&str, &str)],
) -> (u16, Value) {
    let r = http
        .post(url)
        .bearer_auth(jwt)
        .form(form)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

/// The answer's clients, after checking it is a success.
fn clients(answer: &(u16, Value)) -> Vec<Value> {
    assert_eq!(answer.0, 200, "{}", answer.1);
    assert_eq!(answer.1["ErrorCode"], 0, "{}", answer.1);
    answer.1["Clients"].as_array().unwrap().clone()
}

/// A year whose `Reg` preset holds about half the demo's clients whatever the day: the
/// demo registers its clients over the 400 days before `now`, and the year 200 days back
/// overlaps them by 200 days at least (this year's preset holds none on January 1).
fn preset_year(now: jiff::Timestamp) -> i16 {
    (now - jiff::SignedDuration::from_hours(200 * 24))
        .to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(3)))
        .year()
}

/// The seed's request, with `Token` and `Operator` as the console sends them.
fn seed_body() -> Value {
    json!({"BegDate": FIRST_DAY, "EndDate": LAST_DAY, "Token": 1001, "Operator": 1})
}

/// igorexa256/mloyalty-api `src/base.ts`, `request`: the body gets `body.token =
/// this.token`, in lower case, the JWT's `token` claim as it was decoded (a number from
/// `loyalty serve`, a string from a .NET server that writes claims as strings).
#[tokio::test]
async fn a_lower_case_token_binds_as_the_typescript_client_sends_it() {
    let s = TestServer::start(15).await;
    let http = reqwest::Client::new();
    let (jwt, _) = login(&http, &s.url(), "/managerlogin").await;
    let token = claims(&jwt)["token"].clone();
    assert_eq!(
        token,
        json!(1001),
        "the client copies this claim into the body"
    );
    let url = format!("{}/api/client/ClientInfoPeriod", s.url());
    let expected = clients(&period_json(&http, &url, &jwt, &seed_body()).await);
    assert_eq!(expected.len(), 15);
    for token in [token, json!("1001")] {
        let body =
            json!({"Operator": 1, "BegDate": FIRST_DAY, "EndDate": LAST_DAY, "token": token});
        let answer = period_json(&http, &url, &jwt, &body).await;
        assert_eq!(clients(&answer), expected, "token {token}");
    }
    // A token that is not the JWT's is still refused, in whatever case it comes.
    let wrong = json!({"BegDate": FIRST_DAY, "EndDate": LAST_DAY, "TOKEN": "5", "operator": 1});
    let (status, answer) = period_json(&http, &url, &jwt, &wrong).await;
    assert_eq!(
        (status, answer["ErrorCode"].clone()),
        (200, json!(3)),
        "{answer}"
    );
}

/// Json.NET binds a string holding a number to a `long`, and names in any case: every
/// integer of the body as a string, every name in another case, gives the same answer.
/// Mirrors the JSON the TypeScript client (igorexa256/mloyalty-api `src/base.ts`) passes
/// through from its caller.
#[tokio::test]
async fn numeric_strings_and_names_in_any_case_bind_as_json_net_binds_them() {
    let s = TestServer::start(30).await;
    let http = reqwest::Client::new();
    let (jwt, _) = login(&http, &s.url(), "/managerlogin").await;
    let url = format!("{}/api/client/ClientInfoPeriod", s.url());
    let year = preset_year(s.anchor);
    let by_numbers = json!({"Reg": {"Year": year}, "RegPosList": 2, "Token": 1001, "Operator": 1});
    let expected = clients(&period_json(&http, &url, &jwt, &by_numbers).await);
    assert!(
        !expected.is_empty(),
        "the demo registers clients at point 2 in {year}"
    );
    assert!(expected.iter().all(|c| c["RegPos"] == 2), "{expected:?}");
    let by_strings = json!({
        "reg": {"YEAR": year.to_string(), "today": "false"}, "regposlist": " 2 ",
        "token": "1001", "OPERATOR": "1", "NotAField": [1, {"x": null}]
    });
    assert_eq!(
        clients(&period_json(&http, &url, &jwt, &by_strings).await),
        expected
    );
    // Given twice in two cases, the later one binds, as Json.NET sets a property once per
    // occurrence.
    let twice =
        json!({"Reg": {"Year": year}, "RegPosList": 2, "Token": 5, "token": 1001, "Operator": 1});
    let twice = serde_json::to_string(&twice).unwrap();
    let r = http
        .post(&url)
        .bearer_auth(&jwt)
        .header("content-type", "application/json")
        .body(twice)
        .send()
        .await
        .unwrap();
    let answer: Value = r.json().await.unwrap();
    assert_eq!(answer["ErrorCode"], 0, "{answer}");
    // A string that is not a number is refused with a reason, not a panic.
    let bad = json!({"Reg": {"Year": year}, "Token": "ten", "Operator": 1});
    let (status, answer) = period_json(&http, &url, &jwt, &bad).await;
    assert_eq!(
        (status, answer["ErrorCode"].clone()),
        (200, json!(2)),
        "{answer}"
    );
    assert!(
        answer["Message"]
            .as_str()
            .unwrap()
            .contains("not an integer"),
        "{answer}"
    );
}

/// The PyPI `mloyalty` 0.2.4 client posts every call as a form with lower-case keys
/// (`mloyalty/base.py`, `_make_request`: `requests.request(..., data=params)`;
/// `mloyalty/client.py` builds `{'operator': ..., 'phone': ...}`), and logs in with one
/// (`get_access_token`, `refresh_token`).
#[tokio::test]
async fn form_bodies_with_lower_case_keys_bind_as_the_pypi_client_posts_them() {
    let s = TestServer::start(20).await;
    let http = reqwest::Client::new();
    let (jwt, refresh) = login(&http, &s.url(), "/managerlogin").await;
    let url = format!("{}/api/client/ClientInfoPeriod", s.url());
    let expected = clients(&period_json(&http, &url, &jwt, &seed_body()).await);
    let form = [
        ("token", "1001"),
        ("operator", "1"),
        ("begdate", FIRST_DAY),
        ("enddate", LAST_DAY),
    ];
    assert_eq!(
        clients(&period_form(&http, &url, &jwt, &form).await),
        expected
    );
    // A preset as ASP.NET's form binders read nested properties.
    let year = preset_year(s.anchor).to_string();
    let by_json = json!({"Reg": {"Year": year}, "Token": 1001, "Operator": 1});
    let in_year = clients(&period_json(&http, &url, &jwt, &by_json).await);
    assert!(!in_year.is_empty(), "{year}");
    for key in ["reg.year", "Reg[Year]"] {
        let form = [("token", "1001"), ("operator", "1"), (key, year.as_str())];
        let answer = period_form(&http, &url, &jwt, &form).await;
        assert_eq!(clients(&answer), in_year, "{key}");
    }
    // The refresh grant, as `refresh_token` in mloyalty/base.py posts it.
    let r = http
        .post(format!("{}/managerlogin", s.url()))
        .form(&[("grant_type", "refresh_token"), ("refresh_token", &refresh)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let renewed: Value = r.json().await.unwrap();
    let renewed = renewed["access_token"].as_str().unwrap();
    assert_eq!(
        clients(&period_form(&http, &url, renewed, &form).await),
        expected
    );
}

/// mloyalty/base.py `get_request_params` reads `params['oper']`, `params['partner']`,
/// `params['pos']`, `params['poscode']` (a KeyError if one is missing) and
/// `datetime.fromtimestamp(params['exp'])`; the package's own tests
/// (`tests/test_mloyalty.py`) expect the operator, the partner and the point's code to be
/// set. The partner is the vendor's `PartnerID`, a number (igorexa256/mloyalty-api
/// `src/partner/types.ts`).
#[tokio::test]
async fn the_jwt_carries_the_claims_the_pypi_client_reads() {
    for without_token in [false, true] {
        let s = TestServer::start_with(1, |st| {
            if without_token {
                st.with_jwt_without_token()
            } else {
                st
            }
        })
        .await;
        let http = reqwest::Client::new();
        let (jwt, _) = login(&http, &s.url(), "/managerlogin").await;
        let c = claims(&jwt);
        assert_eq!(c["oper"], 1, "{c}");
        let partner = c["partner"].as_str().unwrap();
        assert!(partner.parse::<i64>().is_ok_and(|p| p > 0), "{c}");
        assert!(c["pos"].as_str().unwrap().parse::<i64>().is_ok(), "{c}");
        assert!(!c["poscode"].as_str().unwrap().is_empty(), "{c}");
        assert!(c["exp"].as_i64().unwrap() > s.anchor.as_second(), "{c}");
        assert_eq!(c.get("token").is_some(), !without_token, "{c}");
    }
}

/// ASP.NET routes match in any case; igorexa256/mloyalty-api `src/base.ts` posts
/// `baseURL + 'managerlogin'`, the vendor's documents spell it `ManagerLogin`. Only
/// Mloyalty's routes: Poster's stay as Poster spells them. A path of the vendor's that
/// `loyalty serve` does not serve (mloyalty/client.py `api/client/ClientInfo`) gets the
/// vendor's 404.
#[tokio::test]
async fn mloyalty_routes_match_in_any_case_and_only_they() {
    let s = TestServer::start(5).await;
    let http = reqwest::Client::new();
    let base = s.url();
    let mut jwt = String::new();
    for path in ["/ManagerLogin", "/MANAGERLOGIN", "/managerLogin/"] {
        jwt = login(&http, &base, path).await.0;
    }
    for path in [
        "/api/Client/ClientInfoPeriod",
        "/API/CLIENT/CLIENTINFOPERIOD",
        "/api/client/clientinfoperiod/",
    ] {
        let answer = period_json(&http, &format!("{base}{path}"), &jwt, &seed_body()).await;
        assert_eq!(clients(&answer).len(), 5, "{path}");
    }
    // Without the JWT, in another case too: the vendor's 401.
    let r = http
        .post(format!("{base}/Api/Client/ClientInfoPeriod"))
        .json(&seed_body())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let r = http
        .get(format!("{base}/api/Client/ClientInfoPeriod"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 405);
    assert_eq!(r.headers()["allow"], "POST");
    let answer: Value = r.json().await.unwrap();
    assert!(
        answer["Message"].as_str().unwrap().contains("'GET'"),
        "{answer}"
    );
    for path in [
        "/api/client/ClientInfo",
        "/api/Values/UserInfo",
        "/api/site/GetPoses",
    ] {
        let r = http
            .post(format!("{base}{path}"))
            .bearer_auth(&jwt)
            .form(&[("operator", "1")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 404, "{path}");
        let answer: Value = r.json().await.unwrap();
        let message = answer["Message"].as_str().unwrap();
        assert!(
            message.starts_with("No HTTP resource was found") && message.contains(path),
            "{answer}"
        );
    }
    // Poster's routes keep their case: another spelling is the server's own 404.
    let poster = format!("{base}/api/clients.getGroups?token={}", common::TOKEN);
    assert_eq!(http.get(&poster).send().await.unwrap().status(), 200);
    let r = http
        .get(format!(
            "{base}/api/Clients.getGroups?token={}",
            common::TOKEN
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let answer: Value = r.json().await.unwrap();
    assert!(answer.get("Message").is_none(), "{answer}");
}

/// A body over the limit is refused on every spelling of a route, in the vendor's shape.
#[tokio::test]
async fn bodies_stay_bounded_on_every_spelling_of_a_route() {
    let s = TestServer::start(1).await;
    let http = reqwest::Client::new();
    let (jwt, _) = login(&http, &s.url(), "/managerlogin").await;
    let big = format!("token=1001&operator=1&x={}", "a".repeat(70 * 1024));
    for path in [
        "/api/client/ClientInfoPeriod",
        "/API/client/ClientInfoPeriod",
        "/ManagerLogin",
    ] {
        let r = http
            .post(format!("{}{path}", s.url()))
            .bearer_auth(&jwt)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(big.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 413, "{path}");
        let answer: Value = r.json().await.unwrap();
        assert!(answer["Message"].is_string(), "{path}: {answer}");
    }
}

/// The venv's python with the PyPI client, made by `.ci/run`; `None` (and a loud message)
/// when it is missing, unless the run requires it (`LOYALTY_REQUIRE_CLIENTS`, set by
/// `.ci/run`, or `CI`): the runner swallows a skipped test's message, and the client would
/// go untried.
fn client_python() -> Option<PathBuf> {
    let python = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/pyclients/bin/python");
    if python.exists() {
        return Some(python);
    }
    let required = ["CI", "LOYALTY_REQUIRE_CLIENTS"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|v| !v.is_empty()));
    assert!(
        !required,
        "no {} with the PyPI mloyalty client, and this run requires it (.ci/run makes it)",
        python.display()
    );
    eprintln!(
        "\n*** SKIPPED: no {} with the PyPI mloyalty client (.ci/run makes it) ***\n",
        python.display()
    );
    None
}

/// A `loyalty serve` process over a database in `dir` whose Mloyalty manager is
/// [`MANAGER`] with [`PASSWORD`], with the serve flags `extra`; killed when dropped.
fn served_to_the_manager(dir: &std::path::Path, extra: &[&str]) -> (common::Reaped, String) {
    let mut serve = Command::new(env!("CARGO_BIN_EXE_loyalty"));
    serve
        .env_clear()
        .env("LOYALTY_MANAGER_PASSWORD", PASSWORD)
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--manager-user",
            MANAGER,
        ])
        .args(extra)
        .arg("--db")
        .arg(dir.join("shop.db"));
    common::same_clock(&mut serve);
    common::spawn_serve(&mut serve)
}

/// The PyPI `mloyalty` 0.2.4 client against a `loyalty serve` process, through its own
/// code: `get_request_params` (login, the JWT's claims), `_make_request` (the form it
/// posts, ClientInfoPeriod by dates and by a `Reg` preset), `refresh_token`, and a call the
/// server does not serve (`get_client_info`). What it returned is checked against what the
/// server answers the seed's JSON request. The script: tests/clients/mloyalty_client.py.
#[tokio::test]
async fn the_pypi_client_logs_in_reads_registrations_and_renews() {
    let Some(python) = client_python() else {
        return;
    };
    const DEMO: usize = 25;
    let dir = tempfile::tempdir().unwrap();
    let (_server, url) = served_to_the_manager(dir.path(), &["--demo", &DEMO.to_string()]);

    let year = preset_year(jiff::Timestamp::now()).to_string();
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/clients/mloyalty_client.py");
    let mut run = Command::new(&python);
    run.env_clear()
        .env("MLOYALTY_USERNAME", MANAGER)
        .env("MLOYALTY_PASSWORD", PASSWORD)
        .env("MLOYALTY_BASE_URL", &url)
        // The client keeps its tokens in ./db.json.
        .current_dir(dir.path())
        .arg(&script)
        .args([FIRST_DAY, LAST_DAY, &year])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    common::same_clock(&mut run);
    let mut client = common::Reaped::new(run.spawn().expect("python runs"));
    let (mut out, mut err) = (String::new(), String::new());
    client
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    client
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let status = client.wait().unwrap();
    assert!(status.success(), "the client failed:\n{err}\n{out}");
    let got: Value = serde_json::from_str(out.trim()).unwrap_or_else(|e| panic!("{e}: {out}"));

    // What the client read from the JWT and sends with every call.
    let params = &got["params"];
    assert_eq!(params["operator_id"], 1, "{params}");
    assert_eq!(params["partner_id"], "1", "{params}");
    assert_eq!(params["pos_id"], "0", "{params}");
    assert_eq!(params["pos_code"], "0", "{params}");

    // The same periods asked the seed's way, in JSON.
    let http = reqwest::Client::new();
    let (jwt, _) = login(&http, &url, "/managerlogin").await;
    let period = format!("{url}/api/client/ClientInfoPeriod");
    let all = clients(&period_json(&http, &period, &jwt, &seed_body()).await);
    assert_eq!(
        all.len(),
        DEMO,
        "every demo client is registered in the period"
    );
    let by_year = json!({"Reg": {"Year": year}, "Token": 1001, "Operator": 1});
    let in_year = clients(&period_json(&http, &period, &jwt, &by_year).await);
    assert!(!in_year.is_empty(), "{year}");
    assert_eq!(got["dates"]["ErrorCode"], 0, "{}", got["dates"]);
    assert_eq!(got["dates"]["Clients"], json!(all));
    assert_eq!(got["preset"]["Clients"], json!(in_year));
    assert_eq!(got["after_refresh"]["Clients"], json!(all));
    // Not served: the vendor's answer to an unknown route, which the client raises.
    assert_eq!(got["unserved"]["status"], 404, "{}", got["unserved"]);
    let message = got["unserved"]["body"]["Message"].as_str().unwrap();
    assert!(message.contains("api/client/ClientInfo"), "{message}");
    // The script prints no token (every JWT begins with `eyJ`, the encoding of `{"`).
    assert!(!out.contains("eyJ"), "the client's output holds a JWT");
}

/// Guessing the manager's password through another spelling of a route costs what it costs
/// through the vendor's: the refusals of every spelling count against the same peer, and
/// once its ten are spent the next refusal is held back and says so.
#[tokio::test]
async fn refusals_are_slowed_on_every_spelling_of_a_route() {
    let s = TestServer::start(1).await;
    let http = reqwest::Client::new();
    let guess = |path: &'static str| {
        let request = if path.ends_with("ClientInfoPeriod") {
            http.post(format!("{}{path}", s.url()))
                .bearer_auth("forged")
                .json(&seed_body())
        } else {
            http.post(format!("{}{path}", s.url())).form(&[
                ("username", MANAGER),
                ("password", "guess"),
                ("grant_type", "password"),
            ])
        };
        async move {
            let r = request.send().await.unwrap();
            (r.status().as_u16(), r.headers().contains_key("retry-after"))
        }
    };
    for i in 0..10 {
        let path = ["/ManagerLogin", "/API/Client/ClientInfoPeriod"][i % 2];
        let (status, held) = guess(path).await;
        assert!(status == 400 || status == 401, "{path}: {status}");
        assert!(!held, "refusal {i} at {path} was held");
    }
    let (status, held) = guess("/MANAGERLOGIN/").await;
    assert_eq!((status, held), (400, true));
}

/// The PyPI `mloyalty` 0.2.4 client's own `send_verification_code` and `confirm_code`
/// (mloyalty/client.py; posted by `base.py` `_make_request` as forms with the manager's JWT,
/// answers judged by `_check_result`: HTTP 200 and `ErrorCode` 0) against a `loyalty serve`
/// process with `--code-outbox`: the code the client is sent (read from the outbox) is
/// confirmed once; a wrong one and a second use are the vendor's refusals, an HTTP 200 with
/// a non-zero `ErrorCode` that the client raises. The script: tests/clients/mloyalty_codes.py.
#[tokio::test]
async fn the_pypi_client_sends_and_confirms_a_code() {
    let Some(python) = client_python() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let outbox = dir.path().join("outbox");
    let (server, url) = served_to_the_manager(
        dir.path(),
        &["--demo", "3", "--code-outbox", outbox.to_str().unwrap()],
    );

    // A demo client's phone as the client's docstring asks for it: ten digits from 9 (the
    // seed's sample client has the seed's short number; the next has a whole one).
    let http = reqwest::Client::new();
    let (jwt, _) = login(&http, &url, "/managerlogin").await;
    let clients: Value = http
        .get(format!("{url}/ext/api/v1/clients/?limit=2"))
        .bearer_auth(&jwt)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let phone: String = clients[1]["phone"]
        .as_str()
        .unwrap()
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let phone = phone[phone.len() - 10..].to_string();
    assert!(phone.starts_with('9'), "{phone}");

    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/clients/mloyalty_codes.py");
    let mut run = Command::new(&python);
    run.env_clear()
        .env("MLOYALTY_USERNAME", MANAGER)
        .env("MLOYALTY_PASSWORD", PASSWORD)
        .env("MLOYALTY_BASE_URL", &url)
        .current_dir(dir.path())
        .arg(&script)
        .arg(&phone)
        .arg(&outbox)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    common::same_clock(&mut run);
    let out = run.output().expect("python runs");
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(
        out.status.success(),
        "the client failed:\n{stderr}\n{stdout}\n{}",
        server.said()
    );
    let got: Value =
        serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    assert_eq!(got["sent"]["ErrorCode"], 0, "{got}");
    let to = got["sent"]["Message"].as_str().unwrap();
    assert!(to.contains(&phone[phone.len() - 2..]), "{to}");
    for (name, raised) in [("wrong", true), ("right", false), ("again", true)] {
        assert_eq!(got[name]["raised"], raised, "{name}: {got}");
    }
    assert_eq!(got["right"]["body"]["ErrorCode"], 0);
    for name in ["wrong", "again"] {
        assert_eq!(got[name]["status"], 200, "{name}: {got}");
        assert_ne!(got[name]["body"]["ErrorCode"], 0, "{name}: {got}");
        assert!(got[name]["body"]["Message"].is_string(), "{name}: {got}");
    }
    let again = got["again"]["body"]["Message"].as_str().unwrap();
    assert!(again.contains("used"), "{again}");
}
