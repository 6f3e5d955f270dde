//! How the PV controller picks a volume for a claim: upstream's
//! `findBestMatchForClaim` (pkg/controller/volume/persistentvolume/index.go)
//! and `FindMatchingVolume` (component-helpers storage/volume/pv_helpers.go).
//!
//! One rule function, [`check`], decides whether a volume can serve a claim
//! and names the first rule that excludes it. The controller reaches
//! candidates through [`VolumeIndex`], which keeps Available volumes sorted
//! by size per access-mode set and class, so a claim costs a range lookup
//! instead of upstream's scan of every volume; `pvsim explain` runs [`check`]
//! over every volume. Both give the same answer (a property test holds them
//! to it).
//!
//! Where upstream leaves an order undefined, pvsim fixes one:
//! access-mode groups with the same number of modes are tried in the order
//! `ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod`; volumes
//! of equal capacity are tried by name.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::model::{PersistentVolume, PersistentVolumeClaim};
use crate::objects::selector::{selector_matches, selector_text};
use crate::objects::volume::{
    ACCESS_MODES, capacity, claim_class, is_bound_to, request, volume_class, volume_mode,
};

/// A set of access modes as a bit mask in [`ACCESS_MODES`] order.
fn mode_bits(modes: &[String]) -> u8 {
    modes.iter().fold(0, |bits, m| {
        bits | ACCESS_MODES
            .iter()
            .position(|a| a == m)
            .map_or(0, |i| 1 << i)
    })
}

/// Why a volume cannot serve a claim: the first rule that fails, in the
/// order upstream checks them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mismatch {
    /// The volume's access modes lack one the claim requests.
    AccessModes {
        has: Vec<String>,
        lacks: String,
    },
    /// `claimRef` names another claim (or this claim's old incarnation).
    ClaimedBy {
        claim: String,
        /// The reclaim policy, when the volume is Released.
        released: Option<String>,
        /// Whether the volume is Bound to that claim (else only reserved).
        bound: bool,
    },
    TooSmall {
        capacity: String,
        request: String,
    },
    VolumeMode {
        volume: String,
        claim: String,
    },
    AttributesClass {
        volume: String,
        claim: String,
    },
    BeingDeleted,
    /// The class binds late: the controller leaves unbound volumes to the scheduler.
    WaitForFirstConsumer,
    Phase(String),
    Selector {
        selector: String,
        labels: String,
    },
    Class {
        volume: String,
        claim: String,
    },
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mismatch::AccessModes { has, lacks } => {
                write!(f, "access modes [{}] lack {lacks}", has.join(" "))
            }
            Mismatch::ClaimedBy {
                claim,
                released: Some(policy),
                ..
            } => write!(
                f,
                "phase Released: reclaim policy {policy} keeps the old claimRef {claim}; remove spec.claimRef to reuse it"
            ),
            Mismatch::ClaimedBy {
                claim, bound: true, ..
            } => write!(f, "bound to {claim}"),
            Mismatch::ClaimedBy { claim, .. } => {
                write!(f, "reserved for {claim} (spec.claimRef)")
            }
            Mismatch::TooSmall { capacity, request } => {
                write!(f, "capacity {capacity} < request {request}")
            }
            Mismatch::VolumeMode { volume, claim } => write!(f, "volumeMode {volume} != {claim}"),
            Mismatch::AttributesClass { volume, claim } => {
                write!(f, "volumeAttributesClassName {volume:?} != {claim:?}")
            }
            Mismatch::BeingDeleted => f.write_str("the volume is being deleted"),
            Mismatch::WaitForFirstConsumer => f.write_str(
                "the claim's class binds on first consumer: the scheduler, not the PV controller, picks an unbound volume",
            ),
            Mismatch::Phase(phase) => write!(f, "phase {phase}: only Available volumes are bound"),
            Mismatch::Selector { selector, labels } => {
                write!(f, "selector {selector} does not match labels {{{labels}}}")
            }
            Mismatch::Class { volume, claim } => write!(f, "class {volume:?} != {claim:?}"),
        }
    }
}

