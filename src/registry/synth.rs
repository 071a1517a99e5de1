//! Synthetic filing packets for the filing office's tests and its scale measurement
//! (`congress registry synth`): whole congresses built with the packet writer of
//! `congress export` (boards from ballots, the tally, the signed record and addenda, rolls,
//! the roster summary, the printed report, the zip), each school with its own key, so every
//! packet passes `congress verify` exactly like a real one. Seeded: the same seed gives the
//! same ballots (keys are always fresh).
//!
//! A school's congress: a presidium election (5 seats, 7 candidates), the work report and a
//! charter amendment; `delegates` on the roster over 12 colleges, 95% present and voting; the
//! ordinary students' and women's shares as asked (to make a school fail an indicator).

use std::collections::BTreeMap;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::json;

use crate::crypto::blind::{ContestKey, TOKEN_LEN};
use crate::crypto::{canonical, sha256_hex, to_canonical, SigningKey};
use crate::domain::ballot::{Ballot, Choices, Mark};
use crate::domain::roster::{CollegeSummary, RosterSummary};
use crate::domain::settings::{RuleProfile, Threshold};
use crate::domain::tally::{tally, ContestSpec, MotionSpec, Turnout};
use crate::packet::format::*;
use crate::packet::{
    build_board, contest_spec, roll_csv, sign_addendum, sign_record, turnout, zip_packet, BoxFacts,
    PacketContents, PacketError,
};

/// One congress to make.
#[derive(Debug, Clone)]
pub struct Spec {
    pub school: String,
    /// File-safe congress id.
    pub congress_id: String,
    /// YYYY-MM-DD
    pub date: String,
    pub session_no: u32,
    /// Delegates on the roster (at least 24).
    pub delegates: u64,
    /// Ordinary students' share of the delegates, percent (each college alike).
    pub ordinary_pct: u64,
    pub women_pct: u64,
    /// Record the Party committee's approval (addenda/approval.json).
    pub approval: bool,
    pub seed: u64,
}

impl Spec {
    /// A typical congress of `school` on `date`.
    pub fn new(school: &str, congress_id: &str, date: &str, delegates: u64, seed: u64) -> Spec {
        Spec {
            school: school.to_string(),
            congress_id: congress_id.to_string(),
            date: date.to_string(),
            session_no: 12,
            delegates,
            ordinary_pct: 68,
            women_pct: 46,
            approval: true,
            seed,
        }
    }
}

/// A packet and the key that signed it.
pub struct Synthetic {
    pub key: SigningKey,
    pub contents: PacketContents,
}

impl Synthetic {
    /// The packet as the record page downloads it.
    pub fn zip(&self) -> Result<Vec<u8>, PacketError> {
        zip_packet(&self.contents)
    }
}

const COLLEGES: [&str; 12] = [
    "计算机学院",
    "外国语学院",
    "机械工程学院",
    "经济管理学院",
    "文学院",
    "数学与统计学院",
    "化学化工学院",
    "物理学院",
    "生命科学学院",
    "法学院",
    "艺术学院",
    "医学院",
];
const CANDIDATES: [(&str, &str); 7] = [
    ("王芳", "文学院"),
    ("李强", "物理学院"),
    ("张伟", "法学院"),
    ("刘洋", "经济管理学院"),
    ("陈静", "外国语学院"),
    ("杨帆", "计算机学院"),
    ("赵磊", "医学院"),
];
const FOR_PER_MILLE: [u32; 7] = [780, 720, 660, 600, 560, 250, 150];
const SURNAMES: [&str; 12] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙",
];
const GIVEN: [&str; 10] = ["伟", "芳", "娜", "敏", "静", "强", "磊", "洋", "艳", "杰"];

fn person(n: u64) -> String {
    format!(
        "{}{}",
        SURNAMES[(n % 12) as usize],
        GIVEN[(n / 12 % 10) as usize]
    )
}

