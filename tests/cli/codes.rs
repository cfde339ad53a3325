//! Confirmation codes and the points outlook on the command line (`docs/cli.md`):
//! `write-off … --code CODE` against a real `loyalty serve --code-policy always` whose file
//! outbox the test reads as the client's phone would, and `client show --json`'s
//! `expiring` and `pending`. Nothing is written off on any refusal.

use crate::common;

use super::movements::{Shop, json, said};
use loyalty_console::domain::Amount;
use std::path::PathBuf;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_loyalty");

/// `loyalty serve` (as the money tests start it) wanting a code for every write-off, sending
/// them to `outbox/` in its folder, and a profile pointing at it; stdin is never a terminal
/// here.
fn shop() -> Shop {
    let dir = tempfile::tempdir().unwrap();
    let outbox = dir.path().join("outbox");
    let outbox = outbox.to_str().expect("a UTF-8 temporary path").to_string();
    Shop::start_in(dir, &["--code-policy", "always", "--code-outbox", &outbox])
}

impl Shop {
    fn write_off(&self, code: Option<&str>) -> Output {
        let mut args = vec!["write-off", "1234567", "--points", "10", "--yes"];
        if let Some(code) = code {
            args.extend(["--code", code]);
        }
        self.run(&args)
    }

    fn outbox(&self) -> Vec<PathBuf> {
        common::outbox::files(self.dir.path())
    }

    fn journalled(&self) -> usize {
        json(&self.run(&["journal", "--json"]))
            .as_array()
            .unwrap()
            .len()
    }
}

/// The six digits of the only code in the outbox, as the client's phone shows them.
fn code_in(files: &[PathBuf]) -> String {
    let [file] = files else {
        panic!("one code in the outbox: {files:?}")
    };
    common::outbox::code_of(file)
}

fn assert_refused_nothing_written(shop: &Shop, out: &Output, before: &str) {
    assert_eq!(out.status.code(), Some(1), "{}", said(out));
    assert_eq!(shop.points(), before, "nothing was written off");
}

/// No terminal and no `--code`: the code is sent, the command says where and to come
/// back with `--code`, and ends with 1 having written and journalled nothing. Then a
/// wrong code is refused, the sent one goes through once, and used again is refused.
#[test]
fn a_code_is_sent_then_taken_once_and_a_wrong_or_used_one_refused() {
    let shop = shop();
    let before = shop.points();

    let out = shop.write_off(None);
    assert_refused_nothing_written(&shop, &out, &before);
    let text = said(&out);
    assert!(text.contains("--code"), "{text}");
    assert!(text.contains("The code was sent to"), "{text}");
    assert_eq!(shop.journalled(), 0, "a send is no movement: {text}");
    let code = code_in(&shop.outbox());
    assert!(!text.contains(&code), "the code is not printed: {text}");
    // Asked again at once: no second code, the wait in seconds, and the first one kept.
    let out = shop.write_off(None);
    assert_refused_nothing_written(&shop, &out, &before);
    let again = said(&out);
    assert!(again.contains("Another code can be sent in"), "{again}");
    assert!(
        again.contains(" s; the one already sent still works"),
        "{again}"
    );
    assert_eq!(shop.outbox().len(), 1, "{again}");

    let wrong = if code == "000000" { "111111" } else { "000000" };
    let out = shop.write_off(Some(wrong));
    assert_refused_nothing_written(&shop, &out, &before);
    assert!(
        said(&out).contains("That is not the code"),
        "{}",
        said(&out)
    );

    let out = shop.write_off(Some(&code));
    assert_eq!(out.status.code(), Some(0), "{}", said(&out));
    let after = shop.points();
    let spent = |a: &str, b: &str| {
        let n = |s: &str| Amount::parse_decimal(s).unwrap().minor();
        n(a) - n(b)
    };
    assert_eq!(spent(&before, &after), 1_000, "{before} → {after}");
    let journal = json(&shop.run(&["journal", "--json"]));
    let applied = journal
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["outcome"] == "applied")
        .unwrap_or_else(|| panic!("{journal}"));
    assert_eq!(applied["confirmed"], "code", "{journal}");
    let text = journal.to_string();
    assert!(
        !text.contains(&code),
        "the journal never holds the code: {text}"
    );

    let out = shop.write_off(Some(&code));
    assert_refused_nothing_written(&shop, &out, &after);
    assert!(
        said(&out).contains("That code was used already"),
        "{}",
        said(&out)
    );

    // Not a code at all: a usage error, nothing sent.
    let out = shop.write_off(Some("12ab"));
    assert_eq!(out.status.code(), Some(2), "{}", said(&out));
    assert_eq!(shop.points(), after);
}

