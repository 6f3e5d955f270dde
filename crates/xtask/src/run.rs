//! `cargo xtask test` and `cargo xtask dist`.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;

use crate::{serve, setup};

/// Everything the page loads before its first picture (HTML, JS, CSS,
/// the icon and the wasm the page and its worker share), gzip-compressed:
/// the budget issue 9 sets, a hard check.
const FIRST_LOAD_BUDGET_GZIP: usize = 550_000;
/// The goal beyond the budget, reported at every run.
const FIRST_LOAD_GOAL_GZIP: usize = 400_000;

/// Crates that would mean I/O, a clock or the browser inside the engine.
const FORBIDDEN_IN_ENGINE: &[&str] = &["wasm-bindgen", "web-sys", "js-sys", "gloo", "getrandom"];

#[derive(Default)]
struct Tally {
    passed: usize,
    failed: usize,
    failures: Vec<String>,
}

impl Tally {
    fn check(&mut self, name: &str, ok: bool) {
        if ok {
            self.passed += 1;
        } else {
            self.failed += 1;
            self.failures.push(name.to_owned());
        }
    }
}

/// Counts from a runner's summary lines: cargo test and wasm-bindgen-test
/// (`test result: ok. 8 passed; 0 failed; ...`) and Playwright
/// (`  3 passed (2.1s)`, `  1 failed`).
fn count(line: &str) -> (usize, usize) {
    let number_before = |word: &str| -> usize {
        let words: Vec<&str> = line
            .split(|c: char| c.is_whitespace() || c == ';' || c == ',')
            .filter(|w| !w.is_empty())
            .collect();
        words
            .windows(2)
            .find(|w| w[1] == word)
            .and_then(|w| w[0].parse().ok())
            .unwrap_or(0)
    };
    let trimmed = line.trim_start();
    if trimmed.starts_with("test result:") {
        return (number_before("passed"), number_before("failed"));
    }
    // Playwright prints each count alone on a line.
    let words: Vec<&str> = trimmed.split_whitespace().collect();
    match words.as_slice() {
        [n, "passed", ..] => (n.parse().unwrap_or(0), 0),
        [n, "failed", ..] => (0, n.parse().unwrap_or(0)),
        _ => (0, 0),
    }
}

/// What a step's success means for the tally.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// One check: passes or fails as a whole (fmt, clippy).
    Check,
    /// A test runner: its own summary lines are counted.
    Tests,
}

/// Runs a step, echoing its output, and adds its result to the tally.
fn step(tally: &mut Tally, name: &str, mut cmd: Command, kind: Kind) -> bool {
    eprintln!("\nxtask: ── {name} ──");
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("xtask: cannot run {}: {e}", cmd.get_program().display());
            tally.check(name, false);
            return false;
        }
    };
    let (tx, rx) = mpsc::channel::<String>();
    let pipes: Vec<Box<dyn Read + Send>> = vec![
        Box::new(child.stdout.take().expect("piped")),
        Box::new(child.stderr.take().expect("piped")),
    ];
    let readers: Vec<_> = pipes
        .into_iter()
        .map(|pipe| {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                    let _ = tx.send(line);
                }
            })
        })
        .collect();
    drop(tx);
    let (mut passed, mut failed) = (0, 0);
    let mut out = std::io::stdout().lock();
    for line in rx {
        let _ = writeln!(out, "{line}");
        let (p, f) = count(&line);
        passed += p;
        failed += f;
    }
    drop(out);
    for r in readers {
        let _ = r.join();
    }
    let ok = child.wait().is_ok_and(|s| s.success());
    if kind == Kind::Tests {
        tally.passed += passed;
        tally.failed += failed;
        if !ok {
            // A runner that failed without reporting a failed test (a build
            // error) still counts as a failure.
            if failed == 0 {
                tally.failed += 1;
            }
            tally.failures.push(name.to_owned());
        }
    } else {
        tally.check(name, ok);
    }
    ok
}

/// One built file's size: raw, gzip and brotli.
pub struct Size {
    pub name: String,
    pub raw: usize,
    pub gzip: usize,
    pub brotli: usize,
}

