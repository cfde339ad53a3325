//! What can be wrong with a vendor's section of the configuration, as data: the console says
//! it in its own language, the command line and the log in English, from one catalogue.

/// A mistake at `at`, a key or section of the config (`profiles.shop.mloyalty`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingFault {
    pub at: String,
    pub problem: Problem,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The section does not read (a missing key, an unknown one, a wrong type): the TOML
    /// library's own words.
    Shape(String),
    /// `base_url` is no URL; `why` in the URL library's words.
    NotAUrl {
        value: String,
        why: String,
    },
    NotHttp {
        value: String,
    },
    QueryInUrl,
    /// A secret given both inline and by `_env`.
    SecretTwice {
        name: &'static str,
    },
    /// `name_env` names a variable that is not set.
    EnvNotSet {
        name: &'static str,
        var: String,
    },
    /// A secret with a space or a character beyond printable ASCII.
    NotPrintable {
        name: &'static str,
    },
    /// A required secret given neither inline nor by `_env`.
    SecretMissing {
        name: &'static str,
    },
    LoginShape {
        max: usize,
    },
    LoginWithoutKey,
    KeyWithoutLogin,
    KeyAndToken,
    NoCredential,
    ManagerNotPhone,
    UnknownZone {
        value: String,
    },
    /// The vendor's client could not be made (its TLS): the library's words.
    Client(String),
}
