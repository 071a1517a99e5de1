//! A synthetic congress built entirely from `domain` and `crypto`, the way the export does: a
//! presidium election (5 seats, 7 candidates, write-ins allowed, some over-voted ballots), a
//! work-report motion and a charter amendment; random ballots from a seeded ChaCha RNG, each
//! a v2 ballot whose token its contest's own RSA key signed; tallied, recorded, signed, with
//! rolls, the contest keys, a roster summary and both addenda. Shared by `tests/it/packet/mod.rs`,
//! the fuzz targets and `examples/verify_million.rs` (which caches the signed papers: a
//! million RSA signatures take minutes, see `build_with`).

#![allow(dead_code)]

use std::collections::BTreeMap;

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::json;

use congress::crypto::blind::ContestKey;
use congress::crypto::{sha256_hex, to_canonical, SigningKey};
use congress::domain::ballot::{Ballot, Choices, Mark, Serial};
use congress::domain::settings::{RuleProfile, Threshold};
use congress::domain::tally::{tally, ContestResult, ContestSpec, MotionSpec, Turnout};
use congress::packet::format::*;
use congress::packet::{
    build_board, contest_spec, roll_csv, sign_addendum, sign_record, turnout, BoxFacts,
    PacketContents,
};

pub const CONGRESS: &str = "xdh2025";
pub const COLLEGES: [&str; 6] = [
    "文学院",
    "理学院",
    "法学院",
    "经济学院",
    "外国语学院",
    "计算机学院",
];
pub const CANDIDATES: [(&str, &str, &str); 7] = [
    ("c01", "王芳", "文学院"),
    ("c02", "李强", "理学院"),
    ("c03", "张伟", "法学院"),
    ("c04", "刘洋", "经济学院"),
    ("c05", "陈静", "外国语学院"),
    ("c06", "杨帆", "计算机学院"),
    ("c07", "赵磊", "理学院"),
];
/// Chance (per mille) of a for-mark for each candidate, in ballot order.
const FOR_PER_MILLE: [u32; 7] = [760, 700, 640, 580, 520, 260, 160];

/// How big the congress is.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    pub seed: u64,
    /// Ballots cast in the election.
    pub election_cast: u64,
    /// Ballots cast in each motion.
    pub motion_cast: u64,
}

impl Size {
    /// A few hundred delegates.
    pub const SMALL: Size = Size {
        seed: 20250518,
        election_cast: 297,
        motion_cast: 301,
    };
}

/// The packet, its signing key and each contest's stored ballot bodies.
pub struct Fixture {
    pub key: SigningKey,
    /// What each board states besides its ballots (issued, paper, contest key).
    pub facts: BTreeMap<String, BoxFacts>,
    pub record: Record,
    pub contents: PacketContents,
    pub bodies: BTreeMap<String, Vec<String>>,
}

/// One contest's signed papers: its public key (SPKI PEM) and fingerprint, and the papers
/// as (token hex, signature base64).
#[derive(Debug, Clone)]
pub struct Papers {
    pub key_pem: String,
    pub fingerprint: String,
    pub serials: Vec<(String, String)>,
}

/// `n` papers of `contest` signed by a fresh contest key, tokens from `seed` (signed in
/// parallel).
pub fn sign_papers(seed: u64, contest: &str, n: u64) -> Papers {
    let key = ContestKey::generate().expect("contest key");
    let stream = contest
        .bytes()
        .fold(seed, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)));
    let mut rng = ChaCha8Rng::seed_from_u64(stream);
    let tokens: Vec<[u8; 64]> = (0..n)
        .map(|_| {
            let mut t = [0u8; 64];
            rng.fill(&mut t[..]);
            t
        })
        .collect();
    Papers {
        key_pem: key.public_key().to_spki_pem(),
        fingerprint: key.public_key().fingerprint(),
        serials: congress::sim::paper::sign_tokens(&key, &tokens).expect("sign"),
    }
}

