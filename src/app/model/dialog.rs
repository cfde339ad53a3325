//! Which dialog is open, and what the status bar says after something went well.

use super::*;

#[derive(Debug)]
pub enum Dialog {
    Help(HelpState),
    /// The last messages of the status line, newest first; `.0` is the selected one.
    Messages(usize),
    WriteOff(Box<WriteOffDialog>),
    HistoryFilter(FilterDialog),
    GroupForm(Box<GroupForm>),
    GroupRemove(GroupRemoval),
    BonusMismatch(Box<BonusMismatch>),
    CardPicker(CardPicker),
    Reversal(Box<ReversalDialog>),
    ShiftReport(ShiftReportState),
}

/// The help overlay: the text typed to find a key, and how far it is scrolled.
#[derive(Debug, Default)]
pub struct HelpState {
    pub filter: tui_input::Input,
    /// The line the cursor is on; the view keeps it in sight and within the lines shown.
    pub scroll: usize,
    /// The dialog the help was opened over (the write-off's form or code step): back in
    /// it, as it was, when the help closes.
    pub under: Option<Box<Dialog>>,
}

impl Dialog {
    /// The dialog the cashier works in: the one under the help, while the help is open
    /// over it, so that its answers (a code sent, a write-off's outcome) still reach it.
    pub fn working(&mut self) -> &mut Dialog {
        match self {
            Dialog::Help(HelpState {
                under: Some(under), ..
            }) => under,
            other => other,
        }
    }
}

/// What quitting now would lose; quitting asks first while there is any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unsaved {
    /// A write-off or a reversal is sent or being checked: its outcome would go unseen.
    WriteOffInFlight,
    /// A form has input that was not saved or sent.
    Form,
}

/// What the status bar says after something went well.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// The embedded server is filling a new database in the background.
    DemoSeeding {
        clients: u64,
    },
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
    /// `w` with no client open: there is no one to write off from.
    NoClientToWriteOff,
    /// `w` on a client whose last write-off is in doubt: it is being checked again first.
    CheckingEarlier,
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
    /// A reversal went through (`after_check`: found so by reading the original again).
    Reversed {
        operation: crate::domain::OperationId,
        request: crate::domain::Reversal,
        after_check: bool,
    },
    /// The reversal key where the provider does not reverse: said instead of a dialog.
    ReversalNotOffered,
    /// The reversal key on a row that is no applied write-off with the server's number.
    NotReversible,
    /// An export under way, with the rows written so far.
    Exporting {
        rows: usize,
    },
}
