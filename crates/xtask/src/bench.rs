//! `cargo xtask bench`: the engine's criterion benchmarks, then a summary
//! of the binder at each size next to the time parsing the same YAML takes.

use std::path::Path;
use std::process::Command;

const SIZES: [usize; 3] = [1_000, 10_000, 100_000];

/// criterion's mean estimate for one benchmark, in seconds.
fn mean(root: &Path, function: &str, size: usize) -> Option<f64> {
    let path = root.join(format!(
        "target/criterion/binding/{function}/{size}/new/estimates.json"
    ));
    let text = std::fs::read_to_string(path).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    v["mean"]["point_estimate"].as_f64().map(|ns| ns / 1e9)
}

pub fn bench(root: &Path, extra: &[String]) -> Result<(), String> {
    let status = Command::new("cargo")
        .current_dir(root)
        .args(["bench", "-p", "pvsim-engine", "--bench", "binding", "--"])
        .args(extra)
        .status()
        .map_err(|e| format!("cannot run cargo bench: {e}"))?;
    if !status.success() {
        return Err("cargo bench failed".into());
    }
    println!("\nvolumes+claims   parse      simulate   simulate/parse");
    for n in SIZES {
        match (mean(root, "parse", n), mean(root, "simulate", n)) {
            (Some(p), Some(s)) => println!(
                "{:>7} + {:<7} {:>8.3} s {:>8.3} s {:>8.1}x",
                n,
                n,
                p,
                s,
                s / p
            ),
            _ => println!("{n:>7} + {n:<7} (not measured)"),
        }
    }
    Ok(())
}