fn ballot(contest: &str, choices: Choices, serial: &(String, String)) -> String {
    let b = Ballot {
        congress: CONGRESS.into(),
        contest: contest.into(),
        choices,
        serial: Serial::Signed {
            token: serial.0.clone(),
            token_sig: serial.1.clone(),
        },
    };
    String::from_utf8(to_canonical(&b.to_value()).expect("ballot JSON")).expect("UTF-8")
}

fn election_choices(rng: &mut ChaCha8Rng) -> Choices {
    let all_for = rng.random_ratio(2, 100); // over-voted: 7 for-marks for 5 seats (废票)
    let marks = CANDIDATES
        .iter()
        .zip(FOR_PER_MILLE)
        .map(|((id, _, _), p)| {
            let mark = if all_for || rng.random_ratio(p, 1000) {
                Mark::For
            } else if rng.random_ratio(1, 2) {
                Mark::Against
            } else {
                Mark::Abstain
            };
            (id.to_string(), mark)
        })
        .collect();
    let write_ins = if rng.random_ratio(1, 100) {
        vec!["孙悦".to_string()]
    } else {
        Vec::new()
    };
    Choices::Election { marks, write_ins }
}

fn motion_choices(rng: &mut ChaCha8Rng, for_per_mille: u32) -> Choices {
    let vote = if rng.random_ratio(for_per_mille, 1000) {
        Mark::For
    } else if rng.random_ratio(1, 2) {
        Mark::Against
    } else {
        Mark::Abstain
    };
    Choices::Motion { vote }
}

/// A delegate's name: surname and given name from short lists (names repeat in big rosters,
/// as they do in real ones).
fn name(n: u64) -> String {
    const SURNAMES: [&str; 12] = [
        "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙",
    ];
    const GIVEN: [&str; 10] = ["伟", "芳", "娜", "敏", "静", "强", "磊", "洋", "艳", "杰"];
    format!(
        "{}{}",
        SURNAMES[(n % 12) as usize],
        GIVEN[(n / 12 % 10) as usize]
    )
}

/// A result to fill the field until the contest exists to compute the real one from.
fn placeholder() -> ContestResult {
    let spec = ContestSpec::Motion(MotionSpec {
        threshold: Threshold::ORDINARY,
    });
    tally(
        &spec,
        Turnout {
            issued: 0,
            roster: 0,
        },
        &[],
    )
}

struct Plan {
    id: &'static str,
    kind: &'static str,
    title: &'static str,
    motion_kind: Option<&'static str>,
    threshold: Threshold,
    cast: u64,
}

/// `n` signed papers of `contest`: read from `target/verify-million/`, or signed (in parallel)
/// and written there.
pub fn cached_papers(seed: u64, contest: &str, n: u64) -> Papers {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/verify-million");
    let path = dir.join(format!("{contest}-{n}-{seed}.papers"));
    if let Some(p) = std::fs::read_to_string(&path)
        .ok()
        .and_then(|t| parse(&t, n))
    {
        return p;
    }
    let started = std::time::Instant::now();
    let papers = sign_papers(seed, contest, n);
    println!(
        "signed {n} papers of {contest} in {:.1} s; cached in {}",
        started.elapsed().as_secs_f64(),
        path.display()
    );
    let mut text = format!("{}{}\n", papers.key_pem, papers.fingerprint);
    for (token, sig) in &papers.serials {
        text.push_str(token);
        text.push(' ');
        text.push_str(sig);
        text.push('\n');
    }
    if std::fs::create_dir_all(&dir).is_ok() {
        let _ = std::fs::write(&path, text);
    }
    papers
}

/// Reads a cache file written by `cached_papers` (None if it is not complete).
fn parse(text: &str, n: u64) -> Option<Papers> {
    let end = "-----END PUBLIC KEY-----\n";
    let (pem, rest) = text.split_at(text.find(end)? + end.len());
    let mut lines = rest.lines();
    let fingerprint = lines.next()?.to_string();
    let serials: Vec<(String, String)> = lines
        .map(|l| {
            l.split_once(' ')
                .map(|(t, s)| (t.to_string(), s.to_string()))
        })
        .collect::<Option<_>>()?;
    (serials.len() as u64 == n).then(|| Papers {
        key_pem: pem.to_string(),
        fingerprint,
        serials,
    })
}

