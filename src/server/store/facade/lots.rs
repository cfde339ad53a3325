//! Lots, on either store (`rules::lots`): what may be spent now, the expiry sweep, dated
//! accruals and the outlook the client card shows.

use super::Store;
use crate::domain::lots::Outlook;
use crate::domain::{Amount, Balances, ClientId, Currency};
use crate::server::store::rules::lots;
use crate::server::store::{Made, StoreError};
use jiff::Timestamp;

impl Store {
    /// What `id` may spend at `now`: its active lots not yet expired. Pending points and
    /// expired ones the sweep has not yet written out are not in it; open holds are.
    pub async fn balances_at(&self, id: ClientId, now: Timestamp) -> Result<Balances, StoreError> {
        let now_ms = now.as_millisecond();
        match self {
            Store::Sqlite(s) => s.balances_at(id, now_ms).await,
            Store::Postgres(p) => p.balances_at(id, now_ms).await,
        }
    }

    /// Writes every lot expired by `now` out of its balance, each by a ledger row of kind
    /// `expiry`; returns how many lots expired.
    pub async fn expire_lots(&self, now: Timestamp) -> Result<usize, StoreError> {
        let now_ms = now.as_millisecond();
        match self {
            Store::Sqlite(s) => s.expire_lots(now_ms).await,
            Store::Postgres(p) => p.expire_lots(now_ms).await,
        }
    }

    /// An accrual: a ledger row of kind `accrual` and its lot, spendable from `active_from`
    /// and expiring at `expires` (`None`: never). Returns the ledger row's id.
    pub async fn accrue(
        &self,
        id: ClientId,
        currency: Currency,
        amount: Amount,
        active_from: Timestamp,
        expires: Option<Timestamp>,
        made: Made,
    ) -> Result<i64, StoreError> {
        let (from, until) = (
            active_from.as_millisecond(),
            expires.map(|t| t.as_millisecond()),
        );
        match self {
            Store::Sqlite(s) => s.accrue(id, currency, amount, from, until, made).await,
            Store::Postgres(p) => p.accrue(id, currency, amount, from, until, &made).await,
        }
    }

    /// The nearest expiry per currency with what expires that day, and what is pending with
    /// its nearest activation, as of `now`.
    pub async fn outlook(&self, id: ClientId, now: Timestamp) -> Result<Outlook, StoreError> {
        let rows = match self {
            Store::Sqlite(s) => s.lots(id).await?,
            Store::Postgres(p) => p.lots(id).await?,
        };
        Ok(lots::outlook(&rows, now.as_millisecond()))
    }
}
