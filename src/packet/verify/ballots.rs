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
pub(crate) enum Signed {
    /// No signature to check: a v1 ballot, one that could not be read, or not asked for.
    Unsigned,
    /// The contest key's signature over the token verifies.
    Good,
    /// It does not (or there is no contest key to check it with).
    Bad,
}

/// What the reference reading found about a ballot the fast path did not take (rare, so
/// kept apart to keep [`Read`] small).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Slow {
    /// What is wrong with it (Chinese), if anything.
    pub fault: Option<String>,
    /// Its choices, when it is a ballot of this congress and contest.
    pub choices: Option<Choices>,
    /// v2: its token.
    pub token: Option<String>,
}

/// `Read::choices` of a ballot read the reference way (its choices are in `Slow`).
const SLOW: u64 = u64::MAX;

/// One ballot as read. A million of them are held at once, so it is small: the choices are
/// an index into [`Reads::distinct`], the token only an 8-byte key for the duplicate check
/// (confirmed on the text), and whatever the reference reading found is boxed apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Read {
    /// SHA-256 of the ballot's canonical JSON, when it has one.
    pub hash: Option<Hash>,
    /// Whether the ballot's bytes are its canonical JSON.
    pub canonical: bool,
    /// The format version it claims (1 or 2), when it is one of ours.
    pub version: Option<u8>,
    /// v2: the signature over the token (when signatures are checked).
    pub signed: Signed,
    /// v2: the token's first 8 bytes, for finding repeated tokens.
    pub token_key: Option<u64>,
    /// Fast path: the index of its choices in `Reads::distinct` (while reading: where its
    /// `choices` text sits in the ballot); [`SLOW`] otherwise.
    choices: u64,
    /// The reference reading, for a ballot the fast path did not take.
    pub slow: Option<Box<Slow>>,
}

impl Read {
    /// What is wrong with the ballot, if anything.
    pub fn fault(&self) -> Option<&str> {
        self.slow.as_ref()?.fault.as_deref()
    }
}

/// Every ballot of a board as read, and the distinct choices they share (`None`: a text no
/// ballot could use).
#[derive(Debug)]
pub(crate) struct Reads {
    pub reads: Vec<Read>,
    pub distinct: Vec<Option<Choices>>,
}

impl Reads {
    /// The choices of `read`, when it has some.
    #[cfg(test)]
    pub fn choices_of<'s>(&'s self, read: &'s Read) -> Option<&'s Choices> {
        match &read.slow {
            Some(slow) => slow.choices.as_ref(),
            None => self.distinct.get(read.choices as usize)?.as_ref(),
        }
    }

    /// Each distinct choices with the number of ballots that say it (the tally's input);
    /// `None` when a ballot's choices could not be read.
    pub fn weighted(&self) -> Option<Vec<(Choices, u64)>> {
        let mut counts = vec![0u64; self.distinct.len()];
        let mut own: Vec<(Choices, u64)> = Vec::new();
        for r in &self.reads {
            match &r.slow {
                Some(slow) => own.push((slow.choices.clone()?, 1)),
                None => counts[r.choices as usize] += 1,
            }
        }
        let mut out: Vec<(Choices, u64)> = self
            .distinct
            .iter()
            .zip(counts)
            .filter_map(|(c, n)| Some((c.clone()?, n)).filter(|(_, n)| *n > 0))
            .collect();
        out.extend(own);
        Some(out)
    }

    /// The token of ballot `i` whose text is `raw` (v2 ballots).
    pub fn token_of(&self, i: usize, raw: &str) -> Option<String> {
        let r = self.reads.get(i)?;
        match &r.slow {
            Some(slow) => slow.token.clone(),
            None => serde_json::from_str::<TopV2<'_>>(raw)
                .ok()
                .map(|t| t.token.into_owned()),
        }
    }
}

/// What to do about signatures.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Signatures<'k> {
    /// Check each v2 ballot's signature with this key (none: every one is `Bad`).
    Check(Option<&'k ContestPublicKey>),
    /// Do not check (the count: the ballot box checked each one at cast).
    Skip,
}

/// Where a text sits inside `outer` (both slices of the same ballot), packed in a u64.
fn span(outer: &str, inner: &str) -> u64 {
    let start = (inner.as_ptr() as usize).wrapping_sub(outer.as_ptr() as usize) as u64;
    (start << 32) | inner.len() as u64
}

fn unspan(outer: &str, packed: u64) -> Option<&str> {
    let (start, len) = ((packed >> 32) as usize, (packed & 0xffff_ffff) as usize);
    outer.get(start..start + len)
}

/// The first 8 bytes of a token written as hex.
fn token_key(token: &str) -> Option<u64> {
    let mut b = [0u8; 8];
    hex::decode_to_slice(token.get(..16)?, &mut b).ok()?;
    Some(u64::from_be_bytes(b))
}

