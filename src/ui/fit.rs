//! A message fitted into the status line without cutting through what it says: whole parts
//! (between ` · `, ` — `, ` → ` and `: `) are left out, never the middle of an amount, a name
//! or a key. The messages overlay (`m`) keeps every message whole.

use unicode_width::UnicodeWidthStr;

/// Where a message divides into parts that can go without the rest losing its sense; each
/// starts the part after it.
const SEPARATORS: [&str; 4] = [" · ", " — ", " → ", ": "];

/// A sentence's end, which stays with the sentence it ends.
const SENTENCE_END: &str = ". ";

/// `text` in `width` columns. Parts go from the middle first, as the start says what
/// happened and the last part often to whom or where; then from the end. Only a first part
/// wider than the line itself is shortened by words, and amounts (`1 234,56 ₽`) count as one.
pub fn fit(text: &str, width: usize) -> String {
    fit_parts(&parts(text), width)
}

/// [`fit`] over parts made by the caller: each after the first starts with its separator.
pub fn fit_parts(parts: &[&str], width: usize) -> String {
    let text = parts.concat();
    if text.width() <= width {
        return text;
    }
    let last = parts.len().saturating_sub(1);
    let without_middle = (1..last).rev().map(|keep| {
        let tail = parts[last];
        // A sentence after the gap gets its space back; a separator brings its own.
        let gap = if tail.starts_with(char::is_alphanumeric) {
            " "
        } else {
            ""
        };
        format!("{} …{gap}{tail}", parts[..keep].concat().trim_end())
    });
    let without_end = (1..=last)
        .rev()
        .map(|keep| format!("{} …", parts[..keep].concat().trim_end()));
    without_middle
        .chain(without_end)
        .find(|s| s.width() <= width)
        .unwrap_or_else(|| by_words(parts.first().copied().unwrap_or_default(), width))
}

/// `text` cut before each separator: the first part, then each separator with what follows.
fn parts(text: &str) -> Vec<&str> {
    let mut cuts = vec![0];
    let mut rest = text.char_indices();
    while let Some((i, _)) = rest.next() {
        let (sep, cut) = match SEPARATORS.iter().find(|s| text[i..].starts_with(**s)) {
            Some(sep) => (*sep, i),
            None if text[i..].starts_with(SENTENCE_END) => (SENTENCE_END, i + SENTENCE_END.len()),
            None => continue,
        };
        if cut > 0 && cut < text.len() {
            cuts.push(cut);
        }
        // Past the separator, so its own characters start no part.
        for _ in 1..sep.chars().count() {
            rest.next();
        }
    }
    cuts.push(text.len());
    cuts.windows(2).map(|w| &text[w[0]..w[1]]).collect()
}

/// As many whole words of `text` as fit with ` …` after them; a space inside an amount
/// (between digits, or before `₽`) does not end a word. A first word wider than the line is
/// all that is ever cut inside.
fn by_words(text: &str, width: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut fitted = String::new();
    let mut word = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let inside_amount = i > 0
            && chars[i - 1].is_ascii_digit()
            && chars
                .get(i + 1)
                .is_some_and(|n| n.is_ascii_digit() || *n == '₽');
        if c == ' ' && !inside_amount {
            if format!("{fitted}{word} …").width() > width {
                break;
            }
            fitted.push_str(&word);
            word.clear();
        }
        word.push(c);
    }
    if !fitted.is_empty() {
        return format!("{} …", fitted.trim_end());
    }
    let mut cut = String::new();
    for c in text.chars() {
        if format!("{cut}{c}…").width() > width {
            break;
        }
        cut.push(c);
    }
    if width > 0 {
        cut.push('…');
    }
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    const WRITTEN_OFF: &str =
        "Списано: Баллы 100,50 · Рубли 21,06 ₽ · Купоны 1235, 1236 — Client First";

    #[test]
    fn whole_parts_go_from_the_middle_and_amounts_stay_whole() {
        assert_eq!(fit(WRITTEN_OFF, 80), WRITTEN_OFF);
        assert_eq!(
            fit(WRITTEN_OFF, 60),
            "Списано: Баллы 100,50 · Рубли 21,06 ₽ … — Client First"
        );
        assert_eq!(
            fit(WRITTEN_OFF, 40),
            "Списано: Баллы 100,50 … — Client First"
        );
        assert_eq!(fit(WRITTEN_OFF, 30), "Списано … — Client First");
        assert_eq!(fit(WRITTEN_OFF, 23), "Списано: Баллы 100,50 …");
        for width in 0..=WRITTEN_OFF.width() {
            let fitted = fit(WRITTEN_OFF, width);
            assert!(fitted.width() <= width, "{width}: {fitted}");
            for amount in ["100,50", "21,06 ₽"] {
                let cut = (1..amount.len())
                    .filter(|&i| amount.is_char_boundary(i))
                    .any(|i| fitted.contains(&format!("{}…", &amount[..i])));
                assert!(!cut, "{width}: {fitted}");
            }
        }
    }

    #[test]
    fn a_long_first_part_is_shortened_by_words_and_a_space_in_an_amount_holds() {
        assert_eq!(
            fit("Выгружено 1 234 строк в файл registrations.csv", 24),
            "Выгружено 1 234 строк …"
        );
        assert_eq!(
            fit("Баланс 1 234 567,89 ₽ изменился", 24),
            "Баланс 1 234 567,89 ₽ …"
        );
        assert_eq!(fit("Баланс 1 234 567,89 ₽ изменился", 20), "Баланс …");
        assert_eq!(fit("Длиннющееслово", 6), "Длинн…");
        assert_eq!(fit("abc", 0), "");
    }

    #[test]
    fn the_separators_are_what_parts_start_with() {
        assert_eq!(
            parts("Выгружено 5 строк → exports/a.csv · ok — Анна: да"),
            [
                "Выгружено 5 строк",
                " → exports/a.csv",
                " · ok",
                " — Анна",
                ": да"
            ]
        );
        assert_eq!(parts("одно"), ["одно"]);
        let unknown = "Нет ответа: исход неизвестен. Проверьте историю";
        assert_eq!(
            parts(unknown),
            ["Нет ответа", ": исход неизвестен. ", "Проверьте историю"]
        );
        assert_eq!(fit(unknown, 30), "Нет ответа … Проверьте историю");
        assert_eq!(fit(unknown, 29), "Нет ответа …");
        // Parts given whole keep a key with what it does.
        assert_eq!(
            fit_parts(&["ждём 7 с", " · попытка 2/3", " · Esc — отмена"], 26),
            "ждём 7 с … · Esc — отмена"
        );
    }
}
