//! The status bar (backend, spinner, last notice or error) and the hint bar built from the
//! key registry.

use super::screens;
use super::{fit, labels, theme};
use crate::app::keys::{self, Scope};
use crate::app::mouse::Target;
use crate::app::{Model, screen_tab};
use crate::i18n::{fill, fill2};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

const SPINNER: [&str; 8] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧"];

pub fn render_status(model: &Model, frame: &mut Frame, area: Rect) {
    let t = model.locale.text();
    // The tab row names the screen; the status line keeps its room for the message.
    let mut spans = vec![Span::styled(
        format!(" {} ", labels::backend(t, &model.backend)),
        theme::selected(),
    )];
    spans.push(Span::raw(if model.busy() {
        format!(" {} ", SPINNER[model.spinner % SPINNER.len()])
    } else {
        "   ".to_string()
    }));
    let used: usize = spans.iter().map(|s| s.width()).sum();
    let room = (area.width as usize).saturating_sub(used);
    let (message, style) = if let Some((_, read)) = model.slow_reads().first() {
        let seconds = model.now.duration_since(read.started).as_secs();
        let mut parts = vec![fill(t.waiting, seconds)];
        if let Some((attempt, of)) = read.attempt {
            parts.push(format!(" · {}", fill2(t.waiting_attempt, attempt, of)));
        }
        // Given as parts: the key and what it does stay together.
        parts.push(format!(" · {}", t.waiting_cancel));
        let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
        (fit::fit_parts(&parts, room), theme::key())
    } else if let Some(e) = &model.error {
        (fit::fit(&labels::error(t, e), room), theme::danger())
    } else if let Some(n) = &model.notice {
        (
            fit::fit(&labels::notice(model.locale, n), room),
            theme::good(),
        )
    } else {
        (String::new(), theme::good())
    };
    spans.push(Span::styled(message, style));
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The screens along the top, as POS software shows its function keys.
pub fn render_tabs(model: &Model, frame: &mut Frame, area: Rect) {
    let t = model.locale.text();
    let mut spans = Vec::new();
    let mut x = area.x;
    for view in &screens::SCREENS {
        // The key as the keymap has it: keys.toml may have moved it, or taken it away.
        let shows = model
            .keymap
            .keys_of(Scope::Global, keys::Action::Show(view.screen));
        let name = match shows.first() {
            Some(key) => format!("{} {}", labels::key(t, key), screen_tab(t, view.screen)),
            None => screen_tab(t, view.screen).to_string(),
        };
        let span = if view.screen == model.screen {
            Span::styled(format!(" [{name}]"), theme::selected())
        } else {
            Span::styled(format!(" {name}"), theme::muted())
        };
        let width = (span.width() as u16).min(area.right().saturating_sub(x));
        super::hits::record(Rect::new(x, area.y, width, 1), Target::Tab(view.screen));
        x += width;
        spans.push(span);
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

pub fn render_hints(model: &Model, frame: &mut Frame, area: Rect) {
    let t = model.locale.text();
    let context = model.key_context();
    let (scope, typing) = (context.scope, context.typing);
    let mut spans = Vec::new();
    let mut used = 0;
    if context.modal {
        // Say why F-keys and letters do nothing now: the dialog has the keyboard.
        let note = format!(" {}", t.hint_modal);
        used += note.chars().count();
        spans.push(Span::styled(note, theme::muted()));
    }
    let mut hinted: Vec<_> = model
        .keymap
        .for_scope(scope)
        .filter(|b| b.hinted_in(scope))
        .collect();
    // The help comes first (it leads to every other key), then the keys that matter right
    // here, then the ones that work everywhere.
    hinted.sort_by_key(|b| {
        if b.action == keys::Action::Help {
            0
        } else if b.hint == keys::Hint::Always && b.scope == Scope::Global {
            2
        } else {
            1
        }
    });
    for b in hinted {
        // Letters type into a focused field, so their global bindings are not offered there.
        let usable: Vec<_> = b
            .keys
            .iter()
            .filter(|k| !(typing && b.scope == Scope::Global && k.is_text()))
            .copied()
            .collect();
        if usable.is_empty() {
            continue;
        }
        let key = format!(" {}", labels::keys(t, &usable));
        let action = format!(" {} ", labels::action(t, b.action, b.scope));
        // Whole hints only: one that does not fit is left for the help overlay.
        let width = key.chars().count() + action.chars().count();
        if used + width > area.width as usize {
            continue;
        }
        used += width;
        spans.push(Span::styled(key, theme::key()));
        spans.push(Span::raw(action));
    }
    if spans.len() == 1 && context.modal {
        // Nothing to press while an answer is awaited: no "dialog:" with nothing after it.
        spans.clear();
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
