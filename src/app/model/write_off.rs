//! The write-off dialog: its form, the confirmation, sending, and the check after no answer.

use super::*;
use crate::domain::codes::{
    CodeFallback, CodePolicy, CodeSent, CodeVia, ConfirmationCode, Confirmed,
};
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
    /// Consent given, and the write-off needs the client's code first: nothing is sent
    /// until the code is checked or a manager's PIN stands in for it.
    Code(CodeStep),
}

/// The profile's confirmation codes as the console applies them, and whether a code
/// service was launched (`Services.codes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CodeAsk {
    pub policy: CodePolicy,
    pub via: CodeVia,
    pub fallback: CodeFallback,
    pub service: bool,
}

impl CodeAsk {
    /// Whether a write-off of `total` (points and roubles together) needs the client's
    /// code: the profile's policy says so, or the provider's own (`provider`, from its
    /// capabilities) does.
    pub fn requires(&self, total: Amount, provider: Option<CodePolicy>) -> bool {
        self.policy.requires(total) || provider.is_some_and(|p| p.requires(total))
    }

    /// Whether a code can be sent and checked from here: through Mloyalty's API where the
    /// profile says so and it was launched, or by the provider that has codes.
    pub fn checkable(&self, provider: Option<CodePolicy>) -> bool {
        (self.via == CodeVia::Mloyalty && self.service) || provider.is_some()
    }
}

/// Which field of the code step has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeField {
    Code,
    /// A manager's PIN in place of the code.
    Pin,
}

/// What the code step says went wrong; nothing was written off in any case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeProblem {
    /// Not 4 to 8 digits.
    Malformed,
    /// A manager's PIN is 4 or more digits.
    PinMissing,
    /// Another code may be sent only after this many seconds.
    Wait(u64),
    /// The send failed (undelivered, no answer, refused): no code is valid.
    NotSent(ServiceError),
    /// The check or the write-off itself said no, or the check did not answer.
    Refused(ServiceError),
}

/// The write-off waiting for the client's code. The request holds no code: a code that
/// the server checks is put in only when the write-off is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeStep {
    pub request: WriteOff,
    pub key: String,
    pub field: CodeField,
    /// Codes can be sent and checked here; without, only a manager's PIN (the profile's
    /// fallback) lets the write-off go.
    pub checkable: bool,
    /// The send on its way.
    pub sending: Option<RequestId>,
    /// What the last send said: where to, until when.
    pub sent: Option<CodeSent>,
    /// The check on its way, with the code it checks.
    pub checking: Option<(RequestId, ConfirmationCode)>,
    pub problem: Option<CodeProblem>,
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
    /// The write-off needs the client's code, nothing here can check one, and the profile
    /// refuses rather than take a manager's PIN.
    CodeUncheckable,
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
    /// The code the client reads out (digits, shown: it is read aloud anyway).
    pub code: Input,
    /// A manager's PIN in place of the code.
    pub code_pin: PinInput,
    /// How the write-off that needed a code was allowed, once it was: kept for a retry.
    pub confirmed: Option<Confirmed>,
}

/// Where the last code went and until when, for which client and write-off: still said
/// after a wrong try, and after the cashier leaves the code step and comes back to the
/// same write-off while the code lives, so no second code voids the one being read out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastCode {
    pub client: ClientId,
    /// The write-off the code is bound to, without a code.
    pub request: WriteOff,
    pub sent: CodeSent,
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
