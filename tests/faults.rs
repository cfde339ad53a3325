//! The console against a vendor that fails: a write-off answered with 500, answered too
//! late, or cut off mid-request, and a balance that is not JSON. Each time the console says
//! what happened, keeps working, and its journal records it.

mod common;

use common::tmux::Tmux;
use std::path::Path;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[derive(Clone, Copy)]
enum Fault {
    /// The write-off gets a 500.
    ServerError,
    /// The write-off is answered after the console has stopped waiting.
    Slow,
    /// The connection is reset once the write-off has been sent.
    Reset,
    /// The balance answer is not JSON.
    GarbageBalance,
}

fn response(status: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
}

/// One request per connection (every answer closes it), so each is seen on its own.
async fn handle(mut socket: TcpStream, fault: Fault) {
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
        match fault {
            Fault::ServerError => response(
                "500 Internal Server Error",
                "<html>upstream exploded</html>",
            ),
            Fault::Slow => {
                tokio::time::sleep(Duration::from_secs(4)).await;
                response("200 OK", "")
            }
            Fault::Reset => {
                // Linger 0 turns the close into a reset; with a zero timeout the drop does not
                // block, which is what the deprecation warns about.
                #[allow(deprecated)]
                let _ = socket.set_linger(Some(Duration::ZERO));
                return;
            }
            Fault::GarbageBalance => response("200 OK", ""),
        }
    } else if line.contains("/balance/history/") {
        response("200 OK", "[]")
    } else if line.contains("/balance/") {
        match fault {
            Fault::GarbageBalance => response("200 OK", "{\"amount\": oops"),
            _ => response(
                "200 OK",
                r#"[{"amount":1234.56,"currency":"points"},{"amount":4321.06,"currency":"rubles"}]"#,
            ),
        }
    } else if line.contains("/coupons/") {
        response("200 OK", "[]")
    } else {
        response(
            "200 OK",
            r#"[{"id":1234567,"email":"test@test.ru","phone":"7912345678","name":"Client First"}]"#,
        )
    };
    let _ = socket.write_all(answer.as_bytes()).await;
}

async fn vendor(fault: Fault) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            tokio::spawn(handle(socket, fault));
        }
    });
    format!("http://{addr}")
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
    tui.wait_for("Search: phone or email");
    tui.text("7912345678");
    tui.keys(&["Enter"]);
    tui.wait_for("▶ Clients (1)");
    tui.keys(&["Enter"]);
    tui.wait_for("Points 1,234.56");
    tui.keys(&["w"]);
    tui.wait_for("Write-off · Client First");
    tui.text("10");
    tui.keys(&["Enter"]);
    tui.wait_for("Confirm write-off");
    tui.keys(&["y"]);
}

/// The console still answers: back to the search, and a new search shows results.
fn still_works(tui: &Tmux) {
    tui.keys(&["Escape"]);
    tui.keys(&["/"]);
    tui.text("test@test");
    tui.keys(&["Enter"]);
    tui.wait_for("t***@test.ru");
}

fn journal(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("journal.jsonl")).unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_500_on_write_off_is_a_refusal_shown_in_the_form() {
    let dir = tempfile::tempdir().unwrap();
    let tui = console(dir.path(), &vendor(Fault::ServerError).await);
    write_off_ten(&tui);
    let screen = tui.wait_for("The server refused");
    assert!(screen.contains("500"), "{screen}");
    let j = journal(dir.path());
    assert!(j.contains("\"outcome\":\"refused\""), "{j}");
    tui.keys(&["Escape"]);
    still_works(&tui);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_late_answer_is_outcome_unknown_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let tui = console(dir.path(), &vendor(Fault::Slow).await);
    write_off_ten(&tui);
    let screen = tui.wait_for("did NOT go through");
    assert!(screen.contains("same key"), "{screen}");
    let j = journal(dir.path());
    assert!(j.contains("\"outcome\":\"unknown\""), "{j}");
    assert!(j.contains("\"outcome\":\"not_applied_after_check\""), "{j}");
    still_works(&tui);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reset_connection_is_outcome_unknown_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let tui = console(dir.path(), &vendor(Fault::Reset).await);
    write_off_ten(&tui);
    tui.wait_for("did NOT go through");
    let j = journal(dir.path());
    assert!(j.contains("\"outcome\":\"unknown\""), "{j}");
    assert!(j.contains("\"outcome\":\"not_applied_after_check\""), "{j}");
    still_works(&tui);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn garbage_json_is_an_unexpected_answer_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let tui = console(dir.path(), &vendor(Fault::GarbageBalance).await);
    tui.wait_for("Search: phone or email");
    tui.text("7912345678");
    tui.keys(&["Enter"]);
    tui.wait_for("▶ Clients (1)");
    tui.keys(&["Enter"]);
    tui.wait_for("Unexpected answer from the server");
    // Without a balance there is nothing to write off from: `w` opens nothing.
    tui.keys(&["w"]);
    let screen = tui.screen();
    assert!(!screen.contains("Write-off ·"), "{screen}");
    still_works(&tui);
}
