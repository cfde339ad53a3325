//! Everything that can happen to the console, and everything it can ask the world to do.

use crate::app::keys::key::Key;
use crate::app::model::Screen;
use crate::domain::admin::{
    AccumulationPage, AccumulationQuery, CardOperationPage, CardOperationQuery, Group, GroupDraft,
    Promotion, Registration, RegistrationQuery, RetailCard,
};
pub use crate::domain::export::{Export, Exported};
use crate::domain::journal::{JournalRow, Outcome};
use crate::domain::limits::{Available, Capabilities, ManagerPin};
use crate::domain::reversal::Operation;
use crate::domain::shift::ShiftReport;
use crate::domain::{
    Amount, Balances, Client, ClientId, ClientQuery, Coupon, HistoryEntry, HistoryQuery,
    OperationId, Reversal, ServiceError, WriteOff,
};
use jiff::Timestamp;
use std::time::Duration;

/// Identifies one request so that a reply to anything but the newest is dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RequestId(pub u64);

pub type Reply<T> = Result<T, ServiceError>;

#[derive(Debug)]
pub enum Msg {
    Key(Key),
    Paste(String),
    /// A click or the wheel over a tab or a row (`mouse = true`).
    Mouse(crate::app::mouse::Mouse),
    /// A terminal mouse event as it came; the runtime turns it into [`Msg::Mouse`] by the
    /// last frame's layout, so `update` never gets one.
    Pointer(crate::app::mouse::Pointer),
    /// The terminal changed size; nothing to update, but the screen is drawn anew.
    Resized,
    /// The clock moved (drives the spinner and coupon expiry).
    Tick(Timestamp),
    /// The embedded server finished filling its new database: how many clients it holds.
    DemoSeeded(Result<u64, ServiceError>),
    /// The search debounce for generation `.0` has run out.
    DebounceElapsed(u64),
    /// The wait a rate-limited request `.0` was asked for is over.
    RetryDue(RequestId),
    /// A read is being sent again after a failure: attempt `attempt` of `of`.
    Attempt {
        id: RequestId,
        attempt: u32,
        of: u32,
    },
    Searched {
        id: RequestId,
        result: Reply<Vec<Client>>,
    },
    BalanceLoaded {
        id: RequestId,
        result: Reply<Balances>,
    },
    CouponsLoaded {
        id: RequestId,
        result: Reply<Vec<Coupon>>,
    },
    HistoryLoaded {
        id: RequestId,
        result: Reply<Vec<HistoryEntry>>,
    },
    WrittenOff {
        id: RequestId,
        result: Reply<()>,
    },
    GroupsLoaded {
        id: RequestId,
        result: Reply<Vec<Group>>,
    },
    GroupLoaded {
        id: RequestId,
        result: Reply<Group>,
    },
    GroupSaved {
        id: RequestId,
        result: Reply<i64>,
    },
    GroupRemoved {
        id: RequestId,
        result: Reply<()>,
    },
    AccumulationsLoaded {
        id: RequestId,
        result: Reply<AccumulationPage>,
    },
    PromotionsLoaded {
        id: RequestId,
        result: Reply<Vec<Promotion>>,
    },
    RegistrationsLoaded {
        id: RequestId,
        result: Reply<Vec<Registration>>,
    },
    CardOperationsLoaded {
        id: RequestId,
        result: Reply<CardOperationPage>,
    },
    CardsFound {
        id: RequestId,
        result: Reply<Vec<RetailCard>>,
    },
    Exported {
        id: RequestId,
        result: Reply<Exported>,
    },
    JournalLoaded {
        id: RequestId,
        result: Reply<Vec<JournalRow>>,
    },
    /// The console is up and about to take keys: what it asks once per session.
    Started,
    CapabilitiesLoaded {
        id: RequestId,
        result: Reply<Capabilities>,
    },
    AvailableLoaded {
        id: RequestId,
        result: Reply<Available>,
    },
    OperationLoaded {
        id: RequestId,
        result: Reply<Operation>,
    },
    Reversed {
        id: RequestId,
        result: Reply<Option<OperationId>>,
    },
    ShiftReportLoaded {
        id: RequestId,
        result: Reply<ShiftReport>,
    },
}

