//! End-to-end journeys of the real binary in a pseudo-terminal. tmux provides the terminal
//! and its screen emulation; the test types keys and polls the emulated screen until what it
//! expects appears (never a fixed sleep), printing the screen when it does not.

use crate::common;

use common::tmux::{DEADLINE, Tmux};
use std::time::{Duration, Instant};

#[test]
fn cashier_finds_a_client_and_writes_off_points_in_russian() {
    let dir = tempfile::tempdir().unwrap();
    let tui = Tmux::start(dir.path(), "ru_RU.UTF-8", 80, 24);
    tui.wait_for("Создана демо-база");
    tui.text("7912345678");
    tui.wait_for("Client First");
    tui.keys(&["Enter"]);
    // One match: Enter opened it.
    tui.wait_for("▶ Клиенты (1)");
    tui.wait_for("Баллы 1 234,56");
    tui.wait_for("ИСТЁК");
    tui.keys(&["w"]);
    tui.wait_for("Списание · Client First");
    tui.text("100");
    tui.keys(&["Enter"]);
    tui.wait_for("Подтвердите списание");
    // The screen is read as tmux has it: the dialog's title may be drawn before its buttons
    // (a frame caught halfway), so the focus is read once the buttons are there.
    let confirm = tui.wait_for("[ Отмена ]");
    assert!(
        confirm.contains("▶[ Отмена ]◀"),
        "Cancel has the focus:\n{confirm}"
    );
    tui.keys(&["y"]);
    let done = tui.wait_for("Баллы 1 134,56");
    assert!(done.contains("Списано: Баллы 100,00"), "{done}");
    tui.wait_for("-100,00");
    tui.keys(&["q"]);
    let start = Instant::now();
    while !tui.exited() {
        assert!(
            start.elapsed() < DEADLINE,
            "q did not quit:\n{}",
            tui.screen()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let log = common::tmux::console_log(dir.path());
    assert!(
        log.contains("outcome=\"applied\"") || log.contains("outcome=applied"),
        "{log}"
    );
    // The built-in server listens on loopback only.
    assert!(log.contains("embedded server on 127.0.0.1:"), "{log}");
    let journal = std::fs::read_to_string(dir.path().join("journal.jsonl")).unwrap();
    assert!(
        journal.contains("\"event\":\"attempt\"") && journal.contains("\"outcome\":\"applied\""),
        "{journal}"
    );
}

#[test]
fn an_overdraw_is_explained_and_a_too_small_terminal_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let tui = Tmux::start(dir.path(), "en_US.UTF-8", 80, 24);
    tui.wait_for("Demo database created");
    tui.text("test@test.ru");
    tui.keys(&["Enter"]);
    // One match: Enter opened it.
    tui.wait_for("▶ Clients (1)");
    tui.wait_for("Points 1,234.56");
    tui.keys(&["w"]);
    tui.wait_for("Write-off · Client First");
    tui.text("99999");
    tui.keys(&["Enter"]);
    tui.wait_for("more than available: 1,234.56");
    tui.resize(60, 20);
    tui.wait_for("The terminal is 60×20; it needs at least 80×24");
    tui.resize(80, 24);
    tui.wait_for("more than available");
}

#[test]
fn admin_creates_a_group_sees_it_and_removes_it_after_confirmation() {
    let dir = tempfile::tempdir().unwrap();
    let tui = Tmux::start(dir.path(), "en_US.UTF-8", 80, 24);
    tui.wait_for("Demo database created");
    tui.keys(&["F3"]);
    tui.wait_for("Marketing groups (4)");
    tui.keys(&["n"]);
    tui.wait_for("New group");
    tui.text("Coffee club");
    tui.keys(&["Tab", "Tab"]);
    tui.text("12.5");
    tui.keys(&["Tab"]);
    tui.text("300");
    tui.keys(&["Enter"]);
    tui.wait_for("Group “Coffee club” saved");
    let list = tui.wait_for("Marketing groups (5)");
    assert!(
        list.contains("Coffee club") && list.contains("300.00 ₽"),
        "{list}"
    );
    tui.keys(&["Down", "Down", "Down", "Down", "d"]);
    let confirm = tui.wait_for("Remove the group?");
    assert!(confirm.contains("Group “Coffee club”"), "{confirm}");
    assert!(
        confirm.contains("Removed data cannot be restored!"),
        "{confirm}"
    );
    assert!(
        confirm.contains("▶[ Cancel ]◀"),
        "Cancel has the focus:\n{confirm}"
    );
    tui.keys(&["y"]);
    tui.wait_for("Group “Coffee club” removed");
    let after = tui.wait_for("Marketing groups (4)");
    assert!(!after.contains("Coffee club  "), "{after}");
}

#[test]
fn a_whole_session_at_trace_level_logs_no_secret() {
    use std::process::Command;
    let dir = tempfile::tempdir().unwrap();
    let (token, password, key) = ("tok-SECRET-4f1e", "pw-SECRET-9a7c", "key-SECRET-2d3b");
    let (mut server, url) = common::spawn_serve(
        Command::new(env!("CARGO_BIN_EXE_loyalty"))
            .args(["serve", "--listen", "127.0.0.1:0", "--demo", "30"])
            .args([
                "--token",
                token,
                "--manager-password",
                password,
                "--integration-key",
                key,
            ])
            .arg("--db")
            .arg(dir.path().join("shop.db")),
    );
    let config = dir.path().join("shop.toml");
    std::fs::write(
        &config,
        format!(
            "default_profile = \"shop\"\n\
             [profiles.shop.ext]\nbase_url = \"{url}\"\nlogin = \"kassa@shop.ru\"\napi_key = \"{token}\"\nwrite_off = \"hold\"\n\
             [profiles.shop.poster]\nbase_url = \"{url}\"\ntoken = \"{token}\"\n\
             [profiles.shop.mloyalty]\nbase_url = \"{url}\"\nusername = \"79990000000\"\npassword = \"{password}\"\n\
             [profiles.shop.regos]\nbase_url = \"{url}\"\nintegration_key = \"{key}\"\n"
        ),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let extra = format!("LOYALTY_LOG=trace LOYALTY_CONFIG='{}'", config.display());
    let tui = Tmux::start_with(dir.path(), "en_US.UTF-8", 100, 30, &extra);
    // Keys typed before the console owns the terminal would be cooked by the tty.
    tui.wait_for("Search: phone or email");
    tui.text("7912345678");
    tui.keys(&["Enter"]);
    // One match: Enter opened it.
    tui.wait_for("▶ Clients (1)");
    tui.wait_for("Points 1,234.56");
    tui.keys(&["w"]);
    tui.text("1");
    tui.keys(&["Enter"]);
    tui.wait_for("Confirm write-off");
    tui.keys(&["y"]);
    tui.wait_for("Points 1,233.56");
    tui.keys(&["F3"]);
    tui.wait_for("Marketing groups (4)");
    tui.keys(&["F4"]);
    tui.wait_for("Promotion accumulations");
    tui.keys(&["F5"]);
    tui.wait_for("Client registrations");
    tui.keys(&["F6"]);
    tui.text("1");
    tui.keys(&["Tab"]);
    tui.text("1");
    tui.keys(&["Enter"]);
    tui.wait_for("Card 1 ·");
    tui.keys(&["F7"]);
    tui.wait_for("written off");
    tui.keys(&["q"]);
    let start = Instant::now();
    while !tui.exited() {
        assert!(start.elapsed() < DEADLINE, "q did not quit");
        std::thread::sleep(Duration::from_millis(50));
    }
    server.kill().unwrap();
    server.wait().unwrap();
    let log = common::tmux::console_log(dir.path());
    assert!(
        log.lines().count() > 20 && log.contains("TRACE"),
        "the log is at TRACE:\n{log}"
    );
    let journal = std::fs::read_to_string(dir.path().join("journal.jsonl")).unwrap();
    // The profile writes off in holds: the journal has the hold's transaction id, held and
    // then written off.
    let transactions: Vec<serde_json::Value> = journal
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["event"] == "transaction")
        .collect();
    assert_eq!(transactions.len(), 2, "{journal}");
    assert_eq!(
        (
            transactions[0]["step"].as_str(),
            transactions[1]["step"].as_str()
        ),
        (Some("held"), Some("written_off"))
    );
    assert_eq!(
        transactions[0]["transaction_id"],
        transactions[1]["transaction_id"]
    );
    for secret in [token, password, key, "SECRET"] {
        assert!(!log.contains(secret), "{secret} leaked into the log");
        assert!(
            !journal.contains(secret),
            "{secret} leaked into the journal"
        );
    }
}

/// F6 without knowing a card id: the admin types the last four digits of the client's phone,
/// as on F2, picks the card from the list, and its operations open.
#[test]
fn an_admin_finds_a_card_by_phone_and_sees_its_operations() {
    let dir = tempfile::tempdir().unwrap();
    let tui = Tmux::start(dir.path(), "ru_RU.UTF-8", 80, 24);
    tui.wait_for("Создана демо-база");
    tui.keys(&["F6"]);
    tui.wait_for("Операции по карте");
    tui.text("5678");
    tui.keys(&["Enter"]);
    tui.wait_for("Карты по «5678»");
    let list = tui.wait_for("Client First");
    assert!(list.contains("Бонусная программа"), "{list}");
    tui.keys(&["Enter"]);
    let ops = tui.wait_for("Карта 1 · стр. 1");
    assert!(
        ops.contains("Карта [#1"),
        "the picked card is in the filter:\n{ops}"
    );
}

/// Mloyalty as its own servers sign in: the JWT carries `oper` and no `token`, and the
/// profile gives the token. F5 shows the registrations.
#[test]
fn registrations_with_a_jwt_that_carries_only_oper() {
    use std::process::Command;
    let dir = tempfile::tempdir().unwrap();
    let (mut server, url) = common::spawn_serve(
        Command::new(env!("CARGO_BIN_EXE_loyalty"))
            .args(["serve", "--listen", "127.0.0.1:0", "--demo", "30"])
            .args(["--manager-password", "pw", "--mloyalty-jwt-without-token"])
            .arg("--db")
            .arg(dir.path().join("shop.db")),
    );
    let config = dir.path().join("ml.toml");
    std::fs::write(
        &config,
        format!(
            "default_profile = \"ml\"\n[profiles.ml.mloyalty]\nbase_url = \"{url}\"\n\
             username = \"+79990000000\"\npassword = \"pw\"\ntoken = 1001\n"
        ),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let extra = format!("LOYALTY_CONFIG='{}'", config.display());
    let tui = Tmux::start_with(dir.path(), "en_US.UTF-8", 80, 24, &extra);
    tui.keys(&["F5"]);
    tui.wait_for("Client registrations");
    // The last 60 days, not a preset: the demo's newest card is days old, so "this year"
    // (or "this month") is empty in the first days of January (or of a month).
    let today = jiff::Zoned::now()
        .with_time_zone(jiff::tz::TimeZone::get("Europe/Moscow").unwrap())
        .date();
    let from = today.checked_sub(jiff::Span::new().days(60)).unwrap();
    tui.keys(&["/", "C-u"]);
    tui.text(&from.to_string());
    tui.keys(&["Tab", "C-u"]);
    tui.text(&today.to_string());
    tui.keys(&["Enter"]);
    let screen = tui.wait_for("Per point of sale");
    assert!(screen.contains("in all"), "{screen}");
    assert!(
        screen.contains("20000000000"),
        "registered cards are listed:\n{screen}"
    );
    server.kill().unwrap();
    server.wait().unwrap();
}

/// Ctrl-Z hands the terminal back to the shell and `fg` draws the console again; SIGTERM
/// from outside leaves it as `q` does: the shell finds its terminal cooked and echoing.
#[test]
fn suspend_resume_and_sigterm_leave_the_terminal_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let tui = Tmux::shell(dir.path(), "en_US.UTF-8", 80, 24);
    tui.wait_for("shell>");
    tui.text("\"$LOYALTY\"");
    tui.keys(&["Enter"]);
    tui.wait_for("Search: phone or email");
    tui.keys(&["C-z"]);
    tui.wait_for("Stopped");
    tui.text("stty -a | grep -c -- '-icanon'");
    tui.keys(&["Enter"]);
    let shell = tui.wait_for("\n0\n");
    assert!(!shell.contains("Search: phone or email"), "{shell}");
    tui.keys(&["C-l"]);
    tui.text("fg");
    tui.keys(&["Enter"]);
    tui.wait_for("Search: phone or email");
    // Keys work after the return.
    tui.text("7912345678");
    tui.wait_for("Client First");

    let killed = std::process::Command::new("pkill")
        .args(["-TERM", "-P", &tui.pane_pid().to_string()])
        .status()
        .unwrap();
    assert!(killed.success(), "the console runs under the shell");
    // The shell's earlier prompts are back on screen at once; wait for the console itself
    // to be gone before typing to the shell.
    let deadline = Instant::now() + DEADLINE;
    while std::process::Command::new("pgrep")
        .args(["-P", &tui.pane_pid().to_string()])
        .status()
        .unwrap()
        .success()
    {
        assert!(Instant::now() < deadline, "the console outlived SIGTERM");
        std::thread::sleep(Duration::from_millis(20));
    }
    tui.keys(&["C-l"]);
    tui.text("stty -a | tr ' ' '\\n' | grep -x -e icanon -e echo -e -icanon -e -echo | sort | tr '\\n' ','; echo");
    tui.keys(&["Enter"]);
    tui.wait_for("echo,icanon,");
}

/// At the counter in Russian: `/` twice leaves the search text alone and the search goes
/// on; pasted text lands in the group form and in F6's card field, never in the hidden
/// search field.
#[test]
fn slash_twice_searches_and_pastes_land_in_forms_and_filters() {
    let dir = tempfile::tempdir().unwrap();
    let tui = Tmux::start(dir.path(), "ru_RU.UTF-8", 80, 24);
    tui.wait_for("Создана демо-база");
    tui.keys(&["/", "/"]);
    tui.text("5678");
    tui.wait_for("Client First");
    let screen = tui.screen();
    assert!(
        screen.contains("│5678 "),
        "no slash typed into the search:\n{screen}"
    );

    tui.keys(&["F3"]);
    tui.wait_for("Маркетинговые группы");
    tui.keys(&["n"]);
    tui.wait_for("Новая группа");
    tui.paste("Кофеманы с Арбата");
    tui.wait_for("Кофеманы с Арбата");

    // Ctrl-C with the typed name asks first; staying keeps it.
    tui.keys(&["C-c"]);
    tui.wait_for("Выйти?");
    tui.keys(&["n"]);
    // The name was on the screen behind the question: the question's going is the sign.
    tui.wait_without("Выйти?");
    tui.wait_for("Кофеманы с Арбата");
    tui.keys(&["Escape"]);
    tui.wait_without("Новая группа");
    tui.keys(&["F6"]);
    tui.wait_for("Операции по карте");
    tui.paste("79123456789");
    // The field is narrower than the number and shows its end.
    tui.wait_for("Карта [9123456789");
    tui.keys(&["F2"]);
    let screen = tui.wait_for("Поиск: телефон или email");
    assert!(
        screen.contains("│5678 ") && !screen.contains("567879123456789"),
        "the search field kept its own text:\n{screen}"
    );
}

/// `loyalty write-off` at a terminal asks first, in the UI language, naming the client (by
/// name and masked phone when given by phone); Enter alone declines and nothing moves; `д`
/// (yes) writes it off, and the journal has it.
#[test]
fn the_command_line_write_off_asks_at_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let tui = Tmux::shell(dir.path(), "ru_RU.UTF-8", 80, 24);
    tui.wait_for("shell>");
    tui.text("\"$LOYALTY\" write-off 1234567 --points 2,5; echo \"exit=$?\"");
    tui.keys(&["Enter"]);
    let screen = tui.wait_for("[y/N]");
    assert!(
        screen.contains("Клиент #1234567 (имя видно, если указать телефон). Списать Баллы 2,50?"),
        "{screen}"
    );
    tui.keys(&["Enter"]);
    let screen = tui.wait_for("exit=1");
    assert!(screen.contains("Ничего не списано"), "{screen}");
    tui.keys(&["C-l"]);
    tui.text("\"$LOYALTY\" write-off 7912345678 --points 2,5; echo \"exit=$?\"");
    tui.keys(&["Enter"]);
    // Only the new question names the client: the cleared screen's cannot be taken for it.
    tui.wait_for("Клиент Client First (******5678, #1234567). Списать Баллы 2,50? [y/N]");
    tui.text("д");
    tui.keys(&["Enter"]);
    let screen = tui.wait_for("exit=0");
    assert!(screen.contains("Списано: Баллы 2,50"), "{screen}");
    tui.keys(&["C-l"]);
    tui.text("\"$LOYALTY\" client show 1234567");
    tui.keys(&["Enter"]);
    tui.wait_for("1 232,06");
    let journal = std::fs::read_to_string(dir.path().join("journal.jsonl")).unwrap();
    assert_eq!(
        journal.matches("\"event\":\"attempt\"").count(),
        1,
        "{journal}"
    );
}

