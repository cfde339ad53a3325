//! Logs go to a file (the TUI owns the terminal), filtered by `LOYALTY_LOG`.

use std::fs::OpenOptions;
use std::path::Path;
use std::sync::Mutex;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::prelude::*;

/// HTTP internals are muted by default: they would only repeat what the adapters log.
const DEFAULT_FILTER: &str = "info,hyper=warn,hyper_util=warn,reqwest=warn";

fn filter() -> Targets {
    std::env::var("LOYALTY_LOG")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| DEFAULT_FILTER.parse().unwrap_or_default())
}

/// Appends to `path`, creating it and its folder.
pub fn to_file(path: &Path) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let file = OpenOptions::new().create(true).append(true).open(path)?;
    let layer = tracing_subscriber::fmt::layer()
        .with_ansi(false)
        .with_writer(Mutex::new(file));
    let _ = tracing_subscriber::registry()
        .with(layer.with_filter(filter()))
        .try_init();
    Ok(())
}

/// For `loyalty serve`, which has no screen to protect: logs go to standard error.
pub fn to_stderr() {
    let layer = tracing_subscriber::fmt::layer()
        .with_ansi(false)
        .with_writer(std::io::stderr);
    let _ = tracing_subscriber::registry()
        .with(layer.with_filter(filter()))
        .try_init();
}
