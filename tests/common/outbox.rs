//! The codes `loyalty serve --code-outbox DIR` sends: one file per code, named
//! `PHONE-ID.txt`, holding the phone and the text the client's phone would show.

use std::path::{Path, PathBuf};

/// The code files in `dir/outbox`, oldest first (by the code's id in the name); none
/// while nothing was sent.
pub fn files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("outbox"))
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort_by_key(|p| {
        let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        stem.rsplit('-')
            .next()
            .and_then(|id| id.parse::<i64>().ok())
    });
    files
}

/// The six digits of a code file, as the client reads them out.
pub fn code_of(file: &Path) -> String {
    let text = std::fs::read_to_string(file).unwrap();
    text.split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .unwrap_or_else(|| panic!("six digits in {text:?}"))
        .to_string()
}

/// The newest code in `dir/outbox`.
pub fn newest(dir: &Path) -> String {
    code_of(files(dir).last().expect("a code in the outbox"))
}
