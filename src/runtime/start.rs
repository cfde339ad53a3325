//! The console's first model, built in one place from what start-up found: the profile or
//! the built-in server, the screens its services fill, the vendors left off and why, the
//! key bindings, and what the status line says first.

use crate::app::Model;
use crate::app::keys::Keymap;
use crate::app::model::{Availability, BackendLabel, CodeAsk, ConfigFault, Notice, ReceiptAsk};
use crate::backend::Services;
use crate::config::{CodeFallbackMode, CodesFrom, ReceiptMode, Settings};
use crate::domain::codes::{CodeFallback, CodeVia};
use crate::ops::launch::{EMBEDDED_DEMO_CLIENTS, Launched};
use jiff::Timestamp;
use std::path::Path;

/// What start-up read besides the launched services.
pub struct Found<'a> {
    pub settings: &'a Settings,
    pub keymap: Keymap,
    pub config_file: &'a Path,
    /// The config holds secrets inline and others may read it.
    pub config_readable: bool,
}

pub fn model(found: Found<'_>, launched: &Launched, session: String, now: Timestamp) -> Model {
    let backend = match &launched.profile {
        Some(name) => BackendLabel::Profile(name.clone()),
        None => BackendLabel::Embedded,
    };
    let mut model = Model::new(
        found.settings.locale,
        jiff::tz::TimeZone::system(),
        backend,
        now,
    );
    if launched.seeding.is_some() {
        model.tell(Notice::DemoSeeding {
            clients: EMBEDDED_DEMO_CLIENTS,
        });
    }
    if let Some(zone) = &launched.registrations_zone {
        model.registrations.zone = zone.clone();
    }
    model.session = session;
    if found.config_readable {
        model.tell(Notice::ConfigReadable {
            path: found.config_file.to_path_buf(),
        });
    }
    model.available = availability(&launched.services);
    model.receipt_mode = match found.settings.receipt() {
        ReceiptMode::Off => ReceiptAsk::Off,
        ReceiptMode::Optional => ReceiptAsk::Optional,
        ReceiptMode::Required => ReceiptAsk::Required,
    };
    let codes = found.settings.codes();
    model.codes = CodeAsk {
        policy: codes.policy,
        via: match codes.from {
            CodesFrom::Provider => CodeVia::Provider,
            CodesFrom::Mloyalty => CodeVia::Mloyalty,
        },
        fallback: match codes.fallback {
            CodeFallbackMode::Refuse => CodeFallback::Refuse,
            CodeFallbackMode::Manager => CodeFallback::Manager,
        },
        service: launched.services.codes.is_some(),
    };
    model.config_faults = launched
        .faults
        .iter()
        .map(|f| ConfigFault {
            section: f.vendor.section(),
            fault: f.fault.clone(),
            file: found.config_file.display().to_string(),
        })
        .collect();
    model.config_file = Some(found.config_file.display().to_string());
    model.keymap = std::sync::Arc::new(found.keymap);
    model
}

/// Which screens the launched services can fill.
fn availability(services: &Services) -> Availability {
    Availability {
        clients: services.clients.is_some(),
        groups: services.groups.is_some(),
        accumulations: services.accumulations.is_some(),
        registrations: services.registrations.is_some(),
        card_operations: services.card_operations.is_some(),
    }
}
