//! Where the frame drew what the mouse can pick: each tab and each visible row, recorded as
//! the panes draw them, and handed back by `view` to the runtime, which maps a click to it.

use crate::app::mouse::Target;
use ratatui::layout::{Position, Rect};
use std::cell::RefCell;

/// The clickable regions of one frame, in drawing order.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Hits(Vec<(Rect, Target)>);

impl Hits {
    /// What is under the cell at `column`, `row`: the last drawn there wins, as on screen.
    pub fn at(&self, column: u16, row: u16) -> Option<Target> {
        self.0
            .iter()
            .rev()
            .find(|(area, _)| area.contains(Position::new(column, row)))
            .map(|(_, target)| *target)
    }
}

thread_local! {
    static DRAWN: RefCell<Vec<(Rect, Target)>> = const { RefCell::new(Vec::new()) };
}

/// Notes that `target` is drawn in `area` of the frame being drawn.
pub fn record(area: Rect, target: Target) {
    if !area.is_empty() {
        DRAWN.with(|d| d.borrow_mut().push((area, target)));
    }
}

/// Starts a frame's record.
pub(super) fn start() {
    DRAWN.with(|d| d.borrow_mut().clear());
}

/// The frame's record, once it is drawn.
pub(super) fn finish() -> Hits {
    Hits(DRAWN.with(|d| std::mem::take(&mut *d.borrow_mut())))
}
