//! The simulation: a deterministic discrete-event model of the control
//! plane's storage controllers over a simulated API server.
//!
//! Time is logical ([`clock`]); work sits in a queue ordered by (time,
//! sequence) and kept once per (controller, object); each controller is a
//! reconciler that reads the store and returns [`Effect`]s, which the
//! simulation applies through the API server in order. Every write wakes the
//! controllers that watch that kind, as informers would. Same input and seed,
//! same history, byte for byte: there is no clock, no randomness outside
//! [`rng::Rng`], and every collection is ordered.

pub mod clock;
pub mod events;
pub mod journal;
pub mod log;
pub mod queue;
pub mod rng;
pub mod store;
mod update;

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use self::clock::{Millis, SECOND};
use self::events::{EventLog, reference};
use self::log::Log;
use self::queue::{Controller, Queue, Work};
use self::rng::Rng;
use self::store::{ApiError, Change, ObjKey, Record, Store};
use crate::Object;
use crate::cluster::backends::{self, Backends};
use crate::cluster::data;
use crate::controllers::{
    attach_detach as attach, deployment, external_provisioner as provisioner,
    external_resizer as resizer, kubelet, node_lifecycle as nodes, protection, pv_controller,
    scheduler, workloads,
};
use crate::objects::{node, pod, selector, volume};

/// The PV controller's resync period (`--pvclaimbinder-sync-period`).
pub const RESYNC_PERIOD: Millis = 15 * SECOND;

/// How long [`Sim::run_until_idle`] runs at most, in simulated time.
pub const IDLE_LIMIT: Millis = 7 * 24 * clock::HOUR;

/// How many queued items one simulation runs at most, so that no input can
/// keep it busy for ever (100,000 claims take about 2.5 million).
pub const STEP_LIMIT: u64 = 20_000_000;

/// What a reconciler asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// A write of a whole object (spec, metadata or status).
    Write(Object),
    Create(Object),
    Delete(ObjKey),
    /// Removes the object at once (a delete with grace period 0).
    ForceDelete(ObjKey),
    /// Removes a finalizer from the object as it is when the effect is
    /// applied (which deletes an object being deleted whose last finalizer
    /// this was).
    RemoveFinalizer(ObjKey, String),
    Event {
        key: ObjKey,
        type_: &'static str,
        reason: &'static str,
        message: String,
        /// The reporting component, when it is not the controller's own name.
        source: Option<String>,
    },
    /// Work for later: a retry, or an operation that takes time.
    After {
        delay: Millis,
        controller: Controller,
        key: ObjKey,
        blocking: bool,
    },
    Backend(backends::Op),
}

impl Effect {
    pub fn event(
        key: &ObjKey,
        type_: &'static str,
        reason: &'static str,
        message: String,
    ) -> Effect {
        Effect::Event {
            key: key.clone(),
            type_,
            reason,
            message,
            source: None,
        }
    }

    pub fn after(delay: Millis, controller: Controller, key: &ObjKey) -> Effect {
        Effect::After {
            delay,
            controller,
            key: key.clone(),
            blocking: true,
        }
    }
}

/// What a reconciler may read.
pub struct Ctx<'a> {
    pub now: Millis,
    pub store: &'a Store,
    pub queue: &'a Queue,
    pub backends: &'a Backends,
}

/// Controllers' own memory between runs (upstream keeps it in the
/// controller process).
#[derive(Clone, Debug, Default)]
pub struct Ops {
    /// Failed provisioning attempts per claim uid.
    pub provision_failures: BTreeMap<String, usize>,
    /// Pods the scheduler has placed, waiting for their volumes, by uid.
    pub assumed: BTreeMap<String, scheduler::Assumed>,
    /// When a pod that failed scheduling may be tried again, by uid.
    pub schedule_retry: BTreeMap<String, Millis>,
    /// Since when a kubelet has been waiting for a pod's volumes, by uid.
    pub mount_wait: BTreeMap<String, Millis>,
    /// When a pod's volumes are mounted, by uid.
    pub mount_ready: BTreeMap<String, Millis>,
    /// Pods whose containers the kubelet is stopping, by uid.
    pub killing: BTreeSet<String>,
    /// Since when a detach from a node that is not Ready has waited, by
    /// (volume, node).
    pub detach_requested: BTreeMap<(String, String), Millis>,
    /// (volume, node) pairs told about a Multi-Attach error.
    pub multi_attach: BTreeSet<(String, String)>,
    /// When an external-attacher's call returns, by VolumeAttachment.
    pub attach_due: BTreeMap<String, Millis>,
    /// Nodes whose kubelet has stopped (failNode), and since when.
    pub nodes_down: BTreeMap<String, Millis>,
    /// Nodes deleted, and when (for pod GC).
    pub nodes_deleted: BTreeMap<String, Millis>,
}

