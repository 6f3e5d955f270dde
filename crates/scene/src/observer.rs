//! Slots kept from step to step at the cost of what each step changed.
//!
//! [`observe`](crate::observe) places every element by going over
//! everything: each kind of object by age, every file, every backend. After
//! one step of a large run that is a lot of work for a few changes. An
//! [`Observer`] keeps the list of placements `observe` makes, in its order,
//! and after a step redoes only the placements of what changed, as the
//! engine's journals tell it: the objects written, the backend volumes
//! created, resized or deleted, and the places whose files changed. What
//! else a placement depends on is indexed here: a pod's container on its
//! node's object, a file's on its node or its volume, a volume's backend on
//! the backend's volume.
//!
//! Why the slots come out the same as `observe`'s: [`Slots::place`] does
//! nothing for an element that is already in that container, so `observe`
//! only acts on the elements that are new or have moved, in its order. The
//! observer places those same elements in the same order, then frees the
//! elements that are gone, as `observe` does last. One element placed in
//! two containers (which `observe` moves back and forth at every step) is
//! the exception: while there is one, the observer replays the whole list.

use std::collections::{BTreeMap, BTreeSet};

use pvsim_engine::Object;
use pvsim_engine::cluster::data;
use pvsim_engine::sim::Sim;
use pvsim_engine::sim::store::ObjKey;

use crate::{Slots, backend_of, zone_of};

/// An object's age as `observe` sorts by it: creation, namespace, name.
type Age = (Option<String>, String, String);

/// The position of one placement in `observe`'s order.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Order {
    Volume(Age),
    Claim(Age),
    /// A node's zone (0), then the node itself (1).
    Node(Age, u8),
    Pod(Age),
    /// A file by place and path.
    File(String, String),
    /// A backend, by id.
    Storage(String),
}

/// What a volume's placements rest on.
#[derive(Debug)]
struct VolumeFacts {
    backend: String,
    handle: Option<String>,
    /// Where its files live off the nodes (`data::volume_key`).
    place: String,
}

/// What changed in one update, as the placements are redone.
#[derive(Default)]
struct Redo {
    /// Placements made again (most of them change nothing).
    placed: BTreeSet<Order>,
    /// Elements that lost a placement (freed if they have none left).
    dropped: BTreeSet<String>,
    /// File places to redo once the objects are done.
    places: BTreeSet<String>,
}

/// The placements `observe` would make for the simulation as it stands,
/// kept up to date step by step.
#[derive(Debug)]
pub(crate) struct Observer {
    /// The engine's journals (store, backends, files) when last looked at.
    marks: (u64, u64, u64),
    /// Every placement, in `observe`'s order: element and container.
    order: BTreeMap<Order, (String, String)>,
    /// Element → container → how many placements put it there.
    ids: BTreeMap<String, BTreeMap<String, usize>>,
    /// How many elements are placed in more than one container.
    conflicts: usize,
    /// Object → its placements.
    of_object: BTreeMap<ObjKey, Vec<Order>>,
    /// Volume (by name) → what its placements rest on.
    volumes: BTreeMap<String, VolumeFacts>,
    /// Backend → how many volumes live on it.
    storage: BTreeMap<String, usize>,
    /// Backend volume handle → the volumes (by name) that name it.
    by_handle: BTreeMap<String, BTreeSet<String>>,
    /// A volume's place off the nodes → the volumes there (name → uid);
    /// the last by name holds the files, as in `observe`.
    volume_places: BTreeMap<String, BTreeMap<String, String>>,
    /// Pod → the node it names, and node name → the pods naming it.
    pod_node: BTreeMap<ObjKey, String>,
    pods_on: BTreeMap<String, BTreeSet<ObjKey>>,
    /// Every place that holds files, with its placements (none while the
    /// files show nowhere).
    places: BTreeMap<String, Vec<Order>>,
}

/// The kinds `observe` places.
const KINDS: [&str; 4] = ["PersistentVolume", "PersistentVolumeClaim", "Node", "Pod"];

fn age(o: &Object) -> Age {
    let m = o.metadata();
    (
        m.creation_timestamp.clone(),
        m.namespace.clone(),
        m.name.clone(),
    )
}

fn marks(sim: &Sim) -> (u64, u64, u64) {
    (
        sim.store().changes().mark(),
        sim.backends().changes().mark(),
        sim.files().changes().mark(),
    )
}

