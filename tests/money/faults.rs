//! The console against a vendor that fails: a write-off answered with 502 after the vendor
//! carried it out, answered too late, or cut off mid-request, and a balance that is not
//! JSON. Each time the console says what happened, keeps working, and its journal records it.

use crate::common;

use common::TestServer;
use common::gateway::{After, Gateway};
use common::tmux::Tmux;
use loyalty_console::backend::ClientService;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[derive(Clone, Copy, PartialEq)]
enum Fault {
    /// The first write-off is answered after the console has stopped waiting.
    Slow,
    /// The connection is reset once the first write-off has been sent.
    Reset,
    /// The balance answer is not JSON.
    GarbageBalance,
    /// The balance read gets a 503 every time.
    BalanceDown,
    /// Searches are never answered in time.
    SlowSearch,
    /// The first write-off is answered too late, and from then on the balance shows its
    /// points taken: as when another till took the same amount.
    SlowAndTaken,
}

/// What the vendor received.
#[derive(Default)]
struct Seen {
    /// The `Idempotency-Key` of each write-off, in arrival order (`None`: sent without one).
    write_offs: Mutex<Vec<Option<String>>>,
    balance_reads: AtomicUsize,
    /// Each search's request line and when it came.
    searches: Mutex<Vec<(std::time::Instant, String)>>,
}

impl Seen {
    fn keys(&self) -> Vec<Option<String>> {
        self.write_offs.lock().unwrap().clone()
    }
}

fn response(status: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
}

const SAMPLE: &str =
    r#"[{"id":1234567,"email":"test@test.ru","phone":"7912345678","name":"Client First"}]"#;
/// Found only by searching `other@…`: a client the screen has not shown before.
const OTHER: &str =
    r#"[{"id":7654321,"email":"other@shop.ru","phone":"79990001122","name":"Other Client"}]"#;

/// One request per connection (every answer closes it), so each is seen on its own.
async fn handle(mut socket: TcpStream, fault: Fault, seen: Arc<Seen>) {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match socket.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let text = String::from_utf8_lossy(&head);
    let line = text.lines().next().unwrap_or_default().to_string();
    let answer = if line.starts_with("POST") {
        let key = text.lines().find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("idempotency-key")
                .then(|| value.trim().to_string())
        });
        let first = {
            let mut all = seen.write_offs.lock().unwrap();
            all.push(key);
            all.len() == 1
        };
        match fault {
            Fault::Slow | Fault::SlowAndTaken if first => {
                tokio::time::sleep(SLOW).await;
                response("200 OK", "")
            }
            Fault::Reset if first => {
                // Linger 0 turns the close into a reset; with a zero timeout the drop does not
                // block, which is what the deprecation warns about.
                #[allow(deprecated)]
                let _ = socket.set_linger(Some(Duration::ZERO));
                return;
            }
            _ => response("200 OK", ""),
        }
    } else if line.contains("/balance/history/") {
        response("200 OK", "[]")
    } else if line.contains("/balance/") {
        seen.balance_reads.fetch_add(1, Ordering::SeqCst);
        match fault {
            Fault::GarbageBalance => response("200 OK", "{\"amount\": oops"),
            Fault::BalanceDown => response("503 Service Unavailable", ""),
            Fault::SlowAndTaken if !seen.keys().is_empty() => response(
                "200 OK",
                r#"[{"amount":1224.56,"currency":"points"},{"amount":4321.06,"currency":"rubles"}]"#,
            ),
            _ => response(
                "200 OK",
                r#"[{"amount":1234.56,"currency":"points"},{"amount":4321.06,"currency":"rubles"}]"#,
            ),
        }
    } else if line.contains("/coupons/") {
        response("200 OK", "[]")
    } else if fault == Fault::SlowSearch && line.contains("/clients/?") {
        seen.searches
            .lock()
            .unwrap()
            .push((std::time::Instant::now(), line.clone()));
        tokio::time::sleep(Duration::from_secs(30)).await;
        response("200 OK", SAMPLE)
    } else if line.contains("email=other") {
        response("200 OK", OTHER)
    } else {
        response("200 OK", SAMPLE)
    };
    let _ = socket.write_all(answer.as_bytes()).await;
}

