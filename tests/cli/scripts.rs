//! The scriptable face (`docs/cli.md`) as a script meets it: the real binary against a real
//! `loyalty serve` on loopback, its output, and its exit codes.

use crate::common;

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_loyalty");

/// A shop: `loyalty serve` with 100 demo clients and a profile of the console pointing at it.
struct Shop {
    dir: tempfile::TempDir,
    server: common::Reaped,
}

impl Shop {
    fn start() -> Shop {
        Self::with_clients(100)
    }

    fn with_clients(clients: u32) -> Shop {
        let dir = tempfile::tempdir().unwrap();
        let (server, url) = common::spawn_serve(
            Command::new(BIN)
                .env_clear()
                .args(["serve", "--listen", "127.0.0.1:0", "--demo"])
                .arg(clients.to_string())
                .args(["--token", "tok", "--db"])
                .arg(dir.path().join("shop.db")),
        );
        std::fs::write(
            dir.path().join("config.toml"),
            format!(
                "default_profile = \"shop\"\n[profiles.shop.ext]\nbase_url = \"{url}\"\ntoken = \"tok\"\n\
                 [profiles.back.poster]\nbase_url = \"{url}\"\ntoken = \"tok\"\n\
                 [profiles.back.mloyalty]\nbase_url = \"{url}\"\nusername = \"79990000000\"\npassword = \"p\"\n\
                 [profiles.back.regos]\nbase_url = \"{url}\"\nintegration_key = \"k\"\n"
            ),
        )
        .unwrap();
        Shop { dir, server }
    }

    fn run(&self, args: &[&str]) -> Output {
        loyalty(self.dir.path())
            .arg("--config")
            .arg(self.dir.path().join("config.toml"))
            .args(args)
            .output()
            .unwrap()
    }
}

/// The binary with nothing of this machine's environment but a Russian UI.
fn loyalty(dir: &Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env_clear()
        .env("LANG", "ru_RU.UTF-8")
        .env("TZ", "UTC")
        .env("LOYALTY_DATA_DIR", dir.join("data"))
        .env("LOYALTY_CONFIG_DIR", dir.join("config"))
        .env("LOYALTY_STATE_DIR", dir.join("state"));
    cmd
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", stdout(out), stderr(out)))
}