/// `client show --json` carries what expires soonest and what is not yet spendable, as
/// the server keeps them (the demo's sample has points expiring within days, the client
/// after it points not yet spendable); the human form says them too.
#[test]
fn client_show_says_what_expires_and_what_is_pending() {
    let shop = shop();
    let now = jiff::Timestamp::now();
    let dated = |client: &str, field: &str, amount: &str| {
        let out = shop.run(&["client", "show", client, "--json"]);
        assert_eq!(out.status.code(), Some(0), "{}", said(&out));
        let shown = json(&out);
        let list = shown[field].as_array().unwrap_or_else(|| panic!("{shown}"));
        assert_eq!(list.len(), 1, "{shown}");
        assert_eq!(list[0]["currency"], "points", "{shown}");
        assert_eq!(list[0]["amount"], amount, "{shown}");
        let date: jiff::Timestamp = list[0]["date"].as_str().unwrap().parse().unwrap();
        assert!(date > now, "{field} is ahead: {shown}");
        shown
    };
    let sample = dated("1234567", "expiring", "300.00");
    assert_eq!(
        sample["pending"],
        serde_json::json!([]),
        "none made up: {sample}"
    );
    dated("1234568", "pending", "250.00");
    let text = said(&shop.run(&["client", "show", "1234567"]));
    assert!(text.contains("Points: 300.00 expire on"), "{text}");
    assert!(!text.contains("not spendable"), "{text}");
    let text = said(&shop.run(&["client", "show", "1234568"]));
    assert!(
        text.contains("Points: 250.00 not spendable until"),
        "{text}"
    );
}

/// The live vendor (github.com seed 001's `/ext/api/v1/`, as `tests/fixtures/ext` holds its
/// samples): no `capabilities/`, no `confirmation_code/` (404), a bare 200 to a write-off.
/// Records the paths of the write-offs it took.
async fn live_vendor(write_offs: std::sync::Arc<std::sync::Mutex<Vec<String>>>) -> String {
    use axum::routing::{get, post};
    let app = axum::Router::new()
        .route(
            "/ext/api/v1/clients/1234567/balance/",
            get(|| async { common::stub::json(include_str!("../fixtures/ext/balance.json")) }),
        )
        .route(
            "/ext/api/v1/clients/1234567/coupons/",
            get(|| async { common::stub::json(include_str!("../fixtures/ext/coupons.json")) }),
        )
        .route(
            "/ext/api/v1/clients/1234567/balance/write_off/",
            post(move |uri: axum::http::Uri| async move {
                write_offs.lock().unwrap().push(uri.path().to_string());
                axum::http::StatusCode::OK
            }),
        );
    common::stub::serve(app).await
}

/// A profile whose own policy wants a code where the vendor has none to send: refused
/// with a sentence (nothing sent), or, with `code_fallback = "manager"`, a manager's PIN
/// asked for and then standing in for the code, journalled as such.
#[tokio::test(flavor = "multi_thread")]
async fn where_nothing_can_check_a_code_the_profile_refuses_or_takes_a_pin() {
    let write_offs = std::sync::Arc::default();
    let url = live_vendor(std::sync::Arc::clone(&write_offs)).await;
    let dir = tempfile::tempdir().unwrap();
    let profile = |fallback: &str| {
        std::fs::write(
            dir.path().join("config.toml"),
            format!(
                "default_profile = \"shop\"\n[profiles.shop.ext]\nbase_url = \"{url}\"\ntoken = \"tok\"\ncode_policy = \"always\"\ncode_fallback = \"{fallback}\"\n"
            ),
        )
        .unwrap();
    };
    let run = |args: &[&str]| {
        let mut cmd = Command::new(BIN);
        cmd.env_clear()
            .env("LANG", "en_US.UTF-8")
            .env("BOSS_PIN", "2468")
            .env("LOYALTY_CONFIG", dir.path().join("config.toml"))
            .env("LOYALTY_DATA_DIR", dir.path())
            .env("LOYALTY_STATE_DIR", dir.path().join("state"))
            .stdin(std::process::Stdio::null());
        common::same_clock(&mut cmd);
        cmd.args(["write-off", "1234567", "--points", "10", "--yes"])
            .args(args)
            .output()
            .unwrap()
    };
    profile("refuse");
    let out = run(&[]);
    assert_eq!(out.status.code(), Some(1), "{}", said(&out));
    assert!(
        said(&out).contains("cannot be checked here"),
        "{}",
        said(&out)
    );
    let out = run(&["--code", "123456"]);
    assert_eq!(out.status.code(), Some(1), "{}", said(&out));

    profile("manager");
    let out = run(&[]);
    assert_eq!(out.status.code(), Some(1), "{}", said(&out));
    assert!(said(&out).contains("--pin-env"), "{}", said(&out));
    assert!(write_offs.lock().unwrap().is_empty(), "nothing was sent");

    let out = run(&["--pin-env", "BOSS_PIN"]);
    assert_eq!(out.status.code(), Some(0), "{}", said(&out));
    assert_eq!(write_offs.lock().unwrap().len(), 1);
    let mut cmd = Command::new(BIN);
    cmd.env_clear()
        .env("LOYALTY_CONFIG", dir.path().join("config.toml"))
        .env("LOYALTY_DATA_DIR", dir.path())
        .env("LOYALTY_STATE_DIR", dir.path().join("state"));
    let journal = json(&cmd.args(["journal", "--json"]).output().unwrap());
    assert_eq!(journal.as_array().unwrap().len(), 1, "{journal}");
    assert_eq!(journal[0]["confirmed"], "manager", "{journal}");
}

