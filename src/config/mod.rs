//! Configuration: where files live, the TOML file with its profiles, and secrets.

mod paths;
mod secret;

pub use paths::Paths;
pub use secret::Secret;

use crate::domain::LOGIN_MAX;
use crate::i18n::Locale;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// The config file as written. Unknown keys are errors, so a typo never silently falls back
/// to a default.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    pub default_profile: Option<String>,
    /// Seconds before a request without an answer gives up (15 when not set).
    pub request_timeout_seconds: Option<f64>,
    /// The largest vendor answer read, in megabytes (16 when not set).
    pub max_response_mb: Option<u32>,
    pub locale: Option<Locale>,
    #[serde(default)]
    pub profiles: BTreeMap<String, ProfileFile>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileFile {
    pub ext: Option<ExtFile>,
    pub poster: Option<PosterFile>,
    pub mloyalty: Option<MloyaltyFile>,
    pub regos: Option<RegosFile>,
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
}

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
    /// The largest answer read from a vendor.
    pub max_response_bytes: Option<usize>,
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
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

impl ConfigFile {
    /// Reads `path`; a missing file is an empty config unless `required`.
    pub fn load(path: &Path, required: bool) -> Result<ConfigFile, ConfigError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Self::parse(&text)
                .map_err(|e| ConfigError(format!("config {}: {}", path.display(), e.0))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => {
                Ok(ConfigFile::default())
            }
            Err(e) => Err(ConfigError(format!("config {}: {e}", path.display()))),
        }
    }

    pub fn parse(text: &str) -> Result<ConfigFile, ConfigError> {
        toml::from_str(text).map_err(|e| ConfigError(e.to_string().trim_end().to_string()))
    }

    /// Picks the profile (`--profile`, else `default_profile`, else the embedded server),
    /// checks it, and reads secrets from the environment where the file says so.
    pub fn resolve(
        &self,
        profile: Option<&str>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Settings, ConfigError> {
        let locale = self.locale.unwrap_or_else(|| Locale::from_env(&env));
        let chosen = profile
            .map(str::to_string)
            .or_else(|| self.default_profile.clone());
        let backend = match chosen {
            None => Backend::Embedded,
            Some(name) => {
                let file = self.profiles.get(&name).ok_or_else(|| {
                    let known: Vec<&str> = self.profiles.keys().map(String::as_str).collect();
                    ConfigError(format!(
                        "profile {name:?} is not in the config (profiles: {})",
                        if known.is_empty() {
                            "none".to_string()
                        } else {
                            known.join(", ")
                        }
                    ))
                })?;
                let mut providers = file.check(&format!("profiles.{name}"), &env)?;
                providers.request_timeout = match self.request_timeout_seconds {
                    None => None,
                    Some(s) if s.is_finite() && (0.1..=600.0).contains(&s) => {
                        Some(std::time::Duration::from_secs_f64(s))
                    }
                    Some(s) => {
                        return Err(ConfigError(format!(
                            "request_timeout_seconds = {s} must be between 0.1 and 600"
                        )));
                    }
                };
                providers.max_response_bytes = match self.max_response_mb {
                    None => None,
                    Some(mb @ 1..=1024) => Some(mb as usize * 1024 * 1024),
                    Some(mb) => {
                        return Err(ConfigError(format!(
                            "max_response_mb = {mb} must be between 1 and 1024"
                        )));
                    }
                };
                Backend::Profile {
                    name,
                    providers: Box::new(providers),
                }
            }
        };
        Ok(Settings { locale, backend })
    }
}

