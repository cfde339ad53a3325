//! Everything that can happen to the console (`Msg`), and everything it can ask the world
//! to do (`Cmd`, in `cmd`).

use crate::app::keys::key::Key;
use crate::app::model::Screen;
use crate::domain::admin::{
    AccumulationPage, CardOperationPage, Group, Promotion, Registration, RetailCard,
};
pub use crate::domain::export::{Export, Exported};
use crate::domain::journal::JournalRow;
use crate::domain::limits::{Available, Capabilities};
use crate::domain::reversal::Operation;
use crate::domain::shift::ShiftReport;
use crate::domain::{Balances, Client, Coupon, HistoryEntry, OperationId, ServiceError};
use jiff::Timestamp;

mod cmd;
pub use cmd::{Cmd, Kind, Request};

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
    /// The terminal's size, at start and whenever it changes; the screen is drawn anew.
    Resized {
        width: u16,
        height: u16,
    },
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
    CodeSent {
        id: RequestId,
        result: Reply<crate::domain::codes::CodeSent>,
    },
    CodeChecked {
        id: RequestId,
        result: Reply<crate::domain::codes::CodeCheck>,
    },
    OutlookLoaded {
        id: RequestId,
        result: Reply<crate::domain::lots::Outlook>,
    },
    /// An export under way has written this many rows (after each page it reads).
    ExportProgress {
        id: RequestId,
        rows: usize,
    },
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
            | Msg::ShiftReportLoaded { id, .. }
            | Msg::CodeSent { id, .. }
            | Msg::CodeChecked { id, .. }
            | Msg::OutlookLoaded { id, .. } => Some(*id),
            // Not replies: a timer's or a retry's id names a request still waiting.
            Msg::Key(_)
            | Msg::Paste(_)
            | Msg::Mouse(_)
            | Msg::Pointer(_)
            | Msg::Resized { .. }
            | Msg::Tick(_)
            | Msg::Started
            | Msg::DemoSeeded(_)
            | Msg::DebounceElapsed(_)
            | Msg::RetryDue(_)
            | Msg::Attempt { .. }
            | Msg::ExportProgress { .. } => None,
        }
    }

    /// The screen whose data a reply carries: its failure is that screen's to tell, and
    /// another screen's status line does not show it. `None`: said wherever the cashier is.
    pub fn screen(&self) -> Option<Screen> {
        match self {
            Msg::Searched { .. }
            | Msg::BalanceLoaded { .. }
            | Msg::CouponsLoaded { .. }
            | Msg::HistoryLoaded { .. }
            | Msg::OutlookLoaded { .. } => Some(Screen::Clients),
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
            | Msg::CodeSent { .. }
            | Msg::CodeChecked { .. }
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
            | Msg::Resized { .. }
            | Msg::Tick(_)
            | Msg::DemoSeeded(_)
            | Msg::DebounceElapsed(_)
            | Msg::RetryDue(_)
            | Msg::Attempt { .. }
            | Msg::ExportProgress { .. } => None,
        }
    }
}
