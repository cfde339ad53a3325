//! Configuration: where files live, the TOML file with its profiles, and secrets.

mod file;
mod paths;
mod resolve;
mod secret;
mod sections;
mod theme;

pub use file::{ConfigFile, ExtFile, MloyaltyFile, PosterFile, ProfileFile, RegosFile, Section};
pub use paths::Paths;
pub use resolve::secrets_exposed;
pub use secret::Secret;
pub use theme::{ROLES, Role, ThemeName, ThemeSettings};

use crate::i18n::Locale;
use serde::Deserialize;

/// How a write-off is sent to a seed-001 API.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WriteOffMode {
    /// `POST clients/{id}/balance/write_off/` with an `Idempotency-Key`.
    #[default]
    Direct,
    /// `fiscal_hub/cash_back/hold/` per currency, then `hold/write_off/` for each.
    Hold,
}

/// Whether the write-off dialog asks for the receipt (number and total) a write-off pays
/// part of; shown only where the provider keeps receipts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReceiptMode {
    /// Never asked.
    Off,
    /// Asked, and may be left empty.
    #[default]
    Optional,
    /// Every write-off names its receipt.
    Required,
}

/// Where the console gets confirmation codes from (`codes = "..."`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CodesFrom {
    /// The write-off's own provider, where it has codes (`loyalty serve` does).
    #[default]
    Provider,
    /// Mloyalty's `GetSendVerificationCode` and `GetConfirmCode`, through the profile's
    /// `[mloyalty]` section.
    Mloyalty,
}

/// What the console does when the policy wants a code and nothing can check one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CodeFallbackMode {
    #[default]
    Refuse,
    Manager,
}

/// A profile's confirmation codes: when it wants one, where from, and what to do where
/// none can be checked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CodeSettings {
    pub policy: crate::domain::codes::CodePolicy,
    pub from: CodesFrom,
    pub fallback: CodeFallbackMode,
}

/// How the console proves who it is to a seed-001 API.
#[derive(Debug, Clone)]
pub enum ExtCredential {
    /// `login` and `api_key` as URL parameters of every call, as the vendor's fiscal
    /// document gives them.
    ApiKey { login: String, api_key: Secret },
    /// `Authorization: Bearer`.
    Bearer(Secret),
}

/// A usable seed-001 endpoint: its URL, its credential and how it writes off.
#[derive(Debug, Clone)]
pub struct ExtSettings {
    pub base_url: String,
    pub credential: ExtCredential,
    pub write_off: WriteOffMode,
    pub receipt: ReceiptMode,
    pub codes: CodeSettings,
}

/// A provider's URL and the one secret it needs.
#[derive(Debug, Clone)]
pub struct Endpoint {
    pub base_url: String,
    pub secret: Secret,
}

/// Mloyalty: the endpoint (with the password), the manager's phone, and the ids the request
/// bodies carry when the JWT does not.
#[derive(Debug, Clone)]
pub struct MloyaltySettings {
    pub endpoint: Endpoint,
    pub username: String,
    pub token: Option<i64>,
    pub operator: Option<i64>,
    /// The vendor's zone: its days and its naive dates are counted in it.
    pub zone: jiff::tz::TimeZone,
}

/// A Russian loyalty operator works in Moscow time, which has kept +03:00 all year since
/// 2014; a fixed offset needs no time zone database on the till.
pub fn moscow() -> jiff::tz::TimeZone {
    jiff::tz::TimeZone::fixed(jiff::tz::offset(3))
}

/// A vendor a profile can configure, by the name of its section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Vendor {
    Ext,
    Poster,
    Mloyalty,
    Regos,
}

impl Vendor {
    /// The section's name in a profile: `[profiles.NAME.<section>]`.
    pub fn section(self) -> &'static str {
        match self {
            Vendor::Ext => "ext",
            Vendor::Poster => "poster",
            Vendor::Mloyalty => "mloyalty",
            Vendor::Regos => "regos",
        }
    }
}

/// A vendor's section that is wrong: that vendor is off, the others work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    pub vendor: Vendor,
    /// What is wrong, and where (`profiles.shop.mloyalty.username`).
    pub fault: crate::domain::setting::SettingFault,
}

impl Fault {
    /// In English, as `config check` and the log say it.
    pub fn message(&self) -> String {
        crate::i18n::describe::setting(crate::i18n::Locale::En.text(), &self.fault)
    }
}

/// The providers one profile configures; each screen needs its own.
#[derive(Debug, Clone, Default)]
pub struct Providers {
    pub ext: Option<ExtSettings>,
    pub poster: Option<Endpoint>,
    pub mloyalty: Option<MloyaltySettings>,
    pub regos: Option<Endpoint>,
    /// How long any request may take before it counts as "no answer".
    pub request_timeout: Option<std::time::Duration>,
    /// How long a read may take in all, its retries included.
    pub read_budget: Option<std::time::Duration>,
    /// The largest answer read from a vendor.
    pub max_response_bytes: Option<usize>,
    /// The sections that are wrong; their vendors are `None` above.
    pub faults: Vec<Fault>,
}

/// Where the console gets its data from.
#[derive(Debug, Clone)]
pub enum Backend {
    /// The built-in server, started in-process over the data dir's database.
    Embedded,
    /// A named profile from the config file.
    Profile {
        name: String,
        providers: Box<Providers>,
    },
}

/// Everything the console needs from configuration, resolved and checked.
#[derive(Debug, Clone)]
pub struct Settings {
    pub locale: Locale,
    pub backend: Backend,
    pub theme: ThemeSettings,
    pub mouse: bool,
}

impl Settings {
    /// Who the till signs in as, when the profile names someone: the seed-001 login.
    pub fn login(&self) -> Option<&str> {
        match &self.backend {
            Backend::Profile { providers, .. } => match &providers.ext.as_ref()?.credential {
                ExtCredential::ApiKey { login, .. } => Some(login),
                ExtCredential::Bearer(_) => None,
            },
            Backend::Embedded => None,
        }
    }

    /// Whether the write-off dialog asks for the receipt; the built-in server's default.
    pub fn receipt(&self) -> ReceiptMode {
        match &self.backend {
            Backend::Profile { providers, .. } => providers
                .ext
                .as_ref()
                .map_or(ReceiptMode::default(), |e| e.receipt),
            Backend::Embedded => ReceiptMode::default(),
        }
    }

    /// The profile's confirmation codes; the built-in server's say nothing of their own
    /// (its policy is the server's, told through its capabilities).
    pub fn codes(&self) -> CodeSettings {
        match &self.backend {
            Backend::Profile { providers, .. } => providers
                .ext
                .as_ref()
                .map_or(CodeSettings::default(), |e| e.codes),
            Backend::Embedded => CodeSettings::default(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

/// What `loyalty config init` writes: every key, commented, with what it does.
pub const TEMPLATE: &str = include_str!("../../assets/config.example.toml");

#[cfg(test)]
mod tests;