/// One step of the timeline: who acted, on what, and what changed.
#[derive(Clone, Debug)]
pub struct Step {
    pub at: Millis,
    pub controller: Controller,
    pub key: ObjKey,
    /// `update PersistentVolume/pv1`, `create ...`, `delete ...`.
    pub writes: Vec<String>,
    /// Indexes into the event log of the events this step recorded.
    pub events: Vec<usize>,
    /// Every object after the step, when snapshots are on.
    pub snapshot: Option<Rc<BTreeMap<ObjKey, Rc<Record>>>>,
}

#[derive(Clone, Debug, Default)]
pub struct Options {
    pub seed: u64,
    /// Keep a snapshot of every object after each step (for the timeline).
    pub snapshots: bool,
}

/// A simulated cluster's control plane.
#[derive(Clone, Debug)]
pub struct Sim {
    now: Millis,
    store: Store,
    events: EventLog,
    rng: Rng,
    queue: Queue,
    backends: Backends,
    ops: Ops,
    options: Options,
    /// Shared with clones (see `log.rs`).
    steps: Log<Step>,
    /// The store's resource version when the last resync began.
    resync_mark: Option<u64>,
    /// Queued items run so far.
    steps_run: u64,
    /// The files pods have written, where they live.
    files: data::Files,
}

impl Sim {
    /// The seed every choice of this simulation comes from.
    pub fn seed(&self) -> u64 {
        self.options.seed
    }

    pub fn new(options: Options) -> Sim {
        let mut queue = Queue::default();
        queue.push(
            RESYNC_PERIOD,
            Work {
                controller: Controller::Resync,
                key: ObjKey::new("PersistentVolume", "", ""),
            },
            false,
        );
        let mut rng = Rng::new(options.seed);
        Sim {
            now: 0,
            store: Store::default(),
            events: EventLog::default(),
            backends: Backends::new(&mut rng),
            rng,
            queue,
            ops: Ops::default(),
            options,
            steps: Log::default(),
            resync_mark: None,
            steps_run: 0,
            files: data::Files::default(),
        }
    }

    pub fn now(&self) -> Millis {
        self.now
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn events(&self) -> &EventLog {
        &self.events
    }

    /// Every step so far; clones share them (see `log.rs`).
    pub fn steps(&self) -> &Log<Step> {
        &self.steps
    }

    /// The files pods have written, where they live.
    pub fn files(&self) -> &data::Files {
        &self.files
    }

    pub fn backends(&self) -> &Backends {
        &self.backends
    }

    /// How much work is in flight: queued items other than the periodic
    /// resyncs. Zero when the simulation has settled.
    pub fn in_flight(&self) -> usize {
        self.queue.blocking()
    }

    /// The controllers' own memory (for `explain`).
    pub fn ops(&self) -> &Ops {
        &self.ops
    }

    /// A read-only view, as the controllers get.
    pub fn ctx(&self) -> Ctx<'_> {
        Ctx {
            now: self.now,
            store: &self.store,
            queue: &self.queue,
            backends: &self.backends,
        }
    }

    /// A user's `kubectl apply`: creates the object, or updates the one
    /// that exists.
    pub fn apply(&mut self, object: Object, raw: serde_json::Value) -> Result<ObjKey, ApiError> {
        let mut probe = object.clone();
        crate::defaults::apply(&mut probe);
        let exists = self.store.get(&ObjKey::of(&probe)).is_some();
        let change = if exists {
            self.store.update_by_user(object, raw)?
        } else {
            self.store.create(object, raw, self.now, &mut self.rng)?
        };
        let key = change.key.clone();
        // A node a dump shows NotReady has a kubelet that does not report:
        // the node lifecycle controller goes on from there.
        if !exists
            && let Some(Object::Node(n)) = change.after.as_ref().map(|r| &r.object)
            && !node::node_ready(n)
        {
            self.ops
                .nodes_down
                .entry(n.metadata.name.clone())
                .or_insert(self.now);
        }
        self.watch(&change);
        Ok(key)
    }