/// Builds the whole packet, signing its papers with fresh keys.
pub fn build(size: Size) -> Fixture {
    build_with(size, sign_papers)
}

/// Builds the whole packet with the papers `papers(seed, contest, n)` gives (the million-ballot
/// example caches them on disk).
pub fn build_with(size: Size, papers: impl Fn(u64, &str, u64) -> Papers) -> Fixture {
    let mut rng = ChaCha8Rng::seed_from_u64(size.seed);
    let key = SigningKey::generate().expect("key");
    let most = size.election_cast.max(size.motion_cast);
    let roster = most + 12;
    let absences = 3;
    let expected = roster - absences;
    let settings = RuleProfile {
        subtract_approved_absences: true,
        ..RuleProfile::default()
    };
    let plans = [
        Plan {
            id: "presidium",
            kind: ELECTION,
            title: "第二十届学生会主席团选举",
            motion_kind: None,
            threshold: settings.election_threshold,
            cast: size.election_cast,
        },
        Plan {
            id: "work-report",
            kind: MOTION,
            title: "关于学生会工作报告的决议",
            motion_kind: Some("work_report"),
            threshold: Threshold::ORDINARY,
            cast: size.motion_cast,
        },
        Plan {
            id: "charter",
            kind: MOTION,
            title: "学生会章程修正案",
            motion_kind: Some("charter"),
            threshold: Threshold::CHARTER,
            cast: size.motion_cast,
        },
    ];
    let delegates: Vec<(u32, String, String)> = (1..=roster)
        .map(|n| (n as u32, name(n), COLLEGES[(n % 6) as usize].to_string()))
        .collect();

    let summary = to_canonical(&json!({
        "total": roster,
        "colleges": COLLEGES.iter().map(|c| (c.to_string(), json!(roster / 6))).collect::<serde_json::Map<_, _>>(),
        "ordinary_pct": 68,
        "women_pct": 41,
    }))
    .expect("summary");
    let mut record = Record {
        v: VERSION,
        kind: RECORD_KIND.into(),
        congress: RecordCongress {
            id: CONGRESS.into(),
            name: "某某大学第二十次学生代表大会".into(),
            school: "某某大学".into(),
            level: "school".into(),
            level_zh: "校级".into(),
            session_no: 20,
            date: "2025-05-18".into(),
            place: "大学生活动中心报告厅".into(),
        },
        settings,
        delegates: RecordDelegates {
            roster,
            absences,
            expected,
        },
        quorum_rule: "超过2/3".into(),
        contests: Vec::new(),
        scrutineers: [
            ("chief", "总监票人", "周敏"),
            ("scrutineer", "监票人", "吴刚"),
            ("counter", "计票人", "郑丽"),
        ]
        .iter()
        .map(|(role, zh, name)| RecordScrutineer {
            role: role.to_string(),
            role_zh: zh.to_string(),
            name: name.to_string(),
        })
        .collect(),
        roster_summary_sha256: sha256_hex(&summary),
        key_fingerprint: key.public_key().fingerprint(),
        signed_at: "2025-05-18T17:05:00+08:00".into(),
    };

    let (mut boards, mut rolls, mut all_bodies, mut keys, mut all_facts) = (
        BTreeMap::new(),
        BTreeMap::new(),
        BTreeMap::new(),
        BTreeMap::new(),
        BTreeMap::new(),
    );
    for (order, plan) in plans.iter().enumerate() {
        let issued = plan.cast + 4; // four delegates took a ballot and did not hand it in
        let signed = papers(size.seed, plan.id, plan.cast);
        let bodies: Vec<String> = signed
            .serials
            .iter()
            .map(|serial| {
                let choices = match plan.motion_kind {
                    None => election_choices(&mut rng),
                    Some("charter") => motion_choices(&mut rng, 760),
                    Some(_) => motion_choices(&mut rng, 880),
                };
                ballot(plan.id, choices, serial)
            })
            .collect();
        let facts = BoxFacts {
            issued,
            paper: plan.cast / 33, // about 3% entered from paper
            key_pem: signed.key_pem.clone(),
            key_fingerprint: signed.fingerprint.clone(),
        };
        let built = build_board(CONGRESS, plan.id, &facts, bodies.clone()).expect("board");
        keys.insert(plan.id.to_string(), signed.key_pem);
        all_facts.insert(plan.id.to_string(), facts);
        let mut on_roll = delegates.clone();
        on_roll.shuffle(&mut rng);
        on_roll.truncate((plan.cast + 2) as usize);
        let roll = roll_csv(&on_roll).expect("roll");
        let mut c = RecordContest {
            id: plan.id.into(),
            kind: plan.kind.into(),
            title: plan.title.into(),
            text: format!("{}(大会第 {} 项议程)", plan.title, order + 1),
            agenda_order: order as u32 + 1,
            motion_kind: plan.motion_kind.map(str::to_string),
            round_kind: None,
            parent: None,
            seats: (plan.kind == ELECTION).then_some(5),
            allow_write_in: plan.kind == ELECTION,
            candidates: if plan.kind == ELECTION {
                CANDIDATES
                    .iter()
                    .map(|(id, name, college)| RecordCandidate {
                        id: id.to_string(),
                        name: name.to_string(),
                        college: college.to_string(),
                        eligibility_override: None,
                    })
                    .collect()
            } else {
                Vec::new()
            },
            margin_override: None,
            election_kind: None,
            threshold_reason: None,
            rounds_not_held: Vec::new(),
            participants: None,
            review: None,
            threshold: plan.threshold,
            present_at_opening: issued,
            expected_at_opening: expected,
            quorum_met: issued * 3 > expected * 2,
            board: BoardRef {
                file: board_path(plan.id),
                sha256: sha256_hex(&built.bytes),
                merkle_root: built.board.merkle_root.clone(),
                issued,
                cast: built.board.cast,
                roll_file: roll_path(plan.id),
                roll_sha256: sha256_hex(&roll),
                roll_count: on_roll.len() as u64,
            },
            result: placeholder(),
        };
        let choices: Vec<Choices> = built
            .board
            .ballots
            .iter()
            .map(|v| Ballot::from_value(v).expect("ballot").choices)
            .collect();
        c.result = tally(
            &contest_spec(&c, &record.settings).expect("spec"),
            turnout(&c),
            &choices,
        );
        record.contests.push(c);
        boards.insert(plan.id.to_string(), built.bytes);
        rolls.insert(plan.id.to_string(), roll);
        all_bodies.insert(plan.id.to_string(), bodies);
    }

    let signed = sign_record(&key, &record).expect("sign");
    let record_sha256 = sha256_hex(&signed.bytes);
    let mut addenda = BTreeMap::new();
    for (kind, body, reference, date) in [
        (
            "approval",
            "中共某某大学委员会",
            Some("校党发〔2025〕31号"),
            "2025-05-22",
        ),
        ("filing", "共青团某某省委员会学校部", None, "2025-05-30"),
    ] {
        let a = Addendum {
            v: VERSION,
            kind: kind.into(),
            congress: CONGRESS.into(),
            record_sha256: record_sha256.clone(),
            body: body.into(),
            reference: reference.map(str::to_string),
            date: date.into(),
            recorded_at: format!("{date}T10:00:00+08:00"),
            corrects: None,
            reason: None,
        };
        addenda.insert(kind.to_string(), sign_addendum(&key, &a).expect("addendum"));
    }
    let contents = PacketContents {
        record: signed,
        public_key_pem: key.public_key().to_spki_pem(),
        boards,
        rolls,
        contest_keys: keys,
        roster_summary: summary,
        report_html: "<!doctype html><meta charset=utf-8><title>某某大学第二十次学生代表大会 选举结果报告单</title>".as_bytes().to_vec(),
        addenda,
        approval: Default::default(),
    };
    Fixture {
        key,
        facts: all_facts,
        record,
        contents,
        bodies: all_bodies,
    }
}
