//! The console in a real pseudo-terminal (tmux): journeys a cashier makes.
//! One test binary for the topic: each file below is a module, sharing `tests/common`.

#[path = "../common/mod.rs"]
mod common;

mod codes;
mod e2e;
