//! Exact lookups share a few connections instead of taking one each from the pool.
//!
//! tokio-postgres pipelines the queries that concurrent requests send over one connection:
//! they go out in one write and their answers come back in one read, so a backend answers a
//! queue of lookups without a wake-up and a round trip per lookup. A lookup that one index
//! bounds to a few rows takes microseconds, so none waits long behind another; searches
//! with other patterns keep a pooled connection each.

use super::super::StoreError;
use deadpool_postgres::{Object, Pool};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// Shared connections. 16 tills searching one instance on two cores (1,000,000 clients, by
/// hand with wrk): a pooled connection per search did 18,000–20,500/s (p99 1.7–1.9 ms); one
/// shared connection 30,000–31,000/s (p99 4–5 ms), two 26,000–27,500/s (p99 1.9–2.5 ms),
/// four 24,600/s. Two keep most of the gain without one queue's wait.
const SHARED: usize = 2;

/// A lookup's statement is planned once per shared connection, not at every call. Only
/// equalities are looked up here, whose one plan reads their index whatever the value:
/// whole values, and a till's search as an equality over the phone's last ten digits
/// (`cashier`'s `POSTGRES_LOOKUP`), since a range's plan made without its bounds guesses its
/// size. No pooled connection plans so: other statements' best plans depend on their values.
const GENERIC_PLANS: &str = "SET plan_cache_mode = force_generic_plan";

const POOLED_PLANS: &str = "RESET plan_cache_mode";

type Slot = Mutex<Option<Arc<Object>>>;

/// The shared connections, taken from the instance's pool on first use (so the instance
/// still holds at most the pool's size), and replaced once closed.
pub(super) struct Lookups {
    pool: Pool,
    slots: [Slot; SHARED],
    next: AtomicUsize,
}

impl Lookups {
    pub(super) fn new(pool: Pool) -> Lookups {
        Lookups {
            pool,
            slots: std::array::from_fn(|_| Mutex::new(None)),
            next: AtomicUsize::new(0),
        }
    }

    /// Runs `lookup` on a shared connection. A lookup only reads, so one lost with its
    /// connection (a restarted database, a killed backend) is run once more on a new one,
    /// and the till sees an answer; one that meets a lost connection again is reported as
    /// the database being unavailable: nothing was done.
    pub(super) async fn run<T, F, Fut>(&self, lookup: F) -> Result<T, StoreError>
    where
        F: Fn(Arc<Object>) -> Fut,
        Fut: Future<Output = Result<T, tokio_postgres::Error>>,
    {
        let shared = self.connection().await?;
        match lookup(shared.clone()).await {
            Err(e) if lost(&e, &shared) => {
                self.discard(&shared);
                let fresh = self.connection().await?;
                lookup(fresh.clone()).await.map_err(|e| {
                    if !lost(&e, &fresh) {
                        return e.into();
                    }
                    self.discard(&fresh);
                    StoreError::Unavailable(format!("the connection was lost: {e}"))
                })
            }
            done => Ok(done?),
        }
    }

    /// One of the shared connections, in turn; a new one from the pool, planning generically,
    /// where the slot has none open. A closed one goes back to the pool when its last lookup
    /// ends, and the pool discards it.
    async fn connection(&self) -> Result<Arc<Object>, StoreError> {
        let slot = &self.slots[self.next.fetch_add(1, Ordering::Relaxed) % SHARED];
        if let Some(open) = open_in(slot) {
            return Ok(open);
        }
        let fresh = Arc::new(self.generic().await?);
        // Another lookup may have filled the slot while this one waited for the pool.
        let filled = {
            let mut held = slot.lock().unwrap_or_else(|e| e.into_inner());
            match held.as_ref() {
                Some(open) if !open.is_closed() => Some(open.clone()),
                _ => {
                    *held = Some(fresh.clone());
                    None
                }
            }
        };
        let Some(open) = filled else {
            return Ok(fresh);
        };
        // The connection made meanwhile goes back to the pool planning as pooled ones do,
        // or, if it cannot be told to, leaves the pool.
        if let Ok(unused) = Arc::try_unwrap(fresh)
            && unused.batch_execute(POOLED_PLANS).await.is_err()
        {
            drop(Object::take(unused));
        }
        Ok(open)
    }

    /// A connection from the pool, told to plan generically. One the database dropped while
    /// it lay in the pool (a restart, a killed backend) leaves the pool and the next is
    /// taken, as a lookup lost with its connection is run once more.
    async fn generic(&self) -> Result<Object, StoreError> {
        let mut tries = 0;
        loop {
            let fresh = self.pool.get().await?;
            match fresh.batch_execute(GENERIC_PLANS).await {
                Ok(()) => return Ok(fresh),
                Err(e) if lost(&e, &fresh) => {
                    drop(Object::take(fresh));
                    tries += 1;
                    if tries > super::POOL_SIZE {
                        return Err(StoreError::Unavailable(format!(
                            "the connection was lost: {e}"
                        )));
                    }
                }
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// Takes `lost` out of its slot, so that the next lookup there opens a new connection
    /// even before this one has noticed that it is closed.
    fn discard(&self, lost: &Arc<Object>) {
        for slot in &self.slots {
            let mut held = slot.lock().unwrap_or_else(|e| e.into_inner());
            if held.as_ref().is_some_and(|c| Arc::ptr_eq(c, lost)) {
                *held = None;
            }
        }
    }
}

/// Whether `error` means the connection is gone rather than the lookup wrong: closed, or
/// ended by the database (class 57: an administrator's command, a crash, a shutdown), which
/// says so before it closes the socket.
fn lost(error: &tokio_postgres::Error, connection: &Object) -> bool {
    connection.is_closed()
        || error.is_closed()
        || error.code().is_some_and(|c| c.code().starts_with("57P"))
}

fn open_in(slot: &Slot) -> Option<Arc<Object>> {
    let held = slot.lock().unwrap_or_else(|e| e.into_inner());
    held.as_ref().filter(|c| !c.is_closed()).cloned()
}
