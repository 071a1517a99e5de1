//! A small, complete and consistent filing packet for the unit tests of `packet`: a 3-seat
//! election of 4 candidates (with an over-voted ballot) and a work-report motion, tallied,
//! recorded, signed, with rolls, the contests' keys, a roster summary and an approval
//! addendum; every ballot a v2 ballot whose token the contest key signed. The same packet with
//! v1 (unsigned) boards checks that old packets stay readable. The larger synthetic congress
//! of the CLI tests lives in `tests/it/packet/fixture.rs`.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, OnceLock};

use base64::Engine;
use serde_json::json;

use super::board::{board_tail, build_board, BoxFacts, Header, BOARD_HEAD};
use super::format::*;
use super::record::{contest_spec, sign_addendum, sign_record, turnout};
use super::write::{roll_csv, PacketContents};
use crate::crypto::blind::ContestKey;
use crate::crypto::merkle;
use crate::crypto::{sha256, sha256_hex, to_canonical, SigningKey};
use crate::domain::ballot::{Ballot, Choices, Mark, Serial};
use crate::domain::settings::{RuleProfile, Threshold};
use crate::domain::tally::tally;

pub(crate) const CONGRESS: &str = "xdh12";

const CANDIDATES: [(&str, &str, &str); 4] = [
    ("k1", "王芳", "文学院"),
    ("k2", "李强", "理学院"),
    ("k3", "张伟", "法学院"),
    ("k4", "刘洋", "经济学院"),
];

/// A contest with 280 present of 300 expected, no candidates, and the result of no ballots.
pub(crate) fn sample_contest(id: &str, kind: &str) -> RecordContest {
    let mut c = RecordContest {
        id: id.to_string(),
        kind: kind.to_string(),
        title: "第十二届学生会主席团选举".into(),
        text: String::new(),
        agenda_order: 1,
        motion_kind: None,
        round_kind: None,
        parent: None,
        seats: Some(3),
        allow_write_in: false,
        candidates: Vec::new(),
        margin_override: None,
        election_kind: None,
        threshold_reason: None,
        rounds_not_held: Vec::new(),
        participants: None,
        review: None,
        threshold: Threshold::ORDINARY,
        present_at_opening: 280,
        expected_at_opening: 300,
        quorum_met: true,
        board: BoardRef {
            file: board_path(id),
            sha256: sha256_hex(b""),
            merkle_root: sha256_hex(b""),
            issued: 280,
            cast: 0,
            roll_file: roll_path(id),
            roll_sha256: sha256_hex(b""),
            roll_count: 0,
        },
        result: tally(
            &crate::domain::tally::ContestSpec::Motion(crate::domain::tally::MotionSpec {
                threshold: Threshold::ORDINARY,
            }),
            crate::domain::tally::Turnout {
                issued: 280,
                roster: 300,
            },
            &[],
        ),
    };
    if kind == ELECTION {
        c.candidates = CANDIDATES
            .iter()
            .map(|(id, name, college)| RecordCandidate {
                id: id.to_string(),
                name: name.to_string(),
                college: college.to_string(),
                eligibility_override: None,
            })
            .collect();
    }
    c
}

/// A record with no contests, signed by `key`'s fingerprint.
pub(crate) fn sample_record(key: &SigningKey) -> Record {
    Record {
        v: VERSION,
        kind: RECORD_KIND.into(),
        congress: RecordCongress {
            id: CONGRESS.into(),
            name: "某某大学第十二次学生代表大会".into(),
            school: "某某大学".into(),
            level: "school".into(),
            level_zh: "校级".into(),
            session_no: 12,
            date: "2025-05-18".into(),
            place: "大学生活动中心报告厅".into(),
        },
        settings: RuleProfile::default(),
        delegates: RecordDelegates {
            roster: 30,
            absences: 1,
            expected: 30,
        },
        quorum_rule: "超过2/3".into(),
        contests: Vec::new(),
        scrutineers: vec![RecordScrutineer {
            role: "chief".into(),
            role_zh: "总监票人".into(),
            name: "陈静".into(),
        }],
        roster_summary_sha256: sha256_hex(b""),
        key_fingerprint: key.public_key().fingerprint(),
        signed_at: "2025-05-18T16:30:00+08:00".into(),
    }
}