    /// The attach/detach controller's start (populateActualStateOfWorld):
    /// volumes that nodes report attached (`status.volumesAttached`) but
    /// that have no VolumeAttachment, as a `kubectl get pv,pod,node` dump
    /// shows them, get one that is attached already.
    pub fn restore_attachments(&mut self) {
        let mut missing = Vec::new();
        for o in self.store.list("Node") {
            let Object::Node(n) = o else { continue };
            for attached in &n.status.volumes_attached {
                let Some(pv) = self.store.list("PersistentVolume").find_map(|o| match o {
                    Object::PersistentVolume(pv)
                        if volume::unique_name(pv).as_deref() == Some(attached.name.as_str()) =>
                    {
                        Some(pv)
                    }
                    _ => None,
                }) else {
                    continue;
                };
                let Some(csi) = &pv.spec.csi else { continue };
                let name = volume::va_name(&csi.volume_handle, &csi.driver, &n.metadata.name);
                let exists = self.store.list("VolumeAttachment").any(|o| {
                    matches!(o, Object::VolumeAttachment(va)
                        if va.spec.source.persistent_volume_name.as_deref() == Some(pv.metadata.name.as_str())
                            && va.spec.node_name == n.metadata.name)
                });
                if !exists {
                    missing.push(volume::restored_attachment(
                        &name,
                        &csi.driver,
                        &pv.metadata.name,
                        &n.metadata.name,
                    ));
                }
            }
        }
        for va in missing {
            let raw = va.to_json();
            if let Ok(change) = self.store.create(va, raw, self.now, &mut self.rng) {
                self.watch(&change);
            }
        }
    }

    /// A user's `kubectl delete`.
    pub fn delete(&mut self, key: &ObjKey) -> Result<(), ApiError> {
        let change = self.store.delete(key, self.now)?;
        self.watch(&change);
        Ok(())
    }

    /// How many queued items the simulation has run, including those that
    /// recorded no step: a measure of the work done so far.
    pub fn items_run(&self) -> u64 {
        self.steps_run
    }

    /// Whether the simulation has run [`STEP_LIMIT`] items and stopped.
    pub fn out_of_steps(&self) -> bool {
        self.steps_run >= STEP_LIMIT
    }

    /// Applies effects on behalf of a person (a scenario step), recorded
    /// as a step of its own.
    fn act(&mut self, key: &ObjKey, effects: Vec<Effect>) {
        let mut step = Step {
            at: self.now,
            controller: Controller::User,
            key: key.clone(),
            writes: Vec::new(),
            events: Vec::new(),
            snapshot: None,
        };
        for effect in effects {
            self.apply_effect(Controller::User, effect, &mut step);
        }
        if !step.writes.is_empty() || !step.events.is_empty() {
            self.steps.push(step);
        }
    }

    fn node(&self, name: &str) -> Result<&crate::model::Node, ApiError> {
        match self.store.get(&ObjKey::new("Node", "", name)) {
            Some(Object::Node(n)) => Ok(n),
            _ => Err(ApiError::NotFound {
                kind: "Node".into(),
                name: name.into(),
            }),
        }
    }

    /// `failNode`: the node loses power; its kubelet stops reporting.
    pub fn fail_node(&mut self, name: &str) -> Result<(), ApiError> {
        self.node(name)?;
        self.ops
            .nodes_down
            .entry(name.to_owned())
            .or_insert(self.now);
        let key = ObjKey::new("Node", "", name);
        self.act(
            &key,
            vec![Effect::after(0, Controller::NodeLifecycle, &key)],
        );
        Ok(())
    }

    /// `recoverNode`: the node is back and its kubelet reports again.
    pub fn recover_node(&mut self, name: &str) -> Result<(), ApiError> {
        self.node(name)?;
        self.ops.nodes_down.remove(name);
        let key = ObjKey::new("Node", "", name);
        let mut effects = vec![Effect::after(0, Controller::NodeLifecycle, &key)];
        for pod in self.store.list("Pod") {
            if let Object::Pod(p) = pod
                && p.spec.node_name == name
            {
                effects.push(Effect::after(0, Controller::Kubelet, &ObjKey::of(pod)));
            }
        }
        self.act(&key, effects);
        Ok(())
    }

    /// `cordon` / `uncordon`.
    pub fn cordon(&mut self, name: &str, on: bool) -> Result<(), ApiError> {
        let node = nodes::cordoned(self.node(name)?, on);
        let key = ObjKey::new("Node", "", name);
        let status = if on {
            "NodeNotSchedulable"
        } else {
            "NodeSchedulable"
        };
        self.act(
            &key,
            vec![
                Effect::Write(Object::Node(node)),
                Effect::Event {
                    key: key.clone(),
                    type_: "Normal",
                    reason: status,
                    message: format!("Node {name} status is now: {status}"),
                    source: Some("kubelet".into()),
                },
            ],
        );
        Ok(())
    }

