//! Properties that hold for any mix of volumes, claims, classes and
//! deletions: bindings agree on both sides, no volume serves two claims, a
//! bound volume satisfies its claim, a Retain volume is never deleted, and
//! the controller's indexed match is the one a full scan of every volume
//! finds (upstream's algorithm).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use proptest::prelude::*;
use pvsim_engine::model::{PersistentVolume, PersistentVolumeClaim};
use pvsim_engine::objects::matching::{self};
use pvsim_engine::objects::volume::ACCESS_MODES;
use pvsim_engine::scenario::{self, RunOptions};
use pvsim_engine::sim::store::Store;
use pvsim_engine::{Object, load};

const SIZES: [&str; 5] = ["1Gi", "2Gi", "1500Mi", "5Gi", "10Gi"];
const CLASSES: [Option<&str>; 4] = [None, Some(""), Some("gold"), Some("silver")];
const POLICIES: [&str; 3] = ["Retain", "Delete", "Recycle"];

#[derive(Clone, Debug)]
struct Volume {
    size: usize,
    modes: u8,
    class: usize,
    policy: usize,
    block: bool,
    label: bool,
    pre_bound: Option<usize>,
}

#[derive(Clone, Debug)]
struct Claim {
    size: usize,
    modes: u8,
    class: usize,
    block: bool,
    selector: bool,
}

fn modes(bits: u8) -> String {
    let list: Vec<&str> = ACCESS_MODES
        .iter()
        .enumerate()
        .filter(|(i, _)| bits & (1 << i) != 0)
        .map(|(_, m)| *m)
        .collect();
    format!("[{}]", list.join(", "))
}

/// Access-mode sets the API server accepts: non-empty, RWOP alone.
fn mode_bits() -> impl Strategy<Value = u8> {
    prop_oneof![1u8..8, Just(8u8)]
}

fn volume() -> impl Strategy<Value = Volume> {
    (
        0..5usize,
        mode_bits(),
        0..4usize,
        0..3usize,
        any::<bool>(),
        any::<bool>(),
        proptest::option::weighted(0.2, 0..8usize),
    )
        .prop_map(
            |(size, modes, class, policy, block, label, pre_bound)| Volume {
                size,
                modes,
                class,
                policy,
                block: block && size % 2 == 0,
                label,
                pre_bound,
            },
        )
}

fn claim() -> impl Strategy<Value = Claim> {
    (
        0..5usize,
        mode_bits(),
        0..4usize,
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(size, modes, class, block, selector)| Claim {
            size,
            modes,
            class,
            block: block && size % 3 == 0,
            selector: selector && size % 2 == 1,
        })
}

fn scenario_yaml(
    volumes: &[Volume],
    claims: &[Claim],
    classes: bool,
    deletions: &[usize],
) -> String {
    let mut y = String::from(
        "apiVersion: pvsim.dev/v1alpha1\nkind: Scenario\nmetadata: {name: prop}\nspec:\n  profile: bare\n  steps:\n  - wait: idle\n",
    );
    for d in deletions {
        let _ = writeln!(
            y,
            "  - delete: PersistentVolumeClaim/default/claim-{d}\n  - wait: 20s"
        );
    }
    if classes {
        y.push_str("---\napiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: gold}\nprovisioner: kubernetes.io/host-path\n");
        y.push_str("---\napiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: silver}\nprovisioner: disk.csi.pvsim.dev\n");
    }
    for (i, v) in volumes.iter().enumerate() {
        let _ = write!(
            y,
            "---\napiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: pv-{i}\n"
        );
        if v.label {
            y.push_str("  labels: {tier: db}\n");
        }
        let _ = write!(
            y,
            "spec:\n  capacity: {{storage: {}}}\n  accessModes: {}\n  persistentVolumeReclaimPolicy: {}\n  nfs: {{server: nfs.example.com, path: /v{i}}}\n",
            SIZES[v.size],
            modes(v.modes),
            POLICIES[v.policy]
        );
        if let Some(class) = CLASSES[v.class] {
            let _ = writeln!(y, "  storageClassName: {class:?}");
        }
        if v.block {
            y.push_str("  volumeMode: Block\n");
        }
        if let Some(c) = v.pre_bound {
            let _ = writeln!(y, "  claimRef: {{namespace: default, name: claim-{c}}}");
        }
    }
    for (i, c) in claims.iter().enumerate() {
        let _ = write!(
            y,
            "---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: claim-{i}\nspec:\n  accessModes: {}\n  resources: {{requests: {{storage: {}}}}}\n",
            modes(c.modes),
            SIZES[c.size]
        );
        if let Some(class) = CLASSES[c.class] {
            let _ = writeln!(y, "  storageClassName: {class:?}");
        }
        if c.block {
            y.push_str("  volumeMode: Block\n");
        }
        if c.selector {
            y.push_str("  selector: {matchLabels: {tier: db}}\n");
        }
    }
    y
}

fn pvs(store: &Store) -> Vec<&PersistentVolume> {
    store
        .list("PersistentVolume")
        .filter_map(|o| match o {
            Object::PersistentVolume(pv) => Some(pv),
            _ => None,
        })
        .collect()
}

fn pvcs(store: &Store) -> Vec<&PersistentVolumeClaim> {
    store
        .list("PersistentVolumeClaim")
        .filter_map(|o| match o {
            Object::PersistentVolumeClaim(c) => Some(c),
            _ => None,
        })
        .collect()
}

