//! The cashier's screen: the search, its results, the open client's card and history, and
//! the history period dialog.

use super::*;

/// Rows per history page.
pub const HISTORY_PAGE: u32 = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Search,
    Results,
    History,
}

#[derive(Debug, Default)]
pub struct SearchState {
    pub input: Input,
    pub results: Remote<Vec<Client>>,
    pub selected: usize,
    /// Bumped on every edit; a debounce timer only fires a search for the current one.
    pub generation: u64,
    /// The text the shown results (or the pending request) were searched for.
    pub searched_text: Option<String>,
    /// Enter was pressed on this text: a single match opens at once when it comes.
    pub open_single: bool,
    /// `/`, or a phone begun on a list, selected the query: the next key typed replaces it.
    pub replace: bool,
}

#[derive(Debug)]
pub struct HistoryState {
    pub rows: Remote<Vec<HistoryEntry>>,
    pub offset: u32,
    pub from: Option<Timestamp>,
    pub to: Option<Timestamp>,
    pub selected: usize,
}

impl HistoryState {
    pub fn query(&self) -> HistoryQuery {
        HistoryQuery {
            from: self.from,
            to: self.to,
            offset: self.offset,
            limit: HISTORY_PAGE,
            // The console steps a page either way from where it is: shallow pages, read
            // by their offset.
            after: None,
        }
    }

    /// A full page suggests there is another one after it.
    pub fn has_next(&self) -> bool {
        self.rows
            .data
            .as_ref()
            .is_some_and(|r| r.len() as u32 >= HISTORY_PAGE)
    }

    pub fn page(&self) -> u32 {
        self.offset / HISTORY_PAGE + 1
    }
}

#[derive(Debug)]
pub struct CardState {
    pub client: Client,
    pub balance: Remote<Balances>,
    pub coupons: Remote<Vec<Coupon>>,
    pub history: HistoryState,
    /// Points that expire soonest and those not yet spendable, where the provider keeps
    /// them (asked with the balance).
    pub outlook: Remote<crate::domain::lots::Outlook>,
}

impl CardState {
    pub fn new(client: Client) -> Self {
        CardState {
            client,
            balance: Remote::default(),
            coupons: Remote::default(),
            history: HistoryState {
                rows: Remote::default(),
                offset: 0,
                from: None,
                to: None,
                selected: 0,
            },
            outlook: Remote::default(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterField {
    From,
    To,
}

#[derive(Debug)]
pub struct FilterDialog {
    pub from: Input,
    pub to: Input,
    pub field: FilterField,
    /// The field whose text is not a date.
    pub invalid: Option<FilterField>,
}
