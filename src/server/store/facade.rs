//! [`Store`]: every operation the server's routes, `serve --check`, `serve user` and demo
//! seeding need, each answered by the SQLite or the PostgreSQL implementation with the same
//! meaning and the same refusals.

use super::{
    DbTarget, Idempotency, Keyed, Made, Postgres, Report, Sqlite, StoreError, reads, search,
    write_off,
};
use crate::domain::admin::{CardOperation, Group, GroupDraft, Registration, RetailCard};
use crate::domain::{
    Amount, Balances, Client, ClientId, Coupon, CouponId, Currency, HistoryEntry, HistoryQuery,
    WriteOff,
};
use crate::server::admin_store::{self, AccumulationRow, OperationFilter, PromotionRow};
use crate::server::holds::{self, Hold};
use crate::server::principals::{self, Listed, Principal, Role};
use jiff::Timestamp;

/// The server's database, whichever it is. Cloning shares it.
#[derive(Clone)]
pub enum Store {
    Sqlite(Sqlite),
    Postgres(Postgres),
}

/// What a stored idempotent answer is made of, from a write-off's outcome.
pub type Answer = fn(&Result<Vec<i64>, StoreError>) -> (u16, String);

impl Store {
    /// Opens the database `target` names, bringing its schema up to date; one written by a
    /// newer `loyalty` is refused.
    pub async fn open(target: &DbTarget) -> Result<Store, StoreError> {
        match target {
            DbTarget::Sqlite(path) => Sqlite::open(path).map(Store::Sqlite),
            DbTarget::Postgres(config) => Postgres::connect((**config).clone())
                .await
                .map(Store::Postgres),
        }
    }

    /// A SQLite file (the embedded default and tests).
    pub fn open_sqlite(path: &std::path::Path) -> Result<Store, StoreError> {
        Sqlite::open(path).map(Store::Sqlite)
    }

    /// The SQLite implementation, for what only it has (raw SQL in tests and benches).
    pub fn sqlite(&self) -> Option<&Sqlite> {
        match self {
            Store::Sqlite(s) => Some(s),
            Store::Postgres(_) => None,
        }
    }

