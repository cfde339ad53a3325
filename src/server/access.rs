//! Who may use each vendor format of `loyalty serve`, decided once at start from the
//! credentials given and the users in the database, so that the start-up message, the
//! refusal to start and the routes' checks say the same thing.
//!
//! A format whose own credential is not set admits anyone only on loopback (a developer's
//! machine, the console's embedded server) and only while no user was ever added; anywhere
//! else it is closed until a credential for it, or a user with the role, exists.

use super::principals::{Listed, Role};
use std::fmt;
use std::io::Read;
use std::path::Path;

/// The shortest secret accepted off loopback: anything shorter falls to online guessing.
pub const SECRET_MIN_CHARS: usize = 16;

/// The server's vendor formats, each with its own credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Ext,
    Poster,
    Mloyalty,
    Regos,
}

impl Format {
    pub const ALL: [Format; 4] = [Format::Ext, Format::Poster, Format::Mloyalty, Format::Regos];

    pub fn label(self) -> &'static str {
        match self {
            Format::Ext => "seed-001 /ext/api/v1/",
            Format::Poster => "Poster /api/clients.*",
            Format::Mloyalty => "Mloyalty /managerlogin",
            Format::Regos => "REGOS /gateway/out/{key}/",
        }
    }
}

/// What the server was started with.
pub struct Setup<'a> {
    /// Listening on loopback only.
    pub loopback: bool,
    pub token: bool,
    /// The Mloyalty manager's phone, when its password is set.
    pub manager: Option<&'a str>,
    pub integration_key: bool,
    /// Every user ever added, revoked ones too (they still close the open door).
    pub users: &'a [Listed],
}

/// Who may use one format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Door {
    /// Anyone who reaches the port.
    Anyone,
    /// The holders of these credentials.
    Only(Vec<String>),
    /// No one, until what is named here is given.
    Closed(&'static str),
}

impl Setup<'_> {
    fn live(&self, role: Option<Role>) -> usize {
        self.users
            .iter()
            .filter(|u| u.revoked_ms.is_none() && role.is_none_or(|r| u.role == r))
            .count()
    }

    /// Who may use `format`. Users added later are honoured too, on the next request.
    pub fn door(&self, format: Format) -> Door {
        let (own, role, missing) = match format {
            Format::Ext => (
                self.token.then(|| "the --token".to_string()),
                None,
                "--token or a user (`loyalty serve user add`)",
            ),
            Format::Poster => (
                self.token.then(|| "the --token".to_string()),
                Some(Role::Admin),
                "--token or an admin user (`loyalty serve user add NAME --role admin`)",
            ),
            Format::Mloyalty => (
                self.manager
                    .map(|phone| format!("the manager {phone} with its password")),
                Some(Role::Admin),
                "--manager-password or an admin user (`loyalty serve user add NAME --role admin`)",
            ),
            Format::Regos => (
                self.integration_key
                    .then(|| "the --integration-key".to_string()),
                Some(Role::Admin),
                "--integration-key or an admin user (`loyalty serve user add NAME --role admin`)",
            ),
        };
        if own.is_none() && self.users.is_empty() && self.loopback {
            return Door::Anyone;
        }
        let mut who: Vec<String> = own.into_iter().collect();
        let users = self.live(role);
        if users > 0 {
            let kind = match role {
                Some(Role::Admin) => "admin",
                _ => "cashier or admin",
            };
            who.push(format!("the keys of {users} live {kind} user(s)"));
        }
        if who.is_empty() {
            Door::Closed(missing)
        } else {
            Door::Only(who)
        }
    }

    /// Every format's door, in the order of [`Format::ALL`].
    pub fn doors(&self) -> Vec<(Format, Door)> {
        Format::ALL.iter().map(|&f| (f, self.door(f))).collect()
    }
}

impl fmt::Display for Door {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Door::Anyone => write!(
                f,
                "open to anyone (no credential set and no user added; loopback only)"
            ),
            Door::Only(who) => write!(f, "open to {}", who.join(" and ")),
            Door::Closed(missing) => write!(f, "closed to everyone: give {missing} to open it"),
        }
    }
}

/// A secret as given: empty is no secret at all, and off loopback one shorter than
/// [`SECRET_MIN_CHARS`] is refused, since it would fall to guessing. `what` names where it
/// came from, for the error.
pub fn checked_secret(
    what: &str,
    secret: Option<String>,
    loopback: bool,
) -> Result<Option<String>, String> {
    let Some(secret) = secret else {
        return Ok(None);
    };
    let chars = secret.chars().count();
    if loopback {
        if chars == 0 {
            tracing::warn!("{what} is empty: taken as not given");
            return Ok(None);
        }
        return Ok(Some(secret));
    }
    if chars < SECRET_MIN_CHARS {
        let told = if chars == 0 { "empty" } else { "too short" };
        return Err(format!(
            "{what} is {told}: off loopback a secret needs at least {SECRET_MIN_CHARS} \
             characters (a random one: `openssl rand -hex 32`)"
        ));
    }
    Ok(Some(secret))
}

