//! F7's «Итоги смены»: a popup table per cashier (written off and reversed per currency,
//! coupons both ways, manager overrides), and a footer that says where the figures come
//! from and how many movements are still in doubt.

use super::write_off::dialog_block;
use super::{centered, labels, theme, truncate};
use crate::app::Model;
use crate::app::model::ShiftReportState;
use crate::domain::Amount;
use crate::domain::shift::{ReportSource, ShiftRow};
use crate::domain::text::clean;
use crate::i18n::{fill, fill2, format_amount, format_datetime};
use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Cell, Clear, Paragraph, Row, Table, Wrap};
use unicode_width::UnicodeWidthStr;

pub fn render(model: &Model, state: &ShiftReportState, frame: &mut Frame, area: Rect) {
    let t = model.locale.text();
    let report = &state.report;
    let rows = report.data.as_ref().map_or(0, |r| r.rows.len()) as u16;
    // The write-offs let go without the code: a title and a line each, under the table.
    let bypass_rows = report
        .data
        .as_ref()
        .map_or(0, |r| r.bypasses.len().min(6) as u16);
    let bypass_rows = if bypass_rows > 0 { bypass_rows + 2 } else { 0 };
    let height = (rows.max(1) + 5 + bypass_rows).min(area.height.saturating_sub(2));
    let rect = centered(area, area.width.saturating_sub(2).min(100), height);
    frame.render_widget(Clear, rect);
    let block = dialog_block(t.money.shift_title.to_string(), false);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let [body, bypasses, footer] = Layout::vertical([
        Constraint::Min(1),
        Constraint::Length(bypass_rows),
        Constraint::Length(2),
    ])
    .areas(inner);
    let Some(data) = &report.data else {
        let text = match &report.error {
            Some(e) if !report.is_loading() => {
                Span::styled(fill(t.failed, labels::error(t, e)), theme::danger())
            }
            _ => Span::styled(t.loading, theme::muted()),
        };
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), body);
        return;
    };
    if data.rows.is_empty() {
        frame.render_widget(
            Paragraph::new(Span::styled(t.money.shift_empty, theme::muted())),
            body,
        );
    } else {
        let locale = model.locale;
        let money = |a: Amount| format_amount(locale, a);
        let number = |text: String| Cell::from(Text::from(text).alignment(Alignment::Right));
        let pts = t.money.points_short;
        let titles = [
            t.money.col_cashier.to_string(),
            format!("{} {pts}", t.money.col_written_off),
            format!("{} ₽", t.money.col_written_off),
            format!("{} {pts}", t.money.col_reversed),
            format!("{} ₽", t.money.col_reversed),
            t.coupons_title.to_string(),
            t.money.col_coupons_back.to_string(),
            t.money.col_overrides.to_string(),
        ];
        let figures: Vec<[String; 7]> = data
            .rows
            .iter()
            .map(|r| {
                [
                    money(r.written_off.points),
                    money(r.written_off.rubles),
                    money(r.reversed.points),
                    money(r.reversed.rubles),
                    r.coupons.to_string(),
                    r.coupons_back.to_string(),
                    r.overrides.to_string(),
                ]
            })
            .collect();
        // Every figure and its title whole; the cashier's name takes what is left.
        let widths: Vec<u16> = (0..7)
            .map(|i| {
                let cells = figures.iter().map(|f| f[i].width());
                cells.chain([titles[i + 1].width()]).max().unwrap_or(1) as u16
            })
            .collect();
        let name_width = body
            .width
            .saturating_sub(widths.iter().sum::<u16>() + 7)
            .max(1);
        let header = Row::new(titles.into_iter().enumerate().map(|(i, title)| {
            if i == 0 {
                Cell::from(title)
            } else {
                number(title)
            }
        }))
        .style(theme::key());
        let lines = data.rows.iter().zip(figures).map(|(r, figures)| {
            let name = Cell::from(truncate(&cashier(r), name_width as usize));
            Row::new(std::iter::once(name).chain(figures.into_iter().map(number)))
        });
        let constraints = std::iter::once(Constraint::Length(name_width))
            .chain(widths.into_iter().map(Constraint::Length));
        frame.render_widget(
            Table::new(lines, constraints)
                .header(header)
                .column_spacing(1),
            body,
        );
    }
    if !data.bypasses.is_empty() {
        frame.render_widget(
            Paragraph::new(bypass_lines(model, data, bypasses)),
            bypasses,
        );
    }
    let source = match data.source {
        ReportSource::Server => t.money.shift_server,
        ReportSource::Journal => t.money.shift_journal,
    };
    let since = fill(
        t.money.shift_since,
        format_datetime(model.locale, data.since, &model.tz),
    );
    let doubt = fill(t.money.shift_in_doubt, data.unknown);
    let doubt_style = if data.unknown > 0 {
        theme::danger()
    } else {
        theme::muted()
    };
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(format!("{since} · {source} · "), theme::muted()),
            Span::styled(doubt, doubt_style),
        ]))
        .wrap(Wrap { trim: true }),
        footer,
    );
}

/// «Без кода, по PIN менеджера»: each such write-off, newest last, with its time, both
/// names and what it took.
fn bypass_lines(
    model: &Model,
    data: &crate::domain::shift::ShiftReport,
    area: Rect,
) -> Vec<Line<'static>> {
    let t = model.locale.text();
    let mut lines = vec![
        Line::default(),
        Line::from(Span::styled(t.codes.shift_bypasses, theme::key())),
    ];
    let shown = data
        .bypasses
        .len()
        .min(area.height.saturating_sub(2) as usize);
    for b in &data.bypasses[data.bypasses.len() - shown..] {
        let when = format_datetime(model.locale, b.at, &model.tz);
        let time = when.rsplit(' ').next().unwrap_or(&when).to_string();
        let cashier = cashier(&ShiftRow {
            login: b.login.clone(),
            principal: b.principal.clone(),
            ..ShiftRow::default()
        });
        let manager = b.manager.as_deref().map_or("—".to_string(), clean);
        let amounts = format!(
            "{} {} · {} ₽",
            format_amount(model.locale, b.points),
            t.money.points_short,
            format_amount(model.locale, b.rubles)
        );
        let names_room = (area.width as usize).saturating_sub(time.width() + amounts.width() + 4);
        let names = fill2(t.codes.shift_bypass_row, clean(&cashier), manager);
        lines.push(Line::from(vec![
            Span::styled(format!("{time}  "), theme::muted()),
            Span::raw(format!("{:<names_room$}  ", truncate(&names, names_room))),
            Span::styled(amounts, theme::money()),
        ]));
    }
    lines
}

/// The cashier's login, with the till's principal when the ledger names both.
fn cashier(r: &ShiftRow) -> String {
    match (&r.login, &r.principal) {
        (Some(login), Some(principal)) if login != principal => format!("{login} ({principal})"),
        (Some(one), _) | (None, Some(one)) => one.clone(),
        (None, None) => "—".to_string(),
    }
}
