//! F6: the cards a phone, barcode or name found — holder, barcode, promotion and bonus
//! balance — to pick the one whose operations to show.

use super::table::{self, Columns, Fit};
use super::{centered, placeholder, theme};
use crate::app::Model;
use crate::app::model::CardPicker;
use crate::i18n::fill;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Block, Clear, Paragraph};

pub fn render(model: &Model, p: &CardPicker, frame: &mut Frame, area: Rect) {
    let t = model.locale.text();
    let rect = centered(area, 76, 16);
    frame.render_widget(Clear, rect);
    let block = Block::bordered()
        .title(format!(" {} ", fill(t.card_picker_title, &p.text)))
        .border_style(theme::focused());
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    if let Some((text, style)) = placeholder(t, &p.cards, t.card_picker_none) {
        frame.render_widget(Paragraph::new(Span::styled(text, style)), inner);
        return;
    }
    let cards = p.cards.data.as_deref().unwrap_or_default();
    let columns = Columns(vec![
        (t.col_holder, Fit::Text),
        (t.col_barcode, Fit::Whole),
        (t.col_promotion, Fit::Text),
        (t.col_bonus_balance, Fit::Number),
    ]);
    let none = || t.none.to_string();
    table::render(frame, inner, &columns, cards.len(), p.selected, |i| {
        let c = &cards[i];
        vec![
            c.holder.clone().unwrap_or_else(none),
            c.barcode.clone().unwrap_or_else(|| c.id.to_string()),
            c.promo_name
                .clone()
                .or_else(|| c.promo_id.map(|id| id.to_string()))
                .unwrap_or_else(none),
            c.bonus
                .map(|b| super::card_operations::number(model.locale, b))
                .unwrap_or_else(none),
        ]
    });
}
