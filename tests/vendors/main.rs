//! The vendors' formats: our adapters on their documents' samples, and the vendors' own
//! clients against `loyalty serve`.
//! One test binary for the topic: each file below is a module, sharing `tests/common`.

#[path = "../common/mod.rs"]
mod common;

mod admin_adapters;
mod ext_adapter;
mod fiscal_document;
mod mloyalty_clients;
mod mloyalty_codes;
mod poster_clients;
mod regos_clients;
