//! A small congress built through the services, the way the pages would: 12 delegates of 3
//! colleges (10 present), three scrutineers, a presidium election (3 seats, 5 candidates) and
//! a work-report motion, voted on phones through the ballot box and on paper.
//!
//! The election's ten ballots (A 王芳, B 李强, C 张伟, D 刘洋, E 陈静; threshold: over 1/2 of
//! 10 present, at least 6 for-votes):
//!
//! | ballots       | for     | against | abstain | how                  |
//! |---------------|---------|---------|---------|----------------------|
//! | 1             | B C D   | A       | E       | phone                |
//! | 2, 3          | A C D   | B E     |         | phone                |
//! | 4, 5, 6       | A B D   | E       | C       | phone                |
//! | 7, 8          | A B C   | D       | E       | phone                |
//! | 9             | A B C   | D       | E       | paper (delegate 10)  |
//! | 10            | A B C D | E       |         | phone, over-voted 废票 |
//!
//! Valid 9: A 8/1/0, B 7/2/0, C 6/0/3, D 6/3/0, E 0/5/4 (for/against/abstain). A and B are
//! elected; C and D tie at 6 for the third seat: 再次投票 among them for 1 seat.
//!
//! The motion: delegates 1-9 vote on phones, 7 for, 1 against, 1 abstain (passes: 7 > 5);
//! delegate 10 is handed a paper ballot that never comes back.

#![allow(dead_code)]

use std::collections::BTreeMap;

use congress::domain::ballot::{Choices, Mark};
use congress::domain::contest::{ContestDefinition, ContestKind, MotionKind};
use congress::domain::ids::{CongressId, ContestId};
use congress::domain::settings::Threshold;
use congress::domain::state::CongressState;
use congress::domain::types::{
    CollegeEnrolment, DelegateKind, Gender, RosterEntry, Society, Student,
};
use congress::service::contests::CandidateData;
use congress::service::scrutineers::ScrutineerInput;
use congress::service::{self, Actor};
use congress::sim::paper::{cast_in_process, take_in_process};
use congress::storage::repo::scrutineers::ScrutineerRole;
use congress::storage::repo::users::Role;
use congress::storage::repo::{congress as congress_repo, roster as roster_repo};
use congress::storage::write_tx;

use crate::common::http::{Client, TestApp};
use crate::common::Kind;

pub const COLLEGES: [&str; 3] = ["信息学院", "文学院", "理学院"];
/// (name, gender, union role) per delegate, 4 per college in `COLLEGES` order.
pub const DELEGATES: [(&str, Gender, &str); 12] = [
    ("陈思远", Gender::Male, "学生会部长"),
    ("林晓雨", Gender::Female, ""),
    ("黄子豪", Gender::Male, ""),
    ("周雅婷", Gender::Female, ""),
    ("吴浩然", Gender::Male, "学生会部长"),
    ("郑欣怡", Gender::Female, ""),
    ("孙博文", Gender::Male, ""),
    ("马诗涵", Gender::Female, ""),
    ("朱俊杰", Gender::Male, "学生会部长"),
    ("胡梦琪", Gender::Female, ""),
    ("郭天宇", Gender::Male, ""),
    ("何佳怡", Gender::Female, ""),
];
pub const CANDIDATES: [&str; 5] = ["王芳", "李强", "张伟", "刘洋", "陈静"];
pub const SCRUTINEERS: [(ScrutineerRole, &str); 3] = [
    (ScrutineerRole::Chief, "周敏"),
    (ScrutineerRole::Scrutineer, "吴刚"),
    (ScrutineerRole::Counter, "郑丽"),
];
pub const ELECTION_TITLE: &str = "选举第十届学生会主席团成员";
pub const MOTION_TITLE: &str = "关于学生会工作报告的决议";

/// Student number of delegate `i` (0-based).
/// The organiser's reason for the motion's threshold (过半数 of 应到 instead of 实到).
pub const MOTION_THRESHOLD_REASON: &str = "工作报告须经应到代表过半数通过(主席团会议决定)";

pub fn student_no(i: usize) -> String {
    format!("2023{:04}", 101 + i)
}

pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(f)
}

/// The congress in session with both contests open and voted (not closed yet).
pub struct World {
    pub app: TestApp,
    pub org: Client,
    pub cid: String,
    pub election: String,
    pub motion: String,
    /// Candidate name -> id.
    pub candidate: BTreeMap<String, String>,
    /// Trackers of the election's phone ballots, and of its paper ballot.
    pub election_trackers: Vec<String>,
    pub paper_tracker: String,
    pub motion_trackers: Vec<String>,
}

impl World {
    pub fn conn(&self) -> congress::storage::PooledConn {
        self.app.db.db.conn().expect("conn")
    }

    /// Names the scrutineer account `username` for the congress: links it to the 监票人 吴刚
    /// (the record names people, not accounts), as the 监票人员 page's "关联账户" does. A
    /// scrutineer account sees only the congresses it is named for.
    pub fn link_scrutineer(&self, username: &str) {
        use congress::storage::schema::{scrutineers, users};
        use diesel::prelude::*;
        let mut c = self.conn();
        let uid: String = users::table
            .filter(users::username.eq(username))
            .select(users::id)
            .first(&mut *c)
            .expect("account");
        let n = diesel::update(
            scrutineers::table
                .filter(scrutineers::congress_id.eq(&self.cid))
                .filter(scrutineers::name.eq("吴刚")),
        )
        .set(scrutineers::user_id.eq(uid))
        .execute(&mut *c)
        .expect("link");
        assert_eq!(n, 1);
    }

    fn actor() -> Actor {
        Actor::cli("test")
    }
}

fn roster() -> Vec<RosterEntry> {
    DELEGATES
        .iter()
        .enumerate()
        .map(|(i, (name, gender, role))| RosterEntry {
            student: Student {
                name: name.to_string(),
                student_no: student_no(i),
                college: COLLEGES[i / 4].to_string(),
                grade: if i % 2 == 0 { "2023" } else { "2024" }.to_string(),
                gender: *gender,
                union_role: (!role.is_empty()).then(|| role.to_string()),
                political_status: Some("共青团员".to_string()),
                societies: if i == 1 {
                    vec!["青年志愿者协会".to_string()]
                } else {
                    Vec::new()
                },
            },
            kind: DelegateKind::Elected,
            row: Some(i + 2),
        })
        .collect()
}

fn election_ballot(ids: &BTreeMap<String, String>, marks: [Mark; 5]) -> Choices {
    Choices::Election {
        marks: CANDIDATES
            .iter()
            .zip(marks)
            .map(|(name, m)| (ids[*name].clone(), m))
            .collect(),
        write_ins: Vec::new(),
    }
}

/// The election ballots in the table's order (the last is the over-voted one).
fn election_ballots(ids: &BTreeMap<String, String>) -> Vec<Choices> {
    use Mark::{Abstain as N, Against as X, For as F};
    let mut out = vec![election_ballot(ids, [X, F, F, F, N])];
    out.extend((0..2).map(|_| election_ballot(ids, [F, X, F, F, X])));
    out.extend((0..3).map(|_| election_ballot(ids, [F, F, N, F, X])));
    out.extend((0..3).map(|_| election_ballot(ids, [F, F, F, X, N])));
    out.push(election_ballot(ids, [F, F, F, F, X]));
    out
}

