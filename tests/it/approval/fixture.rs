//! A congress ready for the steps of issue 16: created by an organiser over HTTP, its
//! `approval_procedure` setting on (the default), 12 delegates of 3 colleges frozen, a presidium election
//! with 5 candidates, cards issued and every delegate present once the session opens.

use std::collections::BTreeMap;

use congress::domain::contest::{ContestDefinition, ContestKind};
use congress::domain::ids::{CongressId, ContestId};
use congress::domain::settings::Threshold;
use congress::domain::state::CongressState;
use congress::domain::types::{CollegeEnrolment, DelegateKind, Gender, RosterEntry, Student};
use congress::service::addenda::today_cst;
use congress::service::contests::CandidateData;
use congress::service::{self, Actor};
use congress::storage::repo::users::Role;
use congress::storage::repo::{congress as congress_repo, roster as roster_repo};
use congress::storage::write_tx;
use serde_json::Value;

use crate::common::http::{Client, TestApp};
use crate::common::Kind;

pub const COLLEGES: [&str; 3] = ["信息学院", "文学院", "理学院"];
pub const CANDIDATES: [&str; 5] = ["王芳", "李强", "张伟", "刘洋", "陈静"];
const NAMES: [&str; 12] = [
    "陈思远",
    "林晓雨",
    "黄子豪",
    "周雅婷",
    "吴浩然",
    "郑欣怡",
    "孙博文",
    "马诗涵",
    "朱俊杰",
    "胡梦琪",
    "郭天宇",
    "何佳怡",
];

pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(f)
}

/// The date `n` days before today (China Standard Time), YYYY-MM-DD.
pub fn days_ago(n: u64) -> String {
    (today_cst() - chrono::Days::new(n)).to_string()
}

/// The first objection id on the organiser's page (its handling form's action).
pub fn objection_id(page: &str) -> String {
    let marker = "/approval/objections/";
    let i = page.find(marker).expect("an objection form") + marker.len();
    page[i..].split('"').next().unwrap().to_string()
}

pub struct World {
    pub app: TestApp,
    pub org: Client,
    pub cid: String,
    pub election: String,
    pub candidates: BTreeMap<String, String>,
}

