//! The money sentences: the write-off dialog and its check, the refusals and the shop's
//! limits, the manager's PIN and the receipt, the reversal (сторно) and the shift report.

pub(super) mod en;
pub(super) mod ru;
mod text;

pub use text::MoneyText;