/// The rules a volume must pass to serve a claim, in upstream's order, with
/// the access-mode group check first (the index only offers a claim the
/// groups that contain every requested mode). `Ok(true)` means the volume
/// is bound or pre-bound to this claim, which upstream takes at once.
pub fn check(
    pv: &PersistentVolume,
    pvc: &PersistentVolumeClaim,
    delay_binding: bool,
) -> Result<bool, Mismatch> {
    let wanted = mode_bits(&pvc.spec.access_modes);
    let has = mode_bits(&pv.spec.access_modes);
    if wanted & !has != 0 {
        let lacks = ACCESS_MODES
            .iter()
            .enumerate()
            .filter(|(i, _)| wanted & !has & (1 << i) != 0)
            .map(|(_, m)| *m)
            .collect::<Vec<_>>()
            .join(", ");
        return Err(Mismatch::AccessModes {
            has: pv.spec.access_modes.clone(),
            lacks,
        });
    }
    check_in_group(pv, pvc, delay_binding)
}

/// [`check`] without the access-mode rule: `FindMatchingVolume`'s loop body.
fn check_in_group(
    pv: &PersistentVolume,
    pvc: &PersistentVolumeClaim,
    delay_binding: bool,
) -> Result<bool, Mismatch> {
    let bound_here = is_bound_to(pv, pvc);
    if let Some(r) = &pv.spec.claim_ref
        && !bound_here
    {
        let released = (pv.status.phase == "Released")
            .then(|| pv.spec.persistent_volume_reclaim_policy.clone());
        return Err(Mismatch::ClaimedBy {
            claim: format!("{}/{}", r.namespace, r.name),
            released,
            bound: pv.status.phase == "Bound",
        });
    }
    if let (Some(cap), Some(req)) = (capacity(pv), request(pvc))
        && cap < req
    {
        return Err(Mismatch::TooSmall {
            capacity: pv.spec.capacity["storage"].to_string(),
            request: pvc.spec.resources.requests["storage"].to_string(),
        });
    }
    let (vm, cm) = (
        volume_mode(pv.spec.volume_mode.as_ref()),
        volume_mode(pvc.spec.volume_mode.as_ref()),
    );
    if vm != cm {
        return Err(Mismatch::VolumeMode {
            volume: vm.into(),
            claim: cm.into(),
        });
    }
    let (va, ca) = (
        pv.spec
            .volume_attributes_class_name
            .as_deref()
            .unwrap_or(""),
        pvc.spec
            .volume_attributes_class_name
            .as_deref()
            .unwrap_or(""),
    );
    if va != ca {
        return Err(Mismatch::AttributesClass {
            volume: va.into(),
            claim: ca.into(),
        });
    }
    if pv.metadata.deletion_timestamp.is_some() {
        return Err(Mismatch::BeingDeleted);
    }
    if bound_here {
        return Ok(true);
    }
    if delay_binding {
        return Err(Mismatch::WaitForFirstConsumer);
    }
    if pv.status.phase != "Available" {
        return Err(Mismatch::Phase(pv.status.phase.clone()));
    }
    if let Some(selector) = &pvc.spec.selector
        && !selector_matches(selector, &pv.metadata.labels)
    {
        let labels = pv
            .metadata
            .labels
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(",");
        return Err(Mismatch::Selector {
            selector: selector_text(selector),
            labels,
        });
    }
    let (vc, cc) = (volume_class(pv), claim_class(pvc));
    if vc != cc {
        return Err(Mismatch::Class {
            volume: vc.into(),
            claim: cc.into(),
        });
    }
    Ok(false)
}

/// Where a volume sits in the index.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Slot {
    modes: u8,
    /// `(class, capacity in nanos)` when the volume is Available and unclaimed.
    free: Option<(String, i128)>,
    /// `(namespace, name)` of the claim its `claimRef` names.
    claimed_by: Option<(String, String)>,
}

fn slot(pv: &PersistentVolume) -> Slot {
    let free = (pv.spec.claim_ref.is_none()
        && pv.status.phase == "Available"
        && pv.metadata.deletion_timestamp.is_none())
    .then(|| {
        (
            volume_class(pv).to_owned(),
            capacity(pv).map_or(0, |c| c.nanos()),
        )
    });
    Slot {
        modes: mode_bits(&pv.spec.access_modes),
        free,
        claimed_by: pv
            .spec
            .claim_ref
            .as_ref()
            .map(|r| (r.namespace.clone(), r.name.clone())),
    }
}

