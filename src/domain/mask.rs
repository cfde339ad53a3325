//! Masking of personal data on shared screens: the cashier sees enough to confirm the
//! client with them (last digits, first letter of an email), never the whole contact.

/// `+7 *** ***-67-89` style: all digits but the last four hidden, layout kept.
pub fn phone(text: &str) -> String {
    let total = text.chars().filter(char::is_ascii_digit).count();
    let keep_from = total.saturating_sub(4);
    let mut seen = 0;
    text.chars()
        .map(|c| {
            if c.is_ascii_digit() {
                seen += 1;
                // Keep a leading country code digit so the number still reads as a phone.
                if seen > keep_from || (seen == 1 && total >= 11) {
                    return c;
                }
                return '*';
            }
            c
        })
        .collect()
}

/// `t***@test.ru`: first character of the local part, the domain in full.
pub fn email(text: &str) -> String {
    match text.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn masks_keep_only_what_identifies() {
        assert_eq!(super::phone("+7 912 345-67-89"), "+7 *** ***-67-89");
        assert_eq!(super::phone("7912345678"), "******5678");
        assert_eq!(super::email("test@test.ru"), "t***@test.ru");
        assert_eq!(super::email("ёжик@почта.рф"), "ё***@почта.рф");
        assert_eq!(super::email("broken"), "***");
    }
}
