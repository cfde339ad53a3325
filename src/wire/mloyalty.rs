//! Mloyalty's LCManagerPartner API (seed 002): an OAuth2 password login that yields a JWT,
//! whose integer `token` and `operator` claims also travel in every request body; .NET dates
//! with an offset and up to seven fractional digits; `ErrorCode`/`Message` in the body.

use super::lenient;
use crate::domain::admin::Registration;
use crate::domain::text::clean;
use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

pub mod binding;
pub mod codes;

pub const LOGIN_PATH: &str = "managerlogin";
pub const CLIENT_INFO_PERIOD_PATH: &str = "api/client/ClientInfoPeriod";

/// The answer to `POST managerlogin` (OAuth2 password grant).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LoginDto {
    pub access_token: String,
    #[serde(default)]
    pub token_type: Option<String>,
    #[serde(default)]
    pub expires_in: Option<i64>,
    #[serde(default)]
    pub refresh_token: Option<String>,
}

/// The form of `POST managerlogin`: `grant_type=password` with the manager's phone and
/// password, or `grant_type=refresh_token` with the refresh token of an earlier login.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LoginFormDto {
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub grant_type: String,
    #[serde(default)]
    pub refresh_token: String,
}

/// The manager login as the vendor reads it (`Convert.ToInt64(UserName)`): a phone number,
/// digits only after an optional `+`. `None` for anything else.
pub fn phone_login(text: &str) -> Option<i64> {
    let digits = text.trim().strip_prefix('+').unwrap_or(text.trim());
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// The claims of a `managerlogin` JWT. The vendor's `AuthManagerProvider` issues `role`,
/// `user`, `oper` (only when the operator id is above 0), `partner`, `pos`, `poscode` and
/// `permissioncode`; newer servers add `token`. `operator` is read too (older readings of the
/// seed). The request bodies repeat the token and the operator.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimsDto {
    #[serde(
        default,
        deserialize_with = "int_claim",
        skip_serializing_if = "Option::is_none"
    )]
    pub token: Option<i64>,
    #[serde(
        default,
        deserialize_with = "int_claim",
        skip_serializing_if = "Option::is_none"
    )]
    pub oper: Option<i64>,
    #[serde(
        default,
        deserialize_with = "int_claim",
        skip_serializing_if = "Option::is_none"
    )]
    pub operator: Option<i64>,
    #[serde(
        default,
        deserialize_with = "text_claim",
        skip_serializing_if = "Option::is_none"
    )]
    pub role: Option<String>,
    #[serde(
        default,
        deserialize_with = "text_claim",
        skip_serializing_if = "Option::is_none"
    )]
    pub user: Option<String>,
    #[serde(
        default,
        deserialize_with = "text_claim",
        skip_serializing_if = "Option::is_none"
    )]
    pub partner: Option<String>,
    #[serde(
        default,
        deserialize_with = "text_claim",
        skip_serializing_if = "Option::is_none"
    )]
    pub pos: Option<String>,
    #[serde(
        default,
        deserialize_with = "text_claim",
        skip_serializing_if = "Option::is_none"
    )]
    pub poscode: Option<String>,
    #[serde(
        default,
        deserialize_with = "text_claim",
        skip_serializing_if = "Option::is_none"
    )]
    pub permissioncode: Option<String>,
    /// Whose session a refresh token of `loyalty serve` renews, looked up again on each
    /// refresh.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub: Option<String>,
    /// Set on the refresh tokens `loyalty serve` issues, so one cannot pass for the other.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh: Option<bool>,
    #[serde(default)]
    pub exp: Option<i64>,
}

impl ClaimsDto {
    /// The operator id: `oper` as the vendor names it, else `operator`.
    pub fn operator_id(&self) -> Option<i64> {
        self.oper.or(self.operator)
    }
}

