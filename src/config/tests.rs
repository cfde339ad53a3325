//! Config parsing and resolution: every mistake a shop can make is a clear message.

use super::*;

fn no_env(_: &str) -> Option<String> {
    None
}

#[test]
fn empty_config_means_embedded() {
    let s = ConfigFile::parse("")
        .unwrap()
        .resolve(None, no_env)
        .unwrap();
    assert!(matches!(s.backend, Backend::Embedded));
    assert_eq!(s.locale, Locale::En);
}

/// Profile `a` of `text`: one vendor's settings, or the fault its section was left off for
/// (an error of the whole file or profile is an error too).
fn section<T>(
    text: &str,
    env: impl Fn(&str) -> Option<String>,
    pick: impl Fn(Providers) -> Option<T>,
) -> Result<T, String> {
    let settings = ConfigFile::parse(text)
        .map_err(|e| e.0)?
        .resolve(Some("a"), env)
        .map_err(|e| e.0)?;
    let Backend::Profile { providers, .. } = settings.backend else {
        unreachable!("a profile was chosen")
    };
    let fault = providers.faults.first().map(|f| f.message());
    pick(*providers).ok_or_else(|| fault.expect("a section left off says why"))
}

fn ext(body: &str) -> Result<ExtCredential, String> {
    let text = format!("[profiles.a.ext]\nbase_url = \"http://x\"\n{body}");
    let env = |k: &str| (k == "KEY").then(|| "k-123".to_string());
    section(&text, env, |p| p.ext.map(|e| e.credential))
}

#[test]
fn ext_takes_login_with_api_key_or_a_token_and_says_what_is_wrong() {
    let c = ext("login = \"kassa@shop.ru\"\napi_key_env = \"KEY\"\n").unwrap();
    assert!(matches!(
        c,
        ExtCredential::ApiKey { ref login, ref api_key }
            if login == "kassa@shop.ru" && api_key.expose() == "k-123"
    ));
    assert!(matches!(
        ext("token = \"t\"\n").unwrap(),
        ExtCredential::Bearer(_)
    ));
    for (body, says) in [
        ("login = \"79123456789\"\n", "login needs api_key"),
        ("api_key = \"k\"\n", "api_key needs login"),
        (
            "login = \"l\"\napi_key = \"k\"\ntoken = \"t\"\n",
            "not both",
        ),
        ("", "give login with api_key"),
        ("login = \" \"\napi_key = \"k\"\n", "email or phone"),
        (
            "login = \"l\"\napi_key_env = \"NOPE\"\n",
            "api_key_env names NOPE",
        ),
    ] {
        let e = ext(body).unwrap_err();
        assert!(
            e.contains("profiles.a.ext") && e.contains(says),
            "{body}: {e}"
        );
    }
}

#[test]
fn a_mloyalty_login_is_a_phone_and_ids_may_be_given() {
    let parse = |body: &str| {
        let text =
            format!("[profiles.a.mloyalty]\nbase_url = \"http://x\"\npassword = \"p\"\n{body}");
        section(&text, no_env, |p| p.mloyalty)
    };
    let err = parse("username = \"manager\"\n").unwrap_err();
    assert!(
        err.contains("profiles.a.mloyalty.username must be the manager's phone number"),
        "{err}"
    );
    let m = parse("username = \"+79123456789\"\ntoken = 1001\noperator = 12\n").unwrap();
    assert_eq!((m.token, m.operator), (Some(1001), Some(12)));
    let err = parse("username = \"79123456789\"\ntoken = \"x\"\n").unwrap_err();
    assert!(err.contains("token"), "{err}");

    // The vendor's zone: Moscow unless told, an offset or a zone name otherwise.
    let offset = |m: MloyaltySettings| m.zone.to_offset(jiff::Timestamp::UNIX_EPOCH).seconds();
    let m = parse("username = \"79123456789\"\n").unwrap();
    assert_eq!(offset(m), 3 * 3600);
    let m = parse("username = \"79123456789\"\ntime_zone = \"+05:00\"\n").unwrap();
    assert_eq!(offset(m), 5 * 3600);
    let m = parse("username = \"79123456789\"\ntime_zone = \"-03:30\"\n").unwrap();
    assert_eq!(offset(m), -(3 * 3600 + 1800));
    let err = parse("username = \"79123456789\"\ntime_zone = \"Mars/Olympus\"\n").unwrap_err();
    assert!(err.contains("profiles.a.mloyalty.time_zone"), "{err}");
}

#[test]
fn template_parses() {
    ConfigFile::parse(TEMPLATE).unwrap();
}

