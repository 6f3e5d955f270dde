//! `pvsim`: the command-line face of the engine.
//!
//! `pvsim validate FILE... | -` reads manifests as the API server would and
//! prints one line per diagnostic, `FILE:LINE:COL: SEVERITY: KIND "NAME":
//! FIELD: MESSAGE`, then a summary. Exit status: 0 without errors (warnings
//! allowed), 1 with errors, 2 for a usage error or an unreadable file.
//!
//! `pvsim run FILE... | -` simulates the input on a cluster profile and
//! prints what `kubectl get` and `kubectl get events` would show at the end.
//! One line on stderr says which profile was used and what it added.
//! Objects the API server refuses are reported on stderr in its words and
//! left out; the rest still run. Exit status 1 if anything was refused or
//! did not parse.
//!
//! `pvsim explain [pvc/NAME|pod/NAME] [-n NAMESPACE] FILE...` runs the same
//! simulation and says why the claim is in its phase (every volume with the
//! first binding rule that excluded it, the provisioning path, a fix) or why
//! the pod is not running (every node with the filters that reject it, or
//! the volumes it waits for and what holds them). Without a target it does
//! so for every claim that is not Bound and every pod that is not Running.
//!
//! `pvsim describe KIND/NAME [-n NAMESPACE] FILE...` runs the same
//! simulation and prints what `kubectl describe` would show of a
//! PersistentVolume, PersistentVolumeClaim, StorageClass, Pod or Node
//! (kubectl's names and short names: `pv`, `pvc`, `sc`, `po`, `no`), or the
//! API server's NotFound with exit status 1.
//!
//! `pvsim export kind FILE...` prints a POSIX shell script that runs the
//! scenario on a real cluster made with kind: a kind configuration with one
//! worker per simulated node, the manifests as written, the steps as
//! kubectl and docker commands, and notes on what a real cluster does
//! differently. What the input gets wrong goes to stderr as with `run`,
//! with exit status 1; the script is printed all the same.

use std::io::{Read, Write};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use pvsim_engine::scenario::{self, RunOptions, Until};
use pvsim_engine::{Diagnostic, KUBERNETES_VERSION, Loaded, Severity, load, print, summary};

#[derive(Parser)]
#[command(
    name = "pvsim",
    version = concat!(env!("CARGO_PKG_VERSION"), " (simulates Kubernetes 1.34)"),
    about = "A simulator of Kubernetes storage: persistent volumes, claims, StorageClasses and the pods that use them"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check manifests as the Kubernetes API server would, with file:line:col for every finding
    Validate {
        /// YAML files to read; `-` reads standard input
        #[arg(required = true, value_name = "FILE")]
        files: Vec<String>,
        /// Output format
        #[arg(short, long, value_enum, default_value_t = Format::Text)]
        output: Format,
    },
    /// Simulate manifests or a scenario on a cluster and print the final state and events
    Run {
        #[command(flatten)]
        input: SimArgs,
        /// Stop when nothing is left to do (idle) or at a simulated time such as 30s, 6m, 1h
        #[arg(long, value_name = "idle|DURATION", default_value = "idle", value_parser = parse_until)]
        until: Until,
        /// Output format
        #[arg(short, long, value_enum, default_value_t = RunFormat::Table)]
        output: RunFormat,
    },
    /// Say why claims are not Bound and pods not Running: every one of them, or the one named
    ///
    /// pvsim explain [pvc/NAME|pod/NAME] FILE...: without a target, every
    /// claim that is not Bound and every pod that is not Running, most
    /// blocking first.
    Explain {
        #[command(flatten)]
        at: MomentArgs,
        /// Output format
        #[arg(short, long, value_enum, default_value_t = ExplainFormat::Text)]
        output: ExplainFormat,
    },
    /// Print what kubectl describe shows of a volume, claim, class, pod or node
    ///
    /// pvsim describe KIND/NAME FILE...: KIND is pv, pvc, sc, pod or node,
    /// or kubectl's other names for them (persistentvolumeclaims, po, no...).
    Describe {
        #[command(flatten)]
        at: MomentArgs,
    },
    /// Write a script that runs the scenario on a real cluster
    Export {
        #[command(subcommand)]
        target: ExportTarget,
    },
}

