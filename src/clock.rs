//! Wall-clock time, injectable. The server checks coupon expiry and JWT lifetimes against
//! it and the Mloyalty adapter decides when to renew its token by it, so a test can pin
//! "now" to the day its data was made for, and move it on to when a token has really
//! expired, instead of depending on the machine's calendar.

use jiff::{SignedDuration, Timestamp};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

#[derive(Clone, Debug, Default)]
pub struct Clock {
    /// `None`: the system clock. `Some`: milliseconds since the epoch, moved only by hand.
    pinned: Option<Arc<AtomicI64>>,
}

impl Clock {
    /// The machine's clock.
    pub fn system() -> Self {
        Clock { pinned: None }
    }

    /// A clock that stands at `at` until [`Clock::advance`] moves it; its clones share it.
    pub fn pinned(at: Timestamp) -> Self {
        Clock {
            pinned: Some(Arc::new(AtomicI64::new(at.as_millisecond()))),
        }
    }

    pub fn now(&self) -> Timestamp {
        match &self.pinned {
            None => Timestamp::now(),
            Some(ms) => Timestamp::from_millisecond(ms.load(Ordering::SeqCst))
                .unwrap_or(Timestamp::UNIX_EPOCH),
        }
    }

    /// Moves a pinned clock (and every clone of it) by `by`. The system clock cannot be moved:
    /// returns false and changes nothing.
    pub fn advance(&self, by: SignedDuration) -> bool {
        match &self.pinned {
            None => false,
            Some(ms) => {
                ms.fetch_add(by.as_millis() as i64, Ordering::SeqCst);
                true
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pinned_clock_stands_still_until_advanced_and_clones_share_it() {
        let at = Timestamp::from_second(1_800_000_000).unwrap();
        let clock = Clock::pinned(at);
        let other = clock.clone();
        assert_eq!(clock.now(), at);
        assert!(other.advance(SignedDuration::from_hours(2)));
        assert_eq!(clock.now(), at + SignedDuration::from_hours(2));
    }

    #[test]
    fn the_system_clock_moves_by_itself_and_not_by_hand() {
        let clock = Clock::system();
        let before = Timestamp::now();
        assert!(!clock.advance(SignedDuration::from_hours(1)));
        let now = clock.now();
        assert!(now >= before && now < before + SignedDuration::from_mins(1));
    }
}