/// Effects as data: the runtime carries these out and answers with a [`Msg`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cmd {
    Search {
        id: RequestId,
        query: ClientQuery,
    },
    Debounce {
        generation: u64,
        delay: Duration,
    },
    /// Wait `delay` (as a rate-limited vendor asked), then say [`Msg::RetryDue`] for `id`.
    RetryLater {
        id: RequestId,
        delay: Duration,
    },
    LoadBalance {
        id: RequestId,
        client: ClientId,
    },
    LoadCoupons {
        id: RequestId,
        client: ClientId,
    },
    LoadHistory {
        id: RequestId,
        client: ClientId,
        query: HistoryQuery,
    },
    /// Journal the attempt (flushed to disk), then send it with its idempotency key and,
    /// past a shop limit, a manager's PIN (whose Debug never shows the digits).
    WriteOff {
        id: RequestId,
        client: ClientId,
        request: WriteOff,
        key: String,
        manager: Option<ManagerPin>,
    },
    /// Journal the reversal, then send it with its own key and the manager's PIN.
    Reverse {
        id: RequestId,
        request: Reversal,
        key: String,
        manager: ManagerPin,
    },
    /// What the provider can do beyond a plain write-off.
    LoadCapabilities {
        id: RequestId,
    },
    /// What the client may write off now under the shop's limits.
    LoadAvailable {
        id: RequestId,
        client: ClientId,
        receipt_total: Option<Amount>,
    },
    /// One operation with what has been reversed of it.
    LoadOperation {
        id: RequestId,
        operation: OperationId,
    },
    /// The shift report since `since`.
    LoadShiftReport {
        id: RequestId,
        since: Timestamp,
    },
    /// Journal how an earlier movement ended.
    Record {
        key: String,
        client: ClientId,
        outcome: Outcome,
    },
    LoadJournal {
        id: RequestId,
    },
    LoadGroups {
        id: RequestId,
    },
    LoadGroup {
        id: RequestId,
        group: i64,
    },
    /// Create (`group: None`) or update a group.
    SaveGroup {
        id: RequestId,
        group: Option<i64>,
        draft: GroupDraft,
    },
    RemoveGroup {
        id: RequestId,
        group: i64,
    },
    LoadAccumulations {
        id: RequestId,
        query: AccumulationQuery,
    },
    LoadRegistrations {
        id: RequestId,
        query: RegistrationQuery,
    },
    LoadCardOperations {
        id: RequestId,
        query: CardOperationQuery,
    },
    LoadPromotions {
        id: RequestId,
    },
    /// Cards whose holder's phone or name, or barcode, matches `text` (REGOS).
    FindCards {
        id: RequestId,
        text: String,
    },
    Export {
        id: RequestId,
        export: Export,
    },
    Quit,
    /// Ctrl-Z: give the terminal back and stop until `fg`, then draw again.
    Suspend,
    /// Stop waiting for these reads: their tasks are dropped and each answers as cancelled.
    Cancel(Vec<RequestId>),
}

/// What a request does, which decides what waiting for it allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Asks a vendor: once slow, the status line shows the wait and Esc drops it.
    Read,
    /// Changes something (money, a group, a file): never dropped, since a change on its
    /// way may already be made; quitting asks first while a write-off is one.
    Write,
    /// Reads this console's own files: quick, and never dropped.
    Local,
}

/// A request on its way: what `update` records until its reply comes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Request {
    pub id: RequestId,
    pub kind: Kind,
}

impl Cmd {
    /// The request this command starts, if it is one. Every command is named here, so a new
    /// one cannot be forgotten: its reply clears it ([`Msg::answers`]), and only reads are
    /// cancellable.
    pub fn request(&self) -> Option<Request> {
        let (id, kind) = match self {
            Cmd::Search { id, .. }
            | Cmd::LoadBalance { id, .. }
            | Cmd::LoadCoupons { id, .. }
            | Cmd::LoadHistory { id, .. }
            | Cmd::LoadGroups { id }
            | Cmd::LoadGroup { id, .. }
            | Cmd::LoadAccumulations { id, .. }
            | Cmd::LoadRegistrations { id, .. }
            | Cmd::LoadCardOperations { id, .. }
            | Cmd::LoadPromotions { id }
            | Cmd::FindCards { id, .. }
            | Cmd::LoadCapabilities { id }
            | Cmd::LoadAvailable { id, .. }
            | Cmd::LoadOperation { id, .. }
            | Cmd::LoadShiftReport { id, .. } => (id, Kind::Read),
            Cmd::WriteOff { id, .. }
            | Cmd::Reverse { id, .. }
            | Cmd::SaveGroup { id, .. }
            | Cmd::RemoveGroup { id, .. }
            | Cmd::Export { id, .. } => (id, Kind::Write),
            Cmd::LoadJournal { id } => (id, Kind::Local),
            Cmd::Debounce { .. }
            | Cmd::RetryLater { .. }
            | Cmd::Record { .. }
            | Cmd::Quit
            | Cmd::Suspend
            | Cmd::Cancel(_) => return None,
        };
        Some(Request { id: *id, kind })
    }

