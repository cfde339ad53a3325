//! `loyalty`: a terminal console for loyalty programs, and the loyalty server it ships with.

pub mod app;
pub mod backend;
pub mod cli;
pub mod clock;
pub mod config;
pub mod domain;
pub mod i18n;
pub mod limit;
pub mod ops;
pub mod runtime;
pub mod server;
pub mod ui;
pub mod wire;
