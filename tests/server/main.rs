//! `loyalty serve`: its routes, its two stores, its processes, connections and guarantees.
//! One test binary for the topic: each file below is a module, sharing `tests/common`.

#[path = "../common/mod.rs"]
mod common;

mod admin;
mod card_counts;
mod chain;
mod codes;
mod connections;
mod credentials;
mod ext;
mod hold_owners;
mod lots;
mod money_back;
mod money_back_http;
mod off_loopback;
mod postgres;
mod reliability;
mod store_contract;
