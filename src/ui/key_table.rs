//! README's key table, made from the key registry with the English labels the help uses, so
//! the README cannot drift from what the keys do. `UPDATE_README=1 cargo test readme` writes
//! it; otherwise the test fails when README differs.

use super::labels;
use crate::app::keys::{BINDINGS, Binding, FIELD, HELP, MOVES, Scope};
use crate::i18n::Locale;

const START: &str = "<!-- keys: generated from the key registry; do not edit -->\n";
const END: &str = "<!-- keys: end -->\n";

/// Every binding, one row each, grouped by scope in the order the registry first names them.
fn table() -> String {
    let t = Locale::En.text();
    let all: Vec<&Binding> = BINDINGS
        .iter()
        .chain(&[MOVES, FIELD, HELP])
        .copied()
        .flatten()
        .collect();
    let mut scopes: Vec<Scope> = Vec::new();
    for b in &all {
        if !scopes.contains(&b.scope) {
            scopes.push(b.scope);
        }
    }
    let mut out = String::from("| where | key | does |\n|---|---|---|\n");
    for scope in scopes {
        let mut first = true;
        for b in all.iter().filter(|b| b.scope == scope) {
            let keys: Vec<String> = b
                .keys
                .iter()
                .map(|k| format!("`{}`", labels::key(t, k)))
                .collect();
            let place = if first { labels::scope(t, scope) } else { "" };
            out.push_str(&format!(
                "| {place} | {} | {} |\n",
                keys.join(" / ").replace('|', "\\|"),
                labels::action(t, b.action, b.scope)
            ));
            first = false;
        }
    }
    out
}

#[test]
fn readme_key_table_is_the_registry() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let (Some(start), Some(end)) = (readme.find(START), readme.find(END)) else {
        panic!("README.md has no generated key table between its markers");
    };
    let current = &readme[start + START.len()..end];
    let wanted = table();
    if current == wanted {
        return;
    }
    if std::env::var_os("UPDATE_README").is_some() {
        let updated = format!("{}{START}{wanted}{}", &readme[..start], &readme[end..]);
        std::fs::write(&path, updated).unwrap();
        return;
    }
    panic!("README's key table differs from the registry: run `UPDATE_README=1 cargo test readme`");
}
