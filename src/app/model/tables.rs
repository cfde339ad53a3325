//! F4–F6: the admin tables' states and their shared row of filter fields.

use super::*;

/// Rows per page on the admin screens.
pub const ADMIN_PAGE: u32 = 50;

/// The fields of one admin table's filter row, in the order they are drawn and tabbed
/// through. Update, view and tests name a field by its variant, never by a position.
pub trait TableField: Copy + PartialEq + std::fmt::Debug + 'static {
    const ALL: &'static [Self];

    fn index(self) -> usize {
        Self::ALL.iter().position(|f| *f == self).unwrap_or(0)
    }
}

/// F4: the client to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccumulationField {
    Client,
}

impl TableField for AccumulationField {
    const ALL: &'static [Self] = &[AccumulationField::Client];
}

/// F5: the period and the point of sale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegistrationField {
    From,
    To,
    PointOfSale,
}

impl TableField for RegistrationField {
    const ALL: &'static [Self] = &[
        RegistrationField::From,
        RegistrationField::To,
        RegistrationField::PointOfSale,
    ];
}

/// F6: the card (an id, or text to find it by), its promotion and the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardOperationField {
    Card,
    Promotion,
    From,
    To,
}

impl TableField for CardOperationField {
    const ALL: &'static [Self] = &[
        CardOperationField::Card,
        CardOperationField::Promotion,
        CardOperationField::From,
        CardOperationField::To,
    ];
}

/// A row of filter fields above an admin table; `editing` while the keyboard is in it.
#[derive(Debug)]
pub struct FilterForm<F: TableField> {
    /// One per field of `F::ALL`, in its order.
    inputs: Vec<Input>,
    pub field: F,
    pub editing: bool,
    /// The field whose text could not be read.
    pub invalid: Option<F>,
}

impl<F: TableField> Default for FilterForm<F> {
    fn default() -> Self {
        FilterForm {
            inputs: F::ALL.iter().map(|_| Input::default()).collect(),
            field: F::ALL[0],
            editing: false,
            invalid: None,
        }
    }
}

impl<F: TableField> FilterForm<F> {
    pub fn input(&self, field: F) -> Option<&Input> {
        self.inputs.get(field.index())
    }

    pub fn value(&self, field: F) -> &str {
        self.input(field).map_or("", |i| i.value().trim())
    }

    pub fn set(&mut self, field: F, text: String) {
        if let Some(input) = self.inputs.get_mut(field.index()) {
            *input = text.into();
        }
    }
}

/// What the F4–F6 tables' shared keys do to a filter row, whatever its fields.
pub trait FilterRow {
    fn editing(&self) -> bool;
    fn set_editing(&mut self, editing: bool);
    /// Tab and Shift-Tab: the next or previous field, round the row.
    fn step(&mut self, backwards: bool);
    /// The field that has the keyboard; typing into it clears the last refusal.
    fn focused_input(&mut self) -> Option<&mut Input>;
    fn clear_invalid(&mut self);
}

impl<F: TableField> FilterRow for FilterForm<F> {
    fn editing(&self) -> bool {
        self.editing
    }

    fn set_editing(&mut self, editing: bool) {
        self.editing = editing;
    }

    fn step(&mut self, backwards: bool) {
        self.field = next_in(F::ALL, self.field, backwards);
    }

    fn focused_input(&mut self) -> Option<&mut Input> {
        self.inputs.get_mut(self.field.index())
    }

    fn clear_invalid(&mut self) {
        self.invalid = None;
    }
}

#[derive(Debug)]
pub struct AccumulationsState {
    pub rows: Remote<Vec<Accumulation>>,
    /// Poster pages by clients: how many the shown page held (a full one may have a next).
    pub clients_on_page: u32,
    pub offset: u32,
    pub selected: usize,
    pub filter: FilterForm<AccumulationField>,
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
    pub filter: FilterForm<RegistrationField>,
    /// The period's days, counted one by one, with the rows of those near the selection.
    pub days: RegistrationDays,
    pub selected: usize,
    /// The period the shown rows are for.
    pub query: Option<RegistrationQuery>,
    /// The zone the vendor counts the period's days in: presets are days there, and the
    /// rows' times are shown in it.
    pub zone: jiff::tz::TimeZone,
    /// Rows the vendor sent from outside the days asked for, left out of `days`.
    pub outside_period: usize,
}

#[derive(Debug)]
pub struct CardOperationsState {
    pub filter: FilterForm<CardOperationField>,
    pub kind: Option<OperationKind>,
    pub sort: SortColumn,
    pub direction: SortDirection,
    pub rows: Remote<CardOperationPage>,
    pub selected: usize,
    /// The query the shown page answers; paging moves its offset.
    pub query: Option<CardOperationQuery>,
    /// How many times in a row REGOS has asked to wait for the pending page.
    pub waits: u8,
    /// The shown page is not in the order its query asked for: the vendor ignored
    /// `sort_orders`, and the screen says so beside the sort label.
    pub unsorted: bool,
    /// «сгорит N до DATE» from the shown operations' expiry dates, as of the clock when
    /// they came (the last tick's).
    pub outlook: crate::domain::lots::Outlook,
}

/// F6: the cards a phone, barcode or name found, to pick the one whose operations to show.
#[derive(Debug)]
pub struct CardPicker {
    pub text: String,
    pub cards: Remote<Vec<RetailCard>>,
    pub selected: usize,
}