/// A `keys.toml` that moves the write-off to F9: the hint bar says F9, F9 opens the
/// write-off, and `w` no longer does.
#[test]
fn keys_toml_rebinds_write_off_to_f9_and_the_hint_bar_says_so() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("config")).unwrap();
    std::fs::write(
        dir.path().join("config/keys.toml"),
        "[global]\nwrite_off = \"F9\"\n",
    )
    .unwrap();
    let tui = Tmux::start(dir.path(), "ru_RU.UTF-8", 80, 24);
    tui.wait_for("Создана демо-база");
    tui.text("7912345678");
    tui.keys(&["Enter"]);
    tui.wait_for("Баллы 1 234,56");
    let screen = tui.wait_for("F9 списать");
    assert!(!screen.contains(" w списать"), "{screen}");
    tui.keys(&["w"]);
    tui.keys(&["F9"]);
    tui.wait_for("Списание · Client First");
    tui.keys(&["Escape"]);
    let screen = tui.wait_for("F9 списать");
    assert!(
        screen.contains("7912345678") && !screen.contains("7912345678w"),
        "the w pressed before did nothing, not even typed into the search:\n{screen}"
    );
}

/// With `mouse = true` the terminal reports clicks (sent here as the SGR sequences a
/// terminal writes): a click on a tab shows its screen, the wheel moves through the table,
/// a click on a row selects it.
#[test]
fn with_mouse_on_a_click_shows_a_tab_and_picks_a_row() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("config")).unwrap();
    std::fs::write(dir.path().join("config/config.toml"), "mouse = true\n").unwrap();
    let tui = Tmux::start(dir.path(), "ru_RU.UTF-8", 80, 24);
    let screen = tui.wait_for("Создана демо-база");
    let column = screen
        .lines()
        .next()
        .unwrap()
        .split("F3")
        .next()
        .unwrap()
        .chars()
        .count()
        + 1;
    // Press and release of the left button over "F3" (SGR columns and rows count from 1).
    tui.text(&format!("\x1b[<0;{column};1M\x1b[<0;{column};1m"));
    tui.wait_for("Маркетинговые группы (4)");
    tui.text("\x1b[<65;20;6M\x1b[<65;20;6M");
    tui.wait_for("▶3 Скидочная система 20%");
    tui.text("\x1b[<0;20;4M\x1b[<0;20;4m");
    tui.wait_for("▶1 Постоянный посетитель");
}

