//! Scenes at the key moments of the stories: the first moment every claim
//! is Bound, the first moment a node is not Ready, and the end. Each is
//! played step by step through one `Slots`, as the picture plays it, and
//! checked against its insta snapshot (`tests/snapshots/`).
#![allow(clippy::disallowed_methods)]

mod common;

use std::path::Path;

use pvsim_engine::load;
use pvsim_engine::scenario::{RunOptions, Runner};
use pvsim_scene::{Scene, Slots};

fn all_bound(scene: &Scene) -> bool {
    !scene.claims.is_empty() && scene.claims.iter().all(|c| c.phase == "Bound")
}

fn node_down(scene: &Scene) -> bool {
    scene
        .zones
        .iter()
        .flat_map(|z| &z.nodes)
        .any(|n| n.state != "Ready")
}

#[test]
fn story_scenes_at_their_key_moments() {
    let files = common::stories();
    for path in files {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let loaded = load(&format!("{name}.yaml"), &std::fs::read(&path).unwrap());
        let mut runner = Runner::new(&loaded, &RunOptions::default()).unwrap();
        let mut slots = Slots::default();
        let mut moments = String::new();
        let (mut bound, mut down) = (false, false);
        let mut last = Scene::build(runner.sim(), &mut slots);
        while runner.advance() {
            let scene = Scene::build(runner.sim(), &mut slots);
            if !bound && all_bound(&scene) {
                bound = true;
                moments.push_str("## every claim Bound\n");
                moments.push_str(&scene.outline());
                moments.push('\n');
            }
            if !down && node_down(&scene) {
                down = true;
                moments.push_str("## a node not Ready\n");
                moments.push_str(&scene.outline());
                moments.push('\n');
            }
            last = scene;
        }
        let end = runner.finish();
        let scene = Scene::build(&end.sim, &mut slots);
        // Finishing adds no step after the last advance.
        assert_eq!(scene.step, last.step, "{name}");
        moments.push_str("## the end\n");
        moments.push_str(&scene.outline());
        insta::assert_snapshot!(name, moments);
    }
}

/// Playing the same story twice gives the same scenes, slot for slot.
#[test]
fn scenes_are_deterministic() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/scenarios/stories/drain-moves-the-disk.yaml");
    let loaded = load("drain.yaml", &std::fs::read(path).unwrap());
    let play = || {
        let mut runner = Runner::new(&loaded, &RunOptions::default()).unwrap();
        let mut slots = Slots::default();
        let mut out = Vec::new();
        while runner.advance() {
            out.push(Scene::build(runner.sim(), &mut slots));
        }
        out
    };
    assert_eq!(play(), play());
}
