//! The config file as written: its TOML shapes, before any secret is read or URL checked.

use super::{CodeFallbackMode, CodesFrom, ReceiptMode, WriteOffMode};
use crate::i18n::Locale;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use std::collections::BTreeMap;

/// The config file as written. Unknown keys are errors, so a typo never silently falls back
/// to a default.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    pub default_profile: Option<String>,
    /// Seconds before a request without an answer gives up (15 when not set).
    pub request_timeout_seconds: Option<f64>,
    /// Seconds a read (a search, a balance) may take in all, its retries included (8 when not
    /// set): a cashier waits no longer for a vendor that does not answer.
    pub read_budget_seconds: Option<f64>,
    /// The largest vendor answer read, in megabytes (16 when not set).
    pub max_response_mb: Option<u32>,
    pub locale: Option<Locale>,
    /// `"dark"`, `"light"`, `"mono"`, or a table with a `base` and colours by role; read by
    /// `ThemeSettings::from_file`, which names the key of any mistake.
    pub theme: Option<toml::Value>,
    /// Mouse clicks, double clicks and the wheel (off: the terminal's own selection works).
    pub mouse: Option<bool>,
    #[serde(default)]
    pub profiles: BTreeMap<String, ProfileFile>,
}

/// A profile: one section per vendor. A section that does not read (a missing or unknown
/// key, a wrong type) is kept as its error, so the other vendors still work.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileFile {
    pub ext: Option<Section<ExtFile>>,
    pub poster: Option<Section<PosterFile>>,
    pub mloyalty: Option<Section<MloyaltyFile>>,
    pub regos: Option<Section<RegosFile>>,
}

/// One vendor's section of a profile: as written, and read or what is wrong with it.
#[derive(Debug)]
pub struct Section<T> {
    raw: toml::Value,
    pub read: Result<T, String>,
}

impl<T> Section<T> {
    /// The section as written, whether it reads or not.
    pub fn raw(&self) -> &toml::Value {
        &self.raw
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Section<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Only the TOML syntax of the whole file is everyone's; the section's own shape is
        // its vendor's.
        let raw = toml::Value::deserialize(deserializer)?;
        let read = raw
            .clone()
            .try_into()
            .map_err(|e: toml::de::Error| e.to_string().trim_end().to_string());
        Ok(Section { raw, read })
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PosterFile {
    pub base_url: String,
    pub token: Option<String>,
    pub token_env: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MloyaltyFile {
    pub base_url: String,
    /// The manager's phone number: the vendor reads the login as a 64-bit integer.
    pub username: String,
    pub password: Option<String>,
    pub password_env: Option<String>,
    /// For a JWT without a `token` claim: the manager token the request bodies carry.
    pub token: Option<i64>,
    /// For a JWT without an `oper` claim: the operator id the request bodies carry.
    pub operator: Option<i64>,
    /// The zone the vendor counts days in and writes its dates in: an offset (`+03:00`)
    /// or an IANA name; Moscow time (`+03:00`) when not given.
    pub time_zone: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegosFile {
    pub base_url: String,
    pub integration_key: Option<String>,
    pub integration_key_env: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtFile {
    pub base_url: String,
    /// The user's email or phone, sent with `api_key` on every call (the vendor's own form).
    pub login: Option<String>,
    pub api_key: Option<String>,
    pub api_key_env: Option<String>,
    /// The alternative: a bearer token.
    pub token: Option<String>,
    pub token_env: Option<String>,
    /// `"direct"` (seed 001's write-off, the default) or `"hold"` (hold, then write the hold
    /// off, as the vendor's fiscal document describes).
    #[serde(default)]
    pub write_off: WriteOffMode,
    /// `"off"`, `"optional"` (the default) or `"required"`: whether the write-off dialog
    /// asks for the receipt's number and total.
    #[serde(default)]
    pub receipt: ReceiptMode,
    /// `"always"`, `"never"` (the default) or `"above:AMOUNT"`: when a write-off needs the
    /// client's confirmation code, whatever the provider's own policy.
    pub code_policy: Option<String>,
    /// `"provider"` (the default) or `"mloyalty"`: where codes are sent and checked.
    #[serde(default)]
    pub codes: CodesFrom,
    /// `"refuse"` (the default) or `"manager"`: where the policy wants a code and nothing
    /// can check one, refuse the write-off or take a manager's PIN in its place.
    #[serde(default)]
    pub code_fallback: CodeFallbackMode,
}
