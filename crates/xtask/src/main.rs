//! `cargo xtask`: pvsim's one task runner. The README's commands and
//! `.ci/run` call it; no logic lives in shell scripts.
//!
//! - `cargo xtask serve`: installs what is missing, builds the site with
//!   trunk and serves it on <http://127.0.0.1:8080>.
//! - `cargo xtask test`: installs what is missing and runs every test:
//!   fmt, clippy (native and wasm32), the engine's dependency check, the
//!   native tests, the wasm-bindgen tests in headless Chromium, the size of the
//!   site's first load (a hard ceiling, and the goal reported) and the
//!   Playwright end-to-end tests. It ends with
//!   `xtask: N passed, N failed`, adding up the runners' own counts.
//! - `cargo xtask dist`: a release build of the site into `dist/`, with its
//!   sizes.
//! - `cargo xtask bench`: the engine's criterion benchmarks (the binder at
//!   1,000, 10,000 and 100,000 volumes and claims, beside parse time).

mod bench;
mod run;
mod serve;
mod setup;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = setup::repo_root();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve::serve(&root),
        Some("test") => run::test(&root),
        Some("dist") => run::dist(&root).map(|_| ()),
        Some("setup") => setup::ensure(&root, true),
        Some("bench") => bench::bench(&root, &args[1..]),
        _ => {
            eprintln!("usage: cargo xtask <serve|test|dist|setup|bench>");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}
