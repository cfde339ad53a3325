//! One event, one line. What the server logs carries callers' text (a JSON key in serde's
//! "unknown field" message, a login, a path), and a line break in it would start a line
//! that reads as the server's own. The writer escapes every control character an event
//! holds, whichever call logged it, so no call site has to remember to.

use std::io::{self, Write};
use tracing::Metadata;
use tracing_subscriber::fmt::MakeWriter;

/// Makes writers that escape what `M`'s writers would have written raw.
pub struct OneLine<M>(pub M);

impl<'a, M: MakeWriter<'a>> MakeWriter<'a> for OneLine<M> {
    type Writer = Escaping<M::Writer>;

    fn make_writer(&'a self) -> Self::Writer {
        Escaping(self.0.make_writer())
    }

    fn make_writer_for(&'a self, meta: &Metadata<'_>) -> Self::Writer {
        Escaping(self.0.make_writer_for(meta))
    }
}

pub struct Escaping<W>(W);

impl<W: Write> Write for Escaping<W> {
    /// The formatter hands each event over whole, ending in its one line break.
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let escaped = escape(&String::from_utf8_lossy(buf));
        self.0.write_all(escaped.as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

/// `event` with every character a terminal or a log reader would act on (line breaks,
/// escapes, format characters) written as Rust writes it escaped (`\n`, `\u{1b}`), but for
/// the line break that ends it.
fn escape(event: &str) -> String {
    let (body, end) = match event.strip_suffix('\n') {
        Some(body) => (body, "\n"),
        None => (event, ""),
    };
    let mut out = String::with_capacity(event.len());
    for c in body.chars() {
        if crate::domain::text::is_unsafe(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out.push_str(end);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_stays_one_line_whatever_it_carries() {
        assert_eq!(
            escape("unknown field `a\n2026-01-01T00:00:00Z  INFO forged`\n"),
            "unknown field `a\\n2026-01-01T00:00:00Z  INFO forged`\n"
        );
        assert_eq!(
            escape("x\r\u{1b}[2Jy\u{2028}z\u{202e}\n"),
            "x\\r\\u{1b}[2Jy\\u{2028}z\\u{202e}\n"
        );
        assert_eq!(escape("Кафе «Ёлки»\n"), "Кафе «Ёлки»\n");
    }
}