async fn vendor(fault: Fault) -> (String, Arc<Seen>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Seen::default());
    let log = seen.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            tokio::spawn(handle(socket, fault, log.clone()));
        }
    });
    (format!("http://{addr}"), seen)
}

/// Seconds before a request to the faulty vendor counts as unanswered: an answer a loaded
/// machine is slow to give is not mistaken for none. The slow faults take longer than this.
const TIMEOUT: u64 = 5;

/// How long a slow fault leaves a write-off unanswered.
const SLOW: Duration = Duration::from_secs(2 * TIMEOUT);

/// The console on a profile pointing at the faulty vendor.
fn console(dir: &Path, url: &str) -> Tmux {
    console_timing_out(dir, url, TIMEOUT)
}

/// The console on a profile pointing at the faulty vendor, giving up after `timeout` s.
fn console_timing_out(dir: &Path, url: &str, timeout: u64) -> Tmux {
    let config = dir.join("faulty.toml");
    std::fs::write(
        &config,
        format!(
            "default_profile = \"faulty\"\nrequest_timeout_seconds = {timeout}\n\
             [profiles.faulty.ext]\nbase_url = \"{url}\"\ntoken_env = \"FAULTY_TOKEN\"\n"
        ),
    )
    .unwrap();
    let extra = format!("FAULTY_TOKEN=t LOYALTY_CONFIG='{}'", config.display());
    Tmux::start_with(dir, "en_US.UTF-8", 80, 24, &extra)
}

/// Finds the sample client, opens it, and confirms a write-off of 10 points.
fn write_off_ten(tui: &Tmux) {
    open_sample(tui);
    tui.wait_for("Points 1,234.56");
    tui.keys(&["w"]);
    tui.wait_for("Write-off · Client First");
    tui.text("10");
    tui.keys(&["Enter"]);
    tui.wait_for("Confirm write-off");
    tui.keys(&["y"]);
}

/// The console still answers: back to the search, and a search for a client it has not
/// shown yet brings that client up.
fn still_works(tui: &Tmux) {
    assert!(!tui.screen().contains("o***@shop.ru"));
    tui.keys(&["Escape"]);
    tui.wait_for("▶ Search");
    tui.keys(&["C-u"]);
    tui.text("other@shop");
    tui.keys(&["Enter"]);
    tui.wait_for("o***@shop.ru");
}

