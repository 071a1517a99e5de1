//! `congress simulate --term`: after the simulated congress, its term (rules H) through the
//! same services the pages call: one standing delegate per college nominated and frozen, a
//! 评议会 voting on the presidium's work report (its three participants counted apart, rule I7),
//! then a 常代会 meeting with a removal vote on
//! the first presidium member (everyone votes for it, so a seat is free) and then a by-election
//! of one; each meeting's ballots taken and cast
//! in process through the real issuer and ballot box, counted, certified, exported and verified
//! from its packet like an outsider.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::anyhow;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::domain::ballot::{Choices, Mark};
use crate::domain::contest::{ContestDefinition, ContestKind, MotionKind};
use crate::domain::ids::ContestId;
use crate::domain::settings::Threshold;
use crate::domain::term::{MeetingKind, ParticipantVotes};
use crate::domain::types::Gender;
use crate::packet::verify::verify_packet;
use crate::packet::write_packet;
use crate::service::ballot_box::BallotBox;
use crate::service::contests::CandidateData;
use crate::service::papers::PaperIssuer;
use crate::service::scrutineers::ScrutineerInput;
use crate::service::term::{self, MeetingDetails};
use crate::service::{self, credentials, results, voting};
use crate::storage::repo::roster as roster_repo;
use crate::storage::repo::scrutineers::ScrutineerRole;
use crate::storage::repo::term as term_repo;

use super::paper::{cast_in_process, cast_participant_in_process, take_participant_in_process};
use super::run::{all_choices, close_and_certify, take_papers};
use super::scenario::Prepared;
use super::simulate::Stage1;

/// One meeting of the simulated term.
#[derive(Debug, Clone, Serialize)]
pub struct MeetingReport {
    pub name: String,
    pub kind: String,
    pub delegates: usize,
    /// Contest titles with their ballots on the board.
    pub ballots: Vec<(String, u64)>,
    pub packet: String,
    pub verified: bool,
    pub verify_failures: Vec<String>,
}

/// The term: its meetings and the presidium the records make at the end.
#[derive(Debug, Clone, Serialize)]
pub struct TermReport {
    pub standing_delegates: usize,
    pub meetings: Vec<MeetingReport>,
    pub presidium: Vec<String>,
}

impl TermReport {
    pub fn verified(&self) -> bool {
        !self.meetings.is_empty() && self.meetings.iter().all(|m| m.verified)
    }
}

/// Where meeting `n`'s packet goes: beside the congress's (`<out>-meeting-<n>`).
pub fn meeting_dir(out: &Path, n: usize) -> PathBuf {
    PathBuf::from(format!("{}-meeting-{n}", out.display()))
}

fn motion(title: &str, kind: MotionKind) -> ContestDefinition {
    ContestDefinition {
        title: title.to_string(),
        body: title.to_string(),
        motion_kind: Some(kind),
        seats: None,
        allow_write_in: false,
        threshold: kind.default_threshold(),
        margin_override: None,
        election_kind: None,
        threshold_reason: None,
    }
}

