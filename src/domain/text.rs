//! Vendor text made safe for a terminal: what a vendor sends (names, titles, descriptions,
//! error messages) is drawn on the cashier's screen, so it must never carry anything the
//! terminal would act on.

/// `text` without terminal escape sequences (CSI, OSC and two-byte ESC sequences, whole),
/// control characters (C0, DEL, C1; line breaks and tabs become spaces) and bidirectional
/// overrides that would reorder what is shown.
pub fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => skip_escape(&mut chars),
            // An 8-bit CSI or OSC is a sequence too.
            '\u{9b}' => skip_until_final(&mut chars),
            '\u{9d}' => skip_string(&mut chars),
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() || is_bidi_control(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Whether a terminal would act on `c` rather than show it.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// Characters that change the direction text is shown in (explicit embeddings, overrides,
/// isolates and marks).
fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
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
    fn escapes_controls_and_bidi_overrides_are_removed() {
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
        ] {
            assert_eq!(clean(given), shown, "{given:?}");
        }
    }
}