/// The journal once it holds `wanted`: a spawned task writes it after the screen changes.
fn journal_with(dir: &Path, wanted: &str) -> String {
    let start = std::time::Instant::now();
    loop {
        let j = std::fs::read_to_string(dir.join("journal.jsonl")).unwrap_or_default();
        if j.contains(wanted) {
            return j;
        }
        assert!(
            start.elapsed() < common::tmux::DEADLINE,
            "the journal never got {wanted}:\n{j}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The one key the write-offs so far were sent with, asserting there was one each time.
fn only_key(seen: &Seen) -> String {
    let keys = seen.keys();
    let first = keys[0]
        .clone()
        .expect("the write-off carries an Idempotency-Key");
    assert!(
        keys.iter().all(|k| k.as_deref() == Some(first.as_str())),
        "{keys:?}"
    );
    first
}

/// The console in Russian at 80x24 on a profile whose vendor is a real `loyalty serve`
/// behind `gateway`, writing off as `mode` says.
fn console_behind(dir: &Path, gateway: &Gateway, mode: &str) -> Tmux {
    let config = dir.join("gateway.toml");
    std::fs::write(
        &config,
        format!(
            "default_profile = \"shop\"\nrequest_timeout_seconds = 5\n\
             [profiles.shop.ext]\nbase_url = \"{}\"\ntoken_env = \"SHOP_TOKEN\"\nwrite_off = \"{mode}\"\n",
            gateway.url
        ),
    )
    .unwrap();
    let extra = format!(
        "SHOP_TOKEN={} LOYALTY_CONFIG='{}'",
        common::TOKEN,
        config.display()
    );
    Tmux::start_with(dir, "ru_RU.UTF-8", 80, 24, &extra)
}

/// The vendor carried the write-off out and the gateway answered 502: the console says the
/// outcome is being checked, then what the check found (the balance fell by exactly this
/// amount, which another till could have taken), never sends it again, and F7 agrees.
async fn a_502_after_the_vendor_applied(mode: &str, failing: &str) {
    let dir = tempfile::tempdir().unwrap();
    let s = TestServer::start(3).await;
    let gateway = Gateway::start(s.addr).await;
    gateway.fail(failing, After::Status(502), 1);
    let tui = console_behind(dir.path(), &gateway, mode);
    tui.wait_for("Поиск: телефон или email");
    tui.text("7912345678");
    tui.keys(&["Enter"]);
    tui.wait_for("Баллы 1 234,56");
    tui.keys(&["w"]);
    tui.wait_for("Списание · Client First");
    tui.text("10");
    tui.keys(&["Enter"]);
    tui.wait_for("Подтвердите списание");
    tui.keys(&["y"]);
    let screen = tui.wait_for("ровно на эту сумму");
    assert!(!screen.contains("отказал"), "{screen}");
    let j = journal_with(dir.path(), "\"outcome\":\"unclear_after_check\"");
    assert!(j.contains("\"outcome\":\"unknown\""), "{j}");
    // Neither y nor Enter sends it again; Esc closes the dialog.
    tui.keys(&["y", "Enter", "Escape"]);
    tui.wait_for("Enter открыть");
    // The cashier tries again with w: the doubtful write-off is checked again first, and
    // still nothing is sent.
    let checks = gateway.seen.count("/balance/");
    tui.keys(&["w"]);
    tui.wait_for("исход неясен");
    assert!(gateway.seen.count("/balance/") > checks, "read back again");
    tui.keys(&["y", "Enter", "Escape"]);
    tui.wait_for("Enter открыть");
    assert_eq!(
        gateway.seen.count(failing),
        1,
        "one write-off reached the vendor"
    );
    assert_eq!(gateway.seen.count("/hold/cancel/"), 0, "nothing cancelled");
    let points = s.adapter().balance(common::SAMPLE).await.unwrap().points;
    assert_eq!(points.minor(), 123_456 - 1_000, "taken once");
    tui.keys(&["F7"]);
    tui.wait_for("неясно");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_502_after_a_direct_write_off_applied_is_checked_and_never_resent() {
    a_502_after_the_vendor_applied("direct", "/balance/write_off/").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_502_after_a_holds_write_off_applied_is_checked_never_resent_or_cancelled() {
    a_502_after_the_vendor_applied("hold", "/hold/write_off/").await;
}

/// After an unanswered write-off the check shows it did not go through; only then, and only
/// when asked, is it sent again, under the same key.
fn retried_once_with_the_same_key(dir: &Path, tui: &Tmux, seen: &Seen) {
    let screen = tui.wait_for("did NOT go through");
    assert!(screen.contains("same key"), "{screen}");
    journal_with(dir, "\"outcome\":\"unknown\"");
    journal_with(dir, "\"outcome\":\"not_applied_after_check\"");
    assert_eq!(seen.keys().len(), 1, "never retried on its own");
    let key = only_key(seen);
    tui.keys(&["y"]);
    tui.wait_for("Written off: Points 10.00");
    assert_eq!(seen.keys().len(), 2, "sent again once, when asked");
    assert_eq!(only_key(seen), key);
    let j = journal_with(dir, "\"outcome\":\"applied\"");
    assert!(j.contains(&key), "{j}");
    still_works(tui);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_late_answer_is_outcome_unknown_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let (url, seen) = vendor(Fault::Slow).await;
    let tui = console(dir.path(), &url);
    write_off_ten(&tui);
    retried_once_with_the_same_key(dir.path(), &tui, &seen);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reset_connection_is_outcome_unknown_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let (url, seen) = vendor(Fault::Reset).await;
    let tui = console(dir.path(), &url);
    write_off_ten(&tui);
    retried_once_with_the_same_key(dir.path(), &tui, &seen);
}

/// Opens the sample client of the vendor: the only match, so Enter opens it.
fn open_sample(tui: &Tmux) {
    tui.wait_for("Search: phone or email");
    tui.text("7912345678");
    tui.keys(&["Enter"]);
    tui.wait_for("▶ Clients (1)");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn garbage_json_is_an_unexpected_answer_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let (url, seen) = vendor(Fault::GarbageBalance).await;
    let tui = console(dir.path(), &url);
    open_sample(&tui);
    tui.wait_for("The server's answer made no sense");
    // An answer that came is not asked again: garbage stays garbage.
    assert_eq!(seen.balance_reads.load(Ordering::SeqCst), 1);
    // Without a balance there is nothing to write off from: `w` says so and opens nothing.
    tui.keys(&["w"]);
    let screen = tui.wait_for("No balance to write off from");
    assert!(!screen.contains("Write-off ·"), "{screen}");
    still_works(&tui);
    assert!(seen.keys().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_read_is_retried_twice_then_shown() {
    let dir = tempfile::tempdir().unwrap();
    let (url, seen) = vendor(Fault::BalanceDown).await;
    let tui = console(dir.path(), &url);
    open_sample(&tui);
    tui.wait_for("The server failed");
    // Reads are retried twice with backoff (backend/ext), then the error is shown.
    assert_eq!(seen.balance_reads.load(Ordering::SeqCst), 3);
    still_works(&tui);
}

/// A search that gets no answer shows how long it has waited and which attempt is out; Esc
/// stops the wait, the console says so in its own words, and no further attempt is sent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_search_shows_its_wait_and_esc_cancels_it() {
    let dir = tempfile::tempdir().unwrap();
    let (url, seen) = vendor(Fault::SlowSearch).await;
    // One second: the retries come within the read budget, so a third would be sent.
    let tui = console_timing_out(dir.path(), &url, 1);
    tui.wait_for("Search: phone or email");
    tui.text("7912345678");
    tui.keys(&["Enter"]);
    tui.wait_for("try 2/3 · Esc cancels");
    tui.keys(&["Escape"]);
    let screen = tui.wait_for("Cancelled: no longer waiting");
    assert!(!screen.contains("Esc cancels"), "{screen}");
    // The console goes on: a new search is sent as usual.
    tui.keys(&["Escape"]);
    tui.text("1");
    tui.wait_for("· Esc cancels");
    // Uncancelled, the third attempt would be out 3 s after the first (two 1 s timeouts and
    // the pauses of 0.2 and 0.8 s): look only once twice that has passed.
    let cancelled = |seen: &Seen| -> Vec<std::time::Instant> {
        let searches = seen.searches.lock().unwrap();
        searches
            .iter()
            .filter(|(_, line)| line.contains("7912345678"))
            .map(|(at, _)| *at)
            .collect()
    };
    let first = cancelled(&seen)[0];
    while first.elapsed() < Duration::from_secs(6) {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let sent = cancelled(&seen).len();
    assert!(
        sent <= 2,
        "no third attempt of the cancelled search: {sent}"
    );
}

/// `loyalty write-off` on the faulty vendor's profile, with `--yes`.
async fn script_write_off(dir: &Path, url: &str) -> std::process::Output {
    script(dir, url, "t", &["--points", "10"]).await
}

/// `loyalty write-off 1234567 ARGS --yes` on a profile whose vendor is at `url`.
async fn script(dir: &Path, url: &str, token: &str, args: &[&str]) -> std::process::Output {
    let config = dir.join("faulty.toml");
    std::fs::write(
        &config,
        format!(
            "default_profile = \"faulty\"\nrequest_timeout_seconds = {TIMEOUT}\n\
             [profiles.faulty.ext]\nbase_url = \"{url}\"\ntoken = \"{token}\"\n"
        ),
    )
    .unwrap();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_loyalty"));
    cmd.env_clear()
        .env("LANG", "en_US.UTF-8")
        .env("LOYALTY_CONFIG", &config)
        .env("LOYALTY_DATA_DIR", dir)
        .env("LOYALTY_STATE_DIR", dir.join("logs"))
        .args(["write-off", "1234567", "--yes"])
        .args(args);
    common::same_clock(&mut cmd);
    // The vendor answers on this runtime's threads while the command runs.
    tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap()
}

/// `loyalty write-off` through a gateway in front of a real vendor, failing as `after`
/// says: the exit code, what it said, and how many write-offs reached the vendor.
async fn script_behind(after: After, args: &[&str]) -> (Option<i32>, String, usize, i64) {
    script_journalled(after, args, "unknown").await
}

/// As [`script_behind`], once the journal holds `outcome`.
async fn script_journalled(
    after: After,
    args: &[&str],
    outcome: &str,
) -> (Option<i32>, String, usize, i64) {
    let dir = tempfile::tempdir().unwrap();
    let s = TestServer::start(3).await;
    let gateway = Gateway::start(s.addr).await;
    gateway.fail("/balance/write_off/", after, 1);
    let out = script(dir.path(), &gateway.url, common::TOKEN, args).await;
    let said =
        String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
    let points = s.adapter().balance(common::SAMPLE).await.unwrap().points;
    journal_with(dir.path(), &format!("\"outcome\":\"{outcome}\""));
    (
        out.status.code(),
        said,
        gateway.seen.count("/balance/write_off/"),
        points.minor(),
    )
}

/// Applied, answered 502, and the check cannot single it out: unknown (4), never "run it
/// again" (3).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_line_exits_4_after_a_502_that_applied() {
    let (code, said, sent, points) = script_behind(After::Status(502), &["--points", "10"]).await;
    assert_eq!(code, Some(4), "{said}");
    assert!(said.contains("another till may have taken it"), "{said}");
    assert_eq!((sent, points), (1, 123_456 - 1_000), "{said}");
}

/// Applied with a coupon, answered with garbage: the coupon is gone, which proves it went
/// through (0).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_line_exits_0_when_the_check_finds_it_applied() {
    let args = ["--points", "10", "--coupon", "1235"];
    let (code, said, sent, points) = script_behind(After::Garbage, &args).await;
    assert_eq!(code, Some(0), "{said}");
    assert!(said.contains("went through"), "{said}");
    assert_eq!((sent, points), (1, 123_456 - 1_000), "{said}");
}

/// A 500 from a gateway that never reached the vendor: the check proves nothing was taken,
/// and only then does the command say so (3).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_line_exits_3_only_when_the_check_proves_nothing_was_taken() {
    let (code, said, sent, points) = script_behind(After::Before(500), &["--points", "10"]).await;
    assert_eq!(code, Some(3), "{said}");
    assert!(said.contains("did NOT go through"), "{said}");
    assert_eq!((sent, points), (1, 123_456), "{said}");
}

/// Unanswered, then checked: the balance and coupons are as before, so the command says it
/// did not go through (exit 3) and sends nothing again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_line_checks_an_unanswered_write_off_and_does_not_resend() {
    let dir = tempfile::tempdir().unwrap();
    let (url, seen) = vendor(Fault::Slow).await;
    let out = script_write_off(dir.path(), &url).await;
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{said}");
    assert!(said.contains("did NOT go through"), "{said}");
    assert_eq!(seen.keys().len(), 1, "never sent again on its own");
    let key = only_key(&seen);
    let j = journal_with(dir.path(), "\"outcome\":\"not_applied_after_check\"");
    assert!(
        j.contains(&key) && j.contains("\"outcome\":\"unknown\""),
        "{j}"
    );
}

/// Unanswered, and the balance fell by exactly the amount with nothing to say it was this
/// write-off: the outcome is unknown (exit 4), the key is given to look it up by.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_line_exits_4_when_the_check_cannot_tell() {
    let dir = tempfile::tempdir().unwrap();
    let (url, seen) = vendor(Fault::SlowAndTaken).await;
    let out = script_write_off(dir.path(), &url).await;
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{said}");
    assert!(said.contains("another till may have taken it"), "{said}");
    assert_eq!(seen.keys().len(), 1, "never sent again on its own");
    let key = only_key(&seen);
    assert!(said.contains(&format!("Write-off key: {key}")), "{said}");
    journal_with(dir.path(), "\"outcome\":\"unclear_after_check\"");
}

/// A refusal (a 4xx page from the gateway): exit 1, said in the catalogue's words, and
/// neither the page nor the console's own type names reach the person.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refusal_is_said_in_words_without_the_vendors_page() {
    let (code, said, sent, points) =
        script_journalled(After::Before(422), &["--points", "10"], "refused").await;
    assert_eq!(code, Some(1), "{said}");
    assert!(said.contains("Not written off."), "{said}");
    for raw in ["<html", "nginx", "Rejected", "422"] {
        assert!(!said.contains(raw), "{raw}: {said}");
    }
    assert_eq!((sent, points), (1, 123_456), "{said}");
}