    /// Which kind of database this is, for logs.
    pub fn kind(&self) -> &'static str {
        match self {
            Store::Sqlite(_) => "SQLite",
            Store::Postgres(_) => "PostgreSQL",
        }
    }

    /// Answers once the database does.
    pub async fn ping(&self) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(s) => {
                s.run(|c| Ok(c.query_row("SELECT 1", [], |r| r.get::<_, i64>(0))?))
                    .await?;
                Ok(())
            }
            Store::Postgres(p) => p.ping().await,
        }
    }

    pub async fn search_clients(
        &self,
        phone: Option<String>,
        email: Option<String>,
    ) -> Result<Vec<Client>, StoreError> {
        match self {
            Store::Sqlite(s) => {
                s.run(move |c| search::search_clients(c, phone.as_deref(), email.as_deref()))
                    .await
            }
            Store::Postgres(p) => p.search_clients(phone.as_deref(), email.as_deref()).await,
        }
    }

    pub async fn balances(&self, id: ClientId) -> Result<Balances, StoreError> {
        match self {
            Store::Sqlite(s) => s.run(move |c| reads::balances(c, id)).await,
            Store::Postgres(p) => p.balances(id).await,
        }
    }

    pub async fn coupons(&self, id: ClientId) -> Result<Vec<Coupon>, StoreError> {
        match self {
            Store::Sqlite(s) => s.run(move |c| reads::coupons(c, id)).await,
            Store::Postgres(p) => p.coupons(id).await,
        }
    }

    pub async fn history(
        &self,
        id: ClientId,
        query: HistoryQuery,
    ) -> Result<Vec<HistoryEntry>, StoreError> {
        match self {
            Store::Sqlite(s) => s.run(move |c| reads::history(c, id, &query)).await,
            Store::Postgres(p) => p.history(id, &query).await,
        }
    }

    pub async fn client_count(&self) -> Result<i64, StoreError> {
        match self {
            Store::Sqlite(s) => s.run(|c| reads::client_count(c)).await,
            Store::Postgres(p) => p.client_count().await,
        }
    }

    /// A write-off, all or nothing; the ledger ids of its balance parts.
    pub async fn write_off(
        &self,
        id: ClientId,
        request: WriteOff,
        made: Made,
    ) -> Result<Vec<i64>, StoreError> {
        match self {
            Store::Sqlite(s) => {
                s.run_write(move |c| write_off::write_off(c, id, &request, &made))
                    .await
            }
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
            Store::Sqlite(s) => {
                s.run_write(move |c| {
                    write_off::write_off_once(c, id, &request, &made, &idem, answer)
                })
                .await
            }
            Store::Postgres(p) => p.write_off_once(id, &request, &made, &idem, answer).await,
        }
    }

    /// Reserves an amount and coupons for a fiscal transaction (see `holds`).
    #[allow(clippy::too_many_arguments)]
    pub async fn hold(
        &self,
        client: ClientId,
        currency: Currency,
        amount: Amount,
        coupons: Vec<CouponId>,
        made: Made,
        transaction_id: String,
    ) -> Result<Hold, StoreError> {
        match self {
            Store::Sqlite(s) => {
                s.run_write(move |c| {
                    holds::hold(c, client, currency, amount, &coupons, &made, transaction_id)
                })
                .await
            }
            Store::Postgres(p) => {
                p.hold(client, currency, amount, &coupons, &made, transaction_id)
                    .await
            }
        }
    }

    pub async fn hold_write_off(
        &self,
        transaction_id: String,
        fiscal_order_id: Option<String>,
        made: Made,
    ) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(s) => {
                s.run_write(move |c| {
                    holds::write_off(c, &transaction_id, fiscal_order_id.as_deref(), &made)
                })
                .await
            }
            Store::Postgres(p) => {
                p.hold_write_off(&transaction_id, fiscal_order_id.as_deref(), &made)
                    .await
            }
        }
    }

    pub async fn hold_cancel(&self, transaction_id: String) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(s) => {
                s.run_write(move |c| holds::cancel(c, &transaction_id))
                    .await
            }
            Store::Postgres(p) => p.hold_cancel(&transaction_id).await,
        }
    }

    pub async fn hold_refund(&self, transaction_id: String, made: Made) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(s) => {
                s.run_write(move |c| holds::refund(c, &transaction_id, &made))
                    .await
            }
            Store::Postgres(p) => p.hold_refund(&transaction_id, &made).await,
        }
    }

    pub async fn groups(&self) -> Result<Vec<Group>, StoreError> {
        match self {
            Store::Sqlite(s) => s.run(|c| admin_store::groups(c)).await,
            Store::Postgres(p) => p.groups().await,
        }
    }

    pub async fn group(&self, id: i64) -> Result<Option<Group>, StoreError> {
        match self {
            Store::Sqlite(s) => s.run(move |c| admin_store::group(c, id)).await,
            Store::Postgres(p) => p.group(id).await,
        }
    }

    pub async fn create_group(&self, draft: GroupDraft) -> Result<i64, StoreError> {
        match self {
            Store::Sqlite(s) => {
                s.run_write(move |c| admin_store::create_group(c, &draft))
                    .await
            }
            Store::Postgres(p) => p.create_group(&draft).await,
        }
    }

    /// Returns whether the group existed.
    pub async fn update_group(&self, id: i64, draft: GroupDraft) -> Result<bool, StoreError> {
        match self {
            Store::Sqlite(s) => {
                s.run_write(move |c| admin_store::update_group(c, id, &draft))
                    .await
            }
            Store::Postgres(p) => p.update_group(id, &draft).await,
        }
    }

    /// Returns whether the group existed.
    pub async fn remove_group(&self, id: i64) -> Result<bool, StoreError> {
        match self {
            Store::Sqlite(s) => s.run_write(move |c| admin_store::remove_group(c, id)).await,
            Store::Postgres(p) => p.remove_group(id).await,
        }
    }

    pub async fn promotions(&self) -> Result<Vec<PromotionRow>, StoreError> {
        match self {
            Store::Sqlite(s) => s.run(|c| admin_store::promotions(c)).await,
            Store::Postgres(p) => p.promotions().await,
        }
    }

    pub async fn accumulations(
        &self,
        client: Option<i64>,
        offset: u32,
        limit: u32,
    ) -> Result<Vec<AccumulationRow>, StoreError> {
        match self {
            Store::Sqlite(s) => {
                s.run(move |c| admin_store::accumulations(c, client, offset, limit))
                    .await
            }
            Store::Postgres(p) => p.accumulations(client, offset, limit).await,
        }
    }

    pub async fn registrations(
        &self,
        from: Timestamp,
        to: Timestamp,
        pos: Option<i64>,
        limit: u32,
    ) -> Result<Vec<Registration>, StoreError> {
        match self {
            Store::Sqlite(s) => {
                s.run(move |c| admin_store::registrations(c, from, to, pos, limit))
                    .await
            }
            Store::Postgres(p) => p.registrations(from, to, pos, limit).await,
        }
    }

    /// A page of card operations and how many match in all.
    pub async fn card_operations(
        &self,
        filter: OperationFilter,
    ) -> Result<(Vec<CardOperation>, u64), StoreError> {
        match self {
            Store::Sqlite(s) => {
                s.run(move |c| admin_store::card_operations(c, &filter))
                    .await
            }
            Store::Postgres(p) => p.card_operations(&filter).await,
        }
    }

    pub async fn find_cards(
        &self,
        text: String,
        limit: u32,
    ) -> Result<Vec<RetailCard>, StoreError> {
        match self {
            Store::Sqlite(s) => {
                s.run(move |c| admin_store::find_cards(c, &text, limit))
                    .await
            }
            Store::Postgres(p) => p.find_cards(&text, limit).await,
        }
    }

    /// Adds a user; returns its new API key (only its digest is stored).
    pub async fn add_user(
        &self,
        name: String,
        role: Role,
        now_ms: i64,
    ) -> Result<String, StoreError> {
        match self {
            Store::Sqlite(s) => {
                s.run_write(move |c| principals::add(c, &name, role, now_ms))
                    .await
            }
            Store::Postgres(p) => p.add_user(&name, role, now_ms).await,
        }
    }

    pub async fn users(&self) -> Result<Vec<Listed>, StoreError> {
        match self {
            Store::Sqlite(s) => s.run(|c| principals::list(c)).await,
            Store::Postgres(p) => p.users().await,
        }
    }

    /// Returns whether a live key was revoked.
    pub async fn revoke_user(&self, name: String, now_ms: i64) -> Result<bool, StoreError> {
        match self {
            Store::Sqlite(s) => {
                s.run_write(move |c| principals::revoke(c, &name, now_ms))
                    .await
            }
            Store::Postgres(p) => p.revoke_user(&name, now_ms).await,
        }
    }

    /// The live user whose key this is; with `open` and no user ever added, anyone, as an
    /// admin (a credential that is not set is not checked).
    pub async fn user_or_open(
        &self,
        key: String,
        open: bool,
    ) -> Result<Option<Principal>, StoreError> {
        let found = match self {
            Store::Sqlite(s) => {
                let key = key.clone();
                s.run(move |c| match key.is_empty() {
                    true => Ok((None, principals::any(c)?)),
                    false => Ok((principals::find(c, &key)?, principals::any(c)?)),
                })
                .await?
            }
            Store::Postgres(p) => p.find_user(&key).await?,
        };
        Ok(match found {
            (Some(p), _) => Some(p),
            (None, any) => (open && !any).then(|| Principal {
                name: "anyone".into(),
                role: Role::Admin,
            }),
        })
    }

    /// A secret every instance over this database shares, made on first use.
    pub async fn shared_secret(&self, name: &'static str) -> Result<Vec<u8>, StoreError> {
        match self {
            Store::Sqlite(s) => {
                s.run_write(move |c| principals::shared_secret(c, name))
                    .await
            }
            Store::Postgres(p) => p.shared_secret(name).await,
        }
    }

    /// `serve --check`: the database's own integrity, then every balance against its ledger.
    pub async fn check(&self) -> Result<Report, StoreError> {
        match self {
            Store::Sqlite(s) => s.run(|c| super::check(c)).await,
            Store::Postgres(p) => p.check().await,
        }
    }

    /// Seeds `count` demo clients into an empty database; returns how many.
    pub async fn seed_demo(&self, count: u64, anchor: Timestamp) -> Result<u64, StoreError> {
        match self {
            Store::Sqlite(s) => {
                s.run_write(move |c| crate::server::demo::seed(c, count, anchor))
                    .await
            }
            Store::Postgres(p) => p.seed_demo(count, anchor).await,
        }
    }
}
