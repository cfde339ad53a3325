//! The admin screens (F3 to F6) and their dialogs, drawn: a file per screen, and here what
//! any screen shows without its provider.

use super::*;
use crate::app::model::{Availability, ConfigFault};
use crate::domain::admin::{
    Accumulation, AccumulationPage, AccumulationStatus, CardOperation, CardOperationPage, Expiry,
    Group, GroupKind, OperationKind, Promotion, Registration, RetailCard,
};
use crate::domain::setting::{Problem, SettingFault};
use groups::groups_screen;
use rust_decimal::Decimal;

mod accumulations;
mod card_operations;
mod groups;
mod registrations;

#[test]
fn screens_without_a_provider() {
    // The profile in use is named in the snippet, and the hints offer none of F3's
    // own keys (n, e, d), which do nothing here.
    both("not_configured", |l| {
        let mut m = model(l);
        m.backend = BackendLabel::Profile("down".into());
        m.available = Availability {
            groups: false,
            ..Availability::ALL
        };
        key(&mut m, KeyCode::F(3));
        m
    });
}

/// A Mloyalty section that is wrong: F5 says what and where, not how to add one.
#[test]
fn a_screen_whose_section_is_wrong() {
    both("config_fault", |l| {
        let mut m = model(l);
        m.backend = BackendLabel::Profile("shop".into());
        m.available = Availability {
            registrations: false,
            ..Availability::ALL
        };
        m.config_faults = vec![ConfigFault {
            section: "mloyalty",
            fault: SettingFault {
                at: "profiles.shop.mloyalty".into(),
                problem: Problem::ManagerNotPhone,
            },
            file: "/home/kassa/.config/loyalty/config.toml".into(),
        }];
        key(&mut m, KeyCode::F(5));
        m
    });
}

#[test]
fn help_on_the_groups_screen() {
    both("help_groups", |l| {
        let mut m = groups_screen(l);
        key(&mut m, KeyCode::Char('?'));
        m
    });
}
