//! Logs: the console's go to a file a day in the state dir (the TUI owns the terminal), the
//! server's to standard error. What is logged comes from `--log-level`, else `LOYALTY_LOG`.

use std::path::Path;
use tracing_appender::rolling::{Builder, RollingFileAppender, Rotation};
use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::prelude::*;

/// HTTP internals are muted by default: they would only repeat what the adapters log.
const DEFAULT_FILTER: &str = "info,hyper=warn,hyper_util=warn,reqwest=warn";

/// Days of console logs kept: older files are removed when a new day's file is opened.
pub const KEPT_DAYS: usize = 14;

/// The console's log files in the state dir: `loyalty.YYYY-MM-DD.log`.
pub const FILE_PREFIX: &str = "loyalty";
pub const FILE_SUFFIX: &str = "log";

/// What to log.
#[derive(Debug, Clone)]
pub struct Level(Targets);

impl Level {
    /// From `--log-level`, else `LOYALTY_LOG`, else the default; with a warning for the user
    /// when the one given is not a level or filter (the default is used then), so that a
    /// typo is said rather than silently logging something else.
    pub fn choose(flag: Option<&str>, env: Option<&str>) -> (Level, Option<String>) {
        let given = flag
            .map(|f| ("--log-level", f))
            .or_else(|| env.map(|e| ("LOYALTY_LOG", e)));
        let default = || Level(DEFAULT_FILTER.parse().unwrap_or_default());
        match given {
            None => (default(), None),
            Some((from, text)) => match parse(text) {
                Ok(targets) => (Level(targets), None),
                Err(why) => {
                    let warning = format!(
                        "{from} {text:?} is not a log level or filter ({why}); logging at info. \
                         Levels: error, warn, info, debug, trace; a filter: info,loyalty=debug"
                    );
                    (default(), Some(warning))
                }
            },
        }
    }
}

/// A level, or `target=level` directives. Every directive must name a level: the filter
/// syntax would take a bare word for a target to log everything of, and a mistyped level
/// would then log nothing the user meant.
fn parse(text: &str) -> Result<Targets, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("it is empty".to_string());
    }
    for directive in text.split(',') {
        let level = directive
            .rsplit_once('=')
            .map_or(directive, |(_, l)| l)
            .trim();
        level
            .parse::<LevelFilter>()
            .map_err(|_| format!("{level:?} is not a level"))?;
    }
    text.parse()
        .map_err(|e: tracing_subscriber::filter::ParseError| e.to_string())
}

/// Appends to the day's file in `dir`, creating it; keeps the last [`KEPT_DAYS`] files.
/// Each event is one line there too: the embedded server logs what tills send.
pub fn to_dir(dir: &Path, level: &Level) -> Result<(), String> {
    let layer = tracing_subscriber::fmt::layer()
        .with_ansi(false)
        .with_writer(super::log_line::OneLine(appender(dir)?));
    let _ = tracing_subscriber::registry()
        .with(layer.with_filter(level.0.clone()))
        .try_init();
    Ok(())
}

/// The day's file in `dir`; older days beyond [`KEPT_DAYS`] are removed now and at each
/// new day.
fn appender(dir: &Path) -> Result<RollingFileAppender, String> {
    super::private::dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    Builder::new()
        .rotation(Rotation::DAILY)
        .filename_prefix(FILE_PREFIX)
        .filename_suffix(FILE_SUFFIX)
        .max_log_files(KEPT_DAYS)
        .build(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))
}

/// For `loyalty serve`, which has no screen to protect: logs go to standard error, each
/// event on one line whatever text of its callers it carries.
pub fn to_stderr(level: &Level) {
    let layer = tracing_subscriber::fmt::layer()
        .with_ansi(false)
        .with_writer(super::log_line::OneLine(std::io::stderr));
    let _ = tracing_subscriber::registry()
        .with(layer.with_filter(level.0.clone()))
        .try_init();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flag_wins_and_a_bad_level_is_a_warning_not_silence() {
        let (level, warning) = Level::choose(Some("debug"), Some("nonsense=="));
        assert!(warning.is_none());
        assert_eq!(level.0.to_string(), "debug");
        let (level, warning) = Level::choose(None, Some("warn,loyalty=trace"));
        assert!(warning.is_none());
        assert!(level.0.to_string().contains("loyalty=trace"));
        for bad in ["lodd", "info,x=loud", " "] {
            let (level, warning) = Level::choose(Some(bad), None);
            let warning = warning.expect(bad);
            assert!(
                warning.contains("--log-level") && warning.contains("logging at info"),
                "{warning}"
            );
            assert_eq!(
                level.0.to_string(),
                Level::choose(None, None).0.0.to_string()
            );
        }
        let (_, warning) = Level::choose(None, Some("lodd"));
        assert!(warning.unwrap().starts_with("LOYALTY_LOG \"lodd\""));
    }

    #[test]
    fn a_file_a_day_and_the_last_fourteen_kept() {
        let dir = tempfile::tempdir().unwrap();
        for day in 1..=20 {
            let name = format!("{FILE_PREFIX}.2026-10-{day:02}.{FILE_SUFFIX}");
            std::fs::write(dir.path().join(name), "old\n").unwrap();
            // Days are told apart by when their files were made.
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        std::fs::write(dir.path().join("journal.jsonl"), "kept\n").unwrap();
        let _appender = appender(dir.path()).unwrap();
        let mut logs: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".log"))
            .collect();
        logs.sort();
        assert_eq!(logs.len(), KEPT_DAYS, "{logs:?}");
        assert!(
            !logs.contains(&"loyalty.2026-10-07.log".to_string()),
            "{logs:?}"
        );
        assert!(
            logs.contains(&"loyalty.2026-10-08.log".to_string()),
            "{logs:?}"
        );
        let today = jiff::Zoned::now()
            .with_time_zone(jiff::tz::TimeZone::UTC)
            .date();
        assert!(logs.contains(&format!("loyalty.{today}.log")), "{logs:?}");
        assert!(dir.path().join("journal.jsonl").exists());
    }
}
