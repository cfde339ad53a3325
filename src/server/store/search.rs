//! Finding clients by phone or email, or listing them a page at a time: exact, prefix and
//! suffix patterns as index range scans over normalised and reversed columns.
//!
//! A phone pattern with `%` means what it means to the vendor: it is matched against the
//! digits of the phone as it was stored (`7912%` finds a client stored as `7912345678`, whose
//! normalised form is `77912345678`). The indexes hold normalised phones, so a pattern
//! becomes the union of the normalised ranges that a stored number matching it can fall in
//! ([`prefix_ranges`], [`suffix_ranges`]), and the stored digits are then checked exactly.

use crate::domain::phone;

/// Most clients one search or page returns: a bare `%` must not stream a whole customer
/// base to a till.
pub const SEARCH_LIMIT: usize = crate::domain::search::SEARCH_CAP;

/// Which clients of a search or listing one answer carries, in id order: the seed's paging
/// (`offset` from 0, at most `limit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientPage {
    pub offset: u32,
    pub limit: u32,
}

impl Default for ClientPage {
    /// The first [`SEARCH_LIMIT`] clients: what a search without paging gets.
    fn default() -> Self {
        ClientPage {
            offset: 0,
            limit: SEARCH_LIMIT as u32,
        }
    }
}

/// Normalised forms stored next to a client's contacts so searches can use indexes.
pub struct ContactKeys {
    pub phone_norm: Option<String>,
    pub phone_rev: Option<String>,
    pub email_lc: Option<String>,
    pub email_rev: Option<String>,
}

impl ContactKeys {
    pub fn of(phone_text: Option<&str>, email: Option<&str>) -> Self {
        let phone_norm = phone_text.map(|p| {
            phone::normalize(p).unwrap_or_else(|| p.chars().filter(char::is_ascii_digit).collect())
        });
        let email_lc = email.map(|e| e.trim().to_lowercase());
        ContactKeys {
            phone_rev: phone_norm.as_deref().map(reverse),
            phone_norm,
            email_rev: email_lc.as_deref().map(reverse),
            email_lc,
        }
    }
}

pub(crate) fn reverse(s: &str) -> String {
    s.chars().rev().collect()
}

/// What a `phone` or `email` pattern asks for, whatever the SQL dialect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Pattern {
    /// `%` alone: any client that has the contact at all.
    Present,
    Exact(String),
    /// `7912%`: the contact starts with this.
    Prefix(String),
    /// `%5678`: the contact ends with this (its reverse starts with the reverse).
    Suffix(String),
    /// `%` inside, or at both ends: a LIKE over the column, `_` taken literally.
    Like(String),
}

impl Pattern {
    pub(crate) fn of(pattern: &str) -> Pattern {
        let inner = pattern.trim_matches('%');
        let leading = pattern.starts_with('%');
        let trailing = pattern.ends_with('%') && !pattern.is_empty();
        if inner.is_empty() && (leading || trailing) {
            return Pattern::Present;
        }
        if inner.contains('%') || (leading && trailing) {
            return Pattern::Like(pattern.replace('\\', "\\\\").replace('_', "\\_"));
        }
        match (leading, trailing) {
            (false, false) => Pattern::Exact(inner.to_string()),
            (false, true) => Pattern::Prefix(inner.to_string()),
            _ => Pattern::Suffix(reverse(inner)),
        }
    }
}

