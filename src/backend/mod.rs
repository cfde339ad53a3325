//! The service layer the runtime calls: one trait per capability, one adapter per vendor.

pub mod ext;
pub mod http;
pub mod mloyalty;
pub mod poster;
pub mod progress;
pub mod regos;

use crate::config::{Fault, Providers, Vendor};
use crate::domain::admin::{
    AccumulationPage, AccumulationQuery, CardOperationPage, CardOperationQuery, Group, GroupDraft,
    Promotion, Registration, RegistrationQuery, RetailCard,
};
use crate::domain::codes::{CodeCheck, CodeSent, ConfirmationCode};
use crate::domain::journal::HoldStep;
use crate::domain::limits::{Available, Capabilities, ManagerPin};
use crate::domain::lots::Outlook;
use crate::domain::reversal::Operation;
use crate::domain::setting::{Problem, SettingFault};
use crate::domain::shift::ShiftReport;
use crate::domain::{
    Amount, Balances, Client, ClientId, ClientQuery, Coupon, ErrorKind, HistoryEntry, HistoryQuery,
    OperationId, Reversal, ServiceError, WriteOff,
};
use jiff::Timestamp;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;
pub type ServiceResult<T> = Result<T, ServiceError>;

/// The cashier's capability: find clients, read what they can spend, write it off.
pub trait ClientService: Send + Sync {
    fn search(&self, query: ClientQuery) -> BoxFuture<'_, ServiceResult<Vec<Client>>>;
    fn balance(&self, id: ClientId) -> BoxFuture<'_, ServiceResult<Balances>>;
    fn coupons(&self, id: ClientId) -> BoxFuture<'_, ServiceResult<Vec<Coupon>>>;
    fn history(
        &self,
        id: ClientId,
        query: HistoryQuery,
    ) -> BoxFuture<'_, ServiceResult<Vec<HistoryEntry>>>;
    /// `key`: the write-off's idempotency key, sent so a retry cannot charge twice where
    /// the vendor honours it. `manager`: a manager's PIN, to go past a limit. `record` is
    /// told every vendor transaction the write-off makes (two-phase mode) before it goes
    /// on, so that each can be found and settled later. The answer is the operation's
    /// number where the provider gives one (`loyalty serve` does).
    fn write_off<'a>(
        &'a self,
        id: ClientId,
        request: WriteOff,
        key: Option<String>,
        manager: Option<ManagerPin>,
        record: Record<'a>,
    ) -> BoxFuture<'a, ServiceResult<Option<OperationId>>>;

    /// What this provider can do beyond a plain write-off; asked once per session.
    fn capabilities(&self) -> BoxFuture<'_, ServiceResult<Capabilities>> {
        Box::pin(async { Ok(Capabilities::default()) })
    }

    /// What the client may write off now under the point of sale's limits, for a receipt
    /// of `receipt_total` if one is given.
    fn available(
        &self,
        _id: ClientId,
        _receipt_total: Option<Amount>,
    ) -> BoxFuture<'_, ServiceResult<Available>> {
        Box::pin(async { Err(not_offered("limits")) })
    }

    /// One operation with what has been reversed of it.
    fn operation(&self, _id: OperationId) -> BoxFuture<'_, ServiceResult<Operation>> {
        Box::pin(async { Err(not_offered("operations")) })
    }

    /// Gives back all or part of a write-off, under its own key; a manager's PIN is needed.
    /// The answer is the reversal's own operation number.
    fn reverse<'a>(
        &'a self,
        _request: Reversal,
        _key: Option<String>,
        _manager: Option<ManagerPin>,
    ) -> BoxFuture<'a, ServiceResult<Option<OperationId>>> {
        Box::pin(async { Err(not_offered("reversals")) })
    }

    /// Refunds, whole, the holds a two-phase write-off was made of (the live seed-001
    /// vendor's only way back), by the hold ids its answers gave.
    fn refund_holds<'a>(
        &'a self,
        _client: ClientId,
        _holds: Vec<String>,
        _record: Record<'a>,
    ) -> BoxFuture<'a, ServiceResult<()>> {
        Box::pin(async { Err(not_offered("refunds")) })
    }

    /// Per cashier and currency, what was written off and given back since `since`.
    fn shift_report(&self, _since: Timestamp) -> BoxFuture<'_, ServiceResult<ShiftReport>> {
        Box::pin(async { Err(not_offered("the shift report")) })
    }

    /// The client's points that expire soonest and those not yet spendable, where the
    /// provider keeps them; an empty outlook where it does not (nothing is invented).
    fn outlook(&self, _id: ClientId) -> BoxFuture<'_, ServiceResult<Outlook>> {
        Box::pin(async { Ok(Outlook::default()) })
    }
}

