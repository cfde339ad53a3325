//! What the status line tells over time: reads on their way (since when, which attempt, so
//! a slow one can be shown and cancelled) and the messages it showed.

use super::super::msg::{Kind, RequestId};
use super::Model;
use jiff::{SignedDuration, Timestamp};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InFlight {
    pub kind: Kind,
    pub started: Timestamp,
    /// The attempt being made and how many there may be, once a retry has begun.
    pub attempt: Option<(u32, u32)>,
}

/// One line the status bar showed, kept for the messages overlay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub at: Timestamp,
    pub said: Said,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Said {
    Notice(super::Notice),
    Error(crate::domain::ServiceError),
}

impl Model {
    /// Says `notice` on the status line and keeps it for the messages overlay.
    pub fn tell(&mut self, notice: super::Notice) {
        self.remember(Said::Notice(notice.clone()));
        self.notice = Some(notice);
    }

    /// Keeps what the status line says, the last [`MESSAGES_KEPT`] of it.
    pub fn remember(&mut self, said: Said) {
        if self.messages.len() == MESSAGES_KEPT {
            self.messages.pop_front();
        }
        self.messages.push_back(Message { at: self.now, said });
    }
}

/// How many messages the overlay keeps.
pub const MESSAGES_KEPT: usize = 50;

/// A read waited on this long is slow: the status line shows the wait and Esc cancels it.
pub const SLOW: SignedDuration = SignedDuration::from_secs(1);

impl Model {
    /// The slow reads, oldest first.
    pub fn slow_reads(&self) -> Vec<(RequestId, InFlight)> {
        let mut slow: Vec<_> = self
            .in_flight
            .iter()
            .filter(|(_, r)| r.kind == Kind::Read && self.now.duration_since(r.started) >= SLOW)
            .map(|(id, r)| (*id, *r))
            .collect();
        slow.sort_by_key(|(_, r)| r.started);
        slow
    }
}
