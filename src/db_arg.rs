//! `--db` / `LOYALTY_DATABASE_URL` for clap. clap's own message for a value it cannot
//! parse quotes the value, and a PostgreSQL URL carries its password: this parser's
//! errors say what is wrong without repeating what was given.

use clap::error::{Error, ErrorKind};
use loyalty_console::server::store::DbTarget;
use std::ffi::OsStr;

#[derive(Clone)]
pub struct DbArg;

impl clap::builder::TypedValueParser for DbArg {
    type Value = DbTarget;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        _arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<DbTarget, Error> {
        let refuse = |message: String| {
            Error::raw(ErrorKind::ValueValidation, format!("--db: {message}\n")).with_cmd(cmd)
        };
        let text = value
            .to_str()
            .ok_or_else(|| refuse("the value is not valid UTF-8".into()))?;
        DbTarget::parse(text).map_err(refuse)
    }
}