/// Confirmation codes: one sent to the client's phone for a write-off, then the code the
/// client reads out checked. `loyalty serve` sends through its own route and checks the
/// code with the write-off ([`CodeCheck::Carried`]); Mloyalty sends and checks through its
/// own API ([`CodeCheck::Confirmed`]).
pub trait CodeService: Send + Sync {
    /// Has a code sent to `client`'s phone for `request` (the amounts it binds to).
    fn send_code<'a>(
        &'a self,
        client: &'a Client,
        request: &'a WriteOff,
    ) -> BoxFuture<'a, ServiceResult<CodeSent>>;

    /// Checks the code the client read out, where the vendor checks it apart from the
    /// write-off; otherwise says it is carried with the write-off, asking nothing.
    fn check_code<'a>(
        &'a self,
        client: &'a Client,
        code: &'a ConfirmationCode,
    ) -> BoxFuture<'a, ServiceResult<CodeCheck>>;
}

/// The error of asking a provider for what it does not do.
pub fn not_offered(what: &str) -> ServiceError {
    ServiceError::new(
        ErrorKind::NotConfigured,
        format!("this provider does not offer {what}"),
    )
}

/// Where a write-off reports the vendor transactions it makes.
pub type Record<'a> = &'a dyn Recorder;

/// Told every vendor transaction a two-phase write-off makes. Any `Fn(HoldStep, &str)` is
/// one; the journal's also keeps each hold's own `id`, the handle a refund names.
pub trait Recorder: Send + Sync {
    fn step(&self, step: HoldStep, transaction: &str);

    /// A hold made, with the `id` its answer gave (the live vendor's refund names holds by
    /// it); recorded as a plain step by a recorder that has no use for it.
    fn held(&self, transaction: &str, _hold: Option<i64>) {
        self.step(HoldStep::Held, transaction);
    }
}

impl<F: Fn(HoldStep, &str) + Send + Sync> Recorder for F {
    fn step(&self, step: HoldStep, transaction: &str) {
        self(step, transaction)
    }
}

/// Marketing groups (Poster).
pub trait GroupService: Send + Sync {
    fn groups(&self) -> BoxFuture<'_, ServiceResult<Vec<Group>>>;
    fn group(&self, id: i64) -> BoxFuture<'_, ServiceResult<Group>>;
    fn create_group(&self, draft: GroupDraft) -> BoxFuture<'_, ServiceResult<i64>>;
    fn update_group(&self, id: i64, draft: GroupDraft) -> BoxFuture<'_, ServiceResult<()>>;
    fn remove_group(&self, id: i64) -> BoxFuture<'_, ServiceResult<()>>;
}

/// Accumulation promotions (Poster).
pub trait AccumulationService: Send + Sync {
    fn accumulations(
        &self,
        query: AccumulationQuery,
    ) -> BoxFuture<'_, ServiceResult<AccumulationPage>>;
    fn promotions(&self) -> BoxFuture<'_, ServiceResult<Vec<Promotion>>>;
}

/// Clients registered in a period (Mloyalty).
pub trait RegistrationService: Send + Sync {
    fn registrations(
        &self,
        query: RegistrationQuery,
    ) -> BoxFuture<'_, ServiceResult<Vec<Registration>>>;
}

/// Retail cards and their bonus operations (REGOS).
pub trait CardOperationService: Send + Sync {
    fn card_operations(
        &self,
        query: CardOperationQuery,
    ) -> BoxFuture<'_, ServiceResult<CardOperationPage>>;
    /// Cards whose holder's phone or name, or whose barcode, matches `text`.
    fn find_cards(&self, text: String) -> BoxFuture<'_, ServiceResult<Vec<RetailCard>>>;
}

