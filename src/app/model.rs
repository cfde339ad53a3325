//! The one Model: all the console knows, nothing it does.

use super::msg::RequestId;
use crate::domain::admin::{
    Accumulation, CardOperationPage, CardOperationQuery, Group, GroupDraft, GroupKind,
    GroupProblem, OperationKind, Promotion, Registration, RegistrationQuery, RetailCard,
    SortColumn, SortDirection,
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

/// Rows per history page.
pub const HISTORY_PAGE: u32 = 50;

/// Rows per page on the admin screens.
pub const ADMIN_PAGE: u32 = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Screen {
    Clients,
    Groups,
    Accumulations,
    Registrations,
    CardOperations,
    Journal,
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

    pub fn has(&self, screen: Screen) -> bool {
        match screen {
            Screen::Clients => self.clients,
            Screen::Groups => self.groups,
            Screen::Accumulations => self.accumulations,
            Screen::Registrations => self.registrations,
            Screen::CardOperations => self.card_operations,
            Screen::Journal => true,
        }
    }
}

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

#[derive(Debug, Default)]
pub struct GroupsState {
    pub list: Remote<Vec<Group>>,
    pub selected: usize,
    /// The group opened with Enter, as `getGroup` returned it.
    pub detail: Remote<Group>,
    /// A saved group being read back to see what Poster stored as its birthday bonus.
    pub bonus_check: Option<BonusCheck>,
}

/// Poster's documents disagree on the unit of `birthday_bonus` when written (roubles in the
/// seed, kopecks in the current docs): after every save the group is read back and the
/// bonus compared with what was meant.
#[derive(Debug, Clone)]
pub struct BonusCheck {
    /// The `getGroup` request whose answer settles it.
    pub request: RequestId,
    pub group: i64,
    /// What the admin meant the bonus to be.
    pub meant: Amount,
    /// The draft that was sent.
    pub sent: GroupDraft,
}

/// Poster stored a birthday bonus other than the one meant: says so, and offers to send it
/// again in the unit Poster evidently reads, when the difference is exactly that unit.
#[derive(Debug)]
pub struct BonusMismatch {
    pub group: i64,
    pub name: String,
    pub meant: Amount,
    pub stored: Amount,
    /// The draft that should make Poster store `meant`; `None` when no unit explains it.
    pub fix: Option<GroupDraft>,
    pub focus: Button,
    pub sending: Option<RequestId>,
    pub problem: Option<ServiceError>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupField {
    Name,
    Kind,
    Percent,
    BirthdayBonus,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupFormProblem {
    Draft(GroupProblem),
    Percent,
    BirthdayBonus(AmountError),
    Refused(ServiceError),
}

#[derive(Debug)]
pub struct GroupForm {
    /// The group being edited; `None` for a new one.
    pub editing: Option<i64>,
    pub name: Input,
    pub kind: GroupKind,
    pub percent: Input,
    pub birthday_bonus: Input,
    /// Not shown on the form: sent back as the group had it.
    pub use_ewallet: Option<bool>,
    pub field: GroupField,
    pub problem: Option<GroupFormProblem>,
    pub sending: Option<RequestId>,
}

#[derive(Debug)]
pub struct GroupRemoval {
    pub group: Group,
    pub focus: Button,
    pub sending: Option<RequestId>,
    pub problem: Option<ServiceError>,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Search,
    Results,
    History,
}

/// Data fetched from a backend: the last good value stays on screen while a newer request
/// is pending, and the last failure is kept to be shown next to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remote<T> {
    pub data: Option<T>,
    pub pending: Option<RequestId>,
    pub error: Option<ServiceError>,
}

impl<T> Default for Remote<T> {
    fn default() -> Self {
        Remote {
            data: None,
            pending: None,
            error: None,
        }
    }
}

impl<T> Remote<T> {
    pub fn start(&mut self, id: RequestId) {
        self.pending = Some(id);
    }

    /// Takes a reply if it answers the newest request; returns whether it did.
    pub fn accept(&mut self, id: RequestId, result: Result<T, ServiceError>) -> bool {
        if self.pending != Some(id) {
            return false;
        }
        self.pending = None;
        match result {
            Ok(data) => {
                self.data = Some(data);
                self.error = None;
            }
            Err(e) => self.error = Some(e),
        }
        true
    }

    /// Like [`Remote::accept`], and a failure it takes also goes to `status` (the status
    /// bar's last error).
    pub fn accept_reporting(
        &mut self,
        id: RequestId,
        result: Result<T, ServiceError>,
        status: &mut Option<ServiceError>,
    ) -> bool {
        let failure = result.as_ref().err().cloned();
        let accepted = self.accept(id, result);
        if accepted && let Some(e) = failure {
            *status = Some(e);
        }
        accepted
    }

    pub fn is_loading(&self) -> bool {
        self.pending.is_some()
    }
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
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteOffField {
    Points,
    Rubles,
    Coupons,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Button {
    Cancel,
    Confirm,
}

impl Button {
    /// The button the focus moves to.
    pub fn other(self) -> Button {
        match self {
            Button::Cancel => Button::Confirm,
            Button::Confirm => Button::Cancel,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteOffStep {
    Form,
    /// The validated request waits for consent; focus starts on Cancel. The key is made
    /// before the first attempt and kept for every retry of the same request.
    Confirm {
        request: WriteOff,
        focus: Button,
        key: String,
    },
    /// Sent; nothing can be confirmed again until the answer comes.
    Sending {
        request: WriteOff,
        id: RequestId,
        key: String,
    },
    /// No answer came: the balance and coupons are being read again to find out.
    Checking {
        request: WriteOff,
        key: String,
    },
    /// What reading them again showed; a retry (same key) is offered only when it did not
    /// go through.
    Checked {
        request: WriteOff,
        key: String,
        verdict: Verdict,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Balance and coupons are as before: it did not go through, and may be sent again.
    NotApplied,
    /// The evidence does not single out this write-off: nothing is retried, and the cashier
    /// is told what to check.
    Unclear(Doubt),
}

/// Why a check could not tell whether an unanswered write-off went through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Doubt {
    /// The balance or the coupons could not be read again.
    Unreadable,
    /// They moved, but not by exactly this write-off (an accrual, another till's amount).
    ChangedOtherwise,
    /// The balance fell by exactly this amount, but nothing marks it as this till's:
    /// another till may have written off the same amount at the same time.
    SameAmountElsewhere,
    /// A coupon of the write-off is gone, but it had expired meanwhile, and vendors drop
    /// expired coupons from the list: its absence proves nothing.
    CouponExpired(CouponId),
}

/// Why the form cannot go on to confirmation, or why the server said no.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormProblem {
    Amount {
        field: WriteOffField,
        error: AmountError,
    },
    NotPositive(WriteOffField),
    AboveBalance {
        field: WriteOffField,
        available: Amount,
    },
    CouponExpired(CouponId),
    Nothing,
    Refused(ServiceError),
}

#[derive(Debug)]
pub struct WriteOffDialog {
    pub client: Client,
    pub balances: Balances,
    pub coupons: Vec<Coupon>,
    pub points: Input,
    pub rubles: Input,
    pub field: WriteOffField,
    pub coupon_cursor: usize,
    pub chosen: BTreeSet<CouponId>,
    pub problem: Option<FormProblem>,
    pub step: WriteOffStep,
    /// The last request confirmed and its key: confirming the same request again reuses it.
    pub last_key: Option<(WriteOff, String)>,
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

#[derive(Debug)]
pub enum Dialog {
    Help,
    WriteOff(Box<WriteOffDialog>),
    HistoryFilter(FilterDialog),
    GroupForm(Box<GroupForm>),
    GroupRemove(GroupRemoval),
    BonusMismatch(Box<BonusMismatch>),
    CardPicker(CardPicker),
}

/// F6: the cards a phone, barcode or name found, to pick the one whose operations to show.
#[derive(Debug)]
pub struct CardPicker {
    pub text: String,
    pub cards: Remote<Vec<RetailCard>>,
    pub selected: usize,
}

/// What the status bar says after something went well.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    DemoCreated {
        clients: u64,
    },
    WrittenOff {
        client: Client,
        request: WriteOff,
    },
    /// A write-off got no answer: it may or may not have gone through.
    OutcomeUnknown {
        client: ClientId,
    },
    /// Reading the balance again showed that an unanswered write-off went through.
    WrittenOffAfterCheck {
        client: Client,
        request: WriteOff,
    },
    /// The config file holds secrets and others may read it.
    ConfigReadable {
        path: PathBuf,
    },
    NoSearchFor(String),
    /// `w` on a client whose balance could not be read: there is nothing to write off from.
    NoBalanceToWriteOff,
    /// The filtered client is not on Poster's page: the next one is being read.
    LookingForClient {
        client: i64,
        page: u32,
    },
    /// Esc stopped the walk through Poster's pages, or it reached its bound.
    ClientNotFound {
        client: i64,
        pages: u32,
    },
    /// The vendor asked to wait this many seconds; the request is sent again then.
    RateLimited {
        seconds: u64,
    },
    GroupSaved {
        name: String,
    },
    GroupRemoved {
        name: String,
    },
    /// A birthday bonus Poster had stored wrong was sent again and is right now.
    BonusCorrected {
        name: String,
    },
    Exported {
        path: PathBuf,
        rows: usize,
    },
}

/// Which backend is in use, for the status bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BackendLabel {
    Embedded,
    Profile(String),
}

pub struct Model {
    pub locale: Locale,
    pub tz: TimeZone,
    pub backend: BackendLabel,
    pub now: Timestamp,
    pub screen: Screen,
    pub focus: Pane,
    pub search: SearchState,
    pub card: Option<CardState>,
    pub dialog: Option<Dialog>,
    pub notice: Option<Notice>,
    pub error: Option<ServiceError>,
    pub spinner: usize,
    pub available: Availability,
    pub groups: GroupsState,
    pub accumulations: AccumulationsState,
    pub registrations: RegistrationsState,
    pub card_operations: CardOperationsState,
    /// The export being written, if any.
    pub exporting: Option<RequestId>,
    pub journal: Remote<Vec<crate::domain::journal::JournalRow>>,
    pub journal_selected: usize,
    /// Unique to this run of the console: idempotency keys are made from it.
    pub session: String,
    next_request: u64,
}

impl Model {
    pub fn new(locale: Locale, tz: TimeZone, backend: BackendLabel, now: Timestamp) -> Self {
        Model {
            locale,
            tz,
            backend,
            now,
            screen: Screen::Clients,
            focus: Pane::Search,
            search: SearchState::default(),
            card: None,
            dialog: None,
            notice: None,
            error: None,
            spinner: 0,
            available: Availability::ALL,
            groups: GroupsState::default(),
            accumulations: AccumulationsState {
                rows: Remote::default(),
                clients_on_page: 0,
                walked: 0,
                promotions: Remote::default(),
                offset: 0,
                selected: 0,
                filter: FilterForm::new(1),
                client: None,
            },
            registrations: RegistrationsState {
                preset: Preset::Today,
                filter: FilterForm::new(3),
                rows: Remote::default(),
                selected: 0,
                query: None,
            },
            card_operations: CardOperationsState {
                filter: FilterForm::new(4),
                kind: None,
                sort: SortColumn::Date,
                direction: SortDirection::Desc,
                rows: Remote::default(),
                selected: 0,
                query: None,
                waits: 0,
            },
            exporting: None,
            journal: Remote::default(),
            journal_selected: 0,
            session: format!("{:x}", now.as_nanosecond()),
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

    /// Whether any request is in flight (drives the spinner).
    pub fn busy(&self) -> bool {
        let card_busy = self.card.as_ref().is_some_and(|c| {
            c.balance.is_loading() || c.coupons.is_loading() || c.history.rows.is_loading()
        });
        let sending = matches!(
            &self.dialog,
            Some(Dialog::WriteOff(d))
                if matches!(d.step, WriteOffStep::Sending { .. } | WriteOffStep::Checking { .. })
        );
        let dialog_busy = match &self.dialog {
            Some(Dialog::GroupForm(f)) => f.sending.is_some(),
            Some(Dialog::GroupRemove(r)) => r.sending.is_some(),
            Some(Dialog::BonusMismatch(b)) => b.sending.is_some(),
            Some(Dialog::CardPicker(p)) => p.cards.is_loading(),
            _ => false,
        };
        self.search.results.is_loading()
            || card_busy
            || sending
            || dialog_busy
            || self.exporting.is_some()
            || self.groups.list.is_loading()
            || self.groups.detail.is_loading()
            || self.accumulations.rows.is_loading()
            || self.registrations.rows.is_loading()
            || self.card_operations.rows.is_loading()
            || self.journal.is_loading()
    }

    pub fn selected_client(&self) -> Option<&Client> {
        self.search
            .results
            .data
            .as_ref()
            .and_then(|r| r.get(self.search.selected))
    }
}