#[derive(Subcommand)]
enum ExportTarget {
    /// Print a shell script that creates a kind cluster like the simulated
    /// one, applies the manifests and replays the scenario's steps
    ///
    /// pvsim export kind FILE... > scenario.sh: the script needs docker,
    /// kind and kubectl; it ends with what a real cluster does differently.
    Kind {
        #[command(flatten)]
        input: SimArgs,
    },
}

/// What explain and describe read: the object's namespace, the target and
/// the files, and the moment to look at.
#[derive(clap::Args)]
struct MomentArgs {
    /// The object's namespace (claims and pods)
    #[arg(short, long, default_value = "default")]
    namespace: String,
    #[command(flatten)]
    input: SimArgs,
    /// The moment to look at: a simulated time such as 1m or 6m, or idle.
    /// Default: one minute after the input is applied (a pasted cluster
    /// as it is now), or idle for a scenario with steps
    #[arg(long, value_name = "idle|DURATION", value_parser = parse_until)]
    until: Option<Until>,
}

/// What a simulation reads: files, profile, seed.
#[derive(clap::Args)]
struct SimArgs {
    /// YAML files to read; `-` reads standard input
    #[arg(required = true, value_name = "FILE")]
    files: Vec<String>,
    /// Cluster profile: auto (the default: the input's own nodes and classes,
    /// generic's where it has none), none, generic, bare, kind, eks or gke
    #[arg(long, value_name = "PROFILE")]
    profile: Option<String>,
    /// Seed for uids and every other choice (default: the scenario's, else 0)
    #[arg(long, value_name = "N")]
    seed: Option<u64>,
}

