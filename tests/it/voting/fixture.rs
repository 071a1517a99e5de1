//! A congress ready to vote, built through the services: an organiser, a frozen roster of `n`
//! delegates with Chinese names in four colleges, cards issued, the session open (nobody
//! checked in yet), an election (5 seats, 7 eligible candidates) and two motions (工作报告,
//! 章程修正案). Returns every card (token and manual code) re-derived with the server's
//! credential key, as the organiser's print-out would show them.

use std::path::Path;

use congress::crypto::KeyStore;
use congress::domain::contest::{ContestDefinition, ContestKind, MotionKind};
use congress::domain::settings::{RuleProfile, Threshold};
use congress::domain::state::CongressState;
use congress::domain::types::{DelegateKind, Gender, Level, RosterEntry, Student};
use congress::service::contests::CandidateData;
use congress::service::credentials::{self, Card};
use congress::service::{self, Actor};
use congress::storage::repo::congress::{self as congress_repo, CongressDetails};
use congress::storage::repo::roster as roster_repo;
use congress::storage::repo::users::Role;
use congress::storage::{write_tx, Db};

use crate::common::http::TestApp;

pub const COLLEGES: [&str; 4] = ["文学院", "信息学院", "经济管理学院", "机械工程学院"];
const SURNAMES: [&str; 20] = [
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林",
    "何", "郭", "马", "罗",
];
const GIVEN: [&str; 20] = [
    "伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟",
    "涛", "明", "超", "晓燕", "思远",
];
/// The presidium candidates (none of them is a delegate of the fixture).
pub const CANDIDATES: [(&str, &str, &str); 7] = [
    ("赵敏", "2021010101", "文学院"),
    ("张伟", "2021020102", "信息学院"),
    ("李明", "2021030103", "经济管理学院"),
    ("王建国", "2021040104", "机械工程学院"),
    ("沈雪", "2021010105", "文学院"),
    ("吴静", "2021020106", "信息学院"),
    ("何芳", "2021030107", "经济管理学院"),
];
pub const ELECTION_TITLE: &str = "选举第十届学生会主席团成员";
pub const WORK_REPORT_TITLE: &str = "审议第九届学生会工作报告";
pub const CHARTER_TITLE: &str = "表决《示范大学学生会章程》修正案";
pub const ORGANISER: &str = "zuzhi";
pub const ORGANISER_PASSWORD: &str = "pw-zuzhi-0123456789";

/// What the tests need to know about the congress.
pub struct Fixture {
    pub congress_id: String,
    pub election: String,
    pub work_report: String,
    pub charter: String,
    /// Candidate ids in ballot order (C4).
    pub candidates: Vec<String>,
    /// One card per delegate, in delegate-number order (`cards[i]` is delegate `i + 1`).
    pub cards: Vec<Card>,
}

impl Fixture {
    /// The card of delegate `no` (1-based).
    pub fn card(&self, no: u32) -> &Card {
        &self.cards[no as usize - 1]
    }
}

/// Delegate `i` (0-based): a unique name for i < 400, a college, a 10-digit 学号.
pub fn student(i: usize) -> Student {
    let (a, b) = (i % 20, (i / 20) % 20);
    let college = i % COLLEGES.len();
    Student {
        name: format!("{}{}", SURNAMES[a], GIVEN[(a + b) % 20]),
        student_no: format!("{}{:02}{:04}", 2022 + i % 3, college + 1, i + 1),
        college: COLLEGES[college].to_string(),
        grade: format!("{}级", 2022 + i % 3),
        gender: if i.is_multiple_of(2) {
            Gender::Female
        } else {
            Gender::Male
        },
        union_role: None,
        political_status: Some("共青团员".to_string()),
        societies: Vec::new(),
    }
}

/// Builds the congress on the test server's database with its credential key.
pub fn for_app(app: &TestApp, n: usize) -> Fixture {
    build(
        &app.db.db,
        &app.state.config.key_dir,
        &app.state.credential_key,
        n,
    )
}

/// The same congress with its cards issued but the session not yet open (absences, D1).
pub fn before_session(app: &TestApp, n: usize) -> Fixture {
    build_with(
        &app.db.db,
        &app.state.config.key_dir,
        &app.state.credential_key,
        n,
        false,
    )
}

/// Builds the congress on `db`, its signing key in `key_dir`, cards derived from `key`.
pub fn build(db: &Db, key_dir: &Path, key: &[u8], n: usize) -> Fixture {
    build_with(db, key_dir, key, n, true)
}