/// A client is open; the next phone, typed on the list, finds nobody: the old card goes with
/// the old list, and `w` opens no write-off but says what to do.
#[test]
fn a_search_that_finds_nobody_leaves_nothing_to_write_off_from() {
    let dir = tempfile::tempdir().unwrap();
    let tui = Tmux::start(dir.path(), "ru_RU.UTF-8", 80, 24);
    tui.wait_for("Создана демо-база");
    tui.text("7912345678");
    tui.wait_for("Client First");
    tui.keys(&["Enter"]);
    tui.wait_for("Баллы 1 234,56");
    tui.text("0000000000");
    tui.keys(&["Enter"]);
    tui.wait_for("Никого не найдено");
    tui.keys(&["w"]);
    // The notice is the sign `w` was handled.
    let screen = tui.wait_for("Клиент не открыт");
    assert!(
        !screen.contains("Списание"),
        "no write-off dialog:\n{screen}"
    );
    assert!(
        !screen.contains("Client First") && !screen.contains("1 234,56"),
        "the old card is gone:\n{screen}"
    );
    assert!(screen.contains("Клиенты (0)"), "{screen}");
}

/// The next client costs the keys the first did: their phone typed straight on the list is a
/// new search, not the end of the last one.
#[test]
fn the_next_clients_phone_typed_on_the_list_opens_the_next_client() {
    let dir = tempfile::tempdir().unwrap();
    let tui = Tmux::start(dir.path(), "ru_RU.UTF-8", 80, 24);
    tui.wait_for("Создана демо-база");
    tui.text("7912345678");
    tui.wait_for("Client First");
    tui.keys(&["Enter"]);
    tui.wait_for("Баллы 1 234,56");
    // The demo's third client (its data is the same for every run of the same size).
    tui.text("9000016266");
    tui.wait_for("Пётр Морозов");
    tui.keys(&["Enter"]);
    let screen = tui.wait_for("┌ Пётр Морозов");
    assert!(
        screen.contains("│9000016266 ") && !screen.contains("79123456789000016266"),
        "a new query, not the last one's end:\n{screen}"
    );
    assert!(screen.contains("Клиенты (1)"), "{screen}");
    assert!(!screen.contains("Client First"), "{screen}");
}

