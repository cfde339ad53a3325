//! Request bodies bound as the vendor's ASP.NET Web API binds them with Json.NET, so every
//! client that works against the vendor works against `loyalty serve`: property names match
//! whatever their case (`token`, `Token`, `TOKEN`), numbers may come as strings (`"1001"`),
//! and a body may be a JSON object or an `application/x-www-form-urlencoded` form (the PyPI
//! client posts forms with lower-case keys). Unknown properties are ignored, as Json.NET
//! ignores them.

use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, forward_to_deserialize_any};
use serde_json::{Map, Value};
use std::fmt;

/// Whether a `Content-Type` names a form body.
fn is_form(content_type: Option<&str>) -> bool {
    content_type.is_some_and(|t| {
        t.split(';').next().is_some_and(|t| {
            t.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        })
    })
}

/// A request body as `T`: a form when `content_type` says so, JSON otherwise.
pub fn bind<T: DeserializeOwned>(content_type: Option<&str>, body: &[u8]) -> Result<T, String> {
    let entries = if is_form(content_type) {
        form_entries(body)?
    } else {
        serde_json::from_slice::<Entries>(body)
            .map_err(|e| e.to_string())?
            .0
    };
    object::<T>(entries)
}

/// `T` from an object's properties in the order they came: each goes to the field of the
/// same name, an exact match first and then one in another case; a property given twice
/// (in any cases) keeps the later value, as Json.NET does.
fn object<T: DeserializeOwned>(entries: Vec<(String, Value)>) -> Result<T, String> {
    let fields = field_names::<T>();
    let mut bound = Map::new();
    for (key, value) in entries {
        let field = fields
            .iter()
            .find(|f| **f == key)
            .or_else(|| fields.iter().find(|f| f.eq_ignore_ascii_case(&key)));
        if let Some(field) = field {
            bound.insert((*field).to_string(), value);
        }
    }
    serde_json::from_value(Value::Object(bound)).map_err(|e| e.to_string())
}

/// A form's pairs as an object's properties. A nested object's properties come as
/// `reg.today=true` or `reg[today]=true`, as ASP.NET's form binders read them, gathered into
/// one object whatever the case of its name.
fn form_entries(body: &[u8]) -> Result<Vec<(String, Value)>, String> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body)
        .map_err(|e| format!("a form that cannot be read: {e}"))?;
    let mut entries: Vec<(String, Value)> = Vec::new();
    for (key, value) in pairs {
        let nested = key
            .split_once('.')
            .map(|(outer, inner)| (outer.to_string(), inner.to_string()))
            .or_else(|| {
                let (outer, rest) = key.split_once('[')?;
                Some((outer.to_string(), rest.strip_suffix(']')?.to_string()))
            });
        match nested {
            Some((outer, inner)) => {
                let at = entries
                    .iter()
                    .position(|(k, v)| k.eq_ignore_ascii_case(&outer) && v.is_object());
                let object = match at {
                    Some(i) => &mut entries[i].1,
                    None => {
                        entries.push((outer, Value::Object(Map::new())));
                        &mut entries.last_mut().expect("just pushed").1
                    }
                };
                if let Value::Object(map) = object {
                    map.insert(inner, Value::String(value));
                }
            }
            None => entries.push((key, Value::String(value))),
        }
    }
    Ok(entries)
}

/// A JSON object's properties in document order (a `serde_json::Map` sorts them, and which
/// of two spellings came later decides which one binds).
struct Entries(Vec<(String, Value)>);

impl<'de> Deserialize<'de> for Entries {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Ordered;
        impl<'de> Visitor<'de> for Ordered {
            type Value = Entries;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry::<String, Value>()? {
                    entries.push(entry);
                }
                Ok(Entries(entries))
            }
        }
        d.deserialize_map(Ordered)
    }
}

/// The names a derived `Deserialize` of `T` reads (after its renames): it hands them to the
/// deserializer, which this one keeps and then refuses.
fn field_names<T: DeserializeOwned>() -> &'static [&'static str] {
    struct Names<'a>(&'a mut &'static [&'static str]);
    impl<'de> Deserializer<'de> for Names<'_> {
        type Error = de::value::Error;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
            Err(de::Error::custom("not a struct"))
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Self::Error> {
            *self.0 = fields;
            Err(de::Error::custom("names taken"))
        }
        forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map enum
            identifier ignored_any
        }
    }
    let mut fields: &'static [&'static str] = &[];
    let _ = T::deserialize(Names(&mut fields));
    fields
}

/// A nested object (`Reg`) bound like the body around it; `null` is none. Its properties
/// come sorted by name here, so of two spellings of one the later in that order binds.
pub fn nested<'de, D: Deserializer<'de>, T: DeserializeOwned>(d: D) -> Result<Option<T>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        Value::Object(map) => object::<T>(map.into_iter().collect())
            .map(Some)
            .map_err(de::Error::custom),
        other => Err(de::Error::custom(format!(
            "expected an object, found {other}"
        ))),
    }
}

/// A 64-bit integer as Json.NET reads one into a `long`: a JSON integer or a string holding
/// one (surrounding spaces allowed, as .NET's `Int64.Parse` allows them). `null` and `""`
/// are none.
pub fn optional_int<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        Value::Number(n) => n
            .as_i64()
            .map(Some)
            .ok_or_else(|| de::Error::custom(format!("{n} is not a 64-bit integer"))),
        Value::String(s) if s.trim().is_empty() => Ok(None),
        Value::String(s) => s
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| de::Error::custom(format!("{s:?} is not an integer"))),
        other => Err(de::Error::custom(format!(
            "expected an integer, found {other}"
        ))),
    }
}

