//! The scenario suite: every `tests/scenarios/<topic>/<name>.yaml` is run
//! twice; the two runs must agree byte for byte, the scenario's own
//! `spec.expect` must hold, and the final tables and event log must match
//! the insta snapshot beside it (`tests/scenarios/<topic>/snapshots/`).
#![allow(clippy::disallowed_methods)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use pvsim_engine::scenario::{self, Run, RunOptions};
use pvsim_engine::{load, print, sim::clock::human};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/scenarios")
}

fn scenario_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut dirs = vec![root()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("tests/scenarios is readable") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != "snapshots") {
                    dirs.push(path);
                }
            } else if path.extension().is_some_and(|e| e == "yaml") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn run(path: &Path) -> (String, Run) {
    let rel = path
        .strip_prefix(root().parent().unwrap().parent().unwrap())
        .unwrap()
        .to_string_lossy()
        .replace('\\', "/");
    let bytes = std::fs::read(path).unwrap();
    let loaded = load(&rel, &bytes);
    let run =
        scenario::run(&loaded, &RunOptions::default()).expect("the scenario's profile exists");
    (rel, run)
}

/// What the snapshot holds: the story's header, refusals, tables, events.
fn render(run: &Run) -> String {
    let s = &run.scenario;
    let mut out = format!(
        "# {}\n# {}\n# ended at {}\n",
        s.title,
        s.description,
        human(run.sim.now())
    );
    for line in &run.refused {
        let _ = writeln!(out, "# refused: {line}");
    }
    out.push('\n');
    out.push_str(&print::tables(&run.sim, true));
    out.push('\n');
    out.push_str(&print::events(&run.sim));
    out
}

#[test]
fn every_scenario_matches_its_snapshot_and_expectations() {
    let files = scenario_files();
    assert!(files.len() >= 40, "found only {} scenarios", files.len());
    let mut failures = Vec::new();
    for path in &files {
        let (rel, first) = run(path);
        let (_, second) = run(path);
        let text = render(&first);
        if text != render(&second) || print::list(&first.sim) != print::list(&second.sim) {
            failures.push(format!("{rel}: two runs differ"));
        }
        if first.scenario.title.is_empty() || first.scenario.description.is_empty() {
            failures.push(format!("{rel}: needs spec.title and spec.description"));
        }
        for unmet in &first.unmet {
            failures.push(format!("{rel}: {unmet}"));
        }
        let errors: Vec<_> = first
            .diagnostics
            .iter()
            .filter(|d| d.severity == pvsim_engine::Severity::Error)
            .collect();
        if !errors.is_empty() && !rel.contains("invalid") {
            failures.push(format!("{rel}: unexpected errors: {errors:?}"));
        }
        let dir = path.parent().unwrap().join("snapshots");
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(dir);
        settings.set_prepend_module_to_snapshot(false);
        settings.set_input_file(path);
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            settings.bind(|| insta::assert_snapshot!(name, text));
        }));
        if outcome.is_err() {
            failures.push(format!("{rel}: snapshot differs"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