/// The small packet, its key, and each contest's stored ballot bodies.
pub(crate) struct Sample {
    pub key: SigningKey,
    pub contents: PacketContents,
    pub bodies: BTreeMap<String, Vec<String>>,
}

/// The contest key of the unit tests' packets (one RSA key per test process: generating one
/// takes a moment).
pub(crate) fn contest_key() -> &'static ContestKey {
    static KEY: OnceLock<ContestKey> = OnceLock::new();
    KEY.get_or_init(|| ContestKey::generate().unwrap())
}

/// A v2 serial for ballot `i` of `contest`: a deterministic token, signed by [`contest_key`]
/// once (PSS signatures are randomized: the same serial must be the same bytes every time).
pub(crate) fn signed_serial(contest: &str, i: usize) -> Serial {
    static SIGNED: OnceLock<Mutex<HashMap<(String, usize), Serial>>> = OnceLock::new();
    let memo = SIGNED.get_or_init(|| Mutex::new(HashMap::new()));
    let mut memo = memo.lock().unwrap();
    memo.entry((contest.to_string(), i))
        .or_insert_with(|| {
            let mut token = [0u8; 64];
            token[..32].copy_from_slice(&sha256(format!("{contest}/{i}").as_bytes()));
            token[32..].copy_from_slice(&sha256(format!("{i}/{contest}").as_bytes()));
            let sig = contest_key().sign_token(&token).unwrap();
            Serial::Signed {
                token: hex::encode(token),
                token_sig: base64::engine::general_purpose::STANDARD.encode(sig),
            }
        })
        .clone()
}

/// What the v2 boards of the sample state besides their ballots (27 issued, `paper` paper).
pub(crate) fn facts(paper: u64) -> BoxFacts {
    let public = contest_key().public_key();
    BoxFacts {
        issued: 27,
        paper,
        key_pem: public.to_spki_pem(),
        key_fingerprint: public.fingerprint(),
    }
}

/// The sample's ballot `i` of `contest`: v2 (signed) or v1 (a random id; some on paper).
fn body(contest: &str, i: usize, choices: Choices, v1: bool) -> String {
    let serial = if v1 {
        Serial::Unsigned {
            id: format!("{:032x}", (i as u128 + 1) * 0x9e37_79b9_7f4a_7c15),
            paper: i % 7 == 3,
        }
    } else {
        signed_serial(contest, i)
    };
    let ballot = Ballot {
        congress: CONGRESS.into(),
        contest: contest.into(),
        choices,
        serial,
    };
    String::from_utf8(to_canonical(&ballot.to_value()).unwrap()).unwrap()
}

/// A v1 board (unsigned ballots, no key, no paper count) of `bodies`, as packets made before
/// signed ballot papers hold: (bytes, ballot values in board order, root).
fn board_v1(contest: &str, bodies: &[String]) -> (Vec<u8>, Vec<serde_json::Value>, String) {
    let mut sorted: Vec<&String> = bodies.iter().collect();
    sorted.sort_by_key(|b| sha256(b.as_bytes()));
    let hashes: Vec<merkle::Hash> = sorted.iter().map(|b| sha256(b.as_bytes())).collect();
    let root = merkle::hash_to_hex(&merkle::root(&hashes));
    let mut bytes = BOARD_HEAD.to_vec();
    let joined: Vec<&str> = sorted.iter().map(|b| b.as_str()).collect();
    bytes.extend_from_slice(joined.join(",").as_bytes());
    bytes.extend(
        board_tail(&Header {
            v: BOARD_VERSION_1,
            congress: CONGRESS,
            contest,
            issued: 27,
            cast: sorted.len() as u64,
            merkle_root: &root,
            paper: None,
            key: None,
        })
        .unwrap(),
    );
    let values = sorted
        .iter()
        .map(|b| serde_json::from_str(b).unwrap())
        .collect();
    (bytes, values, root)
}

/// 25 election ballots (ballot 0 over-voted) and 26 motion ballots, 27 present; v2 boards.
pub(crate) fn sample_packet() -> Sample {
    packet_of(false)
}

/// The same congress as it would have been exported before signed ballot papers: v1 boards,
/// no contest keys.
pub(crate) fn sample_packet_v1() -> Sample {
    packet_of(true)
}

