mod diagnostics;
mod editor;

pub use diagnostics::DiagnosticList;
pub use editor::{Editor, Mark};