impl ProfileFile {
    fn check(
        &self,
        at: &str,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Providers, ConfigError> {
        let required = |key: &str, secret: Option<Secret>| {
            secret.ok_or_else(|| ConfigError(format!("{at}: give {key} or {key}_env")))
        };
        let providers = Providers {
            ext: self
                .ext
                .as_ref()
                .map(|e| e.check(&format!("{at}.ext"), &env))
                .transpose()?,
            poster: self
                .poster
                .as_ref()
                .map(|p| {
                    let secret = (p.token.as_deref(), p.token_env.as_deref());
                    endpoint(&format!("{at}.poster"), &p.base_url, "token", secret, &env)
                })
                .transpose()?,
            mloyalty: match &self.mloyalty {
                None => None,
                Some(m) => {
                    let at = format!("{at}.mloyalty");
                    check_url(&format!("{at}.base_url"), &m.base_url)?;
                    if crate::wire::mloyalty::phone_login(&m.username).is_none() {
                        return Err(ConfigError(format!(
                            "{at}.username must be the manager's phone number (digits, as 79123456789): Mloyalty reads the login as a number"
                        )));
                    }
                    let password = secret_from(
                        &at,
                        "password",
                        m.password.as_deref(),
                        m.password_env.as_deref(),
                        &env,
                    )?;
                    let endpoint = Endpoint {
                        base_url: m.base_url.clone(),
                        secret: required("mloyalty.password", password)?,
                    };
                    Some(MloyaltySettings {
                        endpoint,
                        username: m.username.trim().to_string(),
                        token: m.token,
                        operator: m.operator,
                    })
                }
            },
            request_timeout: None,
            max_response_bytes: None,
            regos: self
                .regos
                .as_ref()
                .map(|r| {
                    let secret = (
                        r.integration_key.as_deref(),
                        r.integration_key_env.as_deref(),
                    );
                    endpoint(
                        &format!("{at}.regos"),
                        &r.base_url,
                        "integration_key",
                        secret,
                        &env,
                    )
                })
                .transpose()?,
        };
        if providers.ext.is_none()
            && providers.poster.is_none()
            && providers.mloyalty.is_none()
            && providers.regos.is_none()
        {
            return Err(ConfigError(format!(
                "{at} configures no provider: add [{at}.ext], .poster, .mloyalty or .regos"
            )));
        }
        Ok(providers)
    }
}

impl ExtFile {
    fn check(
        &self,
        at: &str,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<ExtSettings, ConfigError> {
        check_url(&format!("{at}.base_url"), &self.base_url)?;
        let api_key = secret_from(
            at,
            "api_key",
            self.api_key.as_deref(),
            self.api_key_env.as_deref(),
            &env,
        )?;
        let token = secret_from(
            at,
            "token",
            self.token.as_deref(),
            self.token_env.as_deref(),
            &env,
        )?;
        let credential = match (self.login.as_deref(), api_key, token) {
            (Some(login), Some(api_key), None) => {
                let login = login.trim();
                if login.is_empty()
                    || login.chars().count() > LOGIN_MAX
                    || login.chars().any(char::is_control)
                {
                    return Err(ConfigError(format!(
                        "{at}.login must be the user's email or phone (1 to {LOGIN_MAX} characters)"
                    )));
                }
                ExtCredential::ApiKey {
                    login: login.to_string(),
                    api_key,
                }
            }
            (None, None, Some(token)) => ExtCredential::Bearer(token),
            (Some(_), None, None) => {
                return Err(ConfigError(format!(
                    "{at}: login needs api_key or api_key_env"
                )));
            }
            (None, Some(_), None) => {
                return Err(ConfigError(format!(
                    "{at}: api_key needs login (the user's email or phone)"
                )));
            }
            (_, Some(_), Some(_)) | (Some(_), None, Some(_)) => {
                return Err(ConfigError(format!(
                    "{at}: give login with api_key, or token, not both"
                )));
            }
            (None, None, None) => {
                return Err(ConfigError(format!(
                    "{at}: give login with api_key (or api_key_env), or token (or token_env)"
                )));
            }
        };
        Ok(ExtSettings {
            base_url: self.base_url.clone(),
            credential,
            write_off: self.write_off,
        })
    }
}

/// A provider's URL and its one required secret, given inline or by an environment
/// variable (`(inline, env_name)`), checked.
fn endpoint(
    at: &str,
    base_url: &str,
    key: &str,
    (inline, env_name): (Option<&str>, Option<&str>),
    env: impl Fn(&str) -> Option<String>,
) -> Result<Endpoint, ConfigError> {
    check_url(&format!("{at}.base_url"), base_url)?;
    let secret = secret_from(at, key, inline, env_name, env)?
        .ok_or_else(|| ConfigError(format!("{at}: give {key} or {key}_env")))?;
    Ok(Endpoint {
        base_url: base_url.to_string(),
        secret,
    })
}

fn check_url(key: &str, value: &str) -> Result<(), ConfigError> {
    let url = reqwest::Url::parse(value)
        .map_err(|e| ConfigError(format!("{key} = {value:?} is not a URL: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(ConfigError(format!(
            "{key} = {value:?} must start with http:// or https://"
        )));
    }
    if url.query().is_some() {
        return Err(ConfigError(format!(
            "{key} must not carry a query string; put secrets in token or token_env"
        )));
    }
    Ok(())
}

/// A secret given inline (`token = "..."`) or by naming an environment variable
/// (`token_env = "VAR"`), never both.
fn secret_from(
    at: &str,
    key: &str,
    inline: Option<&str>,
    env_name: Option<&str>,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Option<Secret>, ConfigError> {
    let value = match (inline, env_name) {
        (Some(_), Some(_)) => {
            return Err(ConfigError(format!(
                "{at}: give either {key} or {key}_env, not both"
            )));
        }
        (Some(value), None) => value.to_string(),
        (None, Some(var)) => env(var)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| ConfigError(format!("{at}.{key}_env names {var}, which is not set")))?,
        (None, None) => return Ok(None),
    };
    // Credentials travel in HTTP headers, which carry printable ASCII only.
    if !value.chars().all(|c| c.is_ascii_graphic()) {
        return Err(ConfigError(format!(
            "{at}.{key}: the value must be printable ASCII without spaces"
        )));
    }
    Ok(Some(Secret::new(value)))
}

/// Whether a config file that holds secrets inline can be read by other users (Unix
/// permissions beyond the owner's), which deserves a warning at start.
pub fn secrets_exposed(path: &Path, file: &ConfigFile) -> bool {
    let inline = file.profiles.values().any(|p| {
        p.ext
            .as_ref()
            .is_some_and(|e| e.token.is_some() || e.api_key.is_some())
            || p.poster.as_ref().is_some_and(|e| e.token.is_some())
            || p.mloyalty.as_ref().is_some_and(|e| e.password.is_some())
            || p.regos
                .as_ref()
                .is_some_and(|e| e.integration_key.is_some())
    });
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        inline && std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o077 != 0)
    }
    #[cfg(not(unix))]
    {
        let _ = (path, inline);
        false
    }
}

