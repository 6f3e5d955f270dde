//! How much a timeline of a large paste costs: builds one over N volumes,
//! N claims and N/4 Deployments with one replica each (about 2,000 objects
//! for N = 800), and prints its steps, checkpoints, peak memory and time.
//!
//! `cargo run --release -p pvsim-scene --example timeline_memory -- 800 [every]`
//! (`every`: steps between checkpoints, [`CHECKPOINT_EVERY`] by default).
#![allow(clippy::disallowed_methods)]

use std::fmt::Write as _;

use pvsim_engine::load;
use pvsim_engine::scenario::RunOptions;
use pvsim_scene::{CHECKPOINT_EVERY, Timeline};

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(800);
    let mut yaml = String::new();
    for i in 0..n {
        let _ = write!(
            yaml,
            "---\napiVersion: v1\nkind: PersistentVolume\nmetadata: {{name: pv-{i}}}\nspec:\n  capacity: {{storage: {}Gi}}\n  accessModes: [ReadWriteOnce]\n  storageClassName: manual\n  hostPath: {{path: /data/{i}}}\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {{name: claim-{i}}}\nspec:\n  storageClassName: manual\n  accessModes: [ReadWriteOnce]\n  resources: {{requests: {{storage: 1Gi}}}}\n",
            1 + i % 10
        );
    }
    for i in 0..n / 4 {
        let _ = write!(
            yaml,
            "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: app-{i}}}\nspec:\n  selector: {{matchLabels: {{app: app-{i}}}}}\n  template:\n    metadata: {{labels: {{app: app-{i}}}}}\n    spec:\n      containers: [{{name: c, image: busybox}}]\n      volumes: [{{name: d, persistentVolumeClaim: {{claimName: claim-{i}}}}}]\n"
        );
    }
    let every: usize = std::env::args()
        .nth(2)
        .and_then(|a| a.parse().ok())
        .unwrap_or(CHECKPOINT_EVERY);
    let objects = 2 * n + n / 4;
    let loaded = load("big.yaml", yaml.as_bytes());
    let before = peak_rss_kib();
    if std::env::var_os("RUN_ONLY").is_some() {
        #[allow(clippy::disallowed_methods)]
        let start = std::time::Instant::now();
        let run = pvsim_engine::scenario::run(&loaded, &RunOptions::default()).unwrap();
        println!(
            "run alone: {} steps in {:.2?}, peak RSS {} MiB",
            run.sim.steps().len(),
            start.elapsed(),
            peak_rss_kib() / 1024
        );
        return;
    }
    #[allow(clippy::disallowed_methods)]
    let start = std::time::Instant::now();
    let timeline = Timeline::new(&loaded, &RunOptions::default(), every).unwrap();
    let built = start.elapsed();
    let start = std::time::Instant::now();
    let _ = timeline.scene(timeline.steps().len() / 2);
    let mid = start.elapsed();
    // The slowest replay: the step before the first checkpoint after the
    // start, or the last step.
    let mut worst = std::time::Duration::ZERO;
    for n in (1..=timeline.steps().len()).step_by(7) {
        let start = std::time::Instant::now();
        let _ = timeline.scene(n);
        worst = worst.max(start.elapsed());
    }
    println!(
        "{objects} objects ({} KiB of YAML): {} steps, {} checkpoints; built in {:.2?}, a scene mid-run in {:.2?} (slowest {:.2?}); peak RSS {} MiB (before the timeline {} MiB)",
        yaml.len() / 1024,
        timeline.steps().len(),
        timeline.checkpoints(),
        built,
        mid,
        worst,
        peak_rss_kib() / 1024,
        before / 1024
    );
}
