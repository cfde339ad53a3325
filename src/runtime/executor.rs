//! Carries out `Cmd`s on tokio and sends each reply back as a `Msg`.

use crate::app::{Cmd, Msg, RequestId};
use crate::backend::Services;
use crate::backend::progress;
use crate::domain::{ErrorKind, ServiceError};
use crate::ops::export;
use crate::ops::journal::Journal;
use crate::ops::{need, reverse, shift, write_off};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tokio::sync::mpsc::UnboundedSender;
use tokio::sync::oneshot;

pub struct Executor {
    services: Services,
    exports: PathBuf,
    journal: Journal,
    tx: UnboundedSender<Msg>,
    /// The cancellable reads on their way, by request.
    cancels: Arc<Mutex<HashMap<RequestId, oneshot::Sender<()>>>>,
}

/// Calls the service a command needs, or answers that it is not configured; a read that
/// is cancelled meanwhile is dropped (its connection with it) and answers as cancelled.
async fn call<S: ?Sized, T, F, Fut>(
    stop: Stop,
    service: &Option<Arc<S>>,
    what: &str,
    f: F,
) -> Result<T, ServiceError>
where
    F: FnOnce(Arc<S>) -> Fut,
    Fut: Future<Output = Result<T, ServiceError>>,
{
    let service = need(service, what)?;
    tokio::select! {
        result = f(service) => result,
        () = stop.fired() => {
            tracing::info!("{what}: cancelled by the user");
            Err(ServiceError::new(ErrorKind::Cancelled, "cancelled".to_string()))
        }
    }
}

/// Fires when the user cancels the read it was made for; never for the others.
struct Stop(Option<oneshot::Receiver<()>>);

impl Stop {
    async fn fired(self) {
        match self.0 {
            Some(rx) => {
                if rx.await.is_err() {
                    // Dropped without a cancel: the read finished first.
                    std::future::pending::<()>().await;
                }
            }
            None => std::future::pending().await,
        }
    }
}

impl Executor {
    /// `exports`: the folder CSV exports are written to.
    pub fn new(
        services: Services,
        exports: PathBuf,
        journal: Journal,
        tx: UnboundedSender<Msg>,
    ) -> Self {
        Executor {
            services,
            exports,
            journal,
            tx,
            cancels: Arc::default(),
        }
    }

    fn cancel(&self, ids: &[RequestId]) {
        let mut cancels = self.cancels.lock().unwrap_or_else(|e| e.into_inner());
        for id in ids {
            if let Some(tx) = cancels.remove(id) {
                let _ = tx.send(());
            }
        }
    }

