//! `resource.Quantity`: sizes such as `5Gi`, `500M`, `1.5Gi` or `1e3`.
//!
//! Upstream: kubernetes/apimachinery `pkg/api/resource/quantity.go` and
//! `suffix.go`. Parsing follows `parseQuantityString` step by step so that
//! the same inputs fail with the same one of its three errors.
//!
//! Simplification: upstream keeps arbitrary precision (`inf.Dec`); pvsim
//! keeps an exact count of nano-units in an `i128`, which holds every
//! quantity up to about 1.7 × 10^29 exactly (`800E` is 8 × 10^20). Larger
//! values are refused with a message saying so. As upstream, precision
//! below one nano-unit rounds up (away from zero).

use std::cmp::Ordering;
use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The format error, word for word as the API server prints it.
pub const ERR_FORMAT: &str =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
pub const ERR_SUFFIX: &str = "unable to parse quantity's suffix";
pub const ERR_NUMERIC: &str = "unable to parse numeric part of quantity";

const NANO: i128 = 1_000_000_000;

/// How a quantity was written; its canonical form keeps the family.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `Ki`, `Mi`, ... (powers of 1024)
    BinarySI,
    /// `m`, `k`, `M`, ... or no suffix
    DecimalSI,
    /// `1e3`
    DecimalExponent,
}

/// A parsed quantity: exact nano-units plus the written format.
#[derive(Clone, Copy, Debug)]
pub struct Parsed {
    nanos: i128,
    format: Format,
}

/// A quantity as written in a manifest. It keeps its source text, so that
/// an object written back is unchanged, and its exact value. As in the API
/// server, a quantity that does not parse fails decoding of the whole
/// object, with one of upstream's three messages, at the quantity's line.
#[derive(Clone, Debug)]
pub struct Quantity {
    text: String,
    parsed: Parsed,
}

impl Quantity {
    pub fn new(text: &str) -> Result<Quantity, String> {
        Ok(Quantity {
            text: text.to_owned(),
            parsed: Parsed::parse(text)?,
        })
    }

    /// The text as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn parsed(&self) -> Parsed {
        self.parsed
    }
}

impl PartialEq for Quantity {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for Quantity {}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Serialize for Quantity {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for Quantity {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Text;
        impl Visitor<'_> for Text {
            type Value = Quantity;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a quantity such as 5Gi")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Quantity, E> {
                Quantity::new(v).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Quantity, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Quantity, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Quantity, E> {
                self.visit_str(&v.to_string())
            }
        }
        // Our YAML deserializer answers this newtype name with the scalar's
        // exact source text; other deserializers fall back to the value.
        d.deserialize_newtype_struct(crate::yaml::de::RAW_TEXT, Text)
    }
}

struct Pieces<'s> {
    negative: bool,
    /// The number as written, sign stripped: digits with an optional `.`.
    value: &'s str,
    suffix: &'s str,
}

/// `parseQuantityString`, with the same cut points and the same errors.
fn split(s: &str) -> Result<Pieces<'_>, &'static str> {
    let b = s.as_bytes();
    let end = b.len();
    let mut pos = 0;
    let mut negative = false;
    if pos < end {
        match b[0] {
            b'-' => {
                negative = true;
                pos += 1;
            }
            b'+' => pos += 1,
            _ => {}
        }
    }
    let sign_len = pos;
    // The number: digits, then an optional '.' and digits.
    while pos < end && b[pos].is_ascii_digit() {
        pos += 1;
    }
    if pos < end && b[pos] == b'.' {
        pos += 1;
        while pos < end && b[pos].is_ascii_digit() {
            pos += 1;
        }
    }
    let value = &s[sign_len..pos];
    // The suffix: letters from the suffix alphabet, then an optional sign
    // and digits (the exponent form); anything after that is malformed.
    let suffix_start = pos;
    while pos < end && b"eEinumkKMGTP".contains(&b[pos]) {
        pos += 1;
    }
    if pos < end && (b[pos] == b'-' || b[pos] == b'+') {
        pos += 1;
    }
    while pos < end && b[pos].is_ascii_digit() {
        pos += 1;
    }
    if pos < end {
        return Err(ERR_FORMAT);
    }
    Ok(Pieces {
        negative,
        value,
        suffix: &s[suffix_start..],
    })
}

