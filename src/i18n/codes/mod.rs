//! The sentences of confirmation codes and of expiring and pending points: the code step of
//! the write-off, its refusals, the manager's bypass, and the card's «сгорит»/«неактивно».

pub(super) mod en;
pub(super) mod ru;
mod text;

pub use text::CodesText;
