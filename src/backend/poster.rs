//! Adapter for Poster's `clients.*` (seeds 000 and 003). The token travels in the query
//! string, so no URL of this adapter ever reaches an error message or a log line.

use super::http::{self, excerpt, status_kind};
use super::{AccumulationService, BoxFuture, GroupService, ServiceResult};
use crate::config::Secret;
use crate::domain::admin::{
    Accumulation, AccumulationPage, AccumulationQuery, Group, GroupDraft, Promotion,
};
use crate::domain::{ErrorKind, ServiceError};
use crate::wire::poster::{self as wire, AccumulationDto, GroupDto, PosterError, PromotionDto};
use reqwest::{Method, RequestBuilder, Url};
use serde::de::DeserializeOwned;

pub struct PosterAdapter {
    http: reqwest::Client,
    base: Url,
    token: Secret,
}

fn from_poster(e: PosterError) -> ServiceError {
    match e {
        PosterError::Api { code, message } => {
            let kind = match code {
                wire::TOKEN_MISSING
                | wire::BAD_TOKEN
                | wire::TOKEN_EXPIRED
                | wire::NO_RIGHTS
                | wire::ACCESS_DENIED => ErrorKind::Unauthorized,
                _ => ErrorKind::Rejected,
            };
            ServiceError::new(kind, format!("Poster {code}: {message}"))
        }
        PosterError::Decode(detail) => ServiceError::new(ErrorKind::BadResponse, detail),
    }
}

impl PosterAdapter {
    /// The same adapter with requests that give up after `timeout`.
    pub fn with_timeout(mut self, timeout: std::time::Duration) -> Result<Self, ServiceError> {
        self.http = super::http::client_with(timeout)?;
        Ok(self)
    }

    /// `base_url`: the account's address, e.g. `https://shop.joinposter.com`.
    pub fn new(base_url: &str, token: Secret) -> Result<Self, ServiceError> {
        Ok(PosterAdapter {
            http: http::client()?,
            base: http::base_url(base_url)?,
            token,
        })
    }

    fn request(&self, method: Method, name: &str) -> RequestBuilder {
        let url = self
            .base
            .join(&format!("api/{name}"))
            .unwrap_or_else(|_| self.base.clone());
        self.http
            .request(method, url)
            .query(&[("format", "json"), ("token", self.token.expose())])
    }

    async fn call<T: DeserializeOwned>(
        &self,
        name: &str,
        builder: RequestBuilder,
    ) -> ServiceResult<T> {
        tracing::debug!("poster {name}");
        let (status, body) = http::exchange(builder).await?;
        match wire::decode(&body) {
            Ok(value) => Ok(value),
            // An error envelope says more than the status line, whatever the status.
            Err(e @ PosterError::Api { .. }) => Err(from_poster(e)),
            Err(_) if !status.is_success() => Err(ServiceError::new(
                status_kind(status),
                format!("{status}: {}", excerpt(&body)),
            )),
            Err(e) => Err(from_poster(e)),
        }
        .inspect_err(|e| tracing::warn!("poster {name} failed: {e}"))
    }
}

impl GroupService for PosterAdapter {
    fn groups(&self) -> BoxFuture<'_, ServiceResult<Vec<Group>>> {
        Box::pin(async move {
            let list: Vec<GroupDto> = self
                .call(
                    "clients.getGroups",
                    self.request(Method::GET, "clients.getGroups"),
                )
                .await?;
            let all: Vec<Group> = list
                .into_iter()
                .map(|g| Group::try_from(g).map_err(from_poster))
                .collect::<Result<_, _>>()?;
            // Poster lists removed groups too (`delete = 1`): they are not live ones.
            Ok(all.into_iter().filter(|g| !g.removed).collect())
        })
    }

    fn group(&self, id: i64) -> BoxFuture<'_, ServiceResult<Group>> {
        Box::pin(async move {
            let builder = self
                .request(Method::GET, "clients.getGroup")
                .query(&[("group_id", id.to_string())]);
            let dto: GroupDto = self.call("clients.getGroup", builder).await?;
            Group::try_from(dto).map_err(from_poster)
        })
    }

    fn create_group(&self, draft: GroupDraft) -> BoxFuture<'_, ServiceResult<i64>> {
        Box::pin(async move {
            let builder = self
                .request(Method::POST, "clients.createGroup")
                .form(&wire::group_form(None, &draft));
            let id: serde_json::Value = self.call("clients.createGroup", builder).await?;
            id_of(&id)
        })
    }

    fn update_group(&self, id: i64, draft: GroupDraft) -> BoxFuture<'_, ServiceResult<()>> {
        Box::pin(async move {
            let builder = self
                .request(Method::POST, "clients.updateGroup")
                .form(&wire::group_form(Some(id), &draft));
            let _: serde_json::Value = self.call("clients.updateGroup", builder).await?;
            Ok(())
        })
    }

    fn remove_group(&self, id: i64) -> BoxFuture<'_, ServiceResult<()>> {
        Box::pin(async move {
            let builder = self
                .request(Method::POST, "clients.removeGroup")
                .form(&[("group_id", id.to_string())]);
            let done: serde_json::Value = self.call("clients.removeGroup", builder).await?;
            match done {
                serde_json::Value::Bool(true) => Ok(()),
                other => Err(ServiceError::new(
                    ErrorKind::BadResponse,
                    format!("clients.removeGroup answered {other} instead of true"),
                )),
            }
        })
    }
}

/// A new id as Poster sends it: a number, or a number in a string.
fn id_of(value: &serde_json::Value) -> ServiceResult<i64> {
    value
        .as_i64()
        .or_else(|| value.as_str().and_then(|s| s.parse().ok()))
        .ok_or_else(|| ServiceError::new(ErrorKind::BadResponse, format!("{value} is not an id")))
}

impl AccumulationService for PosterAdapter {
    fn accumulations(
        &self,
        query: AccumulationQuery,
    ) -> BoxFuture<'_, ServiceResult<AccumulationPage>> {
        Box::pin(async move {
            let mut params = vec![
                ("num", query.limit.to_string()),
                ("offset", query.offset.to_string()),
            ];
            if let Some(client) = query.client_id {
                // Not in Poster's documentation; `loyalty serve` filters by it, and the rows are
                // filtered here again for a server that ignores it (the console then walks
                // the pages).
                params.push(("client_id", client.to_string()));
            }
            let builder = self
                .request(Method::GET, "clients.getClientsAccumulations")
                .query(&params);
            let list: Vec<AccumulationDto> = self
                .call("clients.getClientsAccumulations", builder)
                .await?;
            let rows: Vec<Accumulation> = list
                .into_iter()
                .map(|a| Accumulation::try_from(a).map_err(from_poster))
                .collect::<Result<_, _>>()?;
            // `num` counts clients: the page is full when it held that many.
            let clients = rows
                .iter()
                .map(|a| a.client_id)
                .collect::<std::collections::HashSet<_>>()
                .len() as u32;
            Ok(AccumulationPage {
                rows: rows
                    .into_iter()
                    .filter(|a| query.client_id.is_none_or(|c| a.client_id == c))
                    .collect(),
                clients,
            })
        })
    }

    fn promotions(&self) -> BoxFuture<'_, ServiceResult<Vec<Promotion>>> {
        Box::pin(async move {
            let builder = self.request(Method::GET, "clients.getPromotions");
            let list: Vec<PromotionDto> = self.call("clients.getPromotions", builder).await?;
            list.into_iter()
                .map(|p| Promotion::try_from(p).map_err(from_poster))
                .collect()
        })
    }
}
