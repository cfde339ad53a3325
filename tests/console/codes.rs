//! Confirmation codes at the till, in Russian at 80x24: `loyalty serve` wants a code for
//! every write-off and sends it to its file outbox; the cashier types the code the client
//! reads out (here: read from the outbox) and the write-off goes through, or types a wrong
//! one and is told so, with nothing written off.

use super::common;
use super::e2e::{MANAGER_PIN, consent_to_100, served_with_a_manager};
use common::tmux::Tmux;
use std::path::Path;
use std::time::Instant;

/// A `loyalty serve` whose every write-off needs a code, sending codes to `dir/outbox`,
/// with a manager «Ольга», and the console's profile pointing at it. The server is killed
/// when its handle drops.
fn served_with_codes(dir: &Path) -> (common::Reaped, Tmux) {
    let outbox = dir.join("outbox");
    let outbox = outbox.to_str().expect("a UTF-8 temporary path");
    served_with_a_manager(dir, &["--code-policy", "always", "--code-outbox", outbox])
}

/// The code in the newest file of the outbox, once one is there.
fn code_from_outbox(dir: &Path) -> String {
    let start = Instant::now();
    while common::outbox::files(dir).is_empty() {
        assert!(
            start.elapsed() < common::tmux::DEADLINE,
            "no code in the outbox"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    common::outbox::newest(dir)
}

/// Finds the sample client, asks to write off 100 points and consents: the code step.
fn to_the_code_step(tui: &Tmux) -> String {
    consent_to_100(tui);
    tui.wait_for("Код отправлен")
}

#[test]
fn the_cashier_types_the_clients_code_and_the_write_off_goes_through() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, tui) = served_with_codes(dir.path());
    let step = to_the_code_step(&tui);
    assert!(step.contains("Код подтверждения"), "{step}");
    assert!(
        !step.contains("Списано"),
        "nothing is written off before the code:\n{step}"
    );
    let code = code_from_outbox(dir.path());
    tui.text(&code);
    tui.keys(&["Enter"]);
    tui.wait_for("Списано: Баллы 100,00");
    tui.wait_for("Баллы 1 134,56");
}

#[test]
fn a_wrong_code_is_refused_and_nothing_is_written_off() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, tui) = served_with_codes(dir.path());
    to_the_code_step(&tui);
    let code = code_from_outbox(dir.path());
    // Another code of as many digits: the last digit moved on by one.
    let wrong: String = code
        .char_indices()
        .map(|(i, c)| match i == code.len() - 1 {
            true => char::from(b'0' + (c as u8 - b'0' + 1) % 10),
            false => c,
        })
        .collect();
    tui.text(&wrong);
    tui.keys(&["Enter"]);
    let refused = tui.wait_for("Код не тот");
    assert!(refused.contains("Ничего не списано"), "{refused}");
    // Still the code step, and the balance as it was once closed.
    tui.keys(&["Escape", "Escape"]);
    let after = tui.wait_without("Код подтверждения");
    assert!(!after.contains("Списано:"), "{after}");
    tui.keys(&["r"]);
    tui.wait_for("Баллы 1 234,56");
}

#[test]
fn a_managers_pin_lets_it_go_without_the_code_and_f7_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, tui) = served_with_codes(dir.path());
    to_the_code_step(&tui);
    tui.keys(&["Tab"]);
    tui.text(MANAGER_PIN);
    let typed = tui.screen();
    assert!(!typed.contains(MANAGER_PIN), "the PIN is masked:\n{typed}");
    tui.keys(&["Enter"]);
    tui.wait_for("Списано: Баллы 100,00");
    tui.keys(&["F7"]);
    let journal = tui.wait_for("PIN вместо кода");
    assert!(journal.contains("списано"), "{journal}");
    tui.keys(&["s"]);
    let report = tui.wait_for("Без кода, по PIN менеджера");
    assert!(report.contains("Ольга"), "both names:\n{report}");
}
