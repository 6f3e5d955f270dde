mod diagnostics;
mod editor;
mod objects;

pub use diagnostics::DiagnosticList;
pub use editor::{Editor, Mark};
pub use objects::ObjectTable;
