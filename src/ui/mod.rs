//! `view(&Model, &mut Frame)`: draws the model, one file per pane and dialog. Reads the
//! model only; never calls anything.

mod accumulations;
mod bonus_mismatch;
mod card;
mod card_operations;
mod card_picker;
mod cashier;
mod coupons;
mod field;
mod filter;
mod filter_bar;
mod fit;
mod group_form;
mod group_remove;
mod groups;
mod help;
mod history;
mod hits;
mod journal;
#[cfg(test)]
mod key_table;
mod labels;
mod messages;
mod not_configured;
mod outlook;
mod quit_confirm;
mod registrations;
mod results;
mod reversal;
mod screens;
mod search;
mod shift;
#[cfg(test)]
mod snapshot_tests;
mod status;
mod table;
pub mod theme;
mod write_off;

use crate::app::Model;
use crate::app::model::{Dialog, Pane};
use crate::i18n::{fill, fill2};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::{Block, Paragraph, Wrap};
use std::ops::Range;

pub use crate::app::model::{MIN_HEIGHT, MIN_WIDTH};

pub use hits::Hits;

/// Hits as a frame would record them, for the runtime's tests.
#[cfg(test)]
pub fn hits_for_tests(drawn: &[(Rect, crate::app::mouse::Target)]) -> Hits {
    hits::start();
    for (area, target) in drawn {
        hits::record(*area, *target);
    }
    hits::finish()
}

/// Draws `paragraph` on the top rows of `area` that its text fills. A paragraph restyles
/// every cell of the area it is given, twice, before it writes a character: on a tall pane
/// that costs more than the text, for rows that stay blank.
fn render_text(frame: &mut Frame, paragraph: Paragraph, area: Rect) {
    let rows =
        u16::try_from(paragraph.line_count(area.width)).map_or(area.height, |n| n.min(area.height));
    frame.render_widget(
        paragraph,
        Rect {
            height: rows,
            ..area
        },
    );
}

/// Draws the model; returns where the tabs and rows went, for the mouse.
pub fn view(model: &Model, frame: &mut Frame) -> Hits {
    hits::start();
    draw(model, frame);
    scrub(frame.buffer_mut());
    hits::finish()
}

/// The last net behind the adapters' cleaning: no cell reaches the terminal with a character
/// it would act on (a control, an escape, a bidi override), whatever drew it.
fn scrub(buffer: &mut ratatui::buffer::Buffer) {
    for cell in buffer.content.iter_mut() {
        // Most cells hold one printable ASCII byte; only the rest are decoded and checked.
        if let [b' '..=b'~'] = cell.symbol().as_bytes() {
            continue;
        }
        if cell.symbol().chars().any(crate::domain::text::is_unsafe) {
            cell.set_symbol(" ");
        }
    }
}

fn draw(model: &Model, frame: &mut Frame) {
    let area = frame.area();
    let t = model.locale.text();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let message = fill2(
            t.too_small,
            format!("{}×{}", area.width, area.height),
            format!("{MIN_WIDTH}×{MIN_HEIGHT}"),
        );
        frame.render_widget(Paragraph::new(message).wrap(Wrap { trim: true }), area);
        return;
    }
    let [tabs_area, main, status_area, hints_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    status::render_tabs(model, frame, tabs_area);
    let screen = screens::view(model.screen);
    if crate::app::screen_available(model, model.screen) {
        (screen.render)(model, frame, main);
    } else {
        not_configured::render(model, screen, frame, main);
    }
    status::render_status(model, frame, status_area);
    status::render_hints(model, frame, hints_area);
    match &model.dialog {
        Some(Dialog::Help(h)) => help::render(model, h, frame, area),
        Some(Dialog::Messages(selected)) => messages::render(model, *selected, frame, area),
        Some(Dialog::WriteOff(d)) => write_off::render(model, d, frame, area),
        Some(Dialog::HistoryFilter(d)) => filter::render(model, d, frame, area),
        Some(Dialog::GroupForm(f)) => group_form::render(model, f, frame, area),
        Some(Dialog::GroupRemove(r)) => group_remove::render(model, r, frame, area),
        Some(Dialog::BonusMismatch(b)) => bonus_mismatch::render(model, b, frame, area),
        Some(Dialog::CardPicker(p)) => card_picker::render(model, p, frame, area),
        Some(Dialog::Reversal(d)) => reversal::render(model, d, frame, area),
        Some(Dialog::ShiftReport(s)) => shift::render(model, s, frame, area),
        None => {}
    }
    if let Some(what) = model.quit_asked {
        quit_confirm::render(model, what, frame, area);
    }
}