impl Observer {
    /// Places every element of the simulation as it stands, exactly as
    /// [`crate::observe`] does.
    pub(crate) fn new(sim: &Sim, slots: &mut Slots) -> Observer {
        let mut o = Observer {
            marks: marks(sim),
            order: BTreeMap::new(),
            ids: BTreeMap::new(),
            conflicts: 0,
            of_object: BTreeMap::new(),
            volumes: BTreeMap::new(),
            storage: BTreeMap::new(),
            by_handle: BTreeMap::new(),
            volume_places: BTreeMap::new(),
            pod_node: BTreeMap::new(),
            pods_on: BTreeMap::new(),
            places: BTreeMap::new(),
        };
        let mut redo = Redo::default();
        for kind in KINDS {
            for object in sim.store().list(kind) {
                o.object(sim, &ObjKey::of(object), &mut redo);
            }
        }
        redo.places
            .extend(sim.files().iter().map(|(place, _, _)| place.to_owned()));
        for place in std::mem::take(&mut redo.places) {
            o.place(sim, &place, &mut redo);
        }
        o.replay(slots);
        o
    }

    /// Follows the simulation from where it was at the last call: redoes
    /// the placements of what changed since, and frees what is gone.
    pub(crate) fn update(&mut self, sim: &Sim, slots: &mut Slots) {
        let (store, backends, files) = self.marks;
        let mut redo = Redo::default();
        let mut objects: BTreeSet<ObjKey> = BTreeSet::new();
        objects.extend(
            sim.store()
                .changes()
                .since(store)
                .filter(|k| KINDS.contains(&k.kind))
                .cloned(),
        );
        for handle in sim.backends().changes().since(backends) {
            for name in self.by_handle.get(handle).into_iter().flatten() {
                objects.insert(ObjKey::new("PersistentVolume", "", name));
            }
        }
        // A node's object decides its pods' container.
        let nodes: Vec<String> = objects
            .iter()
            .filter(|k| k.kind == "Node")
            .map(|k| k.name.clone())
            .collect();
        for node in &nodes {
            objects.extend(self.pods_on.get(node).into_iter().flatten().cloned());
        }
        for key in &objects {
            self.object(sim, key, &mut redo);
        }
        for node in &nodes {
            let prefix = format!("node/{node}");
            let on_node = self
                .places
                .range(prefix.clone()..)
                .take_while(|(p, _)| p.starts_with(&prefix))
                .filter(|(p, _)| node_of(p) == Some(node.as_str()))
                .map(|(p, _)| p.clone());
            redo.places.extend(on_node);
        }
        redo.places
            .extend(sim.files().changes().since(files).cloned());
        for place in std::mem::take(&mut redo.places) {
            self.place(sim, &place, &mut redo);
        }
        self.marks = marks(sim);
        if self.conflicts > 0 {
            self.replay(slots);
            return;
        }
        for order in &redo.placed {
            if let Some((id, container)) = self.order.get(order) {
                slots.place(container, id);
            }
        }
        for id in &redo.dropped {
            if !self.ids.contains_key(id) {
                slots.free(id);
            }
        }
    }

    /// Every placement in order, then frees the rest: `observe` itself.
    fn replay(&self, slots: &mut Slots) {
        for (id, container) in self.order.values() {
            slots.place(container, id);
        }
        slots.retain(|id| self.ids.contains_key(id));
    }

