//! The registry as the console runs it: the built-in bindings with the user's `keys.toml`
//! laid over them. Key handling, the hint bar, the help and `loyalty config keys` all read
//! this one map, so the keys shown are the keys that work.

use super::key::Key;
use super::{Action, BINDINGS, Binding, FIELD, HELP, MOVES, Scope};
use std::collections::BTreeMap;
use std::fmt;
use toml::Spanned;

#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: Vec<Binding>,
    moves: Vec<Binding>,
    field: Vec<Binding>,
    help: Vec<Binding>,
}

impl Default for Keymap {
    fn default() -> Keymap {
        Keymap {
            bindings: BINDINGS.concat(),
            moves: MOVES.to_vec(),
            field: FIELD.to_vec(),
            help: HELP.to_vec(),
        }
    }
}

/// A mistake in `keys.toml`, with the line it is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyError {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// One key or several: `write_off = "F9"` or `quit = ["q", "ctrl-c"]`.
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum Keys {
    One(String),
    Many(Vec<String>),
}

type Scopes = BTreeMap<Spanned<String>, BTreeMap<Spanned<String>, Spanned<Keys>>>;

/// A name as `keys.toml` writes it: `WriteOffForm` → `write_off_form`, `Show(Groups)` →
/// `show_groups`, `Move(PageUp)` → `move_page_up`.
fn snake(debug: &str) -> String {
    let mut out = String::new();
    for c in debug.chars() {
        match c {
            '(' => out.push('_'),
            ')' => {}
            c if c.is_uppercase() => {
                if !out.is_empty() && !out.ends_with('_') {
                    out.push('_');
                }
                out.extend(c.to_lowercase());
            }
            c => out.push(c),
        }
    }
    out
}

pub fn scope_name(scope: Scope) -> String {
    snake(&format!("{scope:?}"))
}

pub fn action_name(action: Action) -> String {
    snake(&format!("{action:?}"))
}

impl Keymap {
    /// The built-in map with `keys.toml`'s text laid over it. Every mistake is reported, each
    /// with its line: an unknown scope or action, a key that is no key, a key bound twice in
    /// one scope.
    pub fn with_overrides(text: &str) -> Result<Keymap, Vec<KeyError>> {
        let line = |at: usize| text[..at.min(text.len())].matches('\n').count() + 1;
        let scopes: Scopes = toml::from_str(text).map_err(|e| {
            let at = e.span().map_or(0, |s| s.start);
            vec![KeyError {
                line: line(at),
                message: e.message().trim().to_string(),
            }]
        })?;
        let mut map = Keymap::default();
        let mut errors = Vec::new();
        // Which line set each (scope, key), to name the later one of a clash.
        let mut set_at: Vec<(Scope, Key, usize)> = Vec::new();
        for (scope_text, actions) in &scopes {
            let known = map
                .all()
                .map(|b| b.scope)
                .find(|s| scope_name(*s) == *scope_text.get_ref());
            let Some(scope) = known else {
                errors.push(KeyError {
                    line: line(scope_text.span().start),
                    message: format!(
                        "no scope [{}]; `loyalty config keys` lists them",
                        scope_text.get_ref()
                    ),
                });
                continue;
            };
            for (action_text, keys) in actions {
                let at = line(action_text.span().start);
                let Some(binding) = map
                    .all_mut()
                    .find(|b| b.scope == scope && action_name(b.action) == *action_text.get_ref())
                else {
                    errors.push(KeyError {
                        line: at,
                        message: format!(
                            "no action `{}` in [{}]",
                            action_text.get_ref(),
                            scope_text.get_ref()
                        ),
                    });
                    continue;
                };
                let names = match keys.get_ref() {
                    Keys::One(k) => vec![k.clone()],
                    Keys::Many(ks) => ks.clone(),
                };
                let mut parsed = Vec::new();
                for name in &names {
                    match Key::parse(name) {
                        Some(key) => parsed.push(key),
                        None => errors.push(KeyError {
                            line: at,
                            message: format!(
                                "`{name}` is no key (e.g. `w`, `F9`, `ctrl-c`, `pagedown`)"
                            ),
                        }),
                    }
                }
                set_at.extend(parsed.iter().map(|k| (scope, *k, at)));
                binding.keys = parsed.into();
            }
        }
        errors.extend(map.clashes(&set_at));
        if errors.is_empty() {
            Ok(map)
        } else {
            errors.sort_by_key(|e| e.line);
            errors.dedup();
            Err(errors)
        }
    }