fn mark(rng: &mut ChaCha8Rng, for_per_mille: u32) -> Mark {
    if rng.random_ratio(for_per_mille, 1000) {
        Mark::For
    } else if rng.random_ratio(1, 2) {
        Mark::Against
    } else {
        Mark::Abstain
    }
}

fn choices(rng: &mut ChaCha8Rng, contest: &str) -> Choices {
    match contest {
        "presidium" => Choices::Election {
            marks: (0..CANDIDATES.len())
                .map(|i| (format!("k{}", i + 1), mark(rng, FOR_PER_MILLE[i])))
                .collect(),
            write_ins: Vec::new(),
        },
        "charter" => Choices::Motion {
            vote: mark(rng, 800),
        },
        _ => Choices::Motion {
            vote: mark(rng, 900),
        },
    }
}

/// The roster summary: `n` delegates over the colleges, shares as asked, every grade and the
/// five main societies covered.
fn summary(spec: &Spec) -> RosterSummary {
    let n = spec.delegates;
    let per = n / COLLEGES.len() as u64;
    let mut colleges = Vec::new();
    let (mut ordinary, mut women) = (0, 0);
    for (i, c) in COLLEGES.iter().enumerate() {
        let d = if i == 0 {
            n - per * (COLLEGES.len() as u64 - 1)
        } else {
            per
        };
        let o = d * spec.ordinary_pct / 100;
        let w = d * spec.women_pct / 100;
        ordinary += o;
        women += w;
        let grades: Vec<String> = ["2022级", "2023级", "2024级", "2025级"]
            .iter()
            .map(|g| g.to_string())
            .collect();
        colleges.push(CollegeSummary {
            college: c.to_string(),
            quota: d,
            delegates: d,
            ordinary: o,
            ordinary_required: (d * 60).div_ceil(100),
            women: w,
            grades_covered: grades.clone(),
            grades_required: d.min(4),
            grades,
            ..CollegeSummary::default()
        });
    }
    let societies: Vec<String> = [
        "青年志愿者协会",
        "大学生艺术团",
        "学生科技协会",
        "体育联合会",
        "读书会",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    RosterSummary {
        rows: n,
        total: n,
        elected: n,
        ordinary,
        ordinary_required: (n * 60).div_ceil(100),
        women,
        women_required: (n * 30).div_ceil(100),
        colleges,
        societies_required: societies.clone(),
        societies_covered: societies,
        ..RosterSummary::default()
    }
}

/// The contests of every synthetic congress.
pub const CONTESTS: [&str; 3] = ["presidium", "work-report", "charter"];

/// One contest's signed ballot papers: its RSA key (SPKI PEM, fingerprint) and the papers as
/// (token hex, signature base64).
#[derive(Debug, Clone)]
pub struct Papers {
    pub key_pem: String,
    pub fingerprint: String,
    pub serials: Vec<(String, String)>,
}

/// The signed papers of the three contests, `n` each. A paper's signature covers only its
/// token, so one set serves any number of synthetic congresses of up to `n` voters: the RSA
/// signatures (3n of them, the slow part of making a packet) are made once per corpus.
#[derive(Debug, Clone)]
pub struct PaperSet {
    pub contests: BTreeMap<String, Papers>,
}

impl PaperSet {
    /// Fresh contest keys and `n` papers of each contest, tokens from `seed`.
    pub fn new(n: u64, seed: u64) -> Result<PaperSet, PacketError> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut contests = BTreeMap::new();
        for id in CONTESTS {
            let key = ContestKey::generate()?;
            let tokens: Vec<[u8; TOKEN_LEN]> = (0..n)
                .map(|_| {
                    let mut t = [0u8; TOKEN_LEN];
                    rng.fill(&mut t[..]);
                    t
                })
                .collect();
            let serials = crate::sim::paper::sign_tokens(&key, &tokens)
                .map_err(|e| PacketError::Contents(e.to_string()))?;
            contests.insert(
                id.to_string(),
                Papers {
                    key_pem: key.public_key().to_spki_pem(),
                    fingerprint: key.public_key().fingerprint(),
                    serials,
                },
            );
        }
        Ok(PaperSet { contests })
    }
}

