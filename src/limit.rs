//! A token bucket: `burst` requests at once, then `rate` per second. Pure arithmetic over
//! instants handed in, so the console's adapter (which waits) and the server (which refuses)
//! share it, and tests can drive it with any clock.

use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct Bucket {
    rate: f64,
    burst: f64,
    tokens: f64,
    last: Instant,
}

impl Bucket {
    pub fn new(rate_per_second: f64, burst: u32, now: Instant) -> Self {
        Bucket {
            rate: rate_per_second.max(f64::MIN_POSITIVE),
            burst: f64::from(burst.max(1)),
            tokens: f64::from(burst.max(1)),
            last: now,
        }
    }

    /// Whether the bucket has refilled to its burst: a caller idle this long is no different
    /// from a new one, so a bounded map may forget it.
    pub fn is_full(&mut self, now: Instant) -> bool {
        self.refill(now);
        self.tokens >= self.burst
    }

    /// Takes one token even when there is none, going into debt, so that callers queue:
    /// returns how long until the token taken would have been there. A debt deeper than
    /// `max_wait` is not taken on (the caller waits `max_wait`), so a flood is forgotten
    /// within `max_wait` of its end.
    pub fn reserve(&mut self, now: Instant, max_wait: Duration) -> Duration {
        self.refill(now);
        let wait = (1.0 - self.tokens).max(0.0) / self.rate;
        if wait > max_wait.as_secs_f64() {
            return max_wait;
        }
        self.tokens -= 1.0;
        Duration::from_secs_f64(wait)
    }

    fn refill(&mut self, now: Instant) {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.rate).min(self.burst);
        self.last = now;
    }

    /// Takes one token, or says how long until one is there.
    pub fn take(&mut self, now: Instant) -> Result<(), Duration> {
        self.refill(now);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - self.tokens) / self.rate))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_then_the_rate() {
        let t0 = Instant::now();
        let mut b = Bucket::new(2.0, 50, t0);
        for _ in 0..50 {
            assert!(b.take(t0).is_ok());
        }
        let wait = b.take(t0).unwrap_err();
        assert_eq!(wait, Duration::from_millis(500));
        assert!(b.take(t0 + Duration::from_millis(499)).is_err());
        assert!(b.take(t0 + Duration::from_millis(1000)).is_ok());
        // Idle time refills up to the burst, never beyond.
        let later = t0 + Duration::from_secs(3600);
        for _ in 0..50 {
            assert!(b.take(later).is_ok());
        }
        assert!(b.take(later).is_err());
    }

    #[test]
    fn reservations_queue_up_to_the_longest_wait_then_stop_deepening() {
        let t0 = Instant::now();
        let max = Duration::from_secs(3);
        let mut b = Bucket::new(1.0, 2, t0);
        let waits: Vec<u64> = (0..7).map(|_| b.reserve(t0, max).as_secs()).collect();
        assert_eq!(waits, [0, 0, 1, 2, 3, 3, 3]);
        // The debt was not deepened past three seconds: four seconds on, the burst is back
        // up to one token and a new caller is not held.
        assert_eq!(b.reserve(t0 + Duration::from_secs(4), max), Duration::ZERO);
        assert!(!b.is_full(t0 + Duration::from_secs(4)));
        assert!(b.is_full(t0 + Duration::from_secs(6)));
    }
}
