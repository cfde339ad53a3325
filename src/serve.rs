//! `loyalty serve`: running the server, and `--check` of its database.

mod secrets;

pub use secrets::Given;

use loyalty_console::domain::Amount;
use loyalty_console::domain::codes::CodePolicy;
use loyalty_console::domain::limits::Limits;
use loyalty_console::server::access::{Door, Setup};
use loyalty_console::server::codes::{Codes, Sender, Webhook};
use loyalty_console::server::pos_limits::{self, PosLimits};
use loyalty_console::server::store::{DbTarget, Store};
use loyalty_console::server::{self, ServerState};
use std::net::SocketAddr;
use std::path::PathBuf;

/// The limits of the points of sale on a write-off. Without a flag a limit is not set; a
/// manager's PIN goes past any. The day of `--limit-client-day` and the shift of
/// `--limit-cashier-shift` are the server's local calendar day.
#[derive(clap::Args, Debug, Default)]
pub struct LimitArgs {
    /// Points and roubles together at most PCT% of the receipt's total (1 to 100); a
    /// write-off then needs its receipt.
    #[arg(long, value_name = "PCT", value_parser = clap::value_parser!(u8).range(1..=100))]
    pub limit_receipt_share: Option<u8>,
    /// Points and roubles together at most AMOUNT in one write-off.
    #[arg(long, value_name = "AMOUNT", value_parser = pos_limits::parse_amount)]
    pub limit_operation: Option<Amount>,
    /// At most N write-offs per client per day (the server's local calendar day).
    #[arg(long, value_name = "N")]
    pub limit_client_day: Option<u32>,
    /// At most AMOUNT written off per cashier (till and login) per shift (the server's
    /// local calendar day).
    #[arg(long, value_name = "AMOUNT", value_parser = pos_limits::parse_amount)]
    pub limit_cashier_shift: Option<Amount>,
    /// A TOML file of points of sale with limits of their own: `[pos."NAME"]` (NAME: the
    /// till's `serve user`, `token` for the shared token) with keys receipt_share,
    /// operation, client_day, cashier_shift; a section replaces the defaults above.
    #[arg(long, value_name = "FILE")]
    pub limits: Option<PathBuf>,
}

/// Confirmation codes: when a write-off needs the client's code, and how codes are sent.
#[derive(clap::Args, Debug, Default)]
pub struct CodeArgs {
    /// When a write-off needs the client's confirmation code (or a manager's PIN): always,
    /// never, or above:AMOUNT (points and roubles together, strictly above). A point of
    /// sale's `code_policy` in the --limits file wins over it.
    #[arg(long, value_name = "POLICY", value_parser = CodePolicy::parse)]
    pub code_policy: Option<CodePolicy>,
    /// Send codes as files in DIR (made 0700; one 0600 file per code, named for the phone).
    #[arg(long, value_name = "DIR", conflicts_with = "code_webhook")]
    pub code_outbox: Option<PathBuf>,
    /// Send codes by POSTing to a shop's SMS gateway.
    #[arg(long, value_name = "URL")]
    pub code_webhook: Option<String>,
    /// The gateway's request body: {phone} and {text} are replaced, JSON-escaped
    /// [default: {"phone":"{phone}","text":"{text}"}].
    #[arg(long, value_name = "TEMPLATE", requires = "code_webhook")]
    pub code_webhook_body: Option<String>,
    /// Seconds to wait for the gateway before the code is void and the send refused.
    #[arg(long, value_name = "SECONDS", default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=60))]
    pub code_webhook_timeout: u64,
    /// Seconds a code is good for.
    #[arg(long, value_name = "SECONDS", default_value_t = 300, value_parser = clap::value_parser!(u64).range(30..=3600))]
    pub code_ttl: u64,
}

impl CodeArgs {
    pub fn read(self) -> Result<(CodePolicy, Codes), String> {
        let sender = match (self.code_outbox, self.code_webhook) {
            (Some(dir), _) => Some(Sender::Outbox(dir)),
            (None, Some(url)) => Some(Sender::Webhook(Webhook::new(
                &url,
                self.code_webhook_body,
                std::time::Duration::from_secs(self.code_webhook_timeout),
            )?)),
            (None, None) => None,
        };
        let codes = Codes {
            ttl: std::time::Duration::from_secs(self.code_ttl),
            sender,
        };
        Ok((self.code_policy.unwrap_or_default(), codes))
    }
}

