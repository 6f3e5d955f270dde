//! Draws one scene of a scenario as a bare SVG, to look at the layout:
//! boxes and names only (the page draws the real picture).
//!
//! `cargo run -p pvsim-scene --example scene_svg -- FILE.yaml [STEP] > out.svg`
#![allow(clippy::disallowed_methods)]

use std::fmt::Write as _;

use pvsim_engine::load;
use pvsim_engine::scenario::RunOptions;
use pvsim_scene::{Layout, Timeline};

fn main() {
    let mut args = std::env::args().skip(1);
    let file = args.next().expect("a scenario file");
    let loaded = load(&file, &std::fs::read(&file).expect("readable"));
    let timeline = Timeline::new(&loaded, &RunOptions::default(), 64).expect("a known profile");
    let step = args
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or(timeline.steps().len());
    let scene = timeline.scene(step);
    let layout = Layout::of(&scene, timeline.extent());
    let mut labels: Vec<(String, String)> = Vec::new();
    for (name, label) in pvsim_scene::CONTROLLERS {
        labels.push(((*name).to_owned(), (*label).to_owned()));
    }
    labels.push(("tray".into(), "not scheduled".into()));
    for z in &scene.zones {
        labels.push((format!("zone/{}", z.name), format!("zone {}", z.name)));
        for n in &z.nodes {
            labels.push((n.id.clone(), format!("{} ({})", n.name, n.state)));
            for p in &n.pods {
                labels.push((p.id.clone(), format!("{} {}", p.name, p.status)));
            }
        }
    }
    for p in &scene.tray {
        labels.push((p.id.clone(), format!("{} {}", p.name, p.status)));
    }
    for c in &scene.claims {
        labels.push((c.id.clone(), format!("pvc {} {}", c.name, c.phase)));
    }
    for b in &scene.storage {
        labels.push((b.id.clone(), b.label.clone()));
    }
    for v in &scene.volumes {
        labels.push((v.id.clone(), format!("pv {} {}", v.name, v.phase)));
    }
    for f in &scene.files {
        labels.push((f.id.clone(), String::new()));
    }
    let mut svg = format!(
        "<svg xmlns='http://www.w3.org/2000/svg' width='{}' height='{}' font-family='sans-serif' font-size='11'>",
        layout.width, layout.height
    );
    for (id, label) in labels {
        if let Some(r) = layout.rects.get(&id) {
            let _ = write!(
                svg,
                "<rect x='{}' y='{}' width='{}' height='{}' fill='none' stroke='#555'/><text x='{}' y='{}'>{}</text>",
                r.x,
                r.y,
                r.w,
                r.h,
                r.x + 4,
                r.y + 14,
                label.replace('<', "&lt;")
            );
        }
    }
    svg.push_str("</svg>\n");
    print!("{svg}");
}