fn size_of(path: &Path) -> Result<Size, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&bytes).map_err(|e| e.to_string())?;
    let gzip = gz.finish().map_err(|e| e.to_string())?.len();
    let mut br = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut br, 4096, 11, 22);
        w.write_all(&bytes).map_err(|e| e.to_string())?;
    }
    Ok(Size {
        name: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        raw: bytes.len(),
        gzip,
        brotli: br.len(),
    })
}

/// Files the page fetches only later, and when: not part of the first load.
const LOADED_LATER: &[(&str, &str)] = &[
    ("editor.js", "after the first picture"),
    ("gallery.js", "when the gallery opens"),
    ("gallery.json", "when the gallery opens"),
    ("share.js", "when Share opens, or a link is opened"),
    ("pvsim-export.js", "when Share opens"),
    ("pvsim-export_bg.wasm", "when Share opens"),
];

fn loaded_later(path: &Path) -> Option<&'static str> {
    let name = path.file_name()?.to_str()?;
    LOADED_LATER
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, when)| *when)
}

/// Every file of the built site: the first load's files, a row with their
/// total (`first load`), then the files loaded later.
fn site_sizes(root: &Path) -> Result<Vec<Size>, String> {
    let dist = root.join("dist");
    let mut files: Vec<_> = std::fs::read_dir(&dist)
        .map_err(|e| format!("no dist/: {e}"))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    if !files
        .iter()
        .any(|p| p.extension().is_some_and(|x| x == "wasm"))
    {
        return Err("dist/ has no .wasm".into());
    }
    let (later_files, first_files): (Vec<_>, Vec<_>) =
        files.iter().partition(|p| loaded_later(p).is_some());
    let mut sizes = first_files
        .iter()
        .map(|p| size_of(p))
        .collect::<Result<Vec<_>, _>>()?;
    let total = Size {
        name: "first load".into(),
        raw: sizes.iter().map(|s| s.raw).sum(),
        gzip: sizes.iter().map(|s| s.gzip).sum(),
        brotli: sizes.iter().map(|s| s.brotli).sum(),
    };
    sizes.push(total);
    for p in later_files {
        let mut s = size_of(p)?;
        s.name = format!("{} ({})", s.name, loaded_later(p).unwrap_or_default());
        sizes.push(s);
    }
    Ok(sizes)
}

/// The first load's total row.
fn first_load(sizes: &[Size]) -> usize {
    sizes
        .iter()
        .find(|s| s.name == "first load")
        .map_or(0, |s| s.gzip)
}

/// A release build of the site into `dist/`.
pub fn dist(root: &Path) -> Result<Vec<Size>, String> {
    setup::ensure(root, false)?;
    let status = setup::tool(root, "trunk")
        .args(["build", "--release"])
        .status()
        .map_err(|e| format!("cannot run trunk: {e}"))?;
    if !status.success() {
        return Err("trunk build failed".into());
    }
    let sizes = site_sizes(root)?;
    eprintln!(
        "xtask: {:<52} {:>10} {:>10} {:>10}",
        "file", "raw", "gzip", "brotli"
    );
    for s in &sizes {
        eprintln!(
            "xtask: {:<52} {:>10} {:>10} {:>10}",
            s.name, s.raw, s.gzip, s.brotli
        );
    }
    Ok(sizes)
}

