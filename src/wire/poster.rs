//! Poster's Web API (`clients.*`, seeds 000 and 003): `{"response": …}` or, in an HTTP 200,
//! `{"error": {"code", "message"}}`; numbers as strings; money in kopecks, `birthday_bonus`
//! included both ways (seed 003 alone says roubles on write: see [`birthday_bonus_from_form`]);
//! dates `YYYY-MM-dd HH:mm:ss` local time or `null`.

use super::lenient;
use crate::domain::Amount;
use crate::domain::admin::{
    Accumulation, AccumulationStatus, Group, GroupDraft, GroupKind, Promotion,
};
use crate::domain::text::clean;
use jiff::civil::DateTime;
use rust_decimal::Decimal;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::str::FromStr;

/// A group as `clients.getGroups` / `clients.getGroup` send it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GroupDto {
    #[serde(deserialize_with = "lenient::text")]
    pub client_groups_id: String,
    #[serde(deserialize_with = "lenient::text")]
    pub client_groups_name: String,
    #[serde(deserialize_with = "lenient::text")]
    pub loyalty_type: String,
    #[serde(deserialize_with = "lenient::text")]
    pub client_groups_discount: String,
    /// Kopecks.
    #[serde(deserialize_with = "lenient::text")]
    pub birthday_bonus: String,
    #[serde(deserialize_with = "lenient::text")]
    pub count_groups_clients: String,
    /// `"0"`/`"1"`; the seed's sample leaves it out.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::optional_text"
    )]
    pub use_ewallet: Option<String>,
    /// `"1"`: the group was removed (Poster still lists it).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::optional_text"
    )]
    pub delete: Option<String>,
}

/// The POST fields of `clients.createGroup` / `clients.updateGroup`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GroupFormDto {
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::optional_text"
    )]
    pub client_groups_id: Option<String>,
    #[serde(deserialize_with = "lenient::text")]
    pub client_groups_name: String,
    #[serde(deserialize_with = "lenient::text")]
    pub loyalty_type: String,
    #[serde(deserialize_with = "lenient::text")]
    pub client_groups_discount: String,
    /// Kopecks (`5000`), as Poster's current docs and its PHP library's docblocks say; the
    /// seed's roubles (`50.00`) are read too (see [`birthday_bonus_from_form`]).
    #[serde(default, deserialize_with = "lenient::text")]
    pub birthday_bonus: String,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::optional_text"
    )]
    pub use_ewallet: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RemoveGroupDto {
    #[serde(deserialize_with = "lenient::text")]
    pub group_id: String,
}

/// A row of `clients.getClientsAccumulations`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccumulationDto {
    #[serde(deserialize_with = "lenient::text")]
    pub accumulation_product_id: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub tr_product_id: String,
    #[serde(deserialize_with = "lenient::text")]
    pub promotion_id: String,
    #[serde(deserialize_with = "lenient::text")]
    pub client_id: String,
    #[serde(deserialize_with = "lenient::text")]
    pub product_id: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub modification_id: String,
    #[serde(deserialize_with = "lenient::text")]
    pub status: String,
    #[serde(deserialize_with = "lenient::text")]
    pub num: String,
    #[serde(deserialize_with = "lenient::text")]
    pub product_sum: String,
    #[serde(default, deserialize_with = "lenient::optional_text")]
    pub prize_product_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::optional_text")]
    pub date_add: Option<String>,
    #[serde(default, deserialize_with = "lenient::optional_text")]
    pub date_close: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    pub weight_flag: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ErrorBodyDto {
    pub code: i64,
    pub message: String,
}

/// Poster error codes the console explains (from the vendor's error table).
pub const BAD_TOKEN: i64 = 11;
pub const TOKEN_MISSING: i64 = 10;
pub const TOKEN_EXPIRED: i64 = 12;
pub const NOT_FOUND: i64 = 32;
/// The application lacks the rights for the method.
pub const NO_RIGHTS: i64 = 20;
pub const ACCESS_DENIED: i64 = 54;
pub const EMPTY_FIELD: i64 = 34;
pub const WRONG_VALUE: i64 = 155;

