//! The one Model: all the console knows, nothing it does.

use super::msg::RequestId;
use crate::domain::admin::{
    Accumulation, CardOperationPage, CardOperationQuery, Group, GroupDraft, GroupKind,
    GroupProblem, OperationKind, Promotion, RegistrationQuery, RetailCard, SortColumn,
    SortDirection,
};
use crate::domain::{
    Amount, AmountError, Balances, Client, ClientId, Coupon, CouponId, HistoryEntry, HistoryQuery,
    ServiceError, WriteOff,
};
use crate::i18n::Locale;
use jiff::Timestamp;
use jiff::tz::TimeZone;
use std::collections::BTreeSet;
use std::path::PathBuf;
use tui_input::Input;

mod cashier;
mod dialog;
mod groups;
mod registration_days;
mod remote;
mod requests;
mod reversal;
mod tables;
mod write_off;

pub use cashier::*;
pub use dialog::*;
pub use groups::*;
pub use registration_days::*;
pub use remote::*;
pub use requests::*;
pub use reversal::*;
pub use tables::*;
pub use write_off::*;

/// Declares `Screen` and `Screen::ALL` from one list, so that no screen can be left out of
/// `ALL`, which the screen tables (`app/update/screens.rs`, `ui/screens.rs`) are checked
/// against.
macro_rules! screens {
    ($($screen:ident),+ $(,)?) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Screen {
            $($screen),+
        }

        impl Screen {
            /// Every screen, in the order the tabs show them.
            pub const ALL: &[Screen] = &[$(Screen::$screen),+];
        }
    };
}

screens! {
    Clients,
    Groups,
    Accumulations,
    Registrations,
    CardOperations,
    Journal,
}

/// The item after `current` in `order`, or before it when `backwards`, wrapping round at both
/// ends: Tab and Shift-Tab through fields, panes and buttons. An item not in `order` counts as
/// its first.
pub fn next_in<T: Copy + PartialEq>(order: &[T], current: T, backwards: bool) -> T {
    let len = order.len();
    if len == 0 {
        return current;
    }
    let at = order.iter().position(|x| *x == current).unwrap_or(0);
    order[(if backwards { at + len - 1 } else { at + 1 }) % len]
}

/// The reason after `current` on the short list (the first, or the last going back, when
/// none is chosen yet): nobody's reason is recorded that nobody chose.
pub fn step_reason(
    current: Option<crate::domain::reversal::ReasonCode>,
    backwards: bool,
) -> Option<crate::domain::reversal::ReasonCode> {
    use crate::domain::reversal::ReasonCode;
    Some(match current {
        Some(code) => next_in(&ReasonCode::ALL, code, backwards),
        None if backwards => ReasonCode::Other,
        None => ReasonCode::Mistake,
    })
}

/// Which screens have a provider behind them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Availability {
    pub clients: bool,
    pub groups: bool,
    pub accumulations: bool,
    pub registrations: bool,
    pub card_operations: bool,
}

impl Availability {
    pub const ALL: Availability = Availability {
        clients: true,
        groups: true,
        accumulations: true,
        registrations: true,
        card_operations: true,
    };
}

/// F7: this console's journal as last read, the row selected among those the filter shows,
/// and the filter.
#[derive(Debug, Default)]
pub struct JournalState {
    pub rows: Remote<Vec<crate::domain::journal::JournalRow>>,
    pub selected: usize,
    /// Text a row must hold: its receipt's number, its client's, its operation's or its key.
    pub filter: Input,
    /// The filter has the keyboard.
    pub filtering: bool,
}

impl JournalState {
    /// The rows the filter lets through, all of them without one.
    pub fn shown(&self) -> Vec<&crate::domain::journal::JournalRow> {
        let rows = self.rows.data.as_deref().unwrap_or_default();
        let needle = self.filter.value().trim().to_lowercase();
        let holds = |r: &crate::domain::journal::JournalRow| {
            let receipt = r
                .attempt
                .movement
                .receipt()
                .map(|r| r.number.to_lowercase());
            [
                receipt,
                Some(r.attempt.client.0.to_string()),
                r.operation.map(|o| o.0.to_string()),
                Some(r.attempt.key.to_lowercase()),
            ]
            .into_iter()
            .flatten()
            .any(|text| text.contains(&needle))
        };
        rows.iter()
            .filter(|r| needle.is_empty() || holds(r))
            .collect()
    }
}

/// A vendor's section of the config that is wrong: its screens say this instead of working.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigFault {
    /// The section's name in the profile (`mloyalty`), as the screens name their provider.
    pub section: &'static str,
    /// What is wrong, and where.
    pub fault: crate::domain::setting::SettingFault,
    /// The file that holds it, as the user would open it.
    pub file: String,
}

/// Which backend is in use, for the status bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BackendLabel {
    Embedded,
    Profile(String),
}

/// The smallest screen every pane fits on.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

