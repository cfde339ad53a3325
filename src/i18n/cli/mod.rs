//! The command line's sentences: the questions, answers and mistakes of `loyalty write-off`,
//! `loyalty reverse` and `loyalty shift report`.

pub(super) mod en;
pub(super) mod ru;
mod text;

pub use text::CliText;
