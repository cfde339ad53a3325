//! The arrows between the layers point inward, as `docs/architecture.md` draws them: each
//! folder of `src/` may name (`crate::…`) only the modules its row allows. A new import that
//! points outward fails here with the file that has it.

use std::collections::BTreeSet;
use std::path::Path;

/// Each layer and the modules of the crate it may use, besides itself.
const ALLOWED: &[(&str, &[&str])] = &[
    ("domain", &[]),
    ("clock", &[]),
    ("limit", &[]),
    ("wire", &["domain"]),
    ("i18n", &["domain"]),
    ("config", &["domain", "i18n", "wire"]),
    ("app", &["domain", "i18n"]),
    ("ui", &["app", "domain", "i18n"]),
    ("backend", &["clock", "config", "domain", "limit", "wire"]),
    ("server", &["clock", "domain", "limit", "wire"]),
    // What both faces of the till do: launching the services (the built-in server
    // among them), the journal, the write-off's send, exports, logging. No model, no view,
    // no terminal.
    ("ops", &["backend", "config", "domain", "server"]),
    // The scriptable face: the services `ops` launches, printed for scripts. It knows no
    // model, view, terminal loop or server.
    ("cli", &["backend", "config", "domain", "i18n", "ops"]),
    // The composition root: it wires everything together.
    (
        "runtime",
        &[
            "app", "backend", "clock", "config", "domain", "i18n", "ops", "server", "ui", "wire",
        ],
    ),
];

/// Libraries a layer must not name: the pure core knows no terminal, network, runtime or
/// database, and the view draws without them.
const FOREIGN: &[(&str, &[&str])] = &[
    (
        "app",
        &["crossterm", "tokio", "reqwest", "axum", "rusqlite"],
    ),
    (
        "domain",
        &["crossterm", "tokio", "reqwest", "axum", "rusqlite"],
    ),
    ("ui", &["crossterm", "tokio", "reqwest", "axum", "rusqlite"]),
];

/// The `crate::X` modules `source` names, comments left out.
fn named_modules(source: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for line in source.lines() {
        let code = line.split("//").next().unwrap_or("");
        for (at, _) in code.match_indices("crate::") {
            let rest = &code[at + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                found.insert(name);
            }
        }
    }
    found
}

/// The modules `source`, in layer `layer`, names that its row does not allow.
fn outward(layer: &str, source: &str) -> Vec<String> {
    let allowed = ALLOWED
        .iter()
        .find(|(l, _)| *l == layer)
        .map(|(_, a)| *a)
        .unwrap_or_else(|| panic!("{layer} is not in the table"));
    named_modules(source)
        .into_iter()
        .filter(|m| m != layer && !allowed.contains(&m.as_str()))
        .collect()
}

/// The libraries of `FOREIGN` that `source`, in `layer`, names outside comments.
fn foreign(layer: &str, source: &str) -> Vec<&'static str> {
    let banned = FOREIGN
        .iter()
        .find(|(l, _)| *l == layer)
        .map_or(&[][..], |(_, b)| *b);
    banned
        .iter()
        .copied()
        .filter(|lib| {
            source.lines().any(|line| {
                let code = line.split("//").next().unwrap_or("");
                code.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .any(|word| word == *lib)
            })
        })
        .collect()
}

fn sources(path: &Path, out: &mut Vec<std::path::PathBuf>) {
    if path.is_dir() {
        for entry in std::fs::read_dir(path).unwrap() {
            sources(&entry.unwrap().path(), out);
        }
    } else if path.is_file() && path.extension().is_some_and(|e| e == "rs") {
        out.push(path.to_path_buf());
    }
}

#[test]
fn every_import_points_inward() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut violations = Vec::new();
    for (layer, _) in ALLOWED {
        let mut files = Vec::new();
        sources(&src.join(layer), &mut files);
        sources(&src.join(format!("{layer}.rs")), &mut files);
        assert!(!files.is_empty(), "no sources for {layer}");
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            for module in outward(layer, &text) {
                violations.push(format!("{}: {layer} uses crate::{module}", file.display()));
            }
            for lib in foreign(layer, &text) {
                violations.push(format!("{}: {layer} names {lib}", file.display()));
            }
        }
    }
    assert!(
        violations.is_empty(),
        "outward imports:\n{}",
        violations.join("\n")
    );
}

/// The check itself catches an outward arrow (app reaching for the network) and lets inward
/// ones and comments be.
#[test]
fn an_outward_import_is_caught() {
    let fixture = "use crate::domain::Amount;\nuse crate::backend::Services;\n// crate::server in a comment\n";
    assert_eq!(outward("app", fixture), ["backend"]);
    assert!(outward("ui", "use crate::app::Model;").is_empty());
    assert_eq!(outward("server", "let x = crate::ui::view;"), ["ui"]);
}

/// The pure core names no terminal library: keys arrive as the console's own type.
#[test]
fn a_terminal_library_in_the_core_is_caught() {
    let fixture = "use ratatui::crossterm::event::KeyEvent;\n// crossterm in a comment\n";
    assert_eq!(foreign("app", fixture), ["crossterm"]);
    assert!(foreign("app", "use crate::app::keys::key::Key;").is_empty());
    assert!(foreign("runtime", "use ratatui::crossterm::event;").is_empty());
}

/// The request lists name every command and message: a new request cannot be left out of
/// the record `update` keeps (a reply it does not clear would leave the wait on screen and
/// take Esc), because the compiler asks where it belongs.
#[test]
fn the_request_lists_have_no_catch_all() {
    for file in ["src/app/msg.rs", "src/app/msg/cmd.rs"] {
        let msg =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(file)).unwrap();
        let code: String = msg
            .lines()
            .map(|l| l.split("//").next().unwrap_or(""))
            .collect::<Vec<_>>()
            .join("\n");
        assert!(
            !code.contains("_ =>"),
            "{file} matches with a catch-all: name each variant"
        );
    }
}
