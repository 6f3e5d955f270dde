//! The timeline replays exactly: the scene after any step, reached from a
//! checkpoint and in any order (forwards, backwards, jumping), is the scene
//! the run showed when it got there.
#![allow(clippy::disallowed_methods)]

use std::path::Path;

use pvsim_engine::load;
use pvsim_engine::scenario::{RunOptions, Runner};
use pvsim_scene::{Scene, Slots, Timeline};

fn story(name: &str) -> pvsim_engine::Loaded {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/scenarios/stories")
        .join(format!("{name}.yaml"));
    load(&format!("{name}.yaml"), &std::fs::read(path).unwrap())
}

/// (steps done, scene) at every stop of a runner played straight through.
fn played(loaded: &pvsim_engine::Loaded) -> Vec<(usize, Scene)> {
    let mut runner = Runner::new(loaded, &RunOptions::default()).unwrap();
    let mut slots = Slots::default();
    let mut out = vec![(0, Scene::build(runner.sim(), &mut slots))];
    while runner.advance() {
        out.push((
            runner.sim().steps().len(),
            Scene::build(runner.sim(), &mut slots),
        ));
    }
    out
}

#[test]
fn every_scene_replays_exactly_in_any_order() {
    let loaded = story("statefulset-node-failure");
    let timeline = Timeline::new(&loaded, &RunOptions::default(), 8).unwrap();
    let straight = played(&loaded);
    assert_eq!(straight.last().unwrap().0, timeline.steps().len());
    assert_eq!(timeline.checkpoints(), 1 + timeline.steps().len() / 8);
    // Backwards, from the end to the start.
    for (n, scene) in straight.iter().rev() {
        assert_eq!(&timeline.scene(*n), scene, "after {n} steps");
    }
    // Jumping about.
    for i in [7, 2, straight.len() - 1, 0, straight.len() / 2] {
        let (n, scene) = &straight[i];
        assert_eq!(&timeline.scene(*n), scene, "after {n} steps");
    }
}

#[test]
fn steps_carry_their_caption_and_settled_states() {
    let loaded = story("dynamic-provisioning");
    let timeline = Timeline::new(&loaded, &RunOptions::default(), 64).unwrap();
    let provisioned = timeline
        .steps()
        .iter()
        .find(|s| s.events.iter().any(|e| e.reason == "ProvisioningSucceeded"))
        .unwrap();
    assert_eq!(provisioned.component, "external-provisioner");
    assert_eq!(provisioned.slot, "external-provisioner");
    assert!(
        provisioned
            .object
            .starts_with("persistentvolumeclaim/default/")
    );
    // The run ends settled, and settled states are reachable both ways.
    let last = timeline.steps().len();
    assert!(timeline.steps()[last - 1].settled);
    let first = timeline.next_settled(0);
    assert!(first >= 1 && timeline.steps()[first - 1].settled);
    assert_eq!(timeline.next_settled(last), last);
    assert_eq!(timeline.previous_settled(first), 0);
    assert_eq!(
        timeline.previous_settled(timeline.next_settled(first)),
        first
    );
}
