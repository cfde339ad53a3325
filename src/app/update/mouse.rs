//! Clicks and the wheel, as the keys would do them: a click selects (a tab shows its
//! screen), a double click opens as Enter does, the wheel moves the selection of the list
//! under the pointer. While a dialog or question is up the mouse does nothing: those own the
//! keyboard, and a stray click must not act behind them.

use super::super::keys::key::{Key, KeyCode};
use super::super::keys::{Action, Move};
use super::super::model::{Model, Pane};
use super::super::mouse::{Gesture, List, Mouse, Target};
use super::super::msg::Cmd;
use super::screens;

pub fn on_mouse(model: &mut Model, mouse: Mouse) -> Vec<Cmd> {
    if model.dialog.is_some() || model.quit_asked.is_some() {
        return Vec::new();
    }
    let list = match mouse.target {
        Target::Tab(screen) => {
            return match mouse.gesture {
                Gesture::Click | Gesture::DoubleClick => super::show(model, screen),
                Gesture::WheelUp | Gesture::WheelDown => Vec::new(),
            };
        }
        Target::Row { list, .. } | Target::Pane(list) => list,
    };
    if !screens::available(model, model.screen) || !belongs(model, list) {
        return Vec::new();
    }
    if let Some(table) = &screens::spec(model.screen).table {
        // A click on the table leaves its filter fields, as Esc would.
        (table.filter_mut)(model).set_editing(false);
    }
    match list {
        List::Results => model.focus = Pane::Results,
        List::History => model.focus = Pane::History,
        List::Table => {}
    }
    // The screen's own handler does what the key would; the key itself is not read for
    // these actions.
    let act = |model: &mut Model, action: Action| {
        (screens::spec(model.screen).on_key)(model, Some(action), Key::plain(KeyCode::Enter))
    };
    match (mouse.gesture, mouse.target) {
        (Gesture::WheelUp, _) => act(model, Action::Move(Move::Up)),
        (Gesture::WheelDown, _) => act(model, Action::Move(Move::Down)),
        (gesture, Target::Row { index, .. }) => {
            if let Some((selected, len)) = selection(model, list)
                && index < len
            {
                *selected = index;
            } else {
                return Vec::new();
            }
            match gesture {
                Gesture::DoubleClick => act(model, Action::Submit),
                _ => Vec::new(),
            }
        }
        _ => Vec::new(),
    }
}

/// Whether the list is on the screen shown (the card's history only with a card open).
fn belongs(model: &Model, list: List) -> bool {
    screens::spec(model.screen).lists.contains(&list)
        && (list != List::History || model.card.is_some())
}

/// The list's selected row and how many rows it has.
fn selection(model: &mut Model, list: List) -> Option<(&mut usize, usize)> {
    match list {
        List::Results => {
            let len = model.search.results.data.as_ref().map_or(0, Vec::len);
            Some((&mut model.search.selected, len))
        }
        List::History => model.card.as_mut().map(|card| {
            let len = card.history.rows.data.as_ref().map_or(0, Vec::len);
            (&mut card.history.selected, len)
        }),
        List::Table => screens::spec(model.screen).rows.map(|rows| rows(model)),
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::key;
    use super::*;
    use crate::app::fixtures::{client, model, opened, search_answered};
    use crate::app::model::Screen;
    use crate::app::msg::Msg;
    use crate::app::update;
    use crate::domain::ClientId;

    fn mouse(m: &mut Model, target: Target, gesture: Gesture) -> Vec<Cmd> {
        update(m, Msg::Mouse(Mouse { target, gesture }))
    }

    fn row(list: List, index: usize) -> Target {
        Target::Row { list, index }
    }

    #[test]
    fn a_click_selects_a_result_and_a_double_click_opens_it() {
        let mut m = model();
        search_answered(&mut m, "9123", vec![client(1, "A"), client(2, "B")]);
        let cmds = mouse(&mut m, row(List::Results, 1), Gesture::Click);
        assert!(cmds.is_empty());
        assert_eq!((m.search.selected, m.focus), (1, Pane::Results));
        assert!(m.card.is_none(), "a single click only selects");
        let cmds = mouse(&mut m, row(List::Results, 1), Gesture::DoubleClick);
        assert_eq!(m.card.as_ref().unwrap().client.id, ClientId(2));
        assert_eq!(
            cmds.len(),
            3,
            "balance, coupons and history are loaded: {cmds:?}"
        );
        // A row that is not there (the list changed under the pointer) does nothing.
        mouse(&mut m, row(List::Results, 9), Gesture::Click);
        assert_eq!(m.search.selected, 1);
    }

    #[test]
    fn the_wheel_moves_the_selection_of_the_pane_under_the_pointer() {
        let mut m = opened();
        assert_eq!(m.focus, Pane::Results);
        mouse(&mut m, Target::Pane(List::History), Gesture::WheelDown);
        assert_eq!(m.focus, Pane::History);
        assert_eq!(m.card.as_ref().unwrap().history.selected, 1);
        mouse(&mut m, row(List::History, 0), Gesture::WheelUp);
        assert_eq!(m.card.as_ref().unwrap().history.selected, 0);
        mouse(&mut m, row(List::History, 2), Gesture::Click);
        assert_eq!(m.card.as_ref().unwrap().history.selected, 2);
    }

    #[test]
    fn a_tab_click_shows_its_screen() {
        let mut m = model();
        let cmds = mouse(&mut m, Target::Tab(Screen::Journal), Gesture::Click);
        assert_eq!(m.screen, Screen::Journal);
        assert!(
            matches!(cmds.as_slice(), [Cmd::LoadJournal { .. }]),
            "{cmds:?}"
        );
        mouse(&mut m, Target::Tab(Screen::Clients), Gesture::WheelDown);
        assert_eq!(
            m.screen,
            Screen::Journal,
            "the wheel over the tabs does nothing"
        );
    }

    #[test]
    fn nothing_happens_behind_a_dialog_or_on_another_screen() {
        let mut m = opened();
        key(&mut m, KeyCode::Char('w'));
        assert!(m.dialog.is_some());
        let cmds = mouse(&mut m, Target::Tab(Screen::Groups), Gesture::Click);
        assert!(cmds.is_empty());
        assert_eq!(m.screen, Screen::Clients);
        mouse(&mut m, row(List::Results, 1), Gesture::DoubleClick);
        assert_eq!(m.card.as_ref().unwrap().client.id, ClientId(1));

        let mut m = model();
        mouse(&mut m, Target::Tab(Screen::Journal), Gesture::Click);
        mouse(&mut m, row(List::Results, 0), Gesture::Click);
        assert_eq!(
            m.focus,
            Pane::Search,
            "the results are not on the journal screen"
        );
    }
}
