//! The shape of every kind pvsim reads: each struct's fields, their
//! one-line docs and their types, as the model declares them. The page's
//! editor completes field names from it ([`fields_json`] writes the file it
//! bundles, `www/editor/fields.json`, and a test keeps that file current).
//!
//! Only native code calls this module, so none of it ships in the page's
//! WebAssembly.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::Quantity;

/// What a field holds.
#[derive(Clone, Copy)]
pub enum Shape {
    Text,
    Bool,
    Integer,
    /// A size such as `5Gi`.
    Quantity,
    /// A mapping with free keys (`labels`, `parameters`).
    Map,
    /// Anything: a part pvsim keeps without modelling it.
    Any,
    List(fn() -> Shape),
    Struct(&'static Fields),
}

/// A struct's fields, in declaration order.
pub struct Fields {
    pub name: &'static str,
    pub names: &'static [&'static str],
    pub docs: &'static [&'static str],
    pub shapes: &'static [fn() -> Shape],
}

/// A type whose shape is known.
pub trait Shaped {
    fn shape() -> Shape;
}

impl Shaped for String {
    fn shape() -> Shape {
        Shape::Text
    }
}

impl Shaped for bool {
    fn shape() -> Shape {
        Shape::Bool
    }
}

impl Shaped for i32 {
    fn shape() -> Shape {
        Shape::Integer
    }
}

impl Shaped for i64 {
    fn shape() -> Shape {
        Shape::Integer
    }
}

impl Shaped for Quantity {
    fn shape() -> Shape {
        Shape::Quantity
    }
}

impl Shaped for serde_json::Value {
    fn shape() -> Shape {
        Shape::Any
    }
}

impl<T: Shaped> Shaped for Option<T> {
    fn shape() -> Shape {
        T::shape()
    }
}

impl<T: Shaped> Shaped for Vec<T> {
    fn shape() -> Shape {
        Shape::List(T::shape)
    }
}

impl<V> Shaped for BTreeMap<String, V> {
    fn shape() -> Shape {
        Shape::Map
    }
}

/// The structs that hold every field upstream has: completion in them
/// offers everything a person may write. Elsewhere pvsim models only the
/// fields storage depends on, so the editor offers nothing rather than a
/// misleading part.
pub const COMPLETE: &[&str] = &[
    "ObjectMeta",
    "PersistentVolumeSpec",
    "PersistentVolumeClaimSpec",
    "VolumeResourceRequirements",
    "VolumeNodeAffinity",
    "NodeSelector",
    "NodeSelectorTerm",
    "NodeSelectorRequirement",
    "HostPathVolumeSource",
    "NfsVolumeSource",
    "LocalVolumeSource",
    "FcVolumeSource",
    "CsiPersistentVolumeSource",
    "StorageClass",
    "TopologySelectorTerm",
    "TopologySelectorLabelRequirement",
    "Volume",
    "PersistentVolumeClaimVolumeSource",
    "EphemeralVolumeSource",
    "PersistentVolumeClaimTemplate",
    "EmptyDirVolumeSource",
    "CsiVolumeSource",
    "VolumeMount",
    "LabelSelector",
    "LabelSelectorRequirement",
    "TypedLocalObjectReference",
    "TypedObjectReference",
];

fn type_name(shape: Shape) -> String {
    match shape {
        Shape::Text => "string".into(),
        Shape::Bool => "boolean".into(),
        Shape::Integer => "integer".into(),
        Shape::Quantity => "quantity".into(),
        Shape::Map => "map".into(),
        Shape::Any => "object".into(),
        Shape::List(of) => format!("[]{}", type_name(of())),
        Shape::Struct(f) => f.name.into(),
    }
}

fn collect(shape: Shape, out: &mut BTreeMap<&'static str, &'static Fields>) {
    match shape {
        Shape::List(of) => collect(of(), out),
        Shape::Struct(f) if !out.contains_key(f.name) => {
            out.insert(f.name, f);
            for s in f.shapes {
                collect(s(), out);
            }
        }
        _ => {}
    }
}

fn json_string(s: &str) -> String {
    serde_json::Value::from(s).to_string()
}

/// The schema as JSON: `kinds` maps each kind to its struct, `types` each
/// struct to its fields (`name`, `type`, `doc`) and whether it is
/// [`COMPLETE`]. One field per line, so that a change reads well in a diff.
pub fn fields_json() -> String {
    let kinds = crate::Object::shapes();
    let mut types = BTreeMap::new();
    for (_, shape) in &kinds {
        collect(*shape, &mut types);
    }
    let mut out = String::from("{\n  \"kinds\": {\n");
    for (i, (kind, shape)) in kinds.iter().enumerate() {
        let comma = if i + 1 < kinds.len() { "," } else { "" };
        let _ = writeln!(
            out,
            "    {}: {}{comma}",
            json_string(kind),
            json_string(&type_name(*shape))
        );
    }
    out.push_str("  },\n  \"types\": {\n");
    for (t, (name, f)) in types.iter().enumerate() {
        let _ = writeln!(
            out,
            "    {}: {{\n      \"complete\": {},\n      \"fields\": [",
            json_string(name),
            COMPLETE.contains(name)
        );
        for (i, field) in f.names.iter().enumerate() {
            let comma = if i + 1 < f.names.len() { "," } else { "" };
            let _ = writeln!(
                out,
                "        {{\"name\": {}, \"type\": {}, \"doc\": {}}}{comma}",
                json_string(field),
                json_string(&type_name(f.shapes[i]())),
                json_string(f.docs[i].trim())
            );
        }
        let comma = if t + 1 < types.len() { "," } else { "" };
        let _ = writeln!(out, "      ]\n    }}{comma}");
    }
    out.push_str("  }\n}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_of_a_complete_struct_has_a_doc() {
        let mut types = BTreeMap::new();
        for (_, shape) in crate::Object::shapes() {
            collect(shape, &mut types);
        }
        for name in COMPLETE {
            let f = types
                .get(name)
                .unwrap_or_else(|| panic!("{name} is not reachable from any kind"));
            for (field, doc) in f.names.iter().zip(f.docs) {
                let doc = doc.trim();
                assert!(!doc.is_empty(), "{name}.{field} has no doc");
                assert!(!doc.contains('\n'), "{name}.{field}: one line");
            }
        }
    }

    #[test]
    fn a_claim_spec_lists_its_class() {
        let json: serde_json::Value = serde_json::from_str(&fields_json()).unwrap();
        assert_eq!(
            json["kinds"]["PersistentVolumeClaim"],
            "PersistentVolumeClaim"
        );
        let fields = json["types"]["PersistentVolumeClaimSpec"]["fields"]
            .as_array()
            .unwrap();
        let class = fields
            .iter()
            .find(|f| f["name"] == "storageClassName")
            .unwrap();
        assert_eq!(class["type"], "string");
        assert_eq!(
            json["types"]["PersistentVolumeSpec"]["fields"][1]["type"],
            "[]string"
        );
    }
}
