//! `loyalty serve`: running the server, and `--check` of its database.

use loyalty_console::server::store::{DbTarget, Store};
use loyalty_console::server::{self, ServerState};
use std::net::SocketAddr;

/// What each vendor format of the server asks of its callers.
pub struct Credentials {
    pub token: Option<String>,
    pub manager: Option<(String, String)>,
    pub integration_key: Option<String>,
    pub jwt_without_token: bool,
}

pub async fn serve(
    listen: SocketAddr,
    db: DbTarget,
    demo_clients: Option<u64>,
    credentials: Credentials,
) -> Result<(), String> {
    // Reachable from other machines with the money API open to anyone: refused. Users'
    // keys (`serve user add`) or the shared --token are credentials.
    let exposed =
        !listen.ip().is_loopback() && credentials.token.as_deref().is_none_or(str::is_empty);
    let refusal = || {
        format!(
            "refusing to listen on {listen} without a credential: add each till's key \
             (`loyalty serve user add`) or give --token (or LOYALTY_SERVER_TOKEN) so that only \
             your tills can write off, or listen on loopback"
        )
    };
    if exposed && matches!(&db, DbTarget::Sqlite(path) if !path.exists()) {
        return Err(refusal());
    }
    let store = Store::open(&db)
        .await
        .map_err(|e| format!("database {db}: {e}"))?;
    if exposed
        && store
            .user_or_open(String::new(), true)
            .await
            .map_err(|e| format!("database {db}: {e}"))?
            .is_some()
    {
        // No user was ever added: anyone would be let in.
        return Err(refusal());
    }
    tracing::info!("database {db} ({})", store.kind());
    if let Some(n) = demo_clients {
        let existing = store.client_count().await.map_err(|e| e.to_string())?;
        if existing == 0 {
            let started = std::time::Instant::now();
            store
                .seed_demo(n, jiff::Timestamp::now())
                .await
                .map_err(|e| format!("demo data: {e}"))?;
            tracing::info!("seeded {n} demo clients in {:.1?}", started.elapsed());
        } else {
            tracing::info!("database already holds {existing} clients; --demo skipped");
        }
    }
    if credentials.token.as_deref().is_none_or(str::is_empty) {
        tracing::warn!("no --token: /ext/api/v1/ and Poster requests need no token");
    }
    if credentials.manager.is_none() {
        tracing::warn!("no --manager-password: /managerlogin accepts any login");
    }
    if credentials.integration_key.is_none() {
        tracing::warn!("no --integration-key: REGOS requests are accepted with any key");
    }
    let mut state = ServerState::new(store, credentials.token)
        .await
        .with_integration_key(credentials.integration_key);
    if let Some((user, password)) = credentials.manager {
        if loyalty_console::wire::mloyalty::phone_login(&user).is_none() {
            return Err(format!(
                "--manager-user {user:?}: the Mloyalty login must be a phone number (digits)"
            ));
        }
        state = state.with_manager(user, password);
    }
    if credentials.jwt_without_token {
        state = state.with_jwt_without_token();
    }
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| format!("listen on {listen}: {e}"))?;
    let bound = listener.local_addr().map_err(|e| e.to_string())?;
    // Tests and scripts read this line to learn the port when --listen ends in :0.
    println!("listening on http://{bound}");
    // A service manager stops us with SIGTERM: the requests being answered (write-offs among
    // them) are finished first, then the process exits.
    let shutdown = async {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(e) => {
                    tracing::error!("SIGTERM cannot be caught: {e}");
                    let _ = tokio::signal::ctrl_c().await;
                    return;
                }
            };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => tracing::info!("SIGINT: stopping"),
            _ = term.recv() => tracing::info!("SIGTERM: stopping"),
        }
    };
    server::serve(listener, state, shutdown)
        .await
        .map_err(|e| format!("server: {e}"))?;
    tracing::info!("stopped: the requests in progress were finished");
    Ok(())
}

/// `loyalty serve --check`: the database's own integrity check, then every balance against
/// the sum of its ledger.
pub async fn check_database(db: &DbTarget) -> Result<(), String> {
    if let DbTarget::Sqlite(path) = db
        && !path.exists()
    {
        return Err(format!("database {db} does not exist"));
    }
    let store = Store::open(db)
        .await
        .map_err(|e| format!("database {db}: {e}"))?;
    let report = store.check().await.map_err(|e| e.to_string())?;
    if report.integrity != "ok" {
        return Err(format!("integrity check failed: {}", report.integrity));
    }
    let mismatches = report.mismatches;
    for (client, currency, balance, ledger) in &mismatches {
        println!(
            "client {client} {currency}: balance {balance} but ledger sums to {ledger} (hundredths)"
        );
    }
    if !mismatches.is_empty() {
        return Err(format!(
            "{} balance(s) disagree with the ledger",
            mismatches.len()
        ));
    }
    println!(
        "ok: {} ledger entries, every balance equals its ledger",
        report.ledger_entries
    );
    Ok(())
}
