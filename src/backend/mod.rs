//! The service layer the runtime calls: one trait per capability, one adapter per vendor.

pub mod ext;
pub mod http;

use crate::domain::{
    Balances, Client, ClientId, ClientQuery, Coupon, HistoryEntry, HistoryQuery, ServiceError,
    WriteOff,
};
use std::future::Future;
use std::pin::Pin;

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;
pub type ServiceResult<T> = Result<T, ServiceError>;

/// The cashier's capability: find clients, read what they can spend, write it off.
pub trait ClientService: Send + Sync {
    fn search(&self, query: ClientQuery) -> BoxFuture<'_, ServiceResult<Vec<Client>>>;
    fn balance(&self, id: ClientId) -> BoxFuture<'_, ServiceResult<Balances>>;
    fn coupons(&self, id: ClientId) -> BoxFuture<'_, ServiceResult<Vec<Coupon>>>;
    fn history(
        &self,
        id: ClientId,
        query: HistoryQuery,
    ) -> BoxFuture<'_, ServiceResult<Vec<HistoryEntry>>>;
    fn write_off(&self, id: ClientId, request: WriteOff) -> BoxFuture<'_, ServiceResult<()>>;
}