/// Mloyalty's code calls as its PyPI client makes them (mloyalty 0.2.4,
/// `mloyalty/client.py` `send_verification_code`, `confirm_code`): `managerlogin`, then
/// forms behind the bearer JWT. `1234` is the code; `5555` fails the vendor (HTTP 500);
/// anything else is `ErrorCode` 5. Records each call's path and form.
async fn mloyalty_vendor(calls: std::sync::Arc<std::sync::Mutex<Vec<String>>>) -> String {
    use axum::body::Bytes;
    use axum::http::StatusCode;
    use axum::routing::post;
    use base64::Engine;
    let claims = r#"{"role":"manager","user":"79990000000","oper":"12","partner":"1","pos":"3","poscode":"A1","exp":4102444800}"#;
    let jwt = format!(
        "e30.{}.c2ln",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(claims)
    );
    let (sends, confirms) = (calls.clone(), calls);
    let app = axum::Router::new()
        .route(
            "/managerlogin",
            post(move || async move {
                axum::Json(serde_json::json!({"access_token": jwt, "token_type": "bearer"}))
            }),
        )
        .route(
            "/api/client/GetSendVerificationCode",
            post(move |body: Bytes| async move {
                sends
                    .lock()
                    .unwrap()
                    .push(format!("send {}", String::from_utf8_lossy(&body)));
                (StatusCode::OK, r#"{"ErrorCode":0,"Message":""}"#)
            }),
        )
        .route(
            "/api/client/GetConfirmCode",
            post(move |body: Bytes| async move {
                let form = String::from_utf8_lossy(&body).into_owned();
                confirms.lock().unwrap().push(format!("confirm {form}"));
                if form.ends_with("code=1234") {
                    (StatusCode::OK, r#"{"ErrorCode":0,"Message":"OK"}"#)
                } else if form.ends_with("code=5555") {
                    (StatusCode::INTERNAL_SERVER_ERROR, "<html>500</html>")
                } else {
                    (
                        StatusCode::OK,
                        r#"{"ErrorCode":5,"Message":"Неверный код"}"#,
                    )
                }
            }),
        );
    common::stub::serve(app).await
}

/// `codes = "mloyalty"`: the code is sent and checked through Mloyalty's own calls, and only
/// a code it confirmed lets the write-off go (to `loyalty serve`, without the code). Its
/// refusal, or its failing, writes nothing off.
#[tokio::test(flavor = "multi_thread")]
async fn mloyalty_confirms_the_code_before_the_write_off_goes_without_it() {
    let calls = std::sync::Arc::default();
    let ml = mloyalty_vendor(std::sync::Arc::clone(&calls)).await;
    let dir = tempfile::tempdir().unwrap();
    let (_server, url) = common::spawn_serve(
        Command::new(BIN)
            .env_clear()
            .args([
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--demo",
                "50",
                "--token",
                "tok",
            ])
            .arg("--db")
            .arg(dir.path().join("shop.db")),
    );
    std::fs::write(
        dir.path().join("config.toml"),
        format!(
            "default_profile = \"shop\"\n[profiles.shop.ext]\nbase_url = \"{url}\"\ntoken = \"tok\"\n\
             code_policy = \"always\"\ncodes = \"mloyalty\"\n\
             [profiles.shop.mloyalty]\nbase_url = \"{ml}\"\nusername = \"79990000000\"\npassword = \"p\"\ntoken = 5\n"
        ),
    )
    .unwrap();
    let run = |args: &[&str]| {
        let mut cmd = Command::new(BIN);
        cmd.env_clear()
            .env("LANG", "en_US.UTF-8")
            .env("LOYALTY_CONFIG", dir.path().join("config.toml"))
            .env("LOYALTY_DATA_DIR", dir.path())
            .env("LOYALTY_STATE_DIR", dir.path().join("state"))
            .stdin(std::process::Stdio::null());
        common::same_clock(&mut cmd);
        cmd.args(args).output().unwrap()
    };
    // The client by phone, so that their phone is known to send the code to. The demo is
    // seeded by its count: with 50 clients, 1234568's phone is +7 900 000-87-88.
    let write_off = |code: Option<&str>| {
        let mut args = vec!["write-off", "+7 900 000-87-88", "--points", "10", "--yes"];
        args.extend(code.map(|c| ["--code", c]).into_iter().flatten());
        run(&args)
    };
    let points = || {
        let shown = json(&run(&["client", "show", "1234568", "--json"]));
        shown["balances"]["points"].as_str().unwrap().to_string()
    };
    let before = points();

    let out = write_off(None);
    assert_eq!(out.status.code(), Some(1), "{}", said(&out));
    assert!(
        said(&out).contains("The code was sent to"),
        "{}",
        said(&out)
    );
    let out = write_off(Some("0000"));
    assert_eq!(out.status.code(), Some(1), "{}", said(&out));
    assert!(
        said(&out).contains("That is not the code"),
        "{}",
        said(&out)
    );
    let out = write_off(Some("5555"));
    assert_eq!(out.status.code(), Some(3), "{}", said(&out));
    assert_eq!(points(), before, "nothing was written off");

    let out = write_off(Some("1234"));
    assert_eq!(out.status.code(), Some(0), "{}", said(&out));
    let spent = Amount::parse_decimal(&before).unwrap().minor()
        - Amount::parse_decimal(&points()).unwrap().minor();
    assert_eq!(spent, 1_000);
    assert_eq!(
        *calls.lock().unwrap(),
        [
            "send operator=12&poscode=A1&phone=9000008788",
            "confirm phone=9000008788&code=0000",
            "confirm phone=9000008788&code=5555",
            "confirm phone=9000008788&code=1234",
        ]
    );
    let journal = json(&run(&["journal", "--json"]));
    assert_eq!(journal.as_array().unwrap().len(), 1, "{journal}");
    assert_eq!(journal[0]["confirmed"], "code", "{journal}");
}

/// On a terminal, in Russian at 80x24: the question, then the code sent and asked for
/// (typed without echo, as read off the outbox), and the write-off goes through.
#[test]
fn on_a_terminal_the_code_is_asked_for_again_after_a_slip_and_the_write_off_goes() {
    let shop = shop();
    let before = shop.points();
    let tui = common::tmux::Tmux::shell(shop.dir.path(), "ru_RU.UTF-8", 80, 24);
    tui.wait_for("shell>");
    tui.text(&format!(
        "LOYALTY_CONFIG='{}' TZ=UTC \"$LOYALTY\" write-off 1234567 --points 10; echo \"exit=$?\"",
        shop.dir.path().join("config.toml").display()
    ));
    tui.keys(&["Enter"]);
    tui.wait_for("[y/N]");
    tui.text("д");
    tui.keys(&["Enter"]);
    let screen = tui.wait_for("Код из SMS:");
    assert!(
        screen.contains("Код отправлен на +7 *** ***-56-78"),
        "{screen}"
    );
    let code = code_in(&shop.outbox());
    // A slip of the finger is asked again, not the end of the command (nor of the code).
    tui.text("12ab");
    tui.keys(&["Enter"]);
    tui.wait_for("введите ещё раз");
    tui.text(&code);
    tui.keys(&["Enter"]);
    // The line the shell prints after, not the command line that names it.
    let screen = tui.wait_for("\nexit=");
    assert!(screen.contains("Списано: Баллы 10,00"), "{screen}");
    assert!(screen.contains("\nexit=0"), "{screen}");
    assert!(!screen.contains(&code), "typed without echo: {screen}");
    let spent = Amount::parse_decimal(&before).unwrap().minor()
        - Amount::parse_decimal(&shop.points()).unwrap().minor();
    assert_eq!(spent, 1_000);
}