fn build_with(db: &Db, key_dir: &Path, key: &[u8], n: usize, open: bool) -> Fixture {
    assert!(n <= 400, "the name generator makes 400 unique names");
    let mut c = db.conn().expect("conn");
    let owner = service::accounts::create_user(
        &mut c,
        &Actor::cli("test"),
        ORGANISER,
        Role::Organiser,
        ORGANISER_PASSWORD,
        false,
    )
    .expect("organiser");
    let actor = Actor {
        username: ORGANISER.to_string(),
        role: "organiser".to_string(),
        addr: None,
    };
    let details = CongressDetails {
        name: "示范大学第十次学生代表大会".into(),
        school: "示范大学".into(),
        level: Level::School,
        session_no: 10,
        date: "2026-12-01".into(),
        place: "大学生活动中心".into(),
    };
    let profile = RuleProfile::default();
    let keys = KeyStore::new(key_dir.to_path_buf());
    let congress = service::congress::create(&mut c, &actor, &owner.id, &details, &profile, &keys)
        .expect("congress");
    let cid = congress.id.clone();

    let def = |title: &str, body: &str, motion: Option<MotionKind>| ContestDefinition {
        title: title.to_string(),
        body: body.to_string(),
        motion_kind: motion,
        seats: motion.is_none().then_some(5),
        allow_write_in: motion.is_none(),
        threshold: motion.map_or(profile.election_threshold, MotionKind::default_threshold),
        margin_override: None,
        election_kind: None,
        threshold_reason: None,
    };
    let create = |c: &mut _, kind, d: ContestDefinition| {
        service::contests::create(c, &actor, &cid, kind, &d)
            .expect("contest")
            .id
    };
    let election = create(
        &mut c,
        ContestKind::Election,
        def(ELECTION_TITLE, "差额选举, 应选5名", None),
    );
    for (name, no, college) in CANDIDATES {
        let data = CandidateData {
            name: name.to_string(),
            student_no: no.to_string(),
            college: college.to_string(),
            gender: Some(Gender::Female),
            political_status: "共青团员".to_string(),
            rank_pct: Some(12),
            failed_courses: 0,
            eligibility_override: None,
        };
        service::contests::add_candidate(&mut c, &actor, &cid, &election, &data)
            .expect("candidate");
    }
    let work_report = create(
        &mut c,
        ContestKind::Motion,
        def(
            WORK_REPORT_TITLE,
            "全文见会议材料",
            Some(MotionKind::WorkReport),
        ),
    );
    let charter = create(
        &mut c,
        ContestKind::Motion,
        def(
            CHARTER_TITLE,
            "修正案全文见会议材料",
            Some(MotionKind::Charter),
        ),
    );
    assert_eq!(
        MotionKind::Charter.default_threshold(),
        Threshold::CHARTER,
        "章程修正案 needs 2/3 (F4)"
    );

    // The roster has no service of its own on this branch: stored and frozen in one
    // transaction, as the roster pages do after validation.
    let roster: Vec<RosterEntry> = (0..n)
        .map(|i| RosterEntry {
            student: student(i),
            kind: DelegateKind::Elected,
            row: Some(i + 1),
        })
        .collect();
    write_tx(&mut c, |c| {
        roster_repo::replace_roster(c, &cid, &roster)?;
        congress_repo::transition(c, &cid, CongressState::Setup, CongressState::RosterFrozen)
            .map(|_| ())
    })
    .expect("roster frozen");
    let issued = credentials::issue(&mut c, &actor, &cid, key).expect("cards issued");
    assert_eq!(issued, n);
    crate::common::record_steps_with_session_override(
        &mut c,
        &keys,
        cid.as_str(),
        "测试夹具: 代表名单直接写入, 未导入学生人数, 无法生成申请召开学代会",
    );
    if open {
        service::attendance::open_session(&mut c, &actor, &cid).expect("session open");
    }

    let candidates = congress::storage::repo::contests::candidates(&mut c, &election)
        .expect("candidates")
        .into_iter()
        .map(|k| k.id)
        .collect::<Vec<_>>();
    assert_eq!(candidates.len(), 7);
    let cards = credentials::cards(&mut c, &cid, None, key).expect("cards");
    assert_eq!(cards.len(), n);
    Fixture {
        congress_id: cid.into_string(),
        election: election.into_string(),
        work_report: work_report.into_string(),
        charter: charter.into_string(),
        candidates,
        cards,
    }
}
