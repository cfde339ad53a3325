//! Vendors the tests stand up in-process: an axum app of the routes a test needs.

/// Serves `app` on 127.0.0.1 at a free port for the rest of the test; its base URL.
pub async fn serve(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let addr = listener.local_addr().expect("the stub's address");
    tokio::spawn(async move { axum::serve(listener, app).await.expect("the stub serves") });
    format!("http://{addr}")
}

/// A stub's answer of `body` as JSON, as the vendors label theirs.
pub fn json(body: &'static str) -> ([(&'static str, &'static str); 1], &'static str) {
    ([("content-type", "application/json")], body)
}
