//! Money both ways on the command line (`docs/cli.md`): `write-off` with a
//! receipt and a manager's PIN, `reverse`, `shift report`, and what `journal --json` and
//! `client history --json` say of each movement, with every exit code: 0 done, 1 refused
//! (nothing changed), 2 usage or config, 3 not done (proved), 4 unknown. The real binary;
//! the server's side against a real `loyalty serve`. The failures half-way are in
//! `tests/money/reversals.rs`.

use crate::common;

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_loyalty");
/// The manager's PIN the tests give in `BOSS_PIN`.
/// Eight digits: the checks that no PIN is written anywhere would take a shorter one, turning
/// up by chance in a random idempotency key or a timestamp, for a leak.
const PIN: &str = "24681357";

/// The binary with nothing of this machine's environment but an English UI in UTC, the
/// manager's PIN in `BOSS_PIN` and a wrong one in `WRONG_PIN`.
fn loyalty(dir: &Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env_clear()
        .env("LANG", "en_US.UTF-8")
        .env("TZ", "UTC")
        .env("BOSS_PIN", PIN)
        .env("WRONG_PIN", "1357")
        .env("LOYALTY_CONFIG", dir.join("config.toml"))
        .env("LOYALTY_DATA_DIR", dir)
        .env("LOYALTY_STATE_DIR", dir.join("state"));
    common::same_clock(&mut cmd);
    cmd
}

pub(super) fn run(dir: &Path, args: &[&str]) -> Output {
    loyalty(dir).args(args).output().unwrap()
}

pub(super) fn said(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

pub(super) fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", said(out)))
}

/// A profile whose ext provider is at `url` (a port nobody listens on, for what must fail
/// before anything is sent).
fn profile(dir: &Path, url: &str) {
    std::fs::write(
        dir.join("config.toml"),
        format!("default_profile = \"shop\"\n[profiles.shop.ext]\nbase_url = \"{url}\"\ntoken = \"tok\"\n"),
    )
    .unwrap();
}

/// A profile with no client provider (Poster only): the shift report is the journal's.
fn journal_only_profile(dir: &Path) {
    std::fs::write(
        dir.join("config.toml"),
        "default_profile = \"back\"\n[profiles.back.poster]\nbase_url = \"http://127.0.0.1:9\"\ntoken = \"tok\"\n",
    )
    .unwrap();
}

/// Nobody listens on the discard port: a command that reached out would fail with 3.
const NOWHERE: &str = "http://127.0.0.1:9";

fn journal(dir: &Path, lines: &[&str]) {
    std::fs::write(dir.join("journal.jsonl"), lines.join("\n") + "\n").unwrap();
}

/// A write-off with a receipt the server numbered 41, one given back in part (a reversal of
/// 41 with a manager's PIN), a write-off before numbers whose outcome is unknown, and one
/// made through holds, as the journal writes them.
const LINES: [&str; 11] = [
    r#"{"event":"attempt","at":"2026-03-02T09:00:00Z","key":"w1-cli","profile":"shop","user":"anna","client":1234567,"kind":"write_off","points":"10","coupons":[1235],"receipt":"A-17","receipt_total":"1500"}"#,
    r#"{"event":"outcome","at":"2026-03-02T09:00:01Z","key":"w1-cli","client":1234567,"outcome":"applied","operation":41}"#,
    r#"{"event":"attempt","at":"2026-03-02T09:10:00Z","key":"r1-cli","profile":"shop","user":"anna","client":1234567,"kind":"reversal","reason":"mistake","points":"2.5","coupons":[],"original":41,"why":"mistake","manager":true}"#,
    r#"{"event":"outcome","at":"2026-03-02T09:10:01Z","key":"r1-cli","client":1234567,"outcome":"applied","operation":42}"#,
    r#"{"event":"attempt","at":"2026-03-02T09:20:00Z","key":"w2-cli","profile":"shop","user":"boris","client":1234567,"points":"3"}"#,
    r#"{"event":"outcome","at":"2026-03-02T09:20:01Z","key":"w2-cli","client":1234567,"outcome":"unknown","detail":"timed out"}"#,
    r#"{"event":"attempt","at":"2026-03-02T09:30:00Z","key":"h1-cli","profile":"shop","user":"anna","client":1234567,"points":"5"}"#,
    r#"{"event":"transaction","at":"2026-03-02T09:30:01Z","key":"h1-cli","client":1234567,"step":"held","transaction_id":"t-1"}"#,
    r#"{"event":"transaction","at":"2026-03-02T09:30:02Z","key":"h1-cli","client":1234567,"step":"written_off","transaction_id":"t-1"}"#,
    r#"{"event":"outcome","at":"2026-03-02T09:30:03Z","key":"h1-cli","client":1234567,"outcome":"applied"}"#,
    r#"{"event":"attempt","at":"2026-03-02T09:40:00Z","key":"d1-cli","profile":"shop","user":"anna","client":1234567,"points":"1"}"#,
];

