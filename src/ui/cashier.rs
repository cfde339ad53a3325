//! F2, the cashier's screen: search and results on the left, the open client on the right.

use super::{card, coupons, history, results, search};
use crate::app::Model;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};

pub fn render(model: &Model, frame: &mut Frame, main: Rect) {
    let left_width = (main.width * 3 / 8).clamp(30, 44);
    let [left, right] =
        Layout::horizontal([Constraint::Length(left_width), Constraint::Min(0)]).areas(main);
    let [search_area, results_area] =
        Layout::vertical([Constraint::Length(3), Constraint::Min(0)]).areas(left);
    search::render(model, frame, search_area);
    results::render(model, frame, results_area);
    match &model.card {
        Some(card) => {
            let coupon_rows = card
                .coupons
                .data
                .as_ref()
                .map_or(1, |c| c.len().clamp(1, 4)) as u16;
            let outlook_rows = card::outlook_lines(model, card).len() as u16;
            let [head, coupons_area, history_area] = Layout::vertical([
                Constraint::Length(5 + outlook_rows),
                Constraint::Length(coupon_rows + 2),
                Constraint::Min(0),
            ])
            .areas(right);
            card::render(model, card, frame, head);
            coupons::render(model, card, frame, coupons_area);
            history::render(model, card, frame, history_area);
        }
        None => card::render_welcome(model, frame, right),
    }
}
