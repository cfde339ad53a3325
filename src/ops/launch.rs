//! The composition root: from settings to a running service — a vendor adapter, or the
//! built-in server started in-process on loopback over the data dir's database.

use crate::backend::Services;
use crate::config::{
    Backend, Endpoint, ExtCredential, ExtSettings, Fault, MloyaltySettings, Paths, Providers,
    Secret, Settings, WriteOffMode,
};
use crate::domain::{ErrorKind, ServiceError};
use crate::server::store::Store;
use crate::server::{self, ServerState};
use jiff::Timestamp;
use std::net::{Ipv4Addr, SocketAddr};

/// Clients seeded into a new embedded database: enough to feel real, quick to create.
pub const EMBEDDED_DEMO_CLIENTS: u64 = 5_000;

pub struct Launched {
    pub services: Services,
    /// The profile in use; `None`: the built-in server.
    pub profile: Option<String>,
    /// The zone the registrations' provider counts days in, when there is one.
    pub registrations_zone: Option<jiff::tz::TimeZone>,
    /// A new embedded database being filled with demo data: the screen is drawn meanwhile.
    pub seeding: Option<Seeding>,
    /// The vendors left off because their sections are wrong.
    pub faults: Vec<Fault>,
}

impl Launched {
    /// The name write-offs are journalled under: the profile's, or `embedded`.
    pub fn journal_label(&self) -> String {
        self.profile
            .clone()
            .unwrap_or_else(|| "embedded".to_string())
    }
}

/// The demo seeding of a new embedded database, running; ends with how many clients it made.
pub type Seeding = tokio::task::JoinHandle<Result<u64, ServiceError>>;

pub async fn launch(settings: &Settings, paths: &Paths) -> Result<Launched, String> {
    match &settings.backend {
        Backend::Profile { name, providers } => {
            let (services, faults) = Services::from_providers(providers);
            Ok(Launched {
                services,
                profile: Some(name.clone()),
                registrations_zone: providers.mloyalty.as_ref().map(|m| m.zone.clone()),
                seeding: None,
                faults,
            })
        }
        Backend::Embedded => embedded(paths).await,
    }
}

/// The manager phone the embedded server's Mloyalty login expects.
const EMBEDDED_MANAGER: &str = "79990000000";

async fn embedded(paths: &Paths) -> Result<Launched, String> {
    let db = paths.database();
    super::private::dir_all(&paths.data_dir)
        .map_err(|e| format!("data dir {}: {e}", paths.data_dir.display()))?;
    let store = Store::open_sqlite(&db).map_err(|e| format!("database {}: {e}", db.display()))?;
    // Whether to seed, asked without counting every client: the first frame waits for it.
    let seeded_before = store.holds_clients().await.map_err(|e| e.to_string())?;
    // Fresh credentials each run: other local users cannot use the port the console opens.
    let fresh = || uuid::Uuid::new_v4().simple().to_string();
    let (token, password, key) = (fresh(), fresh(), fresh());
    let state = ServerState::new(store.clone(), Some(token.clone()))
        .await
        .with_manager(EMBEDDED_MANAGER.to_string(), password.clone())
        .with_integration_key(Some(key.clone()))
        // Codes, where a policy asks for them, go to the data dir's outbox: no SMS gateway
        // is set up for the built-in server, and the policy stays `never` unless one is.
        .with_codes(server::codes::Codes {
            sender: Some(server::codes::Sender::Outbox(paths.data_dir.join("outbox"))),
            ..server::codes::Codes::default()
        });
    let addr = server::spawn(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)), state)
        .await
        .map_err(|e| format!("embedded server: {e}"))?;
    tracing::info!("embedded server on {addr}");
    // A new database is filled in the background, in one transaction, once the server has
    // what it needs of the store (its secrets go through the same writer): the first frame
    // does not wait for it, and a console closed meanwhile leaves the file empty, to be
    // filled on the next start.
    let seeding = (!seeded_before).then(|| {
        tokio::spawn(async move {
            let seeded = store
                .seed_demo(EMBEDDED_DEMO_CLIENTS, Timestamp::now())
                .await
                .map_err(|e| ServiceError::new(ErrorKind::Server, format!("demo data: {e}")))?;
            tracing::info!(
                "created demo database {} with {seeded} clients",
                db.display()
            );
            Ok(seeded)
        })
    });
    let base_url = format!("http://{addr}");
    let endpoint = |secret: String| Endpoint {
        base_url: base_url.clone(),
        secret: Secret::new(secret),
    };
    let providers = Providers {
        ext: Some(ExtSettings {
            base_url: base_url.clone(),
            credential: ExtCredential::Bearer(Secret::new(token.clone())),
            write_off: WriteOffMode::Direct,
            receipt: crate::config::ReceiptMode::default(),
            codes: crate::config::CodeSettings::default(),
        }),
        poster: Some(endpoint(token)),
        mloyalty: Some(MloyaltySettings {
            endpoint: endpoint(password),
            username: EMBEDDED_MANAGER.to_string(),
            token: None,
            operator: None,
            zone: crate::config::moscow(),
        }),
        regos: Some(endpoint(key)),
        request_timeout: None,
        read_budget: None,
        max_response_bytes: None,
        faults: Vec::new(),
    };
    let (services, faults) = Services::from_providers(&providers);
    if let Some(fault) = faults.first() {
        return Err(format!("embedded server: {}", fault.message()));
    }
    Ok(Launched {
        services,
        profile: None,
        registrations_zone: Some(crate::config::moscow()),
        seeding,
        faults,
    })
}
