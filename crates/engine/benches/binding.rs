//! The binder at scale: 1,000, 10,000 and 100,000 volumes and as many
//! claims, in mixed classes and access modes, loaded and run until idle.
//! Parsing the same YAML is measured beside it, so the figures read as a
//! ratio. Run with `cargo xtask bench`.

use std::fmt::Write as _;
use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use pvsim_engine::load_with;
use pvsim_engine::scenario::{self, RunOptions};
use pvsim_engine::yaml::Limits;

const CLASSES: [&str; 3] = ["gold", "silver", ""];
const MODES: [&str; 3] = [
    "[ReadWriteOnce]",
    "[ReadWriteOnce, ReadOnlyMany]",
    "[ReadWriteMany]",
];

/// `n` volumes and `n` claims. Sizes, classes and modes cycle with
/// different periods so that claims meet every kind of near miss.
pub fn cluster(n: usize) -> String {
    let mut y = String::with_capacity(n * 500);
    y.push_str("apiVersion: pvsim.dev/v1alpha1\nkind: Scenario\nmetadata: {name: bench}\nspec: {profile: bare}\n");
    for i in 0..n {
        let _ = write!(
            y,
            "---\napiVersion: v1\nkind: PersistentVolume\nmetadata: {{name: pv-{i}}}\nspec:\n  capacity: {{storage: {}Gi}}\n  accessModes: {}\n  storageClassName: \"{}\"\n  nfs: {{server: nfs.example.com, path: /v{i}}}\n",
            1 + i % 50,
            MODES[i % 3],
            CLASSES[i % 3 / 2 + i % 2]
        );
    }
    for i in 0..n {
        let _ = write!(
            y,
            "---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {{name: claim-{i}}}\nspec:\n  accessModes: {}\n  storageClassName: \"{}\"\n  resources: {{requests: {{storage: {}Gi}}}}\n",
            MODES[(i / 3) % 3],
            CLASSES[i % 3],
            1 + (i * 7) % 40
        );
    }
    y
}

/// The front door's 16 MiB stops short of 100,000 claims; the benchmark
/// lifts it.
fn limits() -> Limits {
    Limits {
        max_input_bytes: 256 << 20,
        ..Limits::default()
    }
}

fn binding(c: &mut Criterion) {
    let mut group = c.benchmark_group("binding");
    for n in [1_000usize, 10_000, 100_000] {
        let yaml = cluster(n);
        if n >= 100_000 {
            group
                .sample_size(10)
                .measurement_time(Duration::from_secs(30));
        } else {
            group
                .sample_size(10)
                .measurement_time(Duration::from_secs(10));
        }
        group.bench_with_input(BenchmarkId::new("parse", n), &yaml, |b, yaml| {
            b.iter(|| black_box(load_with("bench.yaml", yaml.as_bytes(), &limits())));
        });
        let loaded = load_with("bench.yaml", yaml.as_bytes(), &limits());
        assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics.first());
        group.bench_with_input(BenchmarkId::new("simulate", n), &loaded, |b, loaded| {
            b.iter(|| {
                let run = scenario::run(loaded, &RunOptions::default()).unwrap();
                assert!(run.settled);
                black_box(run.sim.store().len())
            });
        });
    }
    group.finish();
}

criterion_group!(benches, binding);
criterion_main!(benches);