/// Upstream's access-mode index, plus order by size: kept up to date by the
/// store on every PersistentVolume write.
#[derive(Clone, Debug, Default)]
pub struct VolumeIndex {
    slots: BTreeMap<String, Slot>,
    /// How many volumes have each access-mode set, by its bit mask.
    groups: [usize; 1 << ACCESS_MODES.len()],
    /// Available, unclaimed volumes by (modes, class), ordered by size then name.
    free: BTreeMap<(u8, String), BTreeSet<(i128, String)>>,
    /// Volumes whose `claimRef` names a claim, by that claim.
    claimed: BTreeMap<(String, String), BTreeSet<String>>,
}

impl VolumeIndex {
    pub fn put(&mut self, pv: &PersistentVolume) {
        self.remove(&pv.metadata.name);
        let name = pv.metadata.name.clone();
        let s = slot(pv);
        self.groups[usize::from(s.modes)] += 1;
        if let Some((class, size)) = &s.free {
            self.free
                .entry((s.modes, class.clone()))
                .or_default()
                .insert((*size, name.clone()));
        }
        if let Some(claim) = &s.claimed_by {
            self.claimed
                .entry(claim.clone())
                .or_default()
                .insert(name.clone());
        }
        self.slots.insert(name, s);
    }

    pub fn remove(&mut self, name: &str) {
        let Some(s) = self.slots.remove(name) else {
            return;
        };
        let n = &mut self.groups[usize::from(s.modes)];
        *n = n.saturating_sub(1);
        if let Some((class, size)) = s.free {
            let key = (s.modes, class);
            if let Some(set) = self.free.get_mut(&key) {
                set.remove(&(size, name.to_owned()));
                if set.is_empty() {
                    self.free.remove(&key);
                }
            }
        }
        if let Some(claim) = s.claimed_by
            && let Some(set) = self.claimed.get_mut(&claim)
        {
            set.remove(name);
            if set.is_empty() {
                self.claimed.remove(&claim);
            }
        }
    }

    /// The access-mode groups that hold every mode `wanted` asks for,
    /// fewest modes first.
    fn groups_for(&self, wanted: u8) -> Vec<u8> {
        let mut groups: Vec<u8> = (0..=u8::MAX)
            .zip(self.groups)
            .filter(|&(g, n)| n > 0 && g & wanted == wanted)
            .map(|(g, _)| g)
            .collect();
        crate::sort::by_key(&mut groups, |g| {
            (g.count_ones(), std::cmp::Reverse(g.reverse_bits()))
        });
        groups
    }

    /// `findBestMatchForClaim`: the volume the controller binds this claim
    /// to, if any. `get` reads a volume by name.
    pub fn best_match<'a>(
        &self,
        pvc: &PersistentVolumeClaim,
        delay_binding: bool,
        get: impl Fn(&str) -> Option<&'a PersistentVolume>,
    ) -> Option<&'a PersistentVolume> {
        let wanted = mode_bits(&pvc.spec.access_modes);
        let claimed = self
            .claimed
            .get(&(pvc.metadata.namespace.clone(), pvc.metadata.name.clone()));
        let request = request(pvc).map_or(0, |r| r.nanos());
        let class = claim_class(pvc);
        for group in self.groups_for(wanted) {
            // A volume pre-bound to this claim wins its group outright.
            let pre_bound = claimed
                .into_iter()
                .flatten()
                .filter_map(|name| get(name))
                .filter(|pv| mode_bits(&pv.spec.access_modes) == group)
                .find(|pv| check_in_group(pv, pvc, delay_binding) == Ok(true));
            if pre_bound.is_some() {
                return pre_bound;
            }
            if delay_binding {
                continue;
            }
            let Some(free) = self.free.get(&(group, class.to_owned())) else {
                continue;
            };
            let found = free
                .range((request, String::new())..)
                .filter_map(|(_, name)| get(name))
                .find(|pv| check_in_group(pv, pvc, delay_binding).is_ok());
            if found.is_some() {
                return found;
            }
        }
        None
    }
}
