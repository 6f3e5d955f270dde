//! A serde `Deserializer` over a [`Document`] node.
//!
//! Deserializing straight from the tree (not through a generic value or a
//! `kind`-tagged enum) keeps, for every type error, the node where it
//! happened, hence its field path and line and column.
//!
//! Scalars are read the way `kubectl` and the API server read them:
//! - quoted and block scalars are strings; plain scalars resolve to null,
//!   booleans, integers or floats by the YAML core schema, and a number or
//!   boolean where a string belongs is a type error (`iopsPerGB: 50`);
//! - the YAML 1.1 words (`yes`, `no`, `on`, `off`, ...) are booleans, but
//!   only where the field is a boolean;
//! - null where a value belongs leaves it at its zero value, as Go does;
//! - map keys are always their text;
//! - a quantity (`5Gi`, `5`) keeps its exact source text.
//!
//! Fields the target type does not declare are skipped and recorded (see
//! [`Ignored`]), together with the fields the type does declare, so that the
//! caller can warn about a misspelling and suggest the intended name.

use std::cell::RefCell;
use std::fmt;

use serde::de::{
    self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Unexpected, Visitor,
};

use super::tree::{Document, NodeId, NodeKind, Style};

/// The newtype name under which [`crate::Quantity`] asks for source text.
pub(crate) const RAW_TEXT: &str = "$pvsim::RawText";

/// A type error, with the node it happened at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeError {
    pub message: String,
    pub node: Option<NodeId>,
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeError {
            message: msg.to_string(),
            node: None,
        }
    }
}

impl DeError {
    fn at(mut self, id: NodeId) -> Self {
        self.node.get_or_insert(id);
        self
    }
}

/// A field the target type does not know: the value node and the names the
/// enclosing struct does accept (empty for a non-struct).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ignored {
    pub node: NodeId,
    pub known: &'static [&'static str],
}

/// Deserializes `T` from `node`, returning it with the fields it skipped.
pub fn from_node<'d, T: de::Deserialize<'d>>(
    doc: &'d Document,
    node: NodeId,
) -> Result<(T, Vec<Ignored>), DeError> {
    let ignored = RefCell::new(Vec::new());
    let value = T::deserialize(NodeDe {
        doc,
        id: node,
        known: &[],
        ignored: &ignored,
    })?;
    Ok((value, ignored.into_inner()))
}

#[derive(Clone, Copy)]
struct NodeDe<'d, 'a> {
    doc: &'d Document,
    id: NodeId,
    /// The field names of the struct this node is a field of.
    known: &'static [&'static str],
    ignored: &'a RefCell<Vec<Ignored>>,
}

/// A plain scalar resolved by the YAML core schema.
enum Plain<'s> {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    Str(&'s str),
}

fn resolve_plain(s: &str) -> Plain<'_> {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Plain::Null,
        "true" | "True" | "TRUE" => return Plain::Bool(true),
        "false" | "False" | "FALSE" => return Plain::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Plain::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return Plain::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Plain::Float(f64::NAN),
        _ => {}
    }
    let unsigned = s.strip_prefix(['-', '+']).unwrap_or(s);
    if !unsigned.is_empty() && unsigned.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(i) = s.parse::<i64>() {
            return Plain::Int(i);
        }
        if let Ok(u) = s.trim_start_matches('+').parse::<u64>() {
            return Plain::UInt(u);
        }
        return s.parse().map_or(Plain::Str(s), Plain::Float);
    }
    if let Some(hex) = s.strip_prefix("0x")
        && let Ok(i) = i64::from_str_radix(hex, 16)
    {
        return Plain::Int(i);
    }
    if let Some(oct) = s.strip_prefix("0o")
        && let Ok(i) = i64::from_str_radix(oct, 8)
    {
        return Plain::Int(i);
    }
    if is_float(unsigned)
        && let Ok(f) = s.parse::<f64>()
    {
        return Plain::Float(f);
    }
    Plain::Str(s)
}

/// `[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?` or `\.[0-9]+(...)?`.
fn is_float(s: &str) -> bool {
    let (mantissa, exp) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let (int, frac) = match mantissa.find('.') {
        Some(i) => (&mantissa[..i], Some(&mantissa[i + 1..])),
        None => (mantissa, None),
    };
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = digits(int)
        && frac.is_none_or(digits)
        && (!int.is_empty() || frac.is_some_and(|f| !f.is_empty()));
    let exp_ok = exp.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exp_ok && (frac.is_some() || exp.is_some())
}