impl World {
    pub fn new(kind: Kind, test: &str) -> World {
        let app = TestApp::start(kind, test);
        let (org, cid) = block_on(async {
            let org = app.login_as("zuzhi", Role::Organiser).await;
            let cid = org.create_congress().await;
            (org, cid)
        });
        let mut c = app.db.db.conn().unwrap();
        let a = Actor::cli("test");
        // Rules C5-C7, G4 are enforced in the default profile of a new congress.
        assert!(
            service::congress::load(&mut c, &CongressId::from(&cid))
                .unwrap()
                .settings
                .approval_procedure
        );
        write_tx(&mut c, |c| {
            let enrolment: Vec<CollegeEnrolment> = COLLEGES
                .iter()
                .map(|name| CollegeEnrolment {
                    college: name.to_string(),
                    grades: vec![("2023".into(), 200), ("2024".into(), 200)],
                })
                .collect();
            roster_repo::replace_enrolment(c, &CongressId::from(&cid), &enrolment)?;
            let roster: Vec<RosterEntry> = NAMES
                .iter()
                .enumerate()
                .map(|(i, name)| RosterEntry {
                    student: Student {
                        name: name.to_string(),
                        student_no: format!("2023{:04}", 101 + i),
                        college: COLLEGES[i / 4].to_string(),
                        grade: if i % 2 == 0 { "2023" } else { "2024" }.to_string(),
                        gender: if i % 2 == 0 {
                            Gender::Male
                        } else {
                            Gender::Female
                        },
                        union_role: None,
                        political_status: Some("共青团员".to_string()),
                        societies: Vec::new(),
                    },
                    kind: DelegateKind::Elected,
                    row: Some(i + 2),
                })
                .collect();
            roster_repo::replace_roster(c, &CongressId::from(&cid), &roster)?;
            congress_repo::transition(
                c,
                &CongressId::from(&cid),
                CongressState::Setup,
                CongressState::RosterFrozen,
            )?;
            Ok::<_, congress::storage::StorageError>(())
        })
        .unwrap();
        let election = service::contests::create(
            &mut c,
            &a,
            &CongressId::from(&cid),
            ContestKind::Election,
            &ContestDefinition {
                title: "选举第十届学生会主席团成员".into(),
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
        let mut candidates = BTreeMap::new();
        for (i, name) in CANDIDATES.iter().enumerate() {
            let data = CandidateData {
                name: name.to_string(),
                student_no: format!("2022{:04}", 501 + i),
                college: COLLEGES[i % 3].to_string(),
                gender: Some(Gender::Female),
                political_status: "共青团员".into(),
                rank_pct: Some(10),
                failed_courses: 0,
                eligibility_override: None,
            };
            let k = service::contests::add_candidate(
                &mut c,
                &a,
                &CongressId::from(&cid),
                &election,
                &data,
            )
            .unwrap();
            candidates.insert(name.to_string(), k.id);
        }
        service::credentials::issue(
            &mut c,
            &a,
            &CongressId::from(&cid),
            &app.state.credential_key[..],
        )
        .unwrap();
        World {
            app,
            org,
            cid,
            election: election.into_string(),
            candidates,
        }
    }

    pub fn candidate(&self, name: &str) -> String {
        self.candidates[name].clone()
    }

    pub fn public_key_pem(&self) -> String {
        let mut c = self.app.db.db.conn().unwrap();
        service::congress::load(&mut c, &CongressId::from(&self.cid))
            .unwrap()
            .public_key_pem
            .expect("congress key")
    }

    /// Generates the application to convene over HTTP; returns its step number.
    pub async fn apply_convene(&self) -> i32 {
        let r = self
            .org
            .post_form(
                &format!("/c/{}/approval/applications", self.cid),
                &[
                    ("kind", "convene"),
                    ("body", "省学联"),
                    ("start", "2026-12-01"),
                    ("end", "2026-12-01"),
                ],
            )
            .await;
        assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
        let loc = r.headers()["location"].to_str().unwrap().to_string();
        loc.rsplit('/').next().unwrap().parse().unwrap()
    }

    /// Declares the session open over HTTP and checks every delegate in.
    pub async fn open_session(&self) {
        let r = self
            .org
            .post_form(&format!("/c/{}/session/open", self.cid), &[])
            .await;
        assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
        let mut c = self.app.db.db.conn().unwrap();
        for no in 1..=12 {
            service::attendance::set_present(
                &mut c,
                &Actor::cli("test"),
                &CongressId::from(&self.cid),
                no,
                true,
            )
            .unwrap();
        }
    }

    /// Posts a per-contest step form of the election.
    pub async fn step(&self, fields: &[(&str, &str)]) -> reqwest::Response {
        self.org
            .post_form(
                &format!("/c/{}/approval/contests/{}/steps", self.cid, self.election),
                fields,
            )
            .await
    }

    /// Records 校党委批准 and 请示上级学联 (with the reply), both dated `date`.
    pub async fn approve_and_request(&self, date: &str) {
        let r = self
            .step(&[
                ("kind", "party_approval"),
                ("body", "中共示范大学委员会"),
                ("reference", "示党〔2026〕8号"),
                ("date", date),
            ])
            .await;
        assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
        let r = self
            .step(&[
                ("kind", "federation_request"),
                ("body", "省学联"),
                ("reply", "同意该候选人名单"),
                ("date", date),
            ])
            .await;
        assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    }

    /// Tries to open the election through the console; asserts `status`, returns the body.
    pub async fn open_contest(&self, status: u16) -> String {
        let r = self
            .org
            .post_form(
                &format!("/c/{}/contests/{}/voting/open", self.cid, self.election),
                &[],
            )
            .await;
        let got = r.status().as_u16();
        let text = r.text().await.unwrap();
        assert_eq!(got, status, "{text}");
        text
    }

    /// Every signed step of the congress, parsed, in order.
    pub async fn steps_json(&self) -> Vec<Value> {
        let mut out = Vec::new();
        for seq in 1.. {
            let r = self
                .org
                .get(&format!("/c/{}/approval/steps/{seq}/json", self.cid))
                .await;
            if r.status() == 404 {
                break;
            }
            out.push(serde_json::from_slice(&r.bytes().await.unwrap()).unwrap());
        }
        out
    }

    /// Closes the open election with no ballots, declines the further round it proposes,
    /// closes the congress, certifies and writes the filing packet into a temporary directory.
    pub fn filing_packet(&self) -> tempfile::TempDir {
        let mut c = self.app.db.db.conn().unwrap();
        let a = Actor::cli("test");
        let cid = &self.cid;
        service::voting::close(
            &mut c,
            &a,
            &CongressId::from(cid),
            &ContestId::from(&self.election),
        )
        .unwrap();
        service::results::finalise(
            &mut c,
            &a,
            &CongressId::from(cid),
            &ContestId::from(&self.election),
            true,
        )
        .unwrap();
        for k in congress::storage::repo::contests::list(&mut c, &CongressId::from(cid)).unwrap() {
            if k.parent_id.as_ref().map(ContestId::as_str) == Some(self.election.as_str()) {
                service::contests::not_held(
                    &mut c,
                    &a,
                    &CongressId::from(cid),
                    &k.id,
                    "另行择期选举",
                )
                .unwrap();
            }
        }
        let cid = CongressId::from(cid);
        service::results::close_congress(&mut c, &a, &cid).unwrap();
        let key = self.app.state.signing_key(&cid).unwrap();
        service::record::certify_now(&mut c, &a, &cid, &key).unwrap();
        let contents = service::record::filing_packet(&mut c, &cid, "http://127.0.0.1").unwrap();
        let tmp = tempfile::tempdir().unwrap();
        congress::packet::write_packet(tmp.path(), &contents).unwrap();
        tmp
    }
}