    /// Redoes an object's placements (and what rests on it) from the store.
    fn object(&mut self, sim: &Sim, key: &ObjKey, redo: &mut Redo) {
        for order in self.of_object.remove(key).unwrap_or_default() {
            self.remove(&order, redo);
        }
        let object = sim.store().get(key);
        let mut orders = Vec::new();
        match (key.kind, object) {
            ("PersistentVolume", _) => {
                if let Some(old) = self.volumes.remove(&key.name) {
                    self.forget_volume(&key.name, old, redo);
                }
                if let Some(o @ Object::PersistentVolume(pv)) = object {
                    let backend = backend_of(sim, pv).id;
                    let uid = &pv.metadata.uid;
                    let order = Order::Volume(age(o));
                    self.add(&order, uid, &format!("backend/{backend}"), redo);
                    orders.push(order);
                    let count = self.storage.entry(backend.clone()).or_default();
                    *count += 1;
                    if *count == 1 {
                        self.add(&Order::Storage(backend.clone()), &backend, "storage", redo);
                    }
                    let handle = pv.spec.csi.as_ref().map(|c| c.volume_handle.clone());
                    if let Some(h) = &handle {
                        self.by_handle
                            .entry(h.clone())
                            .or_default()
                            .insert(key.name.clone());
                    }
                    let place = data::volume_key(pv);
                    self.volume_places
                        .entry(place.clone())
                        .or_default()
                        .insert(key.name.clone(), uid.clone());
                    redo.places.insert(place.clone());
                    self.volumes.insert(
                        key.name.clone(),
                        VolumeFacts {
                            backend,
                            handle,
                            place,
                        },
                    );
                }
            }
            ("PersistentVolumeClaim", Some(o)) => {
                let order = Order::Claim(age(o));
                self.add(&order, &o.metadata().uid, "claims", redo);
                orders.push(order);
            }
            ("Node", Some(o @ Object::Node(n))) => {
                let zone = format!("zone/{}", zone_of(n));
                let (a, b) = (Order::Node(age(o), 0), Order::Node(age(o), 1));
                self.add(&a, &zone, "zones", redo);
                self.add(&b, &n.metadata.uid, &zone, redo);
                orders.extend([a, b]);
            }
            ("Pod", _) => {
                if let Some(node) = self.pod_node.remove(key)
                    && let Some(pods) = self.pods_on.get_mut(&node)
                {
                    pods.remove(key);
                    if pods.is_empty() {
                        self.pods_on.remove(&node);
                    }
                }
                if let Some(o @ Object::Pod(p)) = object {
                    let node = &p.spec.node_name;
                    let container = match sim.store().get(&ObjKey::new("Node", "", node)) {
                        Some(n) => format!("node/{}", n.metadata().uid),
                        None => "tray".into(),
                    };
                    let order = Order::Pod(age(o));
                    self.add(&order, &p.metadata.uid, &container, redo);
                    orders.push(order);
                    self.pod_node.insert(key.clone(), node.clone());
                    self.pods_on
                        .entry(node.clone())
                        .or_default()
                        .insert(key.clone());
                }
            }
            _ => {}
        }
        if !orders.is_empty() {
            self.of_object.insert(key.clone(), orders);
        }
    }

    /// Takes back what a volume that changed or went had added.
    fn forget_volume(&mut self, name: &str, old: VolumeFacts, redo: &mut Redo) {
        if let Some(count) = self.storage.get_mut(&old.backend) {
            *count -= 1;
            if *count == 0 {
                self.storage.remove(&old.backend);
                self.remove(&Order::Storage(old.backend), redo);
            }
        }
        if let Some(h) = old.handle
            && let Some(names) = self.by_handle.get_mut(&h)
        {
            names.remove(name);
            if names.is_empty() {
                self.by_handle.remove(&h);
            }
        }
        if let Some(there) = self.volume_places.get_mut(&old.place) {
            there.remove(name);
            if there.is_empty() {
                self.volume_places.remove(&old.place);
            }
        }
        redo.places.insert(old.place);
    }

    /// Redoes the placements of the files of one place.
    fn place(&mut self, sim: &Sim, place: &str, redo: &mut Redo) {
        for order in self.places.remove(place).unwrap_or_default() {
            self.remove(&order, redo);
        }
        // Where the files show, as `files` in lib.rs finds it.
        let on = if let Some(node) = node_of(place) {
            sim.store()
                .get(&ObjKey::new("Node", "", node))
                .map(|n| n.metadata().uid.clone())
        } else if let Some(rest) = place.strip_prefix("pod/") {
            rest.split('/').next().map(str::to_owned)
        } else {
            self.volume_places
                .get(place)
                .and_then(|there| there.values().next_back().cloned())
        };
        let mut orders = Vec::new();
        if let Some(on) = on {
            let container = format!("files/{on}");
            for (path, _) in sim.files().at(place) {
                let order = Order::File(place.to_owned(), path.to_owned());
                self.add(&order, &format!("file/{place}{path}"), &container, redo);
                orders.push(order);
            }
        }
        // A place whose files show nowhere yet stays known, for when its
        // node comes.
        if sim.files().at(place).next().is_some() {
            self.places.insert(place.to_owned(), orders);
        }
    }

    fn add(&mut self, order: &Order, id: &str, container: &str, redo: &mut Redo) {
        self.order
            .insert(order.clone(), (id.to_owned(), container.to_owned()));
        let containers = self.ids.entry(id.to_owned()).or_default();
        *containers.entry(container.to_owned()).or_default() += 1;
        if containers.len() == 2 && containers[container] == 1 {
            self.conflicts += 1;
        }
        redo.placed.insert(order.clone());
    }

