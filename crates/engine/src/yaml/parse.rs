//! Builds [`Document`]s from saphyr-parser's event stream, one document at
//! a time, under explicit [`Limits`], so that hostile input (huge files,
//! deep nesting, alias bombs) ends early with an error that names the
//! limit, instead of exhausting the stack or memory. The number of
//! documents is not limited: each one is handed on and dropped as soon as
//! it ends, and the input's size already bounds how many there are.

use std::borrow::Cow;

use saphyr_parser::{Event, Parser, ScalarStyle, Span as RawSpan, Tag};

use super::tree::{Document, Node, NodeId, NodeKind, Pos, Slot, Span, Style};

/// Bounds on what one input may cost.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest input accepted, in bytes.
    pub max_input_bytes: usize,
    /// Deepest nesting of mappings and sequences.
    pub max_depth: usize,
    /// Most nodes one document may stand for once aliases are expanded.
    pub max_expanded_nodes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_bytes: 16 * 1024 * 1024,
            max_depth: 100,
            max_expanded_nodes: 1_000_000,
        }
    }
}

/// Why a stream could not be read to its end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    pub pos: Pos,
    /// True when a [`Limits`] bound stopped the reading, not the syntax.
    pub limit: bool,
}

fn pos(m: &saphyr_parser::Marker) -> Pos {
    Pos {
        line: m.line() as u32,
        column: m.col() as u32 + 1,
        offset: m.index() as u32,
    }
}

fn span(s: &RawSpan) -> Span {
    Span {
        start: pos(&s.start),
        end: pos(&s.end),
    }
}

struct Open {
    id: NodeId,
    /// For a mapping: the key waiting for its value.
    pending_key: Option<NodeId>,
    anchor: usize,
}

struct Builder<'l> {
    limits: &'l Limits,
    doc: Document,
    stack: Vec<Open>,
    /// The node each anchor of this document names, by the parser's anchor
    /// id less the first one's (ids count up through the stream; a later
    /// `&name` takes a new id).
    anchors: Vec<Option<NodeId>>,
    anchor_base: usize,
    /// Expanded size of each finished node (aliases count their target).
    sizes: Vec<u64>,
}

impl Builder<'_> {
    fn new(limits: &Limits, index: usize, start: Pos) -> Builder<'_> {
        Builder {
            limits,
            doc: Document {
                index,
                start,
                ..Document::default()
            },
            stack: Vec::new(),
            anchors: Vec::new(),
            anchor_base: 0,
            sizes: Vec::new(),
        }
    }

    fn limit(message: String, at: Pos) -> ParseError {
        ParseError {
            message,
            pos: at,
            limit: true,
        }
    }

    /// Adds a node under the innermost open container.
    fn push(&mut self, kind: NodeKind, sp: Span, size: u64) -> Result<NodeId, ParseError> {
        let id = self.doc.nodes.len() as NodeId;
        let (parent, slot) = match self.stack.last_mut() {
            None => (None, Slot::Root),
            Some(open) => {
                let parent = open.id;
                match &mut self.doc.nodes[parent as usize].kind {
                    NodeKind::Seq(items) => {
                        items.push(id);
                        (Some(parent), Slot::Item(items.len() as u32 - 1))
                    }
                    NodeKind::Map(entries) => match open.pending_key.take() {
                        None => {
                            open.pending_key = Some(id);
                            (Some(parent), Slot::Key)
                        }
                        Some(key) => {
                            entries.push((key, id));
                            (Some(parent), Slot::Value { key })
                        }
                    },
                    _ => unreachable!("only containers are open"),
                }
            }
        };
        if parent.is_none() {
            self.doc.root = Some(id);
        }
        self.doc.nodes.push(Node {
            kind,
            span: sp,
            parent,
            slot,
        });
        self.sizes.push(size);
        self.check_duplicate_key(id)?;
        Ok(id)
    }

    /// go-yaml, which kubectl uses, refuses a key that appears twice.
    fn check_duplicate_key(&self, id: NodeId) -> Result<(), ParseError> {
        let node = self.doc.node(id);
        if node.slot != Slot::Key {
            return Ok(());
        }
        let Some(text) = self.doc.scalar(id) else {
            return Ok(());
        };
        let Some(NodeKind::Map(entries)) = node.parent.map(|p| &self.doc.node(p).kind) else {
            return Ok(());
        };
        if let Some(&(first, _)) = entries
            .iter()
            .find(|&&(k, _)| self.doc.scalar(k) == Some(text) && text != "<<")
        {
            return Err(ParseError {
                message: format!(
                    "mapping key \"{text}\" already defined at line {}",
                    self.doc.node(first).span.start.line
                ),
                pos: node.span.start,
                limit: false,
            });
        }
        Ok(())
    }

    fn open(&mut self, kind: NodeKind, sp: Span, anchor: usize) -> Result<(), ParseError> {
        if self.stack.len() >= self.limits.max_depth {
            return Err(Self::limit(
                format!(
                    "nesting is deeper than {} levels (pvsim's limit on nesting depth)",
                    self.limits.max_depth
                ),
                sp.start,
            ));
        }
        let id = self.push(kind, sp, 1)?;
        self.stack.push(Open {
            id,
            pending_key: None,
            anchor,
        });
        Ok(())
    }

    fn close(&mut self, end: Pos) -> Result<(), ParseError> {
        let open = self
            .stack
            .pop()
            .expect("parser balances start and end events");
        let node = &mut self.doc.nodes[open.id as usize];
        node.span.end = end;
        let children: Vec<NodeId> = match &node.kind {
            NodeKind::Seq(items) => items.clone(),
            NodeKind::Map(entries) => entries.iter().flat_map(|&(k, v)| [k, v]).collect(),
            _ => Vec::new(),
        };
        let size = children
            .iter()
            .fold(1u64, |acc, &c| acc.saturating_add(self.sizes[c as usize]));
        let start = node.span.start;
        self.sizes[open.id as usize] = size;
        self.check_size(size, start)?;
        if open.anchor != 0 {
            self.anchor(open.anchor, open.id);
        }
        Ok(())
    }

    fn anchor(&mut self, anchor: usize, id: NodeId) {
        if self.anchors.is_empty() {
            self.anchor_base = anchor;
        }
        let i = anchor - self.anchor_base.min(anchor);
        if self.anchors.len() <= i {
            self.anchors.resize(i + 1, None);
        }
        self.anchors[i] = Some(id);
    }

    /// The node an alias names, if its anchor is in this document.
    fn anchored(&self, anchor: usize) -> Option<NodeId> {
        let i = anchor.checked_sub(self.anchor_base)?;
        self.anchors.get(i).copied().flatten()
    }

    fn check_size(&self, size: u64, at: Pos) -> Result<(), ParseError> {
        if size > self.limits.max_expanded_nodes {
            return Err(Self::limit(
                format!(
                    "aliases expand this document to more than {} nodes (pvsim's limit on alias expansion)",
                    self.limits.max_expanded_nodes
                ),
                at,
            ));
        }
        Ok(())
    }
}

