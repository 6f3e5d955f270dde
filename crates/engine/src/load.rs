//! The front door: every piece of YAML enters pvsim here.
//!
//! [`load`] reads a file's bytes (a stream of documents, `kind: List`
//! included), decodes each object into its typed model, applies the API
//! server's defaults and validation, and reports every finding as a
//! [`Diagnostic`] with file, line, column, object and field. One bad object
//! never stops the others: a document that fails is reported and the rest
//! still load. Kinds pvsim does not model are listed as ignored.

use std::fmt::Write as _;

use crate::defaults;
use crate::diagnostic::{Diagnostic, Severity};
use crate::object::{KindInfo, Object, kind_info, version_warning};
use crate::validation;
use crate::yaml::{
    Document, FieldPath, Ignored, Limits, NodeId, NodeKind, Pos, Segment, Style, from_node,
    parse_stream,
};

/// What happened to one object of the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The API server would accept it; pvsim simulates it.
    Accepted,
    /// The API server would reject it (see the diagnostics).
    Rejected,
    /// A kind pvsim does not simulate (Service, Secret, custom resources).
    Ignored,
}

/// One object found in the input.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub file: String,
    pub kind: String,
    /// The `apiVersion` as written.
    pub api_version: String,
    pub namespace: String,
    pub name: String,
    /// Where the object starts.
    pub line: u32,
    pub column: u32,
    pub status: Status,
    /// The typed, defaulted object, when it could be decoded. Boxed: an
    /// input may hold hundreds of thousands of entries, most of them
    /// smaller than the largest kind.
    pub object: Option<Box<Object>>,
    /// The object as written, every field kept.
    pub raw: serde_json::Value,
    /// For an object inside a Scenario's `apply` step: that step's index.
    pub step: Option<usize>,
    /// Positions later stages report at: a Scenario's steps (`spec.steps[2]`
    /// → line, column), a Pod's `spec.nodeName`.
    pub anchors: Vec<(String, u32, u32)>,
}

/// Everything read from one input.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Loaded {
    pub entries: Vec<Entry>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    /// Adds another input's results.
    pub fn extend(&mut self, other: Loaded) {
        self.entries.extend(other.entries);
        self.diagnostics.extend(other.diagnostics);
    }
}

/// Reads one input with the default [`Limits`].
pub fn load(file: &str, bytes: &[u8]) -> Loaded {
    load_with(file, bytes, &Limits::default())
}

/// Reads one input: a YAML stream of Kubernetes objects.
pub fn load_with(file: &str, bytes: &[u8], limits: &Limits) -> Loaded {
    load_impl(file, bytes, limits, false)
}

/// `in_step`: the input is YAML inside a Scenario step, where another
/// Scenario may not appear (which also bounds the recursion).
fn load_impl(file: &str, bytes: &[u8], limits: &Limits, in_step: bool) -> Loaded {
    let mut loader = Loader {
        file,
        source: "",
        limits,
        in_step,
        out: Loaded::default(),
    };
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let at = pos_of_byte(bytes, e.valid_up_to());
            loader.report(
                at,
                Severity::Error,
                &Ident::default(),
                "",
                &format!(
                    "the input is not valid UTF-8 (byte 0x{:02x} at offset {})",
                    bytes[e.valid_up_to()],
                    e.valid_up_to()
                ),
            );
            return loader.out;
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    loader.source = text;
    if let Some(offset) = text.find('\0') {
        let at = pos_of_byte(text.as_bytes(), offset);
        loader.report(
            at,
            Severity::Error,
            &Ident::default(),
            "",
            "the input contains a NUL byte, which YAML does not allow",
        );
        return loader.out;
    }
    let result = parse_stream(text, limits, |doc| loader.document(&doc));
    if let Err(e) = result {
        loader.report(e.pos, Severity::Error, &Ident::default(), "", &e.message);
    }
    let mut out = loader.out;
    crate::sort::by_key(&mut out.diagnostics, |d| (d.line, d.column));
    out
}

