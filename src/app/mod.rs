//! The pure heart of the console: Model, Msg, Cmd and `update`. Nothing here awaits, does
//! I/O, or knows about terminals, networks or vendors.

pub mod keys;
pub mod model;
pub mod mouse;
pub mod msg;
#[cfg(test)]
pub(crate) use update::fixtures;
mod update;

pub use keys::KeyContext;
pub use model::Model;
pub use msg::{Cmd, Msg, RequestId};
pub use update::{
    HelpLine, HelpSection, help_lines, help_sections, screen_available, screen_tab, screen_title,
    update,
};