/// What a list pane shows instead of its rows: the failure, "loading…", or its empty text.
fn placeholder<T>(
    t: &crate::i18n::Text,
    remote: &crate::app::model::Remote<Vec<T>>,
    empty: &str,
) -> Option<(String, ratatui::style::Style)> {
    match (&remote.data, &remote.error) {
        (_, Some(e)) if !remote.is_loading() => {
            Some((fill(t.failed, labels::error(t, e)), theme::danger()))
        }
        (None, _) => Some((t.loading.to_string(), theme::muted())),
        (Some(rows), _) if rows.is_empty() => Some((empty.to_string(), theme::muted())),
        _ => None,
    }
}

/// An admin table's frame: the titled block (saying "loading…" and "exporting…" in its
/// title), then a row for the filter fields, a row for options or problems, and the body.
fn table_frame(
    model: &Model,
    frame: &mut Frame,
    area: Rect,
    mut title: String,
    loading: bool,
) -> [Rect; 3] {
    let t = model.locale.text();
    if loading {
        title = format!("{title} · {}", t.loading);
    }
    if model.exporting.is_some() {
        title = format!("{title} · {}", t.exporting);
    }
    let block = pane_block(model, None, title);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(inner)
}

/// A bordered block whose look says whether it has the focus (colour and a marker, so it
/// reads without colour too).
fn pane_block(model: &Model, pane: Option<Pane>, title: String) -> Block<'static> {
    let focused = pane.is_some_and(|p| p == model.focus) && model.dialog.is_none();
    let title = if focused {
        format!("▶ {title} ")
    } else {
        format!(" {title} ")
    };
    Block::bordered().title(title).border_style(if focused {
        theme::focused()
    } else {
        theme::plain()
    })
}

/// The rows of a list of `len` that fit in `height` with `selected` visible: only these are
/// built, so a long list costs the same per frame as a short one.
fn window(len: usize, selected: usize, height: usize) -> Range<usize> {
    if height == 0 || len == 0 {
        return 0..0;
    }
    let start = selected
        .saturating_sub(height - 1)
        .min(len.saturating_sub(height));
    start..(start + height).min(len)
}

/// A dialog of `width` × `height` with a danger border and `title`, centred in `area` over
/// what is beneath; returns the space inside its border.
fn danger_dialog(frame: &mut Frame, area: Rect, (width, height): (u16, u16), title: &str) -> Rect {
    let rect = centered(area, width, height);
    frame.render_widget(ratatui::widgets::Clear, rect);
    let block = ratatui::widgets::Block::bordered()
        .title(format!(" {title} "))
        .border_style(theme::danger());
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    inner
}

/// The text of a danger dialog, a column in from its border and a row down from its title.
fn dialog_text(frame: &mut Frame, inner: Rect, lines: Vec<ratatui::text::Line<'_>>) {
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: true }),
        Rect::new(
            inner.x + 1,
            inner.y + 1,
            inner.width.saturating_sub(2),
            inner.height.saturating_sub(1),
        ),
    );
}

/// A centred rectangle of at most `width`×`height` inside `area`.
fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// Cuts `text` to `width` display columns, marking the cut with `…`.
fn truncate(text: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    let mut out = String::new();
    let mut used = 0;
    let total: usize = text.chars().map(|c| c.width().unwrap_or(0)).sum();
    if total <= width {
        return text.to_string();
    }
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(c);
    }
    if width > 0 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_keeps_selection_visible() {
        assert_eq!(window(100, 0, 10), 0..10);
        assert_eq!(window(100, 15, 10), 6..16);
        assert_eq!(window(100, 99, 10), 90..100);
        assert_eq!(window(3, 2, 10), 0..3);
        assert_eq!(window(0, 0, 10), 0..0);
        assert_eq!(window(5, 0, 0), 0..0);
    }

    #[test]
    fn truncate_counts_columns() {
        assert_eq!(truncate("Иван Петров", 20), "Иван Петров");
        assert_eq!(truncate("Иван Петров", 6), "Иван …");
        assert_eq!(truncate("abc", 0), "");
    }

    #[test]
    fn text_on_its_rows_draws_what_the_whole_area_would() {
        use ratatui::Terminal;
        use ratatui::backend::TestBackend;
        use ratatui::text::Line;
        let lines = || {
            vec![
                Line::from("Телефон — в любом виде: +7 912 345-67-89,"),
                Line::from("89123456789 или последние 4+ цифры."),
                Line::from(""),
                Line::from("% заменяет любую часть строки."),
            ]
        };
        for (width, height) in [(60, 20), (20, 20), (12, 4), (8, 1)] {
            let area = Rect::new(0, 0, width, height);
            let mut whole = Terminal::new(TestBackend::new(width, height)).unwrap();
            whole
                .draw(|f| f.render_widget(Paragraph::new(lines()).wrap(Wrap { trim: false }), area))
                .unwrap();
            let mut rows = Terminal::new(TestBackend::new(width, height)).unwrap();
            rows.draw(|f| render_text(f, Paragraph::new(lines()).wrap(Wrap { trim: false }), area))
                .unwrap();
            assert_eq!(
                rows.backend().buffer(),
                whole.backend().buffer(),
                "{width}x{height}"
            );
        }
    }
}
