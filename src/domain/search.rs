//! What a cashier typed in the search field, turned into a vendor client search.

use super::phone;

/// One client search as the seed-001 API takes it: `phone` and/or `email`, each a pattern
/// in which `%` stands for any run of characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientQuery {
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// How much the cashier must type before search-as-you-type fires: four digits is the
/// "last four digits of the phone" habit of POS software; an email fires once it has an `@`.
pub const MIN_PHONE_DIGITS: usize = 4;

/// The most clients one search returns (the seed-001 API has no paging for it, and `loyalty
/// serve` stops there): a list of exactly this many may have left others out.
pub const SEARCH_CAP: usize = 200;

impl ClientQuery {
    /// Classifies typed text. Text with `@` is an email; text of digits, spaces, `+-()` and
    /// `%` is a phone. A phone without `%` is sent as `%` + its last ten digits so that it
    /// finds the client whatever prefix the vendor stored (`8…`, `7…`, `+7 …`, or none).
    /// An email without `%` is sent as a prefix (`ivan@ma%`) so typing narrows the list.
    /// Anything else (a name) is not searchable through this API and gives `None`.
    pub fn from_input(text: &str) -> Option<ClientQuery> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        if text.contains('@') {
            let email = if text.contains('%') {
                text.to_string()
            } else {
                format!("{text}%")
            };
            return Some(ClientQuery {
                phone: None,
                email: Some(email),
            });
        }
        let phone_chars = |c: char| c.is_ascii_digit() || " +-()%.\u{a0}".contains(c);
        if !text.chars().all(phone_chars) || !text.chars().any(|c| c.is_ascii_digit() || c == '%') {
            return None;
        }
        let phone = if text.contains('%') {
            text.chars()
                .filter(|c| c.is_ascii_digit() || *c == '%')
                .collect()
        } else {
            format!("%{}", phone::search_tail(text))
        };
        Some(ClientQuery {
            phone: Some(phone),
            email: None,
        })
    }

    /// Whether the text is complete enough to search while the cashier is still typing.
    pub fn ready_as_you_type(text: &str) -> bool {
        let text = text.trim();
        if text.contains('@') {
            return true;
        }
        text.contains('%') || text.chars().filter(char::is_ascii_digit).count() >= MIN_PHONE_DIGITS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phone(p: &str) -> Option<ClientQuery> {
        Some(ClientQuery {
            phone: Some(p.into()),
            email: None,
        })
    }

    #[test]
    fn phones_search_by_their_last_ten_digits() {
        assert_eq!(
            ClientQuery::from_input("+7 912 345-67-89"),
            phone("%9123456789")
        );
        assert_eq!(ClientQuery::from_input("89123456789"), phone("%9123456789"));
        assert_eq!(ClientQuery::from_input("7912345678"), phone("%7912345678"));
        assert_eq!(ClientQuery::from_input("4567"), phone("%4567"));
    }

    #[test]
    fn explicit_wildcards_are_kept() {
        assert_eq!(ClientQuery::from_input("7912%"), phone("7912%"));
        assert_eq!(ClientQuery::from_input("%"), phone("%"));
    }

    #[test]
    fn emails_become_prefixes_unless_wildcarded() {
        let q = ClientQuery::from_input("Test@test").unwrap();
        assert_eq!(q.email.as_deref(), Some("Test@test%"));
        let q = ClientQuery::from_input("%@test.ru").unwrap();
        assert_eq!(q.email.as_deref(), Some("%@test.ru"));
    }

    #[test]
    fn names_and_blanks_are_not_queries() {
        assert_eq!(ClientQuery::from_input("Иван"), None);
        assert_eq!(ClientQuery::from_input("   "), None);
        assert_eq!(ClientQuery::from_input("+-"), None);
    }

    #[test]
    fn as_you_type_waits_for_enough_input() {
        assert!(!ClientQuery::ready_as_you_type("912"));
        assert!(ClientQuery::ready_as_you_type("9123"));
        assert!(ClientQuery::ready_as_you_type("a@"));
    }
}
