//! The tables' common shape: a header, only the visible rows built, the selected one reversed
//! and marked, and one rule for how the columns share the width there is (`fit`).

use super::{hits, theme, truncate, window};
use crate::app::mouse::{List, Target};
use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Row, Table};
use unicode_width::UnicodeWidthStr;

/// How a column takes its share of the width.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// An amount or a count: right-aligned, shown whole or not at all.
    Number,
    /// An id, a date, a key: shown whole or not at all.
    Whole,
    /// Words: takes the spare width, and is cut at its end with `…` when there is too little.
    Text,
}

/// Each column's title and how it fits, left to right.
pub struct Columns<'a>(pub Vec<(&'a str, Fit)>);

/// The narrowest a text column is squeezed to before a whole column is dropped.
const TEXT_MIN: usize = 8;

/// Columns between columns.
const GAP: usize = 1;

/// How wide each column is drawn in `width` columns, `None` for one left out. Every column
/// gets what its title and `rows` need while they fit. When they do not, text columns shrink
/// (to `TEXT_MIN` at most), then whole columns are left out from the right, the first one
/// (what the row is) last: an amount or an id is never cut, nor its title. Width to spare goes to the text
/// columns, all growing together, until they are whole; what is left stays at the right.
pub fn fit(width: u16, columns: &Columns, rows: &[Vec<String>]) -> Vec<Option<usize>> {
    let fits: Vec<Fit> = columns.0.iter().map(|(_, f)| *f).collect();
    let n = fits.len();
    let content: Vec<usize> = (0..n)
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|c| c.width())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let need: Vec<usize> = (0..n)
        .map(|i| content[i].max(columns.0[i].0.width()))
        .collect();
    // A whole column is shown with its title whole too: a column of `…` over short values
    // (an empty coupon list, `1,50`) says nothing; the rightmost is left out instead.
    let least: Vec<usize> = (0..n)
        .map(|i| match fits[i] {
            Fit::Text => need[i].min(TEXT_MIN),
            Fit::Number | Fit::Whole => need[i].max(1),
        })
        .collect();
    let used = |shown: &[bool], w: &[usize]| {
        let count = shown.iter().filter(|s| **s).count();
        (0..n).filter(|i| shown[*i]).map(|i| w[i]).sum::<usize>() + GAP * count.saturating_sub(1)
    };
    let width = width as usize;
    let mut shown = vec![true; n];
    while used(&shown, &least) > width {
        let last = |text: bool| {
            (1..n)
                .rev()
                .find(|i| shown[*i] && (fits[*i] == Fit::Text) == text)
        };
        match last(false).or_else(|| last(true)) {
            Some(i) => shown[i] = false,
            None => break,
        }
    }
    let mut w: Vec<usize> = (0..n)
        .map(|i| if shown[i] { least[i] } else { 0 })
        .collect();
    let mut spare = width.saturating_sub(used(&shown, &w));
    // Whole titles first, then the text columns grow together towards what they need.
    for i in (0..n).filter(|i| shown[*i] && fits[*i] != Fit::Text) {
        let more = (need[i] - w[i]).min(spare);
        w[i] += more;
        spare -= more;
    }
    let text: Vec<usize> = (0..n)
        .filter(|i| shown[*i] && fits[*i] == Fit::Text)
        .collect();
    while spare > 0 {
        let growing: Vec<usize> = text.iter().copied().filter(|i| w[*i] < need[*i]).collect();
        if growing.is_empty() {
            break;
        }
        for i in growing.into_iter().take(spare) {
            w[i] += 1;
            spare -= 1;
        }
    }
    (0..n).map(|i| shown[i].then_some(w[i])).collect()
}

/// The cells of one row in the columns `fit` kept, each cut to its width (only text is ever
/// wider than its column) and numbers right-aligned.
pub fn cells(
    columns: &Columns,
    widths: &[Option<usize>],
    texts: Vec<String>,
) -> Vec<Line<'static>> {
    texts
        .into_iter()
        .enumerate()
        .filter_map(|(i, text)| {
            let width = widths.get(i).copied().flatten()?;
            let line = Line::from(truncate(&text, width));
            Some(match columns.0[i].1 {
                Fit::Number => line.right_aligned(),
                Fit::Whole | Fit::Text => line,
            })
        })
        .collect()
}

/// The table of the kept columns, at their widths.
pub fn table<'a>(rows: Vec<Row<'a>>, widths: &[Option<usize>], header: Row<'a>) -> Table<'a> {
    let constraints = widths
        .iter()
        .flatten()
        .map(|w| Constraint::Length(*w as u16));
    Table::new(rows, constraints)
        .header(header)
        .column_spacing(GAP as u16)
        .flex(Flex::Start)
}

