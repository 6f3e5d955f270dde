//! pvsim's browser app, built with Yew: the playground.
//!
//! The page shows the YAML, a picture of the simulated cluster with its
//! timeline, and kubectl's panels. The simulation itself runs in a Web
//! Worker started from this same module (`worker.rs`); the page talks to
//! it through `bridge.rs` with the messages of `pvsim_scene::protocol`,
//! and draws what it answers.
//! [`Picture`] and [`Timeline`] take a scene and steps and nothing else
//! from the page, so the tutorial and the embeddable widget can reuse them.

mod actions;
mod app;
mod bridge;
mod compare;
mod components;
mod js;
pub mod panels;
pub mod picture;
pub mod sample;
mod saved;
mod share;
pub mod timeline;
mod worker;

pub use app::App;
pub use picture::{Pick, Picture};
pub use timeline::Timeline;
pub use worker::worker_start;