/// What `loyalty config init` writes: every key, commented, with what it does.
pub const TEMPLATE: &str = include_str!("../../assets/config.example.toml");

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn empty_config_means_embedded() {
        let s = ConfigFile::parse("")
            .unwrap()
            .resolve(None, no_env)
            .unwrap();
        assert!(matches!(s.backend, Backend::Embedded));
        assert_eq!(s.locale, Locale::En);
    }

    fn ext(body: &str) -> Result<ExtCredential, String> {
        let text = format!("[profiles.a.ext]\nbase_url = \"http://x\"\n{body}");
        let env = |k: &str| (k == "KEY").then(|| "k-123".to_string());
        ConfigFile::parse(&text)
            .map_err(|e| e.0)?
            .resolve(Some("a"), env)
            .map_err(|e| e.0)
            .map(|s| match s.backend {
                Backend::Profile { providers, .. } => providers.ext.unwrap().credential,
                Backend::Embedded => unreachable!(),
            })
    }

    #[test]
    fn ext_takes_login_with_api_key_or_a_token_and_says_what_is_wrong() {
        let c = ext("login = \"kassa@shop.ru\"\napi_key_env = \"KEY\"\n").unwrap();
        assert!(matches!(
            c,
            ExtCredential::ApiKey { ref login, ref api_key }
                if login == "kassa@shop.ru" && api_key.expose() == "k-123"
        ));
        assert!(matches!(
            ext("token = \"t\"\n").unwrap(),
            ExtCredential::Bearer(_)
        ));
        for (body, says) in [
            ("login = \"79123456789\"\n", "login needs api_key"),
            ("api_key = \"k\"\n", "api_key needs login"),
            (
                "login = \"l\"\napi_key = \"k\"\ntoken = \"t\"\n",
                "not both",
            ),
            ("", "give login with api_key"),
            ("login = \" \"\napi_key = \"k\"\n", "email or phone"),
            (
                "login = \"l\"\napi_key_env = \"NOPE\"\n",
                "api_key_env names NOPE",
            ),
        ] {
            let e = ext(body).unwrap_err();
            assert!(
                e.contains("profiles.a.ext") && e.contains(says),
                "{body}: {e}"
            );
        }
    }

    #[test]
    fn a_mloyalty_login_is_a_phone_and_ids_may_be_given() {
        let parse = |body: &str| {
            let text =
                format!("[profiles.a.mloyalty]\nbase_url = \"http://x\"\npassword = \"p\"\n{body}");
            ConfigFile::parse(&text)
                .map_err(|e| e.0)?
                .resolve(Some("a"), no_env)
                .map_err(|e| e.0)
                .map(|s| match s.backend {
                    Backend::Profile { providers, .. } => providers.mloyalty.unwrap(),
                    Backend::Embedded => unreachable!(),
                })
        };
        let err = parse("username = \"manager\"\n").unwrap_err();
        assert!(
            err.contains("profiles.a.mloyalty.username must be the manager's phone number"),
            "{err}"
        );
        let m = parse("username = \"+79123456789\"\ntoken = 1001\noperator = 12\n").unwrap();
        assert_eq!((m.token, m.operator), (Some(1001), Some(12)));
        let err = parse("username = \"79123456789\"\ntoken = \"x\"\n").unwrap_err();
        assert!(err.contains("token"), "{err}");
    }

    #[test]
    fn template_parses() {
        ConfigFile::parse(TEMPLATE).unwrap();
    }

    #[test]
    fn profile_with_token_env() {
        let cfg = ConfigFile::parse(
            "default_profile = \"shop\"\nlocale = \"ru\"\n[profiles.shop.ext]\nbase_url = \"http://127.0.0.1:9\"\ntoken_env = \"T\"\n",
        )
        .unwrap();
        let s = cfg
            .resolve(None, |k| (k == "T").then(|| "abc".to_string()))
            .unwrap();
        assert_eq!(s.locale, Locale::Ru);
        match s.backend {
            Backend::Profile { name, providers } => {
                assert_eq!(name, "shop");
                let ext = providers.ext.unwrap();
                assert!(matches!(ext.credential, ExtCredential::Bearer(t) if t.expose() == "abc"));
                assert!(providers.poster.is_none());
            }
            Backend::Embedded => panic!("expected the shop profile"),
        }
        let err = cfg.resolve(None, no_env).unwrap_err().0;
        assert!(err.contains("profiles.shop.ext.token_env names T"), "{err}");
    }

    #[test]
    fn admin_providers_with_secrets_from_the_environment() {
        let cfg = ConfigFile::parse(
            "[profiles.office.poster]\nbase_url = \"https://shop.joinposter.com\"\ntoken_env = \"P\"\n\
             [profiles.office.mloyalty]\nbase_url = \"https://api.example.ru/lc/\"\nusername = \"79123456789\"\npassword = \"pw\"\n\
             [profiles.office.regos]\nbase_url = \"https://integration.regos.uz\"\nintegration_key = \"k1\"\n",
        )
        .unwrap();
        let s = cfg
            .resolve(Some("office"), |k| (k == "P").then(|| "tok".to_string()))
            .unwrap();
        let Backend::Profile { providers, .. } = s.backend else {
            panic!("a profile")
        };
        assert!(providers.ext.is_none());
        assert_eq!(providers.poster.unwrap().secret.expose(), "tok");
        let ml = providers.mloyalty.unwrap();
        assert_eq!(
            (ml.endpoint.secret.expose(), ml.username.as_str()),
            ("pw", "79123456789")
        );
        assert_eq!(providers.regos.unwrap().secret.expose(), "k1");
        let missing = ConfigFile::parse("[profiles.o.regos]\nbase_url = \"https://x\"\n").unwrap();
        let err = missing.resolve(Some("o"), no_env).unwrap_err().0;
        assert!(
            err.contains("profiles.o.regos: give integration_key"),
            "{err}"
        );
        let empty = ConfigFile::parse("[profiles.o]\n").unwrap();
        assert!(
            empty
                .resolve(Some("o"), no_env)
                .unwrap_err()
                .0
                .contains("configures no provider")
        );
    }

    #[cfg(unix)]
    #[test]
    fn inline_secrets_in_a_readable_file_are_flagged() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        let inline = "[profiles.a.ext]\nbase_url = \"http://x\"\ntoken = \"t\"\n";
        std::fs::write(&path, inline).unwrap();
        let file = ConfigFile::parse(inline).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(secrets_exposed(&path, &file));
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert!(!secrets_exposed(&path, &file));
        let by_env =
            ConfigFile::parse("[profiles.a.ext]\nbase_url = \"http://x\"\ntoken_env = \"T\"\n")
                .unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(!secrets_exposed(&path, &by_env), "no secret in the file");
    }

    #[test]
    fn errors_name_the_key() {
        let err = ConfigFile::parse("[profiles.a.ext]\nbase_ur = \"x\"\n")
            .unwrap_err()
            .0;
        assert!(err.contains("base_ur"), "{err}");
        let cfg = ConfigFile::parse("[profiles.a.ext]\nbase_url = \"ftp://x\"\n").unwrap();
        let err = cfg.resolve(Some("a"), no_env).unwrap_err().0;
        assert!(err.contains("profiles.a.ext.base_url"), "{err}");
        let err = cfg.resolve(Some("b"), no_env).unwrap_err().0;
        assert!(err.contains("profile \"b\""), "{err}");
        let cfg =
            ConfigFile::parse("[profiles.a.ext]\nbase_url = \"http://x\"\ntoken = \"ключ\"\n")
                .unwrap();
        let err = cfg.resolve(Some("a"), no_env).unwrap_err().0;
        assert!(
            err.contains("profiles.a.ext.token") && !err.contains("ключ"),
            "{err}"
        );
        let err = ConfigFile::parse("locale = \"de\"").unwrap_err().0;
        assert!(err.contains("locale") || err.contains("de"), "{err}");
    }
}