/// A profile whose Mloyalty login is not a phone: the console starts, the cashier finds a
/// client and opens the card, and F5 says which key of which file is wrong (Russian, 80x24).
#[test]
fn a_wrong_mloyalty_section_leaves_the_till_working_and_f5_says_why() {
    use std::process::Command;
    let dir = tempfile::tempdir().unwrap();
    let (mut server, url) = common::spawn_serve(
        Command::new(env!("CARGO_BIN_EXE_loyalty"))
            .env_clear()
            .args(["serve", "--listen", "127.0.0.1:0", "--demo", "30"])
            .args(["--token", "tok", "--db"])
            .arg(dir.path().join("shop.db")),
    );
    let config = dir.path().join("shop.toml");
    std::fs::write(
        &config,
        format!(
            "default_profile = \"shop\"\n[profiles.shop.ext]\nbase_url = \"{url}\"\ntoken = \"tok\"\n\
             [profiles.shop.mloyalty]\nbase_url = \"{url}\"\nusername = \"manager\"\npassword_env = \"ML_PW\"\n"
        ),
    )
    .unwrap();
    let extra = format!("LOYALTY_CONFIG='{}'", config.display());
    let tui = Tmux::start_with(dir.path(), "ru_RU.UTF-8", 80, 24, &extra);
    tui.text("7912345678");
    tui.wait_for("Client First");
    tui.keys(&["Enter"]);
    tui.wait_for("Баллы");
    tui.keys(&["F5"]);
    let screen = tui.wait_for("Экран отключён");
    assert!(
        screen.contains("mloyalty") && screen.contains("username — телефон менеджера"),
        "{screen}"
    );
    assert!(screen.contains("shop.toml"), "the file to fix: {screen}");
    // A vendor not configured at all: the snippet goes into the file in use.
    tui.keys(&["F3"]);
    let screen = tui.wait_for("Добавьте в");
    assert!(screen.contains("shop.toml:"), "{screen}");
    tui.keys(&["F2"]);
    tui.wait_for("Client First");
    server.kill().unwrap();
    server.wait().unwrap();
}