    /// `drain`: cordon, then evict the node's pods as disruption budgets
    /// allow, retrying the rest every 5 s.
    pub fn drain(&mut self, name: &str) -> Result<(), ApiError> {
        self.cordon(name, true)?;
        let key = ObjKey::new("Node", "", name);
        let effects = nodes::drain(&self.ctx(), &key);
        self.act(&key, effects);
        Ok(())
    }

    /// `taintOutOfService`: the administrator declares the node shut down.
    pub fn taint_out_of_service(&mut self, name: &str) -> Result<(), ApiError> {
        let mut node = self.node(name)?.clone();
        if !node
            .spec
            .taints
            .iter()
            .any(|t| t.key == node::OUT_OF_SERVICE_TAINT)
        {
            node.spec.taints.push(crate::model::Taint {
                key: node::OUT_OF_SERVICE_TAINT.into(),
                value: "nodeshutdown".into(),
                effect: "NoExecute".into(),
                time_added: Some(clock::timestamp(self.now)),
            });
        }
        let key = ObjKey::new("Node", "", name);
        self.act(&key, vec![Effect::Write(Object::Node(node))]);
        Ok(())
    }

    /// `deleteNode`: the Node object goes; pod GC removes its pods later.
    pub fn delete_node(&mut self, name: &str) -> Result<(), ApiError> {
        self.node(name)?;
        self.ops.nodes_deleted.insert(name.to_owned(), self.now);
        let key = ObjKey::new("Node", "", name);
        self.act(&key, vec![Effect::Delete(key.clone())]);
        Ok(())
    }

    /// `scale`: sets a Deployment's or StatefulSet's replicas.
    pub fn scale(&mut self, key: &ObjKey, replicas: i32) -> Result<(), ApiError> {
        let not_found = || ApiError::NotFound {
            kind: key.kind.into(),
            name: key.name.clone(),
        };
        let mut object = self.store.get(key).cloned().ok_or_else(not_found)?;
        match &mut object {
            Object::Deployment(d) => d.spec.replicas = Some(replicas),
            Object::StatefulSet(s) => s.spec.replicas = Some(replicas),
            Object::ReplicaSet(r) => r.spec.replicas = Some(replicas),
            _ => return Err(not_found()),
        }
        self.act(key, vec![Effect::Write(object)]);
        Ok(())
    }

    /// `writeData` / `readData`: what a pod sees at a path, reported as an
    /// event on the pod.
    pub fn data(
        &mut self,
        write: bool,
        pod: Option<&str>,
        selector: Option<&crate::model::LabelSelector>,
        namespace: &str,
        path: &str,
        content: &str,
    ) -> Result<(), ApiError> {
        let Some(target) = data::target(&self.store, pod, selector, namespace).cloned() else {
            return Err(ApiError::NotFound {
                kind: "Pod".into(),
                name: pod.map_or_else(
                    || {
                        format!(
                            "(first running pod matching {})",
                            selector.map(selector::selector_text).unwrap_or_default()
                        )
                    },
                    str::to_owned,
                ),
            });
        };
        let key = pod::pod_key(&target);
        let event = |type_, reason, message: String| Effect::Event {
            key: key.clone(),
            type_,
            reason,
            message,
            source: Some("pvsim".into()),
        };
        let running =
            target.status.phase == "Running" && target.metadata.deletion_timestamp.is_none();
        let node_up = !self.ops.nodes_down.contains_key(&target.spec.node_name);
        let effect = if !running || !node_up {
            let why = if running {
                "its node is down"
            } else {
                "it is not running"
            };
            event(
                "Warning",
                "DataUnavailable",
                format!("cannot reach {path}: pod {} {why}", target.metadata.name),
            )
        } else {
            match data::locate(&self.store, &target, path) {
                Err(why) => event(
                    "Warning",
                    "DataUnavailable",
                    format!("cannot reach {path}: {why}"),
                ),
                Ok((place, inside)) => {
                    if write {
                        self.files.write(&place.key, &inside, content);
                        event(
                            "Normal",
                            "DataWritten",
                            format!("wrote {content:?} to {path}, on {}", place.describe),
                        )
                    } else {
                        match self.files.read(&place.key, &inside) {
                            Some(found) => event(
                                "Normal",
                                "DataRead",
                                format!("read {found:?} from {path}, on {}", place.describe),
                            ),
                            None => event(
                                "Warning",
                                "DataMissing",
                                format!("{path} is not on {}", place.describe),
                            ),
                        }
                    }
                }
            }
        };
        self.act(&key, vec![effect]);
        Ok(())
    }