/// A search that stops at the server's cap prints what it got and says on stderr that
/// there is more: a script never takes 200 rows for all of them.
#[test]
fn client_find_says_when_it_stopped_at_the_cap() {
    let shop = Shop::with_clients(260);
    let out = shop.run(&["client", "find", "%", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(json(&out).as_array().unwrap().len(), 200);
    assert!(
        stderr(&out).contains("Показаны первые 200: уточните запрос"),
        "{}",
        stderr(&out)
    );
    let out = shop.run(&["client", "find", "7912345678"]);
    assert!(!stderr(&out).contains("уточните"), "{}", stderr(&out));
}

#[test]
fn client_find_prints_masked_rows_and_says_when_nobody_is_there() {
    let shop = Shop::start();
    let out = shop.run(&["client", "find", "+7 912 345-67-8"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    // Ids are numbers: right-aligned, so the header's "ID" stands over their last digits.
    assert!(
        text.lines().all(|l| l.find("ID").is_none_or(|at| at == 5)),
        "{text}"
    );
    let header = text.lines().next().unwrap();
    assert!(
        header.trim_start().starts_with("ID")
            && header.contains("Клиент")
            && header.contains("Телефон"),
        "{text}"
    );
    assert!(
        text.contains("Client First") && text.contains("1234567"),
        "{text}"
    );
    assert!(!text.contains("912345678"), "the phone is masked: {text}");

    let out = shop.run(&["client", "find", "7912345678", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let found = json(&out);
    assert_eq!(found[0]["id"], 1234567);
    assert_eq!(found[0]["name"], "Client First");
    assert!(found[0]["phone"].as_str().unwrap().ends_with("5678"));
    assert!(!found[0]["phone"].as_str().unwrap().contains("1234"));

    let out = shop.run(&["client", "find", "nobody@nowhere.example", "--json"]);
    assert_eq!(out.status.code(), Some(1), "nobody found is a refusal");
    assert_eq!(json(&out), serde_json::json!([]));
    assert!(
        stderr(&out).contains("Никого не найдено"),
        "{}",
        stderr(&out)
    );

    let out = shop.run(&["client", "find", "ab"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("neither a phone"), "{}", stderr(&out));
}

#[test]
fn client_show_gives_balances_and_coupons_in_both_forms() {
    let shop = Shop::start();
    let out = shop.run(&["client", "show", "1234567"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("Баллы") && text.contains("1 234,56"),
        "{text}"
    );
    assert!(text.contains("Купоны") && text.contains("1235"), "{text}");
    assert!(
        text.contains("ИСТЁК"),
        "the expired sample coupon says so: {text}"
    );

    let out = shop.run(&["client", "show", "1234567", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let shown = json(&out);
    assert_eq!(shown["id"], 1234567);
    assert_eq!(shown["balances"]["points"], "1234.56");
    let coupons = shown["coupons"].as_array().unwrap();
    assert!(coupons.iter().any(|c| c["id"] == 1235), "{shown}");

    let out = shop.run(&["client", "show", "999"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).starts_with("loyalty: "), "{}", stderr(&out));
}

#[test]
fn client_history_as_a_table_csv_and_json_within_dates() {
    let shop = Shop::start();
    let out = shop.run(&["client", "history", "1234567", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let entries = json(&out);
    let entries = entries.as_array().unwrap();
    assert!(!entries.is_empty());
    for e in entries {
        let amount = e["amount"].as_str().unwrap();
        assert_eq!(amount.split('.').nth(1).map(str::len), Some(2), "{e}");
        assert!(["points", "rubles"].contains(&e["currency"].as_str().unwrap()));
    }
    let out = shop.run(&["client", "history", "1234567", "--csv", "--limit", "2"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    // The exports' writer: every field quoted, so `;` in a cell splits nothing.
    assert_eq!(
        lines[0],
        "\"at\",\"amount\",\"currency\",\"transaction_id\""
    );
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[1..].iter().all(|l| l.starts_with('"')), "{text}");

    let out = shop.run(&["client", "history", "1234567"]);
    assert!(stdout(&out).starts_with("Дата"), "{}", stdout(&out));

    let out = shop.run(&["client", "history", "1234567", "--from", "2090-01-01"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out).trim(), "Операций нет");

    let out = shop.run(&[
        "client",
        "history",
        "1234567",
        "--from",
        "2026-02-01",
        "--to",
        "2026-01-01",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    // The dates the console's fields take: `05.12.2026`, `05.12.26`, `2026-12-05`.
    let iso = shop.run(&[
        "client",
        "history",
        "1234567",
        "--from",
        "2026-02-01",
        "--json",
    ]);
    for day in ["01.02.2026", "01.02.26", "01/02/2026"] {
        let out = shop.run(&["client", "history", "1234567", "--from", day, "--json"]);
        assert_eq!(out.status.code(), Some(0), "{day}: {}", stderr(&out));
        assert_eq!(json(&out), json(&iso), "{day}");
    }
    let out = shop.run(&["client", "history", "1234567", "--from", "1 февраля"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a date that is none is a usage error"
    );
    assert!(stderr(&out).contains("31.12.2026"), "{}", stderr(&out));
    let out = shop.run(&["client", "history", "1234567", "--csv", "--json"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn no_provider_is_usage_and_a_server_gone_is_a_failure() {
    let mut shop = Shop::start();
    let out = shop.run(&["--profile", "back", "client", "find", "7912345678"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("no client provider"),
        "{}",
        stderr(&out)
    );

    shop.server.kill().unwrap();
    shop.server.wait().unwrap();
    let out = shop.run(&["client", "show", "1234567"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(!stderr(&out).contains("tok"), "no secret: {}", stderr(&out));
}

#[test]
fn without_a_profile_the_built_in_server_answers() {
    let dir = tempfile::tempdir().unwrap();
    let out = loyalty(dir.path())
        .args(["client", "find", "7912345678", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(json(&out)[0]["name"], "Client First");
}

#[test]
fn groups_list_reads_poster_in_both_forms() {
    let shop = Shop::start();
    let out = shop.run(&["--profile", "back", "groups", "list"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("ID") && text.contains("Название"),
        "{text}"
    );
    assert!(
        text.contains("Постоянный посетитель") && text.contains("бонусная"),
        "{text}"
    );
    // A discount group has no birthday bonus to show, as on F3.
    assert!(
        text.lines()
            .filter(|l| l.contains("скидочная"))
            .all(|l| l.contains(" — ") && !l.contains("0,00")),
        "{text}"
    );
    let out = shop.run(&["--profile", "back", "groups", "list", "--json"]);
    let groups = json(&out);
    let first = &groups[0];
    assert_eq!(first["kind"], "bonus");
    assert_eq!(first["birthday_bonus"], "50.00");
    assert!(
        first["percent"].is_string() && first["clients"].is_u64(),
        "{first}"
    );
    // The ext-only profile has no groups to ask: a usage error that says why.
    let out = shop.run(&["groups", "list"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("no group provider"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_journal_lists_each_write_off_with_its_latest_outcome() {
    use loyalty_console::domain::journal::{Attempt, Outcome};
    use loyalty_console::domain::{Amount, ClientId, CouponId, WriteOff};
    use loyalty_console::ops::journal::Journal;
    let dir = tempfile::tempdir().unwrap();
    let out = loyalty(dir.path()).args(["journal"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), "Операций ещё не было");

    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    let journal = Journal::new(dir.path().join("data/journal.jsonl"), "shop".into());
    let request = WriteOff {
        points: Some(Amount::from_minor(10_000)),
        rubles: None,
        coupons: vec![CouponId(1235)],
        receipt: None,
        why: None,
        code: None,
    };
    journal
        .attempt(&Attempt::write_off(
            "key-1".into(),
            ClientId(1234567),
            request.clone(),
        ))
        .unwrap();
    journal
        .outcome(
            "key-1",
            ClientId(1234567),
            Outcome::Unknown,
            Some("timeout".into()),
            None,
        )
        .unwrap();
    journal
        .attempt(&Attempt::write_off("key-2".into(), ClientId(7), request))
        .unwrap();
    let out = loyalty(dir.path()).args(["journal"]).output().unwrap();
    let text = stdout(&out);
    assert!(
        text.starts_with("Дата") && text.contains("key-1") && text.contains("1235"),
        "{text}"
    );
    assert!(text.contains("100,00"), "{text}");
    let out = loyalty(dir.path())
        .args(["journal", "--json"])
        .output()
        .unwrap();
    let rows = json(&out);
    assert_eq!(rows[0]["key"], "key-2", "newest first: {rows}");
    assert!(rows[0]["outcome"].is_null());
    assert_eq!(rows[1]["outcome"], "unknown");
    assert_eq!(rows[1]["points"], "100.00");
    assert!(rows[1]["rubles"].is_null());
    assert_eq!(rows[1]["coupons"], serde_json::json!([1235]));
    assert_eq!(rows[1]["detail"], "timeout");
    // The stable form docs/cli.md documents: these fields and no others. The form grew
    // by the movement's id (its key while no number is known), kind, receipt,
    // reason, original, whether a manager's PIN went with it, and how a write-off that
    // needed the client's code was allowed.
    assert_eq!(
        (rows[1]["id"].as_str(), rows[1]["kind"].as_str()),
        (Some("key-1"), Some("write_off"))
    );
    let fields: Vec<&str> = rows[1]
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    let mut documented = [
        "at",
        "key",
        "profile",
        "user",
        "client",
        "points",
        "rubles",
        "coupons",
        "outcome",
        "detail",
        "id",
        "kind",
        "receipt",
        "reason",
        "original",
        "manager",
        "confirmed",
    ];
    documented.sort_unstable();
    assert_eq!(fields, documented, "{rows}");
}

/// The balances `client show --json` gives: points and roubles as strings.
fn balances(shop: &Shop) -> (String, String) {
    let shown = json(&shop.run(&["client", "show", "1234567", "--json"]));
    let part = |name: &str| shown["balances"][name].as_str().unwrap().to_string();
    (part("points"), part("rubles"))
}

#[test]
fn write_off_needs_yes_off_a_terminal_and_refuses_what_the_client_lacks() {
    let shop = Shop::start();
    let before = balances(&shop);

    // Standard input is not a terminal here: nobody to ask, so nothing without --yes.
    let out = shop.run(&["write-off", "1234567", "--points", "10"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--yes"), "{}", stderr(&out));

    let refused = [
        (&["--points", "100000"][..], "больше доступного"),
        (&["--coupon", "1234"][..], "купон 1234 истёк"),
        (&["--coupon", "99"][..], "нет купона 99"),
    ];
    for (args, said) in refused {
        let out = shop.run(&[&["write-off", "1234567", "--yes"][..], args].concat());
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(said), "{args:?}: {}", stderr(&out));
    }
    let out = shop.run(&["write-off", "1234567", "--yes", "--points", "1.234"]);
    assert_eq!(out.status.code(), Some(2), "a mistyped amount is usage");
    let out = shop.run(&["write-off", "1234567", "--yes"]);
    assert_eq!(out.status.code(), Some(2), "nothing to write off is usage");

    assert_eq!(balances(&shop), before, "nothing was written off");
    let journal = shop.run(&["journal", "--json"]);
    assert_eq!(json(&journal), serde_json::json!([]), "nothing was sent");
}

#[test]
fn write_off_with_yes_moves_the_balance_once_and_is_journalled() {
    let shop = Shop::start();
    let out = shop.run(&[
        "write-off",
        "1234567",
        "--points",
        "10,50",
        "--roubles",
        "1",
        "--coupon",
        "1235",
        "--yes",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out).trim(),
        "Списано: Баллы 10,50 · Рубли 1,00 · Купоны 1235"
    );
    assert_eq!(
        balances(&shop),
        ("1224.06".to_string(), "4320.06".to_string())
    );
    let shown = json(&shop.run(&["client", "show", "1234567", "--json"]));
    let coupons = shown["coupons"].as_array().unwrap();
    assert!(coupons.iter().all(|c| c["id"] != 1235), "{shown}");

    let rows = json(&shop.run(&["journal", "--json"]));
    assert_eq!(rows.as_array().unwrap().len(), 1, "{rows}");
    assert_eq!(rows[0]["outcome"], "applied");
    assert_eq!(rows[0]["profile"], "shop");
    assert_eq!(rows[0]["points"], "10.50");
    assert_eq!(rows[0]["coupons"], serde_json::json!([1235]));

    // The coupon is spent now: the same command again is refused before anything is sent.
    let out = shop.run(&["write-off", "1234567", "--coupon", "1235", "--yes"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        json(&shop.run(&["journal", "--json"]))
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

/// The CSV on standard output, read back: its header and rows.
fn csv_of(out: &Output) -> (Vec<String>, Vec<Vec<String>>) {
    assert_eq!(out.status.code(), Some(0), "{}", stderr(out));
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let header = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

#[test]
fn exports_print_every_row_of_the_filter_as_csv() {
    let shop = Shop::start();
    let registrations = |extra: &[&str]| {
        let args = ["--profile", "back", "export", "registrations", "--csv"];
        let period = ["--from", "2000-01-01", "--to", "2100-12-31"];
        shop.run(&[&args[..], &period, extra].concat())
    };
    let (header, all) = csv_of(&registrations(&[]));
    assert_eq!(
        header,
        [
            "client",
            "card",
            "virtual",
            "card_type",
            "card_status",
            "pos",
            "pos_name",
            "registered"
        ]
    );
    assert!(!all.is_empty());
    let pos = all[0][5].clone();
    let (_, one_pos) = csv_of(&registrations(&["--pos", &pos]));
    assert!(!one_pos.is_empty() && one_pos.len() <= all.len());
    assert!(one_pos.iter().all(|r| r[5] == pos), "{one_pos:?}");

    let operations = |extra: &[&str]| {
        let args = ["--profile", "back", "export", "card-operations", "--csv"];
        // Card 2: the 100-client demo gives card 1 no operations.
        shop.run(&[&args[..], &["--card", "2", "--promo", "1"], extra].concat())
    };
    let out = operations(&[]);
    // Not a terminal: the total on a line of its own, on stderr, out of the CSV.
    let (header, all) = csv_of(&out);
    let told = stderr(&out);
    assert!(
        told.lines()
            .any(|l| l.starts_with("Выгружено ") && l.contains(&all.len().to_string())),
        "{told}"
    );
    assert_eq!(
        header,
        [
            "date",
            "type",
            "amount",
            "value",
            "used_value",
            "is_payment",
            "expires",
            "description",
            "uuid"
        ]
    );
    assert!(!all.is_empty());
    let (_, incomes) = csv_of(&operations(&["--type", "income"]));
    assert!(incomes.iter().all(|r| r[1] == "income"), "{incomes:?}");
    let mut dates: Vec<&String> = all.iter().map(|r| &r[0]).collect();
    dates.dedup();
    assert!(
        dates.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {dates:?}"
    );

    // The default profile has neither provider: usage, with the section to add.
    let out = shop.run(&[
        "export",
        "card-operations",
        "--card",
        "1",
        "--promo",
        "1",
        "--csv",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("regos"), "{}", stderr(&out));
    let out = registrations(&["--from", "2100-12-31"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let out = shop.run(&[
        "export",
        "registrations",
        "--from",
        "2026-01-01",
        "--to",
        "2026-01-02",
    ]);
    assert_eq!(out.status.code(), Some(2), "--csv is the form to ask for");
}

/// What the console keeps on disk holds clients' personal data: its folders are 0700 and
/// every file in them 0600 (the database and its -wal/-shm, the journal, the day's log).
#[cfg(unix)]
#[test]
fn the_data_and_state_folders_and_their_files_are_the_owners_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let out = loyalty(dir.path())
        .args(["write-off", "1234567", "--points", "1", "--yes"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let mut files = Vec::new();
    for folder in ["data", "state"] {
        let folder = dir.path().join(folder);
        assert_eq!(mode(&folder), 0o700, "{}", folder.display());
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                assert_eq!(mode(&path), 0o600, "{}", path.display());
                files.push(path.file_name().unwrap().to_string_lossy().into_owned());
            }
        }
    }
    for expected in ["loyalty.db", "journal.jsonl"] {
        assert!(files.iter().any(|f| f == expected), "{expected}: {files:?}");
    }
    assert!(
        files.iter().any(|f| f.ends_with(".log")),
        "a log: {files:?}"
    );
}

/// A wrong Mloyalty section (a login that is not a phone) is none of the till's business:
/// `client find` works, the registrations' export says which key of which file is wrong
/// (exit 2), and `config check` lists it (exit 2) after calling the providers that work.
#[test]
fn a_wrong_mloyalty_section_stops_only_mloyalty() {
    let shop = Shop::start();
    let config = shop.dir.path().join("config.toml");
    let text = std::fs::read_to_string(&config).unwrap().replace(
        "[profiles.back.mloyalty]\nbase_url",
        "[profiles.shop.mloyalty]\nbase_url",
    );
    std::fs::write(&config, text.replace("\"79990000000\"", "\"manager\"")).unwrap();
    let out = shop.run(&["client", "find", "7912345678"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("Client First"), "{}", stdout(&out));
    let out = shop.run(&[
        "export",
        "registrations",
        "--from",
        "01.12.2026",
        "--to",
        "05.12.2026",
        "--csv",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let said = stderr(&out);
    assert!(
        said.contains("config.toml") && said.contains("profiles.shop.mloyalty.username"),
        "{said}"
    );
    let out = shop.run(&["config", "check"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.lines().any(|l| l.starts_with("mistake: ")
            && l.contains("config.toml")
            && l.contains("profiles.shop.mloyalty.username")),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.trim_start().starts_with("ext") && l.ends_with(" ok")),
        "the till's provider is still called: {text}"
    );
    assert!(!text.contains("mloyalty  ok"), "{text}");
}

/// `config check` reads keys.toml as the console does: a binding the console refuses is a
/// mistake (exit 2), not "nothing to check".
#[test]
fn config_check_refuses_the_keys_the_console_refuses() {
    let shop = Shop::start();
    // Beside the config file given with --config.
    let keys = shop.dir.path().join("keys.toml");
    std::fs::write(
        &keys,
        "[global]\nwrite_off = \"F9\"\nquit = \"F9\"\nbogus = \"x\"\n",
    )
    .unwrap();
    let out = shop.run(&["config", "check"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let said = stdout(&out);
    let mistakes: Vec<&str> = said
        .lines()
        .filter(|l| l.starts_with("mistake: "))
        .collect();
    assert_eq!(mistakes.len(), 3, "one line each: {said}");
    assert!(
        mistakes.iter().any(|l| l.contains("bound twice"))
            && mistakes.iter().any(|l| l.contains("bogus")),
        "{said}"
    );
    std::fs::remove_file(&keys).unwrap();
    let out = shop.run(&["config", "check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    // An unknown key hides nothing after it: both it and the section's mistake are listed.
    let config = shop.dir.path().join("config.toml");
    let good = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        format!("colour = \"x\"\n{good}[profiles.shop.regos]\nbase_url = \"ftp://x\"\n"),
    )
    .unwrap();
    let out = shop.run(&["config", "check"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let said = stdout(&out);
    assert!(
        said.contains("unknown key `colour`") && said.contains("profiles.shop.regos.base_url"),
        "{said}"
    );
    // A config.toml that does not parse is a usage error too, as docs/cli.md says.
    std::fs::write(shop.dir.path().join("config.toml"), "[profiles.shop\n").unwrap();
    let out = shop.run(&["config", "check"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

/// A reader that goes away (`| head`) ends every printing command quietly, with the status
/// a shell shows for a program SIGPIPE ended: no panic, no "vendor failed".
#[test]
fn a_closed_pipe_ends_quietly_with_the_shells_status() {
    let shop = Shop::start();
    let commands: [&[&str]; 7] = [
        &["completions", "bash"],
        &["config", "keys"],
        &["man"],
        &["client", "find", "7912345678"],
        &["client", "history", "1234567", "--csv"],
        &["journal"],
        &["--profile", "back", "groups", "list"],
    ];
    for args in commands {
        let (reader, writer) = std::io::pipe().unwrap();
        // Closed before the command starts: its first write meets no reader.
        drop(reader);
        let out = loyalty(shop.dir.path())
            .arg("--config")
            .arg(shop.dir.path().join("config.toml"))
            .args(args)
            .stdout(writer)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(141), "{args:?}: {}", stderr(&out));
        assert!(out.stderr.is_empty(), "{args:?}: {}", stderr(&out));
    }
}
