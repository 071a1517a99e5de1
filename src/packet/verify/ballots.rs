//! Reading a board's ballots: each one's hash over its canonical JSON, whether its bytes are
//! that canonical JSON, its choices, its token and whether the contest key's signature over
//! the token verifies (v2), and what is wrong with it.
//!
//! The reference reading ([`read_ballot`]) parses a ballot into a `serde_json::Value`,
//! re-encodes it canonically and reads it with `Ballot::from_value`. On a million ballots
//! that is most of the verifier's time (after the signatures), spent building maps that are
//! thrown away. So every ballot first takes a fast path that gives the same answer whenever it
//! applies: the top level is read into borrowed fields with `choices` left raw, the canonical
//! bytes are assembled from them and must equal the ballot's bytes exactly, and each DISTINCT
//! `choices` text (a board has a few thousand at most: marks repeat) is read once, the
//! reference way. Any ballot the fast path is unsure of (different bytes, a field out of the
//! ordinary, a `choices` that is not canonical or not valid) is read the reference way
//! instead, so results and messages are those of the reference reading; a property test holds
//! the two paths to that. Signatures are checked the same way on both paths, in parallel.

use std::borrow::Cow;
use std::collections::HashMap;

use base64::Engine;
use rayon::prelude::*;
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;

use super::show;
use crate::crypto::blind::{ContestPublicKey, TOKEN_LEN};
use crate::crypto::canonical::quote;
use crate::crypto::merkle::Hash;
use crate::crypto::{sha256, to_canonical};
use crate::domain::ballot::{
    is_token_hex, Ballot, Choices, Serial, FORMAT_VERSION, FORMAT_VERSION_1,
};

/// What the signature of a ballot's token came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Signed {
    /// No signature to check: a v1 ballot, or one that could not be read.
    Unsigned,
    /// The contest key's signature over the token verifies.
    Good,
    /// It does not (or there is no contest key to check it with).
    Bad,
}

/// One ballot as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Read {
    /// SHA-256 of the ballot's canonical JSON, when it has one.
    pub hash: Option<Hash>,
    /// The choices, when the ballot is a ballot of this congress and contest.
    pub choices: Option<Choices>,
    /// Whether the ballot's bytes are its canonical JSON.
    pub canonical: bool,
    /// What is wrong with it (Chinese), if anything.
    pub fault: Option<String>,
    /// The format version it claims (1 or 2), when it is one of ours.
    pub version: Option<u64>,
    /// v2: the token's bytes (for the duplicate check).
    pub token: Option<[u8; TOKEN_LEN]>,
    /// v2: the signature over the token.
    pub signed: Signed,
}

/// Reads every ballot of a board of `congress`/`contest`, in board order, checking each v2
/// ballot's signature with `key` (a v2 ballot without a key to check it is `Signed::Bad`).
pub(super) fn read_all(
    ballots: &[&RawValue],
    congress: &str,
    contest: &str,
    key: Option<&ContestPublicKey>,
) -> Vec<Read> {
    let fast: Vec<Option<Fast<'_>>> = ballots
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
            f.as_ref().map(|f| {
                *index.entry(f.choices).or_insert_with(|| {
                    distinct.push(f.choices);
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
                (Some(f), Some(choices)) => {
                    let (token, signed) = match f.serial {
                        Some((t, s)) => check_signature(key, t, s),
                        None => (None, Signed::Unsigned),
                    };
                    Read {
                        hash: Some(f.hash),
                        choices: Some(choices.clone()),
                        canonical: true,
                        fault: None,
                        version: Some(f.version),
                        token,
                        signed,
                    }
                }
                _ => read_ballot(raw.get(), congress, contest, key),
            },
        )
        .collect()
}

/// Checks a v2 ballot's signature: the token's bytes and the outcome.
fn check_signature(
    key: Option<&ContestPublicKey>,
    token: &str,
    token_sig: &str,
) -> (Option<[u8; TOKEN_LEN]>, Signed) {
    let mut bytes = [0u8; TOKEN_LEN];
    if hex::decode_to_slice(token, &mut bytes).is_err() {
        return (None, Signed::Bad);
    }
    let sig = base64::engine::general_purpose::STANDARD.decode(token_sig);
    let good = match (key, sig) {
        (Some(k), Ok(sig)) => k.verify(&bytes, &sig).is_ok(),
        _ => false,
    };
    (Some(bytes), if good { Signed::Good } else { Signed::Bad })
}

/// The top level of a v2 ballot, `choices` left unparsed.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TopV2<'a> {
    v: u64,
    #[serde(borrow)]
    congress: Cow<'a, str>,
    #[serde(borrow)]
    contest: Cow<'a, str>,
    #[serde(borrow)]
    choices: &'a RawValue,
    #[serde(borrow)]
    token: Cow<'a, str>,
    #[serde(borrow)]
    token_sig: Cow<'a, str>,
}

/// The top level of a v1 ballot, `choices` left unparsed.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TopV1<'a> {
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

/// What the fast path read of one ballot.
struct Fast<'a> {
    hash: Hash,
    choices: &'a str,
    version: u64,
    /// v2: token and signature, as written (both plain ASCII, so borrowed).
    serial: Option<(&'a str, &'a str)>,
}