/// `(base, exponent, format)` for a suffix.
fn interpret(suffix: &str) -> Option<(u32, i32, Format)> {
    let decimal = |e| Some((10, e, Format::DecimalSI));
    let binary = |e| Some((2, e, Format::BinarySI));
    match suffix {
        "" => decimal(0),
        "n" => decimal(-9),
        "u" => decimal(-6),
        "m" => decimal(-3),
        "k" => decimal(3),
        "M" => decimal(6),
        "G" => decimal(9),
        "T" => decimal(12),
        "P" => decimal(15),
        "E" => decimal(18),
        "Ki" => binary(10),
        "Mi" => binary(20),
        "Gi" => binary(30),
        "Ti" => binary(40),
        "Pi" => binary(50),
        "Ei" => binary(60),
        _ if suffix.len() > 1 && (suffix.starts_with('e') || suffix.starts_with('E')) => {
            let e: i32 = suffix[1..].parse().ok()?;
            Some((10, e, Format::DecimalExponent))
        }
        _ => None,
    }
}

const TOO_LARGE: &str =
    "quantity is too large for pvsim to represent exactly (the limit is about 10^29)";

impl Parsed {
    pub fn parse(s: &str) -> Result<Parsed, String> {
        if s.is_empty() {
            return Err(ERR_FORMAT.to_owned());
        }
        let p = split(s).map_err(str::to_owned)?;
        let (base, exp, format) = interpret(p.suffix).ok_or_else(|| ERR_SUFFIX.to_owned())?;
        let (int, frac) = p.value.split_once('.').unwrap_or((p.value, ""));
        if int.is_empty() && frac.is_empty() {
            return Err(ERR_NUMERIC.to_owned());
        }
        // digits × 10^(−frac.len()) × base^exp, in nano-units, rounded up.
        let digits = format!("{int}{frac}");
        let digits = digits.trim_start_matches('0');
        let mut num: u128 = if digits.is_empty() {
            0
        } else {
            digits.parse().map_err(|_| TOO_LARGE.to_owned())?
        };
        let mut ten_exp = 9 - i64::try_from(frac.len()).unwrap_or(i64::MAX);
        if base == 2 {
            num = num
                .checked_mul(1u128 << exp)
                .ok_or_else(|| TOO_LARGE.to_owned())?;
        } else {
            ten_exp += i64::from(exp);
        }
        let magnitude = if ten_exp >= 0 {
            let scale = u32::try_from(ten_exp)
                .ok()
                .and_then(|e| 10u128.checked_pow(e));
            match scale {
                Some(m) => num.checked_mul(m),
                None if num == 0 => Some(0),
                None => None,
            }
            .ok_or_else(|| TOO_LARGE.to_owned())?
        } else {
            match u32::try_from(-ten_exp)
                .ok()
                .and_then(|e| 10u128.checked_pow(e))
            {
                Some(d) => num.div_ceil(d),
                // Dividing by more than u128 holds: any non-zero rounds up to 1.
                None => u128::from(num > 0),
            }
        };
        let nanos = i128::try_from(magnitude).map_err(|_| TOO_LARGE.to_owned())?;
        Ok(Parsed {
            nanos: if p.negative { -nanos } else { nanos },
            format,
        })
    }

    pub fn is_positive(&self) -> bool {
        self.nanos > 0
    }

    /// `Value()`: whole units, rounded up.
    pub fn value(&self) -> i128 {
        self.nanos.div_euclid(NANO) + i128::from(self.nanos.rem_euclid(NANO) != 0)
    }

    /// The nano-unit count, for exact arithmetic.
    pub fn nanos(&self) -> i128 {
        self.nanos
    }

    /// The canonical form `kubectl` prints: `1.5Gi` → `1536Mi`, `1.5` →
    /// `1500m`, `1000M` → `1G`.
    pub fn canonical(&self) -> String {
        let sign = if self.nanos < 0 { "-" } else { "" };
        let abs = self.nanos.unsigned_abs();
        let whole = abs.is_multiple_of(1_000_000_000);
        let mut format = self.format;
        // Small or fractional binary values print in decimal (upstream:
        // "this avoids rounding and hopefully confusion").
        if format == Format::BinarySI && (abs < 1024 * 1_000_000_000 || !whole) {
            format = Format::DecimalSI;
        }
        if format == Format::BinarySI {
            let mut n = abs / 1_000_000_000;
            let mut k = 0;
            while k < 6 && n.is_multiple_of(1024) && n != 0 {
                n /= 1024;
                k += 1;
            }
            return format!("{sign}{n}{}", ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][k]);
        }
        if abs == 0 {
            return "0".into();
        }
        let mut mantissa = abs;
        let mut exp: i32 = -9;
        while exp < 18 && mantissa.is_multiple_of(1000) {
            mantissa /= 1000;
            exp += 3;
        }
        let suffix = match format {
            Format::DecimalExponent if exp == 0 => String::new(),
            Format::DecimalExponent => format!("e{exp}"),
            _ => match exp {
                -9 => "n",
                -6 => "u",
                -3 => "m",
                0 => "",
                3 => "k",
                6 => "M",
                9 => "G",
                12 => "T",
                15 => "P",
                _ => "E",
            }
            .to_owned(),
        };
        format!("{sign}{mantissa}{suffix}")
    }
}