/// Reads every ballot (each one's JSON text) of a board of `congress`/`contest`, in board
/// order, checking signatures as `sigs` says. One parallel pass reads each ballot's top level
/// and checks its signature; the distinct `choices` texts are then numbered (one sequential
/// pass) and read once each (in parallel); a ballot whose choices text does not read is read
/// again the reference way.
pub(crate) fn read_all(
    ballots: &[&str],
    congress: &str,
    contest: &str,
    sigs: Signatures<'_>,
) -> Reads {
    let mut reads: Vec<Read> = ballots
        .par_iter()
        .map(|raw| match fast_top(raw, congress, contest) {
            Some(f) => Read {
                hash: Some(f.hash),
                canonical: true,
                version: Some(f.version as u8),
                signed: match f.serial {
                    Some((t, sig)) => check_signature(sigs, t, sig),
                    None => Signed::Unsigned,
                },
                token_key: f.serial.and_then(|(t, _)| token_key(t)),
                choices: span(raw, f.choices),
                slow: None,
            },
            None => read_ballot(raw, congress, contest, sigs),
        })
        .collect();
    // Each distinct `choices` text gets a number.
    let mut index: HashMap<&str, u64> = HashMap::new();
    let mut texts: Vec<&str> = Vec::new();
    for (read, raw) in reads.iter_mut().zip(ballots) {
        if read.slow.is_none() {
            let text = unspan(raw, read.choices).unwrap_or_default();
            read.choices = *index.entry(text).or_insert_with(|| {
                texts.push(text);
                texts.len() as u64 - 1
            });
        }
    }
    drop(index);
    let distinct: Vec<Option<Choices>> =
        texts.par_iter().map(|raw| canonical_choices(raw)).collect();
    // A ballot whose choices are not canonical or do not read: the reference way.
    reads
        .par_iter_mut()
        .zip(ballots.par_iter())
        .filter(|(r, _)| r.slow.is_none() && distinct[r.choices as usize].is_none())
        .for_each(|(r, raw)| *r = read_ballot(raw, congress, contest, sigs));
    Reads { reads, distinct }
}

/// Checks a v2 ballot's signature.
fn check_signature(sigs: Signatures<'_>, token: &str, token_sig: &str) -> Signed {
    let Signatures::Check(key) = sigs else {
        return Signed::Unsigned;
    };
    let mut bytes = [0u8; TOKEN_LEN];
    if hex::decode_to_slice(token, &mut bytes).is_err() {
        return Signed::Bad;
    }
    let sig = base64::engine::general_purpose::STANDARD.decode(token_sig);
    match (key, sig) {
        (Some(k), Ok(sig)) if k.verify(&bytes, &sig).is_ok() => Signed::Good,
        _ => Signed::Bad,
    }
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
pub(crate) fn read_ballot(raw: &str, congress: &str, contest: &str, sigs: Signatures<'_>) -> Read {
    let mut read = Read {
        hash: None,
        canonical: false,
        version: None,
        signed: Signed::Unsigned,
        token_key: None,
        choices: SLOW,
        slow: None,
    };
    let mut slow = Slow {
        fault: None,
        choices: None,
        token: None,
    };
    // The board's parse already accepted these bytes as JSON; a failure here is only possible
    // through serde_json's own limits, and is reported like any other fault.
    let value: Value = match serde_json::from_str(raw) {
        Ok(v) => v,
        Err(e) => {
            slow.fault = Some(format!("不是有效的 JSON: {e}"));
            read.slow = Some(Box::new(slow));
            return read;
        }
    };
    match to_canonical(&value) {
        Ok(bytes) => {
            read.canonical = bytes == raw.as_bytes();
            read.hash = Some(sha256(&bytes));
        }
        Err(e) => slow.fault = Some(e.to_string()),
    }
    match Ballot::from_value(&value) {
        Ok(ballot) if ballot.congress != congress || ballot.contest != contest => {
            slow.fault = Some(format!(
                "属于 {}/{},不属于本场 {congress}/{contest}",
                show(&ballot.congress),
                show(&ballot.contest)
            ));
        }
        Ok(ballot) => {
            read.version = Some(ballot.version() as u8);
            if let Serial::Signed { token, token_sig } = &ballot.serial {
                read.signed = check_signature(sigs, token, token_sig);
                read.token_key = token_key(token);
                slow.token = Some(token.clone());
            }
            slow.choices = Some(ballot.choices);
        }
        Err(e) => slow.fault = slow.fault.take().or(Some(e.to_string())),
    }
    read.slow = Some(Box::new(slow));
    read
}

#[cfg(test)]
#[path = "ballots_tests.rs"]
mod tests;
