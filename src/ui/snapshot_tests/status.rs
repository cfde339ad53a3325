//! The hint bar, the tabs and the status line: keys named as the keymap has them, and
//! notices fitted to the line.

use super::*;

/// The hint bar and the dialog name a key alike, in each language, as the key map has it.
#[test]
fn the_hint_bar_and_the_dialogs_name_keys_alike() {
    for (l, space, other) in [
        (Locale::Ru, "Пробел", "Space"),
        (Locale::En, "Space", "Пробел"),
    ] {
        let mut m = opened(l, 5);
        key(&mut m, KeyCode::Char('w'));
        let form = draw(&m, 120, 40);
        assert!(form.contains(&format!("({space} ")), "{form}");
        assert!(!form.contains(other), "{form}");
        let hints = form.lines().last().unwrap().to_string();
        assert!(hints.contains(" + "), "the coupon key is hinted: {hints}");
        key(&mut m, KeyCode::Esc);
        key(&mut m, KeyCode::F(3));
        key(&mut m, KeyCode::Char('n'));
        let group = draw(&m, 120, 40);
        let hints = group.lines().last().unwrap();
        assert!(hints.contains(&format!(" {space} ")), "{hints}");
        assert!(!group.contains(other), "{group}");
    }
}

/// The tabs name the keys the keymap has: a screen moved to F9 by keys.toml says F9, one
/// whose key was taken away says no key.
#[test]
fn the_tabs_name_the_keys_keys_toml_gave() {
    let mut m = model(Locale::Ru);
    m.keymap = std::sync::Arc::new(
        crate::app::keys::Keymap::with_overrides(
            "[global]\nshow_clients = \"F9\"\nshow_journal = []\n",
        )
        .unwrap(),
    );
    let screen = draw(&m, 100, 24);
    let tabs = screen.lines().next().unwrap();
    assert!(tabs.contains("[F9 Клиенты]"), "{tabs}");
    assert!(tabs.contains(" Журнал") && !tabs.contains("F7"), "{tabs}");
    assert!(tabs.contains("F3 Группы"), "{tabs}");
}

/// A search that fails after one that found clients shows the failure without the earlier
/// count: `Клиенты (2)` over an error would say two clients are listed when none is.
#[test]
fn a_failed_search_shows_no_earlier_count() {
    let mut m = model(Locale::Ru);
    searched(&mut m, Ok(clients()));
    assert!(draw(&m, 80, 24).contains("Клиенты ("), "counted first");
    key(&mut m, KeyCode::Char('/'));
    type_text(&mut m, "5678");
    let cmds = key(&mut m, KeyCode::Enter);
    let Some(Cmd::Search { id, .. }) = cmds.into_iter().next() else {
        panic!("no search")
    };
    update(
        &mut m,
        Msg::Searched {
            id,
            result: Err(ServiceError::new(
                ErrorKind::Unreachable,
                "could not connect: connection refused",
            )),
        },
    );
    let screen = draw(&m, 80, 24);
    assert!(!screen.contains("Клиенты ("), "{screen}");
}

/// The warning about a config others can read names the file and the command at 80 columns:
/// the reason is what gives way, in the messages overlay in full.
#[test]
fn a_readable_config_is_named_with_its_command_at_80_columns() {
    for locale in [Locale::Ru, Locale::En] {
        let mut m = model(locale);
        m.tell(Notice::ConfigReadable {
            path: "/home/kassa/.config/loyalty/config.toml".into(),
        });
        let screen = draw(&m, 80, 24);
        assert!(
            screen.contains("chmod 600 /home/kassa/.config/loyalty/config.toml"),
            "{screen}"
        );
    }
}
