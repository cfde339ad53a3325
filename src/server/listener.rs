//! The accept loop: every connection gets a header-read deadline (which also ends idle
//! keep-alive connections), every request a deadline of its own, and no more connections
//! are held than the process has descriptors for; beyond the cap a connection gets a 503 at
//! once and is closed. At start the soft descriptor limit is raised to the hard one.

use axum::Router;
use axum::extract::{ConnectInfo, Request};
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tower::ServiceExt;

/// A client has this long to send a request's headers, and an idle keep-alive connection
/// this long before its next request.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// A request, body included, is answered within this or refused.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Most connections held at once, whatever the descriptor limit allows.
pub const MAX_CONNECTIONS: usize = 4096;
/// Descriptors kept for the database, the log and the listener itself.
const RESERVED_DESCRIPTORS: u64 = 128;
/// How long shutting down waits for requests being answered.
const DRAIN: Duration = Duration::from_secs(5);

/// Raises the soft limit on open descriptors to the hard one; returns the limit in force.
pub fn raise_descriptor_limit() -> u64 {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit only read and write the struct passed to them.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
            return 1024;
        }
        if limit.rlim_cur < limit.rlim_max {
            let raised = libc::rlimit {
                rlim_cur: limit.rlim_max,
                rlim_max: limit.rlim_max,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                limit = raised;
            }
        }
    }
    limit.rlim_cur
}

/// Connections the server holds at once under a descriptor limit of `descriptors`.
pub fn connection_cap(descriptors: u64) -> usize {
    (descriptors.saturating_sub(RESERVED_DESCRIPTORS) as usize).clamp(16, MAX_CONNECTIONS)
}

/// Serves until `shutdown` resolves, with the limits [`run`] keeps.
pub async fn serve(
    listener: TcpListener,
    mut state: super::ServerState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // Decided here, by the address actually bound, whoever built the state: a format left
    // without its credential is open to anyone only on a developer's own machine.
    if !listener.local_addr()?.ip().is_loopback() {
        state.shared_mut().unset_is_open = false;
    }
    run(listener, super::router(state), shutdown).await
}

/// Binds `addr` and serves in the background; returns the bound address (useful with port 0).
pub async fn spawn(addr: SocketAddr, state: super::ServerState) -> std::io::Result<SocketAddr> {
    let listener = TcpListener::bind(addr).await?;
    let bound = listener.local_addr()?;
    tokio::spawn(async move {
        if let Err(e) = serve(listener, state, std::future::pending()).await {
            tracing::error!("embedded server stopped: {e}");
        }
    });
    Ok(bound)
}

/// Serves `app` on `listener` until `shutdown` resolves.
pub async fn run(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let cap = connection_cap(raise_descriptor_limit());
    tracing::info!(cap, "accepting connections");
    let slots = Arc::new(Semaphore::new(cap));
    let mut tasks = tokio::task::JoinSet::new();
    let mut shutdown = std::pin::pin!(shutdown);
    // Told to every connection at shutdown: finish the request in progress, then close.
    let (stopping, stop) = tokio::sync::watch::channel(false);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    // Out of descriptors, most likely: let connections close, then go on.
                    tracing::warn!("accept: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        while tasks.try_join_next().is_some() {}
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            tokio::spawn(refuse(stream));
            continue;
        };
        let app = app.clone();
        let stop = stop.clone();
        tasks.spawn(async move {
            serve_connection(stream, peer, app, stop).await;
            drop(slot);
        });
    }
    let _ = stopping.send(true);
    // Requests being answered get a moment to finish; idle connections close at once.
    let _ = tokio::time::timeout(DRAIN, async { while tasks.join_next().await.is_some() {} }).await;
    Ok(())
}

async fn serve_connection(
    stream: TcpStream,
    peer: SocketAddr,
    app: Router,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    let service =
        TowerToHyperService::new(app.map_request(move |mut request: Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            request
        }));
    let connection = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT)
        .serve_connection(TokioIo::new(stream), service);
    let mut connection = std::pin::pin!(connection);
    let served = tokio::select! {
        served = connection.as_mut() => served,
        _ = async { stop.wait_for(|stopping| *stopping).await.map(|_| ()) } => {
            connection.as_mut().graceful_shutdown();
            connection.await
        }
    };
    if let Err(e) = served {
        tracing::debug!(%peer, "connection: {e}");
    }
}

/// Beyond the cap: a plain 503 with Retry-After, then the connection is closed.
async fn refuse(mut stream: TcpStream) {
    let body =
        r#"{"error":{"code":"503","message":"too many connections: try again in a second"}}"#;
    let answer = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\nretry-after: 1\r\n\
         connection: close\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    );
    let _ = tokio::time::timeout(Duration::from_secs(1), stream.write_all(answer.as_bytes())).await;
}

/// Ends a request that takes longer than [`REQUEST_TIMEOUT`] (a body sent a byte at a
/// time, say) with 408.
pub async fn request_deadline(
    request: Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    match tokio::time::timeout(REQUEST_TIMEOUT, next.run(request)).await {
        Ok(response) => response,
        Err(_) => axum::http::StatusCode::REQUEST_TIMEOUT.into_response(),
    }
}
