//! Adapter for the `/ext/api/v1/` loyalty API (seed 001).

use super::http::{self, excerpt, status_kind};
use super::{BoxFuture, ClientService, ServiceResult};
use crate::config::Secret;
use crate::domain::{
    Balances, Client, ClientId, ClientQuery, Coupon, ErrorKind, HistoryEntry, HistoryQuery,
    ServiceError, WriteOff,
};
use crate::wire::ext::{
    self as wire, AmountDto, ClientDto, CouponDto, ErrorDto, HistoryDto, WriteOffDto,
};
use reqwest::{Method, RequestBuilder, Url};
use serde::de::DeserializeOwned;

pub struct ExtAdapter {
    http: reqwest::Client,
    base: Url,
    token: Option<Secret>,
}

impl ExtAdapter {
    /// `base_url` is the installation's root; the adapter appends `/ext/api/v1/...`.
    pub fn new(base_url: &str, token: Option<Secret>) -> Result<Self, ServiceError> {
        Ok(ExtAdapter {
            http: http::client()?,
            base: http::base_url(base_url)?,
            token,
        })
    }

    fn request(&self, method: Method, path: &str) -> RequestBuilder {
        // Paths are ours, never user text, so joining cannot fail in practice; an invalid
        // join still goes out as the base and is answered with a clear 404.
        let url = self
            .base
            .join(&format!("{}{path}", &wire::PREFIX[1..]))
            .unwrap_or_else(|_| self.base.clone());
        let builder = self.http.request(method, url);
        match &self.token {
            Some(token) => builder.bearer_auth(token.expose()),
            None => builder,
        }
    }

    async fn call<T: DeserializeOwned>(
        &self,
        what: &str,
        builder: RequestBuilder,
    ) -> ServiceResult<T> {
        let body = self.send(what, builder).await?;
        serde_json::from_slice(&body).map_err(|e| {
            tracing::warn!("{what}: undecodable answer: {e}");
            ServiceError::new(
                ErrorKind::BadResponse,
                format!("unexpected answer: {e} ({})", excerpt(&body)),
            )
        })
    }

    async fn send(&self, what: &str, builder: RequestBuilder) -> ServiceResult<Vec<u8>> {
        tracing::debug!("{what}");
        let (status, body) = http::exchange(builder).await?;
        if status.is_success() {
            return Ok(body);
        }
        let detail = match serde_json::from_slice::<ErrorDto>(&body) {
            Ok(e) => e.error.message,
            Err(_) if body.is_empty() => status.to_string(),
            Err(_) => format!("{status}: {}", excerpt(&body)),
        };
        tracing::warn!(%status, "{what} refused: {detail}");
        Err(ServiceError::new(status_kind(status), detail))
    }
}

fn bad(e: wire::WireError) -> ServiceError {
    ServiceError::new(ErrorKind::BadResponse, e.to_string())
}

impl ClientService for ExtAdapter {
    fn search(&self, query: ClientQuery) -> BoxFuture<'_, ServiceResult<Vec<Client>>> {
        Box::pin(async move {
            let mut params = Vec::new();
            if let Some(p) = &query.phone {
                params.push(("phone", p.as_str()));
            }
            if let Some(e) = &query.email {
                params.push(("email", e.as_str()));
            }
            let builder = self.request(Method::GET, "/clients/").query(&params);
            let list: Vec<ClientDto> = self.call("search clients", builder).await?;
            Ok(list.into_iter().map(Client::from).collect())
        })
    }

    fn balance(&self, id: ClientId) -> BoxFuture<'_, ServiceResult<Balances>> {
        Box::pin(async move {
            let builder = self.request(Method::GET, &format!("/clients/{}/balance/", id.0));
            let list: Vec<AmountDto> = self.call("balance", builder).await?;
            let (balances, skipped) = wire::balances_from_wire(&list).map_err(bad)?;
            if !skipped.is_empty() {
                tracing::info!(?skipped, "balance currencies the console does not spend");
            }
            Ok(balances)
        })
    }

    fn coupons(&self, id: ClientId) -> BoxFuture<'_, ServiceResult<Vec<Coupon>>> {
        Box::pin(async move {
            let builder = self.request(Method::GET, &format!("/clients/{}/coupons/", id.0));
            let list: Vec<CouponDto> = self.call("coupons", builder).await?;
            list.into_iter()
                .map(Coupon::try_from)
                .collect::<Result<_, _>>()
                .map_err(bad)
        })
    }

    fn history(
        &self,
        id: ClientId,
        query: HistoryQuery,
    ) -> BoxFuture<'_, ServiceResult<Vec<HistoryEntry>>> {
        Box::pin(async move {
            let mut params = vec![
                ("offset", query.offset.to_string()),
                ("limit", query.limit.to_string()),
            ];
            if let Some(from) = query.from {
                params.push(("from", from.as_millisecond().to_string()));
            }
            if let Some(to) = query.to {
                params.push(("to", to.as_millisecond().to_string()));
            }
            let builder = self
                .request(Method::GET, &format!("/clients/{}/balance/history/", id.0))
                .query(&params);
            let list: Vec<HistoryDto> = self.call("history", builder).await?;
            list.into_iter()
                .map(HistoryEntry::try_from)
                .collect::<Result<_, _>>()
                .map_err(bad)
        })
    }

    fn write_off(&self, id: ClientId, request: WriteOff) -> BoxFuture<'_, ServiceResult<()>> {
        Box::pin(async move {
            let body = WriteOffDto::from(&request);
            let builder = self
                .request(
                    Method::POST,
                    &format!("/clients/{}/balance/write_off/", id.0),
                )
                .json(&body);
            // Success is a bare 200; whatever body comes with it is not needed.
            self.send("write-off", builder).await.map(|_| ())
        })
    }
}
