//! Reading YAML with locations: a stream of documents, each an arena tree
//! whose nodes know their span and parent ([`tree`]), built under explicit
//! limits ([`parse`]), and a serde deserializer over it that keeps every
//! type error's field path and line ([`de`]).

pub mod de;
pub mod emit;
pub mod parse;
pub mod tree;

pub use de::{DeError, Ignored, from_node};
pub use emit::to_yaml;
pub use parse::{Limits, ParseError, parse_stream};
pub use tree::{Document, FieldPath, NodeId, NodeKind, Pos, Segment, Slot, Span, Style};