impl LimitArgs {
    pub fn read(self) -> Result<PosLimits, String> {
        let defaults = Limits {
            receipt_share: self.limit_receipt_share,
            operation: self.limit_operation,
            client_day: self.limit_client_day,
            cashier_shift: self.limit_cashier_shift,
        };
        match self.limits {
            None => Ok(PosLimits {
                defaults,
                ..PosLimits::default()
            }),
            Some(path) => {
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| format!("--limits {}: {e}", path.display()))?;
                PosLimits::from_toml(defaults, &text)
                    .map_err(|e| format!("--limits {}: {e}", path.display()))
            }
        }
    }
}

/// The day within which callers are promised a retry gets the first answer.
const PROMISED_RETENTION: std::time::Duration = std::time::Duration::from_secs(24 * 3600);

/// `--key-retention`: a duration as `48h`, `90m`, `1h 30m` or `PT48H`, of at least a second.
pub fn parse_retention(text: &str) -> Result<std::time::Duration, String> {
    let span: jiff::SignedDuration = text
        .parse()
        .map_err(|e| format!("{text:?} is not a duration such as 48h or 90m: {e}"))?;
    std::time::Duration::try_from(span)
        .ok()
        .filter(|d| d.as_secs() >= 1)
        .ok_or_else(|| format!("{text:?}: a key must be kept at least a second"))
}

/// What each vendor format of the server asks of its callers.
pub struct Credentials {
    pub token: Given,
    pub manager_user: String,
    pub manager_password: Given,
    pub integration_key: Given,
    pub jwt_without_token: bool,
}