    /// Keys bound twice in one scope (a list scope's moves included), named by the line of
    /// `keys.toml` that made each clash.
    fn clashes(&self, set_at: &[(Scope, Key, usize)]) -> Vec<KeyError> {
        let mut errors = Vec::new();
        for &(scope, key, at) in set_at {
            let mut scopes = vec![scope];
            // A move's key clashes with every list's own keys, and theirs with it.
            if scope == Scope::List {
                scopes.extend(
                    self.bindings
                        .iter()
                        .map(|b| b.scope)
                        .filter(|s| s.is_list()),
                );
            }
            for s in scopes {
                let bound: Vec<Action> = self
                    .own(s)
                    .filter(|b| b.keys.iter().any(|k| k.matches(&key)))
                    .map(|b| b.action)
                    .collect();
                if bound.len() > 1 {
                    let actions: Vec<String> = bound.iter().map(|a| action_name(*a)).collect();
                    errors.push(KeyError {
                        line: at,
                        message: format!(
                            "`{}` is bound twice in [{}]: {}",
                            key.name(),
                            scope_name(s),
                            actions.join(", ")
                        ),
                    });
                }
            }
        }
        errors
    }

    /// The map as `keys.toml` text, scope by scope in the registry's order: what `loyalty
    /// config keys` prints, and with `commented`, the default file `config init` writes
    /// (every line a comment, to uncomment and change).
    pub fn to_toml(&self, commented: bool) -> String {
        let mut scopes: Vec<Scope> = Vec::new();
        for b in self.all() {
            if !scopes.contains(&b.scope) {
                scopes.push(b.scope);
            }
        }
        let hash = if commented { "# " } else { "" };
        let mut out = String::new();
        for scope in scopes {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(&format!("{hash}[{}]\n", scope_name(scope)));
            for b in self.all().filter(|b| b.scope == scope) {
                let keys: Vec<String> = b
                    .keys
                    .iter()
                    .map(|k| toml::Value::String(k.name()).to_string())
                    .collect();
                let keys = match keys.as_slice() {
                    [one] => one.clone(),
                    _ => format!("[{}]", keys.join(", ")),
                };
                out.push_str(&format!("{hash}{} = {keys}\n", action_name(b.action)));
            }
        }
        out
    }

    /// Every binding: the registry's, then the moves, the field keys and the help's.
    pub fn all(&self) -> impl Iterator<Item = &Binding> {
        [&self.bindings, &self.moves, &self.field, &self.help]
            .into_iter()
            .flatten()
    }

    /// The scoped bindings: the registry's, the field keys and the help's, not the moves.
    pub(super) fn registry(&self) -> impl Iterator<Item = &Binding> {
        [&self.bindings, &self.field, &self.help]
            .into_iter()
            .flatten()
    }

    fn all_mut(&mut self) -> impl Iterator<Item = &mut Binding> {
        [
            &mut self.bindings,
            &mut self.moves,
            &mut self.field,
            &mut self.help,
        ]
        .into_iter()
        .flatten()
    }

    /// The bindings of one registry scope, without the moves (the help lists those apart).
    pub fn in_scope(&self, scope: Scope) -> impl Iterator<Item = &Binding> {
        self.bindings.iter().filter(move |b| b.scope == scope)
    }

    pub fn moves(&self) -> &[Binding] {
        &self.moves
    }

    /// The keys an action has in a scope of the registry, as `keys.toml` left them (none
    /// when it unbound them).
    pub fn keys_of(&self, scope: Scope, action: Action) -> &[Key] {
        self.in_scope(scope)
            .find(|b| b.action == action)
            .map_or(&[], |b| &b.keys[..])
    }