/// A secret kept in a file only its owner may read (0600 or 0400), so that it is in neither
/// the process list nor a world-readable place; one trailing line break is not part of it.
pub fn read_secret_file(what: &str, path: &Path) -> Result<String, String> {
    let shown = path.display();
    let mut file =
        std::fs::File::open(path).map_err(|e| format!("{what} {shown} cannot be read: {e}"))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = file
            .metadata()
            .map_err(|e| format!("{what} {shown} cannot be read: {e}"))?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            return Err(format!(
                "{what} {shown} can be read by other users (mode {:04o}): make it its \
                 owner's only (chmod 600 {shown})",
                mode & 0o7777
            ));
        }
    }
    let mut text = String::new();
    file.read_to_string(&mut text)
        .map_err(|e| format!("{what} {shown} cannot be read as text: {e}"))?;
    let text = text.strip_suffix('\n').unwrap_or(&text);
    Ok(text.strip_suffix('\r').unwrap_or(text).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: Role, revoked: bool) -> Listed {
        Listed {
            name: "u".into(),
            role,
            created_ms: 1,
            revoked_ms: revoked.then_some(2),
        }
    }

    fn setup(loopback: bool, users: &[Listed]) -> Setup<'_> {
        Setup {
            loopback,
            token: false,
            manager: None,
            integration_key: false,
            users,
        }
    }

    #[test]
    fn a_format_without_its_credential_is_open_only_on_loopback_before_any_user() {
        for format in Format::ALL {
            assert_eq!(setup(true, &[]).door(format), Door::Anyone, "{format:?}");
            assert!(
                matches!(setup(false, &[]).door(format), Door::Closed(_)),
                "{format:?}"
            );
            let revoked = [user(Role::Admin, true)];
            assert!(
                matches!(setup(true, &revoked).door(format), Door::Closed(_)),
                "{format:?}: a revoked user still closes the open door"
            );
        }
    }

    #[test]
    fn the_token_alone_opens_only_its_own_formats() {
        let s = Setup {
            token: true,
            ..setup(false, &[])
        };
        let doors = s.doors();
        assert_eq!(doors[0].1, Door::Only(vec!["the --token".into()]));
        assert_eq!(doors[1].1, Door::Only(vec!["the --token".into()]));
        assert!(matches!(doors[2].1, Door::Closed(m) if m.contains("--manager-password")));
        assert!(matches!(doors[3].1, Door::Closed(m) if m.contains("--integration-key")));
        assert!(doors[3].1.to_string().starts_with("closed to everyone"));
    }

    #[test]
    fn cashiers_open_seed_001_only_and_admins_every_format() {
        let cashier = [user(Role::Cashier, false)];
        let s = setup(false, &cashier);
        assert!(matches!(s.door(Format::Ext), Door::Only(_)));
        for format in [Format::Poster, Format::Mloyalty, Format::Regos] {
            assert!(matches!(s.door(format), Door::Closed(_)), "{format:?}");
        }
        let admin = [user(Role::Admin, false), user(Role::Cashier, false)];
        let s = Setup {
            manager: Some("79990000000"),
            ..setup(false, &admin)
        };
        assert_eq!(
            s.door(Format::Mloyalty).to_string(),
            "open to the manager 79990000000 with its password and the keys of 1 live admin user(s)"
        );
        assert_eq!(
            s.door(Format::Ext).to_string(),
            "open to the keys of 2 live cashier or admin user(s)"
        );
    }

    #[test]
    fn empty_secrets_are_none_and_short_ones_are_refused_off_loopback() {
        let given = |s: &str| Some(s.to_string());
        assert_eq!(checked_secret("--token", given(""), true), Ok(None));
        assert_eq!(
            checked_secret("--token", given("tok"), true),
            Ok(given("tok"))
        );
        let empty = checked_secret("--manager-password", given(""), false).unwrap_err();
        assert!(empty.starts_with("--manager-password is empty"), "{empty}");
        let short = checked_secret("--integration-key", given("change-me"), false).unwrap_err();
        assert!(
            short.contains("too short") && !short.contains("change-me"),
            "{short}"
        );
        let long = "x".repeat(SECRET_MIN_CHARS);
        assert_eq!(
            checked_secret("--token", given(&long), false),
            Ok(Some(long))
        );
        assert_eq!(checked_secret("--token", None, false), Ok(None));
    }

    #[cfg(unix)]
    #[test]
    fn a_secret_file_others_can_read_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("token");
        std::fs::write(&path, "s3cret-token-value\r\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let refused = read_secret_file("--token-file", &path).unwrap_err();
        assert!(
            refused.contains("mode 0644") && !refused.contains("s3cret"),
            "{refused}"
        );
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert_eq!(
            read_secret_file("--token-file", &path).unwrap(),
            "s3cret-token-value"
        );
    }
}
