//! A parsed YAML document: an arena of nodes, each with its source span and
//! a link to its parent, so that any node can name its field path and any
//! field path can be found again in the source.

use std::fmt;

/// Index of a node in its [`Document`].
pub type NodeId = u32;

/// A position in the source. Lines and columns count from 1; columns and
/// `offset` count Unicode scalar values (characters), not bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
    pub offset: u32,
}

/// A half-open source range.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Span {
    pub start: Pos,
    pub end: Pos,
}

/// How a scalar was written. Only plain scalars are resolved to booleans,
/// numbers and null; quoted and block scalars are always strings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Plain,
    Quoted,
    Block,
}

#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind {
    Scalar {
        text: String,
        style: Style,
    },
    Seq(Vec<NodeId>),
    /// Entries in source order as (key node, value node).
    Map(Vec<(NodeId, NodeId)>),
    /// `*name`: stands for the anchored node.
    Alias(NodeId),
}

/// Where a node sits in its parent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    Root,
    /// A mapping value; the id is its key node.
    Value {
        key: NodeId,
    },
    /// A mapping key.
    Key,
    Item(u32),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    pub span: Span,
    pub parent: Option<NodeId>,
    pub slot: Slot,
}

/// One segment of a field path.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Segment {
    Key(String),
    Index(usize),
}

/// A Kubernetes-style field path: `spec.containers[0].volumeMounts[1].name`.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct FieldPath(pub Vec<Segment>);

impl FieldPath {
    pub fn parse(dotted: &str) -> FieldPath {
        let mut segs = Vec::new();
        for part in dotted.split('.').filter(|p| !p.is_empty()) {
            let (name, mut rest) = match part.find('[') {
                Some(i) => (&part[..i], &part[i..]),
                None => (part, ""),
            };
            if !name.is_empty() {
                segs.push(Segment::Key(name.to_owned()));
            }
            while let Some(end) = rest.find(']') {
                let inner = &rest[1..end];
                segs.push(match inner.parse() {
                    Ok(i) => Segment::Index(i),
                    Err(_) => Segment::Key(inner.to_owned()),
                });
                rest = &rest[end + 1..];
            }
        }
        FieldPath(segs)
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                Segment::Index(n) => write!(f, "[{n}]")?,
                // Keys that are not plain identifiers (label and annotation
                // keys) print in brackets, as the API server prints them.
                Segment::Key(k) if !is_identifier(k) => write!(f, "[{k}]")?,
                Segment::Key(k) if i == 0 => f.write_str(k)?,
                Segment::Key(k) => write!(f, ".{k}")?,
            }
        }
        Ok(())
    }
}

fn is_identifier(k: &str) -> bool {
    !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// One YAML document of a stream.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Document {
    pub(crate) nodes: Vec<Node>,
    pub(crate) root: Option<NodeId>,
    /// Zero-based position of this document in its stream.
    pub index: usize,
    /// Where the document starts (its `---` or first content).
    pub start: Pos,
}