/// Runs the term of the certified congress of `st`; packets next to `out`.
pub fn run(st: &Stage1, out: &Path, seed: u64) -> anyhow::Result<TermReport> {
    let (actor, keys) = (&st.actor, &st.keys);
    let cid = st.prepared.congress_id.clone();
    let mut conn = st.db.conn()?;
    let c = &mut *conn;
    let congress = service::congress::load(c, &cid)?;
    // One standing delegate per college: its first delegate.
    let mut first: BTreeMap<String, u32> = BTreeMap::new();
    for d in roster_repo::delegates(c, &cid)? {
        first
            .entry(d.student.college.clone())
            .or_insert(d.delegate_no);
    }
    let quotas = first.keys().map(|k| (k.clone(), 1)).collect();
    term::set_quotas(c, actor, &cid, &quotas)?;
    let numbers: Vec<u32> = first.values().copied().collect();
    term::nominate(c, actor, &cid, &numbers)?;
    term::freeze(c, actor, &cid)?;
    let date = chrono::NaiveDate::parse_from_str(&congress.date, "%Y-%m-%d")?;
    let issuer = PaperIssuer::spawn(st.db.clone());
    let ballot_box = BallotBox::spawn(st.db.clone());
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut meetings = Vec::new();
    let plan = [
        (MeetingKind::Review, "述职评议会", 4),
        (MeetingKind::Standing, "常任代表会议第一次会议", 6),
    ];
    for (n, (kind, title, months)) in plan.into_iter().enumerate() {
        let day = date
            .checked_add_months(chrono::Months::new(months))
            .ok_or_else(|| anyhow!("日期超出范围"))?;
        let details = MeetingDetails {
            kind,
            name: format!("{}{}", congress.name, title),
            date: day.to_string(),
            place: "学生活动中心".to_string(),
        };
        let m = term::create_meeting(c, actor, &cid, &details, keys)?;
        let mid = m.id.clone();
        service::scrutineers::add(
            c,
            actor,
            &mid,
            &ScrutineerInput {
                role: ScrutineerRole::Chief,
                name: "模拟总监票人".to_string(),
                student_no: None,
                username: None,
            },
        )?;
        let mut agenda: Vec<(ContestId, Option<u32>)> = Vec::new();
        let mut removal: Option<ContestId> = None;
        if kind == MeetingKind::Review {
            // Three participants (学工部, 校团委), counted apart (rule I7).
            for (name, unit) in [
                ("模拟列席甲", "学工部"),
                ("模拟列席乙", "校团委"),
                ("模拟列席丙", "学工部"),
            ] {
                term::add_participant(c, actor, &mid, name, unit)?;
            }
            term::set_participant_votes(c, actor, &mid, ParticipantVotes::Apart)?;
            let k = service::contests::create(
                c,
                actor,
                &mid,
                ContestKind::Motion,
                &motion("评议主席团述职报告", MotionKind::WorkReport),
            )?;
            agenda.push((k.id, None));
        } else {
            if let Some(seat) = term::presidium_of(c, &cid)?.first() {
                let k = term::propose_removal(c, actor, &mid, &seat.member)?;
                removal = Some(k.clone());
                agenda.push((k, None));
            }
            let mut def = motion("补选学生会主席团成员", MotionKind::Other);
            def.motion_kind = None;
            def.seats = Some(1);
            def.threshold = Threshold::ORDINARY;
            let k = service::contests::create(c, actor, &mid, ContestKind::Election, &def)?;
            for (i, name) in ["模拟候选人甲", "模拟候选人乙"].iter().enumerate() {
                let data = CandidateData {
                    name: name.to_string(),
                    student_no: format!("SIM{:04}", 9001 + i),
                    college: first.keys().next().cloned().unwrap_or_default(),
                    gender: Some(if i == 0 { Gender::Female } else { Gender::Male }),
                    political_status: "共青团员".to_string(),
                    rank_pct: Some(10),
                    failed_courses: 0,
                    eligibility_override: None,
                };
                service::contests::add_candidate(c, actor, &mid, &k.id, &data)?;
            }
            // Rules C5, C6: the by-election's list approved and noticed, as the congress's.
            let key = keys.load(mid.as_str())?;
            service::approval::prior::record_past_list_steps(c, actor, &key, &mid, &k.id)?;
            agenda.push((k.id, Some(1)));
        }
        credentials::issue(c, actor, &mid, &st.secrets.credential)?;
        service::attendance::open_session(c, actor, &mid)?;
        let cards = credentials::cards(c, &mid, None, &st.secrets.credential)?;
        for card in &cards {
            credentials::login_with_token(c, &card.token).map_err(|e| anyhow!("{e}"))?;
        }
        let participants = term_repo::participants(c, &mid)?;
        for pt in &participants {
            term::set_participant_present(c, actor, &mid, &pt.id, true)?;
        }
        let p = Prepared {
            congress_id: mid.clone(),
            election_id: ContestId::default(),
            seats: 1,
            motion_ids: Vec::new(),
            cards,
        };
        // One item after the other, as a meeting runs its agenda: the removal is counted
        // before the by-election opens, so the seat it frees counts for rule C1. The removal
        // is voted for by everyone (the simulated meeting removes); the rest at random.
        for (k, seats) in &agenda {
            voting::open(c, actor, keys, &mid, k)?;
            let key = voting::contest_key(keys, &mid, k, false)?;
            let papers = take_papers(&issuer, &key, &p, k)?;
            let removal = removal.as_ref() == Some(k);
            let marked = if removal {
                vec![Choices::Motion { vote: Mark::For }; papers.len()]
            } else {
                all_choices(c, &p, k, *seats, &mut rng)?
            };
            for (paper, choices) in papers.iter().zip(marked) {
                cast_in_process(&ballot_box, &mid, k, key.public_key(), choices, paper)?;
            }
            if term_repo::participant_box(c, k)?.is_some() {
                let pkey = term::participants::participant_key(keys, &mid, k, false)?;
                let votes = [Mark::For, Mark::For, Mark::Against];
                for (pt, vote) in participants.iter().zip(votes) {
                    let paper = take_participant_in_process(c, &pkey, k, &pt.id)?;
                    let choices = Choices::Motion { vote };
                    cast_participant_in_process(
                        &ballot_box,
                        &mid,
                        k,
                        pkey.public_key(),
                        choices,
                        &paper,
                    )?;
                }
            }
            voting::close(c, actor, &mid, k)?;
            let counted = results::finalise(c, actor, &mid, k, false)?;
            for round in counted.proposed {
                service::contests::not_held(
                    c,
                    actor,
                    &mid,
                    &round.id,
                    "模拟运行只举行议程上的事项",
                )?;
            }
        }
        let record = close_and_certify(c, actor, keys, &p)?;
        let dir = meeting_dir(out, n + 1);
        let contents = service::record::filing_packet(c, &mid, "http://127.0.0.1")?;
        write_packet(&dir, &contents)?;
        let checklist = verify_packet(&dir, None);
        meetings.push(MeetingReport {
            name: m.name.clone(),
            kind: kind.zh().to_string(),
            delegates: p.cards.len(),
            ballots: record
                .contests
                .iter()
                .flat_map(|k| {
                    let apart = k
                        .participants
                        .as_ref()
                        .map(|p| (format!("{} · {}", k.title, p.label), p.board.cast));
                    std::iter::once((k.title.clone(), k.board.cast)).chain(apart)
                })
                .collect(),
            packet: dir.display().to_string(),
            verified: checklist.all_ok(),
            verify_failures: checklist
                .failures()
                .map(|f| format!("{}: {}", f.name, f.detail))
                .collect(),
        });
    }
    Ok(TermReport {
        standing_delegates: numbers.len(),
        meetings,
        presidium: term::presidium_of(c, &cid)?
            .into_iter()
            .map(|s| s.member.name)
            .collect(),
    })
}

/// Prints the term's lines after the congress's.
pub fn print(r: &TermReport) {
    println!("闭会期间: 常任代表 {} 名", r.standing_delegates);
    for m in &r.meetings {
        println!("{} “{}”: {} 名常任代表", m.kind, m.name, m.delegates);
        for (title, n) in &m.ballots {
            println!("  公示 “{title}”: {n} 张选票");
        }
        println!("  备案材料: {}", m.packet);
        if m.verified {
            println!("  核验: 全部通过 ✓");
        } else {
            println!("  核验: 未通过 ✗");
            for f in &m.verify_failures {
                println!("    ✗ {f}");
            }
        }
    }
    println!("主席团现任成员: {}", r.presidium.join("、"));
}