    fn remove(&mut self, order: &Order, redo: &mut Redo) {
        let Some((id, container)) = self.order.remove(order) else {
            return;
        };
        let Some(containers) = self.ids.get_mut(&id) else {
            return;
        };
        if let Some(n) = containers.get_mut(&container) {
            *n -= 1;
            if *n == 0 {
                containers.remove(&container);
                if containers.len() == 1 {
                    self.conflicts -= 1;
                }
            }
        }
        if containers.is_empty() {
            self.ids.remove(&id);
        }
        redo.dropped.insert(id);
    }
}

/// The node whose disk a place is on (`node/<name>/...`).
fn node_of(place: &str) -> Option<&str> {
    place
        .strip_prefix("node/")
        .map(|rest| rest.split('/').next().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;
    use std::path::{Path, PathBuf};

    use pvsim_engine::load;
    use pvsim_engine::scenario::{RunOptions, Runner};

    use super::Observer;
    use crate::{Slots, observe};

    /// Every scenario file under `tests/scenarios`.
    fn scenarios(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        pvsim_engine::sort::stable(&mut entries);
        for path in entries {
            if path.is_dir() {
                scenarios(&path, out);
            } else if path.extension().is_some_and(|e| e == "yaml") {
                out.push(path);
            }
        }
    }

    /// Plays the input, holding the observer's slots to `observe`'s at
    /// every step; the number of steps.
    fn same_as_observe(name: &str, yaml: &[u8]) -> usize {
        let loaded = load(name, yaml);
        let Ok(mut runner) = Runner::new(&loaded, &RunOptions::default()) else {
            return 0;
        };
        let (mut full, mut kept) = (Slots::default(), Slots::default());
        observe(runner.sim(), &mut full);
        let mut observer = Observer::new(runner.sim(), &mut kept);
        assert_eq!(kept, full, "{name}: at the start");
        while runner.advance() {
            observe(runner.sim(), &mut full);
            observer.update(runner.sim(), &mut kept);
            let n = runner.sim().steps().len();
            assert_eq!(kept, full, "{name}: after {n} steps");
        }
        runner.sim().steps().len()
    }

    #[test]
    fn the_observer_places_as_observe_does_in_every_scenario() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/scenarios");
        let mut files = Vec::new();
        scenarios(&root, &mut files);
        let stories = files
            .iter()
            .filter(|p| p.parent().is_some_and(|d| d.ends_with("stories")))
            .count();
        assert!(stories >= 15, "{stories} stories");
        let mut steps = 0;
        for path in &files {
            let name = path.strip_prefix(&root).unwrap().to_string_lossy();
            steps += same_as_observe(&name, &std::fs::read(path).unwrap());
        }
        assert!(steps > 500, "{steps} steps");
    }

    #[test]
    fn the_observer_places_as_observe_does_in_a_large_paste() {
        // Static volumes and claims, Deployments using some of them, and
        // claims that dynamic provisioning serves on block, file and
        // node-local storage.
        let mut yaml = String::new();
        for i in 0..60 {
            let _ = write!(
                yaml,
                "---\napiVersion: v1\nkind: PersistentVolume\nmetadata: {{name: pv-{i}}}\nspec:\n  capacity: {{storage: {}Gi}}\n  accessModes: [ReadWriteOnce]\n  storageClassName: manual\n  hostPath: {{path: /data/{i}}}\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {{name: claim-{i}}}\nspec:\n  storageClassName: manual\n  accessModes: [ReadWriteOnce]\n  resources: {{requests: {{storage: 1Gi}}}}\n",
                1 + i % 10
            );
        }
        for i in 0..20 {
            let _ = write!(
                yaml,
                "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: app-{i}}}\nspec:\n  selector: {{matchLabels: {{app: app-{i}}}}}\n  template:\n    metadata: {{labels: {{app: app-{i}}}}}\n    spec:\n      containers: [{{name: c, image: busybox}}]\n      volumes: [{{name: d, persistentVolumeClaim: {{claimName: claim-{i}}}}}]\n"
            );
        }
        for i in 0..30 {
            let _ = write!(
                yaml,
                "---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {{name: dyn-{i}}}\nspec:\n  accessModes: [ReadWriteOnce]\n  resources: {{requests: {{storage: 1Gi}}}}\n"
            );
        }
        let steps = same_as_observe("large.yaml", yaml.as_bytes());
        assert!(steps > 200, "{steps} steps");
    }
}
