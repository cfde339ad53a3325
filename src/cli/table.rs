//! Aligned columns for people: each column as wide as its widest cell in terminal cells
//! (Cyrillic and wide characters counted as shown), two spaces between; numbers (money,
//! ids, counts) to the right, so their digits stand under each other.

use crate::domain::text::clean;
use unicode_width::UnicodeWidthStr;

/// The table as text, a line per row after the header; the columns in `right` are aligned
/// to the right. Every cell is cleaned: vendor text reaches a terminal here too.
pub fn render(header: &[&str], rows: &[Vec<String>], right: &[usize]) -> String {
    let cells: Vec<Vec<String>> = std::iter::once(header.iter().map(|h| clean(h)).collect())
        .chain(rows.iter().map(|r| r.iter().map(|c| clean(c)).collect()))
        .collect();
    let columns = cells.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|i| {
            cells
                .iter()
                .map(|r| r.get(i).map_or(0, |c| c.width()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut text = String::new();
    for row in &cells {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            let pad = " ".repeat(widths[i] - cell.width());
            if right.contains(&i) {
                line.push_str(&pad);
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.push_str(&pad);
            }
            if i + 1 < row.len() {
                line.push_str("  ");
            }
        }
        text.push_str(line.trim_end());
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    #[test]
    fn columns_line_up_in_cells_and_controls_are_cleaned() {
        let text = super::render(
            &["ID", "Клиент", "Баллы"],
            &[
                vec!["1".into(), "Юлия Петрова".into(), "1 234,56".into()],
                vec!["1234567".into(), "A\u{1b}[2Jb".into(), "0,00".into()],
            ],
            &[0, 2],
        );
        assert_eq!(
            text,
            concat!(
                "     ID  Клиент           Баллы\n",
                "      1  Юлия Петрова  1 234,56\n",
                "1234567  Ab                0,00\n",
            )
        );
    }

    #[test]
    fn a_row_longer_or_shorter_than_the_header_is_still_printed() {
        let text = super::render(&["a"], &[vec!["1".into(), "2".into()], vec![]], &[]);
        assert_eq!(text, "a\n1  2\n\n");
    }
}
