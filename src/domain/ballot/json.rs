//! The ballot's JSON, exactly as `docs/formats.md` ("Ballot") writes it, and its strict
//! reading. Strict because a board is checked by hash: a ballot must have one spelling only,
//! so anything `to_value` would not have written (unknown keys, `"paper":false`, an empty
//! write-in list, an untrimmed name, an upper-case token, non-canonical base64) is refused
//! rather than tolerated. Version 2 is written; version 1 is still read.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use base64::Engine;

use super::{
    is_token_hex, Ballot, BallotError, Choices, Mark, Serial, FORMAT_VERSION, FORMAT_VERSION_1,
    MAX_WRITE_IN_CHARS, REVIEW_KEY, VOTE_KEY, WRITE_IN_KEY,
};

const TOP_KEYS_V2: [&str; 6] = ["v", "congress", "contest", "choices", "token", "token_sig"];
const TOP_KEYS_V1: [&str; 6] = ["v", "congress", "contest", "ballot", "choices", "paper"];

impl Choices {
    /// The `choices` object: `{"<candidate id>":"for"|.., "write_in":[..]}` (write-ins only
    /// when there are some) or `{"vote":"for"|..}`.
    pub fn to_value(&self) -> Value {
        let mut map = Map::new();
        match self {
            Choices::Election { marks, write_ins } => {
                for (id, mark) in marks {
                    map.insert(id.clone(), Value::from(mark.as_str()));
                }
                if !write_ins.is_empty() {
                    let names = write_ins.iter().map(|n| Value::from(n.as_str())).collect();
                    map.insert(WRITE_IN_KEY.to_string(), Value::Array(names));
                }
            }
            Choices::Motion { vote } => {
                map.insert(VOTE_KEY.to_string(), Value::from(vote.as_str()));
            }
            Choices::MotionMarks { marks } => {
                let list = marks.iter().map(|m| Value::from(m.as_str())).collect();
                map.insert(VOTE_KEY.to_string(), Value::Array(list));
            }
            Choices::Review { grid } => {
                let rows = grid
                    .iter()
                    .map(|row| Value::Array(row.iter().map(|&g| Value::from(g)).collect()))
                    .collect();
                map.insert(REVIEW_KEY.to_string(), Value::Array(rows));
            }
        }
        Value::Object(map)
    }

    /// Reads a `choices` object strictly. `{"vote":..}` alone is a motion; anything else is
    /// an election (candidate ids are never `"vote"` or `"write_in"`, see `ElectionPaper::check`).
    /// Write-ins must be as `ElectionPaper::fill` leaves them: trimmed, non-empty, unique,
    /// at most 50 characters, and the list present only when non-empty.
    pub fn from_value(value: &Value) -> Result<Choices, BallotError> {
        let map = value.as_object().ok_or(BallotError::NotObject {
            place: " (choices)",
        })?;
        if let Some(vote) = map.get(VOTE_KEY) {
            if let Some(other) = map.keys().find(|k| *k != VOTE_KEY) {
                return Err(BallotError::UnknownKey {
                    key: other.clone(),
                    place: "表决票的 choices",
                });
            }
            if let Value::Array(items) = vote {
                return read_motion_marks(items);
            }
            return Ok(Choices::Motion {
                vote: read_mark(VOTE_KEY, vote)?,
            });
        }
        if let Some(Value::Array(rows)) = map.get(REVIEW_KEY) {
            if let Some(other) = map.keys().find(|k| *k != REVIEW_KEY) {
                return Err(BallotError::UnknownKey {
                    key: other.clone(),
                    place: "述职评议表的 choices",
                });
            }
            return read_review_grid(rows);
        }
        let mut marks = BTreeMap::new();
        let mut write_ins = Vec::new();
        for (key, v) in map {
            if key == WRITE_IN_KEY {
                write_ins = read_write_ins(v)?;
            } else if key.is_empty() {
                return Err(BallotError::Empty {
                    key: "候选人编号"
                });
            } else {
                marks.insert(key.clone(), read_mark(key, v)?);
            }
        }
        Ok(Choices::Election { marks, write_ins })
    }
}

impl Ballot {
    /// v2: `{"v":2,"congress":..,"contest":..,"choices":{..},"token":..,"token_sig":..}`;
    /// v1: `{"v":1,"congress":..,"contest":..,"ballot":<id>,"choices":{..}}` plus
    /// `"paper":true` on a paper ballot (E5). Canonical bytes and the hash are `crypto`'s job.
    pub fn to_value(&self) -> Value {
        let mut map = Map::new();
        map.insert("v".into(), Value::from(self.version()));
        map.insert("congress".into(), Value::from(self.congress.as_str()));
        map.insert("contest".into(), Value::from(self.contest.as_str()));
        map.insert("choices".into(), self.choices.to_value());
        match &self.serial {
            Serial::Signed { token, token_sig } => {
                map.insert("token".into(), Value::from(token.as_str()));
                map.insert("token_sig".into(), Value::from(token_sig.as_str()));
            }
            Serial::Unsigned { id, paper } => {
                map.insert("ballot".into(), Value::from(id.as_str()));
                if *paper {
                    map.insert("paper".into(), Value::Bool(true));
                }
            }
        }
        Value::Object(map)
    }

