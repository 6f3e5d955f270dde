//! Diagnostics: what is wrong with an input, where, and in whose words.

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        })
    }
}

/// One finding about one input. `line` and `column` count from 1 (columns
/// in characters); they point at the offending value, or at the enclosing
/// key (`spec:`) when a field is missing. `kind`, `namespace` and `name`
/// are empty when the finding is not about one object (a syntax error).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub severity: Severity,
    pub kind: String,
    pub namespace: String,
    pub name: String,
    pub field: String,
    pub message: String,
}

impl Diagnostic {
    /// The finding without its place: `PersistentVolumeClaim "data":
    /// spec.accessModes: Required value: ...`, as an editor shows it on the
    /// line it marks.
    pub fn what(&self) -> impl fmt::Display + '_ {
        What(self)
    }
}

struct What<'a>(&'a Diagnostic);

impl fmt::Display for What<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.0;
        if !d.kind.is_empty() {
            write!(f, "{} {:?}: ", d.kind, d.name)?;
        }
        if !d.field.is_empty() {
            write!(f, "{}: ", d.field)?;
        }
        f.write_str(&d.message)
    }
}

impl fmt::Display for Diagnostic {
    /// `pvc.yaml:6:3: error: PersistentVolumeClaim "data": spec.accessModes: Required value: ...`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.file,
            self.line,
            self.column,
            self.severity,
            self.what()
        )
    }
}

/// Counts by severity, for the closing line of `pvsim validate`.
pub fn summary(diagnostics: &[Diagnostic]) -> String {
    let count = |s| diagnostics.iter().filter(|d| d.severity == s).count();
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("{n} {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    format!(
        "{}, {}",
        plural(count(Severity::Error), "error"),
        plural(count(Severity::Warning), "warning")
    )
}