/// What a Poster answer can be besides the payload.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PosterError {
    #[error("Poster error {code}: {message}")]
    Api { code: i64, message: String },
    #[error("{0}")]
    Decode(String),
}

/// Takes the `response` out of an answer, or its `error`, whatever the HTTP status was.
pub fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, PosterError> {
    let value: Value =
        serde_json::from_slice(body).map_err(|e| PosterError::Decode(format!("not JSON: {e}")))?;
    if let Some(error) = value.get("error") {
        return Err(match error {
            Value::Object(_) => match serde_json::from_value::<ErrorBodyDto>(error.clone()) {
                Ok(e) => PosterError::Api {
                    code: e.code,
                    message: e.message,
                },
                Err(e) => PosterError::Decode(format!("unreadable error: {e}")),
            },
            // Some Poster endpoints put the code itself in `error`.
            other => PosterError::Api {
                code: other.as_i64().unwrap_or(-1),
                message: value
                    .get("message")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
            },
        });
    }
    let response = value
        .get("response")
        .ok_or_else(|| PosterError::Decode("neither response nor error in the answer".into()))?;
    serde_json::from_value(response.clone()).map_err(|e| PosterError::Decode(e.to_string()))
}

fn int(field: &str, text: &str) -> Result<i64, PosterError> {
    text.trim()
        .parse()
        .map_err(|_| PosterError::Decode(format!("{field}: {text:?} is not an integer")))
}

/// An integer where Poster may send `""` for "none", read as zero (like [`decimal`]).
fn int_or_zero(field: &str, text: &str) -> Result<i64, PosterError> {
    if text.trim().is_empty() {
        return Ok(0);
    }
    int(field, text)
}

fn decimal(field: &str, text: &str) -> Result<Decimal, PosterError> {
    if text.trim().is_empty() {
        return Ok(Decimal::ZERO);
    }
    Decimal::from_str(text.trim())
        .map(|d| d.normalize())
        .map_err(|_| PosterError::Decode(format!("{field}: {text:?} is not a number")))
}

/// `YYYY-MM-dd HH:mm:ss`; Poster also sends `0000-00-00 00:00:00` for "never".
fn date_time(field: &str, text: Option<&str>) -> Result<Option<DateTime>, PosterError> {
    match text {
        None => Ok(None),
        Some(t) if t.starts_with("0000-00-00") => Ok(None),
        Some(t) => DateTime::strptime("%Y-%m-%d %H:%M:%S", t.trim())
            .map(Some)
            .map_err(|_| PosterError::Decode(format!("{field}: {t:?} is not a date"))),
    }
}

pub fn group_kind_from_wire(text: &str) -> Result<GroupKind, PosterError> {
    match text.trim() {
        "1" => Ok(GroupKind::Bonus),
        "2" => Ok(GroupKind::Discount),
        other => Err(PosterError::Decode(format!(
            "loyalty_type {other:?} is neither 1 nor 2"
        ))),
    }
}

pub fn group_kind_to_wire(kind: GroupKind) -> &'static str {
    match kind {
        GroupKind::Bonus => "1",
        GroupKind::Discount => "2",
    }
}

impl TryFrom<GroupDto> for Group {
    type Error = PosterError;
    fn try_from(dto: GroupDto) -> Result<Self, PosterError> {
        let kopecks = int_or_zero("birthday_bonus", &dto.birthday_bonus)?;
        Ok(Group {
            id: int("client_groups_id", &dto.client_groups_id)?,
            name: clean(&dto.client_groups_name),
            kind: group_kind_from_wire(&dto.loyalty_type)?,
            percent: decimal("client_groups_discount", &dto.client_groups_discount)?,
            birthday_bonus: Amount::from_minor(kopecks),
            clients: int_or_zero("count_groups_clients", &dto.count_groups_clients)?.max(0) as u64,
            use_ewallet: flag("use_ewallet", dto.use_ewallet.as_deref())?,
            removed: flag("delete", dto.delete.as_deref())? == Some(true),
        })
    }
}