fn style(s: ScalarStyle, tag: Option<&Cow<'_, Tag>>) -> Style {
    // `!!str 5` is the string "5"; other tags keep the written style.
    if tag.is_some_and(|t| {
        t.suffix == "str" && (t.handle == "tag:yaml.org,2002:" || t.handle == "!!")
    }) {
        return Style::Quoted;
    }
    match s {
        ScalarStyle::Plain => Style::Plain,
        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => Style::Quoted,
        _ => Style::Block,
    }
}

/// Reads a YAML stream and hands each complete document to `on_doc` as
/// soon as it ends. Documents before an error have been delivered when the
/// error returns. Empty documents are delivered too (with no root).
pub fn parse_stream(
    src: &str,
    limits: &Limits,
    mut on_doc: impl FnMut(Document),
) -> Result<(), ParseError> {
    // One copy of the parser, whoever calls it.
    parse_each(src, limits, &mut on_doc)
}

fn parse_each(
    src: &str,
    limits: &Limits,
    on_doc: &mut dyn FnMut(Document),
) -> Result<(), ParseError> {
    if src.len() > limits.max_input_bytes {
        return Err(ParseError {
            message: format!(
                "input is {} bytes, more than pvsim's limit of {} bytes",
                src.len(),
                limits.max_input_bytes
            ),
            pos: Pos {
                line: 1,
                column: 1,
                offset: 0,
            },
            limit: true,
        });
    }
    let mut builder: Option<Builder> = None;
    let mut count = 0usize;
    for item in Parser::new_from_str(src) {
        let (event, sp) = item.map_err(|e| {
            // The scanner guards flow nesting itself, ahead of our check.
            let limit = e.info() == "recursion limit exceeded";
            let message = if limit {
                "nesting is deeper than the YAML parser allows (recursion limit exceeded)"
                    .to_owned()
            } else {
                e.info().to_owned()
            };
            ParseError {
                message,
                pos: pos(e.marker()),
                limit,
            }
        })?;
        let sp = span(&sp);
        match event {
            Event::DocumentStart(_) => {
                builder = Some(Builder::new(limits, count, sp.start));
                count += 1;
            }
            Event::DocumentEnd => {
                if let Some(b) = builder.take() {
                    on_doc(b.doc);
                }
            }
            Event::Scalar(text, st, anchor, tag) => {
                let b = builder.as_mut().expect("scalars come inside documents");
                let id = b.push(
                    NodeKind::Scalar {
                        text: text.into_owned(),
                        style: style(st, tag.as_ref()),
                    },
                    sp,
                    1,
                )?;
                if anchor != 0 {
                    b.anchor(anchor, id);
                }
            }
            Event::Alias(anchor) => {
                let b = builder.as_mut().expect("aliases come inside documents");
                let Some(target) = b.anchored(anchor) else {
                    return Err(ParseError {
                        message: "unknown anchor".into(),
                        pos: sp.start,
                        limit: false,
                    });
                };
                let size = b.sizes[target as usize];
                b.check_size(size, sp.start)?;
                b.push(NodeKind::Alias(target), sp, size)?;
            }
            Event::SequenceStart(anchor, _) => {
                builder.as_mut().expect("inside a document").open(
                    NodeKind::Seq(Vec::new()),
                    sp,
                    anchor,
                )?;
            }
            Event::MappingStart(anchor, _) => {
                builder.as_mut().expect("inside a document").open(
                    NodeKind::Map(Vec::new()),
                    sp,
                    anchor,
                )?;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                builder.as_mut().expect("inside a document").close(sp.end)?;
            }
            Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
        }
    }
    Ok(())
}
