//! What reaches the terminal: vendor text made safe, each theme's colours, and where the
//! frame drew its tabs and rows for the mouse.

use super::*;

/// Vendor strings with escape sequences, a bidi override and NUL in every text field a
/// vendor fills, drawn through the real crossterm backend: none of it reaches the terminal.
#[test]
fn hostile_vendor_text_never_reaches_the_terminal() {
    use ratatui::backend::CrosstermBackend;
    use ratatui::layout::Rect;
    use ratatui::{TerminalOptions, Viewport};
    let evil = |s: &str| format!("{s}\u{1b}]0;pwned\u{7}\u{1b}[2J\u{202e}\u{0}\u{1b}[31mred");
    let mut m = model(Locale::Ru);
    type_text(&mut m, "7912345678");
    let Some(Cmd::Search { id, .. }) = key(&mut m, KeyCode::Enter).into_iter().next() else {
        panic!()
    };
    let client = Client {
        id: ClientId(1),
        name: Some(evil("Иван")),
        phone: Some(evil("7912")),
        email: Some(evil("a@b")),
    };
    update(
        &mut m,
        Msg::Searched {
            id,
            result: Ok(vec![client]),
        },
    );
    for cmd in key(&mut m, KeyCode::Enter) {
        match cmd {
            Cmd::LoadBalance { id, .. } => update(
                &mut m,
                Msg::BalanceLoaded {
                    id,
                    result: Err(ServiceError {
                        kind: ErrorKind::Rejected,
                        detail: evil("refused"),
                        retry_after: None,
                        reason: None,
                    }),
                },
            ),
            Cmd::LoadCoupons { id, .. } => update(
                &mut m,
                Msg::CouponsLoaded {
                    id,
                    result: Ok(vec![Coupon {
                        id: CouponId(1),
                        title: evil("купон"),
                        expires_at: None,
                    }]),
                },
            ),
            Cmd::LoadHistory { id, .. } => update(
                &mut m,
                Msg::HistoryLoaded {
                    id,
                    result: Ok(vec![HistoryEntry {
                        amount: Amount::from_minor(100),
                        currency: Currency::Points,
                        at: Timestamp::from_millisecond(NOW_MS).unwrap(),
                        transaction_id: evil("tx"),
                        about: None,
                    }]),
                },
            ),
            other => panic!("{other:?}"),
        };
    }
    let mut out = Vec::new();
    {
        let backend = CrosstermBackend::new(&mut out);
        let options = TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, 100, 30)),
        };
        let mut terminal = Terminal::with_options(backend, options).unwrap();
        terminal
            .draw(|f| {
                ui::view(&m, f);
            })
            .unwrap();
    }
    let written = String::from_utf8_lossy(&out);
    assert!(written.contains("Иван"), "the text itself is shown");
    // Whatever the adapters did not clean (these strings bypass them), the view's last net
    // leaves no character the terminal would act on.
    for bad in [
        "\u{1b}]0;",
        "\u{1b}[2J",
        "\u{1b}[31mred",
        "\u{202e}",
        "\u{0}",
        "\u{7}",
    ] {
        assert!(!written.contains(bad), "{bad:?} reached the terminal");
    }
}

/// Draws with a theme's palette on this thread, and puts the default back after.
struct Themed;

impl Themed {
    fn with(palette: ui::theme::Palette) -> Themed {
        ui::theme::install(palette);
        Themed
    }
}

impl Drop for Themed {
    fn drop(&mut self) {
        ui::theme::install(ui::theme::Palette::DARK);
    }
}

#[test]
fn each_theme_paints_the_card_and_the_confirmation() {
    use ui::theme::Palette;
    for (name, palette) in [
        ("dark", Palette::DARK),
        ("light", Palette::LIGHT),
        ("mono", Palette::MONO),
    ] {
        let _theme = Themed::with(palette);
        named(
            &format!("theme_{name}_card_ru_80x24"),
            styled(&opened(Locale::Ru, 5)),
        );
        named(
            &format!("theme_{name}_confirm_ru_80x24"),
            styled(&confirmation(Locale::Ru)),
        );
    }
}

/// NO_COLOR's mono: not one cell carries a colour, and the meanings are still there, in
/// words and in reverse video: the selected row, the focused button, the expired coupon.
#[test]
fn mono_has_no_colour_and_keeps_every_meaning() {
    use ratatui::style::{Color, Modifier};
    let _theme = Themed::with(ui::theme::Palette::MONO);
    for m in [opened(Locale::Ru, 5), confirmation(Locale::Ru)] {
        let b = buffer(&m, 80, 24);
        let coloured: Vec<_> = b
            .content
            .iter()
            .filter(|c| c.fg != Color::Reset || c.bg != Color::Reset)
            .collect();
        assert!(coloured.is_empty(), "{coloured:?}");
        assert!(
            b.content
                .iter()
                .any(|c| c.modifier.contains(Modifier::REVERSED))
        );
    }
    let card = buffer(&opened(Locale::Ru, 5), 80, 24);
    let text: String = card.content.iter().map(|c| c.symbol()).collect();
    assert!(
        text.contains("ИСТЁК"),
        "the expired coupon says so in words"
    );
    let m = confirmation(Locale::Ru);
    let b = buffer(&m, 80, 24);
    let reversed: String = b
        .content
        .iter()
        .filter(|c| c.modifier.contains(Modifier::REVERSED))
        .map(|c| c.symbol())
        .collect();
    assert!(
        reversed.contains("Отмена"),
        "the focused button is reversed: {reversed:?}"
    );
}

/// The frame says where its tabs and rows are, as they are drawn, for the mouse.
#[test]
fn the_frame_tells_where_tabs_and_rows_are() {
    use crate::app::model::Screen;
    use crate::app::mouse::{List, Target};
    let m = opened(Locale::Ru, 5);
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let mut hits = ui::Hits::default();
    terminal.draw(|f| hits = ui::view(&m, f)).unwrap();
    let screen = terminal.backend().to_string();
    let lines: Vec<&str> = screen.lines().collect();
    let column_of = |line: usize, text: &str| {
        let before = &lines[line][..lines[line].find(text).unwrap()];
        before.chars().count() as u16 - 1
    };
    // Row 0: the tabs (each line of the text form is quoted, hence the `- 1`).
    assert_eq!(
        hits.at(column_of(0, "F3"), 0),
        Some(Target::Tab(Screen::Groups))
    );
    assert_eq!(
        hits.at(column_of(0, "F7"), 0),
        Some(Target::Tab(Screen::Journal))
    );
    // The results: two lines per client, from the pane's first inner row.
    let first = lines
        .iter()
        .position(|l| l.contains("▶ Client First"))
        .unwrap() as u16;
    assert_eq!(
        hits.at(3, first),
        Some(Target::Row {
            list: List::Results,
            index: 0
        })
    );
    assert_eq!(
        hits.at(3, first + 1),
        Some(Target::Row {
            list: List::Results,
            index: 0
        })
    );
    assert_eq!(
        hits.at(3, first + 2),
        Some(Target::Row {
            list: List::Results,
            index: 1
        })
    );
    // The history: the header, then one row per entry.
    let dated = lines.iter().position(|l| l.contains("17.11.2026")).unwrap() as u16;
    let x = column_of(dated as usize, "17.11.2026");
    assert_eq!(
        hits.at(x, dated),
        Some(Target::Row {
            list: List::History,
            index: 1
        })
    );
    assert_eq!(
        hits.at(x, dated - 2),
        Some(Target::Pane(List::History)),
        "the header"
    );
    assert_eq!(hits.at(0, 23), None, "the hint bar");
}
