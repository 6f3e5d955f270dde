//! The controllers: one module per upstream controller or plugin. Each is a
//! reconciler: it reads the cluster through a [`crate::sim::Ctx`] and
//! returns [`crate::sim::Effect`]s, which the simulation applies. A
//! controller depends on the simulation core ([`crate::sim`]), on object
//! queries ([`crate::objects`]) and on the simulated infrastructure
//! ([`crate::cluster`]), never on another controller.

pub mod attach_detach;
pub mod deployment;
pub mod external_provisioner;
pub mod external_resizer;
pub mod kubelet;
pub mod node_lifecycle;
pub mod protection;
pub mod pv_controller;
pub mod scheduler;
pub mod workloads;
