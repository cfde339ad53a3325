//! From the file as written to `Settings`: the profile chosen, URLs checked, one credential
//! per provider, secrets read from the environment; and the warning about readable secrets.

use super::ThemeSettings;
use super::*;
use crate::domain::LOGIN_MAX;
use crate::domain::setting::{Problem, SettingFault};
use std::path::Path;

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

    /// For `config check`: the file with its unknown keys (at the top and in profiles) left
    /// out and each said, so that one typo does not hide the mistakes after it. The TOML
    /// syntax, or a known key of the wrong type, is still an error.
    pub fn parse_listing_unknown(text: &str) -> Result<(ConfigFile, Vec<String>), ConfigError> {
        const TOP: &[&str] = &[
            "default_profile",
            "request_timeout_seconds",
            "read_budget_seconds",
            "max_response_mb",
            "locale",
            "theme",
            "mouse",
            "profiles",
        ];
        const SECTIONS: &[&str] = &["ext", "poster", "mloyalty", "regos"];
        let mut table: toml::Table =
            toml::from_str(text).map_err(|e| ConfigError(e.to_string().trim_end().to_string()))?;
        let mut unknown = Vec::new();
        table.retain(|key, _| {
            let known = TOP.contains(&key);
            if !known {
                unknown.push(format!("unknown key `{key}`"));
            }
            known
        });
        if let Some(toml::Value::Table(profiles)) = table.get_mut("profiles") {
            for (name, profile) in profiles.iter_mut() {
                if let toml::Value::Table(profile) = profile {
                    profile.retain(|key, _| {
                        let known = SECTIONS.contains(&key);
                        if !known {
                            unknown.push(format!(
                                "unknown key `{key}` in [profiles.{name}] (sections: {})",
                                SECTIONS.join(", ")
                            ));
                        }
                        known
                    });
                }
            }
        }
        let file = toml::Value::Table(table)
            .try_into()
            .map_err(|e: toml::de::Error| ConfigError(e.to_string().trim_end().to_string()))?;
        Ok((file, unknown))
    }

    /// Picks the profile (`--profile`, else `default_profile`, else the embedded server),
    /// checks it, and reads secrets from the environment where the file says so. What every
    /// screen needs (the profile, the limits, the theme) is an error; a vendor's section
    /// that is wrong is a fault in `Providers::faults`, and only that vendor is off.
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
                let mut providers = self
                    .profile(&name)?
                    .check(&format!("profiles.{name}"), &env)?;
                let limits = self.limits()?;
                providers.request_timeout = limits.request_timeout;
                providers.read_budget = limits.read_budget;
                providers.max_response_bytes = limits.max_response_bytes;
                Backend::Profile {
                    name,
                    providers: Box::new(providers),
                }
            }
        };
        Ok(Settings {
            locale,
            backend,
            theme: self.theme(&env)?,
            mouse: self.mouse.unwrap_or(false),
        })
    }

    /// Every mistake in the file at once, for `config check`: the settings every screen
    /// needs, then each profile's sections (not only the chosen profile's).
    pub fn faults(&self, env: impl Fn(&str) -> Option<String>) -> Vec<String> {
        let mut all = Vec::new();
        if let Some(name) = &self.default_profile
            && let Err(e) = self.profile(name)
        {
            all.push(format!("default_profile: {}", e.0));
        }
        all.extend(self.limits().err().map(|e| e.0));
        all.extend(self.theme(&env).err().map(|e| e.0));
        for (name, profile) in &self.profiles {
            match profile.check(&format!("profiles.{name}"), &env) {
                Ok(providers) => all.extend(providers.faults.into_iter().map(|f| f.message())),
                Err(e) => all.push(e.0),
            }
        }
        all
    }

    fn profile(&self, name: &str) -> Result<&ProfileFile, ConfigError> {
        self.profiles.get(name).ok_or_else(|| {
            let known: Vec<&str> = self.profiles.keys().map(String::as_str).collect();
            ConfigError(format!(
                "profile {name:?} is not in the config (profiles: {})",
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            ))
        })
    }

    /// The request limits, each checked (they apply to every vendor).
    fn limits(&self) -> Result<Providers, ConfigError> {
        Ok(Providers {
            request_timeout: seconds("request_timeout_seconds", self.request_timeout_seconds)?,
            read_budget: seconds("read_budget_seconds", self.read_budget_seconds)?,
            max_response_bytes: match self.max_response_mb {
                None => None,
                Some(mb @ 1..=1024) => Some(mb as usize * 1024 * 1024),
                Some(mb) => {
                    return Err(ConfigError(format!(
                        "max_response_mb = {mb} must be between 1 and 1024"
                    )));
                }
            },
            ..Providers::default()
        })
    }

    fn theme(&self, env: impl Fn(&str) -> Option<String>) -> Result<ThemeSettings, ConfigError> {
        // no-color.org: set and not empty.
        let no_color = env("NO_COLOR").is_some_and(|v| !v.is_empty());
        ThemeSettings::from_file(self.theme.as_ref(), no_color)
    }
}

