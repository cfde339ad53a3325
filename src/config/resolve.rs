//! From the file as written to `Settings`: the profile chosen, the limits and the theme, the
//! vendors' sections checked (`sections`); and the warning about readable secrets.

use super::ThemeSettings;
use super::*;
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
