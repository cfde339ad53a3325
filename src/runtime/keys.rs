//! The user's `keys.toml`, read beside the config file and laid over the key registry.

use crate::app::keys::Keymap;
use std::path::Path;

/// The effective key map: the registry, with `path` over it when the file exists. A file
/// with mistakes is refused whole, each mistake with its line, so no half-read map runs.
pub fn load(path: &Path) -> Result<Keymap, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Keymap::default()),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    Keymap::with_overrides(&text).map_err(|errors| {
        let lines: Vec<String> = errors
            .iter()
            .map(|e| format!("{}:{}: {}", path.display(), e.line, e.message))
            .collect();
        lines.join("\n")
    })
}

/// The commented default `config init` writes: every binding, each line to uncomment.
pub fn template() -> String {
    format!(
        "# Key bindings: uncomment a line and change its keys; `loyalty config keys` prints\n\
         # the map in effect. Keys: `w`, `F9`, `ctrl-c`, `alt-backspace`, `enter`, `esc`,\n\
         # `tab`, `up`, `pagedown`, `space`; one key or a list: `quit = [\"q\", \"ctrl-c\"]`.\n\
         # A key may be bound once per scope; a list scope shares the keys of [list].\n\n{}",
        Keymap::default().to_toml(true)
    )
}
