//! Carries out `Cmd`s on tokio and sends each reply back as a `Msg`.

use super::export;
use crate::app::{Cmd, Msg};
use crate::backend::Services;
use crate::domain::{ErrorKind, ServiceError};
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::mpsc::UnboundedSender;

pub struct Executor {
    services: Services,
    exports: PathBuf,
    tx: UnboundedSender<Msg>,
}

/// The service a command needs, or the error that says it is not configured.
fn need<T: ?Sized>(service: &Option<Arc<T>>, what: &str) -> Result<Arc<T>, ServiceError> {
    service
        .clone()
        .ok_or_else(|| ServiceError::new(ErrorKind::NotConfigured, what.to_string()))
}

impl Executor {
    /// `exports`: the folder CSV exports are written to.
    pub fn new(services: Services, exports: PathBuf, tx: UnboundedSender<Msg>) -> Self {
        Executor {
            services,
            exports,
            tx,
        }
    }

    pub fn execute(&self, cmd: Cmd) {
        let s = self.services.clone();
        let exports = self.exports.clone();
        let tx = self.tx.clone();
        tokio::spawn(async move {
            let msg = match cmd {
                Cmd::Search { id, query } => Msg::Searched {
                    id,
                    result: match need(&s.clients, "ext") {
                        Ok(c) => c.search(query).await,
                        Err(e) => Err(e),
                    },
                },
                Cmd::Debounce { generation, delay } => {
                    tokio::time::sleep(delay).await;
                    Msg::DebounceElapsed(generation)
                }
                Cmd::LoadBalance { id, client } => Msg::BalanceLoaded {
                    id,
                    result: match need(&s.clients, "ext") {
                        Ok(c) => c.balance(client).await,
                        Err(e) => Err(e),
                    },
                },
                Cmd::LoadCoupons { id, client } => Msg::CouponsLoaded {
                    id,
                    result: match need(&s.clients, "ext") {
                        Ok(c) => c.coupons(client).await,
                        Err(e) => Err(e),
                    },
                },
                Cmd::LoadHistory { id, client, query } => Msg::HistoryLoaded {
                    id,
                    result: match need(&s.clients, "ext") {
                        Ok(c) => c.history(client, query).await,
                        Err(e) => Err(e),
                    },
                },
                Cmd::WriteOff {
                    id,
                    client,
                    request,
                } => {
                    tracing::info!(client = client.0, ?request, "write-off sent");
                    let result = match need(&s.clients, "ext") {
                        Ok(c) => c.write_off(client, request).await,
                        Err(e) => Err(e),
                    };
                    match &result {
                        Ok(()) => tracing::info!(client = client.0, "write-off accepted"),
                        Err(e) => tracing::warn!(client = client.0, "write-off failed: {e}"),
                    }
                    Msg::WrittenOff { id, result }
                }
                Cmd::LoadGroups { id } => Msg::GroupsLoaded {
                    id,
                    result: match need(&s.groups, "poster") {
                        Ok(g) => g.groups().await,
                        Err(e) => Err(e),
                    },
                },
                Cmd::LoadGroup { id, group } => Msg::GroupLoaded {
                    id,
                    result: match need(&s.groups, "poster") {
                        Ok(g) => g.group(group).await,
                        Err(e) => Err(e),
                    },
                },
                Cmd::SaveGroup { id, group, draft } => {
                    tracing::info!(?group, name = %draft.name, "saving group");
                    Msg::GroupSaved {
                        id,
                        result: match (need(&s.groups, "poster"), group) {
                            (Ok(g), None) => g.create_group(draft).await,
                            (Ok(g), Some(gid)) => g.update_group(gid, draft).await.map(|()| gid),
                            (Err(e), _) => Err(e),
                        },
                    }
                }
                Cmd::RemoveGroup { id, group } => {
                    tracing::info!(group, "removing group");
                    Msg::GroupRemoved {
                        id,
                        result: match need(&s.groups, "poster") {
                            Ok(g) => g.remove_group(group).await,
                            Err(e) => Err(e),
                        },
                    }
                }
                Cmd::LoadAccumulations { id, query } => Msg::AccumulationsLoaded {
                    id,
                    result: match need(&s.accumulations, "poster") {
                        Ok(a) => a.accumulations(query).await,
                        Err(e) => Err(e),
                    },
                },
                Cmd::LoadRegistrations { id, query } => Msg::RegistrationsLoaded {
                    id,
                    result: match need(&s.registrations, "mloyalty") {
                        Ok(r) => r.registrations(query).await,
                        Err(e) => Err(e),
                    },
                },
                Cmd::LoadCardOperations { id, query } => Msg::CardOperationsLoaded {
                    id,
                    result: match need(&s.card_operations, "regos") {
                        Ok(o) => o.card_operations(query).await,
                        Err(e) => Err(e),
                    },
                },
                Cmd::Export { id, export } => Msg::Exported {
                    id,
                    result: export::run(&s, &exports, export).await,
                },
                // The loop ends on Quit before it gets here.
                Cmd::Quit => return,
            };
            // The app may have quit meanwhile; a reply nobody waits for is fine to drop.
            let _ = tx.send(msg);
        });
    }
}
