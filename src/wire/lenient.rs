//! Readers for vendors that send numbers as strings, strings as numbers, and `""` or `null`
//! for "none" — all of it in the same field, depending on the installation.

use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// A scalar as text: `"10"`, `10`, `1.5`, `true`; `null` becomes `""`.
pub fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Null => String::new(),
        Value::String(s) => s,
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        other => {
            return Err(serde::de::Error::custom(format!(
                "expected a scalar, found {other}"
            )));
        }
    })
}

/// Like [`text`], but `null` and `""` are `None`.
pub fn optional_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    text(d).map(|s| Some(s).filter(|s| !s.is_empty()))
}
