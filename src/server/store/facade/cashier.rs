//! What a till does, on either store: find a client, read, write off, hold.

use super::Store;
use crate::domain::{
    Amount, Balances, Client, ClientId, Coupon, CouponId, Currency, HistoryEntry, HistoryQuery,
    WriteOff,
};
use crate::server::store::rules::holds::{Hold, Reach};
use crate::server::store::{Answer, ClientPage, Idempotency, Keyed, Made, StoreError, Written};

impl Store {
    /// The first page of the clients a search finds.
    pub async fn search_clients(
        &self,
        phone: Option<String>,
        email: Option<String>,
    ) -> Result<Vec<Client>, StoreError> {
        self.search_clients_page(phone, email, ClientPage::default())
            .await
    }

    /// One page of the clients a search finds, or of all clients when it names neither
    /// contact, in id order.
    pub async fn search_clients_page(
        &self,
        phone: Option<String>,
        email: Option<String>,
        page: ClientPage,
    ) -> Result<Vec<Client>, StoreError> {
        match self {
            Store::Sqlite(s) => s.search_clients(phone, email, page).await,
            Store::Postgres(p) => {
                p.search_clients(phone.as_deref(), email.as_deref(), page)
                    .await
            }
        }
    }

    pub async fn balances(&self, id: ClientId) -> Result<Balances, StoreError> {
        match self {
            Store::Sqlite(s) => s.balances(id).await,
            Store::Postgres(p) => p.balances(id).await,
        }
    }

    pub async fn coupons(&self, id: ClientId) -> Result<Vec<Coupon>, StoreError> {
        match self {
            Store::Sqlite(s) => s.coupons(id).await,
            Store::Postgres(p) => p.coupons(id).await,
        }
    }

    pub async fn history(
        &self,
        id: ClientId,
        query: HistoryQuery,
    ) -> Result<Vec<HistoryEntry>, StoreError> {
        match self {
            Store::Sqlite(s) => s.history(id, query).await,
            Store::Postgres(p) => p.history(id, &query).await,
        }
    }

    /// Whether any client is stored, at the cost of one row whatever their number (the
    /// console asks it before its first frame).
    pub async fn holds_clients(&self) -> Result<bool, StoreError> {
        match self {
            Store::Sqlite(s) => s.holds_clients().await,
            Store::Postgres(p) => p.holds_clients().await,
        }
    }

    pub async fn client_count(&self) -> Result<i64, StoreError> {
        match self {
            Store::Sqlite(s) => s.client_count().await,
            Store::Postgres(p) => p.client_count().await,
        }
    }

    /// A write-off, all or nothing, under `made`'s limits: its operation and ledger rows.
    pub async fn write_off(
        &self,
        id: ClientId,
        request: WriteOff,
        made: Made,
    ) -> Result<Written, StoreError> {
        match self {
            Store::Sqlite(s) => s.write_off(id, request, made).await,
            Store::Postgres(p) => p.write_off(id, &request, &made).await,
        }
    }

    /// A write-off under an idempotency key shared by every instance over this database.
    pub async fn write_off_once(
        &self,
        id: ClientId,
        request: WriteOff,
        made: Made,
        idem: Idempotency,
        answer: Answer,
    ) -> Result<Keyed, StoreError> {
        match self {
            Store::Sqlite(s) => s.write_off_once(id, request, made, idem, answer).await,
            Store::Postgres(p) => p.write_off_once(id, &request, &made, &idem, answer).await,
        }
    }

    /// Reserves an amount and coupons for a fiscal transaction (see `rules::holds`), for
    /// the receipt `order_id` names if one does.
    #[allow(clippy::too_many_arguments)]
    pub async fn hold(
        &self,
        client: ClientId,
        currency: Currency,
        amount: Amount,
        coupons: Vec<CouponId>,
        made: Made,
        transaction_id: String,
        order_id: Option<String>,
    ) -> Result<Hold, StoreError> {
        match self {
            Store::Sqlite(s) => {
                s.hold(
                    client,
                    currency,
                    amount,
                    coupons,
                    made,
                    transaction_id,
                    order_id,
                )
                .await
            }
            Store::Postgres(p) => {
                p.hold(
                    client,
                    currency,
                    amount,
                    &coupons,
                    &made,
                    transaction_id,
                    order_id,
                )
                .await
            }
        }
    }

    /// Spends a hold `made`'s principal made, or any hold with [`Reach::Any`].
    pub async fn hold_write_off(
        &self,
        transaction_id: String,
        fiscal_order_id: Option<String>,
        made: Made,
        reach: Reach,
    ) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(s) => {
                s.hold_write_off(transaction_id, fiscal_order_id, made, reach)
                    .await
            }
            Store::Postgres(p) => {
                p.hold_write_off(&transaction_id, fiscal_order_id.as_deref(), &made, reach)
                    .await
            }
        }
    }

    /// Releases a hold, under the same rule of whose it is.
    pub async fn hold_cancel(
        &self,
        transaction_id: String,
        made: Made,
        reach: Reach,
    ) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(s) => s.hold_cancel(transaction_id, made, reach).await,
            Store::Postgres(p) => p.hold_cancel(&transaction_id, &made, reach).await,
        }
    }

    /// Refunds a written-off hold, under the same rule, recording who asked.
    pub async fn hold_refund(
        &self,
        transaction_id: String,
        made: Made,
        reach: Reach,
    ) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(s) => s.hold_refund(transaction_id, made, reach).await,
            Store::Postgres(p) => p.hold_refund(&transaction_id, &made, reach).await,
        }
    }

    /// Refunds the written-off holds whose ids `items` lists, all or none, under the same
    /// rule of whose they are.
    pub async fn hold_refund_items(
        &self,
        items: Vec<i64>,
        made: Made,
        reach: Reach,
    ) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(s) => s.hold_refund_items(items, made, reach).await,
            Store::Postgres(p) => p.hold_refund_items(&items, &made, reach).await,
        }
    }
}