    /// The id of a read that Esc may cancel.
    pub fn cancellable(&self) -> Option<RequestId> {
        self.request()
            .filter(|r| r.kind == Kind::Read)
            .map(|r| r.id)
    }
}

impl Msg {
    /// The request a reply answers.
    pub fn answers(&self) -> Option<RequestId> {
        match self {
            Msg::Searched { id, .. }
            | Msg::BalanceLoaded { id, .. }
            | Msg::CouponsLoaded { id, .. }
            | Msg::HistoryLoaded { id, .. }
            | Msg::WrittenOff { id, .. }
            | Msg::GroupsLoaded { id, .. }
            | Msg::GroupLoaded { id, .. }
            | Msg::GroupSaved { id, .. }
            | Msg::GroupRemoved { id, .. }
            | Msg::AccumulationsLoaded { id, .. }
            | Msg::PromotionsLoaded { id, .. }
            | Msg::RegistrationsLoaded { id, .. }
            | Msg::CardOperationsLoaded { id, .. }
            | Msg::CardsFound { id, .. }
            | Msg::Exported { id, .. }
            | Msg::JournalLoaded { id, .. }
            | Msg::CapabilitiesLoaded { id, .. }
            | Msg::AvailableLoaded { id, .. }
            | Msg::OperationLoaded { id, .. }
            | Msg::Reversed { id, .. }
            | Msg::ShiftReportLoaded { id, .. } => Some(*id),
            // Not replies: a timer's or a retry's id names a request still waiting.
            Msg::Key(_)
            | Msg::Paste(_)
            | Msg::Mouse(_)
            | Msg::Pointer(_)
            | Msg::Resized
            | Msg::Tick(_)
            | Msg::Started
            | Msg::DemoSeeded(_)
            | Msg::DebounceElapsed(_)
            | Msg::RetryDue(_)
            | Msg::Attempt { .. } => None,
        }
    }

    /// The screen whose data a reply carries: its failure is that screen's to tell, and
    /// another screen's status line does not show it. `None`: said wherever the cashier is.
    pub fn screen(&self) -> Option<Screen> {
        match self {
            Msg::Searched { .. }
            | Msg::BalanceLoaded { .. }
            | Msg::CouponsLoaded { .. }
            | Msg::HistoryLoaded { .. } => Some(Screen::Clients),
            Msg::GroupsLoaded { .. } | Msg::GroupLoaded { .. } => Some(Screen::Groups),
            Msg::AccumulationsLoaded { .. } | Msg::PromotionsLoaded { .. } => {
                Some(Screen::Accumulations)
            }
            Msg::RegistrationsLoaded { .. } => Some(Screen::Registrations),
            Msg::CardOperationsLoaded { .. } | Msg::CardsFound { .. } => {
                Some(Screen::CardOperations)
            }
            Msg::JournalLoaded { .. } => Some(Screen::Journal),
            // Money, saves and exports are told wherever the cashier is, and so are what a
            // dialog reads for itself.
            Msg::WrittenOff { .. }
            | Msg::Started
            | Msg::CapabilitiesLoaded { .. }
            | Msg::AvailableLoaded { .. }
            | Msg::OperationLoaded { .. }
            | Msg::Reversed { .. }
            | Msg::ShiftReportLoaded { .. }
            | Msg::GroupSaved { .. }
            | Msg::GroupRemoved { .. }
            | Msg::Exported { .. }
            | Msg::Key(_)
            | Msg::Paste(_)
            | Msg::Mouse(_)
            | Msg::Pointer(_)
            | Msg::Resized
            | Msg::Tick(_)
            | Msg::DemoSeeded(_)
            | Msg::DebounceElapsed(_)
            | Msg::RetryDue(_)
            | Msg::Attempt { .. } => None,
        }
    }
}
