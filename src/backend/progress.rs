//! Telling whoever waits that a read is being tried again. The runtime scopes a reporter
//! around each request; the adapters' retry loops call [`attempt`] without knowing who
//! listens, so no service trait needs a progress parameter.

use std::future::Future;

type Report = Box<dyn Fn(u32, u32) + Send + Sync>;

tokio::task_local! {
    static REPORT: Report;
}

/// Runs `work` with `report(attempt, of)` called for every retry inside it.
pub async fn reporting<F: Future>(
    report: impl Fn(u32, u32) + Send + Sync + 'static,
    work: F,
) -> F::Output {
    REPORT.scope(Box::new(report), work).await
}

/// Attempt `attempt` of `of` is about to be sent; nothing happens outside [`reporting`].
pub fn attempt(attempt: u32, of: u32) {
    let _ = REPORT.try_with(|report| report(attempt, of));
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[tokio::test]
    async fn retries_reach_the_reporter_of_their_own_task_only() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        reporting(move |a, of| log.lock().unwrap().push((a, of)), async {
            attempt(2, 3);
            attempt(3, 3);
        })
        .await;
        attempt(9, 9);
        assert_eq!(*seen.lock().unwrap(), [(2, 3), (3, 3)]);
    }
}
