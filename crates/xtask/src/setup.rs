//! Installs what the site and the tests need, skipping what is there:
//! the wasm32 target, trunk, wasm-bindgen-cli at Cargo.lock's version,
//! wasm-pack, the npm packages (binaryen's wasm-opt, Playwright) from the
//! lockfile, and Debian's Chromium and ChromeDriver. Everything comes from
//! package registries; nothing is downloaded from elsewhere.

use std::path::{Path, PathBuf};
use std::process::Command;

pub const TRUNK_VERSION: &str = "0.21.14";

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the repository exists")
}

fn cargo_bin() -> PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"));
    home.join("bin")
}

/// PATH with cargo's bin directory and binaryen's `wasm-opt` first, so
/// trunk finds wasm-opt 132 before Debian's 108.
pub fn path_env(root: &Path) -> String {
    let old = std::env::var("PATH").unwrap_or_default();
    let binaryen = root.join("node_modules/binaryen/bin");
    let npm_bin = root.join("node_modules/.bin");
    format!(
        "{}:{}:{}:{old}",
        binaryen.display(),
        cargo_bin().display(),
        npm_bin.display()
    )
}

/// A command run in the repository with the tools' PATH.
pub fn tool(root: &Path, program: &str) -> Command {
    let mut cmd = Command::new(program);
    cmd.current_dir(root).env("PATH", path_env(root));
    cmd
}

/// Runs a command and returns its stdout, or `None` if it cannot run.
fn output(root: &Path, program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program)
        .args(args)
        .env("PATH", path_env(root))
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn run(root: &Path, program: &str, args: &[&str]) -> Result<(), String> {
    eprintln!("xtask: running {program} {}", args.join(" "));
    let status = Command::new(program)
        .args(args)
        .current_dir(root)
        .env("PATH", path_env(root))
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
        .env("DEBIAN_FRONTEND", "noninteractive")
        .status()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{program} {} failed ({status})", args.join(" ")))
    }
}

/// The wasm-bindgen version in Cargo.lock, which wasm-bindgen-cli must match.
pub fn wasm_bindgen_version(root: &Path) -> Result<String, String> {
    let lock = std::fs::read_to_string(root.join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\""
            && let Some(v) = lines.next().and_then(|l| l.strip_prefix("version = \""))
        {
            return Ok(v.trim_end_matches('"').to_owned());
        }
    }
    Err("Cargo.lock has no wasm-bindgen".into())
}

fn cargo_tool(root: &Path, binary: &str, want: &str, install: &[&str]) -> Result<(), String> {
    let have = output(root, binary, &["--version"]).unwrap_or_default();
    if have.split_whitespace().nth(1) == Some(want) || (want.is_empty() && !have.is_empty()) {
        return Ok(());
    }
    let wanted = if want.is_empty() {
        binary.to_owned()
    } else {
        format!("{binary} {want}")
    };
    let found = if have.is_empty() { "none" } else { have.trim() };
    eprintln!("xtask: installing {wanted} (found: {found})");
    let mut args = vec!["install"];
    args.extend_from_slice(install);
    run(root, "cargo", &args)
}

fn apt_install(root: &Path, packages: &[&str]) -> Result<(), String> {
    let is_root = output(root, "id", &["-u"]).is_some_and(|u| u.trim() == "0");
    let (program, prefix): (&str, Vec<&str>) = if is_root {
        ("apt-get", vec![])
    } else {
        ("sudo", vec!["apt-get"])
    };
    let with = |rest: &[&str]| -> Vec<String> {
        prefix.iter().chain(rest).map(|s| (*s).to_owned()).collect()
    };
    let update = with(&["update"]);
    run(
        root,
        program,
        &update.iter().map(String::as_str).collect::<Vec<_>>(),
    )?;
    let mut install = vec!["install", "-y", "--no-install-recommends"];
    install.extend_from_slice(packages);
    let install = with(&install);
    run(
        root,
        program,
        &install.iter().map(String::as_str).collect::<Vec<_>>(),
    )
    .map_err(|e| format!("{e}; installing Debian packages needs root or sudo"))
}

fn npm_packages(root: &Path) -> Result<(), String> {
    if output(root, "npm", &["--version"]).is_none() {
        return Err(
            "npm is missing: install Node.js and npm (Debian: apt-get install nodejs npm)".into(),
        );
    }
    let lock = root.join("package-lock.json");
    let installed = root.join("node_modules/.package-lock.json");
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    if modified(&installed).is_some() && modified(&installed) >= modified(&lock) {
        return Ok(());
    }
    run(root, "npm", &["ci", "--no-audit", "--no-fund"])
}

/// Installs everything; `browser` adds Chromium and ChromeDriver.
pub fn ensure(root: &Path, browser: bool) -> Result<(), String> {
    let targets = output(root, "rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if !targets.lines().any(|t| t == "wasm32-unknown-unknown") {
        run(root, "rustup", &["target", "add", "wasm32-unknown-unknown"])?;
    }
    cargo_tool(
        root,
        "trunk",
        TRUNK_VERSION,
        &["--locked", "trunk", "--version", TRUNK_VERSION],
    )?;
    let wbg = wasm_bindgen_version(root)?;
    // wasm-bindgen-cli 0.2.130's own lockfile names a crate version the
    // registry lacks, so it installs without --locked.
    cargo_tool(
        root,
        "wasm-bindgen",
        &wbg,
        &["wasm-bindgen-cli", "--version", &wbg],
    )?;
    npm_packages(root)?;
    if browser {
        cargo_tool(root, "wasm-pack", "", &["--locked", "wasm-pack"])?;
        if !Path::new("/usr/bin/chromium").exists() || !Path::new("/usr/bin/chromedriver").exists()
        {
            apt_install(root, &["chromium", "chromium-driver"])?;
        }
    }
    Ok(())
}