#[test]
fn profile_with_token_env() {
    let cfg = ConfigFile::parse(
        "default_profile = \"shop\"\nlocale = \"ru\"\n[profiles.shop.ext]\nbase_url = \"http://127.0.0.1:9\"\ntoken_env = \"T\"\n",
    )
    .unwrap();
    let s = cfg
        .resolve(None, |k| (k == "T").then(|| "abc".to_string()))
        .unwrap();
    assert_eq!(s.locale, Locale::Ru);
    match s.backend {
        Backend::Profile { name, providers } => {
            assert_eq!(name, "shop");
            let ext = providers.ext.unwrap();
            assert!(matches!(ext.credential, ExtCredential::Bearer(t) if t.expose() == "abc"));
            assert!(providers.poster.is_none());
        }
        Backend::Embedded => panic!("expected the shop profile"),
    }
    let err = section_fault(&cfg, None);
    assert!(err.contains("profiles.shop.ext.token_env names T"), "{err}");
}

/// The first fault of the chosen profile.
fn section_fault(cfg: &ConfigFile, profile: Option<&str>) -> String {
    let s = cfg.resolve(profile, no_env).unwrap();
    let Backend::Profile { providers, .. } = s.backend else {
        panic!("a profile")
    };
    providers
        .faults
        .first()
        .map(Fault::message)
        .expect("a fault")
}

#[test]
fn admin_providers_with_secrets_from_the_environment() {
    let cfg = ConfigFile::parse(
        "[profiles.office.poster]\nbase_url = \"https://shop.joinposter.com\"\ntoken_env = \"P\"\n\
         [profiles.office.mloyalty]\nbase_url = \"https://api.example.ru/lc/\"\nusername = \"79123456789\"\npassword = \"pw\"\n\
         [profiles.office.regos]\nbase_url = \"https://integration.regos.uz\"\nintegration_key = \"k1\"\n",
    )
    .unwrap();
    let s = cfg
        .resolve(Some("office"), |k| (k == "P").then(|| "tok".to_string()))
        .unwrap();
    let Backend::Profile { providers, .. } = s.backend else {
        panic!("a profile")
    };
    assert!(providers.ext.is_none());
    assert_eq!(providers.poster.unwrap().secret.expose(), "tok");
    let ml = providers.mloyalty.unwrap();
    assert_eq!(
        (ml.endpoint.secret.expose(), ml.username.as_str()),
        ("pw", "79123456789")
    );
    assert_eq!(providers.regos.unwrap().secret.expose(), "k1");
    let missing = ConfigFile::parse("[profiles.o.regos]\nbase_url = \"https://x\"\n").unwrap();
    let err = section_fault(&missing, Some("o"));
    assert!(
        err.contains("profiles.o.regos: give integration_key"),
        "{err}"
    );
    let empty = ConfigFile::parse("[profiles.o]\n").unwrap();
    assert!(
        empty
            .resolve(Some("o"), no_env)
            .unwrap_err()
            .0
            .contains("configures no provider")
    );
}

#[cfg(unix)]
#[test]
fn inline_secrets_in_a_readable_file_are_flagged() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.toml");
    let inline = "[profiles.a.ext]\nbase_url = \"http://x\"\ntoken = \"t\"\n";
    std::fs::write(&path, inline).unwrap();
    let file = ConfigFile::parse(inline).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert!(secrets_exposed(&path, &file));
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    assert!(!secrets_exposed(&path, &file));
    let by_env =
        ConfigFile::parse("[profiles.a.ext]\nbase_url = \"http://x\"\ntoken_env = \"T\"\n")
            .unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert!(!secrets_exposed(&path, &by_env), "no secret in the file");
}

#[test]
fn errors_name_the_key() {
    // A mistyped key in a vendor's section is that section's fault, named with the section.
    let cfg = ConfigFile::parse("[profiles.a.ext]\nbase_ur = \"x\"\n").unwrap();
    let err = section_fault(&cfg, Some("a"));
    assert!(
        err.contains("[profiles.a.ext]") && err.contains("base_ur"),
        "{err}"
    );
    // Out of a section, it is the file's.
    let err = ConfigFile::parse("[profiles.a]\nextt = 1\n").unwrap_err().0;
    assert!(err.contains("extt"), "{err}");
    let cfg = ConfigFile::parse("[profiles.a.ext]\nbase_url = \"ftp://x\"\n").unwrap();
    let err = section_fault(&cfg, Some("a"));
    assert!(err.contains("profiles.a.ext.base_url"), "{err}");
    let err = cfg.resolve(Some("b"), no_env).unwrap_err().0;
    assert!(err.contains("profile \"b\""), "{err}");
    let cfg =
        ConfigFile::parse("[profiles.a.ext]\nbase_url = \"http://x\"\ntoken = \"ключ\"\n").unwrap();
    let err = section_fault(&cfg, Some("a"));
    assert!(
        err.contains("profiles.a.ext.token") && !err.contains("ключ"),
        "{err}"
    );
    let err = ConfigFile::parse("locale = \"de\"").unwrap_err().0;
    assert!(err.contains("locale") || err.contains("de"), "{err}");
}