/// Line and column of a byte offset, for errors found before parsing.
fn pos_of_byte(bytes: &[u8], offset: usize) -> Pos {
    let before = &bytes[..offset];
    let line = before.split(|&b| b == b'\n').count();
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    Pos {
        line: line as u32,
        column: column as u32,
        offset: offset as u32,
    }
}

/// Which object a diagnostic is about.
#[derive(Clone, Debug, Default)]
struct Ident {
    kind: String,
    namespace: String,
    name: String,
}

struct Loader<'a> {
    file: &'a str,
    /// The input text, once it is known to be UTF-8.
    source: &'a str,
    limits: &'a Limits,
    in_step: bool,
    out: Loaded,
}

impl Loader<'_> {
    fn report(&mut self, at: Pos, severity: Severity, who: &Ident, field: &str, message: &str) {
        self.out.diagnostics.push(Diagnostic {
            file: self.file.to_owned(),
            line: at.line,
            column: at.column,
            severity,
            kind: who.kind.clone(),
            namespace: who.namespace.clone(),
            name: who.name.clone(),
            field: field.to_owned(),
            message: message.to_owned(),
        });
    }

    fn document(&mut self, doc: &Document) {
        let Some(root) = doc.root() else { return };
        if doc.is_null(root) {
            return; // an empty document, as between two `---`
        }
        let is_list = doc.get(root, "kind").and_then(|k| doc.scalar(k)) == Some("List")
            && doc.get(root, "items").is_some();
        if is_list {
            let items = doc.get(root, "items").map(|i| doc.resolve(i));
            if let Some(NodeKind::Seq(items)) = items.map(|i| &doc.node(i).kind) {
                for &item in items {
                    self.object(doc, doc.resolve(item));
                }
            }
            return;
        }
        self.object(doc, root);
    }

    fn object(&mut self, doc: &Document, root: NodeId) {
        let at = doc.node(root).span.start;
        if !matches!(doc.node(root).kind, NodeKind::Map(_)) {
            self.report(
                at,
                Severity::Error,
                &Ident::default(),
                "",
                "this document is not a Kubernetes object: expected a mapping with apiVersion and kind",
            );
            return;
        }
        let text = |path: &str| {
            let (node, found) = doc.lookup(root, &FieldPath::parse(path));
            found.then(|| doc.scalar(node).unwrap_or_default().to_owned())
        };
        let kind = text("kind").unwrap_or_default();
        let api_version = text("apiVersion").unwrap_or_default();
        let info = kind_info(&kind);
        let namespace = match text("metadata.namespace").filter(|n| !n.is_empty()) {
            Some(ns) => ns,
            None if info.is_some_and(|i| i.namespaced) => defaults::DEFAULT_NAMESPACE.to_owned(),
            None => String::new(),
        };
        let who = Ident {
            kind: kind.clone(),
            namespace,
            name: text("metadata.name").unwrap_or_default(),
        };
        let raw = from_node::<serde_json::Value>(doc, root)
            .map(|(v, _)| v)
            .unwrap_or_default();
        let mut entry = Entry {
            file: self.file.to_owned(),
            kind: kind.clone(),
            api_version: api_version.clone(),
            namespace: who.namespace.clone(),
            name: who.name.clone(),
            line: at.line,
            column: at.column,
            status: Status::Rejected,
            object: None,
            raw,
            step: None,
            anchors: Vec::new(),
        };

        if api_version.is_empty() || kind.is_empty() {
            let mut missing = Vec::new();
            if api_version.is_empty() {
                missing.push("apiVersion not set");
            }
            if kind.is_empty() {
                missing.push("kind not set");
            }
            let field = if api_version.is_empty() {
                "apiVersion"
            } else {
                "kind"
            };
            self.report(at, Severity::Error, &who, field, &missing.join(", "));
            self.out.entries.push(entry);
            return;
        }
        // Where a pod names its node, for the warning when that node is not
        // in the input.
        if kind == "Pod" {
            let path = FieldPath::parse("spec.nodeName");
            if doc.lookup(root, &path).1 {
                let at = Self::pos(doc, root, &path);
                entry
                    .anchors
                    .push(("spec.nodeName".into(), at.line, at.column));
            }
        }
        if kind == "Scenario" && api_version == crate::scenario::SCENARIO_API_VERSION {
            if self.in_step {
                self.report(
                    at,
                    Severity::Error,
                    &who,
                    "",
                    "a Scenario cannot be applied by a step; put its steps in the file's own Scenario",
                );
                return;
            }
            entry.status = Status::Accepted;
            let steps = self.scenario_steps(doc, root);
            entry.anchors = steps;
            self.out.entries.push(entry);
            return;
        }
        let Some(info) = info else {
            let pos = Self::pos(doc, root, &FieldPath::parse("kind"));
            self.report(
                pos,
                Severity::Info,
                &who,
                "",
                &format!("pvsim does not simulate {kind} objects; ignored"),
            );
            entry.status = Status::Ignored;
            self.out.entries.push(entry);
            return;
        };
        let version_pos = Self::pos(doc, root, &FieldPath::parse("apiVersion"));
        match version_warning(info, &api_version) {
            Ok(None) => {}
            Ok(Some(warning)) => {
                self.report(version_pos, Severity::Warning, &who, "apiVersion", &warning);
            }
            Err(()) => {
                let msg = format!("no matches for kind {kind:?} in version {api_version:?}");
                self.report(version_pos, Severity::Error, &who, "apiVersion", &msg);
                self.out.entries.push(entry);
                return;
            }
        }

        match Object::decode(&kind, doc, root).expect("every modelled kind decodes") {
            Err(e) => {
                let node = e.node.unwrap_or(root);
                let path = doc.path(node, root).to_string();
                self.report(
                    doc.anchor_pos(node),
                    Severity::Error,
                    &who,
                    &path,
                    &e.message,
                );
            }
            Ok((mut object, ignored)) => {
                self.unknown_fields(doc, root, info, &who, &ignored, &object);
                defaults::apply(&mut object);
                let errors = validation::object(&object);
                for err in &errors {
                    let pos = Self::pos(doc, root, &err.locate);
                    self.report(pos, Severity::Error, &who, &err.field, &err.message);
                }
                entry.status = if errors.is_empty() {
                    Status::Accepted
                } else {
                    Status::Rejected
                };
                entry.object = Some(Box::new(object));
            }
        }
        self.out.entries.push(entry);
    }

    /// Reads the objects of a Scenario's `apply` steps where they are written
    /// (inline objects, or YAML in a string), so that their diagnostics and
    /// positions are the file's own. Returns where each step starts.
    fn scenario_steps(&mut self, doc: &Document, root: NodeId) -> Vec<(String, u32, u32)> {
        let mut anchors = Vec::new();
        let (steps, found) = doc.lookup(root, &FieldPath::parse("spec.steps"));
        let steps = doc.resolve(steps);
        let items = match &doc.node(steps).kind {
            NodeKind::Seq(items) if found => items.clone(),
            _ => return anchors,
        };
        for (i, item) in items.into_iter().enumerate() {
            let item = doc.resolve(item);
            let at = doc.node(item).span.start;
            anchors.push((format!("spec.steps[{i}]"), at.line, at.column));
            let Some(apply) = doc.get(item, "apply").map(|a| doc.resolve(a)) else {
                continue;
            };
            let first = self.out.entries.len();
            match &doc.node(apply).kind {
                NodeKind::Map(_) => self.object(doc, apply),
                NodeKind::Seq(objects) => {
                    for &o in objects {
                        self.object(doc, doc.resolve(o));
                    }
                }
                // A plain number, boolean or null is not YAML text; the
                // scenario reports the step.
                NodeKind::Scalar { text, style }
                    if *style != Style::Plain
                        || !(text.parse::<f64>().is_ok()
                            || matches!(text.as_str(), "" | "~" | "null" | "true" | "false")) =>
                {
                    let start = doc.node(apply).span.start;
                    self.embedded(text, *style, start);
                }
                _ => {}
            }
            for e in &mut self.out.entries[first..] {
                e.step = Some(i);
            }
        }
        anchors
    }

    /// Loads YAML written inside a string, moving its positions to where
    /// the string sits in the file. A block scalar (`|`) starts on the
    /// next line, indented; other strings are read in place.
    fn embedded(&mut self, text: &str, style: Style, at: Pos) {
        let (line_offset, column_offset) = if style == Style::Block {
            // The scalar's span starts at its `|` or `>`, or at its first
            // line of content: the content is what the offsets are for.
            let line_at = |n: u32| self.source.lines().nth(n as usize - 1).unwrap_or_default();
            let indicator = line_at(at.line)
                .chars()
                .nth(at.column as usize - 1)
                .is_some_and(|c| c == '|' || c == '>');
            let before = if indicator { at.line } else { at.line - 1 };
            let first = self
                .source
                .lines()
                .skip(before as usize)
                .find(|l| !l.trim().is_empty())
                .unwrap_or_default();
            let indent = first.len() - first.trim_start().len();
            (before, indent as u32)
        } else {
            (at.line - 1, at.column - 1)
        };
        let inner = load_impl(self.file, text.as_bytes(), self.limits, true);
        for mut d in inner.diagnostics {
            d.line += line_offset;
            d.column += column_offset;
            self.out.diagnostics.push(d);
        }
        for mut e in inner.entries {
            e.line += line_offset;
            e.column += column_offset;
            self.out.entries.push(e);
        }
    }

    /// The position for a field: its value when present, else the nearest
    /// enclosing key that is.
    fn pos(doc: &Document, root: NodeId, path: &FieldPath) -> Pos {
        let (node, _) = doc.lookup(root, path);
        doc.anchor_pos(node)
    }

    /// Warns about fields the object's type does not have, in the parts of
    /// an object where a typo changes storage behaviour, as kubectl's strict
    /// field validation would.
    fn unknown_fields(
        &mut self,
        doc: &Document,
        root: NodeId,
        info: &KindInfo,
        who: &Ident,
        ignored: &[Ignored],
        object: &Object,
    ) {
        for item in ignored {
            let path = doc.path(item.node, root);
            if !storage_relevant(info.kind, &path) {
                continue;
            }
            let Some(Segment::Key(field)) = path.0.last() else {
                continue;
            };
            let mut message = format!("unknown field {:?}", path.to_string());
            if let Some(suggestion) = closest(field, item.known) {
                let _ = write!(message, "; did you mean {suggestion:?}?");
                if suggestion == "storageClassName"
                    && let Object::PersistentVolumeClaim(pvc) = object
                    && pvc.spec.storage_class_name.is_none()
                {
                    message.push_str(
                                " As written the claim names no class, so it gets the cluster's default StorageClass",
                            );
                }
            }
            let key_pos = match doc.node(item.node).slot {
                crate::yaml::Slot::Value { key } => doc.node(key).span.start,
                _ => doc.anchor_pos(item.node),
            };
            self.report(key_pos, Severity::Warning, who, &path.to_string(), &message);
        }
    }
}

