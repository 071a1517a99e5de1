//! Signing the certified record (`record.json` + `record.sig`) and its addenda
//! (`addenda/<kind>.json` + `.sig`), and the tally rules of a contest as the record states
//! them: [`contest_spec`] and [`turnout`] are what the result is computed with when the record
//! is built and recomputed with when it is verified, so the two can never drift apart.

use serde::Serialize;

use super::format::{Addendum, Record, RecordContest, ELECTION, MOTION, REVIEW};
use super::PacketError;
use crate::crypto::keys::SIGNATURE_LEN;
use crate::crypto::{canonical, SigningKey};
use crate::domain::settings::RuleProfile;
use crate::domain::tally::{
    CandidateRef, ContestSpec, ElectionSpec, MotionSpec, ReviewSpec, Turnout,
};

/// A signed document: its canonical JSON bytes (the file) and the Ed25519 signature over
/// exactly those bytes (the raw 64-byte `.sig` file beside it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    pub bytes: Vec<u8>,
    pub sig: [u8; SIGNATURE_LEN],
}

/// `record.json` and `record.sig`.
pub fn sign_record(key: &SigningKey, record: &Record) -> Result<Signed, PacketError> {
    sign(key, record)
}

/// `addenda/<kind>.json` and `addenda/<kind>.sig`.
pub fn sign_addendum(key: &SigningKey, addendum: &Addendum) -> Result<Signed, PacketError> {
    sign(key, addendum)
}

fn sign<T: Serialize>(key: &SigningKey, value: &T) -> Result<Signed, PacketError> {
    let bytes = canonical(value)?;
    let sig = key.sign(&bytes);
    Ok(Signed { bytes, sig })
}

/// The tally spec of a contest, from the record alone: an election's seats, candidates (ballot
/// order), write-in rule and threshold, with the congress's tie rule (F2); a motion's
/// threshold; a review's definition and follow-up threshold (H1, H4). Fails on another kind,
/// an election without seats, or a review without a valid definition.
pub fn contest_spec(c: &RecordContest, settings: &RuleProfile) -> Result<ContestSpec, PacketError> {
    let fail = |reason: String| PacketError::ContestSpec {
        contest: c.id.clone(),
        reason,
    };
    match c.kind.as_str() {
        ELECTION => {
            let seats = c
                .seats
                .ok_or_else(|| fail("选举没有应选名额(seats)".into()))?;
            Ok(ContestSpec::Election(ElectionSpec {
                seats,
                candidates: c
                    .candidates
                    .iter()
                    .map(|k| CandidateRef {
                        id: k.id.clone(),
                        name: k.name.clone(),
                    })
                    .collect(),
                allow_write_in: c.allow_write_in,
                threshold: c.threshold,
                tie_rule: settings.tie_rule,
            }))
        }
        MOTION => Ok(ContestSpec::Motion(MotionSpec {
            threshold: c.threshold,
        })),
        REVIEW => {
            let def = c
                .review
                .clone()
                .ok_or_else(|| fail("述职评议没有评议设置(review)".into()))?;
            def.check().map_err(|e| fail(e.to_string()))?;
            Ok(ContestSpec::Review(ReviewSpec {
                def,
                follow_up: c.threshold,
            }))
        }
        other => Err(fail(format!(
            "类型应为 \"{ELECTION}\"、\"{MOTION}\" 或 \"{REVIEW}\",实为 \"{other}\""
        ))),
    }
}

/// The contest's presence figures: 实到 when it opened (= ballots issued) and 应到 then.
pub fn turnout(c: &RecordContest) -> Turnout {
    Turnout {
        issued: c.present_at_opening,
        roster: c.expected_at_opening,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::sha256_hex;
    use crate::domain::settings::{Threshold, TieRule};
    use crate::packet::format::RecordCandidate;
    use crate::packet::test_data::{sample_contest, sample_record};

    #[test]
    fn record_signature_is_over_the_canonical_bytes() {
        let key = SigningKey::generate().unwrap();
        let record = sample_record(&key);
        let signed = sign_record(&key, &record).unwrap();
        assert_eq!(signed.bytes, canonical(&record).unwrap());
        assert!(key.public_key().verify(&signed.bytes, &signed.sig));
        let mut flipped = signed.bytes.clone();
        let pos = flipped.len() / 2;
        flipped[pos] ^= 0x01;
        assert!(!key.public_key().verify(&flipped, &signed.sig));
        // The bytes start with the first key in code point order.
        assert!(signed.bytes.starts_with(b"{\"congress\":{\"date\":"));
    }

    #[test]
    fn addendum_signature_references_the_record_hash() {
        let key = SigningKey::generate().unwrap();
        let record = sign_record(&key, &sample_record(&key)).unwrap();
        let addendum = Addendum {
            v: 1,
            kind: "approval".into(),
            congress: "xdh12".into(),
            record_sha256: sha256_hex(&record.bytes),
            body: "中共某某大学委员会".into(),
            reference: Some("校党发〔2025〕12号".into()),
            date: "2025-05-20".into(),
            recorded_at: "2025-05-21T09:00:00+08:00".into(),
            corrects: None,
            reason: None,
        };
        let signed = sign_addendum(&key, &addendum).unwrap();
        assert!(key.public_key().verify(&signed.bytes, &signed.sig));
        let text = String::from_utf8(signed.bytes).unwrap();
        assert!(text.contains(&format!(
            "\"record_sha256\":\"{}\"",
            sha256_hex(&record.bytes)
        )));
        assert!(text.contains("\"reference\":\"校党发〔2025〕12号\""));
    }

    #[test]
    fn election_spec_comes_from_the_record_and_the_tie_rule_setting() {
        let mut c = sample_contest("presidium", ELECTION);
        c.seats = Some(5);
        c.allow_write_in = true;
        c.candidates = vec![RecordCandidate {
            id: "k1".into(),
            name: "王芳".into(),
            college: "文学院".into(),
            eligibility_override: None,
        }];
        let settings = RuleProfile {
            tie_rule: TieRule::Vacant,
            ..RuleProfile::default()
        };
        let expected = ContestSpec::Election(ElectionSpec {
            seats: 5,
            candidates: vec![CandidateRef {
                id: "k1".into(),
                name: "王芳".into(),
            }],
            allow_write_in: true,
            threshold: Threshold::ORDINARY,
            tie_rule: TieRule::Vacant,
        });
        assert_eq!(contest_spec(&c, &settings).unwrap(), expected);
        assert_eq!(
            turnout(&c),
            Turnout {
                issued: 280,
                roster: 300
            }
        );
        c.seats = None;
        let err = contest_spec(&c, &settings).unwrap_err();
        assert_eq!(
            err.to_string(),
            "记录中的 presidium 无法还原计票规则: 选举没有应选名额(seats)"
        );
    }

    #[test]
    fn motion_spec_keeps_its_threshold_and_unknown_kinds_are_refused() {
        let mut c = sample_contest("charter", MOTION);
        c.threshold = Threshold::CHARTER;
        let spec = contest_spec(&c, &RuleProfile::default()).unwrap();
        assert_eq!(
            spec,
            ContestSpec::Motion(MotionSpec {
                threshold: Threshold::CHARTER
            })
        );
        c.kind = "referendum".into();
        assert!(matches!(
            contest_spec(&c, &RuleProfile::default()),
            Err(PacketError::ContestSpec { .. })
        ));
    }
}
