//! Which database `--db` names: a SQLite file or a PostgreSQL URL.

use std::fmt;
use std::path::PathBuf;

/// `--db` (or `LOYALTY_DATABASE_URL`): a `postgres://` or `postgresql://` URL selects
/// PostgreSQL; anything else is a SQLite file path.
#[derive(Clone)]
pub enum DbTarget {
    Sqlite(PathBuf),
    Postgres(Box<tokio_postgres::Config>),
}

impl DbTarget {
    pub fn parse(text: &str) -> Result<DbTarget, String> {
        let lower = text.trim_start().to_ascii_lowercase();
        if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
            // The driver's own error says what is wrong without echoing the URL, whose
            // password must not reach a log.
            text.trim()
                .parse::<tokio_postgres::Config>()
                .map(|config| DbTarget::Postgres(Box::new(config)))
                .map_err(|e| format!("the PostgreSQL URL is not valid: {e}"))
        } else if text.is_empty() {
            Err("--db is empty: give a SQLite file or a postgres:// URL".into())
        } else {
            Ok(DbTarget::Sqlite(PathBuf::from(text)))
        }
    }
}

/// The file, or the URL without its password: what logs and messages may show.
impl fmt::Display for DbTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DbTarget::Sqlite(path) => write!(f, "{}", path.display()),
            DbTarget::Postgres(config) => {
                write!(f, "postgres://")?;
                if let Some(user) = config.get_user() {
                    write!(f, "{user}@")?;
                }
                let hosts: Vec<String> = config
                    .get_hosts()
                    .iter()
                    .map(|h| match h {
                        tokio_postgres::config::Host::Tcp(name) => name.clone(),
                        tokio_postgres::config::Host::Unix(path) => path.display().to_string(),
                    })
                    .collect();
                write!(f, "{}", hosts.join(","))?;
                if let Some(port) = config.get_ports().first() {
                    write!(f, ":{port}")?;
                }
                write!(f, "/{}", config.get_dbname().unwrap_or(""))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_selects_postgres_and_is_shown_without_its_password() {
        let t = DbTarget::parse("postgres://till:s3cret@db.local:5433/loyalty").unwrap();
        assert!(matches!(t, DbTarget::Postgres(_)));
        let shown = t.to_string();
        assert_eq!(shown, "postgres://till@db.local:5433/loyalty");
        assert!(!shown.contains("s3cret"));
        assert!(matches!(
            DbTarget::parse("postgresql://x@h/d").unwrap(),
            DbTarget::Postgres(_)
        ));
        // Never taken for a file name, even where the driver wants the scheme lowercase.
        assert!(
            DbTarget::parse("POSTGRES://x@h/d")
                .err()
                .unwrap()
                .contains("PostgreSQL")
        );
        let bad = DbTarget::parse("postgres://u:pw@h:notaport/d")
            .err()
            .unwrap();
        assert!(!bad.contains("pw"), "{bad}");
    }

    #[test]
    fn anything_else_is_a_sqlite_file() {
        assert!(matches!(
            DbTarget::parse("shop.db").unwrap(),
            DbTarget::Sqlite(p) if p == std::path::Path::new("shop.db")
        ));
        assert!(DbTarget::parse("").is_err());
    }
}
