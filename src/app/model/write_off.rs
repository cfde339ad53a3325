//! The write-off dialog: its form, the confirmation, sending, and the check after no answer.

use super::*;
/// The check's findings are the domain's: the command line judges by the same rules.
pub use crate::domain::reconcile::{Doubt, Verdict};

/// Whether the write-off dialog asks for the receipt, as the profile says (its `receipt`
/// key; the runtime reads the config), where the provider keeps receipts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReceiptAsk {
    Off,
    #[default]
    Optional,
    Required,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteOffField {
    Points,
    Rubles,
    Coupons,
    ReceiptNumber,
    ReceiptTotal,
    /// «PIN менеджера», offered once a shop limit refused the write-off.
    Pin,
    /// Why the manager lets it past the limit, offered with the PIN.
    OverrideReason,
    OverrideNote,
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
    /// The receipt's number and total go together or not at all.
    ReceiptHalf,
    /// The profile or a shop limit needs the receipt.
    ReceiptMissing,
    ReceiptNumberTooLong,
    /// A manager's PIN is 4 or more digits.
    PinMissing,
    /// Going past a limit says why: a reason chosen, «другое» with its note, at most 200
    /// characters.
    OverrideReasonMissing,
    OverrideNoteMissing,
    OverrideNoteTooLong,
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
    pub receipt_number: Input,
    pub receipt_total: Input,
    /// The receipt's fields are shown (the profile asks and the provider keeps receipts).
    pub receipt_shown: bool,
    /// They must be filled: the profile says so, or a limit refused a write-off without.
    pub receipt_required: bool,
    /// «Доступно к списанию» under the shop's limits, where the provider has limits.
    pub limits: Option<Remote<crate::domain::limits::Available>>,
    /// The receipt total «Доступно» was last asked for.
    pub limits_for: Option<Amount>,
    /// Offered once a limit refused the write-off: a manager's PIN goes past it.
    pub pin: Option<PinInput>,
    /// The request a limit refused: Enter with the PIN sends it again at once.
    pub refused: Option<WriteOff>,
    /// The PIN the request was sent with, for a retry after "not applied" (the field is
    /// cleared once sent). Its Debug shows no digits.
    pub manager: Option<crate::domain::limits::ManagerPin>,
    /// Why the manager lets it past the limit, asked with the PIN.
    /// None until the cashier chooses one.
    pub override_reason: Option<crate::domain::reversal::ReasonCode>,
    pub override_note: Input,
}

/// A write-off a check could not tell about: what was sent, under which key, and the
/// balance and coupons it was sent against, so a later check judges it by the same
/// evidence. The cashier's next `w` for the client settles it first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InDoubt {
    pub request: WriteOff,
    pub key: String,
    pub balances: Balances,
    pub coupons: Vec<Coupon>,
}
