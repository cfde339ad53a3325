//! Each vendor's section of a profile, checked on its own: its URL, its one credential and
//! its secrets (from the file or the environment), every mistake found, not only the first,
//! so that one vendor's mistake leaves only that vendor off.

use super::*;
use crate::domain::LOGIN_MAX;
use crate::domain::codes::CodePolicy;
use crate::domain::setting::{Problem, SettingFault};

impl ProfileFile {
    /// The profile's providers; a section that is wrong is left out and said in `faults`, so
    /// one vendor's mistake never stops the others. Only a profile with no section at all is
    /// an error.
    pub(super) fn check(
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
        let policy = match &self.code_policy {
            None => Some(CodePolicy::default()),
            Some(text) => found.take(
                CodePolicy::parse(text)
                    .map_err(|e| fault(format!("{at}.code_policy"), Problem::Shape(e))),
            ),
        };
        found.done(
            url.and(credential)
                .zip(policy)
                .map(|(credential, policy)| ExtSettings {
                    base_url: self.base_url.clone(),
                    credential,
                    write_off: self.write_off,
                    receipt: self.receipt,
                    codes: CodeSettings {
                        policy,
                        from: self.codes,
                        fallback: self.code_fallback,
                    },
                }),
        )
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
