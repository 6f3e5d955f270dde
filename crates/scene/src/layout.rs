//! Coordinates: where each element of a scene is drawn.
//!
//! The layout is a function of a scene and the run's extent (how many
//! slots each container needed over the whole run, from
//! [`crate::Timeline::extent`]). Every container has the size the busiest
//! step of the run gave it, and an element's place is its container's
//! origin plus its slot's cell in a fixed grid, so an element stays where
//! it is for as long as it stays in its container, whatever else appears
//! or goes.
//!
//! From top to bottom: the control plane, the tray of pods not yet
//! scheduled, the zones with their nodes (pods inside, the node's own
//! disk at its foot), the claims, and the storage (disk pools, file
//! shares, host directories) with its volumes. Files sit as small marks
//! on the element that holds them. A node shows at most [`POD_ROWS`] pods,
//! the tray [`TRAY_ROWS`] rows of pods, and the claims and each backend
//! [`CARD_ROWS`] rows of cards; when a container overflows, its last cell
//! holds a [`Fold`], a count of the elements that do not fit.

use std::collections::BTreeMap;

use crate::{BackendKind, CONTROLLERS, Scene};

/// A rectangle in the picture's coordinates (SVG user units).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Rect {
    pub x: i32,
    pub y: i32,
    pub w: i32,
    pub h: i32,
}

impl Rect {
    fn right(self) -> i32 {
        self.x + self.w
    }

    fn bottom(self) -> i32 {
        self.y + self.h
    }

    /// Whether two rectangles share any area.
    pub fn overlaps(self, other: Rect) -> bool {
        self.x < other.right()
            && other.x < self.right()
            && self.y < other.bottom()
            && other.y < self.bottom()
    }
}

/// Where every element of one scene is drawn, by element id
/// (controllers by name, zones as `zone/<name>`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Layout {
    pub width: i32,
    pub height: i32,
    /// Where each element is drawn. An element folded into a count has
    /// no rectangle.
    pub rects: BTreeMap<String, Rect>,
    /// The counts drawn in place of the elements a full container folds
    /// away.
    pub folds: Vec<Fold>,
}

const MARGIN: i32 = 16;
const GAP: i32 = 12;
const PAD: i32 = 10;
const CONTROLLER: (i32, i32) = (120, 34);
const POD: (i32, i32) = (180, 36);
const CARD: (i32, i32) = (200, 48);
const FILE: i32 = 14;
/// The room one file takes along its holder's foot: its mark, and its
/// name (at most 12 characters) to the left of it.
const FILE_CELL: i32 = 84;
/// The most pod rows a node shows.
pub const POD_ROWS: u32 = 12;
/// The most rows of pods in the tray, and of claims or of one backend's
/// volumes.
pub const TRAY_ROWS: u32 = 4;
pub const CARD_ROWS: u32 = 6;
const NODE_HEADER: i32 = 48;
const ZONE_HEADER: i32 = 24;
const BOX_HEADER: i32 = 24;
/// The narrowest picture: room for three controllers or claims a row.
const MIN_WIDTH: i32 = 660;
/// Columns of host directories' volumes.
const VOLUME_COLUMNS: u32 = 3;

/// A count drawn in the last cell of a full container, in place of the
/// elements that do not fit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fold {
    pub rect: Rect,
    /// How many elements it stands for.
    pub hidden: u32,
    pub what: Folded,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Folded {
    Pods,
    Claims,
    Volumes,
}

/// Places the elements `(id, slot)` of a container of `capacity` cells:
/// each in the cell of its slot, except that when some slot is past the
/// last cell, every element from the last cell on is folded into one
/// count there.
fn place_all<'a>(
    elements: impl Iterator<Item = (&'a str, u32)>,
    capacity: u32,
    at: impl Fn(u32) -> Rect,
    what: Folded,
    rects: &mut BTreeMap<String, Rect>,
    folds: &mut Vec<Fold>,
) {
    // One copy of the placing, whatever the caller's iterator and cells.
    let elements: Vec<(&str, u32)> = elements.collect();
    place_each(&elements, capacity, &at, what, rects, folds);
}

fn place_each(
    elements: &[(&str, u32)],
    capacity: u32,
    at: &dyn Fn(u32) -> Rect,
    what: Folded,
    rects: &mut BTreeMap<String, Rect>,
    folds: &mut Vec<Fold>,
) {
    let last = capacity.max(1) - 1;
    let overflow = elements.iter().any(|(_, slot)| *slot > last);
    let mut hidden = 0;
    for &(id, slot) in elements {
        if overflow && slot >= last {
            hidden += 1;
        } else {
            rects.insert(id.to_owned(), at(slot));
        }
    }
    if hidden > 0 {
        folds.push(Fold {
            rect: at(last),
            hidden,
            what,
        });
    }
}

