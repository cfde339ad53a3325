//! What a screen without its provider shows: which provider, and the config that adds it;
//! or, when the provider's section is there but wrong, what is wrong and where.

use super::screens::ScreenView;
use super::{pane_block, theme};
use crate::app::Model;
use crate::app::model::BackendLabel;
use crate::domain::text::clean;
use crate::i18n::{describe, fill};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

pub fn render(model: &Model, screen: &ScreenView, frame: &mut Frame, area: Rect) {
    let t = model.locale.text();
    let (name, snippet) = (screen.provider, screen.config);
    let block = pane_block(
        model,
        None,
        crate::app::screen_title(t, screen.screen).to_string(),
    );
    let faults: Vec<_> = model
        .config_faults
        .iter()
        .filter(|f| f.section.eq_ignore_ascii_case(name))
        .collect();
    if let Some(first) = faults.first() {
        let mut lines = vec![
            Line::from(Span::styled(
                fill(t.config_fault, first.section),
                theme::danger(),
            )),
            Line::default(),
        ];
        lines.extend(faults.iter().map(|fault| {
            Line::from(Span::styled(
                clean(&describe::setting(t, &fault.fault)),
                theme::key(),
            ))
        }));
        lines.push(Line::default());
        lines.push(Line::from(fill(t.config_fault_hint, clean(&first.file))));
        frame.render_widget(
            Paragraph::new(lines)
                .block(block)
                .wrap(Wrap { trim: false }),
            area,
        );
        return;
    }
    let mut lines = vec![
        Line::from(Span::styled(fill(t.not_configured, name), theme::danger())),
        Line::default(),
        Line::from(match &model.config_file {
            Some(file) => fill(t.not_configured_hint_file, clean(file)),
            None => t.not_configured_hint.to_string(),
        }),
        Line::default(),
    ];
    // The snippet goes into the profile in use, so it names that one.
    let profile = match &model.backend {
        BackendLabel::Profile(name) => table_key(name),
        BackendLabel::Embedded => "shop".to_string(),
    };
    lines.extend(snippet.iter().map(|l| {
        Line::from(Span::styled(
            format!("  {}", l.replace("{profile}", &profile)),
            theme::key(),
        ))
    }));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}

/// A profile's name as a TOML table key: bare when it can be, quoted otherwise.
fn table_key(name: &str) -> String {
    let bare = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    if !name.is_empty() && name.chars().all(bare) {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

#[cfg(test)]
mod tests {
    use super::table_key;

    #[test]
    fn a_profile_name_is_quoted_only_when_toml_needs_it() {
        assert_eq!(table_key("down"), "down");
        assert_eq!(table_key("shop-2_b"), "shop-2_b");
        assert_eq!(table_key("my shop"), "\"my shop\"");
        assert_eq!(table_key("a\"b"), "\"a\\\"b\"");
    }
}