impl Document {
    pub fn root(&self) -> Option<NodeId> {
        self.root
    }

    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id as usize]
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Follows aliases to the node they stand for.
    pub fn resolve(&self, mut id: NodeId) -> NodeId {
        // Aliases only point backwards at complete nodes, so this ends.
        while let NodeKind::Alias(target) = self.node(id).kind {
            id = target;
        }
        id
    }

    /// The text of a scalar node (after resolving aliases).
    pub fn scalar(&self, id: NodeId) -> Option<&str> {
        match &self.node(self.resolve(id)).kind {
            NodeKind::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    /// True for a plain scalar that YAML reads as null (`~`, `null`, empty).
    pub fn is_null(&self, id: NodeId) -> bool {
        match &self.node(self.resolve(id)).kind {
            NodeKind::Scalar {
                text,
                style: Style::Plain,
            } => {
                matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL")
            }
            _ => false,
        }
    }

    /// A mapping's entries with `<<` merge keys applied: explicit keys come
    /// first and win over merged ones, as in YAML 1.1 and go-yaml.
    pub fn entries(&self, id: NodeId) -> Vec<(NodeId, NodeId)> {
        let id = self.resolve(id);
        let NodeKind::Map(own) = &self.node(id).kind else {
            return Vec::new();
        };
        let is_merge = |k: NodeId| matches!(&self.node(k).kind, NodeKind::Scalar { text, style: Style::Plain } if text == "<<");
        if !own.iter().any(|&(k, _)| is_merge(k)) {
            return own.clone();
        }
        let mut out: Vec<(NodeId, NodeId)> =
            own.iter().copied().filter(|&(k, _)| !is_merge(k)).collect();
        for &(k, v) in own {
            if !is_merge(k) {
                continue;
            }
            let v = self.resolve(v);
            let sources = match &self.node(v).kind {
                NodeKind::Seq(items) => items.clone(),
                _ => vec![v],
            };
            for src in sources {
                for (mk, mv) in self.entries(src) {
                    let name = self.scalar(mk);
                    if !out.iter().any(|&(ok, _)| self.scalar(ok) == name) {
                        out.push((mk, mv));
                    }
                }
            }
        }
        out
    }

    /// The value under `key` in a mapping.
    pub fn get(&self, map: NodeId, key: &str) -> Option<NodeId> {
        self.entries(map)
            .into_iter()
            .find(|&(k, _)| self.scalar(k) == Some(key))
            .map(|(_, v)| v)
    }

    /// The key node under which `key` sits in a mapping.
    pub fn get_key(&self, map: NodeId, key: &str) -> Option<NodeId> {
        self.entries(map)
            .into_iter()
            .find(|&(k, _)| self.scalar(k) == Some(key))
            .map(|(k, _)| k)
    }

    /// Finds `path` below `from`. When part of the path is missing, returns
    /// the deepest node that exists and `false`.
    pub fn lookup(&self, from: NodeId, path: &FieldPath) -> (NodeId, bool) {
        let mut at = from;
        for seg in &path.0 {
            let next = match seg {
                Segment::Key(k) => self.get(at, k),
                Segment::Index(i) => match &self.node(self.resolve(at)).kind {
                    NodeKind::Seq(items) => items.get(*i).copied(),
                    _ => None,
                },
            };
            match next {
                Some(n) => at = n,
                None => return (at, false),
            }
        }
        (at, true)
    }

    /// The field path of `id` relative to `root` (usually an object's root
    /// mapping, which is not the document root inside a `kind: List`).
    pub fn path(&self, mut id: NodeId, root: NodeId) -> FieldPath {
        let mut segs = Vec::new();
        while id != root {
            let node = self.node(id);
            match node.slot {
                Slot::Root => break,
                Slot::Value { key } => {
                    segs.push(Segment::Key(self.scalar(key).unwrap_or("?").to_owned()));
                }
                Slot::Item(i) => segs.push(Segment::Index(i as usize)),
                Slot::Key => {}
            }
            match node.parent {
                Some(p) => id = p,
                None => break,
            }
        }
        segs.reverse();
        FieldPath(segs)
    }

    /// Where a diagnostic about `id` should point: a scalar's own text, or
    /// for a mapping or sequence the key it sits under (the `spec:` line),
    /// which is what a reader looks for; an empty or null value points at its key.
    pub fn anchor_pos(&self, id: NodeId) -> Pos {
        let node = self.node(id);
        match (&node.kind, node.slot) {
            (_, Slot::Value { key }) if self.is_null(id) => self.node(key).span.start,
            (NodeKind::Scalar { .. } | NodeKind::Alias(_), _)
            | (_, Slot::Root | Slot::Key | Slot::Item(_)) => node.span.start,
            (_, Slot::Value { key }) => self.node(key).span.start,
        }
    }
}
