//! `loyalty serve user add|list|revoke|rotate-jwt-key`: the API keys of a shop's tills and
//! admins, and the key that signs Mloyalty's sessions, kept in the server's database so every
//! instance over it knows them at once.

use clap::Subcommand;
use loyalty_console::server::principals::Role;
use loyalty_console::server::store::{DbTarget, Store};

#[derive(Subcommand)]
pub enum UserAction {
    /// Add a user and print its new API key (shown once, stored only as a digest).
    Add {
        name: String,
        /// cashier: search, read and write off; admin: also groups and reports.
        #[arg(long, value_parser = ["cashier", "admin"])]
        role: String,
        /// The server's database: a SQLite file or a postgres:// URL.
        #[arg(long, env = "LOYALTY_DATABASE_URL", hide_env_values = true, value_parser = crate::db_arg::DbArg)]
        db: DbTarget,
    },
    /// List the users, with when each was added and revoked.
    List {
        /// The server's database: a SQLite file or a postgres:// URL.
        #[arg(long, env = "LOYALTY_DATABASE_URL", hide_env_values = true, value_parser = crate::db_arg::DbArg)]
        db: DbTarget,
    },
    /// Revoke a user's key; every instance refuses it from the next request.
    Revoke {
        name: String,
        /// The server's database: a SQLite file or a postgres:// URL.
        #[arg(long, env = "LOYALTY_DATABASE_URL", hide_env_values = true, value_parser = crate::db_arg::DbArg)]
        db: DbTarget,
    },
    /// Replace the key that signs Mloyalty's tokens: every session (access and refresh
    /// tokens) is refused by every instance from its next request, and managers log in again.
    RotateJwtKey {
        /// The server's database: a SQLite file or a postgres:// URL.
        #[arg(long, env = "LOYALTY_DATABASE_URL", hide_env_values = true, value_parser = crate::db_arg::DbArg)]
        db: DbTarget,
    },
}

async fn open(db: &DbTarget) -> Result<Store, String> {
    Store::open(db)
        .await
        .map_err(|e| format!("database {db}: {e}"))
}

pub async fn run(action: UserAction) -> Result<(), String> {
    let now = jiff::Timestamp::now().as_millisecond();
    match action {
        UserAction::Add { name, role, db } => {
            let role = Role::parse(&role).ok_or("--role is cashier or admin")?;
            let key = open(&db)
                .await?
                .add_user(name.clone(), role, now)
                .await
                .map_err(|e| e.to_string())?;
            println!("{key}");
            eprintln!(
                "user {name:?} added as {}: the key above is shown only now; give it to the till \
                 (its console's api_key, or the Bearer token)",
                role.as_str()
            );
            Ok(())
        }
        UserAction::List { db } => {
            let users = open(&db).await?.users().await.map_err(|e| e.to_string())?;
            let day = |ms: i64| {
                jiff::Timestamp::from_millisecond(ms)
                    .map(|t| t.strftime("%Y-%m-%d %H:%M UTC").to_string())
                    .unwrap_or_default()
            };
            for u in users {
                let revoked = u
                    .revoked_ms
                    .map(|ms| format!("  revoked {}", day(ms)))
                    .unwrap_or_default();
                println!(
                    "{:<24} {:<8} added {}{revoked}",
                    u.name,
                    u.role.as_str(),
                    day(u.created_ms)
                );
            }
            Ok(())
        }
        UserAction::Revoke { name, db } => {
            let revoked = open(&db)
                .await?
                .revoke_user(name.clone(), now)
                .await
                .map_err(|e| e.to_string())?;
            if revoked {
                eprintln!("user {name:?} revoked");
                Ok(())
            } else {
                Err(format!("no user {name:?} with a live key"))
            }
        }
        UserAction::RotateJwtKey { db } => {
            open(&db)
                .await?
                .rotate_secret(loyalty_console::server::JWT_SECRET_NAME)
                .await
                .map_err(|e| e.to_string())?;
            eprintln!(
                "the Mloyalty signing key was replaced: every token issued before is refused \
                 from now on, and managers log in again"
            );
            Ok(())
        }
    }
}
