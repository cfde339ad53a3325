//! The mouse, when `mouse = true`: what is under the pointer and what was done there. The
//! view says where its tabs and rows are; the runtime turns a terminal's click or wheel
//! over them into a [`Mouse`] message, so `update` never sees a coordinate.

use super::model::Screen;

/// A list the mouse can pick a row of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum List {
    /// The cashier's search results.
    Results,
    /// The open client's balance history.
    History,
    /// The table of the admin screen shown (groups, accumulations, registrations, card
    /// operations, the journal).
    Table,
}

/// What is drawn under a point of the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Tab(Screen),
    /// A row of a list, by its index among all the list's rows.
    Row {
        list: List,
        index: usize,
    },
    /// A list's pane outside its rows: the wheel scrolls it.
    Pane(List),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gesture {
    Click,
    /// A second click on the same thing soon after the first.
    DoubleClick,
    WheelUp,
    WheelDown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mouse {
    pub target: Target,
    pub gesture: Gesture,
}

/// A terminal's mouse event as it came: where, and what. The runtime turns it into a
/// [`Mouse`] by the last frame's layout before `update` sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pointer {
    pub column: u16,
    pub row: u16,
    pub press: Press,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Press {
    Left,
    WheelUp,
    WheelDown,
}