    pub fn field(&self) -> &[Binding] {
        &self.field
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::keys::key::KeyCode;

    fn errors(text: &str) -> Vec<String> {
        Keymap::with_overrides(text)
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn names_are_the_registry_in_snake_case() {
        assert_eq!(scope_name(Scope::WriteOffForm), "write_off_form");
        assert_eq!(action_name(Action::WriteOff), "write_off");
        assert_eq!(
            action_name(Action::Show(crate::app::model::Screen::CardOperations)),
            "show_card_operations"
        );
        assert_eq!(
            action_name(Action::Move(super::super::Move::PageUp)),
            "move_page_up"
        );
    }

    #[test]
    fn a_rebinding_replaces_the_keys_of_that_action_only() {
        let map = Keymap::with_overrides(
            "# the till's keyboard has F-keys\n[global]\nwrite_off = \"F9\"\n\n[list]\nmove_down = [\"down\", \"ctrl-n\"]\n",
        )
        .unwrap();
        let f9 = Key::plain(KeyCode::F(9));
        assert_eq!(
            map.resolve(Scope::Results, false, &f9),
            Some(Action::WriteOff)
        );
        assert_eq!(map.resolve(Scope::Results, false, &Key::char('w')), None);
        assert_eq!(
            map.resolve(Scope::Groups, false, &Key::ctrl('n')),
            Some(Action::Move(super::super::Move::Down))
        );
        assert_eq!(map.resolve(Scope::Groups, false, &Key::char('j')), None);
        assert_eq!(
            map.resolve(Scope::Results, false, &Key::char('q')),
            Some(Action::Quit),
            "the rest stay as they were"
        );
        assert!(
            map.for_scope(Scope::Results)
                .any(|b| b.action == Action::WriteOff && *b.keys == [f9])
        );
        let empty = Keymap::with_overrides("").unwrap();
        assert_eq!(
            empty.resolve(Scope::Results, false, &Key::char('w')),
            Some(Action::WriteOff)
        );
    }

    #[test]
    fn the_printed_map_reads_back_as_itself() {
        let default = Keymap::default();
        let again = Keymap::with_overrides(&default.to_toml(false)).unwrap();
        assert_eq!(again.to_toml(false), default.to_toml(false));
        let commented = Keymap::with_overrides(&default.to_toml(true)).unwrap();
        assert_eq!(commented.to_toml(false), default.to_toml(false));
        let moved = Keymap::with_overrides("[global]\nwrite_off = \"F9\"\n").unwrap();
        assert!(moved.to_toml(false).contains("\nwrite_off = \"F9\"\n"));
    }

    #[test]
    fn field_keys_can_be_rebound_too() {
        let map = Keymap::with_overrides(
            "[field]\nedit_clear = \"ctrl-k\"\nedit_delete_to_end = \"alt-k\"\n",
        )
        .unwrap();
        assert_eq!(
            map.field_request(&Key::ctrl('k')),
            Some(tui_input::InputRequest::DeleteLine)
        );
        assert_eq!(map.field_request(&Key::ctrl('u')), None);
    }

    #[test]
    fn each_mistake_is_named_with_its_line() {
        let text = "[global]\nwrte_off = \"F9\"\nquit = \"ctrl-q-x\"\n[nowhere]\nquit = \"q\"\n[results]\nwrite_off = \"w\"\n";
        assert_eq!(
            errors(text),
            [
                "line 2: no action `wrte_off` in [global]",
                "line 3: `ctrl-q-x` is no key (e.g. `w`, `F9`, `ctrl-c`, `pagedown`)",
                "line 4: no scope [nowhere]; `loyalty config keys` lists them",
                "line 7: no action `write_off` in [results]",
            ]
        );
    }

    #[test]
    fn a_key_bound_twice_in_a_scope_names_the_line_that_did_it() {
        assert_eq!(
            errors("[global]\n\nwrite_off = \"q\"\n"),
            ["line 3: `q` is bound twice in [global]: quit, write_off"]
        );
        // A list's own key against the moves every list shares.
        assert_eq!(
            errors("[groups]\nnew_group = \"j\"\n"),
            ["line 2: `j` is bound twice in [groups]: new_group, move_down"]
        );
        assert_eq!(
            errors("[list]\nmove_top = \"n\"\n"),
            ["line 2: `n` is bound twice in [groups]: new_group, move_top"]
        );
    }

    #[test]
    fn text_that_is_not_toml_or_not_keys_is_an_error_with_its_line() {
        let e = errors("[global]\nquit = \n");
        assert!(e[0].starts_with("line 2: "), "{e:?}");
        let e = errors("[global]\nquit = 5\n");
        assert!(e[0].starts_with("line 2: "), "{e:?}");
    }
}