/// `journal --json` names each movement by the server's number once an answer gave one,
/// by its key otherwise, with its kind, receipt, reason and original; the table shows the
/// kind and the receipt.
#[test]
fn the_journal_names_each_movement_by_number_or_key_with_kind_and_receipt() {
    let dir = tempfile::tempdir().unwrap();
    profile(dir.path(), NOWHERE);
    journal(dir.path(), &LINES);
    let out = run(dir.path(), &["journal", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", said(&out));
    let rows = json(&out);
    let by_key = |key: &str| {
        rows.as_array()
            .unwrap()
            .iter()
            .find(|r| r["key"] == key)
            .unwrap_or_else(|| panic!("{key}: {rows}"))
            .clone()
    };
    let w1 = by_key("w1-cli");
    assert_eq!(
        (w1["id"].as_str(), w1["kind"].as_str()),
        (Some("41"), Some("write_off"))
    );
    assert_eq!(
        w1["receipt"],
        serde_json::json!({"number": "A-17", "total": "1500.00"})
    );
    let r1 = by_key("r1-cli");
    assert_eq!(
        (r1["id"].as_str(), r1["kind"].as_str()),
        (Some("42"), Some("reversal"))
    );
    assert_eq!(
        (r1["original"].as_str(), r1["reason"].as_str()),
        (Some("41"), Some("mistake"))
    );
    assert_eq!(r1["manager"], true);
    let w2 = by_key("w2-cli");
    assert_eq!(
        (w2["id"].as_str(), w2["outcome"].as_str()),
        (Some("w2-cli"), Some("unknown"))
    );
    assert!(w2["receipt"].is_null() && w2["reason"].is_null(), "{w2}");

    let out = run(dir.path(), &["journal"]);
    let table = said(&out);
    assert_eq!(out.status.code(), Some(0), "{table}");
    let line = |key: &str| {
        table
            .lines()
            .find(|l| l.contains(key))
            .unwrap_or_else(|| panic!("{table}"))
            .to_string()
    };
    assert!(
        line("w1-cli").contains("write-off") && line("w1-cli").contains("A-17"),
        "{table}"
    );
    assert!(line("r1-cli").contains("reversal"), "{table}");
    // Every value stands under its own column's name.
    let header = table.lines().next().unwrap().to_string();
    // Counted in characters: «—» is one character and three bytes.
    let at = |text: &str, part: &str| text.find(part).map(|b| text[..b].chars().count());
    let under = |name: &str, value: &str, key: &str| {
        let column = at(&header, name).unwrap_or_else(|| panic!("{name}: {table}"));
        assert_eq!(
            at(&line(key), value),
            Some(column),
            "{value} under {name}:\n{table}"
        );
    };
    under("Receipt", "A-17", "w1-cli");
    under("Reason", "mistake", "r1-cli");
    under("Key", "r1-cli", "r1-cli");
}

/// The report from this till's journal when there is no server to ask: per cashier, only
/// what went through since the day given, the movements in doubt counted apart, and it
/// says where it comes from; `--json` and `--csv` carry the same.
#[test]
fn the_shift_report_from_the_journal_in_all_three_forms() {
    let dir = tempfile::tempdir().unwrap();
    journal_only_profile(dir.path());
    let mut lines = LINES.to_vec();
    // The day before: not this shift's.
    lines.push(r#"{"event":"attempt","at":"2026-03-01T18:00:00Z","key":"old-cli","profile":"shop","user":"anna","client":1,"points":"999"}"#);
    lines.push(r#"{"event":"outcome","at":"2026-03-01T18:00:01Z","key":"old-cli","client":1,"outcome":"applied"}"#);
    journal(dir.path(), &lines);

    let out = run(
        dir.path(),
        &["shift", "report", "--since", "02.03.2026", "--json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", said(&out));
    let report = json(&out);
    assert_eq!(report["source"], "journal");
    assert_eq!(report["since"], "2026-03-02T00:00:00Z");
    // w2 (unknown) and d1 (no outcome at all).
    assert_eq!(report["in_doubt"], 2);
    let rows = report["rows"].as_array().unwrap();
    assert_eq!(
        rows.len(),
        1,
        "boris has nothing that went through: {report}"
    );
    let anna = &rows[0];
    assert_eq!(anna["login"], "anna");
    assert_eq!(anna["written_off"]["points"], "15.00", "10 and the 5 held");
    assert_eq!(anna["reversed"]["points"], "2.50");
    assert_eq!(
        (anna["write_offs"].as_u64(), anna["reversals"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(
        (anna["coupons"].as_u64(), anna["overrides"].as_u64()),
        (Some(1), Some(1))
    );

    let out = run(
        dir.path(),
        &["shift", "report", "--since", "2026-03-02", "--csv"],
    );
    let csv = said(&out);
    assert_eq!(out.status.code(), Some(0), "{csv}");
    let mut csv_lines = csv.lines();
    assert!(
        csv_lines
            .next()
            .unwrap()
            .starts_with(r#""since","source","in_doubt","principal","login","points_written_off""#),
        "{csv}"
    );
    let row = csv_lines.next().unwrap();
    assert!(
        row.contains(r#""journal","2","shop","anna","15.00","0.00","2.50""#),
        "{csv}"
    );

    let out = run(dir.path(), &["shift", "report", "--since", "2026-03-02"]);
    let text = said(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("anna (shop)"), "{text}");
    assert!(text.contains("15.00") && text.contains("2.50"), "{text}");
    assert!(
        text.contains("Write-offs 2, reversals 1, coupons 1 (back 0), manager overrides 1"),
        "{text}"
    );
    assert!(
        text.contains("From this till's journal (its own movements only) since 2026-03-02 00:00. Movements of this till still in doubt: 2."),
        "{text}"
    );

    let out = run(dir.path(), &["shift", "report", "--json", "--csv"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "one form at a time: {}",
        said(&out)
    );
}

/// What the command line must refuse before anything is read or sent: the profile's
/// vendor is a port nobody listens on, so reaching out would exit 3.
#[test]
fn usage_mistakes_of_write_off_and_reverse_exit_2_before_anything_is_sent() {
    let dir = tempfile::tempdir().unwrap();
    profile(dir.path(), NOWHERE);
    journal(dir.path(), &LINES);
    let cases: [(&[&str], &str); 7] = [
        (
            &[
                "write-off",
                "5",
                "--points",
                "1",
                "--receipt",
                "A-1",
                "--yes",
            ],
            "--receipt-total",
        ),
        (
            &[
                "write-off",
                "5",
                "--points",
                "1",
                "--pin-env",
                "NO_SUCH_VAR",
                "--yes",
            ],
            "--pin-env NO_SUCH_VAR",
        ),
        (
            &[
                "reverse",
                "41",
                "--reason",
                "other",
                "--yes",
                "--pin-env",
                "BOSS_PIN",
            ],
            "--note",
        ),
        (&["reverse", "41", "--reason", "sorry", "--yes"], "mistake"),
        (
            &["reverse", "41", "--reason", "mistake", "--yes"],
            "--pin-env",
        ),
        (
            &["reverse", "no-such-key", "--reason", "mistake", "--yes"],
            "neither an operation number nor a key",
        ),
        (
            &[
                "reverse", "h1-cli", "--amount", "2", "--reason", "returned", "--yes",
            ],
            "only whole",
        ),
    ];
    for (args, words) in cases {
        let out = run(dir.path(), args);
        let text = said(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {text}");
        assert!(text.contains(words), "{args:?}: {text}");
        assert!(!text.contains(PIN), "{args:?}: {text}");
    }
}

/// A write-off with no server number that was not made through holds cannot come back on
/// this provider, and one whose holds were journalled without their ids cannot be
/// refunded from here: both refused (1), nothing sent.
#[test]
fn reverse_refuses_what_the_provider_cannot_give_back() {
    let dir = tempfile::tempdir().unwrap();
    profile(dir.path(), NOWHERE);
    let mut lines = LINES.to_vec();
    lines.push(r#"{"event":"outcome","at":"2026-03-02T09:40:01Z","key":"d1-cli","client":1234567,"outcome":"applied"}"#);
    journal(dir.path(), &lines);
    let out = run(
        dir.path(),
        &["reverse", "d1-cli", "--reason", "mistake", "--yes"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", said(&out));
    assert!(said(&out).contains("cannot give it back"), "{}", said(&out));
    let out = run(
        dir.path(),
        &["reverse", "h1-cli", "--reason", "returned", "--yes"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", said(&out));
    assert!(said(&out).contains("without their ids"), "{}", said(&out));
}

/// The completions and the manual page come from the same definitions and know the new
/// commands.
#[test]
fn completions_and_the_manual_know_reverse_and_shift_report() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["completions", "bash"]);
    let script = said(&out);
    assert_eq!(out.status.code(), Some(0), "{script}");
    for word in [
        "reverse",
        "shift",
        "--pin-env",
        "--receipt-total",
        "--reason",
    ] {
        assert!(script.contains(word), "{word}");
    }
    let out = run(dir.path(), &["man"]);
    let page = said(&out);
    assert!(page.contains("reverse") && page.contains("shift"), "{page}");
}

// Against a real `loyalty serve` with a manager and, where a test says, a limit.

/// `loyalty serve` on a fresh database with 100 demo clients, a manager `boss` whose PIN is
/// [`PIN`] and the serve flags `extra`; the profile points at it.
pub(super) struct Shop {
    pub(super) dir: tempfile::TempDir,
    _server: common::Reaped,
}

impl Shop {
    fn start(extra: &[&str]) -> Shop {
        Shop::start_in(tempfile::tempdir().unwrap(), extra)
    }

    /// The same in `dir`, where `extra` may name paths (a code outbox).
    pub(super) fn start_in(dir: tempfile::TempDir, extra: &[&str]) -> Shop {
        let db = dir.path().join("shop.db");
        let out = Command::new(BIN)
            .env_clear()
            .env("BOSS_PIN", PIN)
            .args([
                "serve",
                "user",
                "add",
                "boss",
                "--role",
                "manager",
                "--pin-env",
                "BOSS_PIN",
                "--db",
            ])
            .arg(&db)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", said(&out));
        let (server, url) = common::spawn_serve(
            Command::new(BIN)
                .env_clear()
                .args([
                    "serve",
                    "--listen",
                    "127.0.0.1:0",
                    "--demo",
                    "100",
                    "--token",
                    "tok",
                ])
                .args(extra)
                .arg("--db")
                .arg(&db),
        );
        profile(dir.path(), &url);
        Shop {
            dir,
            _server: server,
        }
    }

    pub(super) fn run(&self, args: &[&str]) -> Output {
        run(self.dir.path(), args)
    }

    pub(super) fn points(&self) -> String {
        let out = self.run(&["client", "show", "1234567", "--json"]);
        json(&out)["balances"]["points"]
            .as_str()
            .unwrap()
            .to_string()
    }

    fn newest(&self) -> Value {
        json(&self.run(&["journal", "--json"]))[0].clone()
    }
}

/// A write-off with its receipt is numbered by the server; the journal and the history
/// name it by that number, with the receipt.
#[test]
fn a_write_off_with_a_receipt_is_numbered_and_shown_with_it() {
    let shop = Shop::start(&[]);
    let out = shop.run(&[
        "write-off",
        "1234567",
        "--points",
        "10",
        "--receipt",
        "A-17",
        "--receipt-total",
        "1500",
        "--yes",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", said(&out));
    assert!(
        said(&out).contains("Receipt A-17: total 1,500.00, paid by points 10.00, to pay 1,490.00"),
        "{}",
        said(&out)
    );
    let row = shop.newest();
    let id = row["id"].as_str().unwrap().to_string();
    assert!(id.parse::<i64>().is_ok(), "{row}");
    assert_eq!(row["receipt"]["number"], "A-17");
    let history = json(&shop.run(&["client", "history", "1234567", "--json"]));
    let entry = history
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"].as_str() == Some(id.as_str()))
        .unwrap_or_else(|| panic!("{history}"));
    assert_eq!(
        (entry["kind"].as_str(), entry["receipt"]["number"].as_str()),
        (Some("write_off"), Some("A-17"))
    );
}

/// Over the shop's limit: refused (1) naming the limit and how to give a PIN, nothing
/// taken; a wrong PIN is refused (1) too; the manager's PIN lets it through (0).
#[test]
fn a_write_off_over_a_limit_needs_the_managers_pin() {
    let shop = Shop::start(&["--limit-operation", "50"]);
    let before = shop.points();
    let over = ["write-off", "1234567", "--points", "60", "--yes"];
    let out = shop.run(&over);
    let text = said(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("most per write-off") && text.contains("--pin-env"),
        "{text}"
    );
    let out = shop.run(&[&over[..], &["--pin-env", "WRONG_PIN"]].concat());
    assert_eq!(out.status.code(), Some(1), "{}", said(&out));
    assert!(!said(&out).contains("1357"), "{}", said(&out));
    assert_eq!(shop.points(), before, "nothing taken");
    // `other` says nothing without its note: a usage mistake, nothing sent.
    let why = ["--pin-env", "BOSS_PIN", "--reason", "other"];
    let out = shop.run(&[&over[..], &why[..]].concat());
    assert_eq!(out.status.code(), Some(2), "{}", said(&out));
    assert_eq!(shop.points(), before, "nothing taken");
    let out = shop.run(&[&over[..], &why[..], &["--note", "постоянный клиент"]].concat());
    assert_eq!(out.status.code(), Some(0), "{}", said(&out));
    assert_ne!(shop.points(), before);
    let newest = shop.newest();
    assert_eq!(newest["manager"], true);
    assert_eq!(newest["reason"], "other: постоянный клиент", "{newest}");
    // The server keeps the override's reason with the operation, beside the manager.
    let history = json(&shop.run(&["client", "history", "1234567", "--json"]));
    let row = &history.as_array().unwrap()[0];
    assert_eq!(row["reason"], "other: постоянный клиент", "{row}");
}

/// Part back, then the rest (coupons included), then nothing is left (1); a wrong PIN
/// changes nothing (1); `--amount` on a write-off of two currencies says how instead (2).
#[test]
fn reverse_gives_back_part_then_the_rest_and_never_more() {
    let shop = Shop::start(&[]);
    let before = shop.points();
    let out = shop.run(&[
        "write-off",
        "1234567",
        "--points",
        "100",
        "--coupon",
        "1235",
        "--yes",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", said(&out));
    let id = shop.newest()["id"].as_str().unwrap().to_string();
    let reverse = |more: &[&str]| {
        let mut args = vec!["reverse", id.as_str(), "--reason", "mistake", "--yes"];
        args.extend_from_slice(more);
        shop.run(&args)
    };
    let out = reverse(&["--amount", "30", "--pin-env", "WRONG_PIN"]);
    assert_eq!(out.status.code(), Some(1), "{}", said(&out));
    let out = reverse(&["--amount", "30", "--pin-env", "BOSS_PIN"]);
    let text = said(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("Left to give back: Points 100.00"), "{text}");
    assert!(text.contains("Given back: Points 30.00"), "{text}");
    let out = reverse(&["--pin-env", "BOSS_PIN"]);
    let text = said(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains("Points 70.00") && text.contains("1235"),
        "{text}"
    );
    assert_eq!(shop.points(), before);
    let out = reverse(&["--pin-env", "BOSS_PIN"]);
    assert_eq!(out.status.code(), Some(1), "{}", said(&out));
    assert!(said(&out).contains("Nothing is left"), "{}", said(&out));

    let out = shop.run(&[
        "write-off",
        "1234567",
        "--points",
        "1",
        "--roubles",
        "1",
        "--yes",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", said(&out));
    let both = shop.newest()["id"].as_str().unwrap().to_string();
    let out = shop.run(&[
        "reverse",
        &both,
        "--amount",
        "1",
        "--reason",
        "mistake",
        "--pin-env",
        "BOSS_PIN",
        "--yes",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", said(&out));
    assert!(said(&out).contains("leave --amount out"), "{}", said(&out));
}

/// On our server the report is the ledger's, and says so.
#[test]
fn the_shift_report_on_our_server_is_the_ledgers() {
    let shop = Shop::start(&[]);
    let out = shop.run(&["write-off", "1234567", "--points", "10", "--yes"]);
    assert_eq!(out.status.code(), Some(0), "{}", said(&out));
    let out = shop.run(&["shift", "report", "--json"]);
    let report = json(&out);
    assert_eq!(report["source"], "server", "{report}");
    let rows = report["rows"].as_array().unwrap();
    // This till's principal is the shared token's; the demo data's own cashier wrote off
    // today too, which only the ledger knows (this till's journal has one write-off).
    let till = rows
        .iter()
        .find(|r| r["principal"] == "token")
        .unwrap_or_else(|| panic!("{report}"));
    assert_eq!(till["written_off"]["points"], "10.00", "{report}");
    assert_eq!(till["write_offs"], 1, "{report}");
    assert!(
        rows.iter().any(|r| r["principal"] == "demo"),
        "every till: {report}"
    );
    let out = shop.run(&["shift", "report"]);
    assert!(
        said(&out).contains("From the server's ledger"),
        "{}",
        said(&out)
    );
}

// `loyalty reverse N` against a stub of our extension (`wire::ext_operations`), which can
// hide its answer: every exit of the number path, before the server half is in.

/// How the stub's reversal route answers.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Answer {
    /// Reverses and names the reversal 42.
    Done,
    /// Reverses, then answers 502 (a gateway that lost the answer).
    DoneThen502,
    /// Answers 502 without reversing.
    Lost502,
    /// Answers 502; meanwhile another till reversed a different amount.
    OtherMeanwhile,
}

/// What the stub saw: the reversals' PIN headers, and what is reversed of operation 41.
#[derive(Default)]
struct Ours {
    pins: std::sync::Mutex<Vec<Option<String>>>,
    reversed: std::sync::atomic::AtomicI64,
}

async fn ours(answer: Answer, seen: std::sync::Arc<Ours>) -> String {
    use axum::http::{HeaderMap, StatusCode};
    use std::sync::atomic::Ordering;
    let app = axum::Router::new().fallback(
        move |uri: axum::http::Uri, headers: HeaderMap, body: axum::body::Bytes| {
            let seen = seen.clone();
            async move {
                let path = uri.path().trim_start_matches("/ext/api/v1").to_string();
                let ok = |s: String| (StatusCode::OK, s);
                match path.as_str() {
                    "/capabilities/" => ok(r#"{"reversal":true,"receipt":true,"limits":true,"shiftReport":true}"#.into()),
                    "/operations/41/" => ok(format!(
                        r#"{{"id":41,"clientId":1234567,"kind":"write_off","at":1772442000000,
                            "balance":[{{"amount":100,"currency":"points"}}],"coupons":[],
                            "reversed":[{{"amount":{},"currency":"points"}}],"couponsReversed":[],
                            "receipt":{{"number":"A-17","total":1500}},"login":"anna"}}"#,
                        seen.reversed.load(Ordering::SeqCst) as f64 / 100.0
                    )),
                    "/operations/45/" => ok(r#"{"id":45,"clientId":1234567,"kind":"write_off","at":1772442000000,
                        "balance":[{"amount":1,"currency":"points"},{"amount":1,"currency":"rubles"}]}"#.into()),
                    "/operations/41/reversal/" => {
                        let pin = headers.get("x-manager-pin").and_then(|v| v.to_str().ok()).map(str::to_string);
                        seen.pins.lock().unwrap().push(pin);
                        let body: Value = serde_json::from_slice(&body).unwrap();
                        let asked = (body["balance"][0]["amount"].as_f64().unwrap() * 100.0).round() as i64;
                        match answer {
                            Answer::Done => {
                                seen.reversed.fetch_add(asked, Ordering::SeqCst);
                                ok(r#"{"operationId":42}"#.into())
                            }
                            Answer::DoneThen502 => {
                                seen.reversed.fetch_add(asked, Ordering::SeqCst);
                                (StatusCode::BAD_GATEWAY, "<html>502</html>".into())
                            }
                            Answer::Lost502 => (StatusCode::BAD_GATEWAY, "<html>502</html>".into()),
                            Answer::OtherMeanwhile => {
                                seen.reversed.fetch_add(1_000, Ordering::SeqCst);
                                (StatusCode::BAD_GATEWAY, "<html>502</html>".into())
                            }
                        }
                    }
                    _ => (StatusCode::NOT_FOUND, String::new()),
                }
            }
        },
    );
    common::stub::serve(app).await
}

/// `loyalty ARGS` on a profile pointing at the stub answering as `answer`: its output, and
/// what the stub saw.
async fn against_ours(
    answer: Answer,
    args: &[&str],
) -> (Output, std::sync::Arc<Ours>, tempfile::TempDir) {
    let seen = std::sync::Arc::new(Ours::default());
    let url = ours(answer, seen.clone()).await;
    let dir = tempfile::tempdir().unwrap();
    profile(dir.path(), &url);
    let mut cmd = loyalty(dir.path());
    cmd.args(args);
    // The stub answers on this runtime's threads while the command runs.
    let out = tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap();
    (out, seen, dir)
}

const REVERSE_30: [&str; 9] = [
    "reverse",
    "41",
    "--amount",
    "30",
    "--reason",
    "mistake",
    "--pin-env",
    "BOSS_PIN",
    "--yes",
];

/// Answered: the original shown, sent once with the PIN in its header, the reversal's number
/// said and journalled (0).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reverse_by_number_shows_the_original_and_sends_it_once_with_the_pin() {
    let (out, seen, dir) = against_ours(Answer::Done, &REVERSE_30).await;
    let text = said(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains("Operation 41 of 2026-03-02 09:00, by anna, receipt A-17 for 1,500.00"),
        "{text}"
    );
    assert!(text.contains("Left to give back: Points 100.00"), "{text}");
    assert!(
        text.contains("Given back: Points 30.00\nReversal operation 42"),
        "{text}"
    );
    assert_eq!(*seen.pins.lock().unwrap(), [Some(PIN.to_string())]);
    let row = json(&run(dir.path(), &["journal", "--json"]))[0].clone();
    assert_eq!(
        (row["id"].as_str(), row["kind"].as_str()),
        (Some("42"), Some("reversal")),
        "{row}"
    );
    assert_eq!(
        (row["original"].as_str(), row["reason"].as_str()),
        (Some("41"), Some("mistake")),
        "{row}"
    );
    assert_eq!(
        (row["points"].as_str(), row["manager"].as_bool()),
        (Some("30.00"), Some(true)),
        "{row}"
    );
    let journal = std::fs::read_to_string(dir.path().join("journal.jsonl")).unwrap();
    assert!(!journal.contains(PIN), "{journal}");
}

/// Unanswered: the original read back says which — grown by exactly the amount (0, said to
/// be checked), unchanged (3), grown otherwise (4, with the key); never sent twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unanswered_reversal_is_judged_by_reading_the_original_back() {
    let cases = [
        (
            Answer::DoneThen502,
            0,
            "checked: it was given back: Points 30.00",
            "applied_after_check",
        ),
        (
            Answer::Lost502,
            3,
            "checked: nothing was given back",
            "not_applied_after_check",
        ),
        (
            Answer::OtherMeanwhile,
            4,
            "Cannot tell whether it was given back: look at operation 41",
            "unclear_after_check",
        ),
    ];
    for (answer, code, words, outcome) in cases {
        let (out, seen, dir) = against_ours(answer, &REVERSE_30).await;
        let text = said(&out);
        assert_eq!(out.status.code(), Some(code), "{answer:?}: {text}");
        assert!(text.contains(words), "{answer:?}: {text}");
        assert_eq!(seen.pins.lock().unwrap().len(), 1, "{answer:?}: sent once");
        let row = json(&run(dir.path(), &["journal", "--json"]))[0].clone();
        assert_eq!(row["outcome"], outcome, "{answer:?}: {row}");
        if code == 4 {
            assert!(
                text.contains(&format!("Reversal key: {}", row["key"].as_str().unwrap())),
                "{text}"
            );
        }
    }
}

/// Settled against the original before anything is sent: more than is left is refused (1),
/// `--amount` on a write-off of two currencies says how to do it instead (2).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_the_original_cannot_give_is_never_sent() {
    let mut args = REVERSE_30;
    args[3] = "100.01";
    let (out, seen, _dir) = against_ours(Answer::Done, &args).await;
    assert_eq!(out.status.code(), Some(1), "{}", said(&out));
    assert!(
        said(&out).contains("more than is left to give back (Points 100.00)"),
        "{}",
        said(&out)
    );
    assert!(seen.pins.lock().unwrap().is_empty());
    args[1] = "45";
    args[3] = "1";
    let (out, _, _dir) = against_ours(Answer::Done, &args).await;
    assert_eq!(out.status.code(), Some(2), "{}", said(&out));
    assert!(
        said(&out).contains("took both points and roubles"),
        "{}",
        said(&out)
    );
}