pub struct Model {
    pub locale: Locale,
    pub tz: TimeZone,
    pub backend: BackendLabel,
    pub now: Timestamp,
    /// The terminal's columns and rows, once the runtime said them.
    pub terminal: Option<(u16, u16)>,
    pub screen: Screen,
    pub focus: Pane,
    pub search: SearchState,
    pub card: Option<CardState>,
    pub dialog: Option<Dialog>,
    /// `q` or Ctrl-C was pressed while quitting would lose this: the console asks first.
    pub quit_asked: Option<Unsaved>,
    /// Reads that may be cancelled, by request, until their answer comes.
    pub in_flight: std::collections::BTreeMap<RequestId, InFlight>,
    /// The status line's last messages, oldest first.
    pub messages: std::collections::VecDeque<Message>,
    pub notice: Option<Notice>,
    pub error: Option<ServiceError>,
    pub spinner: usize,
    pub available: Availability,
    /// The vendors left off because their sections of the config are wrong.
    pub config_faults: Vec<ConfigFault>,
    /// The config file the console read, as the user would open it, once known.
    pub config_file: Option<String>,
    pub groups: GroupsState,
    pub accumulations: AccumulationsState,
    pub registrations: RegistrationsState,
    pub card_operations: CardOperationsState,
    /// The export being written, if any.
    pub exporting: Option<RequestId>,
    pub journal: JournalState,
    /// Unique to this run of the console: idempotency keys are made from it.
    pub session: String,
    /// Write-offs whose outcome a check could not tell, by client: `w` on such a client
    /// checks again before anything new can be written off.
    pub doubts: std::collections::BTreeMap<ClientId, InDoubt>,
    /// The key registry with the user's `keys.toml` over it; shared, as field editing reads
    /// it while a dialog is borrowed.
    pub keymap: std::sync::Arc<crate::app::keys::Keymap>,
    /// What the clients' provider can do beyond a plain write-off, asked once per session;
    /// until it answers, nothing more is offered.
    pub capabilities: Remote<crate::domain::limits::Capabilities>,
    /// The profile's `receipt`: whether the write-off dialog asks for the receipt.
    pub receipt_mode: ReceiptAsk,
    /// The profile's confirmation codes and whether codes can be sent from here.
    pub codes: CodeAsk,
    /// The last code sent from the code step, while it may still be read out.
    pub last_code: Option<LastCode>,
    next_request: u64,
}

impl Model {
    /// The terminal is smaller than every pane needs: the view shows only that, so no key
    /// but quitting may act on what cannot be seen.
    pub fn too_small(&self) -> bool {
        self.terminal
            .is_some_and(|(w, h)| w < MIN_WIDTH || h < MIN_HEIGHT)
    }

    pub fn new(locale: Locale, tz: TimeZone, backend: BackendLabel, now: Timestamp) -> Self {
        Model {
            locale,
            tz: tz.clone(),
            backend,
            now,
            terminal: None,
            screen: Screen::Clients,
            focus: Pane::Search,
            search: SearchState::default(),
            card: None,
            dialog: None,
            quit_asked: None,
            in_flight: Default::default(),
            messages: Default::default(),
            notice: None,
            error: None,
            spinner: 0,
            available: Availability::ALL,
            config_faults: Vec::new(),
            config_file: None,
            groups: GroupsState::default(),
            accumulations: AccumulationsState {
                rows: Remote::default(),
                clients_on_page: 0,
                walked: 0,
                promotions: Remote::default(),
                offset: 0,
                selected: 0,
                filter: FilterForm::default(),
                client: None,
            },
            registrations: RegistrationsState {
                preset: Preset::Today,
                filter: FilterForm::default(),
                days: RegistrationDays::default(),
                selected: 0,
                query: None,
                zone: tz.clone(),
                outside_period: 0,
            },
            card_operations: CardOperationsState {
                filter: FilterForm::default(),
                kind: None,
                sort: SortColumn::Date,
                direction: SortDirection::Desc,
                rows: Remote::default(),
                selected: 0,
                query: None,
                waits: 0,
                unsorted: false,
                outlook: Default::default(),
            },
            exporting: None,
            journal: JournalState::default(),
            session: format!("{:x}", now.as_nanosecond()),
            doubts: Default::default(),
            keymap: Default::default(),
            capabilities: Remote::default(),
            receipt_mode: Default::default(),
            codes: CodeAsk::default(),
            last_code: None,
            next_request: 0,
        }
    }

    pub fn next_id(&mut self) -> RequestId {
        self.next_request += 1;
        RequestId(self.next_request)
    }

    /// A new idempotency key, never used before by any run of the console.
    pub fn new_key(&mut self) -> String {
        let n = self.next_id().0;
        format!("{}-{n}", self.session)
    }

    /// Whether the console is waiting for anything (drives the spinner): a request on its
    /// way, each recorded by `update` from [`Cmd::request`](super::Cmd::request) until its
    /// reply, or a page waiting to be asked again as a rate-limited vendor told.
    pub fn busy(&self) -> bool {
        !self.in_flight.is_empty() || self.card_operations.waits > 0
    }

    /// What the provider said it can do; nothing until it answered.
    pub fn can(&self) -> crate::domain::limits::Capabilities {
        self.capabilities.data.unwrap_or_default()
    }

    pub fn selected_client(&self) -> Option<&Client> {
        self.search
            .results
            .data
            .as_ref()
            .and_then(|r| r.get(self.search.selected))
    }
}