fn packet_of(v1: bool) -> Sample {
    let key = SigningKey::generate().unwrap();
    let marks = [Mark::For, Mark::Against, Mark::Abstain];
    let mut bodies = BTreeMap::new();
    bodies.insert(
        "presidium".to_string(),
        (0..25)
            .map(|i| {
                let marks = CANDIDATES
                    .iter()
                    .enumerate()
                    .map(|(j, c)| {
                        let m = if i == 0 {
                            Mark::For
                        } else {
                            marks[(i + j) % 3]
                        };
                        (c.0.to_string(), m)
                    })
                    .collect();
                let choices = Choices::Election {
                    marks,
                    write_ins: Vec::new(),
                };
                body("presidium", i, choices, v1)
            })
            .collect::<Vec<_>>(),
    );
    bodies.insert(
        "work-report".to_string(),
        (0..26)
            .map(|i| {
                body(
                    "work-report",
                    i,
                    Choices::Motion {
                        vote: marks[i % 4 % 3],
                    },
                    v1,
                )
            })
            .collect(),
    );

    let mut record = sample_record(&key);
    let summary =
        to_canonical(&json!({"total": 30, "colleges": {"文学院": 8, "理学院": 22}})).unwrap();
    record.roster_summary_sha256 = sha256_hex(&summary);
    let mut boards = BTreeMap::new();
    let mut rolls = BTreeMap::new();
    let mut contest_keys = BTreeMap::new();
    for (order, (id, kind)) in [("presidium", ELECTION), ("work-report", MOTION)]
        .into_iter()
        .enumerate()
    {
        let mut c = sample_contest(id, kind);
        c.agenda_order = order as u32 + 1;
        c.present_at_opening = 27;
        c.expected_at_opening = 30;
        if kind == MOTION {
            c.title = "关于学生会工作报告的决议".into();
            c.motion_kind = Some("work_report".into());
            c.seats = None;
        }
        let (bytes, ballots, root) = if v1 {
            board_v1(id, &bodies[id])
        } else {
            // Every seventh ballot was entered from paper (the board says how many, not which).
            let paper = (0..bodies[id].len()).filter(|i| i % 7 == 3).count() as u64;
            let built = build_board(CONGRESS, id, &facts(paper), bodies[id].clone()).unwrap();
            contest_keys.insert(id.to_string(), facts(0).key_pem);
            (built.bytes, built.board.ballots, built.board.merkle_root)
        };
        let cast = ballots.len() as u64;
        let people: Vec<(u32, String, String)> = (1..=cast as u32 + 1)
            .map(|n| (n * 3, format!("代表{n}"), "文学院".to_string()))
            .collect();
        let roll = roll_csv(&people).unwrap();
        c.board = BoardRef {
            file: board_path(id),
            sha256: sha256_hex(&bytes),
            merkle_root: root,
            issued: 27,
            cast,
            roll_file: roll_path(id),
            roll_sha256: sha256_hex(&roll),
            roll_count: people.len() as u64,
        };
        let choices: Vec<Choices> = ballots
            .iter()
            .map(|v| Ballot::from_value(v).unwrap().choices)
            .collect();
        c.result = tally(
            &contest_spec(&c, &record.settings).unwrap(),
            turnout(&c),
            &choices,
        );
        record.contests.push(c);
        boards.insert(id.to_string(), bytes);
        rolls.insert(id.to_string(), roll);
    }
    let signed = sign_record(&key, &record).unwrap();
    let approval = Addendum {
        v: VERSION,
        kind: "approval".into(),
        congress: CONGRESS.into(),
        record_sha256: sha256_hex(&signed.bytes),
        body: "中共某某大学委员会".into(),
        reference: Some("校党发〔2025〕12号".into()),
        date: "2025-05-20".into(),
        recorded_at: "2025-05-21T09:00:00+08:00".into(),
        corrects: None,
        reason: None,
    };
    let mut addenda = BTreeMap::new();
    addenda.insert(
        "approval".to_string(),
        sign_addendum(&key, &approval).unwrap(),
    );
    let contents = PacketContents {
        record: signed,
        public_key_pem: key.public_key().to_spki_pem(),
        boards,
        rolls,
        contest_keys,
        roster_summary: summary,
        report_html: "<!doctype html><title>选举结果报告单</title>"
            .as_bytes()
            .to_vec(),
        addenda,
        approval: Default::default(),
    };
    Sample {
        key,
        contents,
        bodies,
    }
}