impl ProfileFile {
    /// The profile's providers; a section that is wrong is left out and said in `faults`, so
    /// one vendor's mistake never stops the others. Only a profile with no section at all is
    /// an error.
    fn check(
        &self,
        at: &str,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Providers, ConfigError> {
        if self.ext.is_none()
            && self.poster.is_none()
            && self.mloyalty.is_none()
            && self.regos.is_none()
        {
            return Err(ConfigError(format!(
                "{at} configures no provider: add [{at}.ext], .poster, .mloyalty or .regos"
            )));
        }
        let mut faults = Vec::new();
        let ext = section(&mut faults, at, Vendor::Ext, self.ext.as_ref(), |e, at| {
            e.check(at, &env)
        });
        let poster = section(
            &mut faults,
            at,
            Vendor::Poster,
            self.poster.as_ref(),
            |p, at| {
                let secret = (p.token.as_deref(), p.token_env.as_deref());
                endpoint(at, &p.base_url, "token", secret, &env)
            },
        );
        let mloyalty = section(
            &mut faults,
            at,
            Vendor::Mloyalty,
            self.mloyalty.as_ref(),
            |m, at| m.check(at, &env),
        );
        let regos = section(
            &mut faults,
            at,
            Vendor::Regos,
            self.regos.as_ref(),
            |r, at| {
                let secret = (
                    r.integration_key.as_deref(),
                    r.integration_key_env.as_deref(),
                );
                endpoint(at, &r.base_url, "integration_key", secret, &env)
            },
        );
        Ok(Providers {
            ext,
            poster,
            mloyalty,
            regos,
            request_timeout: None,
            read_budget: None,
            max_response_bytes: None,
            faults,
        })
    }
}

/// One vendor's section, checked: its settings, or nothing with its fault recorded.
fn section<S, T>(
    faults: &mut Vec<Fault>,
    profile: &str,
    vendor: Vendor,
    section: Option<&Section<S>>,
    check: impl FnOnce(&S, &str) -> Result<T, Vec<SettingFault>>,
) -> Option<T> {
    let at = format!("{profile}.{}", vendor.section());
    let found = match &section?.read {
        Err(e) => vec![SettingFault {
            at,
            problem: Problem::Shape(e.clone()),
        }],
        Ok(s) => match check(s, &at) {
            Ok(settings) => return Some(settings),
            Err(found) => found,
        },
    };
    faults.extend(found.into_iter().map(|fault| Fault { vendor, fault }));
    None
}

/// The mistakes a section's checks find: all of them, not only the first.
#[derive(Default)]
struct Found(Vec<SettingFault>);

impl Found {
    /// The value a check read, or `None` with its mistake kept.
    fn take<T>(&mut self, result: Result<T, SettingFault>) -> Option<T> {
        result.map_err(|f| self.0.push(f)).ok()
    }

