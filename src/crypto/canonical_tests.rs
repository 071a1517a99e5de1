//! Tests of canonical JSON: hand-written byte strings, Python's `json.dumps` as an independent
//! implementation, and round-trip properties.

use super::*;
use crate::crypto::sha256_hex;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use serde_json::json;
use std::io::Write;
use std::process::{Command, Stdio};

fn canon(value: &Value) -> String {
    to_canonical_string(value).unwrap()
}

#[test]
fn sorts_keys_and_drops_whitespace() {
    let value = json!({"b": 1, "a": [true, false, null], "c": {"z": "x", "y": -5}});
    assert_eq!(
        canon(&value),
        r#"{"a":[true,false,null],"b":1,"c":{"y":-5,"z":"x"}}"#
    );
    assert_eq!(canon(&json!({})), "{}");
    assert_eq!(canon(&json!([])), "[]");
    assert_eq!(canon(&json!("")), r#""""#);
}

#[test]
fn ballot_of_the_spec_hashes_as_sha256sum_does() {
    // Key order as a caller would write it; the bytes and the digest were checked with
    // `printf '%s' '<bytes>' | sha256sum`.
    let ballot = json!({
        "v": 1, "congress": "xdh-2025", "contest": "zhuxituan",
        "ballot": "3f2a9c1e5b7d40a18e6f2c9b0d4a7e31",
        "choices": {"c02": "against", "c01": "for", "c03": "abstain", "write_in": ["王小明"]}
    });
    let bytes = to_canonical(&ballot).unwrap();
    assert_eq!(
        String::from_utf8(bytes.clone()).unwrap(),
        r#"{"ballot":"3f2a9c1e5b7d40a18e6f2c9b0d4a7e31","choices":{"c01":"for","c02":"against","c03":"abstain","write_in":["王小明"]},"congress":"xdh-2025","contest":"zhuxituan","v":1}"#
    );
    assert_eq!(
        sha256_hex(&bytes),
        "abc25bf3a36416251a236e2defdfe20cb7c0a969f5407f5fdebde0102c9bbe1a"
    );
}

#[test]
fn escapes_exactly_the_json_specials() {
    let s = "引号\"反斜杠\\\u{8}\u{c}\n\r\t\u{0}\u{1f}\u{7f}\u{2028}😀";
    let mut expected = Vec::new();
    expected.extend_from_slice("\"引号\\\"反斜杠\\\\\\b\\f\\n\\r\\t\\u0000\\u001f".as_bytes());
    expected.push(0x7f); // DEL stays raw
    expected.extend_from_slice(&[0xe2, 0x80, 0xa8]); // U+2028 stays raw
    expected.extend_from_slice(&[0xf0, 0x9f, 0x98, 0x80]); // 😀 stays raw
    expected.push(b'"');
    assert_eq!(to_canonical(&json!(s)).unwrap(), expected);
    // Every other control character takes the \u00xx form with lower-case hex.
    assert_eq!(
        canon(&json!("\u{1}\u{b}\u{e}\u{1a}")),
        r#""\u0001\u000b\u000e\u001a""#
    );
    // The solidus is not escaped (RFC 8785 and Python agree).
    assert_eq!(canon(&json!("a/b")), r#""a/b""#);
}

#[test]
fn key_order_is_code_point_order_not_utf16() {
    // U+FF0C (full-width comma) < U+1F600 (emoji) by code point, but in UTF-16 the emoji's
    // surrogate 0xD83D sorts before 0xFF0C. We (and Python's sort_keys) use code points.
    let value = json!({"，": 1, "😀": 2, "a": 3, "B": 4, "é": 5, "中": 6});
    assert_eq!(canon(&value), r#"{"B":4,"a":3,"é":5,"中":6,"，":1,"😀":2}"#);
}

#[test]
fn integers_at_the_limits_and_no_floats() {
    assert_eq!(canon(&json!(u64::MAX)), "18446744073709551615");
    assert_eq!(canon(&json!(i64::MIN)), "-9223372036854775808");
    assert_eq!(canon(&json!(0)), "0");
    match to_canonical(&json!({"a": [1, 2.5]})) {
        Err(CryptoError::NotInteger { path, value }) => {
            assert_eq!(path, "/a/1");
            assert_eq!(value, "2.5");
        }
        other => panic!("expected NotInteger, got {other:?}"),
    }
    // A float with an integral value is still a float: refused, not silently rewritten.
    let parsed: Value = serde_json::from_str(r#"{"票数/总":{"x~y":3.0}}"#).unwrap();
    match to_canonical(&parsed) {
        Err(CryptoError::NotInteger { path, .. }) => assert_eq!(path, "/票数~1总/x~0y"),
        other => panic!("expected NotInteger, got {other:?}"),
    }
    assert!(matches!(
        to_canonical(&json!(1e300)),
        Err(CryptoError::NotInteger { .. })
    ));
}

#[test]
fn canonical_of_a_struct_and_of_unserialisable_values() {
    #[derive(Serialize)]
    struct Row<'a> {
        name: &'a str,
        college: &'a str,
        seats: u32,
    }
    let row = Row {
        name: "李华",
        college: "计算机学院",
        seats: 3,
    };
    assert_eq!(
        canonical(&row).unwrap(),
        r#"{"college":"计算机学院","name":"李华","seats":3}"#.as_bytes()
    );
    let mut bad = std::collections::BTreeMap::new();
    bad.insert(vec![1u8], 1);
    assert!(matches!(canonical(&bad), Err(CryptoError::Serialize(_))));
    assert!(matches!(
        canonical(&1.5f64),
        Err(CryptoError::NotInteger { .. })
    ));
}

/// Python's json.dumps on each value, or `None` (with a note) when python3 is not usable here.
fn python_dumps(values: &[Value]) -> Option<Vec<Vec<u8>>> {
    let probe = Command::new("python3").args(["-c", "import json"]).output();
    if !matches!(probe, Ok(ref out) if out.status.success()) {
        eprintln!("python3 不可用,跳过与 Python json.dumps 的对照测试 (skipped)");
        return None;
    }
    let script = "import json,sys\n\
        for line in sys.stdin.buffer:\n\
        \x20   x = json.loads(line)\n\
        \x20   sys.stdout.buffer.write(json.dumps(x, sort_keys=True, separators=(',', ':'), \
        ensure_ascii=False).encode() + b'\\n')\n";
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = Vec::new();
    for value in values {
        // serde_json escapes every control character, so each value is one line.
        serde_json::to_writer(&mut input, value).unwrap();
        input.push(b'\n');
    }
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(
        out.status.success(),
        "python3 failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut lines: Vec<Vec<u8>> = out
        .stdout
        .split(|b| *b == b'\n')
        .map(<[u8]>::to_vec)
        .collect();
    assert_eq!(lines.pop(), Some(Vec::new()), "output ends with a newline");
    assert_eq!(lines.len(), values.len());
    Some(lines)
}

#[test]
fn agrees_with_python_on_tricky_values() {
    let values = vec![
        json!({"姓名": "张三", "学院": "外国语学院", "票": {"赞成": 120, "反对": 3, "弃权": 0}}),
        json!([
            "😀",
            "𠀀",
            "\u{2028}\u{2029}",
            "\u{7f}",
            "\u{0}\u{1}\u{1f}",
            "\"\\/"
        ]),
        json!({"，": 1, "😀": 2, "\u{e000}": 3, "a": {"b": {"c": [[], {}, [null]]}}}),
        json!({"write_in": ["欧阳娜娜", "阿卜杜热合曼·买买提"], "vote": "abstain"}),
        json!([u64::MAX, i64::MIN, 0, -1, true, false, null]),
        json!("\t换行\n回车\r退格\u{8}换页\u{c}"),
    ];
    let Some(python) = python_dumps(&values) else {
        return;
    };
    for (value, py) in values.iter().zip(python) {
        assert_eq!(
            to_canonical(value).unwrap(),
            py,
            "value {value} differs from Python"
        );
    }
}

fn arb_string() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[\\x00-\\x1f\"\\\\/a-zA-Z0-9 中文，。😀\u{2028}\u{7f}\u{e000}]{0,12}",
    ]
}

fn arb_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        arb_string().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            // Members in random order, so sorting is exercised whatever Map preserves.
            prop::collection::vec((arb_string(), inner), 0..8)
                .prop_map(|members| Value::Object(members.into_iter().collect())),
        ]
    })
}

#[test]
fn agrees_with_python_on_random_values() {
    let mut runner = TestRunner::deterministic();
    let strategy = arb_value();
    let values: Vec<Value> = (0..300)
        .map(|_| strategy.new_tree(&mut runner).unwrap().current())
        .collect();
    let Some(python) = python_dumps(&values) else {
        return;
    };
    for (value, py) in values.iter().zip(python) {
        assert_eq!(to_canonical(value).unwrap(), py, "value {value}");
    }
}

proptest! {
    #[test]
    fn round_trips_and_is_idempotent(value in arb_value()) {
        let bytes = to_canonical(&value).unwrap();
        let parsed: Value = serde_json::from_slice(&bytes).unwrap();
        prop_assert_eq!(&parsed, &value);
        prop_assert_eq!(to_canonical(&parsed).unwrap(), bytes.clone());
        // serde_json's own writer escapes the same way; on the sorted re-parse it must agree.
        prop_assert_eq!(serde_json::to_vec(&parsed).unwrap(), bytes);
    }
}