    /// Reads a published ballot strictly: `v` 2 (or 1), no unknown keys, ids non-empty
    /// strings, marks valid; v2: `token` 128 lower-case hex, `token_sig` canonical padded
    /// base64; v1: `paper` absent or `true`. Whether the signature is right, and validity
    /// against the contest's paper (E2), are separate questions (the verifier, and
    /// `ElectionPaper::validity`).
    pub fn from_value(value: &Value) -> Result<Ballot, BallotError> {
        let map = value
            .as_object()
            .ok_or(BallotError::NotObject { place: "" })?;
        let v = map.get("v").ok_or(BallotError::MissingKey { key: "v" })?;
        let version = v
            .as_u64()
            .filter(|n| *n == FORMAT_VERSION || *n == FORMAT_VERSION_1);
        let Some(version) = version else {
            return Err(BallotError::Version {
                found: v.to_string(),
            });
        };
        let keys = if version == FORMAT_VERSION {
            &TOP_KEYS_V2
        } else {
            &TOP_KEYS_V1
        };
        if let Some(key) = map.keys().find(|k| !keys.contains(&k.as_str())) {
            return Err(BallotError::UnknownKey {
                key: key.clone(),
                place: "选票顶层",
            });
        }
        let serial = if version == FORMAT_VERSION {
            let token = read_id(map, "token")?;
            if !is_token_hex(&token) {
                return Err(BallotError::BadToken {
                    found: token.chars().take(140).collect(),
                });
            }
            let token_sig = read_id(map, "token_sig")?;
            if !is_canonical_base64(&token_sig) {
                return Err(BallotError::BadTokenSig);
            }
            Serial::Signed { token, token_sig }
        } else {
            let paper = match map.get("paper") {
                None => false,
                Some(Value::Bool(true)) => true,
                Some(_) => return Err(BallotError::PaperNotTrue),
            };
            Serial::Unsigned {
                id: read_id(map, "ballot")?,
                paper,
            }
        };
        let choices = map
            .get("choices")
            .ok_or(BallotError::MissingKey { key: "choices" })?;
        Ok(Ballot {
            congress: read_id(map, "congress")?,
            contest: read_id(map, "contest")?,
            choices: Choices::from_value(choices)?,
            serial,
        })
    }
}

/// Whether `text` is standard base64 with padding that decodes to at least one byte and is
/// the only spelling of those bytes (no stray trailing bits).
pub fn is_canonical_base64(text: &str) -> bool {
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .is_ok_and(|b| !b.is_empty())
}

fn read_id(map: &Map<String, Value>, key: &'static str) -> Result<String, BallotError> {
    match map.get(key) {
        None => Err(BallotError::MissingKey { key }),
        Some(Value::String(s)) if s.is_empty() => Err(BallotError::Empty { key }),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(_) => Err(BallotError::WrongType {
            key: key.to_string(),
            expected: "字符串",
        }),
    }
}

fn read_mark(key: &str, v: &Value) -> Result<Mark, BallotError> {
    v.as_str()
        .and_then(Mark::parse)
        .ok_or_else(|| BallotError::BadMark {
            key: key.to_string(),
            found: v.to_string(),
        })
}

/// `{"vote":[..]}`: a paper motion ballot as marked; one spelling only (distinct marks in
/// `Mark::ALL` order, and never exactly one, which is written as a string).
fn read_motion_marks(items: &[Value]) -> Result<Choices, BallotError> {
    let bad = || BallotError::BadMotionMarks {
        found: Value::Array(items.to_vec()).to_string(),
    };
    let marks = items
        .iter()
        .map(|v| v.as_str().and_then(Mark::parse).ok_or_else(bad))
        .collect::<Result<Vec<Mark>, _>>()?;
    let ordered = marks.windows(2).all(|w| w[0].index() < w[1].index());
    if marks.len() == 1 || !ordered {
        return Err(bad());
    }
    Ok(Choices::MotionMarks { marks })
}

/// `{"review":[[..],..]}`: rows of grade positions (integers from 0 that fit in 32 bits);
/// whether the shape fits the review is validity (H2), not spelling.
fn read_review_grid(rows: &[Value]) -> Result<Choices, BallotError> {
    let bad = || BallotError::BadReviewGrid {
        found: Value::Array(rows.to_vec())
            .to_string()
            .chars()
            .take(120)
            .collect(),
    };
    let grid = rows
        .iter()
        .map(|row| {
            row.as_array()
                .ok_or_else(bad)?
                .iter()
                .map(|g| {
                    g.as_u64()
                        .and_then(|g| u32::try_from(g).ok())
                        .ok_or_else(bad)
                })
                .collect::<Result<Vec<u32>, _>>()
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Choices::Review { grid })
}

fn read_write_ins(v: &Value) -> Result<Vec<String>, BallotError> {
    let wrong = || BallotError::WrongType {
        key: WRITE_IN_KEY.to_string(),
        expected: "非空的字符串数组",
    };
    let items = v.as_array().ok_or_else(wrong)?;
    if items.is_empty() {
        return Err(wrong());
    }
    let mut seen = BTreeSet::new();
    let mut names = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let name = item.as_str().ok_or_else(wrong)?;
        check_write_in(name, i + 1)?;
        if name.trim() != name {
            return Err(BallotError::WriteInUntrimmed {
                name: name.to_string(),
            });
        }
        if !seen.insert(name) {
            return Err(BallotError::WriteInDuplicate {
                name: name.to_string(),
            });
        }
        names.push(name.to_string());
    }
    Ok(names)
}

/// The checks on one (trimmed) write-in name shared by filling and reading a ballot.
pub(super) fn check_write_in(name: &str, position: usize) -> Result<(), BallotError> {
    if name.trim().is_empty() {
        return Err(BallotError::WriteInEmpty { position });
    }
    let chars = name.chars().count();
    if chars > MAX_WRITE_IN_CHARS {
        return Err(BallotError::WriteInTooLong {
            name: name.to_string(),
            chars,
        });
    }
    Ok(())
}