    /// Runs one queued item. `false` when the queue is empty (or the
    /// simulation is [`Sim::out_of_steps`]).
    pub fn step(&mut self) -> bool {
        if self.out_of_steps() {
            return false;
        }
        let Some((at, work)) = self.queue.pop() else {
            return false;
        };
        self.steps_run += 1;
        self.now = self.now.max(at);
        let effects = self.reconcile(&work);
        let mut step = Step {
            at: self.now,
            controller: work.controller,
            key: work.key,
            writes: Vec::new(),
            events: Vec::new(),
            snapshot: None,
        };
        for effect in effects {
            self.apply_effect(work.controller, effect, &mut step);
        }
        if !step.writes.is_empty() || !step.events.is_empty() {
            if self.options.snapshots {
                step.snapshot = Some(Rc::new(self.store.snapshot()));
            }
            self.steps.push(step);
        }
        true
    }

    /// Runs until nothing is left to do but periodic resyncs that change
    /// nothing (or until [`IDLE_LIMIT`]). `false` when the limit stopped it.
    pub fn run_until_idle(&mut self) -> bool {
        let limit = self.now + IDLE_LIMIT;
        loop {
            if let Some(idle) = self.idle_step(limit) {
                return idle;
            }
        }
    }

    /// One queued item of [`Sim::run_until_idle`] with its time limit:
    /// `Some` once the simulation is idle (`true`) or the limit stops it
    /// (`false`), and then nothing was run.
    pub fn idle_step(&mut self, limit: Millis) -> Option<bool> {
        if self.queue.blocking() == 0 && self.resync_mark == Some(self.store.resource_version()) {
            return Some(true);
        }
        match self.queue.peek().map(|(at, _)| at) {
            Some(at) if at <= limit && !self.out_of_steps() => {
                self.step();
                None
            }
            _ => Some(self.queue.blocking() == 0 && !self.out_of_steps()),
        }
    }

    /// Runs everything due within `duration`, then moves the clock to its end.
    pub fn run_for(&mut self, duration: Millis) {
        let end = self.now + duration;
        while self.timed_step(end) {}
    }

    /// One queued item due by `end`; `false` when none is left, and then
    /// the clock has moved to `end`.
    pub fn timed_step(&mut self, end: Millis) -> bool {
        if let Some((at, _)) = self.queue.peek()
            && at <= end
            && self.step()
        {
            return true;
        }
        self.now = end;
        false
    }

    fn reconcile(&mut self, work: &Work) -> Vec<Effect> {
        let ctx = Ctx {
            now: self.now,
            store: &self.store,
            queue: &self.queue,
            backends: &self.backends,
        };
        let key = &work.key;
        match work.controller {
            Controller::ClaimSync => pv_controller::sync_claim(&ctx, key),
            Controller::VolumeSync => pv_controller::sync_volume(&ctx, key),
            Controller::Recycle => pv_controller::recycle_done(&ctx, key),
            Controller::Resync => {
                self.resync_mark = Some(self.store.resource_version());
                let mut effects: Vec<Effect> = self
                    .store
                    .list("PersistentVolumeClaim")
                    .chain(self.store.list("PersistentVolume"))
                    .map(|o| {
                        let controller = match o {
                            Object::PersistentVolume(_) => Controller::VolumeSync,
                            _ => Controller::ClaimSync,
                        };
                        Effect::after(0, controller, &ObjKey::of(o))
                    })
                    .collect();
                effects.push(Effect::After {
                    delay: RESYNC_PERIOD,
                    controller: Controller::Resync,
                    key: key.clone(),
                    blocking: false,
                });
                effects
            }
            Controller::PvcProtection => protection::sync_claim(&ctx, key),
            Controller::PvProtection => protection::sync_volume(&ctx, key),
            Controller::Provisioner => provisioner::sync(&ctx, &mut self.ops, key),
            Controller::ProvisionDone => {
                provisioner::provision_done(&ctx, &mut self.ops, &mut self.rng, key)
            }
            Controller::DeleteDone => provisioner::delete_done(&ctx, key),
            Controller::Resize => resizer::sync(&ctx, key),
            Controller::ResizeDone => resizer::resize_done(&ctx, key),
            Controller::Schedule => scheduler::sync(&ctx, &mut self.ops, &mut self.rng, key),
            Controller::Kubelet => kubelet::sync(&ctx, &mut self.ops, key),
            Controller::AttachDetach => attach::sync(&ctx, &mut self.ops, key),
            Controller::Attacher => attach::attacher(&ctx, &mut self.ops, key),
            Controller::Deployment => deployment::sync(&ctx, key),
            Controller::ReplicaSet => workloads::replica_set(&ctx, &mut self.rng, key),
            Controller::StatefulSet => workloads::stateful_set(&ctx, key),
            Controller::Ephemeral => workloads::ephemeral(&ctx, key),
            Controller::GarbageCollector => workloads::collect_garbage(&ctx, &key.name),
            Controller::NodeLifecycle => nodes::lifecycle(&ctx, &self.ops, key),
            Controller::TaintEviction => nodes::taint_eviction(&ctx, key),
            Controller::User => Vec::new(),
            Controller::Drain => nodes::drain(&ctx, key),
        }
    }

