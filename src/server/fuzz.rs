//! Arbitrary bytes and arbitrary JSON into every decoder of every vendor format, on both
//! sides (the console's adapters and the server's request parsing): errors, never panics.

use crate::domain::admin::{Accumulation, CardOperation, Group};
use crate::domain::{Amount, Balances, Coupon, HistoryEntry};
use crate::wire::{ext, mloyalty, poster, regos};
use jiff::tz::TimeZone;
use proptest::prelude::*;
use serde_json::Value;

/// JSON values of any shape, numbers of any size and strings with any characters.
fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        "[0-9]{1,30}(\\.[0-9]{0,12})?".prop_map(|s| s
            .parse::<serde_json::Number>()
            .map_or(Value::Null, Value::Number)),
        ".{0,20}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![
                        Just("id".to_string()),
                        Just("amount".to_string()),
                        Just("currency".to_string()),
                        Just("expireDate".to_string()),
                        Just("transactionDate".to_string()),
                        Just("transactionId".to_string()),
                        Just("response".to_string()),
                        Just("error".to_string()),
                        Just("code".to_string()),
                        Just("message".to_string()),
                        Just("ok".to_string()),
                        Just("result".to_string()),
                        Just("type".to_string()),
                        Just("uuid".to_string()),
                        Just("date".to_string()),
                        Just("Clients".to_string()),
                        Just("ErrorCode".to_string()),
                        Just("RegDate".to_string()),
                        Just("card_id".to_string()),
                        Just("promo_id".to_string()),
                        Just("balance".to_string()),
                        Just("coupons".to_string()),
                        Just("sort_orders".to_string()),
                        ".{0,8}".prop_map(|s| s),
                    ],
                    inner
                ),
                0..6,
            )
            .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// Every console-side decoder on one input.
fn decode_all(bytes: &[u8]) {
    if let Ok(list) = serde_json::from_slice::<Vec<ext::ClientDto>>(bytes) {
        let _ = list.into_iter().map(crate::domain::Client::from).count();
    }
    if let Ok(list) = serde_json::from_slice::<Vec<ext::AmountDto>>(bytes) {
        let _: Result<(Balances, _), _> = ext::balances_from_wire(&list);
    }
    if let Ok(list) = serde_json::from_slice::<Vec<ext::CouponDto>>(bytes) {
        let _: Vec<Result<Coupon, _>> = list.into_iter().map(Coupon::try_from).collect();
    }
    if let Ok(list) = serde_json::from_slice::<Vec<ext::HistoryDto>>(bytes) {
        let _: Vec<Result<HistoryEntry, _>> =
            list.into_iter().map(HistoryEntry::try_from).collect();
    }
    if let Ok(list) = poster::decode::<Vec<poster::GroupDto>>(bytes) {
        let _: Vec<Result<Group, _>> = list.into_iter().map(Group::try_from).collect();
    }
    if let Ok(list) = poster::decode::<Vec<poster::AccumulationDto>>(bytes) {
        let _: Vec<Result<Accumulation, _>> =
            list.into_iter().map(Accumulation::try_from).collect();
    }
    let _ = poster::decode::<Value>(bytes);
    if let Ok(r) = serde_json::from_slice::<mloyalty::ClientInfoPeriodResponseDto>(bytes) {
        for c in r.clients.unwrap_or_default() {
            let _ = c.to_domain(&TimeZone::UTC);
        }
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        let _ = mloyalty::claims(text);
        let _ = mloyalty::parse_date(text, &TimeZone::UTC);
        let _ = Amount::parse_decimal(text);
        let _ = Amount::parse_user(text);
    }
    if let Ok(env) = serde_json::from_slice::<regos::EnvelopeDto>(bytes) {
        let _ = serde_json::from_value::<regos::ErrorResultDto>(env.result.clone());
        if let Ok(rows) = serde_json::from_value::<Vec<regos::OperationDto>>(env.result) {
            let _: Vec<Result<CardOperation, _>> =
                rows.into_iter().map(CardOperation::try_from).collect();
        }
    }
}

/// Every server-side request parser on one input.
fn parse_all(bytes: &[u8]) {
    let _ = super::ext_routes::parse_write_off(bytes);
    if let Ok(value) = serde_json::from_slice::<Value>(bytes) {
        let _ = super::regos_routes::parse(&value);
    }
    if let Ok(form) = serde_json::from_slice::<poster::GroupFormDto>(bytes) {
        for whole in [poster::WholeBonus::Kopecks, poster::WholeBonus::Roubles] {
            let _ = poster::group_draft_from_form(&form, whole);
        }
    }
    let _ = serde_urlencoded::from_bytes::<poster::GroupFormDto>(bytes);
    let _ = serde_urlencoded::from_bytes::<mloyalty::LoginFormDto>(bytes);
    let _ = serde_json::from_slice::<mloyalty::ClientInfoPeriodRequestDto>(bytes);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        decode_all(&bytes);
        parse_all(&bytes);
    }

    #[test]
    fn arbitrary_json_never_panics(value in json()) {
        let bytes = serde_json::to_vec(&value).unwrap();
        decode_all(&bytes);
        parse_all(&bytes);
        // The same shapes wrapped in each vendor's envelope.
        for wrapped in [
            serde_json::json!({ "response": value.clone() }),
            serde_json::json!({ "ok": true, "result": value.clone() }),
            serde_json::json!({ "ok": false, "result": value.clone() }),
            serde_json::json!([value.clone()]),
        ] {
            let bytes = serde_json::to_vec(&wrapped).unwrap();
            decode_all(&bytes);
            parse_all(&bytes);
        }
    }

    #[test]
    fn amounts_survive_their_own_wire_form(minor in -100_000_000_000_000i64..100_000_000_000_000i64) {
        let a = Amount::from_minor(minor);
        prop_assert_eq!(Amount::parse_decimal(&a.to_string()), Ok(a));
        prop_assert_eq!(ext::amount_from_wire(&ext::amount_to_wire(a)), Ok(a));
    }
}