/// The manager's PIN the money-both-ways journeys add with `serve user add --pin-env`.
/// Eight digits: the checks that no PIN is written anywhere would take a shorter one, turning
/// up by chance in a random idempotency key or a timestamp, for a leak.
pub(super) const MANAGER_PIN: &str = "24681357";

/// A `loyalty serve` over a fresh file with a manager «Ольга» (PIN from the environment) and
/// `limits` (or any other serve flags) on its command line, and the console's profile pointing at it in Russian at
/// 80x24. The server is killed when its handle drops.
pub(super) fn served_with_a_manager(
    dir: &std::path::Path,
    limits: &[&str],
) -> (common::Reaped, common::tmux::Tmux) {
    use std::process::Command;
    let db = dir.join("shop.db");
    let added = Command::new(env!("CARGO_BIN_EXE_loyalty"))
        .args(["serve", "user", "add", "Ольга", "--role", "manager"])
        .args(["--pin-env", "MANAGER_PIN", "--db"])
        .arg(&db)
        .env("MANAGER_PIN", MANAGER_PIN)
        .output()
        .unwrap();
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let (server, url) = common::spawn_serve(
        Command::new(env!("CARGO_BIN_EXE_loyalty"))
            .args(["serve", "--listen", "127.0.0.1:0", "--demo", "30"])
            .args(["--token", "tok-journey"])
            .args(limits)
            .arg("--db")
            .arg(&db),
    );
    let config = dir.join("shop.toml");
    std::fs::write(
        &config,
        format!(
            "default_profile = \"shop\"\n\
             [profiles.shop.ext]\nbase_url = \"{url}\"\ntoken_env = \"SHOP_TOKEN\"\n"
        ),
    )
    .unwrap();
    let extra = format!(
        "SHOP_TOKEN=tok-journey LOYALTY_CONFIG='{}'",
        config.display()
    );
    let tui = Tmux::start_with(dir, "ru_RU.UTF-8", 80, 24, &extra);
    // Keys typed before the console owns the terminal would be cooked by the tty.
    tui.wait_for("Поиск: телефон или email");
    (server, tui)
}

