//! The picture component in headless Chromium: it draws a scene with
//! every object named and in its state, and an element keeps its DOM node
//! (and only slides) when the scene moves on.
#![cfg(target_arch = "wasm32")]

use std::rc::Rc;
use std::time::Duration;

use pvsim_engine::load;
use pvsim_engine::scenario::RunOptions;
use pvsim_scene::{CHECKPOINT_EVERY, Layout, Timeline};
use pvsim_web::picture::{Picture, PictureProps};
use wasm_bindgen_test::*;
use web_sys::Element;

wasm_bindgen_test_configure!(run_in_browser);

const DRAIN: &str = include_str!("../../../tests/scenarios/stories/drain-moves-the-disk.yaml");

fn timeline() -> Timeline {
    let loaded = load("drain-moves-the-disk.yaml", DRAIN.as_bytes());
    Timeline::new(&loaded, &RunOptions::default(), CHECKPOINT_EVERY).unwrap()
}

fn props(timeline: &Timeline, step: usize) -> PictureProps {
    let scene = timeline.scene(step);
    let layout = Layout::of(&scene, timeline.extent());
    yew::props!(PictureProps {
        scene: Rc::new(scene),
        layout: Rc::new(layout),
        animate: false,
        caption: "the drain story",
    })
}

fn host() -> Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let host = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    host
}

async fn settle() {
    yew::platform::time::sleep(Duration::from_millis(30)).await;
}

fn find(host: &Element, selector: &str) -> Option<Element> {
    host.query_selector(selector).unwrap()
}

/// The steps (counted from 1) whose gloss starts with `start`.
fn steps_where(timeline: &Timeline, start: &str) -> Vec<usize> {
    timeline
        .steps()
        .iter()
        .enumerate()
        .filter(|(_, s)| s.gloss.starts_with(start))
        .map(|(i, _)| i + 1)
        .collect()
}

#[wasm_bindgen_test]
async fn draws_every_object_with_its_name_and_state() {
    let timeline = timeline();
    let host = host();
    let end = timeline.steps().len();
    yew::Renderer::<Picture>::with_root_and_props(host.clone(), props(&timeline, end)).render();
    settle().await;
    let svg = find(&host, "svg").unwrap();
    assert_eq!(
        svg.get_attribute("role").as_deref(),
        Some("graphics-document")
    );
    assert_eq!(svg.get_attribute("tabindex").as_deref(), Some("0"));
    assert!(find(&host, "[aria-label=\"PersistentVolumeClaim cart, Bound\"]").is_some());
    // The drained node says so in words, not only in colour.
    let text = host.text_content().unwrap();
    assert!(text.contains("SchedulingDisabled"), "{text}");
    for name in [
        "node-a",
        "node-b",
        "node-c",
        "cart",
        "zone zone-a",
        "cart.txt",
    ] {
        assert!(text.contains(name), "{name} missing from {text}");
    }
    // The claim and its volume are bound, and the line is drawn.
    assert!(find(&host, ".pv-binding.pv-link-bound").is_some());
    // The file the first pod wrote is on the network disk's volume, at
    // its path on the volume.
    let file = find(&host, "[aria-label^=\"file /cart.txt\"]").unwrap();
    assert!(
        file.get_attribute("aria-label")
            .unwrap()
            .contains("2 espressos")
    );
}

#[wasm_bindgen_test]
async fn a_pod_keeps_its_element_from_the_tray_to_its_node() {
    let timeline = timeline();
    let host = host();
    // The drain's replacement pod: created (in the tray), then placed.
    let created = steps_where(&timeline, "the ReplicaSet controller created pod")[1];
    let placed = steps_where(&timeline, "the scheduler placed pod")
        .into_iter()
        .find(|s| *s > created)
        .unwrap();
    let name = timeline.steps()[created - 1]
        .gloss
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    let selector = format!("[aria-label^=\"Pod {name},\"]");
    let mut app =
        yew::Renderer::<Picture>::with_root_and_props(host.clone(), props(&timeline, created))
            .render();
    settle().await;
    let pod = find(&host, &selector).unwrap();
    let svg = find(&host, "svg").unwrap();
    let node_a = find(&host, "[aria-label^=\"Node node-a,\"]").unwrap();
    let in_tray = pod.get_attribute("style").unwrap();

    app.update(props(&timeline, placed));
    settle().await;
    let after = find(&host, &selector).unwrap();
    assert!(after.is_same_node(Some(&pod)), "the pod got a new element");
    assert!(find(&host, "svg").unwrap().is_same_node(Some(&svg)));
    assert!(
        find(&host, "[aria-label^=\"Node node-a,\"]")
            .unwrap()
            .is_same_node(Some(&node_a))
    );
    let on_node = after.get_attribute("style").unwrap();
    assert_ne!(in_tray, on_node, "the pod did not move");
    assert!(on_node.starts_with("transform: translate("), "{on_node}");
}