/// The services one profile provides; a missing one means its screens are not configured.
#[derive(Clone, Default)]
pub struct Services {
    pub clients: Option<Arc<dyn ClientService>>,
    /// Where confirmation codes come from: the write-off's provider, or Mloyalty where the
    /// profile says so (`codes = "mloyalty"`).
    pub codes: Option<Arc<dyn CodeService>>,
    pub groups: Option<Arc<dyn GroupService>>,
    pub accumulations: Option<Arc<dyn AccumulationService>>,
    pub registrations: Option<Arc<dyn RegistrationService>>,
    pub card_operations: Option<Arc<dyn CardOperationService>>,
}

impl Services {
    /// One adapter per configured provider. An adapter that cannot be made (its TLS, its
    /// URL) leaves only that vendor off, said as a fault beside the profile's own.
    pub fn from_providers(p: &Providers) -> (Services, Vec<Fault>) {
        let mut services = Services::default();
        let mut faults = p.faults.clone();
        let timeout = p.request_timeout.unwrap_or(http::REQUEST_TIMEOUT);
        if let Some(limit) = p.max_response_bytes {
            http::set_response_limit(limit);
        }
        let codes_from_mloyalty = p
            .ext
            .as_ref()
            .is_some_and(|e| e.codes.from == crate::config::CodesFrom::Mloyalty);
        let mut made = |vendor: Vendor, result: ServiceResult<()>| {
            if let Err(e) = result {
                faults.push(Fault {
                    vendor,
                    fault: SettingFault {
                        at: vendor.section().to_string(),
                        problem: Problem::Client(e.detail),
                    },
                });
            }
        };
        if let Some(ext) = &p.ext {
            made(
                Vendor::Ext,
                (|| {
                    let adapter = ext::ExtAdapter::new(&ext.base_url, ext.credential.clone())?
                        .with_write_off(ext.write_off)
                        .with_read_budget(p.read_budget.unwrap_or(http::READ_BUDGET));
                    let adapter = Arc::new(adapter.with_timeout(timeout)?);
                    // Our server sends and checks codes itself; the live vendor answers a
                    // send with 404, which is the profile's fallback.
                    if !codes_from_mloyalty {
                        services.codes = Some(adapter.clone());
                    }
                    services.clients = Some(adapter);
                    Ok(())
                })(),
            );
        }
        if let Some(endpoint) = &p.poster {
            made(
                Vendor::Poster,
                (|| {
                    let adapter =
                        poster::PosterAdapter::new(&endpoint.base_url, endpoint.secret.clone())?;
                    let adapter = Arc::new(adapter.with_timeout(timeout)?);
                    services.groups = Some(adapter.clone());
                    services.accumulations = Some(adapter);
                    Ok(())
                })(),
            );
        }
        if let Some(m) = &p.mloyalty {
            made(
                Vendor::Mloyalty,
                (|| {
                    let adapter = mloyalty::MloyaltyAdapter::new(
                        &m.endpoint.base_url,
                        &m.username,
                        m.endpoint.secret.clone(),
                        m.zone.clone(),
                    )?
                    .with_ids(m.token, m.operator);
                    let adapter = Arc::new(adapter.with_timeout(timeout)?);
                    if codes_from_mloyalty {
                        services.codes = Some(adapter.clone());
                    }
                    services.registrations = Some(adapter);
                    Ok(())
                })(),
            );
        }
        if let Some(endpoint) = &p.regos {
            made(
                Vendor::Regos,
                (|| {
                    let adapter =
                        regos::RegosAdapter::new(&endpoint.base_url, endpoint.secret.clone())?;
                    services.card_operations = Some(Arc::new(adapter.with_timeout(timeout)?));
                    Ok(())
                })(),
            );
        }
        if codes_from_mloyalty && p.mloyalty.is_none() {
            // No codes from elsewhere in its place: a write-off that needs one is refused.
            faults.push(Fault {
                vendor: Vendor::Ext,
                fault: SettingFault {
                    at: format!("{}.codes", Vendor::Ext.section()),
                    problem: Problem::Client(
                        "codes = \"mloyalty\" needs the profile's [mloyalty] section".into(),
                    ),
                },
            });
        }
        (services, faults)
    }
}