/// Builds the congress up to both contests open and voted.
pub fn voted(kind: Kind, test: &str) -> World {
    let app = TestApp::start(kind, test);
    let (org, cid) = block_on(async {
        let org = app.login_as("zuzhi", Role::Organiser).await;
        let cid = org.create_congress().await;
        (org, cid)
    });
    let a = World::actor();
    let mut c = app.db.db.conn().unwrap();
    write_tx(&mut c, |c| {
        let enrolment: Vec<CollegeEnrolment> = COLLEGES
            .iter()
            .map(|name| CollegeEnrolment {
                college: name.to_string(),
                grades: vec![("2023".into(), 200), ("2024".into(), 200)],
            })
            .collect();
        roster_repo::replace_enrolment(c, &CongressId::from(&cid), &enrolment)?;
        roster_repo::replace_societies(
            c,
            &CongressId::from(&cid),
            &[Society {
                name: "青年志愿者协会".into(),
                main: true,
            }],
        )?;
        roster_repo::replace_roster(c, &CongressId::from(&cid), &roster())?;
        congress_repo::transition(
            c,
            &CongressId::from(&cid),
            CongressState::Setup,
            CongressState::RosterFrozen,
        )?;
        Ok::<_, congress::storage::StorageError>(())
    })
    .unwrap();
    for (role, name) in SCRUTINEERS {
        let input = ScrutineerInput {
            role,
            name: name.to_string(),
            student_no: None,
            username: None,
        };
        service::scrutineers::add(&mut c, &a, &CongressId::from(&cid), &input).unwrap();
    }
    let election = service::contests::create(
        &mut c,
        &a,
        &CongressId::from(&cid),
        ContestKind::Election,
        &ContestDefinition {
            title: ELECTION_TITLE.into(),
            body: "差额选举, 应选3名".into(),
            motion_kind: None,
            seats: Some(3),
            allow_write_in: false,
            threshold: Threshold::ORDINARY,
            margin_override: None,
            election_kind: None,
            threshold_reason: None,
        },
    )
    .unwrap()
    .id;
    let mut candidate = BTreeMap::new();
    for (i, name) in CANDIDATES.iter().enumerate() {
        let data = CandidateData {
            name: name.to_string(),
            student_no: format!("2022{:04}", 501 + i),
            college: COLLEGES[i % 3].to_string(),
            gender: Some(if i % 2 == 0 {
                Gender::Female
            } else {
                Gender::Male
            }),
            political_status: "共青团员".into(),
            rank_pct: Some(10),
            failed_courses: 0,
            eligibility_override: None,
        };
        let k =
            service::contests::add_candidate(&mut c, &a, &CongressId::from(&cid), &election, &data)
                .unwrap();
        candidate.insert(name.to_string(), k.id);
    }
    let motion = service::contests::create(
        &mut c,
        &a,
        &CongressId::from(&cid),
        ContestKind::Motion,
        &ContestDefinition {
            title: MOTION_TITLE.into(),
            body: "审议第九届学生会工作报告".into(),
            motion_kind: Some(MotionKind::WorkReport),
            seats: None,
            allow_write_in: false,
            // A deviation the rules allow (F4: base per motion), with its reason.
            threshold: Threshold {
                base: congress::domain::settings::ThresholdBase::Roster,
                ..Threshold::ORDINARY
            },
            margin_override: None,
            election_kind: None,
            threshold_reason: Some(MOTION_THRESHOLD_REASON.into()),
        },
    )
    .unwrap()
    .id;
    service::credentials::issue(
        &mut c,
        &a,
        &CongressId::from(&cid),
        &app.state.credential_key[..],
    )
    .unwrap();
    crate::common::record_steps_before_vote(&mut c, &app.state.keys, &cid);
    service::attendance::open_session(&mut c, &a, &CongressId::from(&cid)).unwrap();
    for no in 1..=10 {
        service::attendance::set_present(&mut c, &a, &CongressId::from(&cid), no, true).unwrap();
    }
    let keys = &app.state.keys;
    service::voting::open(&mut c, &a, keys, &CongressId::from(&cid), &election).unwrap();
    service::voting::open(&mut c, &a, keys, &CongressId::from(&cid), &motion).unwrap();
    let delegates = roster_repo::delegates(&mut c, &CongressId::from(&cid)).unwrap();

    // Each delegate takes a paper (领票) and casts it (投票), in process.
    let submit = |delegate: usize, contest: &str, choices: Choices| -> String {
        let key = app
            .state
            .contest_key(&CongressId::from(&cid), &ContestId::from(contest))
            .unwrap();
        let paper = take_in_process(
            &app.state.issuer,
            &key,
            &ContestId::from(contest),
            &delegates[delegate].id,
        )
        .unwrap();
        cast_in_process(
            &app.state.ballot_box,
            &CongressId::from(&cid),
            &ContestId::from(contest),
            key.public_key(),
            choices,
            &paper,
        )
        .unwrap()
        .ballot_hash
    };
    let mut ballots = election_ballots(&candidate);
    let over_voted = ballots.pop().unwrap();
    let paper = ballots.pop().unwrap();
    let mut election_trackers: Vec<String> = ballots
        .into_iter()
        .enumerate()
        .map(|(i, b)| submit(i, election.as_str(), b))
        .collect();
    election_trackers.push(submit(8, election.as_str(), over_voted));
    service::voting::assign_paper(&mut c, &a, &CongressId::from(&cid), &election, 10).unwrap();
    let election_key = app
        .state
        .contest_key(&CongressId::from(&cid), &election)
        .unwrap();
    let paper_tracker = service::voting::enter_paper(
        &mut c,
        &a,
        &election_key,
        &CongressId::from(&cid),
        &election,
        paper,
    )
    .unwrap();

    let votes = [
        Mark::For,
        Mark::For,
        Mark::Against,
        Mark::For,
        Mark::Abstain,
        Mark::For,
        Mark::For,
        Mark::For,
        Mark::For,
    ];
    let motion_trackers = votes
        .iter()
        .enumerate()
        .map(|(i, v)| submit(i, motion.as_str(), Choices::Motion { vote: *v }))
        .collect();
    service::voting::assign_paper(&mut c, &a, &CongressId::from(&cid), &motion, 10).unwrap();
    drop(c);
    World {
        app,
        org,
        cid,
        election: election.into_string(),
        motion: motion.into_string(),
        candidate,
        election_trackers,
        paper_tracker,
        motion_trackers,
    }
}

