//! Vendor text made safe for a terminal: what a vendor sends (names, titles, descriptions,
//! error messages) is drawn on the cashier's screen, so it must never carry anything the
//! terminal would act on.

/// `text` without terminal escape sequences (CSI, OSC and two-byte ESC sequences, whole),
/// control characters (C0, DEL, C1; line breaks and tabs become spaces) and format
/// characters: bidirectional overrides that would reorder what is shown, and invisible ones
/// (zero-width spaces and joiners, the byte-order mark, tags) that make two texts look alike.
pub fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => skip_escape(&mut chars),
            // An 8-bit CSI or OSC is a sequence too.
            '\u{9b}' => skip_until_final(&mut chars),
            '\u{9d}' => skip_string(&mut chars),
            '\n' | '\r' | '\t' | LINE_SEPARATOR | PARAGRAPH_SEPARATOR => out.push(' '),
            c if is_unsafe(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Unicode's own line breaks: a log or a terminal may start a new line at them.
const LINE_SEPARATOR: char = '\u{2028}';
const PARAGRAPH_SEPARATOR: char = '\u{2029}';

/// Whether a terminal would act on `c` rather than show it, or show nothing for it.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || is_format(c) || matches!(c, LINE_SEPARATOR | PARAGRAPH_SEPARATOR)
}

/// Unicode's format characters (general category Cf, Unicode 15.1): the bidirectional
/// embeddings, overrides, isolates and marks, and the invisible ones, none of which shows.
/// The standard library has no category lookup and the list changes seldom.
fn is_format(c: char) -> bool {
    matches!(
        c,
        '\u{ad}'
            | '\u{600}'..='\u{605}'
            | '\u{61c}'
            | '\u{6dd}'
            | '\u{70f}'
            | '\u{890}'..='\u{891}'
            | '\u{8e2}'
            | '\u{180e}'
            | '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206f}'
            | '\u{feff}'
            | '\u{fff9}'..='\u{fffb}'
            | '\u{110bd}'
            | '\u{110cd}'
            | '\u{13430}'..='\u{1343f}'
            | '\u{1bca0}'..='\u{1bca3}'
            | '\u{1d173}'..='\u{1d17a}'
            | '\u{e0001}'
            | '\u{e0020}'..='\u{e007f}'
    )
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

fn skip_escape(chars: &mut Chars) {
    match chars.next() {
        Some('[') => skip_until_final(chars),
        // OSC (title, hyperlinks), DCS, SOS, PM, APC: a string up to BEL or ST.
        Some(']' | 'P' | 'X' | '^' | '_') => skip_string(chars),
        // Two-byte sequences (ESC c, ESC 7, …): the second byte goes with the ESC.
        _ => {}
    }
}

/// CSI parameters and intermediates up to the final byte (`@` to `~`).
fn skip_until_final(chars: &mut Chars) {
    for c in chars.by_ref() {
        if ('@'..='~').contains(&c) {
            return;
        }
    }
}

/// A control string up to BEL, or ST (`ESC \` or 0x9c).
fn skip_string(chars: &mut Chars) {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => return,
            '\u{1b}' if chars.peek() == Some(&'\\') => {
                chars.next();
                return;
            }
            _ => {}
        }
    }
}

/// [`clean`] for an optional text.
pub fn clean_opt(text: Option<String>) -> Option<String> {
    text.map(|t| clean(&t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_controls_and_format_characters_are_removed() {
        for (given, shown) in [
            ("Иван\u{1b}[2J\u{1b}[31mПетров", "ИванПетров"),
            ("a\u{1b}]0;pwned\u{7}b", "ab"),
            (
                "a\u{1b}]8;;http://evil\u{1b}\\link\u{1b}]8;;\u{1b}\\b",
                "alinkb",
            ),
            ("kaf\u{202e}eb", "kafeb"),
            ("NUL\u{0}here", "NULhere"),
            ("two\nlines\ttab", "two lines tab"),
            ("c1\u{9b}31mx\u{85}y", "c1xy"),
            ("\u{1b}7saved\u{1b}8", "saved"),
            ("Кафе «Ёлки» № 5", "Кафе «Ёлки» № 5"),
            ("\u{1b}[", ""),
            ("line\u{2028}para\u{2029}end", "line para end"),
            ("zero\u{200b}width\u{200d}joined\u{feff}", "zerowidthjoined"),
            ("soft\u{ad}hyphen\u{2060}tag\u{e0041}", "softhyphentag"),
            ("arabic\u{600}mark\u{61c}", "arabicmark"),
        ] {
            assert_eq!(clean(given), shown, "{given:?}");
        }
    }
}