/// Finds the sample client, asks to write off 100 points and consents (`y`).
pub(super) fn consent_to_100(tui: &Tmux) {
    tui.text("7912345678");
    tui.keys(&["Enter"]);
    tui.wait_for("▶ Клиенты (1)");
    tui.wait_for("Баллы 1 234,56");
    tui.keys(&["w"]);
    tui.wait_for("Списание · Client First");
    tui.text("100");
    tui.keys(&["Enter"]);
    tui.wait_for("Подтвердите списание");
    tui.keys(&["y"]);
}

/// Finds the sample client and writes off 100 points, confirmed; the screen after.
fn write_off_100(tui: &Tmux) -> String {
    consent_to_100(tui);
    tui.wait_for("Списано: Баллы 100,00")
}

fn quit(tui: &Tmux) {
    tui.keys(&["q"]);
    let start = Instant::now();
    while !tui.exited() {
        assert!(
            start.elapsed() < DEADLINE,
            "q did not quit:\n{}",
            tui.screen()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_cashier_reverses_part_of_a_write_off_from_f7_in_russian() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, tui) = served_with_a_manager(dir.path(), &[]);
    write_off_100(&tui);
    tui.wait_for("Баллы 1 134,56");
    tui.keys(&["F7"]);
    tui.wait_for("списано");
    tui.keys(&["c"]);
    let form = tui.wait_for("Осталось");
    assert!(form.contains("Сторно операции"), "{form}");
    assert!(
        form.contains("[100"),
        "prefilled with what is left:\n{form}"
    );
    // 40 of the 100 points back, for goods returned, with the manager's PIN.
    tui.keys(&["C-u"]);
    tui.text("40");
    // No reason is chosen for the cashier: ↓↓ chooses «возврат товара».
    tui.keys(&["Tab", "Tab", "Down", "Down", "Tab", "Tab"]);
    tui.text(MANAGER_PIN);
    let typed = tui.screen();
    assert!(!typed.contains(MANAGER_PIN), "the PIN is masked:\n{typed}");
    tui.keys(&["Enter"]);
    let confirm = tui.wait_for("Вернуть клиенту?");
    assert!(confirm.contains("▶[ Отмена ]◀"), "{confirm}");
    assert!(confirm.contains("возврат товара"), "{confirm}");
    tui.keys(&["y"]);
    tui.wait_for("проведено: Баллы 40,00");
    // Read again after the reversal: its row is the newest.
    let journal = tui.wait_for("кассы (2)");
    assert!(journal.contains("возврат"), "{journal}");
    assert!(
        journal.contains("прошло"),
        "a reversal is not said to be written off:\n{journal}"
    );
    tui.keys(&["F2"]);
    tui.wait_for("Баллы 1 174,56");
    quit(&tui);
    let journal = std::fs::read_to_string(dir.path().join("journal.jsonl")).unwrap();
    assert!(journal.contains("\"reversal\""), "{journal}");
    assert!(!journal.contains(MANAGER_PIN), "{journal}");
    let log = common::tmux::console_log(dir.path());
    assert!(!log.contains(MANAGER_PIN), "{log}");
}

#[test]
fn a_write_off_over_the_shops_limit_goes_with_a_managers_pin_in_russian() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, tui) = served_with_a_manager(dir.path(), &["--limit-operation", "50"]);
    tui.text("7912345678");
    tui.keys(&["Enter"]);
    tui.wait_for("▶ Клиенты (1)");
    tui.wait_for("Баллы 1 234,56");
    tui.keys(&["w"]);
    tui.wait_for("Доступно к списанию");
    tui.text("100");
    tui.keys(&["Enter"]);
    tui.wait_for("Подтвердите списание");
    tui.keys(&["y"]);
    let refused = tui.wait_for("PIN менеджера");
    assert!(refused.contains("сумма одного списания"), "{refused}");
    tui.text("1111");
    tui.keys(&["Enter"]);
    tui.wait_for("Выберите причину");
    // The manager's reason, under the PIN: «жалоба» (↑↑ from the end of the list).
    tui.keys(&["Tab", "Up", "Up", "BTab"]);
    tui.keys(&["Enter"]);
    tui.wait_for("Такого PIN нет");
    tui.text(MANAGER_PIN);
    tui.keys(&["Enter"]);
    tui.wait_for("Списано: Баллы 100,00");
    tui.wait_for("Баллы 1 134,56");
    quit(&tui);
    let journal = std::fs::read_to_string(dir.path().join("journal.jsonl")).unwrap();
    assert!(journal.contains("\"manager\":true"), "{journal}");
    assert!(journal.contains("\"why\":\"complaint\""), "{journal}");
    assert!(!journal.contains(MANAGER_PIN), "{journal}");
    let log = common::tmux::console_log(dir.path());
    assert!(!log.contains(MANAGER_PIN), "{log}");
}
