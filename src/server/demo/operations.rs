//! A few recent write-offs as operations with receipts, so that a reversal can be tried by
//! hand on a demo server (`serve --demo N`). Made through the store like any till's, after
//! the clients are seeded, on the last clients of the set: the first ones (the seed's sample
//! among them) keep the balances the documents and the tests expect.

use super::SAMPLE_CLIENT_ID;
use crate::domain::{Amount, ClientId, OperationId, Receipt, WriteOff};
use crate::server::store::{Made, Store, StoreError};
use jiff::{SignedDuration, Timestamp};

/// The most one demo write-off takes: 500 points, in hundredths.
const MOST_MINOR: i64 = 50_000;

/// How many demo write-offs are made, at most.
pub const DEMO_WRITE_OFFS: u64 = 3;

/// Write-offs of the last clients of `count` demo clients, each a quarter of its receipt and
/// at most 500 points, a quarter of an hour apart before `anchor`; their operations.
pub async fn write_offs(
    store: &Store,
    count: u64,
    anchor: Timestamp,
) -> Result<Vec<OperationId>, StoreError> {
    let mut made = Vec::new();
    // The sample and the clients right after it stay as seeded.
    let first = count.saturating_sub(DEMO_WRITE_OFFS).max(1);
    for (n, index) in (first..count).enumerate() {
        let client = ClientId(SAMPLE_CLIENT_ID + index as i64);
        let points = store.balances(client).await?.points.minor();
        // Whole roubles, at most a tenth of the balance.
        let amount = (points / 10 / 100 * 100).min(MOST_MINOR);
        if amount <= 0 {
            continue;
        }
        let at = anchor - SignedDuration::from_mins(15 * (DEMO_WRITE_OFFS as i64 - n as i64));
        let request = WriteOff {
            points: Some(Amount::from_minor(amount)),
            receipt: Some(Receipt {
                number: format!("DEMO-{:04}", n + 1),
                total: Amount::from_minor(amount * 4),
            }),
            ..WriteOff::default()
        };
        let by = Made {
            at,
            by: Some("kassa@demo".into()),
            principal: Some("demo".into()),
            ..Made::default()
        };
        made.push(store.write_off(client, request, by).await?.operation);
    }
    Ok(made)
}
