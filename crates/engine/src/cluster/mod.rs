//! What the simulated cluster runs on, outside the API server: the storage
//! backends (cloud disks, file shares, node-local disks), the files pods
//! write on them, and the profiles that set up nodes and classes.

pub mod backends;
pub mod data;
pub mod profile;
