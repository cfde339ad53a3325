//! Money once: write-offs that fail half-way, in the server and in the console and scripts.
//! One test binary for the topic: each file below is a module, sharing `tests/common`.

#[path = "../common/mod.rs"]
mod common;

mod faults;
mod money;
mod reversals;