/// The YAML 1.1 booleans, which Kubernetes accepts in boolean fields.
fn yaml11_bool(s: &str) -> Option<bool> {
    match s {
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "true" | "True" | "TRUE" => {
            Some(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" | "false" | "False" | "FALSE" => {
            Some(false)
        }
        _ => None,
    }
}

impl<'d, 'a> NodeDe<'d, 'a> {
    fn kind(&self) -> &'d NodeKind {
        &self.doc.node(self.id).kind
    }

    fn child(&self, id: NodeId, known: &'static [&'static str]) -> NodeDe<'d, 'a> {
        NodeDe {
            doc: self.doc,
            id: self.doc.resolve(id),
            known,
            ignored: self.ignored,
        }
    }

    fn unexpected(&self) -> Unexpected<'d> {
        match self.kind() {
            NodeKind::Scalar {
                text,
                style: Style::Plain,
            } => match resolve_plain(text) {
                Plain::Null => Unexpected::Unit,
                Plain::Bool(b) => Unexpected::Bool(b),
                Plain::Int(i) => Unexpected::Signed(i),
                Plain::UInt(u) => Unexpected::Unsigned(u),
                Plain::Float(f) => Unexpected::Float(f),
                Plain::Str(s) => Unexpected::Str(s),
            },
            NodeKind::Scalar { text, .. } => Unexpected::Str(text),
            NodeKind::Seq(_) => Unexpected::Seq,
            NodeKind::Map(_) | NodeKind::Alias(_) => Unexpected::Map,
        }
    }

    fn invalid<V: Visitor<'d>, T>(&self, visitor: &V) -> Result<T, DeError> {
        Err(de::Error::invalid_type(self.unexpected(), visitor))
    }

    fn plain(&self) -> Option<Plain<'d>> {
        match self.kind() {
            NodeKind::Scalar {
                text,
                style: Style::Plain,
            } => Some(resolve_plain(text)),
            _ => None,
        }
    }

    fn is_null(&self) -> bool {
        matches!(self.plain(), Some(Plain::Null))
    }

    fn any<V: Visitor<'d>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.kind() {
            NodeKind::Scalar {
                text,
                style: Style::Plain,
            } => match resolve_plain(text) {
                Plain::Null => visitor.visit_unit(),
                Plain::Bool(b) => visitor.visit_bool(b),
                Plain::Int(i) => visitor.visit_i64(i),
                Plain::UInt(u) => visitor.visit_u64(u),
                Plain::Float(f) => visitor.visit_f64(f),
                Plain::Str(s) => visitor.visit_borrowed_str(s),
            },
            NodeKind::Scalar { text, .. } => visitor.visit_borrowed_str(text),
            NodeKind::Seq(_) => self.seq(visitor),
            NodeKind::Map(_) | NodeKind::Alias(_) => self.map(visitor, &[]),
        }
    }

    fn seq<V: Visitor<'d>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.kind() {
            NodeKind::Seq(items) => visitor.visit_seq(Items {
                de: self,
                nodes: items,
                next: 0,
            }),
            _ if self.is_null() => visitor.visit_seq(Items {
                de: self,
                nodes: &[],
                next: 0,
            }),
            _ => self.invalid(&visitor),
        }
    }

    fn map<V: Visitor<'d>>(
        self,
        visitor: V,
        known: &'static [&'static str],
    ) -> Result<V::Value, DeError> {
        match self.kind() {
            NodeKind::Map(_) => visitor.visit_map(Entries {
                de: self,
                pairs: self.doc.entries(self.id),
                next: 0,
                known,
            }),
            _ if self.is_null() => visitor.visit_map(Entries {
                de: self,
                pairs: Vec::new(),
                next: 0,
                known,
            }),
            _ => self.invalid(&visitor),
        }
    }

    fn number<V: Visitor<'d>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.plain() {
            Some(Plain::Int(i)) => visitor.visit_i64(i),
            Some(Plain::UInt(u)) => visitor.visit_u64(u),
            Some(Plain::Float(f)) => visitor.visit_f64(f),
            Some(Plain::Null) => visitor.visit_i64(0),
            _ => self.invalid(&visitor),
        }
    }
}

macro_rules! numbers {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'d>>(self, visitor: V) -> Result<V::Value, DeError> {
            self.number(visitor).map_err(|e| e.at(self.id))
        }
    )*};
}

impl<'d> de::Deserializer<'d> for NodeDe<'d, '_> {
    type Error = DeError;

    numbers!(deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128
        deserialize_f32 deserialize_f64);

