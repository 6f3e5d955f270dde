//! The API server's validation of the objects pvsim reads, with its field
//! paths and wording.
//!
//! Upstream: kubernetes/kubernetes `pkg/apis/core/validation/validation.go`
//! (`ValidatePersistentVolumeSpec`, `ValidatePersistentVolumeClaimSpec`,
//! `ValidateObjectMeta`), `pkg/apis/storage/validation/validation.go`
//! (`ValidateStorageClass`) and apimachinery's `util/validation` (names).
//!
//! Simplifications: pvsim validates names of every kind it models, and
//! the spec of PersistentVolumes, PersistentVolumeClaims and StorageClasses;
//! label selectors, node affinity terms and the volume sources it does not
//! simulate are not checked. `spec.capacity` with a key other than
//! `storage` names the keys instead of printing Go's `%#v` of the map.

mod names;
mod storage;

use std::fmt::Write as _;

use crate::yaml::FieldPath;

pub use names::{dns1123_label, dns1123_subdomain, qualified_name};
pub use storage::{persistent_volume, persistent_volume_claim, storage_class};

/// One validation error, as `field.Error` prints it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// The path as the API server prints it (`spec.resources[storage]`).
    pub field: String,
    /// Where to point in the source, when that differs from `field`: an
    /// error about one item of a list carries the item's path
    /// (`spec.accessModes[1]`) even where upstream prints the list's.
    pub locate: FieldPath,
    /// `Required value: ...`, `Invalid value: "x": ...`, ...
    pub message: String,
}

impl FieldError {
    fn new(field: &str, message: String) -> FieldError {
        FieldError {
            field: field.to_owned(),
            locate: FieldPath::parse(field),
            message,
        }
    }

    /// Points the error at another place in the source than its field.
    #[must_use]
    pub fn located(mut self, path: &str) -> FieldError {
        self.locate = FieldPath::parse(path);
        self
    }
}

/// `Required value`, with the detail when there is one.
pub fn required(field: &str, detail: &str) -> FieldError {
    let msg = if detail.is_empty() {
        "Required value".to_owned()
    } else {
        format!("Required value: {detail}")
    };
    FieldError::new(field, msg)
}

/// `Invalid value: "x": detail` (Go's `%q` for strings).
pub fn invalid(field: &str, value: &str, detail: &str) -> FieldError {
    FieldError::new(field, format!("Invalid value: {}: {detail}", quote(value)))
}

/// `Invalid value: 5: detail` for a number.
pub fn invalid_number(field: &str, value: i128, detail: &str) -> FieldError {
    FieldError::new(field, format!("Invalid value: {value}: {detail}"))
}

/// `Unsupported value: "x": supported values: "a", "b"` (sorted, as upstream).
pub fn not_supported(field: &str, value: &str, supported: &[&str]) -> FieldError {
    let mut sorted = supported.to_vec();
    crate::sort::stable(&mut sorted);
    let mut msg = format!("Unsupported value: {}: supported values: ", quote(value));
    for (i, s) in sorted.iter().enumerate() {
        if i > 0 {
            msg.push_str(", ");
        }
        let _ = write!(msg, "{}", quote(s));
    }
    FieldError::new(field, msg)
}

pub fn forbidden(field: &str, detail: &str) -> FieldError {
    FieldError::new(field, format!("Forbidden: {detail}"))
}

pub fn duplicate(field: &str, value: &str) -> FieldError {
    FieldError::new(field, format!("Duplicate value: {}", quote(value)))
}

pub fn too_long(field: &str, max: usize) -> FieldError {
    FieldError::new(field, format!("Too long: must have at most {max} bytes"))
}

/// Go's `%q`: a double-quoted string with escapes.
pub fn quote(s: &str) -> String {
    format!("{s:?}")
}

/// `metadata.name` and `metadata.namespace` of any object.
pub fn object_meta(
    meta: &crate::model::ObjectMeta,
    namespaced: bool,
    name_check: fn(&str) -> Vec<String>,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if meta.name.is_empty() && meta.generate_name.is_empty() {
        errs.push(
            required("metadata.name", "name or generateName is required").located("metadata"),
        );
    } else if !meta.name.is_empty() {
        for msg in name_check(&meta.name) {
            errs.push(invalid("metadata.name", &meta.name, &msg));
        }
    }
    if namespaced && !meta.namespace.is_empty() {
        for msg in dns1123_label(&meta.namespace) {
            errs.push(invalid("metadata.namespace", &meta.namespace, &msg));
        }
    }
    errs
}

/// The API server's validation of a new object: in full for the kinds
/// pvsim validates in full, names for the rest.
pub fn object(object: &crate::Object) -> Vec<FieldError> {
    use crate::Object;
    match object {
        Object::PersistentVolume(pv) => persistent_volume(pv),
        Object::PersistentVolumeClaim(pvc) => persistent_volume_claim(pvc),
        Object::StorageClass(sc) => storage_class(sc),
        Object::Namespace(ns) => object_meta(&ns.metadata, false, dns1123_label),
        other => object_meta(other.metadata(), other.namespaced(), dns1123_subdomain),
    }
}

/// The API server's words for an object it refuses:
/// `The PersistentVolumeClaim "x" is invalid: spec.accessModes: Required value`,
/// with several errors in brackets, comma-separated.
pub fn invalid_message(kind: &str, name: &str, errors: &[FieldError]) -> String {
    let items: Vec<String> = errors
        .iter()
        .map(|e| format!("{}: {}", e.field, e.message))
        .collect();
    let body = match items.as_slice() {
        [one] => one.clone(),
        _ => format!("[{}]", items.join(", ")),
    };
    format!("The {kind} {name:?} is invalid: {body}")
}