/// Upstream's algorithm, by brute force: the access-mode groups that hold
/// every requested mode, fewest modes first; in the first group with a
/// candidate, a volume pre-bound to the claim, else the smallest that passes.
fn scan(store: &Store, pvc: &PersistentVolumeClaim) -> Option<String> {
    let bits = |m: &[String]| {
        m.iter().fold(0u8, |b, x| {
            b | ACCESS_MODES
                .iter()
                .position(|a| a == x)
                .map_or(0, |i| 1 << i)
        })
    };
    let wanted = bits(&pvc.spec.access_modes);
    let mut groups: BTreeMap<(u32, std::cmp::Reverse<u8>), Vec<&PersistentVolume>> =
        BTreeMap::new();
    for pv in pvs(store) {
        let g = bits(&pv.spec.access_modes);
        if g & wanted == wanted {
            groups
                .entry((g.count_ones(), std::cmp::Reverse(g.reverse_bits())))
                .or_default()
                .push(pv);
        }
    }
    for members in groups.values() {
        if let Some(pv) = members
            .iter()
            .find(|pv| matching::check(pv, pvc, false) == Ok(true))
        {
            return Some(pv.metadata.name.clone());
        }
        let best = members
            .iter()
            .filter(|pv| matching::check(pv, pvc, false) == Ok(false))
            .min_by_key(|pv| {
                (
                    pvsim_engine::objects::volume::capacity(pv).map(|c| c.nanos()),
                    pv.metadata.name.clone(),
                )
            });
        if let Some(pv) = best {
            return Some(pv.metadata.name.clone());
        }
    }
    None
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn bindings_are_consistent(
        volumes in proptest::collection::vec(volume(), 0..10),
        claims in proptest::collection::vec(claim(), 0..8),
        classes in any::<bool>(),
        deletions in proptest::collection::vec(0..8usize, 0..3),
    ) {
        let yaml = scenario_yaml(&volumes, &claims, classes, &deletions);
        let loaded = load("prop.yaml", yaml.as_bytes());
        prop_assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
        let run = scenario::run(&loaded, &RunOptions::default()).unwrap();
        let store = run.sim.store();
        let claims_now = pvcs(store);
        let volumes_now = pvs(store);
        let mut holders: BTreeMap<String, usize> = BTreeMap::new();
        for pvc in &claims_now {
            if pvc.status.phase != "Bound" {
                continue;
            }
            let name = pvc.spec.volume_name.clone().unwrap_or_default();
            *holders.entry(name.clone()).or_default() += 1;
            let pv = store.pv(&name);
            prop_assert!(pv.is_some(), "claim {} bound to missing {name}", pvc.metadata.name);
            let pv = pv.unwrap();
            let r = pv.spec.claim_ref.as_ref();
            prop_assert_eq!(r.map(|r| r.uid.as_str()), Some(pvc.metadata.uid.as_str()));
            prop_assert!(pvsim_engine::objects::volume::capacity(pv) >= pvsim_engine::objects::volume::request(pvc));
            for m in &pvc.spec.access_modes {
                prop_assert!(pv.spec.access_modes.contains(m));
            }
        }
        prop_assert!(holders.values().all(|&n| n == 1), "{holders:?}");
        for pv in &volumes_now {
            if pv.status.phase == "Bound" {
                let r = pv.spec.claim_ref.as_ref().unwrap();
                let claim = store.pvc(&r.namespace, &r.name);
                prop_assert!(claim.is_some_and(|c| c.spec.volume_name.as_deref() == Some(pv.metadata.name.as_str())),
                    "{} is Bound to {}/{} which does not point back", pv.metadata.name, r.namespace, r.name);
            }
        }
        for (i, v) in volumes.iter().enumerate() {
            if POLICIES[v.policy] == "Retain" {
                prop_assert!(store.pv(&format!("pv-{i}")).is_some(), "Retain volume pv-{i} was deleted");
            }
        }
        // A claim left Pending has no volume the controller could bind.
        for pvc in &claims_now {
            if pvc.status.phase == "Pending" && pvc.spec.volume_name.is_none() {
                let best = store.volumes.best_match(pvc, false, |n| store.pv(n));
                prop_assert!(best.is_none(), "{} is Pending but {:?} matches", pvc.metadata.name, best.map(|b| &b.metadata.name));
            }
        }
    }

    #[test]
    fn indexed_match_equals_a_full_scan(
        volumes in proptest::collection::vec(volume(), 0..12),
        claims in proptest::collection::vec(claim(), 1..4),
    ) {
        // Load the volumes and claims as they are, without running the
        // controllers, then ask both ways for every claim.
        let yaml = scenario_yaml(&volumes, &claims, false, &[]);
        let loaded = load("prop.yaml", yaml.as_bytes());
        let mut sim = pvsim_engine::sim::Sim::new(pvsim_engine::sim::Options::default());
        for e in &loaded.entries {
            if let Some(o) = &e.object { let _ = sim.apply((**o).clone(), e.raw.clone()); }
        }
        // Volumes become Available once the controller has seen them.
        while sim.store().list("PersistentVolume").any(|o| matches!(o, Object::PersistentVolume(pv) if pv.status.phase == "Pending")) {
            sim.step();
        }
        let store = sim.store();
        for pvc in pvcs(store) {
            let indexed = store.volumes.best_match(pvc, false, |n| store.pv(n)).map(|pv| pv.metadata.name.clone());
            prop_assert_eq!(indexed, scan(store, pvc), "claim {}", pvc.metadata.name);
        }
    }
}