pub async fn serve(
    listen: SocketAddr,
    db: DbTarget,
    (demo_clients, heavy): (Option<u64>, Option<server::demo::Heavy>),
    credentials: Credentials,
    key_retention: std::time::Duration,
    limits: LimitArgs,
    codes: CodeArgs,
) -> Result<(), String> {
    let loopback = listen.ip().is_loopback();
    let (code_default, codes) = codes.read()?;
    let limits = PosLimits {
        code_default,
        ..limits.read()?
    };
    // Checked before anything is created: a bad secret is a typo to fix, not a server to run.
    let token = credentials.token.resolve(loopback)?;
    let password = credentials.manager_password.resolve(loopback)?;
    let integration_key = credentials.integration_key.resolve(loopback)?;
    let manager_user = credentials.manager_user;
    if password.is_some() && loyalty_console::wire::mloyalty::phone_login(&manager_user).is_none() {
        return Err(format!(
            "--manager-user {manager_user:?}: the Mloyalty login must be a phone number (digits)"
        ));
    }
    // Off loopback a format without its credential is closed, not open: with every one of
    // them closed the server would serve no one, which is a mistake to say at once.
    let refusal = || {
        format!(
            "refusing to listen on {listen} without a credential: every format would be \
             closed. Add each till's key (`loyalty serve user add`), or give --token, \
             --manager-password or --integration-key (each also as an environment variable \
             or a file, see `loyalty serve --help`), or listen on loopback"
        )
    };
    let no_secret = token.is_none() && password.is_none() && integration_key.is_none();
    if !loopback && no_secret && matches!(&db, DbTarget::Sqlite(path) if !path.exists()) {
        return Err(refusal());
    }
    let mut store = Store::open(&db)
        .await
        .map_err(|e| format!("database {db}: {e}"))?
        .with_key_retention(key_retention);
    if key_retention < PROMISED_RETENTION {
        tracing::warn!(
            "idempotency keys are kept {}: less than the day a till may retry in",
            jiff::SignedDuration::try_from(key_retention).unwrap_or_default()
        );
    }
    let users = store
        .users()
        .await
        .map_err(|e| format!("database {db}: {e}"))?;
    let doors = Setup {
        loopback,
        token: token.is_some(),
        manager: password.as_ref().map(|_| manager_user.as_str()),
        integration_key: integration_key.is_some(),
        users: &users,
    }
    .doors();
    if !loopback
        && doors
            .iter()
            .all(|(_, door)| matches!(door, Door::Closed(_)))
    {
        return Err(refusal());
    }
    tracing::info!("database {db} ({})", store.kind());
    if let (Some(n), Some(h)) = (demo_clients, heavy)
        && !h.within(n)
    {
        return Err(format!(
            "--demo-heavy {}: not one of the {n} demo clients after the sample",
            h.client
        ));
    }
    if let Some(n) = demo_clients {
        let existing = store.client_count().await.map_err(|e| e.to_string())?;
        if existing == 0 {
            let started = std::time::Instant::now();
            store = store
                .seed_demo_alone(n, heavy, jiff::Timestamp::now())
                .await
                .map_err(|e| format!("demo data: {e}"))?;
            tracing::info!("seeded {n} demo clients in {:.1?}", started.elapsed());
            let written = server::demo::operations::write_offs(&store, n, jiff::Timestamp::now())
                .await
                .map_err(|e| format!("demo write-offs: {e}"))?;
            tracing::info!(operations = ?written, "demo write-offs with receipts, to reverse");
        } else {
            tracing::info!("database already holds {existing} clients; --demo skipped");
        }
    }
    // Exactly who may use each format, so that an operator sees an open door at start.
    for (format, door) in &doors {
        match door {
            Door::Only(_) => tracing::info!("{}: {door}", format.label()),
            Door::Anyone | Door::Closed(_) => tracing::warn!("{}: {door}", format.label()),
        }
    }
    if !limits.defaults.is_empty() || !limits.own.is_empty() {
        tracing::info!(
            defaults = ?limits.defaults,
            own = limits.own.len(),
            "limits per point of sale"
        );
    }
    let needs_codes = code_default != CodePolicy::Never
        || limits.own_code.values().any(|p| *p != CodePolicy::Never);
    if needs_codes && codes.sender.is_none() {
        tracing::warn!(
            "a code policy asks for confirmation codes but no --code-outbox or --code-webhook \
             is given: sends are refused, and such write-offs need a manager's PIN"
        );
    }
    tracing::info!(policy = code_default.code(), "confirmation codes");
    let mut state = ServerState::new(store, token)
        .await
        .with_integration_key(integration_key)
        .with_limits(limits)
        .with_codes(codes);
    if let Some(password) = password {
        state = state.with_manager(manager_user, password);
    }
    if credentials.jwt_without_token {
        state = state.with_jwt_without_token();
    }
    // Expired lots leave their balances now and every minute after, each by a ledger row
    // (a write-off also sweeps its own client's first).
    let sweeping = state.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(server::store::rules::lots::SWEEP_EVERY);
        loop {
            every.tick().await;
            match sweeping.store.expire_lots(sweeping.now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!("{n} expired lot(s) written out of their balances"),
                Err(e) => tracing::warn!("expiring lots: {e}"),
            }
        }
    });
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
/// the sum of its ledger, then every reversal against its original, the lots and the cards'
/// counts of operations.
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
    for problem in report
        .over_reversed
        .iter()
        .chain(&report.lots)
        .chain(&report.card_counts)
    {
        println!("{problem}");
    }
    if !mismatches.is_empty() {
        return Err(format!(
            "{} balance(s) disagree with the ledger",
            mismatches.len()
        ));
    }
    if let Some(first) = report.over_reversed.first() {
        return Err(format!(
            "{} reversal problem(s), the first: {first}",
            report.over_reversed.len()
        ));
    }
    if let Some(first) = report.lots.first() {
        return Err(format!(
            "{} lot problem(s), the first: {first}",
            report.lots.len()
        ));
    }
    if let Some(first) = report.card_counts.first() {
        return Err(format!(
            "{} card count(s) of operations wrong, the first: {first}",
            report.card_counts.len()
        ));
    }
    println!(
        "ok: {} ledger entries, every balance equals its ledger and its lots, no write-off \
         given back more than it took, every card's count of operations right",
        report.ledger_entries
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::parse_retention;
    use std::time::Duration;

    #[test]
    fn key_retention_reads_friendly_and_iso_durations_of_a_second_or_more() {
        assert_eq!(parse_retention("48h"), Ok(Duration::from_secs(48 * 3600)));
        assert_eq!(parse_retention("5m"), Ok(Duration::from_secs(300)));
        assert_eq!(parse_retention("1h 30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_retention("PT2S"), Ok(Duration::from_secs(2)));
        for bad in ["0s", "500ms", "-5m", "soon", ""] {
            assert!(parse_retention(bad).is_err(), "{bad}");
        }
    }
}