    pub fn execute(&self, cmd: Cmd) {
        if let Cmd::Cancel(ids) = &cmd {
            self.cancel(ids);
            return;
        }
        let id = cmd.cancellable();
        let stop = Stop(id.map(|id| {
            let (tx, rx) = oneshot::channel();
            let mut cancels = self.cancels.lock().unwrap_or_else(|e| e.into_inner());
            cancels.insert(id, tx);
            rx
        }));
        let cancels = self.cancels.clone();
        let progress_tx = self.tx.clone();
        let report = move |attempt, of| {
            if let Some(id) = id {
                let _ = progress_tx.send(Msg::Attempt { id, attempt, of });
            }
        };
        let s = self.services.clone();
        let exports = self.exports.clone();
        let journal = self.journal.clone();
        let tx = self.tx.clone();
        tokio::spawn(progress::reporting(report, async move {
            let msg = match cmd {
                Cmd::Search { id, query } => Msg::Searched {
                    id,
                    result: call(
                        stop,
                        &s.clients,
                        "ext",
                        |c| async move { c.search(query).await },
                    )
                    .await,
                },
                Cmd::Debounce { generation, delay } => {
                    tokio::time::sleep(delay).await;
                    Msg::DebounceElapsed(generation)
                }
                Cmd::RetryLater { id, delay } => {
                    tokio::time::sleep(delay).await;
                    Msg::RetryDue(id)
                }
                Cmd::LoadBalance { id, client } => Msg::BalanceLoaded {
                    id,
                    result: call(stop, &s.clients, "ext", |c| async move {
                        c.balance(client).await
                    })
                    .await,
                },
                Cmd::LoadCoupons { id, client } => Msg::CouponsLoaded {
                    id,
                    result: call(stop, &s.clients, "ext", |c| async move {
                        c.coupons(client).await
                    })
                    .await,
                },
                Cmd::LoadHistory { id, client, query } => Msg::HistoryLoaded {
                    id,
                    result: call(stop, &s.clients, "ext", |c| async move {
                        c.history(client, query).await
                    })
                    .await,
                },
                Cmd::WriteOff {
                    id,
                    client,
                    request,
                    key,
                    manager,
                    confirmed,
                } => Msg::WrittenOff {
                    id,
                    result: write_off::send_confirmed(
                        &s,
                        &journal,
                        (client, request, key),
                        manager,
                        confirmed,
                    )
                    .await
                    .map(|_| ()),
                },
                Cmd::Reverse {
                    id,
                    request,
                    key,
                    manager,
                } => Msg::Reversed {
                    id,
                    result: reverse::send(&s, &journal, request, key, Some(manager)).await,
                },
                Cmd::SendCode {
                    id,
                    client,
                    request,
                } => Msg::CodeSent {
                    id,
                    result: call(stop, &s.codes, "codes", |c| async move {
                        c.send_code(&client, &request).await
                    })
                    .await,
                },
                Cmd::CheckCode { id, client, code } => Msg::CodeChecked {
                    id,
                    result: call(stop, &s.codes, "codes", |c| async move {
                        c.check_code(&client, &code).await
                    })
                    .await,
                },
                Cmd::LoadOutlook { id, client } => Msg::OutlookLoaded {
                    id,
                    result: call(stop, &s.clients, "ext", |c| async move {
                        c.outlook(client).await
                    })
                    .await,
                },
                Cmd::LoadCapabilities { id } => Msg::CapabilitiesLoaded {
                    id,
                    result: call(stop, &s.clients, "ext", |c| async move {
                        c.capabilities().await
                    })
                    .await,
                },
                Cmd::LoadAvailable {
                    id,
                    client,
                    receipt_total,
                } => Msg::AvailableLoaded {
                    id,
                    result: call(stop, &s.clients, "ext", |c| async move {
                        c.available(client, receipt_total).await
                    })
                    .await,
                },
                Cmd::LoadOperation { id, operation } => Msg::OperationLoaded {
                    id,
                    result: call(stop, &s.clients, "ext", |c| async move {
                        c.operation(operation).await
                    })
                    .await,
                },
                Cmd::LoadShiftReport { id, since } => Msg::ShiftReportLoaded {
                    id,
                    result: shift::report(&s, &journal, since).await,
                },
                Cmd::Record {
                    key,
                    client,
                    outcome,
                } => {
                    if let Err(e) = journal.outcome(&key, client, outcome, None, None) {
                        tracing::error!("journal {}: {e}", journal.path().display());
                    }
                    return;
                }
                Cmd::LoadJournal { id } => Msg::JournalLoaded {
                    id,
                    result: journal.rows().map_err(|e| {
                        ServiceError::new(
                            ErrorKind::Rejected,
                            format!("{}: {e}", journal.path().display()),
                        )
                    }),
                },
                Cmd::LoadGroups { id } => Msg::GroupsLoaded {
                    id,
                    result: call(
                        stop,
                        &s.groups,
                        "poster",
                        |g| async move { g.groups().await },
                    )
                    .await,
                },
                Cmd::LoadGroup { id, group } => Msg::GroupLoaded {
                    id,
                    result: call(stop, &s.groups, "poster", |g| async move {
                        g.group(group).await
                    })
                    .await,
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
                        result: call(stop, &s.groups, "poster", |g| async move {
                            g.remove_group(group).await
                        })
                        .await,
                    }
                }
                Cmd::LoadAccumulations { id, query } => Msg::AccumulationsLoaded {
                    id,
                    result: call(stop, &s.accumulations, "poster", |a| async move {
                        a.accumulations(query).await
                    })
                    .await,
                },
                Cmd::LoadRegistrations { id, query } => Msg::RegistrationsLoaded {
                    id,
                    result: call(stop, &s.registrations, "mloyalty", |r| async move {
                        r.registrations(query).await
                    })
                    .await,
                },
                Cmd::LoadCardOperations { id, query } => Msg::CardOperationsLoaded {
                    id,
                    result: call(stop, &s.card_operations, "regos", |o| async move {
                        o.card_operations(query).await
                    })
                    .await,
                },
                Cmd::LoadPromotions { id } => Msg::PromotionsLoaded {
                    id,
                    result: call(stop, &s.accumulations, "poster", |a| async move {
                        a.promotions().await
                    })
                    .await,
                },
                Cmd::FindCards { id, text } => Msg::CardsFound {
                    id,
                    result: call(stop, &s.card_operations, "regos", |o| async move {
                        o.find_cards(text).await
                    })
                    .await,
                },
                Cmd::Export { id, export } => {
                    // After each page: the console says how far the export has got.
                    let progress = |rows| {
                        let _ = tx.send(Msg::ExportProgress { id, rows });
                    };
                    Msg::Exported {
                        id,
                        result: export::run(&s, &exports, export, progress).await,
                    }
                }
                // The loop carries these out itself before it gets here.
                Cmd::Quit | Cmd::Suspend | Cmd::Cancel(_) => return,
            };
            if let Some(id) = id {
                cancels
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .remove(&id);
            }
            // The app may have quit meanwhile; a reply nobody waits for is fine to drop.
            let _ = tx.send(msg);
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::{BoxFuture, ClientService, ServiceResult};
    use crate::domain::{
        Amount, Balances, Client, ClientId, ClientQuery, Coupon, HistoryEntry, HistoryQuery,
        WriteOff,
    };
    use std::sync::Mutex;

    /// A vendor that accepts every write-off and notes, for each, whether the journal
    /// already held its attempt when it arrived.
    struct Vendor {
        journal: PathBuf,
        write_offs: Mutex<Vec<bool>>,
    }

    impl ClientService for Vendor {
        fn search(&self, _: ClientQuery) -> BoxFuture<'_, ServiceResult<Vec<Client>>> {
            Box::pin(async { Ok(Vec::new()) })
        }
        fn balance(&self, _: ClientId) -> BoxFuture<'_, ServiceResult<Balances>> {
            Box::pin(async { Ok(Balances::default()) })
        }
        fn coupons(&self, _: ClientId) -> BoxFuture<'_, ServiceResult<Vec<Coupon>>> {
            Box::pin(async { Ok(Vec::new()) })
        }
        fn history(
            &self,
            _: ClientId,
            _: HistoryQuery,
        ) -> BoxFuture<'_, ServiceResult<Vec<HistoryEntry>>> {
            Box::pin(async { Ok(Vec::new()) })
        }
        fn write_off<'a>(
            &'a self,
            _: ClientId,
            _: WriteOff,
            key: Option<String>,
            _: Option<crate::domain::limits::ManagerPin>,
            _: crate::backend::Record<'a>,
        ) -> BoxFuture<'a, ServiceResult<Option<crate::domain::OperationId>>> {
            let journaled = std::fs::read_to_string(&self.journal)
                .is_ok_and(|j| j.contains("\"attempt\"") && j.contains(&key.unwrap_or_default()));
            self.write_offs.lock().unwrap().push(journaled);
            Box::pin(async { Ok(None) })
        }
    }

    /// Runs one write-off through an executor whose journal is at `journal`.
    async fn write_off_with_journal(journal: PathBuf) -> (Arc<Vendor>, Msg) {
        let vendor = Arc::new(Vendor {
            journal: journal.clone(),
            write_offs: Mutex::default(),
        });
        let services = Services {
            clients: Some(vendor.clone()),
            ..Services::default()
        };
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let exports = journal.with_file_name("exports");
        let executor = Executor::new(services, exports, Journal::new(journal, "p".into()), tx);
        executor.execute(Cmd::WriteOff {
            id: crate::app::msg::RequestId(1),
            client: ClientId(7),
            request: WriteOff {
                points: Some(Amount::from_minor(100)),
                ..WriteOff::default()
            },
            key: "key-1".into(),
            manager: None,
            confirmed: None,
        });
        (vendor, rx.recv().await.expect("a reply"))
    }

    #[tokio::test]
    async fn the_attempt_is_on_disk_before_the_write_off_is_sent() {
        let dir = tempfile::tempdir().unwrap();
        let (vendor, reply) = write_off_with_journal(dir.path().join("journal.jsonl")).await;
        assert!(
            matches!(reply, Msg::WrittenOff { result: Ok(()), .. }),
            "{reply:?}"
        );
        assert_eq!(*vendor.write_offs.lock().unwrap(), vec![true]);
    }

    #[tokio::test]
    async fn an_unwritable_journal_means_nothing_is_sent() {
        let dir = tempfile::tempdir().unwrap();
        // A file where the journal's folder should be.
        let blocker = dir.path().join("data");
        std::fs::write(&blocker, "").unwrap();
        let (vendor, reply) = write_off_with_journal(blocker.join("journal.jsonl")).await;
        let Msg::WrittenOff { result: Err(e), .. } = reply else {
            panic!("{reply:?}")
        };
        assert!(e.detail.contains("nothing was sent"), "{}", e.detail);
        assert!(vendor.write_offs.lock().unwrap().is_empty());
    }

    /// A code service that sends to a masked phone and says the server checks the code.
    struct Codes;

    impl crate::backend::CodeService for Codes {
        fn send_code<'a>(
            &'a self,
            client: &'a Client,
            _: &'a WriteOff,
        ) -> BoxFuture<'a, ServiceResult<crate::domain::codes::CodeSent>> {
            let to = client.phone.clone();
            Box::pin(async move {
                Ok(crate::domain::codes::CodeSent {
                    to,
                    ..Default::default()
                })
            })
        }

        fn check_code<'a>(
            &'a self,
            _: &'a Client,
            _: &'a crate::domain::codes::ConfirmationCode,
        ) -> BoxFuture<'a, ServiceResult<crate::domain::codes::CodeCheck>> {
            Box::pin(async { Ok(crate::domain::codes::CodeCheck::Carried) })
        }
    }

    async fn run(services: Services, cmd: Cmd) -> Msg {
        let dir = tempfile::tempdir().unwrap();
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let journal = Journal::new(dir.path().join("journal.jsonl"), "p".into());
        Executor::new(services, dir.path().join("exports"), journal, tx).execute(cmd);
        rx.recv().await.expect("a reply")
    }

    #[tokio::test]
    async fn codes_go_to_the_code_service_and_answer_with_their_ids() {
        let client = Client {
            id: ClientId(7),
            name: None,
            phone: Some("+7 *** ***-45-67".into()),
            email: None,
        };
        let services = Services {
            codes: Some(Arc::new(Codes)),
            ..Services::default()
        };
        let id = crate::app::msg::RequestId(3);
        let sent = run(
            services.clone(),
            Cmd::SendCode {
                id,
                client: client.clone(),
                request: WriteOff::default(),
            },
        )
        .await;
        let Msg::CodeSent {
            id: got,
            result: Ok(sent),
        } = sent
        else {
            panic!("{sent:?}")
        };
        assert_eq!((got, sent.to.as_deref()), (id, Some("+7 *** ***-45-67")));
        let code = crate::domain::codes::ConfirmationCode::new("1234").unwrap();
        let checked = run(
            services,
            Cmd::CheckCode {
                id,
                client: client.clone(),
                code: code.clone(),
            },
        )
        .await;
        assert!(
            matches!(
                checked,
                Msg::CodeChecked {
                    result: Ok(crate::domain::codes::CodeCheck::Carried),
                    ..
                }
            ),
            "{checked:?}"
        );
        // Without a code service nothing is sent, and the console is told so.
        let none = run(Services::default(), Cmd::CheckCode { id, client, code }).await;
        let Msg::CodeChecked { result: Err(e), .. } = none else {
            panic!("{none:?}")
        };
        assert_eq!(e.kind, ErrorKind::NotConfigured);
    }
}