impl From<&Group> for GroupDto {
    fn from(g: &Group) -> Self {
        GroupDto {
            client_groups_id: g.id.to_string(),
            client_groups_name: g.name.clone(),
            loyalty_type: group_kind_to_wire(g.kind).to_string(),
            client_groups_discount: g.percent.normalize().to_string(),
            birthday_bonus: g.birthday_bonus.minor().to_string(),
            count_groups_clients: g.clients.to_string(),
            use_ewallet: g.use_ewallet.map(flag_to_wire),
            delete: Some(flag_to_wire(g.removed)),
        }
    }
}

/// The write form of a group: birthday bonus in whole kopecks (`5000` for 50 ₽), as Poster's
/// current createGroup/updateGroup docs have it.
pub fn group_form(id: Option<i64>, draft: &GroupDraft) -> GroupFormDto {
    GroupFormDto {
        client_groups_id: id.map(|i| i.to_string()),
        client_groups_name: draft.name.trim().to_string(),
        loyalty_type: group_kind_to_wire(draft.kind).to_string(),
        client_groups_discount: draft.percent.normalize().to_string(),
        birthday_bonus: draft.birthday_bonus.minor().to_string(),
        use_ewallet: draft.use_ewallet.map(flag_to_wire),
    }
}

/// A `"0"`/`"1"` field (a JSON body may say `false`/`true`); absent or empty is "not said".
fn flag(field: &str, text: Option<&str>) -> Result<Option<bool>, PosterError> {
    match text.map(str::trim) {
        None | Some("") => Ok(None),
        Some("0" | "false") => Ok(Some(false)),
        Some("1" | "true") => Ok(Some(true)),
        Some(other) => Err(PosterError::Decode(format!(
            "{field}: {other:?} is neither 0 nor 1"
        ))),
    }
}

fn flag_to_wire(on: bool) -> String {
    if on { "1" } else { "0" }.to_string()
}

/// What a whole number written as `birthday_bonus` counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WholeBonus {
    /// Poster's current docs and its PHP library (`5000` is 50 ₽).
    Kopecks,
    /// Seed 003's createGroup/updateGroup table (`50` is 50 ₽).
    Roubles,
}

/// A written `birthday_bonus`. A number with a decimal point is the seed's roubles (its
/// example writes `50.00`): a count of kopecks never has a fraction. A whole number counts as
/// `whole` says; empty is none. The seed's form is told apart only while it keeps its point:
/// PHP's `json_encode(50.00)` sends `50`, which is 50 kopecks here as on Poster itself.
pub fn birthday_bonus_from_form(text: &str, whole: WholeBonus) -> Result<Amount, PosterError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(Amount::ZERO);
    }
    let amount = Amount::parse_decimal(text)
        .map_err(|e| PosterError::Decode(format!("birthday_bonus {text:?}: {e}")))?;
    Ok(match whole {
        WholeBonus::Kopecks if !text.contains('.') => Amount::from_minor(amount.minor() / 100),
        _ => amount,
    })
}

/// Reads a create/update form back into a draft (the server's side of [`group_form`]).
pub fn group_draft_from_form(
    form: &GroupFormDto,
    whole: WholeBonus,
) -> Result<GroupDraft, PosterError> {
    let bonus = birthday_bonus_from_form(&form.birthday_bonus, whole)?;
    Ok(GroupDraft {
        name: form.client_groups_name.clone(),
        kind: group_kind_from_wire(&form.loyalty_type)?,
        percent: decimal("client_groups_discount", &form.client_groups_discount)?,
        birthday_bonus: bonus,
        use_ewallet: flag("use_ewallet", form.use_ewallet.as_deref())?,
    })
}

pub fn status_from_wire(code: i64) -> AccumulationStatus {
    match code {
        1 => AccumulationStatus::Active,
        2 => AccumulationStatus::Closed,
        3 => AccumulationStatus::Deleted,
        other => AccumulationStatus::Other(other),
    }
}

