//! `loyalty config check`: one harmless read per configured provider, each reported as ok
//! or with its error (never with a secret: errors carry no URLs).

use crate::backend::Services;
use crate::domain::admin::{CardOperationQuery, RegistrationQuery, SortColumn, SortDirection};
use crate::domain::{ClientQuery, ServiceError};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use std::io::Write;

fn report(
    out: &mut dyn Write,
    name: &str,
    result: Result<(), ServiceError>,
) -> std::io::Result<usize> {
    match result {
        Ok(()) => writeln!(out, "  {name:<9} ok").map(|()| 0),
        Err(e) => writeln!(out, "  {name:<9} error: {e}").map(|()| 1),
    }
}

/// Checks every configured provider, saying each outcome on `out` as it comes; returns how
/// many failed.
pub async fn run(
    services: &Services,
    tz: &TimeZone,
    out: &mut dyn Write,
) -> std::io::Result<usize> {
    let mut failures = 0;
    if let Some(c) = &services.clients {
        // An email no client can have: the answer is an empty list when all is well.
        let probe = ClientQuery {
            phone: None,
            email: Some("config-check@loyalty.invalid".into()),
        };
        failures += report(out, "ext", c.search(probe).await.map(|_| ()))?;
    }
    if let Some(g) = &services.groups {
        failures += report(out, "poster", g.groups().await.map(|_| ()))?;
    }
    if let Some(r) = &services.registrations {
        let today = Timestamp::now().to_zoned(tz.clone()).date();
        let q = RegistrationQuery {
            from: today,
            to: today,
            pos: None,
        };
        failures += report(out, "mloyalty", r.registrations(q).await.map(|_| ()))?;
    }
    if let Some(o) = &services.card_operations {
        // Card 0 does not exist: REGOS answers an empty page, or a validation error that
        // still proves the key works; an access error means it does not.
        let q = CardOperationQuery {
            card_id: 0,
            promo_id: 0,
            kind: None,
            from: None,
            to: None,
            sort: SortColumn::Date,
            direction: SortDirection::Desc,
            offset: 0,
            limit: 1,
        };
        let result = match o.card_operations(q).await {
            Err(e) if e.kind == crate::domain::ErrorKind::Rejected => Ok(()),
            other => other.map(|_| ()),
        };
        failures += report(out, "regos", result)?;
    }
    Ok(failures)
}
