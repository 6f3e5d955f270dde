//! Writes a JSON value as block YAML, the way `kubectl get -o yaml` lays it
//! out: two-space indents, sequences of mappings as `- key: value`, strings
//! quoted only when they would otherwise read as something else.

use serde_json::Value;

/// The value as a YAML document.
pub fn to_yaml(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(m) if !m.is_empty() => map(&mut out, m, 0),
        Value::Array(a) if !a.is_empty() => seq(&mut out, a, 0),
        other => {
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
    out
}

fn indent(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

fn map(out: &mut String, m: &serde_json::Map<String, Value>, depth: usize) {
    for (i, (k, v)) in m.iter().enumerate() {
        if i > 0 {
            indent(out, depth);
        }
        out.push_str(&string(k));
        out.push(':');
        value_after_key(out, v, depth);
    }
}

fn value_after_key(out: &mut String, v: &Value, depth: usize) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            out.push('\n');
            indent(out, depth + 2);
            map(out, m, depth + 2);
        }
        Value::Array(a) if !a.is_empty() => {
            out.push('\n');
            indent(out, depth);
            seq(out, a, depth);
        }
        other => {
            out.push(' ');
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
}

fn seq(out: &mut String, a: &[Value], depth: usize) {
    for (i, v) in a.iter().enumerate() {
        if i > 0 {
            indent(out, depth);
        }
        out.push_str("- ");
        match v {
            Value::Object(m) if !m.is_empty() => map(out, m, depth + 2),
            Value::Array(inner) if !inner.is_empty() => seq(out, inner, depth + 2),
            other => {
                out.push_str(&scalar(other));
                out.push('\n');
            }
        }
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => string(s),
        Value::Array(_) => "[]".into(),
        Value::Object(_) => "{}".into(),
    }
}

/// A string, quoted when plain style would change its meaning.
pub(crate) fn string(s: &str) -> String {
    let lower = s.to_ascii_lowercase();
    let reads_as_other = matches!(
        lower.as_str(),
        "" | "~" | "null" | "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n"
    ) || s.parse::<f64>().is_ok()
        || s.starts_with("0x")
        || s.starts_with("0o")
        || looks_like_timestamp(s);
    let special = s.starts_with(|c: char| c.is_whitespace() || "-?:,[]{}#&*!|>'\"%@`".contains(c))
        || s.ends_with(char::is_whitespace)
        || s.contains(": ")
        || s.contains(" #")
        || s.ends_with(':')
        || s.chars().any(char::is_control);
    if reads_as_other || special {
        serde_json::to_string(s).unwrap_or_default()
    } else {
        s.to_owned()
    }
}

/// `2026-01-01` or `2026-01-01T00:00:00Z`: YAML 1.1 reads these as
/// timestamps, so kubectl quotes them.
fn looks_like_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_kubectl_style_yaml() {
        let v = serde_json::json!({
            "apiVersion": "v1",
            "items": [{"kind": "PersistentVolume", "spec": {"accessModes": ["ReadWriteOnce"], "capacity": {"storage": "10Gi"}}}],
            "metadata": {"resourceVersion": "", "labels": {}},
            "odd": ["yes", "1.5", "a: b", "-x", "plain", "2026-01-01T00:00:00Z"],
        });
        let expected = "\
apiVersion: v1
items:
- kind: PersistentVolume
  spec:
    accessModes:
    - ReadWriteOnce
    capacity:
      storage: 10Gi
metadata:
  labels: {}
  resourceVersion: \"\"
odd:
- \"yes\"
- \"1.5\"
- \"a: b\"
- \"-x\"
- plain
- \"2026-01-01T00:00:00Z\"
";
        assert_eq!(to_yaml(&v), expected);
    }
}