/// Escapes a literal for LIKE with a backslash as the escape character.
pub(crate) fn like_literal(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// The normalised-phone prefixes a stored number can have when its digits start with
/// `digits`, one per rule of [`phone::normalize`]: kept as written (`+7…`, other lengths),
/// `00` dropped, a leading `8` of eleven digits made `7`, `38` before ten digits starting
/// with `0`, `7` before other ten-digit numbers. `Present` when any normalised number can
/// (`0` or `00`: the `00` rule may leave anything).
pub(crate) fn prefix_ranges(digits: &str) -> Vec<Pattern> {
    if digits.is_empty() || digits == "0" || digits == "00" {
        return vec![Pattern::Present];
    }
    let mut ranges = vec![digits.to_string()];
    if let Some(rest) = digits.strip_prefix("00") {
        ranges.push(rest.to_string());
    } else if let Some(rest) = digits.strip_prefix('0') {
        if digits.len() <= 10 {
            ranges.push(format!("380{rest}"));
        }
    } else {
        if digits.len() <= 10 {
            ranges.push(format!("7{digits}"));
        }
        if let Some(rest) = digits.strip_prefix('8').filter(|_| digits.len() <= 11) {
            ranges.push(format!("7{rest}"));
        }
    }
    ranges.dedup();
    ranges.into_iter().map(Pattern::Prefix).collect()
}

/// The normalised-phone ranges a stored number can fall in when its digits end with
/// `digits`: its normalised form ends with them too, unless a rule rewrote digits the suffix
/// covers: `00` dropped from a number that is the suffix or `0` and the suffix, or the `8` of
/// an eleven-digit suffix made `7`; those are exact values.
pub(crate) fn suffix_ranges(digits: &str) -> Vec<Pattern> {
    let mut ranges = vec![Pattern::Suffix(reverse(digits))];
    for stripped in [digits.strip_prefix('0'), digits.strip_prefix("00")]
        .into_iter()
        .flatten()
        .filter(|rest| !rest.is_empty())
    {
        ranges.push(Pattern::Exact(stripped.to_string()));
    }
    if let Some(rest) = digits.strip_prefix('8').filter(|_| digits.len() == 11) {
        ranges.push(Pattern::Exact(format!("7{rest}")));
    }
    ranges
}

/// A phone pattern over the index: the ranges to read and, for a wildcard pattern, the LIKE
/// the stored digits must then match.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct PhoneSearch {
    pub ranges: Vec<Pattern>,
    pub digits_like: Option<String>,
}

impl PhoneSearch {
    /// `text` as the `phone` parameter gave it: without `%` a whole number in any format,
    /// found by its normalised form; with `%` a pattern over the stored digits.
    pub(crate) fn of(text: &str) -> PhoneSearch {
        let pattern = phone_pattern(text);
        let like = Some(pattern.clone());
        let (ranges, digits_like) = match Pattern::of(&pattern) {
            Pattern::Present => (vec![Pattern::Present], None),
            Pattern::Exact(key) => (vec![Pattern::Exact(key)], None),
            Pattern::Prefix(digits) => (prefix_ranges(&digits), like),
            Pattern::Suffix(reversed) => {
                let digits = reverse(&reversed);
                // Normalising only ever changes or adds a number's leading digits, and never
                // more than its last ten: a normalised phone ending in up to ten digits that
                // do not start with 0 (no stripped-prefix ranges) is a stored phone ending in
                // them, so the till's search (`%` and the last ten) needs no digits check.
                let check = digits.len() > WHOLE_NUMBER_TAIL || digits.starts_with('0');
                (suffix_ranges(&digits), like.filter(|_| check))
            }
            Pattern::Like(_) => {
                // Narrowed by the fixed digits at either end, if any; `%12%` reads every phone.
                let head = pattern.split('%').next().unwrap_or_default();
                let tail = pattern.rsplit('%').next().unwrap_or_default();
                let ranges = if !head.is_empty() {
                    prefix_ranges(head)
                } else if !tail.is_empty() {
                    suffix_ranges(tail)
                } else {
                    vec![Pattern::Present]
                };
                (ranges, like)
            }
        };
        PhoneSearch {
            ranges,
            digits_like,
        }
    }
}

/// Normalises a `phone` search parameter: without `%` it is a whole number in any format;
/// with `%` only its digits and wildcards count.
pub(crate) fn phone_pattern(text: &str) -> String {
    if text.contains('%') {
        text.chars()
            .filter(|c| c.is_ascii_digit() || *c == '%')
            .collect()
    } else {
        phone::normalize(text)
            .unwrap_or_else(|| text.chars().filter(char::is_ascii_digit).collect())
    }
}

/// How one SQL dialect writes a search.
pub(crate) struct Dialect {
    /// One pattern over a column and its reverse, pushing its arguments.
    pub clause: fn(&str, &str, Pattern, &mut Vec<String>) -> String,
    /// The `n`th argument.
    pub placeholder: fn(usize) -> String,
    /// The `n`th argument (sent as text) used as an integer.
    pub integer: fn(usize) -> String,
    /// The digits of the stored `phone`, as an expression.
    pub phone_digits: &'static str,
}

/// A phone's last ten digits: what tills send (`%` and the tail of a whole number) so that a
/// vendor finds the phone however it stored it; only one number's clients end so.
/// PostgreSQL indexes them as an equality (`assets/postgres/008_phone_tail.sql`).
pub(crate) const WHOLE_NUMBER_TAIL: usize = 10;

