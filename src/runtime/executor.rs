//! Carries out `Cmd`s on tokio and sends each reply back as a `Msg`.

use crate::app::{Cmd, Msg};
use crate::backend::ClientService;
use std::sync::Arc;
use tokio::sync::mpsc::UnboundedSender;

pub struct Executor {
    service: Arc<dyn ClientService>,
    tx: UnboundedSender<Msg>,
}

impl Executor {
    pub fn new(service: Arc<dyn ClientService>, tx: UnboundedSender<Msg>) -> Self {
        Executor { service, tx }
    }

    pub fn execute(&self, cmd: Cmd) {
        let service = self.service.clone();
        let tx = self.tx.clone();
        tokio::spawn(async move {
            let msg = match cmd {
                Cmd::Search { id, query } => Msg::Searched {
                    id,
                    result: service.search(query).await,
                },
                Cmd::Debounce { generation, delay } => {
                    tokio::time::sleep(delay).await;
                    Msg::DebounceElapsed(generation)
                }
                Cmd::LoadBalance { id, client } => Msg::BalanceLoaded {
                    id,
                    result: service.balance(client).await,
                },
                Cmd::LoadCoupons { id, client } => Msg::CouponsLoaded {
                    id,
                    result: service.coupons(client).await,
                },
                Cmd::LoadHistory { id, client, query } => Msg::HistoryLoaded {
                    id,
                    result: service.history(client, query).await,
                },
                Cmd::WriteOff {
                    id,
                    client,
                    request,
                } => {
                    tracing::info!(client = client.0, ?request, "write-off sent");
                    let result = service.write_off(client, request).await;
                    match &result {
                        Ok(()) => tracing::info!(client = client.0, "write-off accepted"),
                        Err(e) => tracing::warn!(client = client.0, "write-off failed: {e}"),
                    }
                    Msg::WrittenOff { id, result }
                }
                // The loop ends on Quit before it gets here.
                Cmd::Quit => return,
            };
            // The app may have quit meanwhile; a reply nobody waits for is fine to drop.
            let _ = tx.send(msg);
        });
    }
}
