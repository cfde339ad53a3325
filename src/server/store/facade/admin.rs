//! The back office, on either store: Poster's groups, promotions and accumulations,
//! Mloyalty's registrations, REGOS's cards and operations.

use super::Store;
use crate::domain::admin::{CardOperation, Group, GroupDraft, Registration, RetailCard};
use crate::server::store::{
    AccumulationRow, CardFilter, CardPage, Made, OperationFilter, PromotionRow, StoreError,
};
use jiff::Timestamp;

impl Store {
    pub async fn groups(&self) -> Result<Vec<Group>, StoreError> {
        match self {
            Store::Sqlite(s) => s.groups().await,
            Store::Postgres(p) => p.groups().await,
        }
    }

    pub async fn group(&self, id: i64) -> Result<Option<Group>, StoreError> {
        match self {
            Store::Sqlite(s) => s.group(id).await,
            Store::Postgres(p) => p.group(id).await,
        }
    }

    /// Makes a group; the group records who (`made`'s principal) and when.
    pub async fn create_group(&self, draft: GroupDraft, made: Made) -> Result<i64, StoreError> {
        match self {
            Store::Sqlite(s) => s.create_group(draft, made).await,
            Store::Postgres(p) => p.create_group(&draft, &made).await,
        }
    }

    /// Returns whether the group existed; it records who changed it last, and when.
    pub async fn update_group(
        &self,
        id: i64,
        draft: GroupDraft,
        made: Made,
    ) -> Result<bool, StoreError> {
        match self {
            Store::Sqlite(s) => s.update_group(id, draft, made).await,
            Store::Postgres(p) => p.update_group(id, &draft, &made).await,
        }
    }

    /// Returns whether the group existed; it records who removed it, and when.
    pub async fn remove_group(&self, id: i64, made: Made) -> Result<bool, StoreError> {
        match self {
            Store::Sqlite(s) => s.remove_group(id, made).await,
            Store::Postgres(p) => p.remove_group(id, &made).await,
        }
    }

    pub async fn promotions(&self) -> Result<Vec<PromotionRow>, StoreError> {
        match self {
            Store::Sqlite(s) => s.promotions().await,
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
            Store::Sqlite(s) => s.accumulations(client, offset, limit).await,
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
            Store::Sqlite(s) => s.registrations(from, to, pos, limit).await,
            Store::Postgres(p) => p.registrations(from, to, pos, limit).await,
        }
    }

    /// A page of card operations and how many match in all.
    pub async fn card_operations(
        &self,
        filter: OperationFilter,
    ) -> Result<(Vec<CardOperation>, u64), StoreError> {
        match self {
            Store::Sqlite(s) => s.card_operations(filter).await,
            Store::Postgres(p) => p.card_operations(&filter).await,
        }
    }

    /// A page of the cards `filter` matches and how many match in all.
    pub async fn cards(&self, filter: CardFilter) -> Result<CardPage, StoreError> {
        match self {
            Store::Sqlite(s) => s.cards(filter).await,
            Store::Postgres(p) => p.cards(&filter).await,
        }
    }

    /// The console's card search on the server's own data: the first `limit` cards the text
    /// finds (see `rules::back_office::CardFilter`).
    pub async fn find_cards(
        &self,
        text: String,
        limit: u32,
    ) -> Result<Vec<RetailCard>, StoreError> {
        let filter = CardFilter {
            search: Some(text),
            limit,
            ..CardFilter::default()
        };
        Ok(self
            .cards(filter)
            .await?
            .cards
            .into_iter()
            .map(|s| s.card)
            .collect())
    }
}
