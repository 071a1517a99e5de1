//! The fast reading holds to the reference reading, ballot by ballot, signatures included.

use std::collections::BTreeMap;

use proptest::prelude::*;

use super::*;
use crate::domain::ballot::Mark;
use crate::packet::test_data::{contest_key, signed_serial};

fn canonical_text(b: &Ballot) -> String {
    String::from_utf8(to_canonical(&b.to_value()).unwrap()).unwrap()
}

/// Variations of a ballot's text, most of which the fast path must hand back.
fn variants(text: &str) -> Vec<String> {
    vec![
        text.to_string(),
        text.replacen(',', ", ", 1),
        text.replace("\"v\":1", "\"v\":2")
            .replace("\"v\":2}", "\"v\":1}"),
        text.replace("\"v\":2", "\"v\":2.0")
            .replace("\"v\":1", "\"v\":1.0"),
        text.replace("\"v\":1}", "\"v\":1,\"paper\":false}"),
        text.replace("\"v\":2}", "\"v\":2,\"who\":\"王芳\"}"),
        text.replace(",\"v\":1}", ",\"paper\":true,\"v\":1}")
            .replace(",\"v\":2}", ",\"paper\":true,\"v\":2}"),
        text.replace("\"contest\":\"presidium\"", "\"contest\":\"charter\""),
        text.replace("\"for\"", "\"\\u0066or\""),
        text.replace("{\"ballot\":\"", "{\"ballot\":\"\\\""),
        text.replace("\"token\":\"0", "\"token\":\"\\u0030"),
        text.replacen("\"c1\":", "\"c1\" :", 1),
        text.replace("\"choices\":{", "\"choices\":{\"c0\":\"for\","),
        text.replace("\"against\"", "\"maybe\""),
        text.replace("[\"", "[ \""),
        // A signature of the wrong length (still canonical base64), a token too long.
        text.replace("\"token_sig\":\"", "\"token_sig\":\"AAAA"),
        text.replace("\"token\":\"", "\"token\":\"0"),
    ]
}

fn election(marks: Vec<u8>, write_in: bool, serial: u8, id: String) -> Ballot {
    let marks: BTreeMap<String, Mark> = marks
        .iter()
        .enumerate()
        .map(|(i, m)| (format!("c{i}"), Mark::ALL[usize::from(*m % 3)]))
        .collect();
    let write_ins = if write_in {
        vec!["孙悦".to_string()]
    } else {
        Vec::new()
    };
    let serial = match serial % 4 {
        0 | 1 => signed_serial("presidium", usize::from(serial)),
        2 => Serial::Unsigned { id, paper: false },
        _ => Serial::Unsigned { id, paper: true },
    };
    Ballot {
        congress: "xdh12".into(),
        contest: "presidium".into(),
        choices: Choices::Election { marks, write_ins },
        serial,
    }
}

proptest! {
    /// The fast path gives exactly what the reference reading gives, ballot by ballot,
    /// signature included.
    #[test]
    fn fast_and_reference_readings_agree(
        ballots in prop::collection::vec(
            (prop::collection::vec(0u8..3, 1..6), any::<bool>(), 0u8..8, "[a-f0-9\"\\\\\u{7f}é]{0,6}"),
            1..8,
        ),
        pick in prop::collection::vec(0usize..17, 8),
    ) {
        let key = Some(contest_key().public_key());
        let texts: Vec<String> = ballots
            .into_iter()
            .zip(&pick)
            .map(|((m, w, p, id), k)| variants(&canonical_text(&election(m, w, p, id)))[*k].clone())
            .collect();
        let board = format!("[{}]", texts.join(","));
        let raws: Vec<&RawValue> = serde_json::from_str(&board).unwrap();
        let texts: Vec<&str> = raws.iter().map(|r| r.get()).collect();
        let sigs = Signatures::Check(key);
        let fast = read_all(&texts, "xdh12", "presidium", sigs);
        for (i, (raw, got)) in texts.iter().zip(&fast.reads).enumerate() {
            let reference = read_ballot(raw, "xdh12", "presidium", sigs);
            let one = Reads { reads: vec![reference.clone()], distinct: Vec::new() };
            // The same reading: choices, token, fault, hash, signature.
            prop_assert_eq!(fast.choices_of(got), one.choices_of(&reference), "{}", raw);
            prop_assert_eq!(fast.token_of(i, raw), one.token_of(0, raw), "{}", raw);
            prop_assert_eq!(got.fault(), reference.fault(), "{}", raw);
            prop_assert_eq!(
                (got.hash, got.canonical, got.version, got.signed, got.token_key),
                (reference.hash, reference.canonical, reference.version, reference.signed, reference.token_key),
                "{}", raw
            );
        }
    }
}

#[test]
fn an_ordinary_ballot_takes_the_fast_path_and_its_signature_is_checked() {
    let key = Some(contest_key().public_key());
    let text = canonical_text(&election(vec![0, 1, 2], true, 1, "ab12".into()));
    let top = fast_top(&text, "xdh12", "presidium").unwrap();
    assert_eq!(top.hash, sha256(text.as_bytes()));
    assert_eq!(
        top.choices,
        r#"{"c0":"for","c1":"against","c2":"abstain","write_in":["孙悦"]}"#
    );
    assert!(fast_top(&text, "xdh12", "charter").is_none());
    let spaced = text.replace(",\"congress\"", ", \"congress\"");
    assert!(fast_top(&spaced, "xdh12", "presidium").is_none());
    let texts = [text.as_str()];
    let read = read_all(&texts, "xdh12", "presidium", Signatures::Check(key)).reads;
    assert_eq!((read[0].signed, read[0].version), (Signed::Good, Some(2)));
    assert!(read[0].token_key.is_some());
    assert!(read[0].slow.is_none(), "the fast path");
    // Without the contest key nothing verifies; the count does not check at all.
    let read = read_all(&texts, "xdh12", "presidium", Signatures::Check(None)).reads;
    assert_eq!(read[0].signed, Signed::Bad);
    let read = read_all(&texts, "xdh12", "presidium", Signatures::Skip).reads;
    assert_eq!(read[0].signed, Signed::Unsigned);
    // A v1 ballot has nothing to verify.
    let v1 = canonical_text(&election(vec![0], false, 3, "ab12".into()));
    let read = read_all(&[v1.as_str()], "xdh12", "presidium", Signatures::Check(key)).reads;
    assert_eq!(
        (read[0].signed, read[0].version),
        (Signed::Unsigned, Some(1))
    );
}
