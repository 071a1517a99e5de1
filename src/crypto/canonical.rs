//! Canonical JSON of `docs/formats.md`: RFC 8785 (JCS) restricted to objects, arrays, strings,
//! integers, booleans and null, so that a hash or signature over a record is reproducible by
//! anyone with Python's `json.dumps(x, sort_keys=True, separators=(",", ":"),
//! ensure_ascii=False).encode()`.
//!
//! The rules, exactly:
//! - no insignificant whitespace; UTF-8 output;
//! - object members sorted by the Unicode code points of their keys (equivalently, by their UTF-8
//!   bytes). RFC 8785 sorts by UTF-16 code units instead; the two orders differ only when one
//!   key has a character above U+FFFF (e.g. an emoji) where another has one in U+E000..U+FFFF
//!   (e.g. the full-width comma U+FF0C). We follow code points because that is what Python's
//!   `sort_keys` does and what our spec promises; a test pins the difference down;
//! - strings: `"` and `\` escaped as `\"` and `\\`; U+0008, U+000C, U+000A, U+000D, U+0009 as
//!   `\b \f \n \r \t`; the other controls below U+0020 as `\u00xx` with lower-case hex; nothing
//!   else is escaped (U+007F, U+2028 and all non-ASCII stay raw);
//! - numbers: integers in the i64 or u64 range, in plain decimal. Floats are an error, never
//!   rounded, because a float's text form is where independent implementations disagree.

use serde::Serialize;
use serde_json::Value;

use super::CryptoError;

/// Canonical JSON bytes of a `serde_json::Value`. Fails on a non-integer number, naming where.
pub fn to_canonical(value: &Value) -> Result<Vec<u8>, CryptoError> {
    to_canonical_string(value).map(String::into_bytes)
}

/// Canonical JSON of a `serde_json::Value` as a `String` (the same bytes as [`to_canonical`]).
pub fn to_canonical_string(value: &Value) -> Result<String, CryptoError> {
    let mut out = String::with_capacity(256);
    write_value(value, &mut out).map_err(|err| err.into_crypto_error())?;
    Ok(out)
}

/// Canonical JSON bytes of any serialisable value (through `serde_json::to_value`).
pub fn canonical<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, CryptoError> {
    let value = serde_json::to_value(value).map_err(|e| CryptoError::Serialize(e.to_string()))?;
    to_canonical(&value)
}

/// A string as a canonical JSON string literal (quotes included), for callers that assemble
/// a fixed-shape object themselves and so cannot fail.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    write_str(s, &mut out);
    out
}

/// A non-integer number found while writing; the JSON Pointer is assembled on the way back
/// out of the recursion so that the happy path never builds paths.
struct NotIntegerAt {
    /// Path segments, innermost first.
    segments: Vec<String>,
    value: String,
}

impl NotIntegerAt {
    fn into_crypto_error(self) -> CryptoError {
        let path = self
            .segments
            .iter()
            .rev()
            // RFC 6901: "~" is written "~0" and "/" is written "~1" inside a segment.
            .map(|s| format!("/{}", s.replace('~', "~0").replace('/', "~1")))
            .collect::<String>();
        CryptoError::NotInteger {
            path,
            value: self.value,
        }
    }

    fn under(mut self, segment: String) -> Self {
        self.segments.push(segment);
        self
    }
}

fn write_value(value: &Value, out: &mut String) -> Result<(), NotIntegerAt> {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                out.push_str(&i.to_string());
            } else if let Some(u) = n.as_u64() {
                out.push_str(&u.to_string());
            } else {
                return Err(NotIntegerAt {
                    segments: Vec::new(),
                    value: n.to_string(),
                });
            }
        }
        Value::String(s) => write_str(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(item, out).map_err(|e| e.under(i.to_string()))?;
            }
            out.push(']');
        }
        Value::Object(map) => {
            // Sort explicitly: `serde_json::Map` keeps insertion order when any crate in the
            // build enables `preserve_order`. `str` ordering is UTF-8 byte order, which is code
            // point order.
            let mut members: Vec<(&String, &Value)> = map.iter().collect();
            members.sort_unstable_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (i, (key, item)) in members.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_str(key, out);
                out.push(':');
                write_value(item, out).map_err(|e| e.under(key.clone()))?;
            }
            out.push('}');
        }
    }
    Ok(())
}

fn write_str(s: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    // Copy unescaped runs in one go; every byte that needs escaping is ASCII, so run
    // boundaries always fall on character boundaries.
    let mut run_start = 0;
    for (i, b) in s.bytes().enumerate() {
        let short = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            0x08 => "\\b",
            0x0c => "\\f",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x00..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[run_start..i]);
        run_start = i + 1;
        if short.is_empty() {
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0x0f)]));
        } else {
            out.push_str(short);
        }
    }
    out.push_str(&s[run_start..]);
    out.push('"');
}

#[cfg(test)]
#[path = "canonical_tests.rs"]
mod tests;
