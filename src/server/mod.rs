//! `loyalty serve`: the product's own loyalty server. It speaks each vendor's wire format
//! over one SQLite database, so a small shop can run it for several tills, and the console
//! and its tests can use it exactly as they use a vendor.

pub mod demo;
mod error;
mod ext_routes;
pub mod store;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::header::AUTHORIZATION;
use axum::middleware::{self, Next};
use axum::response::Response;
use error::ApiError;
use std::net::SocketAddr;
use std::sync::Arc;
use store::Store;
use tokio::net::TcpListener;

/// Request bodies larger than this are refused before they are read: a write-off is a few
/// hundred bytes.
const BODY_LIMIT: usize = 64 * 1024;

/// What every route shares.
#[derive(Clone)]
pub struct ServerState {
    pub store: Store,
    token: Option<Arc<str>>,
}

impl ServerState {
    /// `token`: when set, every request must carry `Authorization: Bearer <token>`.
    pub fn new(store: Store, token: Option<String>) -> Self {
        ServerState {
            store,
            token: token.filter(|t| !t.is_empty()).map(Arc::from),
        }
    }
}

pub fn router(state: ServerState) -> Router {
    Router::new()
        .merge(ext_routes::routes())
        .layer(middleware::from_fn_with_state(state.clone(), require_token))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .fallback(|| async { ApiError::not_found("no such endpoint") })
        .with_state(state)
}

async fn require_token(
    State(state): State<ServerState>,
    request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    if let Some(expected) = &state.token {
        let given = request
            .headers()
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or("");
        if !constant_time_eq(given.as_bytes(), expected.as_bytes()) {
            return Err(ApiError::unauthorized());
        }
    }
    Ok(next.run(request).await)
}

/// Compares without stopping at the first difference, so timing tells nothing of the token.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Serves until the listener fails or `shutdown` resolves.
pub async fn serve(
    listener: TcpListener,
    state: ServerState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
}

/// Binds `addr` and serves in the background; returns the bound address (useful with port 0).
pub async fn spawn(addr: SocketAddr, state: ServerState) -> std::io::Result<SocketAddr> {
    let listener = TcpListener::bind(addr).await?;
    let bound = listener.local_addr()?;
    tokio::spawn(async move {
        if let Err(e) = serve(listener, state, std::future::pending()).await {
            tracing::error!("embedded server stopped: {e}");
        }
    });
    Ok(bound)
}