/// Draws `len` rows of which `cell(i)` gives the texts of row `i`.
pub fn render(
    frame: &mut Frame,
    area: Rect,
    columns: &Columns,
    len: usize,
    selected: usize,
    cell: impl Fn(usize) -> Vec<String>,
) {
    let visible = window(len, selected, area.height.saturating_sub(1) as usize);
    hits::record(area, Target::Pane(List::Table));
    for (line, i) in visible.clone().enumerate() {
        hits::record(
            Rect::new(area.x, area.y + 1 + line as u16, area.width, 1),
            Target::Row {
                list: List::Table,
                index: i,
            },
        );
    }
    let texts: Vec<(usize, Vec<String>)> = visible
        .map(|r| {
            let mut texts = cell(r);
            // The selection is also marked in text, for screens without colour.
            if let Some(first) = texts.first_mut() {
                *first = format!("{}{first}", if r == selected { "▶" } else { " " });
            }
            (r, texts)
        })
        .collect();
    let all: Vec<Vec<String>> = texts.iter().map(|(_, t)| t.clone()).collect();
    let widths = fit(area.width, columns, &all);
    let rows = texts.into_iter().map(|(r, texts)| {
        let style = if r == selected {
            theme::selected()
        } else {
            theme::plain()
        };
        Row::new(cells(columns, &widths, texts)).style(style)
    });
    let titles = columns.0.iter().map(|(t, _)| (*t).to_string()).collect();
    let header = Row::new(cells(columns, &widths, titles)).style(theme::key());
    frame.render_widget(table(rows.collect(), &widths, header), area);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn columns() -> Columns<'static> {
        Columns(vec![
            ("Дата", Fit::Whole),
            ("Сумма", Fit::Number),
            ("Описание", Fit::Text),
            ("Ключ", Fit::Whole),
        ])
    }

    fn rows() -> Vec<Vec<String>> {
        vec![vec![
            "18.11.2026 10:00".into(),
            "1 234 567,89".into(),
            "Покупка в кафе на набережной".into(),
            "404cd163-83f0-11ea-9e81-000000000001".into(),
        ]]
    }

    #[test]
    fn everything_fits_whole_on_a_wide_screen() {
        let w = fit(200, &columns(), &rows());
        assert_eq!(w, [Some(16), Some(12), Some(28), Some(36)]);
    }

    #[test]
    fn text_columns_share_what_is_spare_until_they_are_whole() {
        let columns = Columns(vec![
            ("Id", Fit::Number),
            ("Name", Fit::Text),
            ("Note", Fit::Text),
        ]);
        let rows = vec![vec!["1".into(), "n".repeat(30), "x".repeat(12)]];
        // 1 + 2 gaps leave 27: both grow one column at a time, the note is whole at 12.
        assert_eq!(fit(30, &columns, &rows), [Some(2), Some(14), Some(12)]);
        assert_eq!(fit(24, &columns, &rows), [Some(2), Some(10), Some(10)]);
    }

    /// F7 at 80 columns with a till's key: short amounts and empty columns keep their
    /// titles, and the key, last and least needed at the counter, is left out.
    #[test]
    fn short_values_keep_their_titles_and_the_rightmost_whole_column_gives_way() {
        let columns = Columns(vec![
            ("Дата", Fit::Whole),
            ("Клиент", Fit::Whole),
            ("Баллы", Fit::Number),
            ("Рубли", Fit::Number),
            ("Купоны", Fit::Whole),
            ("Итог", Fit::Text),
            ("Ключ", Fit::Whole),
        ]);
        let rows = vec![vec![
            "05.12.2026 16:01".into(),
            "1234567".into(),
            "1,50".into(),
            String::new(),
            String::new(),
            "списано".into(),
            "fdb3abed9c414684b5adcd84da7e702e-72".into(),
        ]];
        let w = fit(78, &columns, &rows);
        assert_eq!(&w[..5], [Some(16), Some(7), Some(5), Some(5), Some(6)]);
        assert_eq!(w[6], None, "{w:?}");
    }

    #[test]
    fn text_shrinks_before_anything_whole_is_cut_or_left_out() {
        let w = fit(80, &columns(), &rows());
        assert_eq!(
            w,
            [Some(16), Some(12), Some(80 - 16 - 12 - 36 - 3), Some(36)]
        );
    }

    #[test]
    fn a_whole_column_that_cannot_fit_is_left_out_from_the_right() {
        let w = fit(60, &columns(), &rows());
        assert_eq!(w[3], None, "{w:?}");
        assert_eq!((w[0], w[1]), (Some(16), Some(12)));
        assert_eq!(w[2], Some(28));
        // Narrower still: the text goes to its least, then the amount is left out whole.
        let w = fit(30, &columns(), &rows());
        assert_eq!(w, [Some(16), None, Some(13), None]);
    }

    #[test]
    fn only_text_is_cut_and_at_its_end() {
        let columns = columns();
        let widths = fit(45, &columns, &rows());
        let cells = cells(&columns, &widths, rows().remove(0));
        let texts: Vec<String> = cells.iter().map(ToString::to_string).collect();
        assert_eq!(texts[0], "18.11.2026 10:00");
        assert_eq!(texts[1], "1 234 567,89");
        assert!(
            texts[2].ends_with('…') && texts[2].starts_with("Покупка"),
            "{texts:?}"
        );
        assert_eq!(texts.len(), 3, "the key is left out, not cut");
    }
}