impl SimArgs {
    fn options(&self, until: Until) -> RunOptions {
        RunOptions {
            profile: self.profile.clone(),
            seed: self.seed,
            until: Some(until),
            snapshots: false,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum ExplainFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum RunFormat {
    /// kubectl get tables, then the events
    Table,
    /// kubectl get -o wide tables, then the events
    Wide,
    /// A v1 List of every object and event
    Json,
    /// A v1 List of every object and event
    Yaml,
    /// The events only
    Events,
}

fn parse_until(s: &str) -> Result<Until, String> {
    Until::parse(s)
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

fn read(file: &str) -> std::io::Result<Vec<u8>> {
    if file == "-" {
        let mut buf = Vec::new();
        std::io::stdin().read_to_end(&mut buf)?;
        Ok(buf)
    } else {
        std::fs::read(file)
    }
}

/// Reads and loads every file; `Err` after reporting an unreadable one.
fn load_files(files: &[String]) -> Result<Loaded, ExitCode> {
    read_files(files).map(|(all, _)| all)
}

/// Reads and loads every file, keeping each one's name and text; `Err`
/// after reporting an unreadable one.
fn read_files(files: &[String]) -> Result<(Loaded, Vec<(String, String)>), ExitCode> {
    let mut all = Loaded::default();
    let mut texts = Vec::new();
    for file in files {
        let name = if file == "-" {
            "<stdin>"
        } else {
            file.as_str()
        };
        match read(file) {
            Ok(bytes) => {
                all.extend(load(name, &bytes));
                texts.push((
                    name.to_owned(),
                    String::from_utf8_lossy(&bytes).into_owned(),
                ));
            }
            Err(e) => {
                eprintln!("pvsim: cannot read {name}: {e}");
                return Err(ExitCode::from(2));
            }
        }
    }
    Ok((all, texts))
}

fn validate(files: &[String], output: Format) -> ExitCode {
    let all = match load_files(files) {
        Ok(all) => all,
        Err(code) => return code,
    };
    let mut out = std::io::stdout().lock();
    let written = match output {
        Format::Text => print_text(&mut out, &all, files.len()),
        Format::Json => print_json(&mut out, &all.diagnostics),
    };
    if written.is_err() {
        return ExitCode::from(2);
    }
    if all.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn print_text(out: &mut impl Write, all: &Loaded, files: usize) -> std::io::Result<()> {
    for d in &all.diagnostics {
        writeln!(out, "{d}")?;
    }
    let objects = all.entries.len();
    writeln!(
        out,
        "{} ({} {} in {} {}, checked as Kubernetes {KUBERNETES_VERSION})",
        summary(&all.diagnostics),
        objects,
        if objects == 1 { "object" } else { "objects" },
        files,
        if files == 1 { "file" } else { "files" },
    )
}

fn print_json(out: &mut impl Write, diagnostics: &[Diagnostic]) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, diagnostics)?;
    writeln!(out)
}

/// Loads the files and runs them; `Err` after reporting why it could not.
/// Says on stderr which profile was used and what it added.
fn simulate(files: &[String], options: &RunOptions) -> Result<scenario::Run, ExitCode> {
    run_loaded(&load_files(files)?, options)
}

/// Runs loaded input; says on stderr which profile was used and what it
/// added.
fn run_loaded(all: &Loaded, options: &RunOptions) -> Result<scenario::Run, ExitCode> {
    let run = scenario::run(all, options).map_err(|message| {
        eprintln!("pvsim: {message}");
        ExitCode::from(2)
    })?;
    eprintln!("{}", run.profile);
    Ok(run)
}

/// Reports on stderr what pvsim found wrong with the input: diagnostics
/// (not the rejected objects', which the refusals say in the API server's
/// words), then the refusals.
fn report(err: &mut impl Write, diagnostics: &[Diagnostic], refused: &[String]) {
    for d in diagnostics {
        let rejected = d.severity == Severity::Error && !d.kind.is_empty() && !d.name.is_empty();
        if d.severity != Severity::Info && !rejected {
            let _ = writeln!(err, "{d}");
        }
    }
    for refusal in refused {
        let _ = writeln!(err, "{refusal}");
    }
}

fn run(files: &[String], options: &RunOptions, output: RunFormat) -> ExitCode {
    let outcome = match simulate(files, options) {
        Ok(outcome) => outcome,
        Err(code) => return code,
    };
    let mut err = std::io::stderr().lock();
    report(&mut err, &outcome.diagnostics, &outcome.refused);
    for unmet in &outcome.unmet {
        let _ = writeln!(err, "expectation not met: {unmet}");
    }
    if !outcome.settled {
        let _ = writeln!(
            err,
            "pvsim: the simulation did not settle (7 days of simulated time, or 20,000,000 steps); stopped there"
        );
    }
    let sim = &outcome.sim;
    let text = match output {
        RunFormat::Table | RunFormat::Wide => {
            let tables = print::tables(sim, matches!(output, RunFormat::Wide));
            format!("{tables}\n{}", print::events(sim))
        }
        RunFormat::Events => print::events(sim),
        RunFormat::Json => {
            let mut s = serde_json::to_string_pretty(&print::list(sim)).unwrap_or_default();
            s.push('\n');
            s
        }
        RunFormat::Yaml => pvsim_engine::yaml::to_yaml(&print::list(sim)),
    };
    if std::io::stdout().lock().write_all(text.as_bytes()).is_err() {
        return ExitCode::from(2);
    }
    if outcome.failed() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Whether an argument names an object (`pvc/data`, `pod/web`) rather
/// than a file: the resource and the name.
fn target_of(arg: &str) -> Option<(&str, &str)> {
    if std::path::Path::new(arg).exists() {
        return None;
    }
    arg.split_once('/')
}

/// Loads the files and runs them to the moment `explain` and `describe`
/// look at: `until`, else one minute after the input is applied (a pasted
/// cluster as it is now), or idle for a scenario with steps.
fn simulate_moment(
    command: &str,
    files: &[String],
    at: &MomentArgs,
) -> Result<scenario::Run, ExitCode> {
    if files.is_empty() {
        eprintln!("pvsim: {command} needs a FILE to read (or - for standard input)");
        return Err(ExitCode::from(2));
    }
    let all = load_files(files)?;
    let until = at.until.unwrap_or_else(|| {
        if scenario::prepare(&all).0.steps.is_empty() {
            Until::Time(pvsim_engine::sim::clock::MINUTE)
        } else {
            Until::Idle
        }
    });
    run_loaded(&all, &at.input.options(until))
}

/// Prints a rendered answer, or the API server's NotFound with exit 1.
fn print_found(rendered: Result<String, String>) -> ExitCode {
    match rendered {
        Ok(text) => {
            if std::io::stdout().lock().write_all(text.as_bytes()).is_err() {
                return ExitCode::from(2);
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("Error from server (NotFound): {message}");
            ExitCode::from(1)
        }
    }
}

/// The claim (`true`) or pod that explain's first argument names.
fn explain_target(arg: &str) -> Option<(bool, &str)> {
    let (resource, name) = target_of(arg)?;
    match print::resource_kind(resource)? {
        "PersistentVolumeClaim" => Some((true, name)),
        "Pod" => Some((false, name)),
        _ => None,
    }
}

fn explain(at: &MomentArgs, output: ExplainFormat) -> ExitCode {
    let (target, files) = match at.input.files.split_first() {
        Some((first, rest)) if explain_target(first).is_some() => (explain_target(first), rest),
        _ => (None, at.input.files.as_slice()),
    };
    let namespace = at.namespace.as_str();
    let outcome = match simulate_moment("explain", files, at) {
        Ok(outcome) => outcome,
        Err(code) => return code,
    };
    let sim = &outcome.sim;
    let rendered = match target {
        None => {
            let problems = pvsim_engine::explain::problems(sim);
            Ok(match output {
                ExplainFormat::Text => pvsim_engine::explain::problems_text(&problems),
                ExplainFormat::Json => pretty(&problems),
            })
        }
        Some((true, name)) => {
            pvsim_engine::explain::claim(sim, namespace, name).map(|e| match output {
                ExplainFormat::Text => e.text(),
                ExplainFormat::Json => pretty(&e),
            })
        }
        Some((false, name)) => {
            pvsim_engine::explain::pod(sim, namespace, name).map(|e| match output {
                ExplainFormat::Text => e.text(),
                ExplainFormat::Json => pretty(&e),
            })
        }
    };
    print_found(rendered)
}

fn describe(at: &MomentArgs) -> ExitCode {
    let Some((first, files)) = at.input.files.split_first() else {
        return ExitCode::from(2);
    };
    let Some((resource, name)) = target_of(first) else {
        eprintln!(
            "pvsim: describe needs KIND/NAME before the files (pvc/data, pod/web, pv/..., sc/..., node/...)"
        );
        return ExitCode::from(2);
    };
    let Some(kind) = print::resource_kind(resource) else {
        eprintln!("error: the server doesn't have a resource type {resource:?}");
        return ExitCode::from(1);
    };
    let outcome = match simulate_moment("describe", files, at) {
        Ok(outcome) => outcome,
        Err(code) => return code,
    };
    print_found(print::describe(&outcome.sim, kind, &at.namespace, name))
}

fn export_kind(input: &SimArgs) -> ExitCode {
    let (all, texts) = match read_files(&input.files) {
        Ok(read) => read,
        Err(code) => return code,
    };
    let sources: Vec<(&str, &str)> = texts
        .iter()
        .map(|(name, text)| (name.as_str(), text.as_str()))
        .collect();
    let script = match pvsim_engine::export::kind(&all, &sources, &input.options(Until::Idle)) {
        Ok(script) => script,
        Err(message) => {
            eprintln!("pvsim: {message}");
            return ExitCode::from(2);
        }
    };
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{}", script.profile);
    report(&mut err, &script.diagnostics, &script.refused);
    if std::io::stdout()
        .lock()
        .write_all(script.text.as_bytes())
        .is_err()
    {
        return ExitCode::from(2);
    }
    if script.failed() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Pretty JSON of an explanation.
fn pretty<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default() + "\n"
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Validate { files, output } => validate(&files, output),
        Command::Run {
            input,
            until,
            output,
        } => run(&input.files, &input.options(until), output),
        Command::Explain { at, output } => explain(&at, output),
        Command::Describe { at } => describe(&at),
        Command::Export {
            target: ExportTarget::Kind { input },
        } => export_kind(&input),
    }
}