    fn deserialize_any<V: Visitor<'d>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.any(visitor).map_err(|e| e.at(self.id))
    }

    fn deserialize_bool<V: Visitor<'d>>(self, visitor: V) -> Result<V::Value, DeError> {
        let r = match self.kind() {
            NodeKind::Scalar {
                text,
                style: Style::Plain,
            } => match yaml11_bool(text) {
                Some(b) => visitor.visit_bool(b),
                None if self.is_null() => visitor.visit_bool(false),
                None => self.invalid(&visitor),
            },
            _ => self.invalid(&visitor),
        };
        r.map_err(|e| e.at(self.id))
    }

    fn deserialize_str<V: Visitor<'d>>(self, visitor: V) -> Result<V::Value, DeError> {
        let r = match self.kind() {
            NodeKind::Scalar {
                text,
                style: Style::Plain,
            } => match resolve_plain(text) {
                Plain::Str(s) => visitor.visit_borrowed_str(s),
                Plain::Null => visitor.visit_borrowed_str(""),
                _ => self.invalid(&visitor),
            },
            NodeKind::Scalar { text, .. } => visitor.visit_borrowed_str(text),
            _ => self.invalid(&visitor),
        };
        r.map_err(|e| e.at(self.id))
    }

    fn deserialize_string<V: Visitor<'d>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_char<V: Visitor<'d>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'d>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'d>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'d>>(self, visitor: V) -> Result<V::Value, DeError> {
        if self.is_null() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
        .map_err(|e| e.at(self.id))
    }

    fn deserialize_unit<V: Visitor<'d>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'d>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }

    fn deserialize_newtype_struct<V: Visitor<'d>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        if name != RAW_TEXT {
            return visitor
                .visit_newtype_struct(self)
                .map_err(|e| e.at(self.id));
        }
        let r = match self.kind() {
            // Go decodes a null quantity as zero.
            _ if self.is_null() => visitor.visit_borrowed_str("0"),
            NodeKind::Scalar { text, .. } => visitor.visit_borrowed_str(text),
            _ => self.invalid(&visitor),
        };
        r.map_err(|e| e.at(self.id))
    }

    fn deserialize_seq<V: Visitor<'d>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.seq(visitor).map_err(|e| e.at(self.id))
    }

    fn deserialize_tuple<V: Visitor<'d>>(self, _: usize, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'d>>(
        self,
        _: &'static str,
        _: usize,
        v: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_seq(v)
    }

    fn deserialize_map<V: Visitor<'d>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.map(visitor, &[]).map_err(|e| e.at(self.id))
    }

    fn deserialize_struct<V: Visitor<'d>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.map(visitor, fields).map_err(|e| e.at(self.id))
    }

    fn deserialize_enum<V: Visitor<'d>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let r = match self.kind() {
            NodeKind::Scalar { text, .. } => visitor.visit_enum(text.as_str().into_deserializer()),
            _ => self.invalid(&visitor),
        };
        r.map_err(|e: DeError| e.at(self.id))
    }

    fn deserialize_identifier<V: Visitor<'d>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'d>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.ignored.borrow_mut().push(Ignored {
            node: self.id,
            known: self.known,
        });
        visitor.visit_unit()
    }
}

struct Items<'d, 'a> {
    de: NodeDe<'d, 'a>,
    nodes: &'d [NodeId],
    next: usize,
}

impl<'d> SeqAccess<'d> for Items<'d, '_> {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'d>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DeError> {
        let Some(&id) = self.nodes.get(self.next) else {
            return Ok(None);
        };
        self.next += 1;
        let child = self.de.child(id, &[]);
        seed.deserialize(child)
            .map(Some)
            .map_err(|e| e.at(child.id))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.nodes.len() - self.next)
    }
}

struct Entries<'d, 'a> {
    de: NodeDe<'d, 'a>,
    pairs: Vec<(NodeId, NodeId)>,
    next: usize,
    known: &'static [&'static str],
}

impl<'d> MapAccess<'d> for Entries<'d, '_> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'d>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        let Some(&(key, _)) = self.pairs.get(self.next) else {
            return Ok(None);
        };
        let text = self.de.doc.scalar(key).ok_or_else(|| DeError {
            message: "a mapping key must be a scalar".into(),
            node: Some(key),
        })?;
        seed.deserialize(de::value::BorrowedStrDeserializer::<DeError>::new(text))
            .map(Some)
            .map_err(|e| e.at(key))
    }

    fn next_value_seed<V: DeserializeSeed<'d>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let (_, value) = self.pairs[self.next];
        self.next += 1;
        let child = self.de.child(value, self.known);
        seed.deserialize(child).map_err(|e| e.at(child.id))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.pairs.len() - self.next)
    }
}
