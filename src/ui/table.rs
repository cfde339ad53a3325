//! The admin tables' common shape: a header, only the visible rows built, the selected one
//! reversed and marked, and values too long for their column clipped with `…`.

use super::{hits, theme, truncate, window};
use crate::app::mouse::{List, Target};
use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Row, Table};

pub struct Columns<'a> {
    pub titles: Vec<&'a str>,
    pub widths: Vec<Constraint>,
    /// Columns whose cells are numbers, right-aligned.
    pub numeric: Vec<usize>,
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
    // The widths the table will give each column (its default flex and spacing), so a value
    // too long for its column ends in `…` instead of being cut without a sign.
    let fitted = Layout::horizontal(columns.widths.clone())
        .flex(Flex::Start)
        .spacing(1)
        .split(Rect::new(0, 0, area.width, 1));
    let align = |i: usize, text: String| {
        let width = fitted.get(i).map_or(0, |r| r.width as usize);
        let line = Line::from(truncate(&text, width));
        if columns.numeric.contains(&i) {
            line.right_aligned()
        } else {
            line
        }
    };
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
    let rows = visible.map(|r| {
        let mut texts = cell(r);
        // The selection is also marked in text, for screens without colour.
        if let Some(first) = texts.first_mut() {
            *first = format!("{}{first}", if r == selected { "▶" } else { " " });
        }
        let cells: Vec<Line> = texts
            .into_iter()
            .enumerate()
            .map(|(i, t)| align(i, t))
            .collect();
        let style = if r == selected {
            theme::selected()
        } else {
            theme::plain()
        };
        Row::new(cells).style(style)
    });
    let header = Row::new(
        columns
            .titles
            .iter()
            .enumerate()
            .map(|(i, t)| align(i, (*t).to_string()))
            .collect::<Vec<_>>(),
    )
    .style(theme::key());
    frame.render_widget(
        Table::new(rows, columns.widths.clone()).header(header),
        area,
    );
}
