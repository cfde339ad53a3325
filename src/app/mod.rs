//! The pure heart of the console: Model, Msg, Cmd and `update`. Nothing here awaits, does
//! I/O, or knows about terminals, networks or vendors.

pub mod keys;
pub mod model;
pub mod mouse;
pub mod msg;
mod update;

pub use keys::KeyContext;
pub use model::Model;
pub use msg::{Cmd, Msg, RequestId};
pub use update::{HELP_TRAILER_LINES, HelpSection, help_sections, screen_available, update};