pub fn test(root: &Path) -> Result<(), String> {
    setup::ensure(root, true)?;
    let mut t = Tally::default();
    let cargo = |args: &[&str]| {
        let mut cmd = setup::tool(root, "cargo");
        cmd.args(args);
        cmd
    };
    step(
        &mut t,
        "cargo fmt --check",
        cargo(&["fmt", "--all", "--check"]),
        Kind::Check,
    );
    let deny = ["--all-targets", "--", "-D", "warnings"];
    step(
        &mut t,
        "clippy (native)",
        cargo(&[&["clippy", "--workspace"][..], &deny].concat()),
        Kind::Check,
    );
    // The engine's own tests and benches are native (they read files and
    // use proptest and criterion); in wasm32 its library is what ships.
    let clippy_wasm = [
        &["clippy", "--target", "wasm32-unknown-unknown"][..],
        &[
            "-p",
            "pvsim-wasm",
            "-p",
            "pvsim-web",
            "-p",
            "pvsim-export-worker",
        ],
        &deny,
    ]
    .concat();
    step(&mut t, "clippy (wasm32)", cargo(&clippy_wasm), Kind::Check);
    let clippy_engine_wasm = [
        "clippy",
        "--target",
        "wasm32-unknown-unknown",
        "-p",
        "pvsim-engine",
        "--lib",
        "--",
        "-D",
        "warnings",
    ];
    step(
        &mut t,
        "clippy (wasm32, engine library)",
        cargo(&clippy_engine_wasm),
        Kind::Check,
    );

    eprintln!("\nxtask: ── the engine depends on no web crate ──");
    let tree = cargo(&[
        "tree",
        "-p",
        "pvsim-engine",
        "-e",
        "normal",
        "--prefix",
        "none",
        "--target",
        "all",
    ])
    .output()
    .map_err(|e| e.to_string())?;
    let tree = String::from_utf8_lossy(&tree.stdout);
    let bad: Vec<&str> = tree
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| FORBIDDEN_IN_ENGINE.contains(name))
        .collect();
    if !bad.is_empty() {
        eprintln!("xtask: pvsim-engine must not depend on {}", bad.join(", "));
    }
    t.check("engine dependencies", bad.is_empty() && !tree.is_empty());

    step(
        &mut t,
        "native tests (engine, CLI, web unit tests)",
        cargo(&[
            "test",
            "--workspace",
            "--exclude",
            "pvsim-wasm",
            "--no-fail-fast",
        ]),
        Kind::Tests,
    );
    for krate in ["wasm", "web"] {
        let mut cmd = setup::tool(root, "wasm-pack");
        let dir = format!("crates/{krate}");
        cmd.args(["test", "--headless", "--chrome", &dir])
            .env("CHROMEDRIVER", "/usr/bin/chromedriver");
        step(
            &mut t,
            &format!("wasm-bindgen tests: pvsim-{krate}"),
            cmd,
            Kind::Tests,
        );
    }

    eprintln!("\nxtask: ── site build and first-load size ──");
    match dist(root) {
        Ok(sizes) => {
            let gzip = first_load(&sizes);
            let goal = if gzip <= FIRST_LOAD_GOAL_GZIP {
                "met".to_owned()
            } else {
                format!("{} B to go", gzip - FIRST_LOAD_GOAL_GZIP)
            };
            eprintln!(
                "xtask: first load {gzip} B gzip (budget {FIRST_LOAD_BUDGET_GZIP}, {} B left; goal {FIRST_LOAD_GOAL_GZIP}: {goal})",
                FIRST_LOAD_BUDGET_GZIP.saturating_sub(gzip)
            );
            t.check("site build", true);
            t.check("first-load size budget", gzip <= FIRST_LOAD_BUDGET_GZIP);
            let url = serve::static_server(root.join("dist"))?;
            let mut cmd = setup::tool(root, "npx");
            cmd.args([
                "playwright",
                "test",
                "--config",
                "tests/e2e/playwright.config.mjs",
            ])
            .env("PVSIM_URL", &url)
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
            step(
                &mut t,
                "end-to-end tests (Playwright, Chromium)",
                cmd,
                Kind::Tests,
            );
        }
        Err(e) => {
            eprintln!("xtask: {e}");
            t.check("site build", false);
        }
    }

    println!();
    if !t.failures.is_empty() {
        println!("xtask: failed: {}", t.failures.join("; "));
    }
    println!("xtask: {} passed, {} failed", t.passed, t.failed);
    if t.failed == 0 {
        Ok(())
    } else {
        Err("some checks failed".into())
    }
}

#[cfg(test)]
mod tests {
    use super::count;

    #[test]
    fn reads_runner_summaries() {
        assert_eq!(
            count("test result: ok. 8 passed; 0 failed; 0 ignored; 0 measured"),
            (8, 0)
        );
        assert_eq!(
            count("test result: FAILED. 7 passed; 2 failed; 0 ignored"),
            (7, 2)
        );
        assert_eq!(count("  3 passed (2.1s)"), (3, 0));
        assert_eq!(count("  1 failed"), (0, 1));
        assert_eq!(count("running 3 tests"), (0, 0));
    }
}
