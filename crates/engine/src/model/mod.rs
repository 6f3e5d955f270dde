//! Typed models of the Kubernetes objects pvsim simulates, with the
//! upstream field names (`spec.storageClassName`, `persistentVolumeReclaimPolicy`).
//!
//! These are pvsim's own slim types rather than `k8s-openapi`'s (see
//! ARCHITECTURE.md for the measured sizes). They model the fields that
//! storage behaviour depends on. Fields they do not model are not lost:
//! every loaded object keeps its source document as a JSON value
//! ([`crate::Entry::raw`]), and [`crate::merge_raw`] writes the typed object
//! back over it. Kubernetes enumerations (access modes, reclaim policies)
//! are plain strings, because the API server accepts any string at decode
//! time and names the bad value in validation (`Unsupported value: ...`).
//!
//! Every struct deserializes with `default`: a missing field is empty here
//! and reported by validation, in the API server's words, not by serde.

mod cluster;
mod meta;
mod pod;
pub mod schema;
mod storage;
mod workloads;

pub use cluster::*;
pub use meta::*;
pub use pod::*;
pub use storage::*;
pub use workloads::*;

/// An opaque value: a part of an object pvsim keeps but does not model.
pub type Opaque = serde_json::Value;

/// Whether a field holds its default value, which is left out on output.
pub(crate) fn is_default<T: Default + PartialEq>(t: &T) -> bool {
    *t == T::default()
}

