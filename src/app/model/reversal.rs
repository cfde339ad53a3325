//! The reversal dialog (сторно): the original read back, the form, the confirmation, sending
//! once, and the read-back that judges an unanswered reversal. Also the masked PIN field the
//! write-off dialog shares, and the shift report's popup.

use super::*;
use crate::domain::limits::ManagerPin;
use crate::domain::reversal::{Operation, ReasonCode};
use crate::domain::shift::ShiftReport;
use crate::domain::{OperationId, Reversal};

/// A manager's PIN being typed. Its text never reaches a Debug print (the dialogs derive
/// Debug) and is cleared once sent.
#[derive(Default)]
pub struct PinInput(pub Input);

impl std::fmt::Debug for PinInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PinInput(***)")
    }
}

impl PinInput {
    pub fn is_empty(&self) -> bool {
        self.0.value().is_empty()
    }

    /// How many digits are typed, which is all the dialog shows of them.
    pub fn len(&self) -> usize {
        self.0.value().chars().count()
    }

    pub fn clear(&mut self) {
        self.0 = Input::default();
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReversalField {
    Points,
    Rubles,
    Coupons,
    Reason,
    Note,
    Pin,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReversalStep {
    /// The original is being read.
    Loading {
        id: RequestId,
    },
    /// The original could not be read: only closing is left.
    Unreadable(ServiceError),
    Form,
    /// The request waits for consent, focus on Cancel; the key is made here and kept for
    /// every retry of the same request.
    Confirm {
        request: Reversal,
        focus: Button,
        key: String,
    },
    Sending {
        request: Reversal,
        key: String,
        id: RequestId,
    },
    /// No answer came: the original is read again to see whether its reversed sums grew.
    Checking {
        request: Reversal,
        key: String,
        id: RequestId,
    },
    Checked {
        request: Reversal,
        key: String,
        verdict: ReversalVerdict,
    },
}

/// What reading the original again showed of an unanswered reversal (went through: the
/// dialog closes and says so).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReversalVerdict {
    /// Nothing was reversed since: offered again, under the same key.
    NotApplied,
    /// It changed by something else than asked, or could not be read: F7 tells the rest.
    Unclear,
}

/// Why the form cannot go on, or why the server said no.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReversalProblem {
    Amount {
        field: ReversalField,
        error: AmountError,
    },
    NotPositive(ReversalField),
    /// More than is left to give back of the original.
    AboveLeft {
        field: ReversalField,
        left: Amount,
    },
    Nothing,
    ReasonMissing,
    NoteMissing,
    NoteTooLong,
    PinMissing,
    Refused(ServiceError),
}

#[derive(Debug)]
pub struct ReversalDialog {
    pub operation: OperationId,
    pub client: ClientId,
    /// The original as last read: what the form is checked against and the read-back
    /// compared with.
    pub original: Option<Operation>,
    pub points: Input,
    pub rubles: Input,
    /// Give back the original's coupons not given back yet.
    pub coupons_back: bool,
    /// None until the cashier chooses one.
    pub reason: Option<ReasonCode>,
    pub note: Input,
    pub pin: PinInput,
    pub field: ReversalField,
    pub problem: Option<ReversalProblem>,
    pub step: ReversalStep,
    /// The last request confirmed and its key: confirming the same request again reuses it.
    pub last_key: Option<(Reversal, String)>,
    /// The PIN the request was sent with, for a retry after "not applied" (the field is
    /// cleared once it is sent).
    pub manager: Option<ManagerPin>,
}

/// «Итоги смены» over F7.
#[derive(Debug, Default)]
pub struct ShiftReportState {
    pub report: Remote<ShiftReport>,
}