/// An integer claim, which .NET writes as a string.
fn int_claim<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    let Some(text) = lenient::optional_text(d)? else {
        return Ok(None);
    };
    text.parse()
        .map(Some)
        .map_err(|_| serde::de::Error::custom(format!("{text:?} is not an integer")))
}

fn text_claim<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    lenient::optional_text(d)
}

/// A period preset of `ClientInfoPeriod`. `loyalty serve` binds it as the vendor does (see
/// [`binding`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RegDto {
    #[serde(default, deserialize_with = "binding::boolean")]
    pub today: bool,
    #[serde(default, deserialize_with = "binding::boolean")]
    pub yesterday: bool,
    #[serde(default, deserialize_with = "binding::int")]
    pub month: i64,
    #[serde(default, deserialize_with = "binding::int")]
    pub year: i64,
}

/// The body of `ClientInfoPeriod`. `loyalty serve` binds it as the vendor does (see
/// [`binding`]): a missing date is empty, and refused only where no `Reg` preset names the
/// period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ClientInfoPeriodRequestDto {
    #[serde(default, deserialize_with = "lenient::text")]
    pub beg_date: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub end_date: String,
    #[serde(default, deserialize_with = "binding::boolean")]
    pub registration: bool,
    #[serde(default, deserialize_with = "binding::optional_int")]
    pub reg_pos_list: Option<i64>,
    #[serde(default, deserialize_with = "binding::nested")]
    pub reg: Option<RegDto>,
    #[serde(default, deserialize_with = "binding::int")]
    pub operator: i64,
    #[serde(default, deserialize_with = "binding::int")]
    pub token: i64,
    #[serde(
        default,
        deserialize_with = "lenient::optional_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub site_code: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RegisteredClientDto {
    #[serde(rename = "Client")]
    pub client: i64,
    #[serde(rename = "Card")]
    pub card: i64,
    #[serde(rename = "OutNumber", default)]
    pub out_number: i64,
    #[serde(rename = "Virtual", default)]
    pub is_virtual: bool,
    #[serde(rename = "Card_Type", default, deserialize_with = "lenient::text")]
    pub card_type: String,
    #[serde(rename = "Card_Status", default, deserialize_with = "lenient::text")]
    pub card_status: String,
    #[serde(rename = "RegPos", default)]
    pub reg_pos: i64,
    #[serde(rename = "RegPosName", default, deserialize_with = "lenient::text")]
    pub reg_pos_name: String,
    #[serde(rename = "RegDate")]
    pub reg_date: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ClientInfoPeriodResponseDto {
    #[serde(default)]
    pub clients: Option<Vec<RegisteredClientDto>>,
    #[serde(default)]
    pub error_code: i64,
    #[serde(default, deserialize_with = "lenient::optional_text")]
    pub message: Option<String>,
}

/// A .NET date-time: `2024-04-25T00:23:55.6146589+03:00`. Without an offset it is read in
/// `tz` (the vendor's own zone), as .NET's `DateTimeKind.Unspecified` means.
pub fn parse_date(text: &str, tz: &TimeZone) -> Result<Timestamp, String> {
    let text = text.trim();
    if let Ok(t) = text.parse::<Timestamp>() {
        return Ok(t);
    }
    text.parse::<DateTime>()
        .ok()
        .and_then(|dt| dt.to_zoned(tz.clone()).ok())
        .map(|z| z.timestamp())
        .ok_or_else(|| format!("{text:?} is not a date"))
}

/// The form the vendor writes: local time with its offset.
pub fn format_date(at: Timestamp, tz: &TimeZone) -> String {
    at.to_zoned(tz.clone())
        .strftime("%Y-%m-%dT%H:%M:%S%.f%:z")
        .to_string()
}

impl RegisteredClientDto {
    pub fn to_domain(&self, tz: &TimeZone) -> Result<Registration, String> {
        Ok(Registration {
            client: self.client,
            card: self.card,
            out_number: self.out_number,
            is_virtual: self.is_virtual,
            card_type: clean(&self.card_type),
            card_status: clean(&self.card_status),
            pos: self.reg_pos,
            pos_name: clean(&self.reg_pos_name),
            registered: parse_date(&self.reg_date, tz)?,
        })
    }