/// Declares a Kubernetes struct: camelCase field names, every field
/// optional on input, empty fields left out on output.
///
/// The encoder and decoder are written here rather than derived. They
/// behave as serde's derive with `#[serde(rename_all = "camelCase",
/// default)]` and `skip_serializing_if = "is_default"` on every field does
/// (the same field list, errors and visitor), but the decoder fills one
/// default value in place instead of holding every field in its own
/// `Option`, and both read and write each field through one out-of-line
/// function per field type ([`read_value`], [`write_field`]). Derived, they
/// were the largest part of the page's WebAssembly.
macro_rules! k8s_struct {
    ($(#[$m:meta])* pub struct $name:ident {
        $($(#[doc = $doc:literal])* $(#[serde(rename = $rename:literal)])? $field:ident : $ty:ty,)*
    }) => {
        $(#[$m])*
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct $name {
            $(
                $(#[doc = $doc])*
                pub $field: $ty,
            )*
        }

        impl $name {
            /// The fields' names in YAML and JSON, in declaration order.
            const FIELDS: &[&str] = &[$(crate::model::wire_name!($field $($rename)?)),*];
            /// The fields' docs, for the editor's completion.
            const DOCS: &[&str] = &[$(concat!("" $(, $doc)*)),*];
            const SCHEMA: crate::model::schema::Fields = crate::model::schema::Fields {
                name: stringify!($name),
                names: Self::FIELDS,
                docs: Self::DOCS,
                shapes: &[$(<$ty as crate::model::schema::Shaped>::shape),*],
            };
        }

        impl crate::model::schema::Shaped for $name {
            fn shape() -> crate::model::schema::Shape {
                crate::model::schema::Shape::Struct(&Self::SCHEMA)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeStruct as _;
                let len = 0 $(+ usize::from(!crate::model::is_default(&self.$field)))*;
                let mut out = s.serialize_struct(stringify!($name), len)?;
                let mut names = Self::FIELDS.iter();
                $(crate::model::write_field(&mut out, names.next().copied().unwrap_or_default(), &self.$field)?;)*
                out.end()
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                const FIELDS: &[&str] = $name::FIELDS;

                struct Fields;
                impl<'de> serde::de::Visitor<'de> for Fields {
                    type Value = $name;

                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(concat!("struct ", stringify!($name)))
                    }

                    fn visit_map<A: serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> Result<$name, A::Error> {
                        let mut out = $name::default();
                        let mut seen = [false; FIELDS.len()];
                        while let Some(found) = map.next_key_seed(crate::model::FieldName(FIELDS))? {
                            let Some(i) = found else {
                                map.next_value::<serde::de::IgnoredAny>()?;
                                continue;
                            };
                            if seen[i] {
                                return Err(serde::de::Error::duplicate_field(FIELDS[i]));
                            }
                            seen[i] = true;
                            // The fields in order: the `i`th one reads the value.
                            let mut next = 0..;
                            let read = $(if next.next() == Some(i) {
                                crate::model::read_value(&mut map, &mut out.$field)
                            } else)* {
                                Ok(())
                            };
                            read?;
                        }
                        Ok(out)
                    }

                    fn visit_seq<A: serde::de::SeqAccess<'de>>(
                        self,
                        mut seq: A,
                    ) -> Result<$name, A::Error> {
                        let mut out = $name::default();
                        $(if let Some(v) = seq.next_element()? {
                            out.$field = v;
                        })*
                        Ok(out)
                    }
                }

                d.deserialize_struct(stringify!($name), FIELDS, Fields)
            }
        }
    };
}
pub(crate) use k8s_struct;

/// Writes one field, or skips it when it holds its default value (so that
/// written objects stay as short as the ones people write). Out of line
/// for the reason [`read_value`] is.
#[inline(never)]
pub(crate) fn write_field<
    S: serde::ser::SerializeStruct,
    T: serde::Serialize + Default + PartialEq,
>(
    out: &mut S,
    name: &'static str,
    value: &T,
) -> Result<(), S::Error> {
    if is_default(value) {
        out.skip_field(name)
    } else {
        out.serialize_field(name, value)
    }
}

/// Reads a field's value into its place. One copy per field type, not
/// one per field: kept out of line, it makes every struct's decoder a
/// list of calls (16 KB gzip off the page's wasm when it was written).
#[inline(never)]
pub(crate) fn read_value<'de, A: serde::de::MapAccess<'de>, T: serde::Deserialize<'de>>(
    map: &mut A,
    place: &mut T,
) -> Result<(), A::Error> {
    *place = map.next_value()?;
    Ok(())
}

/// A top-level object: `apiVersion`, `kind`, `metadata`, then the body.
macro_rules! k8s_object {
    ($(#[$m:meta])* pub struct $name:ident {
        $($(#[doc = $doc:literal])* $(#[serde(rename = $rename:literal)])? $field:ident : $ty:ty,)*
    }) => {
        crate::model::k8s_struct! {
            $(#[$m])*
            pub struct $name {
                /// The API group and version of the kind, such as v1 or storage.k8s.io/v1.
                api_version: String,
                /// The kind of object.
                kind: String,
                /// Name, namespace, labels and annotations.
                metadata: crate::model::ObjectMeta,
                $($(#[doc = $doc])* $(#[serde(rename = $rename)])? $field: $ty,)*
            }
        }
    };
}
pub(crate) use k8s_object;

/// A field's name in YAML and JSON: its `#[serde(rename)]`, or its Rust
/// name in camelCase as serde's `rename_all = "camelCase"` spells it.
macro_rules! wire_name {
    ($field:ident $rename:literal) => {
        $rename
    };
    ($field:ident) => {{
        const SNAKE: &str = stringify!($field);
        const CAMEL: &[u8] = &crate::model::camel_case::<{ crate::model::camel_len(SNAKE) }>(SNAKE);
        match std::str::from_utf8(CAMEL) {
            Ok(name) => name,
            Err(_) => panic!("a field name is ASCII"),
        }
    }};
}
pub(crate) use wire_name;

/// The length of `snake` in camelCase: without its underscores.
pub(crate) const fn camel_len(snake: &str) -> usize {
    let b = snake.as_bytes();
    let (mut i, mut n) = (0, 0);
    while i < b.len() {
        if b[i] != b'_' {
            n += 1;
        }
        i += 1;
    }
    n
}

/// `storage_class_name` as `storageClassName`: serde's camelCase rule for
/// a field, which upper-cases the letter after each underscore and
/// lower-cases the first.
pub(crate) const fn camel_case<const N: usize>(snake: &str) -> [u8; N] {
    let b = snake.as_bytes();
    let mut out = [0; N];
    let (mut i, mut n, mut upper) = (0, 0, false);
    while i < b.len() {
        if b[i] == b'_' {
            upper = true;
        } else {
            out[n] = if upper && n > 0 {
                b[i].to_ascii_uppercase()
            } else if n == 0 {
                b[i].to_ascii_lowercase()
            } else {
                b[i]
            };
            upper = false;
            n += 1;
        }
        i += 1;
    }
    out
}

/// A struct's field key, found in its list of names (`None` for a field
/// the struct does not declare), as serde's derived field visitor reads
/// one: by name, as bytes, or by position.
pub(crate) struct FieldName(pub &'static [&'static str]);

impl<'de> serde::de::DeserializeSeed<'de> for FieldName {
    type Value = Option<usize>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Option<usize>, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl serde::de::Visitor<'_> for FieldName {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("field identifier")
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Option<usize>, E> {
        Ok(usize::try_from(v).ok().filter(|&i| i < self.0.len()))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Option<usize>, E> {
        Ok(self.0.iter().position(|f| *f == v))
    }

    fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Option<usize>, E> {
        Ok(self.0.iter().position(|f| f.as_bytes() == v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_are_serde_camel_case() {
        assert_eq!(wire_name!(storage_class_name), "storageClassName");
        assert_eq!(wire_name!(fs_type), "fsType");
        assert_eq!(wire_name!(nfs), "nfs");
        assert_eq!(wire_name!(scale_io "scaleIO"), "scaleIO");
    }

    #[test]
    fn decodes_as_serde_derive_does() {
        // Written by the derived Serialize, read back by the macro's decoder.
        let spec = PersistentVolumeSpec {
            storage_class_name: Some("fast".into()),
            access_modes: vec!["ReadWriteOnce".into()],
            scale_io: Some(serde_json::json!({"system": "s"})),
            csi: Some(CsiPersistentVolumeSource {
                driver: "d".into(),
                read_only: true,
                ..Default::default()
            }),
            ..Default::default()
        };
        let json = serde_json::to_value(&spec).unwrap();
        assert!(json.get("scaleIO").is_some() && json.get("storageClassName").is_some());
        assert_eq!(
            serde_json::from_value::<PersistentVolumeSpec>(json).unwrap(),
            spec
        );

        let unknown = serde_json::json!({"driver": "d", "color": "blue"});
        let csi: CsiPersistentVolumeSource = serde_json::from_value(unknown).unwrap();
        assert_eq!(csi.driver, "d");

        let duplicate = r#"{"driver": "a", "driver": "b"}"#;
        let err = serde_json::from_str::<CsiPersistentVolumeSource>(duplicate).unwrap_err();
        assert!(
            err.to_string().starts_with("duplicate field `driver`"),
            "{err}"
        );

        let wrong = serde_json::from_value::<CsiPersistentVolumeSource>(serde_json::json!(5));
        assert!(
            wrong
                .unwrap_err()
                .to_string()
                .contains("expected struct CsiPersistentVolumeSource")
        );
    }
}
