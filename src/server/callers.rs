//! What the server keeps in memory per caller (a REGOS key's rate, a peer's failed
//! credentials), bounded: whoever calls, and with however many keys or addresses, the map
//! never holds more than its bound.

use crate::limit::Bucket;
use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::time::{Duration, Instant};

/// Token buckets per caller, at most `max` of them. A caller whose bucket has refilled is
/// no different from a new one and is forgotten when room is needed; when every caller is
/// active (a flood of new keys or addresses), the newcomers share one overflow bucket, so
/// they are still limited, together, and the known callers keep their own.
pub struct Callers<K> {
    buckets: HashMap<K, Bucket>,
    overflow: Bucket,
    max: usize,
    rate: f64,
    burst: u32,
    /// When idle callers were last looked for: at most once a second, so a flood does not
    /// make every request walk the whole map.
    pruned: Option<Instant>,
}

impl<K: Hash + Eq> Callers<K> {
    pub fn new(max: usize, rate: f64, burst: u32, now: Instant) -> Self {
        Callers {
            buckets: HashMap::new(),
            overflow: Bucket::new(rate, burst, now),
            max,
            rate,
            burst,
            pruned: None,
        }
    }

    /// `key`'s bucket, made full for a new caller; the overflow bucket when the map is full
    /// of active callers.
    pub fn bucket(&mut self, key: K, now: Instant) -> &mut Bucket {
        if !self.buckets.contains_key(&key) && self.buckets.len() >= self.max {
            let due = self
                .pruned
                .is_none_or(|at| now.saturating_duration_since(at) >= Duration::from_secs(1));
            if due {
                self.buckets.retain(|_, b| !b.is_full(now));
                self.pruned = Some(now);
            }
            if self.buckets.len() >= self.max {
                return &mut self.overflow;
            }
        }
        let (rate, burst) = (self.rate, self.burst);
        self.buckets
            .entry(key)
            .or_insert_with(|| Bucket::new(rate, burst, now))
    }

    /// How many callers have a bucket of their own.
    pub fn len(&self) -> usize {
        self.buckets.len()
    }
}

/// The part of an address one party controls: an IPv4 address, or an IPv6 /64 (one
/// customer's network, whose 2^64 addresses would otherwise each be a new peer).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Peer {
    V4([u8; 4]),
    V6([u8; 8]),
}

impl From<IpAddr> for Peer {
    fn from(ip: IpAddr) -> Self {
        match ip {
            IpAddr::V4(v4) => Peer::V4(v4.octets()),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => Peer::V4(v4.octets()),
                None => {
                    let mut prefix = [0u8; 8];
                    prefix.copy_from_slice(&v6.octets()[..8]);
                    Peer::V6(prefix)
                }
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_map_stays_within_its_bound_and_newcomers_share_the_overflow() {
        let t0 = Instant::now();
        let mut callers = Callers::new(100, 1.0, 2, t0);
        for n in 0..12_000u32 {
            assert!(callers.bucket(n, t0).take(t0).is_ok() || n >= 100);
            assert!(callers.len() <= 100);
        }
        assert_eq!(callers.len(), 100);
        // The overflow is one bucket: its burst of two went to the first two newcomers.
        assert!(callers.bucket(20_000, t0).take(t0).is_err());
        // A known caller keeps its own bucket: one token left of its two.
        assert!(callers.bucket(7, t0).take(t0).is_ok());
        // Once the callers have refilled (idle), newcomers get buckets of their own again.
        let later = t0 + Duration::from_secs(5);
        assert!(callers.bucket(20_001, later).take(later).is_ok());
        assert_eq!(callers.len(), 1);
    }

    #[test]
    fn an_ipv6_network_is_one_peer() {
        let a: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
        let c: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(Peer::from(a), Peer::from(b));
        assert_ne!(Peer::from(a), Peer::from(c));
        let mapped: IpAddr = "::ffff:10.0.0.7".parse().unwrap();
        assert_eq!(
            Peer::from(mapped),
            Peer::from("10.0.0.7".parse::<IpAddr>().unwrap())
        );
    }
}
