//! What both stores mean alike, written once: each dialect (`sqlite/`, `postgres/`) says
//! it in its own SQL and neither restates it. `spending`: who made a movement, idempotency
//! keys, what may be spent and which coupons; `holds`: a hold's life and whose it is;
//! `principals`: users, roles and keys; `limits`: a point of sale's limits on
//! a write-off; `operations`: operations, reversals and the shift report; `managers`: the
//! managers' PINs; `back_office`: the back office's filters, order and
//! rows; `check`: what `serve --check` reports. The search patterns are `store::search`.
//!
//! PostgreSQL keeps a write-off's checks in its schema's functions, so that a write-off is
//! one statement; they say what `spending` says, and `tests/server/store_contract.rs` holds the
//! two stores to the same answers.

pub mod back_office;
pub mod check;
pub mod codes;
pub mod history;
pub mod holds;
pub mod limits;
pub mod lots;
pub mod managers;
pub mod operations;
pub mod principals;
pub mod spending;

/// History page size when the caller gives none, and the most one page may hold.
pub const HISTORY_DEFAULT_LIMIT: u32 = 100;
pub const HISTORY_MAX_LIMIT: u32 = 1000;