/// The parts of an object whose unknown fields get a warning: metadata
/// everywhere; the whole spec of PVs and claims; all of a StorageClass;
/// pod volumes, mounts and claim templates. Status is never checked.
fn storage_relevant(kind: &str, path: &FieldPath) -> bool {
    let first = match path.0.first() {
        Some(Segment::Key(k)) => k.as_str(),
        _ => return false,
    };
    if first == "status" {
        return false;
    }
    if first == "metadata" || kind == "StorageClass" {
        return true;
    }
    if matches!(kind, "PersistentVolume" | "PersistentVolumeClaim") && first == "spec" {
        return true;
    }
    path.0.iter().any(|s| {
        matches!(s, Segment::Key(k) if matches!(k.as_str(), "volumes" | "volumeMounts" | "volumeDevices" | "volumeClaimTemplates"))
    })
}

/// The known field closest to a misspelled one: same letters in another
/// case, or at most two edits away.
fn closest(field: &str, known: &[&'static str]) -> Option<&'static str> {
    let lower = field.to_lowercase();
    if let Some(k) = known.iter().find(|k| k.to_lowercase() == lower) {
        return Some(k);
    }
    let limit = if field.len() <= 4 { 1 } else { 2 };
    known
        .iter()
        .map(|k| (edit_distance(&lower, &k.to_lowercase()), *k))
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, _)| d)
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, &cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}