    fn apply_effect(&mut self, controller: Controller, effect: Effect, step: &mut Step) {
        match effect {
            Effect::Write(object) => {
                step.writes.push(format!("update {}", ObjKey::of(&object)));
                let change = self.store.write(object);
                self.watch(&change);
            }
            Effect::Create(object) => {
                let key = ObjKey::of(&object);
                if let Ok(change) =
                    self.store
                        .create(object, serde_json::Value::Null, self.now, &mut self.rng)
                {
                    step.writes.push(format!("create {key}"));
                    self.watch(&change);
                }
            }
            Effect::Delete(key) => {
                if let Ok(change) = self.store.delete(&key, self.now) {
                    step.writes.push(format!("delete {key}"));
                    self.watch(&change);
                }
            }
            Effect::ForceDelete(key) => {
                if let Some(change) = self.store.force_delete(&key) {
                    step.writes.push(format!("delete {key}"));
                    self.watch(&change);
                }
            }
            Effect::RemoveFinalizer(key, finalizer) => {
                let Some(mut object) = self.store.get(&key).cloned() else {
                    return;
                };
                let finalizers = &mut object.metadata_mut().finalizers;
                if !finalizers.contains(&finalizer) {
                    return;
                }
                finalizers.retain(|f| *f != finalizer);
                step.writes.push(format!("update {key}"));
                let change = self.store.write(object);
                self.watch(&change);
            }
            Effect::Event {
                key,
                type_,
                reason,
                message,
                source,
            } => {
                let meta = self.store.get(&key).map(Object::metadata);
                let involved = reference(
                    &key,
                    meta.map_or("", |m| m.uid.as_str()),
                    meta.map_or("", |m| m.resource_version.as_str()),
                );
                let source = source.unwrap_or_else(|| controller.component().to_owned());
                let i = self
                    .events
                    .record(self.now, &source, &key, involved, type_, reason, message);
                step.events.push(i);
            }
            Effect::After {
                delay,
                controller,
                key,
                blocking,
            } => self
                .queue
                .push(self.now + delay, Work { controller, key }, blocking),
            Effect::Backend(op) => {
                if let backends::Op::Delete(handle) | backends::Op::Scrub(handle) = &op {
                    self.files.forget_suffix(handle);
                }
                self.backends.apply(op);
            }
        }
    }

    /// Wakes the controllers that watch the changed object's kind.
    fn watch(&mut self, change: &Change) {
        let now = self.now;
        let mut wake = |controller, key: ObjKey| {
            self.queue.push(now, Work { controller, key }, true);
        };
        let key = &change.key;
        let after = change.after.as_ref().map(|r| &r.object);
        let before = change.before.as_ref().map(|r| &r.object);
        match key.kind {
            "PersistentVolumeClaim" => {
                if let Some(Object::PersistentVolumeClaim(pvc)) = after {
                    wake(Controller::ClaimSync, key.clone());
                    wake(Controller::Provisioner, key.clone());
                    if pvc.metadata.deletion_timestamp.is_some() {
                        wake(Controller::PvcProtection, key.clone());
                    }
                    if resizer::wants_resize(pvc) {
                        wake(Controller::Resize, key.clone());
                    }
                } else if let Some(Object::PersistentVolumeClaim(pvc)) = before
                    && let Some(volume) = pvc.spec.volume_name.as_deref().filter(|v| !v.is_empty())
                {
                    wake(
                        Controller::VolumeSync,
                        ObjKey::new("PersistentVolume", "", volume),
                    );
                }
            }
            "PersistentVolume" => {
                if let Some(Object::PersistentVolume(pv)) = after {
                    wake(Controller::VolumeSync, key.clone());
                    wake(Controller::Provisioner, key.clone());
                    if pv.metadata.deletion_timestamp.is_some() {
                        wake(Controller::PvProtection, key.clone());
                    }
                } else if let Some(Object::PersistentVolume(pv)) = before
                    && let Some(claim) = &pv.spec.claim_ref
                {
                    wake(
                        Controller::ClaimSync,
                        ObjKey::new("PersistentVolumeClaim", &claim.namespace, &claim.name),
                    );
                }
            }
            "Pod" => {
                let pod = after.or(before);
                if let Some(Object::Pod(pod)) = pod {
                    for claim in pod::claims_of(pod) {
                        wake(
                            Controller::PvcProtection,
                            ObjKey::new("PersistentVolumeClaim", &pod.metadata.namespace, &claim),
                        );
                    }
                }
            }
            _ => {}
        }
        self.watch_scheduling(change);
        self.watch_nodes(change);
        self.watch_workloads(change);
    }