    pub fn from_domain(r: &Registration, tz: &TimeZone) -> Self {
        RegisteredClientDto {
            client: r.client,
            card: r.card,
            out_number: r.out_number,
            is_virtual: r.is_virtual,
            card_type: r.card_type.clone(),
            card_status: r.card_status.clone(),
            reg_pos: r.pos,
            reg_pos_name: r.pos_name.clone(),
            reg_date: format_date(r.registered, tz),
        }
    }
}

/// Reads the claims of a JWT without checking its signature: the console is the token's
/// bearer, not its judge; the server that issued it checks it.
pub fn claims(jwt: &str) -> Result<ClaimsDto, String> {
    use base64::Engine;
    let payload = jwt
        .split('.')
        .nth(1)
        .ok_or("the access token is not a JWT")?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .map_err(|e| format!("JWT payload: {e}"))?;
    serde_json::from_slice(&bytes).map_err(|e| format!("JWT claims: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotnet_dates_with_seven_fractional_digits() {
        let t = parse_date("2024-04-25T00:23:55.6146589+03:00", &TimeZone::UTC).unwrap();
        assert_eq!(t.to_string(), "2024-04-24T21:23:55.6146589Z");
        let local =
            parse_date("2024-04-25T00:23:55", &TimeZone::fixed(jiff::tz::offset(3))).unwrap();
        assert_eq!(local.to_string(), "2024-04-24T21:23:55Z");
        assert!(parse_date("вчера", &TimeZone::UTC).is_err());
        let msk = TimeZone::fixed(jiff::tz::offset(3));
        assert_eq!(format_date(t, &msk), "2024-04-25T00:23:55.6146589+03:00");
    }

    #[test]
    fn claims_are_read_from_the_payload() {
        // {"token":"42","operator":7,"exp":1700000000}
        let jwt = "e30.eyJ0b2tlbiI6IjQyIiwib3BlcmF0b3IiOjcsImV4cCI6MTcwMDAwMDAwMH0.sig";
        let c = claims(jwt).unwrap();
        assert_eq!(
            (c.token, c.operator_id(), c.exp),
            (Some(42), Some(7), Some(1_700_000_000))
        );
        assert!(claims("garbage").is_err());
    }

    /// The claims the vendor's own AuthManagerProvider (LCManagerPartner) issues: strings,
    /// `oper` for the operator, no `token`.
    #[test]
    fn the_vendors_own_claim_names_are_read() {
        use base64::Engine;
        let payload = serde_json::json!({
            "role": "manager", "user": "79123456789", "oper": "12", "partner": "SHOP",
            "pos": "3", "poscode": "A1", "permissioncode": "7", "exp": 1_700_000_000
        });
        let jwt = format!(
            "e30.{}.sig",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(payload.to_string())
        );
        let c = claims(&jwt).unwrap();
        assert_eq!((c.token, c.operator_id()), (None, Some(12)));
        assert_eq!(c.user.as_deref(), Some("79123456789"));
        // Without `oper` (an operator id of 0 is left out) there is no operator at all.
        let none = format!(
            "e30.{}.sig",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(r#"{"role":"manager"}"#)
        );
        assert_eq!(claims(&none).unwrap().operator_id(), None);
    }

    #[test]
    fn a_manager_login_is_a_phone_number() {
        assert_eq!(phone_login("79123456789"), Some(79_123_456_789));
        assert_eq!(phone_login(" +79123456789 "), Some(79_123_456_789));
        for bad in [
            "manager",
            "",
            "+",
            "7912 345",
            "8-912-345",
            "99999999999999999999",
        ] {
            assert_eq!(phone_login(bad), None, "{bad}");
        }
    }
}
