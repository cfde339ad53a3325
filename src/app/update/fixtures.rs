//! What the pure tests share: a model at a fixed instant and keys pressed one at a time.

use super::super::model::{BackendLabel, Model};
use super::super::msg::{Cmd, Msg};
use super::update;
use crate::app::keys::key::{Key, KeyCode, Modifiers};
use crate::i18n::Locale;
use jiff::Timestamp;
use jiff::tz::TimeZone;

/// A fresh console on the embedded backend, in UTC, at `now_ms`.
pub fn model_at(locale: Locale, now_ms: i64) -> Model {
    Model::new(
        locale,
        TimeZone::UTC,
        BackendLabel::Embedded,
        Timestamp::from_millisecond(now_ms).expect("a test instant within jiff's range"),
    )
}

pub fn key(m: &mut Model, code: KeyCode) -> Vec<Cmd> {
    update(m, Msg::Key(Key::new(code, Modifiers::NONE)))
}

/// Types `text` key by key, as a person would; the commands of every key, in order.
pub fn type_text(m: &mut Model, text: &str) -> Vec<Cmd> {
    text.chars()
        .flat_map(|c| key(m, KeyCode::Char(c)))
        .collect()
}