/// Whether a search reads a few rows at most, through an index: whole values (no `%`), or a
/// phone ending in ten digits or more, the search every till makes. These are served as
/// lookups (on SQLite's async worker, on PostgreSQL's shared pipelined connections); any
/// other pattern may read many rows and is served as a query.
pub fn is_narrow(phone_text: Option<&str>, email: Option<&str>) -> bool {
    let phone_narrow = phone_text.is_none_or(|p| match Pattern::of(&phone_pattern(p)) {
        Pattern::Exact(_) => true,
        Pattern::Suffix(tail) => tail.len() >= WHOLE_NUMBER_TAIL,
        _ => false,
    });
    let email_narrow = email.is_none_or(|e| matches!(Pattern::of(e), Pattern::Exact(_)));
    (phone_text.is_some() || email.is_some()) && phone_narrow && email_narrow
}

/// The phone part of a search: its ranges, any of which, and its digits check.
fn phone_clause(text: &str, dialect: &Dialect, args: &mut Vec<String>) -> String {
    let search = PhoneSearch::of(text);
    let ranges: Vec<String> = search
        .ranges
        .into_iter()
        .map(|range| (dialect.clause)("phone_norm", "phone_rev", range, args))
        .collect();
    let mut clause = if ranges.len() == 1 {
        ranges.join("")
    } else {
        format!("({})", ranges.join(" OR "))
    };
    if let Some(like) = search.digits_like {
        args.push(like);
        let arg = (dialect.placeholder)(args.len());
        clause = format!("{clause} AND {} LIKE {arg}", dialect.phone_digits);
    }
    clause
}

/// A client search (or, with neither contact, a listing) as SQL in `dialect`, and its
/// arguments, one page of it in id order.
pub(crate) fn search_sql(
    phone_text: Option<&str>,
    email: Option<&str>,
    page: ClientPage,
    dialect: &Dialect,
) -> (String, Vec<String>) {
    let mut clauses = Vec::new();
    let mut args = Vec::new();
    if let Some(p) = phone_text {
        clauses.push(phone_clause(p, dialect, &mut args));
    }
    if let Some(e) = email {
        let e = e.trim().to_lowercase();
        clauses.push((dialect.clause)(
            "email_lc",
            "email_rev",
            Pattern::of(&e),
            &mut args,
        ));
    }
    let filter = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {} ", clauses.join(" AND "))
    };
    args.push(page.limit.to_string());
    let limit = (dialect.integer)(args.len());
    args.push(page.offset.to_string());
    let offset = (dialect.integer)(args.len());
    let sql = format!(
        "SELECT id, name, phone, email FROM clients {filter}ORDER BY id LIMIT {limit} OFFSET {offset}"
    );
    (sql, args)
}

#[cfg(test)]
mod tests {

    use super::*;

    #[test]
    fn whole_values_and_a_whole_numbers_tail_are_narrow() {
        assert!(is_narrow(Some("+7 912 345-67-89"), None));
        assert!(is_narrow(Some("7912345678"), Some("a@b.ru")));
        // The till's search: `%` and the last ten digits.
        let till = crate::domain::ClientQuery::from_input("+7 912 345-67-89").unwrap();
        assert!(is_narrow(till.phone.as_deref(), None));
        assert!(is_narrow(Some("%79123456789"), None));
        assert!(
            !is_narrow(Some("%5678"), None),
            "a short tail may match many"
        );
        assert!(!is_narrow(Some("7912%"), None));
        assert!(!is_narrow(Some("7912345678"), Some("%@b.ru")));
        assert!(!is_narrow(None, Some("%")));
        assert!(!is_narrow(None, None), "a listing is no lookup");
    }

