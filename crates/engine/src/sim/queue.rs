//! The work queue: items ordered by (time, sequence) and kept once per
//! (controller, object), like client-go's delaying work queue.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

use super::clock::Millis;
use super::store::ObjKey;

/// The simulated control-plane components that do work.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Controller {
    /// The PV controller's claim queue (`syncClaim`).
    ClaimSync,
    /// The PV controller's volume queue (`syncVolume`).
    VolumeSync,
    /// The PV controller's periodic resync of every claim and volume.
    Resync,
    /// The PV controller's recycle operation finishing.
    Recycle,
    PvcProtection,
    PvProtection,
    /// An external provisioner noticing a claim or a released volume.
    Provisioner,
    /// An external provisioner's CreateVolume call returning.
    ProvisionDone,
    /// An external provisioner's DeleteVolume call returning.
    DeleteDone,
    /// The external resizer noticing a claim that asks for more.
    Resize,
    /// The external resizer's ControllerExpandVolume call returning.
    ResizeDone,
    /// The scheduler placing a pod (or waiting for its volumes to bind).
    Schedule,
    /// A node's kubelet working on a pod: mounts, start, termination.
    Kubelet,
    /// The attach/detach controller reconciling one volume.
    AttachDetach,
    /// A CSI driver's external-attacher working on a VolumeAttachment.
    Attacher,
    Deployment,
    ReplicaSet,
    StatefulSet,
    /// The ephemeral volume controller, for a pod's generic ephemeral volumes.
    Ephemeral,
    /// The garbage collector, for the dependents of a deleted owner (keyed
    /// by the owner's uid).
    GarbageCollector,
    /// The node lifecycle controller and pod GC, for one node.
    NodeLifecycle,
    /// Taint-based eviction, for one pod.
    TaintEviction,
    /// A person at the keyboard: the scenario's steps.
    User,
    /// `kubectl drain`'s eviction loop for one node.
    Drain,
}

impl Controller {
    /// The component name, as an event's `source.component` gives it.
    pub fn component(self) -> &'static str {
        match self {
            Controller::ClaimSync
            | Controller::VolumeSync
            | Controller::Resync
            | Controller::Recycle => "persistentvolume-controller",
            Controller::PvcProtection => "pvc-protection-controller",
            Controller::PvProtection => "pv-protection-controller",
            Controller::Provisioner | Controller::ProvisionDone | Controller::DeleteDone => {
                "external-provisioner"
            }
            Controller::Resize | Controller::ResizeDone => "external-resizer",
            Controller::Schedule => "default-scheduler",
            Controller::Kubelet => "kubelet",
            Controller::AttachDetach => "attachdetach-controller",
            Controller::Attacher => "external-attacher",
            Controller::Deployment => "deployment-controller",
            Controller::ReplicaSet => "replicaset-controller",
            Controller::StatefulSet => "statefulset-controller",
            Controller::Ephemeral => "ephemeral-volume-controller",
            Controller::GarbageCollector => "garbage-collector",
            Controller::NodeLifecycle => "node-controller",
            Controller::TaintEviction => "taint-eviction-controller",
            Controller::User | Controller::Drain => "kubectl",
        }
    }
}

/// One unit of work.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Work {
    pub controller: Controller,
    pub key: ObjKey,
}

#[derive(Clone, Debug, Default)]
pub struct Queue {
    heap: BinaryHeap<Reverse<(Millis, u64, Work)>>,
    /// When each queued item is due, and whether it keeps the simulation
    /// from being idle.
    pending: BTreeMap<Work, (Millis, bool)>,
    seq: u64,
    blocking: usize,
}

impl Queue {
    /// Adds an item due at `at`. An item already queued stays queued once,
    /// at the earlier of the two times. `blocking` items are work in
    /// flight; the others (periodic resyncs, retries after failures) do not
    /// keep [`super::Sim::run_until_idle`] going.
    pub fn push(&mut self, at: Millis, work: Work, blocking: bool) {
        let mut blocking = blocking;
        if let Some(&(due, was_blocking)) = self.pending.get(&work) {
            if blocking && !was_blocking {
                self.blocking += 1;
            }
            blocking |= was_blocking;
            if due <= at {
                self.pending.insert(work, (due, blocking));
                return;
            }
        } else if blocking {
            self.blocking += 1;
        }
        self.seq += 1;
        self.heap.push(Reverse((at, self.seq, work.clone())));
        self.pending.insert(work, (at, blocking));
    }

    /// The next item due, without taking it.
    pub fn peek(&mut self) -> Option<(Millis, &Work)> {
        self.drop_stale();
        self.heap.peek().map(|Reverse((at, _, w))| (*at, w))
    }

    pub fn pop(&mut self) -> Option<(Millis, Work)> {
        self.drop_stale();
        let Reverse((at, _, work)) = self.heap.pop()?;
        if let Some((_, blocking)) = self.pending.remove(&work)
            && blocking
        {
            self.blocking -= 1;
        }
        Some((at, work))
    }

    /// Entries superseded by an earlier push of the same item.
    fn drop_stale(&mut self) {
        while let Some(Reverse((at, _, work))) = self.heap.peek() {
            match self.pending.get(work) {
                Some(&(due, _)) if due == *at => return,
                _ => {
                    self.heap.pop();
                }
            }
        }
    }

    pub fn contains(&self, work: &Work) -> bool {
        self.pending.contains_key(work)
    }

    /// How many queued items are work in flight.
    pub fn blocking(&self) -> usize {
        self.blocking
    }

    pub fn len(&self) -> usize {
        self.pending.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }
}
