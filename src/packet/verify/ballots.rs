//! Reading a board's ballots: each one's hash over its canonical JSON, whether its bytes are
//! that canonical JSON, its choices, and what is wrong with it.
//!
//! The reference reading ([`read_ballot`]) parses a ballot into a `serde_json::Value`,
//! re-encodes it canonically and reads it with `Ballot::from_value`. On a million ballots
//! that is most of the verifier's time, spent building maps that are thrown away. So every
//! ballot first takes a fast path that gives the same answer whenever it applies: the top
//! level is read into borrowed fields with `choices` left raw, the canonical bytes are
//! assembled from them and must equal the ballot's bytes exactly, and each DISTINCT `choices`
//! text (a board has a few thousand at most: marks repeat) is read once, the reference way.
//! Any ballot the fast path is unsure of (different bytes, a field out of the ordinary, a
//! `choices` that is not canonical or not valid) is read the reference way instead, so
//! results and messages are those of the reference reading; a property test holds the two
//! paths to that.

use std::borrow::Cow;
use std::collections::HashMap;

use rayon::prelude::*;
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;

use super::show;
use crate::crypto::canonical::quote;
use crate::crypto::merkle::Hash;
use crate::crypto::{sha256, to_canonical};
use crate::domain::ballot::{Ballot, Choices, FORMAT_VERSION};

/// One ballot as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Read {
    /// SHA-256 of the ballot's canonical JSON, when it has one.
    pub hash: Option<Hash>,
    /// The choices, when the ballot is a v1 ballot of this congress and contest.
    pub choices: Option<Choices>,
    /// Whether the ballot's bytes are its canonical JSON.
    pub canonical: bool,
    /// What is wrong with it (Chinese), if anything.
    pub fault: Option<String>,
}

/// Reads every ballot of a board of `congress`/`contest`, in board order.
pub(super) fn read_all(ballots: &[&RawValue], congress: &str, contest: &str) -> Vec<Read> {
    let fast: Vec<Option<(Hash, &str)>> = ballots
        .par_iter()
        .map(|raw| fast_top(raw.get(), congress, contest))
        .collect();
    // Each distinct `choices` text, read once the reference way; `None` sends its ballots
    // down the reference path.
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut distinct: Vec<&str> = Vec::new();
    let which: Vec<Option<usize>> = fast
        .iter()
        .map(|f| {
            f.map(|(_, choices)| {
                *index.entry(choices).or_insert_with(|| {
                    distinct.push(choices);
                    distinct.len() - 1
                })
            })
        })
        .collect();
    let read_choices: Vec<Option<Choices>> = distinct
        .par_iter()
        .map(|raw| canonical_choices(raw))
        .collect();
    ballots
        .par_iter()
        .zip(fast.par_iter().zip(which.par_iter()))
        .map(
            |(raw, (f, w))| match (f, w.and_then(|i| read_choices[i].as_ref())) {
                (Some((hash, _)), Some(choices)) => Read {
                    hash: Some(*hash),
                    choices: Some(choices.clone()),
                    canonical: true,
                    fault: None,
                },
                _ => read_ballot(raw.get(), congress, contest),
            },
        )
        .collect()
}

/// The top level of a ballot, `choices` left unparsed.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Top<'a> {
    v: u64,
    #[serde(borrow)]
    congress: Cow<'a, str>,
    #[serde(borrow)]
    contest: Cow<'a, str>,
    #[serde(borrow)]
    ballot: Cow<'a, str>,
    #[serde(borrow)]
    choices: &'a RawValue,
    paper: Option<bool>,
}

/// The fast path's top level: the ballot's hash and its raw `choices`, when the ballot is
/// exactly `{"ballot":..,"choices":..,"congress":..,"contest":..[,"paper":true],"v":1}` in
/// canonical form (given canonical choices), of this congress and contest, ids non-empty.
fn fast_top<'a>(raw: &'a str, congress: &str, contest: &str) -> Option<(Hash, &'a str)> {
    let top: Top<'a> = serde_json::from_str(raw).ok()?;
    let usual = top.v == FORMAT_VERSION
        && top.paper != Some(false)
        && !top.ballot.is_empty()
        && !congress.is_empty()
        && !contest.is_empty()
        && top.congress == congress
        && top.contest == contest;
    if !usual {
        return None;
    }
    let choices = top.choices.get();
    let mut bytes = String::with_capacity(raw.len());
    bytes.push_str("{\"ballot\":");
    bytes.push_str(&quote(&top.ballot));
    bytes.push_str(",\"choices\":");
    bytes.push_str(choices);
    bytes.push_str(",\"congress\":");
    bytes.push_str(&quote(&top.congress));
    bytes.push_str(",\"contest\":");
    bytes.push_str(&quote(&top.contest));
    if top.paper == Some(true) {
        bytes.push_str(",\"paper\":true");
    }
    bytes.push_str(",\"v\":1}");
    (bytes == raw).then(|| (sha256(raw.as_bytes()), choices))
}