fn rows(count: u32, columns: u32) -> i32 {
    i32::try_from(count.div_ceil(columns).max(1)).unwrap_or(i32::MAX)
}

fn n_u32(v: usize) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

fn n(v: u32) -> i32 {
    i32::try_from(v).unwrap_or(i32::MAX)
}

/// The cell of `slot` in a grid of `columns` cells of `cell` size from
/// `origin`.
fn cell(origin: (i32, i32), cell: (i32, i32), columns: u32, slot: u32) -> Rect {
    Rect {
        x: origin.0 + n(slot % columns) * (cell.0 + GAP),
        y: origin.1 + n(slot / columns) * (cell.1 + GAP),
        w: cell.0,
        h: cell.1,
    }
}

impl Layout {
    /// Lays a scene out in containers sized by the run's `extent`.
    pub fn of(scene: &Scene, extent: &BTreeMap<String, usize>) -> Layout {
        let count = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        let size = |container: &str| extent.get(container).copied().map_or(0, count);
        let mut rects = BTreeMap::new();
        let mut folds = Vec::new();
        let mut y = MARGIN;

        // Everything is as wide as the zones, and at least a minimum
        // width; the rows of controllers, pods and claims wrap to it.
        let keys = |prefix: &str| {
            extent
                .iter()
                .filter(|(k, _)| k.starts_with(prefix))
                .map(|(_, v)| count(*v))
                .max()
                .unwrap_or(0)
        };
        let nodes_per_zone = keys("zone/").max(1);
        let zone_count = size("zones").max(1);
        let node_width = POD.0 + 2 * PAD;
        let zone_width = n(nodes_per_zone) * (node_width + GAP) + GAP;
        let inner = (n(zone_count) * (zone_width + GAP) - GAP).max(MIN_WIDTH - 2 * MARGIN);
        let columns = |cell: i32| {
            u32::try_from((inner + GAP) / (cell + GAP))
                .unwrap_or(1)
                .max(1)
        };
        let mut width = inner + 2 * MARGIN;

        // The control plane.
        let controller_columns = columns(CONTROLLER.0);
        for (i, (name, _)) in CONTROLLERS.iter().enumerate() {
            let slot = u32::try_from(i).unwrap_or(0);
            rects.insert(
                (*name).to_owned(),
                cell((MARGIN, y), CONTROLLER, controller_columns, slot),
            );
        }
        y += rows(n_u32(CONTROLLERS.len()), controller_columns) * (CONTROLLER.1 + GAP) + GAP;

        // The tray.
        let tray_columns = u32::try_from((inner - 2 * PAD + GAP) / (POD.0 + GAP))
            .unwrap_or(1)
            .max(1);
        let tray_rows = rows(size("tray"), tray_columns).min(n(TRAY_ROWS));
        let tray = Rect {
            x: MARGIN,
            y,
            w: inner,
            h: BOX_HEADER + tray_rows * (POD.1 + GAP) + PAD,
        };
        rects.insert("tray".into(), tray);
        place_all(
            scene.tray.iter().map(|p| (p.id.as_str(), p.slot)),
            tray_columns * TRAY_ROWS,
            |slot| cell((tray.x + PAD, tray.y + BOX_HEADER), POD, tray_columns, slot),
            Folded::Pods,
            &mut rects,
            &mut folds,
        );
        y = tray.bottom() + 2 * GAP;

        // Zones and nodes: every node as tall as the busiest node of the
        // run, every zone as wide as the widest.
        let pod_rows = n(keys("node/").clamp(1, POD_ROWS));
        // Room for the node's own disk only in runs that have node disks.
        let disk_volumes = keys("backend/disk/");
        let disk_area = if disk_volumes == 0 {
            0
        } else {
            BOX_HEADER + rows(disk_volumes, 1) * (CARD.1 + 4)
        };
        let node_size = (
            node_width,
            NODE_HEADER + pod_rows * (POD.1 + 4) + disk_area + FILE + PAD,
        );
        let zone_size = (zone_width, ZONE_HEADER + node_size.1 + 2 * GAP);
        let mut zone_bottom = y;
        let mut node_disks = BTreeMap::new();
        for z in &scene.zones {
            let zone = Rect {
                x: MARGIN + n(z.slot) * (zone_size.0 + GAP),
                y,
                w: zone_size.0,
                h: zone_size.1,
            };
            rects.insert(format!("zone/{}", z.name), zone);
            width = width.max(zone.right() + MARGIN);
            zone_bottom = zone_bottom.max(zone.bottom());
            for node in &z.nodes {
                let r = Rect {
                    x: zone.x + GAP + n(node.slot) * (node_size.0 + GAP),
                    y: zone.y + ZONE_HEADER + GAP,
                    w: node_size.0,
                    h: node_size.1,
                };
                rects.insert(node.id.clone(), r);
                place_all(
                    node.pods.iter().map(|p| (p.id.as_str(), p.slot)),
                    POD_ROWS,
                    |slot| Rect {
                        x: r.x + PAD,
                        y: r.y + NODE_HEADER + n(slot) * (POD.1 + 4),
                        w: POD.0,
                        h: POD.1,
                    },
                    Folded::Pods,
                    &mut rects,
                    &mut folds,
                );
                // The node's own disk, at its foot.
                let disk_top = r.y + NODE_HEADER + pod_rows * (POD.1 + 4);
                node_disks.insert(
                    format!("disk/{}", node.name),
                    Rect {
                        x: r.x + PAD / 2,
                        y: disk_top,
                        w: r.w - PAD,
                        h: r.bottom() - disk_top - PAD / 2,
                    },
                );
            }
        }
        y = zone_bottom + 2 * GAP;

        // Claims.
        let claim_columns = columns(CARD.0);
        let claim_rows = rows(size("claims"), claim_columns).min(n(CARD_ROWS));
        place_all(
            scene.claims.iter().map(|c| (c.id.as_str(), c.slot)),
            claim_columns * CARD_ROWS,
            |slot| cell((MARGIN, y), CARD, claim_columns, slot),
            Folded::Claims,
            &mut rects,
            &mut folds,
        );
        y += claim_rows * (CARD.1 + GAP) + GAP;

        // Storage, under the zones: a zone's disk pool under its zone, the
        // file shares across every zone, then host directories; a node's
        // own disk is drawn in the node.
        let zones_span = {
            let zone_rects: Vec<Rect> = scene
                .zones
                .iter()
                .filter_map(|z| rects.get(&format!("zone/{}", z.name)).copied())
                .collect();
            let left = zone_rects.iter().map(|r| r.x).min().unwrap_or(MARGIN);
            let right = zone_rects
                .iter()
                .map(|r| r.right())
                .max()
                .unwrap_or(MARGIN + zone_size.0);
            (left, right - left)
        };
        let mut backends = scene.storage.clone();
        pvsim_engine::sort::by_key(&mut backends, |b| b.slot);
        // (band, x, width) of each backend box that is not in a node.
        let band_of = |kind: &BackendKind| match kind {
            BackendKind::DiskPool { .. } => 0,
            BackendKind::FileShare => 1,
            BackendKind::HostPath => 2,
            BackendKind::NodeDisk { .. } => 3,
        };
        let mut boxes: Vec<(usize, i32, i32, u32)> = Vec::new();
        let mut next_x = [zones_span.0; 3];
        for b in &backends {
            let volumes = size(&format!("backend/{}", b.id));
            let band = band_of(&b.kind);
            if band == 3 {
                boxes.push((band, 0, 0, 1));
                continue;
            }
            let (x, w) = match &b.kind {
                BackendKind::DiskPool { zone } => match rects.get(&format!("zone/{zone}")) {
                    Some(z) => (z.x, z.w),
                    None => (next_x[band], zone_size.0),
                },
                BackendKind::FileShare => (next_x[band], zones_span.1),
                _ => (
                    next_x[band],
                    n(volumes.clamp(1, VOLUME_COLUMNS)) * (CARD.0 + GAP) + 2 * PAD - GAP,
                ),
            };
            next_x[band] = next_x[band].max(x + w + GAP);
            let columns = if matches!(b.kind, BackendKind::HostPath) {
                volumes.clamp(1, VOLUME_COLUMNS)
            } else {
                u32::try_from((w - 2 * PAD + GAP) / (CARD.0 + GAP))
                    .unwrap_or(1)
                    .max(1)
            };
            boxes.push((band, x, w, columns));
        }
        // Each band as tall as its fullest box over the whole run, so that
        // a share appearing later moves nothing.
        let span_columns = |w: i32| {
            u32::try_from((w - 2 * PAD + GAP) / (CARD.0 + GAP))
                .unwrap_or(1)
                .max(1)
        };
        let mut band_height = [0; 3];
        for (container, volumes) in extent {
            let volumes = &count(*volumes);
            let Some(id) = container.strip_prefix("backend/") else {
                continue;
            };
            let (band, columns) = if id.starts_with("pool/") {
                (0, span_columns(zone_size.0))
            } else if id.starts_with("share/") {
                (1, span_columns(zones_span.1))
            } else if id == "hostpath" {
                (2, (*volumes).clamp(1, VOLUME_COLUMNS))
            } else {
                continue;
            };
            band_height[band] = band_height[band]
                .max(BOX_HEADER + rows(*volumes, columns).min(n(CARD_ROWS)) * (CARD.1 + GAP) + PAD);
        }
        let mut band_y = [y; 3];
        for band in 1..3 {
            band_y[band] = band_y[band - 1]
                + if band_height[band - 1] > 0 {
                    band_height[band - 1] + GAP
                } else {
                    0
                };
        }
        let mut storage_bottom = y;
        for (b, (band, x, w, columns)) in backends.iter().zip(&boxes) {
            let (r, columns, card) = if *band == 3 {
                let Some(r) = node_disks.get(&b.id).copied() else {
                    continue;
                };
                (r, 1, (r.w - PAD, CARD.1))
            } else {
                let r = Rect {
                    x: *x,
                    y: band_y[*band],
                    w: *w,
                    h: band_height[*band],
                };
                storage_bottom = storage_bottom.max(r.bottom());
                width = width.max(r.right() + MARGIN);
                (r, *columns, CARD)
            };
            rects.insert(b.id.clone(), r);
            let volume_rows = if *band == 3 {
                rows(size(&format!("backend/{}", b.id)), 1)
            } else {
                n(CARD_ROWS)
            };
            place_all(
                scene
                    .volumes
                    .iter()
                    .filter(|v| v.backend == b.id)
                    .map(|v| (v.id.as_str(), v.slot)),
                columns * u32::try_from(volume_rows).unwrap_or(1),
                |slot| cell((r.x + PAD / 2, r.y + BOX_HEADER), card, columns, slot),
                Folded::Volumes,
                &mut rects,
                &mut folds,
            );
        }

        // Files: marks along the foot of what holds them.
        for f in &scene.files {
            if let Some(holder) = rects.get(&f.on).copied() {
                rects.insert(
                    f.id.clone(),
                    Rect {
                        x: holder.right() - 2 - FILE - n(f.slot) * FILE_CELL,
                        y: holder.bottom() - FILE - 2,
                        w: FILE,
                        h: FILE,
                    },
                );
            }
        }
        Layout {
            width,
            height: storage_bottom + MARGIN,
            rects,
            folds,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Fold, Folded, Rect, place_all};
    use std::collections::BTreeMap;

    fn at(slot: u32) -> Rect {
        Rect {
            x: 0,
            y: i32::try_from(slot).unwrap() * 10,
            w: 10,
            h: 10,
        }
    }

    fn place(elements: &[(&str, u32)], capacity: u32) -> (Vec<String>, Vec<Fold>) {
        let (mut rects, mut folds) = (BTreeMap::new(), Vec::new());
        place_all(
            elements.iter().copied(),
            capacity,
            at,
            Folded::Pods,
            &mut rects,
            &mut folds,
        );
        (rects.into_keys().collect(), folds)
    }

    #[test]
    fn a_full_container_folds_its_last_cell_into_a_count() {
        // Four cells: three fit, so the last cell holds all that remain.
        let (shown, folds) = place(&[("a", 0), ("b", 1), ("c", 2), ("d", 3), ("e", 4)], 4);
        assert_eq!(shown, ["a", "b", "c"]);
        assert_eq!(
            folds,
            [Fold {
                rect: at(3),
                hidden: 2,
                what: Folded::Pods
            }]
        );
        // Exactly full: nothing folds.
        let (shown, folds) = place(&[("a", 0), ("b", 1), ("c", 2), ("d", 3)], 4);
        assert_eq!(shown.len(), 4);
        assert!(folds.is_empty());
        // A slot past the end (a hole left by a removed element) folds
        // even when the count would fit.
        let (shown, folds) = place(&[("a", 0), ("e", 5)], 4);
        assert_eq!(shown, ["a"]);
        assert_eq!(folds[0].hidden, 1);
    }
}