    /// The settings, when no check found a mistake.
    fn done<T>(self, settings: Option<T>) -> Result<T, Vec<SettingFault>> {
        match settings {
            Some(settings) if self.0.is_empty() => Ok(settings),
            _ => Err(self.0),
        }
    }
}

/// A mistake at `at`.
fn fault(at: impl Into<String>, problem: Problem) -> SettingFault {
    SettingFault {
        at: at.into(),
        problem,
    }
}

impl MloyaltyFile {
    fn check(
        &self,
        at: &str,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<MloyaltySettings, Vec<SettingFault>> {
        let mut found = Found::default();
        let url = found.take(check_url(&format!("{at}.base_url"), &self.base_url));
        let login = found.take(
            crate::wire::mloyalty::phone_login(&self.username)
                .map(|_| ())
                .ok_or_else(|| fault(at, Problem::ManagerNotPhone)),
        );
        let password = found.take(
            secret_from(
                at,
                "password",
                self.password.as_deref(),
                self.password_env.as_deref(),
                &env,
            )
            .and_then(|p| p.ok_or_else(|| fault(at, Problem::SecretMissing { name: "password" }))),
        );
        let zone = found.take(match self.time_zone.as_deref() {
            None => Ok(super::moscow()),
            Some(text) => zone(text).ok_or_else(|| {
                fault(
                    at,
                    Problem::UnknownZone {
                        value: text.to_string(),
                    },
                )
            }),
        });
        let settings = url
            .and(login)
            .and(password)
            .zip(zone)
            .map(|(password, zone)| MloyaltySettings {
                endpoint: Endpoint {
                    base_url: self.base_url.clone(),
                    secret: password,
                },
                username: self.username.trim().to_string(),
                token: self.token,
                operator: self.operator,
                zone,
            });
        found.done(settings)
    }
}

impl ExtFile {
    fn check(
        &self,
        at: &str,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<ExtSettings, Vec<SettingFault>> {
        let mut found = Found::default();
        let url = found.take(check_url(&format!("{at}.base_url"), &self.base_url));
        let api_key = found.take(secret_from(
            at,
            "api_key",
            self.api_key.as_deref(),
            self.api_key_env.as_deref(),
            &env,
        ));
        let token = found.take(secret_from(
            at,
            "token",
            self.token.as_deref(),
            self.token_env.as_deref(),
            &env,
        ));
        // Which credential is meant can only be told once both secrets were read.
        let credential = api_key
            .zip(token)
            .and_then(|(api_key, token)| found.take(self.credential(at, api_key, token)));
        found.done(url.and(credential).map(|credential| ExtSettings {
            base_url: self.base_url.clone(),
            credential,
            write_off: self.write_off,
        }))
    }

    /// The one credential the section gives: `login` with `api_key`, or a `token`.
    fn credential(
        &self,
        at: &str,
        api_key: Option<Secret>,
        token: Option<Secret>,
    ) -> Result<ExtCredential, SettingFault> {
        match (self.login.as_deref(), api_key, token) {
            (Some(login), Some(api_key), None) => {
                let login = login.trim();
                if login.is_empty()
                    || login.chars().count() > LOGIN_MAX
                    || login.chars().any(char::is_control)
                {
                    return Err(fault(at, Problem::LoginShape { max: LOGIN_MAX }));
                }
                Ok(ExtCredential::ApiKey {
                    login: login.to_string(),
                    api_key,
                })
            }
            (None, None, Some(token)) => Ok(ExtCredential::Bearer(token)),
            (Some(_), None, None) => Err(fault(at, Problem::LoginWithoutKey)),
            (None, Some(_), None) => Err(fault(at, Problem::KeyWithoutLogin)),
            (_, Some(_), Some(_)) | (Some(_), None, Some(_)) => {
                Err(fault(at, Problem::KeyAndToken))
            }
            (None, None, None) => Err(fault(at, Problem::NoCredential)),
        }
    }
}

/// A provider's URL and its one required secret, given inline or by an environment
/// variable (`(inline, env_name)`), checked.
fn endpoint(
    at: &str,
    base_url: &str,
    key: &'static str,
    (inline, env_name): (Option<&str>, Option<&str>),
    env: impl Fn(&str) -> Option<String>,
) -> Result<Endpoint, Vec<SettingFault>> {
    let mut found = Found::default();
    let url = found.take(check_url(&format!("{at}.base_url"), base_url));
    let secret = found.take(
        secret_from(at, key, inline, env_name, env)
            .and_then(|s| s.ok_or_else(|| fault(at, Problem::SecretMissing { name: key }))),
    );
    found.done(url.and(secret).map(|secret| Endpoint {
        base_url: base_url.to_string(),
        secret,
    }))
}

/// A duration in seconds from the file, between 0.1 s and ten minutes.
fn seconds(key: &str, value: Option<f64>) -> Result<Option<std::time::Duration>, ConfigError> {
    match value {
        None => Ok(None),
        Some(s) if s.is_finite() && (0.1..=600.0).contains(&s) => {
            Ok(Some(std::time::Duration::from_secs_f64(s)))
        }
        Some(s) => Err(ConfigError(format!(
            "{key} = {s} must be between 0.1 and 600"
        ))),
    }
}

fn check_url(key: &str, value: &str) -> Result<(), SettingFault> {
    let url = reqwest::Url::parse(value).map_err(|e| {
        fault(
            key,
            Problem::NotAUrl {
                value: value.to_string(),
                why: e.to_string(),
            },
        )
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(fault(
            key,
            Problem::NotHttp {
                value: value.to_string(),
            },
        ));
    }
    if url.query().is_some() {
        return Err(fault(key, Problem::QueryInUrl));
    }
    Ok(())
}

/// A secret given inline (`token = "..."`) or by naming an environment variable
/// (`token_env = "VAR"`), never both.
fn secret_from(
    at: &str,
    key: &'static str,
    inline: Option<&str>,
    env_name: Option<&str>,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Option<Secret>, SettingFault> {
    let value = match (inline, env_name) {
        (Some(_), Some(_)) => return Err(fault(at, Problem::SecretTwice { name: key })),
        (Some(value), None) => value.to_string(),
        (None, Some(var)) => env(var).filter(|v| !v.is_empty()).ok_or_else(|| {
            fault(
                at,
                Problem::EnvNotSet {
                    name: key,
                    var: var.to_string(),
                },
            )
        })?,
        (None, None) => return Ok(None),
    };
    // Credentials travel in HTTP headers, which carry printable ASCII only.
    if !value.chars().all(|c| c.is_ascii_graphic()) {
        return Err(fault(at, Problem::NotPrintable { name: key }));
    }
    Ok(Some(Secret::new(value)))
}

/// Whether a config file that holds secrets inline can be read by other users (Unix
/// permissions beyond the owner's), which deserves a warning at start.
pub fn secrets_exposed(path: &Path, file: &ConfigFile) -> bool {
    // A section that does not read may still hold a secret: it counts by its keys.
    let holds = |section: Option<&toml::Value>, keys: &[&str]| {
        section
            .and_then(toml::Value::as_table)
            .is_some_and(|t| keys.iter().any(|k| t.contains_key(*k)))
    };
    let inline = file.profiles.values().any(|p| {
        holds(p.ext.as_ref().map(Section::raw), &["token", "api_key"])
            || holds(p.poster.as_ref().map(Section::raw), &["token"])
            || holds(p.mloyalty.as_ref().map(Section::raw), &["password"])
            || holds(p.regos.as_ref().map(Section::raw), &["integration_key"])
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
/// An offset (`+03:00`, `-05:30`) or an IANA zone name.
fn zone(text: &str) -> Option<jiff::tz::TimeZone> {
    let text = text.trim();
    if let Some(rest) = text.strip_prefix(['+', '-']) {
        let (h, m) = rest.split_once(':').unwrap_or((rest, "0"));
        let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
        if h > 14 || m > 59 {
            return None;
        }
        let seconds = (h * 3600 + m * 60) * if text.starts_with('-') { -1 } else { 1 };
        let offset = jiff::tz::Offset::from_seconds(seconds).ok()?;
        return Some(jiff::tz::TimeZone::fixed(offset));
    }
    jiff::tz::TimeZone::get(text).ok()
}
