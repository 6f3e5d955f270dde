//! pvsim's browser app, built with Yew. It uses the engine as a Rust crate
//! directly, with no JavaScript round trip.
//!
//! This first page reads YAML as the API server would, as the user types:
//! the editor marks the offending lines, and beside it are the objects found
//! and the diagnostics. The playground issue replaces the textarea with a
//! full editor and adds the cluster view and timeline.

mod app;
mod components;
pub mod sample;

pub use app::App;
