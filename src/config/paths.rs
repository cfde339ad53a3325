//! Where the config file, the database and the logs live.

use super::ConfigError;
use directories::ProjectDirs;
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct Paths {
    pub config_file: PathBuf,
    /// Whether the config file was named explicitly (then it must exist).
    pub config_explicit: bool,
    pub data_dir: PathBuf,
    /// The console's logs: `$XDG_STATE_HOME/loyalty`, the data dir where the platform has
    /// no state dir.
    pub state_dir: PathBuf,
}

impl Paths {
    /// `--config` / `LOYALTY_CONFIG` name the file; `LOYALTY_CONFIG_DIR`,
    /// `LOYALTY_DATA_DIR` and `LOYALTY_STATE_DIR` override the platform directories.
    pub fn resolve(
        config_flag: Option<PathBuf>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Paths, ConfigError> {
        let dirs = ProjectDirs::from("", "", "loyalty");
        let config_dir = env("LOYALTY_CONFIG_DIR")
            .map(PathBuf::from)
            .or_else(|| dirs.as_ref().map(|d| d.config_dir().to_path_buf()));
        let data_dir = env("LOYALTY_DATA_DIR")
            .map(PathBuf::from)
            .or_else(|| dirs.as_ref().map(|d| d.data_dir().to_path_buf()))
            .ok_or_else(|| {
                ConfigError("no home directory found: set LOYALTY_DATA_DIR".to_string())
            })?;
        let state_dir = env("LOYALTY_STATE_DIR")
            .map(PathBuf::from)
            .or_else(|| dirs.as_ref().and_then(|d| d.state_dir()).map(PathBuf::from))
            .unwrap_or_else(|| data_dir.clone());
        let explicit = config_flag.or_else(|| env("LOYALTY_CONFIG").map(PathBuf::from));
        let config_file = match (&explicit, config_dir) {
            (Some(file), _) => file.clone(),
            (None, Some(dir)) => dir.join("config.toml"),
            (None, None) => {
                return Err(ConfigError(
                    "no home directory found: set LOYALTY_CONFIG_DIR".to_string(),
                ));
            }
        };
        Ok(Paths {
            config_file,
            config_explicit: explicit.is_some(),
            data_dir,
            state_dir,
        })
    }

    pub fn database(&self) -> PathBuf {
        self.data_dir.join("loyalty.db")
    }

    /// The write-off journal (JSON lines, append-only).
    pub fn journal(&self) -> PathBuf {
        self.data_dir.join("journal.jsonl")
    }

    /// The user's key bindings, beside the config file.
    pub fn keys_file(&self) -> PathBuf {
        self.config_file.with_file_name("keys.toml")
    }

    /// Where CSV exports are written.
    pub fn exports(&self) -> PathBuf {
        self.data_dir.join("exports")
    }
}
