//! What the console asks the world to do, and which of those are requests that a reply
//! answers.

use super::RequestId;
use crate::domain::admin::{AccumulationQuery, CardOperationQuery, GroupDraft, RegistrationQuery};
use crate::domain::codes::{ConfirmationCode, Confirmed};
use crate::domain::export::Export;
use crate::domain::journal::Outcome;
use crate::domain::limits::ManagerPin;
use crate::domain::{
    Amount, Client, ClientId, ClientQuery, HistoryQuery, OperationId, Reversal, WriteOff,
};
use jiff::Timestamp;
use std::time::Duration;

/// Effects as data: the runtime carries these out and answers with a [`Msg`](super::Msg).
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
    /// Wait `delay` (as a rate-limited vendor asked), then say [`Msg::RetryDue`](super::Msg::RetryDue) for `id`.
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
    /// past a shop limit or in place of the client's code, a manager's PIN (whose Debug
    /// never shows the digits). `confirmed`: how a write-off that needed a code was
    /// allowed, for the journal.
    WriteOff {
        id: RequestId,
        client: ClientId,
        request: WriteOff,
        key: String,
        manager: Option<ManagerPin>,
        confirmed: Option<Confirmed>,
    },
    /// Journal the reversal, then send it with its own key and the manager's PIN.
    Reverse {
        id: RequestId,
        request: Reversal,
        key: String,
        manager: ManagerPin,
    },
    /// Have the client's confirmation code sent for `request` (a send, not money: never
    /// dropped, but nothing is written off by it).
    SendCode {
        id: RequestId,
        client: Client,
        request: WriteOff,
    },
    /// Check the code the client read out, where the vendor checks it apart from the
    /// write-off.
    CheckCode {
        id: RequestId,
        client: Client,
        code: ConfirmationCode,
    },
    /// The client's points that expire soonest and those not yet spendable.
    LoadOutlook {
        id: RequestId,
        client: ClientId,
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
    /// one cannot be forgotten: its reply clears it ([`Msg::answers`](super::Msg::answers)), and only reads are
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
            | Cmd::LoadShiftReport { id, .. }
            | Cmd::LoadOutlook { id, .. } => (id, Kind::Read),
            Cmd::WriteOff { id, .. }
            | Cmd::SendCode { id, .. }
            | Cmd::CheckCode { id, .. }
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
