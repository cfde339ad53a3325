//! Phone numbers as cashiers type them and as vendors store them.
//!
//! Only the four +7 / +380 / +375 markets matter here, so an explicit normaliser beats a
//! general library: it never panics and its rules fit on one screen (see `shared` research on
//! RU/KZ trunk prefixes and the UA 0-prefix).

/// Digits of a phone in international form without `+`, or `None` when the text is not a
/// phone at all (letters, an `@`, or too few digits to be a number).
///
/// `+7 912 345-67-89`, `8 (912) 345-67-89`, `79123456789` and `9123456789` all give
/// `79123456789`; `0671234567` gives `380671234567`.
pub fn normalize(text: &str) -> Option<String> {
    if text
        .chars()
        .any(|c| !(c.is_ascii_digit() || " +-()./\u{a0}".contains(c)))
    {
        return None;
    }
    let plus = text.trim_start().starts_with('+');
    let mut digits: String = text.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 5 {
        return None;
    }
    if !plus && digits.starts_with("00") {
        digits.drain(..2);
        return Some(digits);
    }
    if plus {
        return Some(digits);
    }
    Some(match digits.len() {
        11 if digits.starts_with('8') => format!("7{}", &digits[1..]),
        10 if digits.starts_with('0') => format!("38{digits}"),
        10 => format!("7{digits}"),
        _ => digits,
    })
}

/// The national significant part used to find a phone whatever prefix the vendor stored:
/// the last ten digits of a full number, or all digits of a shorter one.
pub fn search_tail(text: &str) -> String {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let skip = digits.len().saturating_sub(10);
    digits[skip..].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_russian_format_gives_one_number() {
        for input in [
            "+7 912 345-67-89",
            "89123456789",
            "79123456789",
            "9123456789",
            "8 (912) 345 67 89",
            "+7(912)3456789",
        ] {
            assert_eq!(normalize(input).as_deref(), Some("79123456789"), "{input}");
        }
    }

    #[test]
    fn toll_free_and_foreign_numbers_survive() {
        assert_eq!(
            normalize("+7 800 555-35-35").as_deref(),
            Some("78005553535")
        );
        assert_eq!(normalize("88005553535").as_deref(), Some("78005553535"));
        assert_eq!(normalize("0671234567").as_deref(), Some("380671234567"));
        assert_eq!(
            normalize("+380 67 123 4567").as_deref(),
            Some("380671234567")
        );
        assert_eq!(normalize("00380671234567").as_deref(), Some("380671234567"));
    }

    #[test]
    fn non_phones_are_refused() {
        assert_eq!(normalize("ivan@mail.ru"), None);
        assert_eq!(normalize("Иван"), None);
        assert_eq!(normalize("12"), None);
        assert_eq!(normalize(""), None);
    }

    #[test]
    fn tail_is_the_last_ten_digits() {
        assert_eq!(search_tail("+7 912 345-67-89"), "9123456789");
        assert_eq!(search_tail("7912345678"), "7912345678");
        assert_eq!(search_tail("4567"), "4567");
    }
}
