//! The composition root: from settings to a running service — a vendor adapter, or the
//! built-in server started in-process on loopback over the data dir's database.

use crate::app::model::{BackendLabel, Notice};
use crate::backend::ClientService;
use crate::backend::ext::ExtAdapter;
use crate::config::{Backend, Paths, Secret, Settings};
use crate::server::store::{self, Store};
use crate::server::{self, ServerState, demo};
use jiff::Timestamp;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

/// Clients seeded into a new embedded database: enough to feel real, quick to create.
pub const EMBEDDED_DEMO_CLIENTS: u64 = 5_000;

pub struct Launched {
    pub service: Arc<dyn ClientService>,
    pub label: BackendLabel,
    pub notice: Option<Notice>,
}

pub async fn launch(settings: &Settings, paths: &Paths) -> Result<Launched, String> {
    match &settings.backend {
        Backend::Profile { name, ext } => {
            let adapter = ExtAdapter::new(&ext.base_url, ext.token.clone())
                .map_err(|e| format!("profile {name}: {}", e.detail))?;
            Ok(Launched {
                service: Arc::new(adapter),
                label: BackendLabel::Profile(name.clone()),
                notice: None,
            })
        }
        Backend::Embedded => embedded(paths).await,
    }
}

async fn embedded(paths: &Paths) -> Result<Launched, String> {
    let db = paths.database();
    std::fs::create_dir_all(&paths.data_dir)
        .map_err(|e| format!("data dir {}: {e}", paths.data_dir.display()))?;
    let store = Store::open(&db).map_err(|e| format!("database {}: {e}", db.display()))?;
    let existing = store
        .run(|c| store::client_count(c))
        .await
        .map_err(|e| e.to_string())?;
    let notice = if existing == 0 {
        let seeded = store
            .run(|c| demo::seed(c, EMBEDDED_DEMO_CLIENTS, Timestamp::now()))
            .await
            .map_err(|e| format!("demo data: {e}"))?;
        tracing::info!(
            "created demo database {} with {seeded} clients",
            db.display()
        );
        Some(Notice::DemoCreated { clients: seeded })
    } else {
        None
    };
    // A fresh token each run: other local users cannot use the port the console opens.
    let token = uuid::Uuid::new_v4().simple().to_string();
    let state = ServerState::new(store, Some(token.clone()));
    let addr = server::spawn(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)), state)
        .await
        .map_err(|e| format!("embedded server: {e}"))?;
    tracing::info!("embedded server on {addr}");
    let adapter = ExtAdapter::new(&format!("http://{addr}"), Some(Secret::new(token)))
        .map_err(|e| e.detail)?;
    Ok(Launched {
        service: Arc::new(adapter),
        label: BackendLabel::Embedded,
        notice,
    })
}
