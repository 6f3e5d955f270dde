//! Object queries: what describes one object or a pair of objects (a pod's
//! claims, whether a node is Ready, the class a claim asks for, whether a
//! volume can serve a claim), shared by the API server, the controllers,
//! `explain`, the printers and the views. Nothing here reads the clock or
//! writes; a query that needs another object takes the store.
//!
//! Controllers depend on the simulation core and on these queries, never on
//! each other.

pub mod matching;
pub mod node;
pub mod pod;
pub mod selector;
pub mod volume;