/// Closes both contests through the staff voting page: the election is counted at once (its
/// paper ballot is in); the motion waits for the unreturned paper ballot to be confirmed.
pub fn counted(kind: Kind, test: &str) -> World {
    let w = voted(kind, test);
    block_on(async {
        let base = |k: &str| format!("/c/{}/contests/{k}/voting", w.cid);
        let r = w
            .org
            .post_form(&format!("{}/close", base(&w.election)), &[])
            .await;
        assert_eq!(r.status(), 303);
        let r = w
            .org
            .post_form(&format!("{}/close", base(&w.motion)), &[])
            .await;
        assert_eq!(r.status(), 303);
        let r = w
            .org
            .post_form(
                &format!("{}/finalise", base(&w.motion)),
                &[("missing_paper_ok", "1")],
            )
            .await;
        assert_eq!(r.status(), 303);
    });
    w
}

/// The organiser's reason for not holding the proposed runoff.
pub const RUNOFF_NOT_HELD: &str = "经主席团会议研究, 空缺名额待下次学代会补选";

/// The draft runoff the election's count proposed.
pub fn runoff(w: &World) -> String {
    let mut c = w.conn();
    congress::storage::repo::contests::list(&mut c, &CongressId::from(&w.cid))
        .unwrap()
        .into_iter()
        .find(|k| k.parent_id.as_ref().map(ContestId::as_str) == Some(w.election.as_str()))
        .expect("the tie proposed a runoff")
        .id
        .into_string()
}

/// Counted, the proposed runoff not held (with a reason), the congress closed and the record
/// certified through the staff pages.
pub fn certified(kind: Kind, test: &str) -> World {
    let w = counted(kind, test);
    let runoff = runoff(&w);
    block_on(async {
        let r = w
            .org
            .post_form(
                &format!("/c/{}/contests/{runoff}/not-held", w.cid),
                &[("reason", RUNOFF_NOT_HELD)],
            )
            .await;
        assert_eq!(r.status(), 303, "{}", r.text().await.unwrap_or_default());
        let r = w.org.post_form(&format!("/c/{}/close", w.cid), &[]).await;
        assert_eq!(r.status(), 303, "{}", r.text().await.unwrap_or_default());
        let r = w
            .org
            .post_form(&format!("/c/{}/record/certify", w.cid), &[])
            .await;
        assert_eq!(r.status(), 303, "{}", r.text().await.unwrap_or_default());
    });
    w
}