/// Voters of a congress of `delegates` (95% present, at least 24 on the roster).
pub fn voters(delegates: u64) -> u64 {
    delegates.max(24) * 95 / 100
}

/// Builds the packet of `spec`, signed with a fresh key, with papers of its own.
pub fn packet(spec: &Spec) -> Result<Synthetic, PacketError> {
    let papers = PaperSet::new(voters(spec.delegates), spec.seed)?;
    packet_with(spec, SigningKey::generate()?, &papers)
}

/// Builds the packet of `spec`, signed with `key`, with papers of its own.
pub fn packet_with_key(spec: &Spec, key: SigningKey) -> Result<Synthetic, PacketError> {
    let papers = PaperSet::new(voters(spec.delegates), spec.seed)?;
    packet_with(spec, key, &papers)
}

fn from_json<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> Result<T, PacketError> {
    serde_json::from_value(v).map_err(|e| PacketError::Contents(format!("合成归档包: {e}")))
}

/// Builds the packet of `spec`, signed with `key`, its ballots on `papers` (which must hold
/// at least `voters(spec.delegates)` papers per contest).
pub fn packet_with(
    spec: &Spec,
    key: SigningKey,
    papers: &PaperSet,
) -> Result<Synthetic, PacketError> {
    let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
    let cid = spec.congress_id.as_str();
    let roster = spec.delegates.max(24);
    let present = voters(spec.delegates);
    let settings = RuleProfile::default();
    let summary = summary(&Spec {
        delegates: roster,
        ..spec.clone()
    });
    let summary_bytes = canonical(&summary)?;
    // Built as JSON and read into the format's types, so that fields the format adds later
    // with a default need nothing here.
    let mut record: Record = from_json(json!({
        "v": VERSION, "kind": RECORD_KIND,
        "congress": {
            "id": cid, "name": format!("{}第{}次学生代表大会", spec.school, spec.session_no),
            "school": spec.school, "level": "school", "level_zh": "校级",
            "session_no": spec.session_no, "date": spec.date, "place": "大学生活动中心报告厅",
        },
        "settings": settings,
        "delegates": {"roster": roster, "absences": 0, "expected": roster},
        "quorum_rule": "超过2/3",
        "contests": [],
        "scrutineers": [{"role": "chief", "role_zh": "总监票人", "name": "周敏"}],
        "roster_summary_sha256": sha256_hex(&summary_bytes),
        "key_fingerprint": key.public_key().fingerprint(),
        "signed_at": format!("{}T17:00:00+08:00", spec.date),
    }))?;
    let people: Vec<(u32, String, String)> = (1..=present)
        .map(|n| (n as u32, person(n), COLLEGES[(n % 12) as usize].to_string()))
        .collect();
    let roll = roll_csv(&people)?;
    let plans = [
        (
            "presidium",
            ELECTION,
            "主席团选举",
            None,
            record.settings.election_threshold,
        ),
        (
            "work-report",
            MOTION,
            "关于学生会工作报告的决议",
            Some("work_report"),
            Threshold::ORDINARY,
        ),
        (
            "charter",
            MOTION,
            "学生会章程修正案",
            Some("charter"),
            Threshold::CHARTER,
        ),
    ];
    let (mut boards, mut rolls, mut keys) = (BTreeMap::new(), BTreeMap::new(), BTreeMap::new());
    for (order, (id, kind, title, motion_kind, threshold)) in plans.into_iter().enumerate() {
        let signed = papers
            .contests
            .get(id)
            .filter(|p| p.serials.len() as u64 >= present)
            .ok_or_else(|| PacketError::Contents(format!("{id}: 已签名的选票不足 {present} 张")))?;
        let bodies: Vec<String> = signed.serials[..present as usize]
            .iter()
            .map(|(token, sig)| {
                let ballot = Ballot::signed(cid, id, choices(&mut rng, id), token, sig);
                String::from_utf8(to_canonical(&ballot.to_value())?)
                    .map_err(|e| PacketError::Contents(e.to_string()))
            })
            .collect::<Result<_, PacketError>>()?;
        let facts = BoxFacts {
            issued: present,
            paper: present / 50,
            key_pem: signed.key_pem.clone(),
            key_fingerprint: signed.fingerprint.clone(),
        };
        let built = build_board(cid, id, &facts, bodies)?;
        keys.insert(id.to_string(), signed.key_pem.clone());
        let candidates: Vec<serde_json::Value> = if kind == ELECTION {
            CANDIDATES
                .iter()
                .enumerate()
                .map(|(i, (name, college))| {
                    json!({"id": format!("k{}", i + 1), "name": name, "college": college,
                           "eligibility_override": null})
                })
                .collect()
        } else {
            Vec::new()
        };
        let placeholder = tally(
            &ContestSpec::Motion(MotionSpec { threshold }),
            Turnout {
                issued: 0,
                roster: 0,
            },
            &[],
        );
        let mut c: RecordContest = from_json(json!({
            "id": id, "kind": kind, "title": title, "text": title,
            "agenda_order": order + 1, "motion_kind": motion_kind,
            "round_kind": null, "parent": null,
            "seats": (kind == ELECTION).then_some(5), "allow_write_in": false,
            "candidates": candidates, "margin_override": null, "threshold": threshold,
            "present_at_opening": present, "expected_at_opening": roster,
            "quorum_met": present * 3 > roster * 2,
            "board": {
                "file": board_path(id), "sha256": sha256_hex(&built.bytes),
                "merkle_root": built.board.merkle_root, "issued": present,
                "cast": built.board.cast, "roll_file": roll_path(id),
                "roll_sha256": sha256_hex(&roll), "roll_count": people.len(),
            },
            "result": placeholder,
        }))?;
        let marks: Vec<Choices> = built
            .board
            .ballots
            .iter()
            .map(|v| Ballot::from_value(v).map(|b| b.choices))
            .collect::<Result<_, _>>()
            .map_err(|e| PacketError::Contents(e.to_string()))?;
        c.result = tally(&contest_spec(&c, &record.settings)?, turnout(&c), &marks);
        record.contests.push(c);
        boards.insert(id.to_string(), built.bytes);
        rolls.insert(id.to_string(), roll.clone());
    }
    let signed = sign_record(&key, &record)?;
    let mut addenda = BTreeMap::new();
    if spec.approval {
        let approval: Addendum = from_json(json!({
            "v": VERSION, "kind": "approval", "congress": cid,
            "record_sha256": sha256_hex(&signed.bytes),
            "body": format!("中共{}委员会", spec.school),
            "reference": format!("校党发〔{}〕{}号", &spec.date[..4.min(spec.date.len())], spec.seed % 90 + 10),
            "date": spec.date, "recorded_at": format!("{}T18:00:00+08:00", spec.date),
        }))?;
        addenda.insert("approval".to_string(), sign_addendum(&key, &approval)?);
    }
    let mut contents = PacketContents {
        record: signed,
        public_key_pem: key.public_key().to_spki_pem(),
        boards,
        rolls,
        contest_keys: keys,
        roster_summary: summary_bytes,
        report_html: Vec::new(),
        addenda,
        approval: Default::default(),
    };
    let url = crate::packet::report::verify_url("https://xdh.example.edu.cn", cid);
    crate::packet::report::fill_report(&mut contents, &url)
        .map_err(|e| PacketError::Contents(e.to_string()))?;
    Ok(Synthetic { key, contents })
}

#[cfg(test)]
#[path = "synth_tests.rs"]
mod tests;
