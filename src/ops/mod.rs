//! What both faces of the till do, the console and the command line alike: start the
//! services a profile names (or the built-in server), journal and send a write-off or a reversal, report a shift, export
//! tables as CSV, check the configuration, log, and keep files to their owner. The
//! terminal loop (`runtime`) and the scriptable commands (`cli`) sit above it.

pub mod check;
pub mod export;
pub mod journal;
pub mod launch;
mod log_line;
pub mod logging;
pub mod movement;
pub mod private;
pub mod reverse;
pub mod shift;
pub mod write_off;

use crate::domain::{ErrorKind, ServiceError};
use std::sync::Arc;

/// The service a command needs, or the error that says it is not configured.
pub fn need<T: ?Sized>(service: &Option<Arc<T>>, what: &str) -> Result<Arc<T>, ServiceError> {
    service
        .clone()
        .ok_or_else(|| ServiceError::new(ErrorKind::NotConfigured, what.to_string()))
}
