//! Pure transition tests of `update`, a file per feature: no I/O, no async. Each feeds
//! `Msg`s and checks the Model and the `Cmd`s that come out; all build their models with
//! `super::fixtures`.

mod admin;
mod card;
mod codes;
mod counter;
mod follow;
mod help;
mod journal;
mod outlook;
mod quit;
mod requests;
mod reversal;
mod search;
mod shift;
mod status;
mod vendor_ignored;
mod write_off;
mod write_off_limits;
mod write_off_outcome;
