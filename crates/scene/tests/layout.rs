//! The layout never jumps: over every step of the stories, an element
//! keeps its rectangle for as long as it stays in its container, siblings
//! never overlap, and everything lies inside the picture.
#![allow(clippy::disallowed_methods)]

use std::collections::BTreeMap;
use std::path::Path;

use pvsim_engine::load;
use pvsim_engine::scenario::RunOptions;
use pvsim_scene::{Layout, Rect, Scene, Timeline};

/// Each element's container: a pod's node (or the tray), a volume's
/// backend, a file's holder; everything else stays in one place.
fn containers(scene: &Scene) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for z in &scene.zones {
        out.insert(format!("zone/{}", z.name), "zones".to_owned());
        for n in &z.nodes {
            out.insert(n.id.clone(), format!("zone/{}", z.name));
            for p in &n.pods {
                out.insert(p.id.clone(), n.id.clone());
            }
        }
    }
    for p in &scene.tray {
        out.insert(p.id.clone(), "tray".into());
    }
    for c in &scene.claims {
        out.insert(c.id.clone(), "claims".into());
    }
    for v in &scene.volumes {
        out.insert(v.id.clone(), v.backend.clone());
    }
    for b in &scene.storage {
        out.insert(b.id.clone(), "storage".into());
    }
    for f in &scene.files {
        out.insert(f.id.clone(), f.on.clone());
    }
    out
}

fn siblings(scene: &Scene) -> Vec<Vec<String>> {
    let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (id, container) in containers(scene) {
        groups.entry(container).or_default().push(id);
    }
    groups.into_values().collect()
}

#[test]
fn elements_stay_put_and_never_overlap() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/scenarios/stories");
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "yaml") {
            continue;
        }
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let loaded = load(&name, &std::fs::read(&path).unwrap());
        let timeline = Timeline::new(&loaded, &RunOptions::default(), 16).unwrap();
        let mut before: Option<(BTreeMap<String, String>, Layout)> = None;
        for step in 0..=timeline.steps().len() {
            let scene = timeline.scene(step);
            let layout = Layout::of(&scene, timeline.extent());
            let here = containers(&scene);
            for (id, rect) in &layout.rects {
                assert!(
                    rect.x >= 0
                        && rect.y >= 0
                        && rect.x + rect.w <= layout.width
                        && rect.y + rect.h <= layout.height,
                    "{name} step {step}: {id} {rect:?} outside {}x{}",
                    layout.width,
                    layout.height
                );
            }
            for group in siblings(&scene) {
                let rects: Vec<(&String, Rect)> = group
                    .iter()
                    .filter_map(|id| layout.rects.get(id).map(|r| (id, *r)))
                    .collect();
                for (i, (a, ra)) in rects.iter().enumerate() {
                    for (b, rb) in &rects[i + 1..] {
                        // Pods past a node's last row share it (drawn as a count).
                        if ra == rb && ra.h == 28 {
                            continue;
                        }
                        assert!(
                            !ra.overlaps(*rb),
                            "{name} step {step}: {a} {ra:?} overlaps {b} {rb:?}"
                        );
                    }
                }
            }
            if let Some((containers_before, layout_before)) = &before {
                for (id, rect) in &layout.rects {
                    if here.contains_key(id)
                        && here.get(id) == containers_before.get(id)
                        && let Some(was) = layout_before.rects.get(id)
                    {
                        assert_eq!(was, rect, "{name} step {step}: {id} moved");
                    }
                }
            }
            before = Some((here, layout));
            checked += 1;
        }
    }
    assert!(checked > 100, "{checked}");
}
