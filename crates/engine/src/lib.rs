//! pvsim's engine: Kubernetes storage objects in, diagnostics (and, in later
//! stages, a deterministic simulation) out.
//!
//! Invariants: the engine does no I/O, reads no clock and draws no
//! randomness outside a seeded generator; it depends on no web crate. The
//! test command checks the dependency tree.

pub mod cluster;
pub mod controllers;
pub mod model;
pub mod objects;
pub mod sim;
pub mod validation;
pub mod yaml;

mod defaults;
mod diagnostic;
pub mod explain;
pub mod export;
mod load;
mod object;
pub mod print;
mod quantity;
pub mod scenario;
pub mod sort;

pub use defaults::DEFAULT_NAMESPACE;
pub use diagnostic::{Diagnostic, Severity, summary};
pub use load::{Entry, Loaded, Status, load, load_with};
pub use object::{KINDS, KindInfo, Object, kind_info, merge_raw};
pub use quantity::{
    ERR_FORMAT, ERR_NUMERIC, ERR_SUFFIX, Format, Parsed, Quantity, binary_quantity,
};

/// The Kubernetes release whose behaviour pvsim reproduces.
pub const KUBERNETES_VERSION: &str = "1.34";
