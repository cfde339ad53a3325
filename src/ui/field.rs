//! One-line text fields: the input with its cursor, brackets that show it without colour, and
//! a label with a focus marker.

use super::theme;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::Span;
use ratatui::widgets::Paragraph;
use tui_input::Input;

/// A bracketed one-line field (`[12,50      ]`), visible without colour.
pub fn bracketed(frame: &mut Frame, area: Rect, input: &Input, focused: bool) {
    if area.width < 3 {
        return;
    }
    let style = if focused {
        theme::focused()
    } else {
        theme::plain()
    };
    frame.render_widget(
        Paragraph::new(Span::styled("[", style)),
        Rect { width: 1, ..area },
    );
    frame.render_widget(
        Paragraph::new(Span::styled("]", style)),
        Rect {
            x: area.right() - 1,
            width: 1,
            ..area
        },
    );
    input_line(
        frame,
        Rect {
            x: area.x + 1,
            width: area.width - 2,
            ..area
        },
        input,
        focused,
    );
}

/// A one-line text field that scrolls horizontally and puts the cursor where it is.
pub fn input_line(frame: &mut Frame, area: Rect, input: &Input, focused: bool) {
    let width = area.width.max(1) as usize;
    let scroll = input.visual_scroll(width.saturating_sub(1));
    frame.render_widget(
        Paragraph::new(input.value()).scroll((0, scroll as u16)),
        area,
    );
    if focused {
        let x = input.visual_cursor().max(scroll) - scroll;
        frame.set_cursor_position(Position::new(area.x + x as u16, area.y));
    }
}

/// `▶ Label    [value     ]` on one row: `label` padded to its width, then the field.
pub fn labelled(
    frame: &mut Frame,
    row: Rect,
    (label, label_width): (&str, usize),
    field_width: u16,
    input: &Input,
    focused: bool,
) {
    let marker = if focused { "▶ " } else { "  " };
    let style = if focused {
        theme::focused()
    } else {
        theme::plain()
    };
    frame.render_widget(
        Paragraph::new(Span::styled(
            format!("{marker}{label:<label_width$}"),
            style,
        )),
        row,
    );
    let x = (label_width + 2) as u16;
    let area = Rect::new(
        row.x + x,
        row.y,
        field_width.min(row.width.saturating_sub(x)),
        1,
    );
    bracketed(frame, area, input, focused);
}

/// A reason chosen from the short list, the chosen one bracketed and highlighted, after its
/// label; ↑/↓ change it.
pub fn reason(
    frame: &mut Frame,
    row: Rect,
    (label, label_width): (&str, usize),
    t: &crate::i18n::Text,
    chosen: Option<crate::domain::reversal::ReasonCode>,
    focused: bool,
) {
    let marker = if focused { "▶ " } else { "  " };
    let style = if focused {
        theme::focused()
    } else {
        theme::plain()
    };
    let mut spans = vec![Span::styled(
        format!("{marker}{label:<label_width$}"),
        style,
    )];
    for code in crate::domain::reversal::ReasonCode::ALL {
        let name = crate::i18n::describe::reason_code(t, code);
        spans.push(if Some(code) == chosen {
            Span::styled(format!("[{name}]"), theme::selected())
        } else {
            Span::raw(format!(" {name} "))
        });
    }
    frame.render_widget(Paragraph::new(ratatui::text::Line::from(spans)), row);
}
