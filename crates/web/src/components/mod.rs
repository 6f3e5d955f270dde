mod diagnostics;
mod editor;
mod textarea;

pub use diagnostics::DiagnosticList;
pub use editor::Editor;

/// A diagnostic to mark in the editor, as an error or a warning.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mark {
    pub line: u32,
    pub column: u32,
    pub error: bool,
    pub message: String,
}