    /// The workload controllers' and the garbage collector's informers.
    fn watch_workloads(&mut self, change: &Change) {
        if change.after.is_none() {
            match change.before.as_ref().map(|r| &r.object) {
                Some(Object::Pod(p)) => self
                    .files
                    .forget_prefix(&format!("pod/{}/", p.metadata.uid)),
                Some(Object::Node(n)) => self
                    .files
                    .forget_prefix(&format!("node/{}/", n.metadata.name)),
                _ => {}
            }
        }
        let mut wake: Vec<(Controller, ObjKey)> = Vec::new();
        let after = change.after.as_ref().map(|r| &r.object);
        let before = change.before.as_ref().map(|r| &r.object);
        let object = after.or(before);
        match (change.key.kind, object) {
            ("Deployment", Some(_)) => wake.push((Controller::Deployment, change.key.clone())),
            ("ReplicaSet", Some(_)) => wake.push((Controller::ReplicaSet, change.key.clone())),
            ("StatefulSet", Some(_)) => wake.push((Controller::StatefulSet, change.key.clone())),
            _ => {}
        }
        if let Some(o) = object
            && let Some(owner) = pod::controller_of(o.metadata())
        {
            let kind = match owner.kind.as_str() {
                "ReplicaSet" => Some((Controller::ReplicaSet, "ReplicaSet")),
                "StatefulSet" => Some((Controller::StatefulSet, "StatefulSet")),
                "Deployment" => Some((Controller::Deployment, "Deployment")),
                _ => None,
            };
            if let Some((controller, kind)) = kind {
                let owner_key = ObjKey::new(kind, &o.metadata().namespace, &owner.name);
                // A Deployment rolls out as its ReplicaSets' pods become
                // available (upstream hears it through ReplicaSet status).
                if let Some(grand) = self
                    .store
                    .get(&owner_key)
                    .and_then(|rs| pod::controller_of(rs.metadata()))
                    .filter(|g| g.kind == "Deployment" && kind == "ReplicaSet")
                {
                    wake.push((
                        Controller::Deployment,
                        ObjKey::new("Deployment", &o.metadata().namespace, &grand.name),
                    ));
                }
                wake.push((controller, owner_key));
            }
        }
        if let Some(Object::Pod(pod)) = after
            && pod.spec.volumes.iter().any(|v| v.ephemeral.is_some())
        {
            wake.push((Controller::Ephemeral, change.key.clone()));
        }
        if after.is_none()
            && let Some(o) = before
        {
            wake.push((
                Controller::GarbageCollector,
                ObjKey::new("owner", "", &o.metadata().uid),
            ));
        }
        if change.key.kind == "Node" {
            wake.push((Controller::NodeLifecycle, change.key.clone()));
            for pod in self.store.list("Pod") {
                if let Object::Pod(p) = pod
                    && p.spec.node_name == change.key.name
                {
                    wake.push((Controller::TaintEviction, ObjKey::of(pod)));
                }
            }
        }
        for (controller, key) in wake {
            self.queue.push(self.now, Work { controller, key }, true);
        }
    }