/// The fast path's top level: the ballot's hash, its raw `choices` and its serial, when the
/// ballot is exactly `{"choices":..,"congress":..,"contest":..,"token":..,"token_sig":..,
/// "v":2}` (or v1's `{"ballot":..,"choices":..,"congress":..,"contest":..[,"paper":true],
/// "v":1}`) in canonical form (given canonical choices), of this congress and contest, ids
/// non-empty, token and signature well spelled.
fn fast_top<'a>(raw: &'a str, congress: &str, contest: &str) -> Option<Fast<'a>> {
    if congress.is_empty() || contest.is_empty() {
        return None;
    }
    let mut bytes = String::with_capacity(raw.len());
    if let Ok(top) = serde_json::from_str::<TopV2<'a>>(raw) {
        let usual = top.v == FORMAT_VERSION
            && top.congress == congress
            && top.contest == contest
            && is_token_hex(&top.token)
            && crate::domain::ballot::is_canonical_base64(&top.token_sig);
        let (Cow::Borrowed(token), Cow::Borrowed(sig)) = (&top.token, &top.token_sig) else {
            return None;
        };
        if !usual {
            return None;
        }
        let choices = top.choices.get();
        bytes.push_str("{\"choices\":");
        bytes.push_str(choices);
        bytes.push_str(",\"congress\":");
        bytes.push_str(&quote(&top.congress));
        bytes.push_str(",\"contest\":");
        bytes.push_str(&quote(&top.contest));
        bytes.push_str(",\"token\":\"");
        bytes.push_str(token);
        bytes.push_str("\",\"token_sig\":\"");
        bytes.push_str(sig);
        bytes.push_str("\",\"v\":2}");
        return (bytes == raw).then(|| Fast {
            hash: sha256(raw.as_bytes()),
            choices,
            version: FORMAT_VERSION,
            serial: Some((token, sig)),
        });
    }
    let top: TopV1<'a> = serde_json::from_str(raw).ok()?;
    let usual = top.v == FORMAT_VERSION_1
        && top.paper != Some(false)
        && !top.ballot.is_empty()
        && top.congress == congress
        && top.contest == contest;
    if !usual {
        return None;
    }
    let choices = top.choices.get();
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
    (bytes == raw).then(|| Fast {
        hash: sha256(raw.as_bytes()),
        choices,
        version: FORMAT_VERSION_1,
        serial: None,
    })
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
pub(super) fn read_ballot(
    raw: &str,
    congress: &str,
    contest: &str,
    key: Option<&ContestPublicKey>,
) -> Read {
    let mut read = Read {
        hash: None,
        choices: None,
        canonical: false,
        fault: None,
        version: None,
        token: None,
        signed: Signed::Unsigned,
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
        Ok(ballot) => {
            read.version = Some(ballot.version());
            if let Serial::Signed { token, token_sig } = &ballot.serial {
                (read.token, read.signed) = check_signature(key, token, token_sig);
            }
            read.choices = Some(ballot.choices);
        }
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
            let fast = read_all(&raws, "xdh12", "presidium", key);
            for (raw, got) in raws.iter().zip(&fast) {
                prop_assert_eq!(got, &read_ballot(raw.get(), "xdh12", "presidium", key), "{}", raw.get());
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
        let board = format!("[{text}]");
        let raws: Vec<&RawValue> = serde_json::from_str(&board).unwrap();
        let read = read_all(&raws, "xdh12", "presidium", key);
        assert_eq!((read[0].signed, read[0].version), (Signed::Good, Some(2)));
        assert!(read[0].token.is_some());
        // Without the contest key nothing verifies.
        let read = read_all(&raws, "xdh12", "presidium", None);
        assert_eq!(read[0].signed, Signed::Bad);
        // A v1 ballot has nothing to verify.
        let v1 = canonical_text(&election(vec![0], false, 3, "ab12".into()));
        let board = format!("[{v1}]");
        let raws: Vec<&RawValue> = serde_json::from_str(&board).unwrap();
        let read = read_all(&raws, "xdh12", "presidium", key);
        assert_eq!(
            (read[0].signed, read[0].version),
            (Signed::Unsigned, Some(1))
        );
    }
}