    fn prefixes(digits: &str) -> Vec<String> {
        prefix_ranges(digits)
            .into_iter()
            .map(|r| match r {
                Pattern::Prefix(p) => p,
                other => format!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn a_stored_prefix_becomes_the_normalised_prefixes_it_can_have() {
        // `7912345678` is stored, `77912345678` indexed; `+7 912…` is `7912…` both ways.
        assert_eq!(prefixes("7912"), ["7912", "77912"]);
        // `8 912 …` (eleven digits) is indexed as `7912…`; ten-digit `8…` gets a 7 before.
        assert_eq!(prefixes("8912"), ["8912", "78912", "7912"]);
        assert_eq!(prefixes("0067"), ["0067", "67"]);
        assert_eq!(prefixes("067"), ["067", "38067"]);
        assert_eq!(prefixes("79123456789"), ["79123456789"]);
        assert_eq!(prefixes("89123456789"), ["89123456789", "79123456789"]);
        assert_eq!(prefix_ranges("0"), [Pattern::Present]);
    }

    #[test]
    fn a_stored_suffix_becomes_the_reversed_range_and_the_numbers_rules_rewrote() {
        assert_eq!(suffix_ranges("5678"), [Pattern::Suffix("8765".into())]);
        assert_eq!(
            suffix_ranges("89123456789"),
            [
                Pattern::Suffix("98765432198".into()),
                Pattern::Exact("79123456789".into())
            ]
        );
        assert_eq!(
            suffix_ranges("00380671234567"),
            [
                Pattern::Suffix("76543217608300".into()),
                Pattern::Exact("0380671234567".into()),
                Pattern::Exact("380671234567".into())
            ]
        );
    }

    /// Whether `pattern` (digits and `%`) matches `digits` as SQL's LIKE does.
    fn like(pattern: &str, digits: &str) -> bool {
        let parts: Vec<&str> = pattern.split('%').collect();
        let (first, last) = (parts[0], parts[parts.len() - 1]);
        if parts.len() == 1 {
            return pattern == digits;
        }
        if !digits.starts_with(first) || digits.len() < first.len() + last.len() {
            return false;
        }
        let mut rest = &digits[first.len()..digits.len() - last.len()];
        if !digits.ends_with(last) {
            return false;
        }
        for part in &parts[1..parts.len() - 1] {
            match rest.find(part) {
                Some(at) => rest = &rest[at + part.len()..],
                None => return false,
            }
        }
        true
    }

    /// Whether a stored number whose normalised form is `norm` lies in one of `ranges`.
    fn in_ranges(ranges: &[Pattern], norm: &str) -> bool {
        ranges.iter().any(|r| match r {
            Pattern::Present => true,
            Pattern::Exact(k) => norm == k,
            Pattern::Prefix(k) => norm.starts_with(k.as_str()),
            Pattern::Suffix(k) => reverse(norm).starts_with(k.as_str()),
            Pattern::Like(_) => unreachable!("phone ranges are never a LIKE"),
        })
    }

    /// The promise the index ranges make: every stored phone whose digits match a wildcard
    /// pattern lies in one of the pattern's ranges, whatever rule normalised it; so the
    /// digits check after them finds exactly what the vendor's LIKE over the text finds.
    #[test]
    fn every_stored_phone_whose_digits_match_lies_in_the_ranges() {
        let stored = [
            "7912345678",
            "+7 912 345-67-89",
            "8 (912) 345 67 89",
            "89123456789",
            "79123456789",
            "9123456789",
            "0671234567",
            "+380 67 123 4567",
            "00380671234567",
            "0079123456789",
            "88005553535",
            "1234",
            "8912345678",
            "ext. 12-34",
        ];
        let patterns = [
            "7912%",
            "77912%",
            "8912%",
            "912%",
            "0%",
            "00%",
            "003%",
            "067%",
            "38067%",
            "%5678",
            "%4567",
            "%89",
            "%9123456789",
            "%89123456789",
            "%0079123456789",
            "%079123456789",
            "79%89",
            "8%67%89",
            "%12%",
            "0%67",
            "%",
            "1%",
            "%1234",
        ];
        for pattern in patterns {
            let search = PhoneSearch::of(pattern);
            for text in stored {
                let digits: String = text.chars().filter(char::is_ascii_digit).collect();
                let norm = ContactKeys::of(Some(text), None).phone_norm.unwrap();
                if like(pattern, &digits) {
                    assert!(
                        in_ranges(&search.ranges, &norm),
                        "{pattern} matches {text:?} ({norm}) outside {:?}",
                        search.ranges
                    );
                }
            }
            // A search without the digits check finds nothing its digits do not match: its
            // ranges alone are exact (a plain suffix of up to ten digits, not starting with 0).
            if search.digits_like.is_none() {
                for text in stored {
                    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
                    let norm = ContactKeys::of(Some(text), None).phone_norm.unwrap();
                    if in_ranges(&search.ranges, &norm) {
                        assert!(
                            pattern == "%" || like(pattern, &digits),
                            "{pattern} finds {text:?} ({norm}) without a match"
                        );
                    }
                }
            }
            let tail = pattern.strip_prefix('%').unwrap_or("");
            let plain_suffix = pattern.starts_with('%')
                && !tail.is_empty()
                && !tail.contains('%')
                && tail.len() <= WHOLE_NUMBER_TAIL
                && !tail.starts_with('0');
            assert_eq!(
                search.digits_like.is_some(),
                pattern != "%" && !plain_suffix,
                "{pattern}: whether its digits are checked"
            );
        }
    }
}