/// Like [`optional_int`]; none is 0, the default of a .NET `long`.
pub fn int<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    optional_int(d).map(Option::unwrap_or_default)
}

/// A boolean as Json.NET reads one into a `bool`: `true`/`false`, a string holding one in
/// any case (a form's `True`), or an integer (non-zero is true). `null` and `""` are false.
pub fn boolean<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(false),
        Value::Bool(b) => Ok(b),
        Value::Number(n) => n
            .as_i64()
            .map(|n| n != 0)
            .ok_or_else(|| de::Error::custom(format!("{n} is not a boolean"))),
        Value::String(s) => match s.trim() {
            "" => Ok(false),
            t if t.eq_ignore_ascii_case("true") => Ok(true),
            t if t.eq_ignore_ascii_case("false") => Ok(false),
            _ => Err(de::Error::custom(format!("{s:?} is not a boolean"))),
        },
        other => Err(de::Error::custom(format!(
            "expected a boolean, found {other}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::mloyalty::{ClientInfoPeriodRequestDto, LoginFormDto, RegDto};

    fn json(body: &str) -> Result<ClientInfoPeriodRequestDto, String> {
        bind(Some("application/json; charset=utf-8"), body.as_bytes())
    }

    #[test]
    fn names_bind_in_any_case_and_numbers_from_strings() {
        let r = json(
            r#"{"begdate":"2024-01-01","ENDDATE":"2024-02-01","token":"1001",
                "Operator":" 7 ","regPosList":"","REG":{"today":"True","month":"3"},
                "registration":1,"SiteCode":5,"unknown":{"deep":[1]}}"#,
        )
        .unwrap();
        assert_eq!(
            (r.beg_date.as_str(), r.end_date.as_str()),
            ("2024-01-01", "2024-02-01")
        );
        assert_eq!((r.token, r.operator, r.reg_pos_list), (1001, 7, None));
        assert!(r.registration);
        assert_eq!(r.site_code.as_deref(), Some("5"));
        assert_eq!(
            r.reg,
            Some(RegDto {
                today: true,
                month: 3,
                ..RegDto::default()
            })
        );
    }

    /// What the console's adapter sends binds back to itself: the names `field_names` reads
    /// are the names the DTO writes.
    #[test]
    fn the_consoles_own_request_binds_unchanged() {
        let sent = ClientInfoPeriodRequestDto {
            beg_date: "2024-01-01T00:00:00+03:00".into(),
            end_date: "2024-01-31T23:59:59+03:00".into(),
            registration: true,
            reg_pos_list: Some(4),
            reg: Some(RegDto {
                today: false,
                yesterday: true,
                month: 12,
                year: 2024,
            }),
            operator: 1,
            token: 1001,
            site_code: Some("web".into()),
        };
        let body = serde_json::to_vec(&sent).unwrap();
        assert_eq!(json(std::str::from_utf8(&body).unwrap()).unwrap(), sent);
    }

    #[test]
    fn of_two_spellings_of_a_name_the_later_binds() {
        assert_eq!(json(r#"{"Token":1,"token":2}"#).unwrap().token, 2);
        assert_eq!(json(r#"{"token":2,"Token":1}"#).unwrap().token, 1);
    }

    #[test]
    fn forms_bind_with_nested_presets() {
        let r: ClientInfoPeriodRequestDto = bind(
            Some("Application/X-WWW-Form-Urlencoded"),
            b"token=1001&operator=1&begdate=2024-01-01&reg.yesterday=true&Reg%5Bmonth%5D=2",
        )
        .unwrap();
        assert_eq!((r.token, r.operator), (1001, 1));
        let reg = r.reg.unwrap();
        assert!(reg.yesterday && reg.month == 2, "{reg:?}");
        let login: LoginFormDto = bind(
            Some("application/x-www-form-urlencoded"),
            b"UserName=7999&Password=p%20w&GRANT_TYPE=password",
        )
        .unwrap();
        assert_eq!(
            (login.username.as_str(), login.password.as_str()),
            ("7999", "p w")
        );
        assert_eq!(login.grant_type, "password");
    }

    #[test]
    fn what_cannot_bind_is_an_error_with_a_reason() {
        for (body, says) in [
            (r#"{"token":"ten"}"#, "not an integer"),
            (r#"{"token":1.5}"#, "not a 64-bit integer"),
            (r#"{"token":"99999999999999999999"}"#, "not an integer"),
            (r#"{"registration":"yes"}"#, "not a boolean"),
            (r#"{"reg":[1]}"#, "expected an object"),
            (r#"[1]"#, "object"),
            (r#"null"#, "object"),
        ] {
            let e = json(body).unwrap_err();
            assert!(e.contains(says), "{body}: {e}");
        }
    }

    proptest::proptest! {
        /// Any bytes, as JSON or as a form: an answer or a reason, never a panic.
        #[test]
        fn any_body_binds_or_is_refused(body in proptest::collection::vec(proptest::num::u8::ANY, 0..200)) {
            let _ = bind::<ClientInfoPeriodRequestDto>(None, &body);
            let _ = bind::<ClientInfoPeriodRequestDto>(Some("application/x-www-form-urlencoded"), &body);
        }
    }
}
