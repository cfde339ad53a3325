//! Data fetched from a backend, with the id of the request it waits for.

use super::*;

/// Data fetched from a backend: the last good value stays on screen while a newer request
/// is pending, and the last failure is kept to be shown next to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remote<T> {
    pub data: Option<T>,
    pub pending: Option<RequestId>,
    pub error: Option<ServiceError>,
}

impl<T> Default for Remote<T> {
    fn default() -> Self {
        Remote {
            data: None,
            pending: None,
            error: None,
        }
    }
}

impl<T> Remote<T> {
    pub fn start(&mut self, id: RequestId) {
        self.pending = Some(id);
    }

    /// Takes a reply if it answers the newest request; returns whether it did.
    pub fn accept(&mut self, id: RequestId, result: Result<T, ServiceError>) -> bool {
        if self.pending != Some(id) {
            return false;
        }
        self.pending = None;
        match result {
            Ok(data) => {
                self.data = Some(data);
                self.error = None;
            }
            Err(e) => self.error = Some(e),
        }
        true
    }

    /// Like [`Remote::accept`], and a failure it takes also goes to `status` (the status
    /// bar's last error).
    pub fn accept_reporting(
        &mut self,
        id: RequestId,
        result: Result<T, ServiceError>,
        status: &mut Option<ServiceError>,
    ) -> bool {
        let failure = result.as_ref().err().cloned();
        let accepted = self.accept(id, result);
        if accepted && let Some(e) = failure {
            *status = Some(e);
        }
        accepted
    }

    pub fn is_loading(&self) -> bool {
        self.pending.is_some()
    }
}