    /// The kubelets', attach/detach controller's and attachers' informers.
    fn watch_nodes(&mut self, change: &Change) {
        let object = change
            .after
            .as_ref()
            .or(change.before.as_ref())
            .map(|r| &r.object);
        let exists = change.after.is_some();
        let mut kubelet: Vec<ObjKey> = Vec::new();
        let mut volumes: Vec<String> = Vec::new();
        let pods_using = |store: &Store, namespace: &str, claim: &str| -> Vec<ObjKey> {
            store
                .list("Pod")
                .filter(|o| {
                    matches!(o, Object::Pod(p) if p.metadata.namespace == namespace
                        && !p.spec.node_name.is_empty()
                        && pod::pod_claims(p).iter().any(|(c, _)| c == claim))
                })
                .map(ObjKey::of)
                .collect()
        };
        match object {
            Some(Object::Pod(pod)) => {
                if exists && !pod.spec.node_name.is_empty() {
                    kubelet.push(change.key.clone());
                }
                for (claim, _) in pod::pod_claims(pod) {
                    if let Some(v) = self
                        .store
                        .pvc(&pod.metadata.namespace, &claim)
                        .and_then(|c| c.spec.volume_name.clone())
                    {
                        volumes.push(v);
                    }
                }
            }
            Some(Object::PersistentVolumeClaim(pvc)) => {
                volumes.extend(pvc.spec.volume_name.clone());
                kubelet.extend(pods_using(
                    &self.store,
                    &pvc.metadata.namespace,
                    &pvc.metadata.name,
                ));
            }
            Some(Object::PersistentVolume(pv)) => volumes.push(pv.metadata.name.clone()),
            Some(Object::VolumeAttachment(va)) => {
                if exists {
                    let work = Work {
                        controller: Controller::Attacher,
                        key: change.key.clone(),
                    };
                    self.queue.push(self.now, work, true);
                }
                volumes.extend(va.spec.source.persistent_volume_name.clone());
                kubelet.extend(self.store.list("Pod").filter(|o| {
                    matches!(o, Object::Pod(p) if p.spec.node_name == va.spec.node_name)
                }).map(ObjKey::of));
            }
            Some(Object::Node(node)) => {
                kubelet.extend(self.store.list("Pod").filter(|o| {
                    matches!(o, Object::Pod(p) if p.spec.node_name == node.metadata.name)
                }).map(ObjKey::of));
                let ctx = Ctx {
                    now: self.now,
                    store: &self.store,
                    queue: &self.queue,
                    backends: &self.backends,
                };
                volumes.extend(attach::volumes_on(&ctx, &node.metadata.name));
            }
            _ => {}
        }
        for key in kubelet {
            let work = Work {
                controller: Controller::Kubelet,
                key,
            };
            self.queue.push(self.now, work, true);
        }
        for v in volumes.into_iter().filter(|v| !v.is_empty()) {
            let work = Work {
                controller: Controller::AttachDetach,
                key: ObjKey::new("PersistentVolume", "", &v),
            };
            self.queue.push(self.now, work, true);
        }
    }

    /// The scheduler's informers: a new pod or a changed spec, and every
    /// change that can make a pending pod schedulable (nodes, volumes,
    /// claims, classes, a pod going away).
    fn watch_scheduling(&mut self, change: &Change) {
        let after = change.after.as_ref().map(|r| &r.object);
        let before = change.before.as_ref().map(|r| &r.object);
        if let Some(Object::Pod(pod)) = after {
            let changed = match before {
                Some(Object::Pod(old)) => {
                    old.spec != pod.spec || old.metadata.labels != pod.metadata.labels
                }
                _ => true,
            };
            if changed {
                self.wake_scheduler(&change.key);
            }
        }
        let frees_room = change.key.kind == "Pod" && after.is_none();
        if frees_room
            || matches!(
                change.key.kind,
                "PersistentVolume" | "PersistentVolumeClaim" | "Node" | "StorageClass"
            )
        {
            let pending: Vec<ObjKey> = self
                .store
                .list("Pod")
                .filter(|o| matches!(o, Object::Pod(p) if pod::wants_scheduling(p)))
                .map(ObjKey::of)
                .collect();
            for key in pending {
                self.wake_scheduler(&key);
            }
        }
    }

    /// Queues a scheduling attempt for a pod that wants one, no sooner than
    /// its backoff allows.
    fn wake_scheduler(&mut self, key: &ObjKey) {
        let Some(Object::Pod(pod)) = self.store.get(key) else {
            return;
        };
        if !pod::wants_scheduling(pod) {
            return;
        }
        let at = self
            .ops
            .schedule_retry
            .get(&pod.metadata.uid)
            .map_or(self.now, |&t| t.max(self.now));
        let work = Work {
            controller: Controller::Schedule,
            key: key.clone(),
        };
        self.queue.push(at, work, true);
    }
}