#[test]
fn theme_and_mouse_from_the_file_and_no_color_from_the_environment() {
    let cfg: ConfigFile = toml::from_str("theme = \"light\"\nmouse = true\n").unwrap();
    let s = cfg.resolve(None, no_env).unwrap();
    assert_eq!(s.theme.base, ThemeName::Light);
    assert!(s.mouse);
    let no_color = |k: &str| (k == "NO_COLOR").then(|| "1".to_string());
    assert_eq!(
        cfg.resolve(None, no_color).unwrap().theme.base,
        ThemeName::Mono
    );
    // no-color.org: an empty NO_COLOR is as if it were not set.
    let empty = |k: &str| (k == "NO_COLOR").then(String::new);
    assert_eq!(
        cfg.resolve(None, empty).unwrap().theme.base,
        ThemeName::Light
    );
    let default: ConfigFile = toml::from_str("").unwrap();
    let s = default.resolve(None, no_env).unwrap();
    assert_eq!(s.theme.base, ThemeName::Dark);
    assert!(
        !s.mouse,
        "off unless asked: the terminal's own selection keeps working"
    );
}

#[test]
fn the_read_budget_is_read_and_bounded() {
    let budget = |line: &str| {
        let text = format!("{line}\n[profiles.a.ext]\nbase_url = \"http://x\"\ntoken = \"t\"\n");
        ConfigFile::parse(&text)
            .map_err(|e| e.0)?
            .resolve(Some("a"), no_env)
            .map_err(|e| e.0)
            .map(|s| match s.backend {
                Backend::Profile { providers, .. } => providers.read_budget,
                Backend::Embedded => unreachable!(),
            })
    };
    assert_eq!(budget(""), Ok(None));
    assert_eq!(
        budget("read_budget_seconds = 4.5"),
        Ok(Some(std::time::Duration::from_millis(4_500)))
    );
    for bad in ["0", "-1", "601", "nan"] {
        let e = budget(&format!("read_budget_seconds = {bad}")).unwrap_err();
        assert!(e.contains("read_budget_seconds"), "{bad}: {e}");
    }
}

#[test]
fn the_login_is_the_ext_profiles_and_only_with_an_api_key() {
    let resolve = |text: &str| {
        let env = |k: &str| (k == "KEY").then(|| "k-123".to_string());
        ConfigFile::parse(text)
            .unwrap()
            .resolve(Some("a"), env)
            .unwrap()
    };
    let with_key = resolve(
        "[profiles.a.ext]\nbase_url = \"http://x\"\nlogin = \"cashier@shop.ru\"\napi_key_env = \"KEY\"\n",
    );
    assert_eq!(with_key.login(), Some("cashier@shop.ru"));
    let bearer = resolve("[profiles.a.ext]\nbase_url = \"http://x\"\ntoken = \"t\"\n");
    assert_eq!(bearer.login(), None);
    let embedded = ConfigFile::parse("")
        .unwrap()
        .resolve(None, no_env)
        .unwrap();
    assert_eq!(embedded.login(), None);
}

