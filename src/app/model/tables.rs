//! F4–F6: the admin tables' states and their shared row of filter fields.

use super::*;

/// Rows per page on the admin screens.
pub const ADMIN_PAGE: u32 = 50;

/// A row of filter fields above an admin table; `editing` while the keyboard is in it.
#[derive(Debug, Default)]
pub struct FilterForm {
    pub inputs: Vec<Input>,
    pub field: usize,
    pub editing: bool,
    /// The field whose text could not be read.
    pub invalid: Option<usize>,
}

impl FilterForm {
    pub fn new(fields: usize) -> Self {
        FilterForm {
            inputs: (0..fields).map(|_| Input::default()).collect(),
            ..FilterForm::default()
        }
    }

    pub fn value(&self, i: usize) -> &str {
        self.inputs.get(i).map_or("", |i| i.value().trim())
    }
}

#[derive(Debug)]
pub struct AccumulationsState {
    pub rows: Remote<Vec<Accumulation>>,
    /// Poster pages by clients: how many the shown page held (a full one may have a next).
    pub clients_on_page: u32,
    pub offset: u32,
    pub selected: usize,
    /// One field: the client id.
    pub filter: FilterForm,
    pub client: Option<i64>,
    /// Pages of Poster's passed over while looking for the filtered client (Poster has no
    /// client filter of its own); `0` when not looking.
    pub walked: u32,
    /// Names and dates of the promotions, read once.
    pub promotions: Remote<Vec<Promotion>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    Today,
    Yesterday,
    ThisMonth,
    ThisYear,
    Custom,
}

#[derive(Debug)]
pub struct RegistrationsState {
    pub preset: Preset,
    /// Fields: from, to, point of sale.
    pub filter: FilterForm,
    pub rows: Remote<Vec<Registration>>,
    pub selected: usize,
    /// The period the shown rows are for.
    pub query: Option<RegistrationQuery>,
}

#[derive(Debug)]
pub struct CardOperationsState {
    /// Fields: card id, promo id, from, to.
    pub filter: FilterForm,
    pub kind: Option<OperationKind>,
    pub sort: SortColumn,
    pub direction: SortDirection,
    pub rows: Remote<CardOperationPage>,
    pub selected: usize,
    /// The query the shown page answers; paging moves its offset.
    pub query: Option<CardOperationQuery>,
    /// How many times in a row REGOS has asked to wait for the pending page.
    pub waits: u8,
}

/// F6: the cards a phone, barcode or name found, to pick the one whose operations to show.
#[derive(Debug)]
pub struct CardPicker {
    pub text: String,
    pub cards: Remote<Vec<RetailCard>>,
    pub selected: usize,
}
