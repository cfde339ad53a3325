//! Mloyalty's confirmation codes, as the PyPI client `mloyalty` 0.2.4 calls them
//! (`mloyalty/client.py` `send_verification_code` and `confirm_code`): a form body with
//! lower-case keys behind the manager's bearer JWT; the answer is good on HTTP 200 with
//! `ErrorCode` 0, and says what went wrong in `Message` otherwise.

use crate::domain::phone;
use serde::{Deserialize, Serialize};

pub const SEND_CODE_PATH: &str = "api/client/GetSendVerificationCode";
pub const CONFIRM_CODE_PATH: &str = "api/client/GetConfirmCode";

/// The form of `GetSendVerificationCode`: the JWT's operator and point of sale code, and
/// the client's phone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendCodeFormDto {
    pub operator: i64,
    /// The JWT's `poscode`; left out where the JWT has none, as the client's form leaves
    /// out a `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub poscode: Option<String>,
    pub phone: String,
}

/// The form of `GetConfirmCode`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfirmCodeFormDto {
    pub phone: String,
    pub code: String,
}

/// What both answer with: `ErrorCode` 0 is success; the client fails on a missing one.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CodeResultDto {
    #[serde(default)]
    pub error_code: Option<i64>,
    #[serde(default, deserialize_with = "super::super::lenient::optional_text")]
    pub message: Option<String>,
}

/// A phone as the vendor's code calls read it: the ten digits of a Russian mobile number,
/// starting with 9 (the client's docstring: «должен начинаться с 9»). `None` for a phone
/// that is not one.
pub fn code_phone(text: &str) -> Option<String> {
    let full = phone::normalize(text)?;
    let national = full.strip_prefix('7')?;
    (national.len() == 10 && national.starts_with('9')).then(|| national.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_russian_mobile_in_any_form_is_ten_digits_from_nine() {
        for given in [
            "+7 912 345-67-89",
            "89123456789",
            "9123456789",
            "79123456789",
        ] {
            assert_eq!(code_phone(given).as_deref(), Some("9123456789"), "{given}");
        }
        for not in ["+380 67 123 4567", "+7 495 123-45-67", "12345", "mail@x.ru"] {
            assert_eq!(code_phone(not), None, "{not}");
        }
    }

    #[test]
    fn the_forms_say_what_the_client_sends() {
        let send = SendCodeFormDto {
            operator: 12,
            poscode: None,
            phone: "9123456789".into(),
        };
        assert_eq!(
            serde_urlencoded::to_string(&send).unwrap(),
            "operator=12&phone=9123456789"
        );
        let confirm = ConfirmCodeFormDto {
            phone: "9123456789".into(),
            code: "1234".into(),
        };
        assert_eq!(
            serde_urlencoded::to_string(&confirm).unwrap(),
            "phone=9123456789&code=1234"
        );
    }
}
