//! `loyalty config path|init|keys|check`: where the files are, the commented templates, the
//! key bindings in effect, and every mistake in the files the console reads.

use crate::args::ConfigAction;
use crate::{emit, env};
use loyalty_console::backend::Services;
use loyalty_console::cli;
use loyalty_console::config::{Backend, ConfigFile, Paths, TEMPLATE};
use loyalty_console::ops::{self, logging};
use loyalty_console::runtime;
use std::path::PathBuf;

/// `loyalty config check`: every mistake in the files the console reads (config.toml, all
/// its profiles; keys.toml), then one harmless read per provider of the profile in use. A
/// mistake exits 2, as the console would refuse it; a provider that fails, 3.
pub async fn check(config: Option<PathBuf>, profile: Option<&str>) -> Result<(), cli::Failure> {
    let usage = |message: String| cli::Failure::new(cli::Exit::Usage, message);
    let paths = Paths::resolve(config, env).map_err(|e| usage(e.0))?;
    let config_file = paths.config_file.display().to_string();
    let (file, unknown) = match std::fs::read_to_string(&paths.config_file) {
        Ok(text) => ConfigFile::parse_listing_unknown(&text)
            .map_err(|e| usage(format!("config {config_file}: {}", e.0)))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !paths.config_explicit => {
            (ConfigFile::default(), Vec::new())
        }
        Err(e) => return Err(usage(format!("config {config_file}: {e}"))),
    };
    let mut mistakes: Vec<String> = unknown
        .into_iter()
        .chain(file.faults(env))
        .map(|f| format!("{config_file}: {f}"))
        .collect();
    let settings = file.resolve(profile, env);
    if let Err(e) = &settings {
        let said = format!("{config_file}: {}", e.0);
        if !mistakes
            .iter()
            .any(|m| *m == said || said.ends_with(m.as_str()))
        {
            mistakes.push(said);
        }
    }
    if let Err(e) = runtime::keys::load(&paths.keys_file()) {
        // One line per mistake in keys.toml, as for the config.
        mistakes.extend(e.lines().map(str::to_string));
    }
    let mut out = std::io::stdout();
    for mistake in &mistakes {
        emit(&mut out, format!("mistake: {mistake}\n"))?;
    }
    let failures = match settings.as_ref().map(|s| &s.backend) {
        Err(_) => 0,
        Ok(Backend::Embedded) => {
            emit(
                &mut out,
                "no profile selected: the console uses its built-in server; no provider to call\n",
            )?;
            0
        }
        Ok(Backend::Profile { name, providers }) => {
            let tz = jiff::tz::TimeZone::system();
            let (services, _) = Services::from_providers(providers);
            emit(&mut out, format!("profile {name}:\n"))?;
            ops::check::run(&services, &tz, &mut out)
                .await
                .map_err(|e| cli::Exit::of_output(&e))?
        }
    };
    match (mistakes.len(), failures) {
        (0, 0) => Ok(()),
        (0, n) => Err(cli::Failure::new(
            cli::Exit::Failed,
            format!("{n} provider(s) failed"),
        )),
        (n, _) => Err(usage(format!(
            "{n} {} in the configuration: what {} names stays off until it is fixed",
            if n == 1 { "mistake" } else { "mistakes" },
            if n == 1 { "it" } else { "each" },
        ))),
    }
}

pub fn config(config: Option<PathBuf>, action: ConfigAction) -> Result<(), cli::Failure> {
    let usage = |message: String| cli::Failure::new(cli::Exit::Usage, message);
    let failed = |message: String| cli::Failure::new(cli::Exit::Failed, message);
    let paths = Paths::resolve(config, env).map_err(|e| usage(e.0))?;
    let mut out = std::io::stdout();
    match action {
        ConfigAction::Path => emit(
            &mut out,
            format!(
                "config:   {}\ndatabase: {}\nlogs:     {} ({}.YYYY-MM-DD.{}, the last {} days kept)\n",
                paths.config_file.display(),
                paths.database().display(),
                paths.state_dir.display(),
                logging::FILE_PREFIX,
                logging::FILE_SUFFIX,
                logging::KEPT_DAYS
            ),
        ),
        ConfigAction::Init => {
            if let Some(dir) = paths.config_file.parent() {
                std::fs::create_dir_all(dir)
                    .map_err(|e| failed(format!("{}: {e}", dir.display())))?;
            }
            let files = [
                (paths.config_file.clone(), TEMPLATE.to_string()),
                (paths.keys_file(), runtime::keys::template()),
            ];
            let mut kept = Vec::new();
            for (path, text) in files {
                match write_private(&path, &text) {
                    Ok(()) => emit(&mut out, format!("wrote {}\n", path.display()))?,
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                        kept.push(format!(
                            "{} already exists; not overwritten",
                            path.display()
                        ));
                    }
                    Err(e) => return Err(failed(format!("{}: {e}", path.display()))),
                }
            }
            // Nothing written at all is worth a non-zero exit; one file kept is not.
            match kept.len() {
                2 => Err(cli::Failure::new(cli::Exit::Refused, kept.join("\n"))),
                _ => {
                    kept.iter().for_each(|k| eprintln!("loyalty: {k}"));
                    Ok(())
                }
            }
        }
        ConfigAction::Keys => {
            let keymap = runtime::keys::load(&paths.keys_file()).map_err(usage)?;
            emit(&mut out, keymap.to_toml(false))
        }
        ConfigAction::Check => unreachable!("handled before: it needs the async runtime"),
    }
}

/// Writes a new file only its owner can read: the config will hold secrets. An existing
/// file is left alone (`create_new`), even one made between the check and the write.
fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(text.as_bytes())
}
