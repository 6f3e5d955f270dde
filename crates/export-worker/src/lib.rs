//! The export worker: what Share downloads that the playground itself
//! never needs, so that it is not part of the page's first load.
//!
//! The page's own wasm holds the simulator and the picture; this one holds
//! the simulator and the exporters: the script that runs a scenario on a
//! real kind cluster (`pvsim_engine::export::kind`, the same as
//! `pvsim export kind`) and every object at a step as `kubectl get -o yaml`
//! prints it. `www/share/share.js` starts it when Share is first opened,
//! posts `[file, yaml, profile, seed, step]` (strings; an empty profile or
//! seed means the scenario's own) and hears back `[script, export]`. It
//! simulates the scenario again from the start, as deterministic as the
//! page's run, so the export is the page's step exactly.

use pvsim_engine::scenario::{RunOptions, Runner};
use pvsim_engine::{export, load, print, yaml};

/// The script and the export for one request: `[script, export]`.
pub fn answer(file: &str, text: &str, profile: &str, seed: &str, step: usize) -> [String; 2] {
    let loaded = load(file, text.as_bytes());
    let options = RunOptions {
        profile: Some(profile.to_owned()).filter(|p| !p.is_empty() && p != "auto"),
        seed: seed.parse().ok(),
        ..RunOptions::default()
    };
    let script = export::kind(&loaded, &[(file, text)], &options).map_or_else(
        |e| format!("# pvsim could not make the script: {e}\n"),
        |s| s.text,
    );
    let state = match Runner::new(&loaded, &options) {
        Ok(mut runner) => {
            while runner.sim().steps().len() < step && runner.advance() {}
            yaml::to_yaml(&print::list(runner.sim()))
        }
        Err(e) => format!("# pvsim could not simulate the scenario: {e}\n"),
    };
    [script, state]
}

#[cfg(test)]
mod tests {
    use super::answer;

    const CLAIM: &str = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\nspec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 1Gi\n";

    #[test]
    fn the_export_is_the_cluster_at_the_step_asked_for() {
        let [script, start] = answer("m.yaml", CLAIM, "", "", 0);
        assert!(script.starts_with("#!/bin/sh\n"), "{script}");
        assert!(start.contains("kind: List"), "{start}");
        assert!(start.contains("phase: Pending"), "{start}");
        let [_, end] = answer("m.yaml", CLAIM, "", "", usize::MAX);
        assert!(end.contains("phase: Bound"), "{end}");
        assert!(end.contains("kind: PersistentVolume\n"), "{end}");
    }

    #[test]
    fn an_unknown_profile_is_said_in_both_files() {
        let [script, state] = answer("m.yaml", CLAIM, "nope", "", 0);
        assert!(
            script.starts_with("# pvsim could not make the script: "),
            "{script}"
        );
        assert!(
            state.starts_with("# pvsim could not simulate the scenario: "),
            "{state}"
        );
    }
}
