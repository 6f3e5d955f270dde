//! `pvsim`: the command-line face of the engine.
//!
//! `pvsim validate FILE... | -` reads manifests as the API server would and
//! prints one line per diagnostic, `FILE:LINE:COL: SEVERITY: KIND "NAME":
//! FIELD: MESSAGE`, then a summary. Exit status: 0 without errors (warnings
//! allowed), 1 with errors, 2 for a usage error or an unreadable file.

use std::io::{Read, Write};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use pvsim_engine::{Diagnostic, KUBERNETES_VERSION, Loaded, load, summary};

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

fn validate(files: &[String], output: Format) -> ExitCode {
    let mut all = Loaded::default();
    for file in files {
        let name = if file == "-" {
            "<stdin>"
        } else {
            file.as_str()
        };
        match read(file) {
            Ok(bytes) => all.extend(load(name, &bytes)),
            Err(e) => {
                eprintln!("pvsim: cannot read {name}: {e}");
                return ExitCode::from(2);
            }
        }
    }
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Validate { files, output } => validate(&files, output),
    }
}
