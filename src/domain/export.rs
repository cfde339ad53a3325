//! What an export writes, and what it came to.

use super::ClientId;
use super::admin::{CardOperationQuery, RegistrationQuery};
use jiff::Timestamp as At;
use std::path::PathBuf;

/// A CSV file written by an export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    pub path: PathBuf,
    pub rows: usize,
}

/// What an export writes: every row of the current filter, not only the page on screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Export {
    History {
        client: ClientId,
        from: Option<At>,
        to: Option<At>,
    },
    /// The period's days are `zone`'s, the vendor's: rows from outside them are left out.
    Registrations {
        query: RegistrationQuery,
        zone: jiff::tz::TimeZone,
    },
    CardOperations(CardOperationQuery),
}