#[test]
fn a_wrong_section_leaves_only_its_vendor_off_and_every_mistake_is_listed() {
    let text = "default_profile = \"shop\"\nrequest_timeout_seconds = 0\n\
        [profiles.shop.ext]\nbase_url = \"http://x\"\ntoken = \"t\"\n\
        [profiles.shop.mloyalty]\nbase_url = \"http://x\"\nusername = \"manager\"\npassword = \"p\"\n\
        [profiles.shop.regos]\nbase_url = \"http://x\"\nintegration_keyy = \"k\"\n\
        [profiles.other.poster]\nbase_url = \"http://x\"\n";
    let cfg = ConfigFile::parse(text).unwrap();
    // The limits are every screen's: they still stop the console.
    let err = cfg.resolve(None, no_env).unwrap_err().0;
    assert!(err.contains("request_timeout_seconds"), "{err}");
    let cfg = ConfigFile::parse(&text.replace("request_timeout_seconds = 0\n", "")).unwrap();
    let s = cfg.resolve(None, no_env).unwrap();
    let Backend::Profile { providers, .. } = s.backend else {
        panic!("the default profile")
    };
    assert!(providers.ext.is_some(), "the till still works");
    assert!(providers.mloyalty.is_none() && providers.regos.is_none());
    let vendors: Vec<Vendor> = providers.faults.iter().map(|f| f.vendor).collect();
    assert_eq!(vendors, [Vendor::Mloyalty, Vendor::Regos]);
    assert!(
        providers.faults[0]
            .message()
            .contains("profiles.shop.mloyalty.username"),
        "{:?}",
        providers.faults
    );
    assert!(
        providers.faults[1].message().contains("integration_keyy"),
        "{:?}",
        providers.faults
    );
    // `config check` hears of every mistake at once, in every profile, limits included.
    let all = ConfigFile::parse(text).unwrap().faults(no_env);
    assert_eq!(all.len(), 4, "{all:#?}");
    for says in [
        "request_timeout_seconds",
        "profiles.shop.mloyalty.username",
        "integration_keyy",
        "profiles.other.poster: give token",
    ] {
        assert!(all.iter().any(|f| f.contains(says)), "{says}: {all:#?}");
    }
    assert!(
        ConfigFile::parse("").unwrap().faults(no_env).is_empty(),
        "nothing to fault"
    );
}

#[test]
fn every_mistake_of_a_section_is_said_not_only_the_first() {
    let text = "[profiles.a.regos]\nbase_url = \"ftp://x\"\n\
        [profiles.a.mloyalty]\nbase_url = \"x\"\nusername = \"manager\"\ntime_zone = \"Mars\"\n\
        [profiles.a.ext]\nbase_url = \"http://x\"\ntoken = \"t\"\napi_key_env = \"NOPE\"\n";
    let cfg = ConfigFile::parse(text).unwrap();
    let s = cfg.resolve(Some("a"), no_env).unwrap();
    let Backend::Profile { providers, .. } = s.backend else {
        panic!("a profile")
    };
    let said = |vendor: Vendor| -> Vec<String> {
        providers
            .faults
            .iter()
            .filter(|f| f.vendor == vendor)
            .map(Fault::message)
            .collect()
    };
    let regos = said(Vendor::Regos);
    assert_eq!(regos.len(), 2, "{regos:#?}");
    assert!(regos[0].contains("base_url") && regos[1].contains("give integration_key"));
    let mloyalty = said(Vendor::Mloyalty);
    assert_eq!(
        mloyalty.len(),
        4,
        "url, login, password, zone: {mloyalty:#?}"
    );
    let ext = said(Vendor::Ext);
    assert_eq!(
        ext,
        ["profiles.a.ext.api_key_env names NOPE, which is not set"]
    );
    assert!(providers.ext.is_none() && providers.regos.is_none());
}

#[test]
fn config_check_hears_of_unknown_keys_and_of_what_comes_after_them() {
    let text = "colour = \"x\"\ndefault_profile = \"a\"\n[profiles.a.regoss]\nbase_url = \"x\"\n\
        [profiles.a.poster]\nbase_url = \"http://x\"\n";
    assert!(ConfigFile::parse(text).is_err(), "the console refuses it");
    let (file, unknown) = ConfigFile::parse_listing_unknown(text).unwrap();
    assert_eq!(unknown.len(), 2, "{unknown:?}");
    assert!(unknown[0].contains("`colour`") && unknown[1].contains("`regoss`"));
    let faults = file.faults(no_env);
    assert!(
        faults
            .iter()
            .any(|f| f.contains("profiles.a.poster: give token")),
        "{faults:?}"
    );
    assert!(
        ConfigFile::parse_listing_unknown("[profiles\n").is_err(),
        "syntax stops it"
    );
}

#[test]
fn the_receipt_is_asked_as_the_ext_profile_says_optional_by_default() {
    let receipt = |extra: &str| {
        let text = format!("[profiles.a.ext]\nbase_url = \"http://x\"\ntoken = \"t\"\n{extra}");
        section(&text, no_env, |p| p.ext.map(|e| e.receipt))
    };
    assert_eq!(receipt(""), Ok(ReceiptMode::Optional));
    assert_eq!(receipt("receipt = \"off\"\n"), Ok(ReceiptMode::Off));
    assert_eq!(
        receipt("receipt = \"required\"\n"),
        Ok(ReceiptMode::Required)
    );
    // A wrong value leaves the section off, saying which key.
    let wrong = receipt("receipt = \"always\"\n").unwrap_err();
    assert!(wrong.contains("always"), "{wrong}");
    let embedded = ConfigFile::parse("")
        .unwrap()
        .resolve(None, no_env)
        .unwrap();
    assert_eq!(embedded.receipt(), ReceiptMode::Optional);
}
