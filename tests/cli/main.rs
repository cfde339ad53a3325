//! The scriptable face and the real binary: `loyalty` commands, scripts and exports.
//! One test binary for the topic: each file below is a module, sharing `tests/common`.

#[path = "../common/mod.rs"]
mod common;

mod codes;
mod commands;
mod export;
mod movements;
mod scripts;