impl TryFrom<AccumulationDto> for Accumulation {
    type Error = PosterError;
    fn try_from(dto: AccumulationDto) -> Result<Self, PosterError> {
        let modification = int_or_zero("modification_id", &dto.modification_id)?;
        Ok(Accumulation {
            id: int("accumulation_product_id", &dto.accumulation_product_id)?,
            promotion_id: int("promotion_id", &dto.promotion_id)?,
            client_id: int("client_id", &dto.client_id)?,
            product_id: int("product_id", &dto.product_id)?,
            modification_id: (modification != 0).then_some(modification),
            status: status_from_wire(int("status", &dto.status)?),
            count: decimal("num", &dto.num)?,
            product_sum: decimal("product_sum", &dto.product_sum)?,
            prize_product_id: dto
                .prize_product_id
                .as_deref()
                .map(|p| int("prize_product_id", p))
                .transpose()?,
            started: date_time("date_add", dto.date_add.as_deref())?,
            closed: date_time("date_close", dto.date_close.as_deref())?,
            weighed: dto.weight_flag.trim() == "1",
        })
    }
}

/// A promotion of `clients.getPromotions`; only what the console shows is read.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PromotionDto {
    #[serde(deserialize_with = "lenient::text")]
    pub promotion_id: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub name: String,
    #[serde(default, deserialize_with = "lenient::optional_text")]
    pub date_start: Option<String>,
    #[serde(default, deserialize_with = "lenient::optional_text")]
    pub date_end: Option<String>,
}

impl TryFrom<PromotionDto> for Promotion {
    type Error = PosterError;
    fn try_from(dto: PromotionDto) -> Result<Self, PosterError> {
        Ok(Promotion {
            id: int("promotion_id", &dto.promotion_id)?,
            name: clean(&dto.name),
            starts: date_time("date_start", dto.date_start.as_deref())?,
            ends: date_time("date_end", dto.date_end.as_deref())?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_whole_birthday_bonus_is_kopecks_and_a_decimal_one_the_seeds_roubles() {
        let read = |text, whole| birthday_bonus_from_form(text, whole).map(Amount::minor);
        // The live contract: Poster's docs and the PHP library's docblocks say kopecks.
        assert_eq!(read("5000", WholeBonus::Kopecks), Ok(5000));
        assert_eq!(read(" 1 ", WholeBonus::Kopecks), Ok(1));
        // The seed's `50.00`, and the float as JSON writers that keep its point send it.
        assert_eq!(read("50.00", WholeBonus::Kopecks), Ok(5000));
        assert_eq!(read("50.0", WholeBonus::Kopecks), Ok(5000));
        assert_eq!(read("0.5", WholeBonus::Kopecks), Ok(50));
        assert_eq!(read("", WholeBonus::Kopecks), Ok(0));
        // A vendor of the seed's kind reads every number in roubles.
        assert_eq!(read("5000", WholeBonus::Roubles), Ok(500_000));
        assert_eq!(read("50.00", WholeBonus::Roubles), Ok(5000));
        assert!(read("50,00", WholeBonus::Kopecks).is_err());
        assert!(read("0.001", WholeBonus::Kopecks).is_err());
        assert!(read("1e3", WholeBonus::Kopecks).is_err());
    }

    #[test]
    fn the_console_writes_whole_kopecks_and_reads_its_own_form_back() {
        let draft = GroupDraft {
            name: "Постоянный посетитель".into(),
            kind: GroupKind::Bonus,
            percent: Decimal::TEN,
            birthday_bonus: Amount::from_minor(15_050),
            use_ewallet: Some(true),
        };
        let form = group_form(Some(5), &draft);
        assert_eq!(form.birthday_bonus, "15050");
        assert_eq!(
            group_draft_from_form(&form, WholeBonus::Kopecks).unwrap(),
            draft
        );
    }
}
