//! The console against a vendor that fails: a write-off answered with 500, answered too
//! late, or cut off mid-request, and a balance that is not JSON. Each time the console says
//! what happened, keeps working, and its journal records it.

mod common;

use common::tmux::Tmux;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[derive(Clone, Copy, PartialEq)]
enum Fault {
    /// The write-off gets a 500.
    ServerError,
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
    searches: AtomicUsize,
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
            Fault::ServerError => response(
                "500 Internal Server Error",
                "<html>upstream exploded</html>",
            ),
            Fault::Slow | Fault::SlowAndTaken if first => {
                tokio::time::sleep(Duration::from_secs(4)).await;
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
        seen.searches.fetch_add(1, Ordering::SeqCst);
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

/// The console on a profile pointing at the faulty vendor, with a one-second timeout.
fn console(dir: &Path, url: &str) -> Tmux {
    let config = dir.join("faulty.toml");
    std::fs::write(
        &config,
        format!(
            "default_profile = \"faulty\"\nrequest_timeout_seconds = 1\n\
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_500_on_write_off_is_a_refusal_shown_in_the_form() {
    let dir = tempfile::tempdir().unwrap();
    let (url, seen) = vendor(Fault::ServerError).await;
    let tui = console(dir.path(), &url);
    write_off_ten(&tui);
    let screen = tui.wait_for("The server refused");
    assert!(screen.contains("500"), "{screen}");
    journal_with(dir.path(), "\"outcome\":\"refused\"");
    assert_eq!(seen.keys().len(), 1, "a write-off is sent once");
    only_key(&seen);
    tui.keys(&["Escape"]);
    still_works(&tui);
    assert_eq!(seen.keys().len(), 1);
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
    tui.wait_for("Unexpected answer from the server");
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
    tui.wait_for("Server error");
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
    let tui = console(dir.path(), &url);
    tui.wait_for("Search: phone or email");
    tui.text("7912345678");
    tui.keys(&["Enter"]);
    tui.wait_for("try 2/3 · Esc cancels");
    tui.keys(&["Escape"]);
    let screen = tui.wait_for("Cancelled: no longer waiting");
    assert!(!screen.contains("Esc cancels"), "{screen}");
    let sent = seen.searches.load(Ordering::SeqCst);
    assert!(
        sent <= 2,
        "no third attempt of the cancelled search: {sent}"
    );
    // The console goes on: a new search is sent as usual.
    tui.keys(&["Escape"]);
    tui.text("1");
    tui.wait_for("· Esc cancels");
}

/// `loyalty write-off` on the faulty vendor's profile (one-second timeout), with `--yes`.
async fn script_write_off(dir: &Path, url: &str) -> std::process::Output {
    let config = dir.join("faulty.toml");
    std::fs::write(
        &config,
        format!(
            "default_profile = \"faulty\"\nrequest_timeout_seconds = 1\n\
             [profiles.faulty.ext]\nbase_url = \"{url}\"\ntoken = \"t\"\n"
        ),
    )
    .unwrap();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_loyalty"));
    cmd.env_clear()
        .env("LANG", "en_US.UTF-8")
        .env("LOYALTY_CONFIG", &config)
        .env("LOYALTY_DATA_DIR", dir)
        .env("LOYALTY_STATE_DIR", dir.join("logs"))
        .args(["write-off", "1234567", "--points", "10", "--yes"]);
    // The vendor answers on this runtime's threads while the command runs.
    tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap()
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