/// A `choices` text that is canonical and reads as choices.
fn canonical_choices(raw: &str) -> Option<Choices> {
    let value: Value = serde_json::from_str(raw).ok()?;
    if to_canonical(&value).ok()? != raw.as_bytes() {
        return None;
    }
    Choices::from_value(&value).ok()
}

/// The reference reading of one ballot.
pub(super) fn read_ballot(raw: &str, congress: &str, contest: &str) -> Read {
    let mut read = Read {
        hash: None,
        choices: None,
        canonical: false,
        fault: None,
    };
    // The board's parse already accepted these bytes as JSON; a failure here is only possible
    // through serde_json's own limits, and is reported like any other fault.
    let value: Value = match serde_json::from_str(raw) {
        Ok(v) => v,
        Err(e) => {
            read.fault = Some(format!("不是有效的 JSON: {e}"));
            return read;
        }
    };
    match to_canonical(&value) {
        Ok(bytes) => {
            read.canonical = bytes == raw.as_bytes();
            read.hash = Some(sha256(&bytes));
        }
        Err(e) => read.fault = Some(e.to_string()),
    }
    match Ballot::from_value(&value) {
        Ok(ballot) if ballot.congress != congress || ballot.contest != contest => {
            read.fault = Some(format!(
                "属于 {}/{},不属于本场 {congress}/{contest}",
                show(&ballot.congress),
                show(&ballot.contest)
            ));
        }
        Ok(ballot) => read.choices = Some(ballot.choices),
        Err(e) => read.fault = read.fault.take().or(Some(e.to_string())),
    }
    read
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::*;
    use crate::domain::ballot::Mark;

    fn canonical_text(b: &Ballot) -> String {
        String::from_utf8(to_canonical(&b.to_value()).unwrap()).unwrap()
    }

    /// Variations of a ballot's text, most of which the fast path must hand back.
    fn variants(text: &str) -> Vec<String> {
        vec![
            text.to_string(),
            text.replacen(',', ", ", 1),
            text.replace("\"v\":1", "\"v\":2"),
            text.replace("\"v\":1", "\"v\":1.0"),
            text.replace("\"v\":1}", "\"v\":1,\"paper\":false}"),
            text.replace("\"v\":1}", "\"v\":1,\"who\":\"王芳\"}"),
            text.replace(",\"v\":1}", ",\"paper\":true,\"v\":1}"),
            text.replace("\"contest\":\"presidium\"", "\"contest\":\"charter\""),
            text.replace("\"for\"", "\"\\u0066or\""),
            text.replace("{\"ballot\":\"", "{\"ballot\":\"\\\""),
            text.replace("\"ballot\":\"", "\"ballot\":\"\",\"x\":\""),
            text.replacen("\"c1\":", "\"c1\" :", 1),
            text.replace("\"choices\":{", "\"choices\":{\"c0\":\"for\","),
            text.replace("\"against\"", "\"maybe\""),
            text.replace("[\"", "[ \""),
        ]
    }

    fn election(marks: Vec<u8>, write_in: bool, paper: bool, id: String) -> Ballot {
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
        Ballot {
            congress: "xdh12".into(),
            contest: "presidium".into(),
            id,
            choices: Choices::Election { marks, write_ins },
            paper,
        }
    }

    proptest! {
        /// The fast path gives exactly what the reference reading gives, ballot by ballot.
        #[test]
        fn fast_and_reference_readings_agree(
            ballots in prop::collection::vec(
                (prop::collection::vec(0u8..3, 1..6), any::<bool>(), any::<bool>(), "[a-f0-9\"\\\\\u{7f}é]{0,6}"),
                1..8,
            ),
            pick in prop::collection::vec(0usize..15, 8),
        ) {
            let texts: Vec<String> = ballots
                .into_iter()
                .zip(&pick)
                .map(|((m, w, p, id), k)| variants(&canonical_text(&election(m, w, p, id)))[*k].clone())
                .collect();
            let board = format!("[{}]", texts.join(","));
            let raws: Vec<&RawValue> = serde_json::from_str(&board).unwrap();
            let fast = read_all(&raws, "xdh12", "presidium");
            for (raw, got) in raws.iter().zip(&fast) {
                prop_assert_eq!(got, &read_ballot(raw.get(), "xdh12", "presidium"), "{}", raw.get());
            }
        }
    }

    #[test]
    fn an_ordinary_ballot_takes_the_fast_path() {
        let text = canonical_text(&election(vec![0, 1, 2], true, true, "ab12".into()));
        let top = fast_top(&text, "xdh12", "presidium").unwrap();
        assert_eq!(top.0, sha256(text.as_bytes()));
        assert_eq!(
            top.1,
            r#"{"c0":"for","c1":"against","c2":"abstain","write_in":["孙悦"]}"#
        );
        assert_eq!(fast_top(&text, "xdh12", "charter"), None);
        assert_eq!(
            fast_top(&text.replacen(',', ", ", 1), "xdh12", "presidium"),
            None
        );
    }
}
