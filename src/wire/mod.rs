//! Vendor wire formats, one module per vendor. Shared by the console's adapters (which
//! read them) and by `loyalty serve` (which speaks them); neither side's domain leaks in.

pub mod ext;
pub mod ext_operations;
mod lenient;
pub mod mloyalty;
pub mod poster;
pub mod regos;