impl PartialEq for Parsed {
    fn eq(&self, other: &Self) -> bool {
        self.nanos == other.nanos
    }
}

impl Eq for Parsed {}

impl PartialOrd for Parsed {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Parsed {
    fn cmp(&self, other: &Self) -> Ordering {
        self.nanos.cmp(&other.nanos)
    }
}

/// `<n>Gi` or `<n>Mi` when the size is whole, else bytes.
pub fn binary_quantity(bytes: i128) -> Quantity {
    let text = [(40, "Ti"), (30, "Gi"), (20, "Mi"), (10, "Ki")]
        .iter()
        .find(|(shift, _)| bytes > 0 && bytes % (1 << shift) == 0)
        .map_or_else(
            || bytes.to_string(),
            |(shift, suffix)| format!("{}{suffix}", bytes >> shift),
        );
    Quantity::new(&text).expect("a size pvsim writes is a valid quantity")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(s: &str) -> String {
        Parsed::parse(s).unwrap().canonical()
    }

    fn err(s: &str) -> String {
        Parsed::parse(s).unwrap_err()
    }

    #[test]
    fn values_from_upstream_parse_table() {
        let v = |s: &str| Parsed::parse(s).unwrap().value();
        assert_eq!(v("1Ki"), 1024);
        assert_eq!(v("7Mi"), 7 << 20);
        assert_eq!(v("6Gi"), 6 << 30);
        assert_eq!(v("8k"), 8000);
        assert_eq!(v("50k"), 50_000);
        assert_eq!(v("7M"), 7_000_000);
        assert_eq!(v("6G"), 6_000_000_000);
        assert_eq!(v("1E"), 1_000_000_000_000_000_000);
        assert_eq!(v("12E"), 12_000_000_000_000_000_000);
        assert_eq!(v("100.035k"), 100_035);
        assert_eq!(v("0.5Mi"), 524_288);
        assert_eq!(v("1.G"), 1_000_000_000);
        assert_eq!(v("1e3"), 1000);
        assert_eq!(v("1.3E+6"), 1_300_000);
        assert_eq!(v("5G"), 5_000_000_000);
        // Value() rounds up: 500m of storage is one byte.
        assert_eq!(v("500m"), 1);
        assert_eq!(v("1E-3"), 1);
    }

    #[test]
    fn canonical_forms_kubectl_prints() {
        assert_eq!(canon("1.5Gi"), "1536Mi");
        assert_eq!(canon("1.5"), "1500m");
        assert_eq!(canon("1024Mi"), "1Gi");
        assert_eq!(canon("0.5Mi"), "512Ki");
        assert_eq!(canon("1000M"), "1G");
        assert_eq!(canon(".001"), "1m");
        assert_eq!(canon("3.001n"), "4n");
        assert_eq!(canon("100.035k"), "100035");
        assert_eq!(canon("800E"), "800E");
        assert_eq!(canon("1e3"), "1e3");
        assert_eq!(canon("10Gi"), "10Gi");
        assert_eq!(canon("512"), "512");
        assert_eq!(canon("-1Gi"), "-1Gi");
        assert_eq!(canon("0"), "0");
        assert_eq!(canon("+5Gi"), "5Gi");
    }

    #[test]
    fn comparison_is_exact() {
        let p = |s: &str| Parsed::parse(s).unwrap();
        assert!(p("1Gi") > p("1G"));
        assert_eq!(p("1024Mi"), p("1Gi"));
        assert!(p("800E") > p("799E"));
        assert!(p("800E") > p("8Ei"));
        assert!(p("1000000000000000000001") > p("1E"));
        assert!(p("9Ei") > p("9E"));
    }

    #[test]
    fn the_three_errors() {
        for bad in [
            "", "1GB", "1Gb", "aoeu", " 1", "1 ", "1.1.M", "5 Gi", "1g", "1gi",
        ] {
            assert_eq!(err(bad), ERR_FORMAT, "{bad:?}");
        }
        for bad in ["1ki", "0.1mi", "1i", "1K", "1e"] {
            assert_eq!(err(bad), ERR_SUFFIX, "{bad:?}");
        }
        assert_eq!(err("."), ERR_NUMERIC);
        assert_eq!(err("Gi"), ERR_NUMERIC);
    }

    #[test]
    fn huge_values_are_refused_with_a_reason() {
        assert!(err("1e40").contains("too large"));
        assert!(err("99999999999999999999999999999999999999999999").contains("too large"));
    }
}
