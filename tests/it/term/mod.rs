//! Between congresses (rules H), through HTTP on both backends: after the certified congress of
//! `results::fixture` (presidium 王芳, 李强 elected), the standing delegates are set per
//! college, nominated (a number that is no delegate refused), frozen; a 常代会 meeting is held
//! on the frozen list with two removal votes (罢免, over 1/2 of 应到: one passes, one that
//! would pass on 实到 fails) and a by-election of the presidium; its packet verifies with
//! `congress verify` and the Python script; the presidium derived from the records changes;
//! a 评议会 has a participant who is not counted.

use std::path::Path;
use std::process::{Command, Output};

use congress::domain::ballot::{Choices, Mark};
use congress::domain::contest::{ContestDefinition, ContestKind};
use congress::domain::ids::{CongressId, ContestId};
use congress::domain::settings::Threshold;
use congress::domain::types::Gender;
use congress::service::contests::CandidateData;
use congress::service::scrutineers::ScrutineerInput;
use congress::service::{self, Actor};
use congress::sim::paper::{cast_in_process, take_in_process};
use congress::storage::repo::roster as roster_repo;
use congress::storage::repo::scrutineers::ScrutineerRole;

use crate::common::Kind;
use crate::results::fixture::{block_on, certified, World};

mod apart;
mod api;
mod timeline;

fn cli(w: &World, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_congress"))
        .arg("--data-dir")
        .arg(w.app.db.path().join("data"))
        .arg("--database-url")
        .arg(&w.app.db.url)
        .arg("--key-dir")
        .arg(w.app.db.path().join("keys"))
        .args(args)
        .env("RUST_LOG", "error")
        .env_remove("CONGRESS_PUBLIC_URL")
        .output()
        .unwrap()
}

/// Exports the packet of `cid` and verifies it with `congress verify` and the Python script.
fn export_and_verify(w: &World, cid: &str, dir: &Path) {
    let out = cli(
        w,
        &[
            "export",
            "--congress",
            cid,
            "--out",
            dir.to_str().unwrap(),
            "--public-url",
            "http://192.168.1.10:8080",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = cli(w, &["verify", dir.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = Command::new("python3")
        .arg(dir.join("verify_packet.py"))
        .arg(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

async fn status_and_text(r: reqwest::Response) -> (u16, String) {
    let s = r.status().as_u16();
    (s, r.text().await.unwrap_or_default())
}

/// Sets 2 standing delegates per college, nominates and freezes delegates 2 3 6 7 10 11.
fn standing_frozen(w: &World) {
    let cid = &w.cid;
    block_on(async {
        let (s, page) = w.org.get_text(&format!("/c/{cid}/term")).await;
        assert_eq!(s, 200);
        assert!(
            page.contains("王芳") && page.contains("李强"),
            "presidium from the record"
        );
        assert!(page.contains("述职评议"), "timeline reminders");
        let r = w
            .org
            .post_form(
                &format!("/c/{cid}/term/quotas"),
                &[
                    ("seats:信息学院", "2"),
                    ("seats:文学院", "2"),
                    ("seats:理学院", "2"),
                ],
            )
            .await;
        assert_eq!(r.status(), 303);
        // A number that is no delegate of the congress: refused, nothing stored.
        let (s, text) = status_and_text(
            w.org
                .post_form(&format!("/c/{cid}/term/standing"), &[("numbers", "1 2 99")])
                .await,
        )
        .await;
        assert_eq!(s, 422);
        assert!(text.contains("第99号不是本次大会的代表"), "{text}");
        // Too few for 理学院: stored, shown, and freezing is refused with the rule.
        let r = w
            .org
            .post_form(
                &format!("/c/{cid}/term/standing"),
                &[("numbers", "2 3 6 7 10")],
            )
            .await;
        assert_eq!(r.status(), 303);
        let (s, text) =
            status_and_text(w.org.post_form(&format!("/c/{cid}/term/freeze"), &[]).await).await;
        assert_eq!(s, 422);
        assert!(text.contains("规则I2 [理学院] 应为2 实际1"), "{text}");
        let r = w
            .org
            .post_form(
                &format!("/c/{cid}/term/standing"),
                &[("numbers", "2 3, 6、7\n10 11")],
            )
            .await;
        assert_eq!(r.status(), 303);
        let r = w.org.post_form(&format!("/c/{cid}/term/freeze"), &[]).await;
        assert_eq!(r.status(), 303);
        let (_, page) = w.org.get_text(&format!("/c/{cid}/term")).await;
        assert!(page.contains("已冻结"));
        for name in ["林晓雨", "黄子豪", "郑欣怡", "孙博文", "胡梦琪", "郭天宇"] {
            assert!(page.contains(name), "{name} is a standing delegate");
        }
        // Frozen: no more changes.
        let (s, text) = status_and_text(
            w.org
                .post_form(&format!("/c/{cid}/term/standing"), &[("numbers", "1")])
                .await,
        )
        .await;
        assert_eq!(s, 409);
        assert!(text.contains("已冻结"));
    });
}

fn create_meeting(w: &World, kind: &str, name: &str, date: &str) -> String {
    block_on(async {
        let r = w
            .org
            .post_form(
                &format!("/c/{}/term/meetings", w.cid),
                &[
                    ("kind", kind),
                    ("name", name),
                    ("date", date),
                    ("place", "学生活动中心201"),
                ],
            )
            .await;
        assert_eq!(r.status(), 303, "{}", r.text().await.unwrap_or_default());
        let loc = r.headers()["location"].to_str().unwrap().to_string();
        loc.trim_start_matches("/c/")
            .trim_end_matches("/term")
            .to_string()
    })
}

/// A 述职评议 at meeting `mid` through the organiser's form: 李强 and 赵敏 on the five
/// dimensions and four grades, favourable = the first two grades. Returns the contest.
fn two_person_review(w: &World, mid: &str) -> String {
    block_on(async {
        let kid = w
            .org
            .create_review(mid, "学生会主席团述职评议", "每学期向评议会述职")
            .await;
        let r = w
            .org
            .post_form(
                &format!("/c/{mid}/contests/{kid}/review"),
                &[
                    (
                        "persons",
                        "李强,主席团成员,信息学院\n赵敏,学习部部长,文学院",
                    ),
                    (
                        "dimensions",
                        "政治态度\n道德品行\n学习情况\n工作成效\n纪律作风",
                    ),
                    ("grades", "优秀\n称职\n基本称职\n不称职"),
                    ("favourable", "2"),
                ],
            )
            .await;
        assert_eq!(r.status(), 303, "{}", r.text().await.unwrap_or_default());
        kid
    })
}

/// Each of `delegates` takes a paper for the open review `kid` of meeting `mid` and casts the
/// grid `grid(i)` (in process, as the other term tests); returns the contest's key.
fn cast_reviews(
    w: &World,
    mid: &str,
    kid: &str,
    delegates: &[roster_repo::Delegate],
    grid: impl Fn(usize) -> Vec<Vec<u32>>,
) -> std::sync::Arc<congress::crypto::ContestKey> {
    let (mid, kid) = (CongressId::from(mid), ContestId::from(kid));
    let key = w.app.state.contest_key(&mid, &kid).unwrap();
    for (i, d) in delegates.iter().enumerate() {
        let paper = take_in_process(&w.app.state.issuer, &key, &kid, &d.id).unwrap();
        cast_in_process(
            &w.app.state.ballot_box,
            &mid,
            &kid,
            key.public_key(),
            Choices::Review { grid: grid(i) },
            &paper,
        )
        .unwrap();
    }
    key
}

both_backends!(a_standing_meeting_removes_and_by_elects, |kind: Kind| {
    let w = certified(kind, "term_meeting");
    standing_frozen(&w);
    let mid = create_meeting(
        &w,
        "standing",
        "第十届学代会常任代表会议第一次会议",
        "2027-03-15",
    );
    let a = Actor::cli("test");
    let mut c = w.conn();
    let delegates = roster_repo::delegates(&mut c, &CongressId::from(&mid)).unwrap();
    assert_eq!(
        delegates.len(),
        6,
        "the meeting's roster is the standing list"
    );
    assert_eq!(delegates[0].student.name, "林晓雨");
    for (role, name) in [
        (ScrutineerRole::Chief, "周敏"),
        (ScrutineerRole::Scrutineer, "吴刚"),
    ] {
        let input = ScrutineerInput {
            role,
            name: name.to_string(),
            student_no: None,
            username: None,
        };
        service::scrutineers::add(&mut c, &a, &CongressId::from(&mid), &input).unwrap();
    }
    drop(c);

    // Two removal votes through the meeting's term page.
    let (remove_wang, remove_li) = block_on(async {
        let (s, page) = w.org.get_text(&format!("/c/{mid}/term")).await;
        assert_eq!(s, 200);
        assert!(
            page.contains("应到为常任代表 <strong>6</strong> 名"),
            "{page}"
        );
        let option = |name: &str| {
            let i = page
                .find(&format!("value=\"{name}|"))
                .expect("member option");
            let rest = &page[i + 7..];
            rest[..rest.find('"').unwrap()].to_string()
        };
        let mut ids = Vec::new();
        for name in ["王芳", "李强"] {
            let r = w
                .org
                .post_form(
                    &format!("/c/{mid}/term/removals"),
                    &[("member", &option(name))],
                )
                .await;
            assert_eq!(r.status(), 303);
            let loc = r.headers()["location"].to_str().unwrap().to_string();
            ids.push(loc.rsplit('/').next().unwrap().to_string());
        }
        // Someone not in the presidium cannot be named.
        let (s, text) = status_and_text(
            w.org
                .post_form(
                    &format!("/c/{mid}/term/removals"),
                    &[("member", "张伟|理学院|x")],
                )
                .await,
        )
        .await;
        assert_eq!(s, 422);
        assert!(text.contains("不是现任主席团成员"), "{text}");
        (ids[0].clone(), ids[1].clone())
    });

    // The by-election (补选) of one presidium member: rules C apply (差额: 2 candidates).
    let mut c = w.conn();
    let by = service::contests::create(
        &mut c,
        &a,
        &CongressId::from(&mid),
        ContestKind::Election,
        &ContestDefinition {
            title: "补选学生会主席团成员".into(),
            body: "差额选举, 应选1名".into(),
            motion_kind: None,
            seats: Some(1),
            allow_write_in: false,
            threshold: Threshold::ORDINARY,
            margin_override: None,
            election_kind: None,
            threshold_reason: None,
        },
    )
    .unwrap()
    .id
    .into_string();
    let mut cand = Vec::new();
    for (i, name) in ["赵敏", "钱多多"].iter().enumerate() {
        let data = CandidateData {
            name: name.to_string(),
            student_no: format!("2023{:04}", 901 + i),
            college: "文学院".into(),
            gender: Some(Gender::Female),
            political_status: "共青团员".into(),
            rank_pct: Some(10),
            failed_courses: 0,
            eligibility_override: None,
        };
        cand.push(
            service::contests::add_candidate(
                &mut c,
                &a,
                &CongressId::from(&mid),
                &ContestId::from(&by),
                &data,
            )
            .unwrap()
            .id,
        );
    }
    // C1 across the term: 2 members in office, so at most 3 more seats (left as a draft).
    let too_many = service::contests::create(
        &mut c,
        &a,
        &CongressId::from(&mid),
        ContestKind::Election,
        &ContestDefinition {
            title: "补选主席团成员(名额过多)".into(),
            body: String::new(),
            motion_kind: None,
            seats: Some(4),
            allow_write_in: false,
            threshold: Threshold::ORDINARY,
            margin_override: None,
            election_kind: None,
            threshold_reason: None,
        },
    )
    .unwrap()
    .id;
    let c1: Vec<String> = service::contests::readiness(&mut c, &CongressId::from(&mid), &too_many)
        .unwrap()
        .into_iter()
        .filter(|v| v.rule == "C1")
        .map(|v| v.message)
        .collect();
    assert_eq!(c1.len(), 1, "{c1:?}");
    assert!(
        c1[0].contains("主席团现有成员2名") && c1[0].contains("最多补选3名"),
        "{c1:?}"
    );
    assert!(
        service::contests::readiness(&mut c, &CongressId::from(&mid), &ContestId::from(&by))
            .unwrap()
            .iter()
            .all(|v| v.rule != "C1")
    );
    service::credentials::issue(
        &mut c,
        &a,
        &CongressId::from(&mid),
        &w.app.state.credential_key[..],
    )
    .unwrap();
    crate::common::record_steps_before_vote(&mut c, &w.app.state.keys, &mid);
    service::attendance::open_session(&mut c, &a, &CongressId::from(&mid)).unwrap();
    // Five of the six present: 实到 5, 应到 6.
    for no in 1..=5 {
        service::attendance::set_present(&mut c, &a, &CongressId::from(&mid), no, true).unwrap();
    }
    let keys = &w.app.state.keys;
    for k in [&remove_wang, &remove_li, &by] {
        service::voting::open(
            &mut c,
            &a,
            keys,
            &CongressId::from(&mid),
            &ContestId::from(k),
        )
        .unwrap();
    }
    let submit = |delegate: usize, contest: &str, choices: Choices| {
        let key = w
            .app
            .state
            .contest_key(&CongressId::from(&mid), &ContestId::from(contest))
            .unwrap();
        let paper = take_in_process(
            &w.app.state.issuer,
            &key,
            &ContestId::from(contest),
            &delegates[delegate].id,
        )
        .unwrap();
        cast_in_process(
            &w.app.state.ballot_box,
            &CongressId::from(&mid),
            &ContestId::from(contest),
            key.public_key(),
            choices,
            &paper,
        )
        .unwrap();
    };
    use Mark::{Against as X, For as F};
    for (i, (wang, li, zhao)) in [(F, F, F), (F, F, F), (F, F, F), (F, X, F), (X, X, X)]
        .into_iter()
        .enumerate()
    {
        submit(i, &remove_wang, Choices::Motion { vote: wang });
        submit(i, &remove_li, Choices::Motion { vote: li });
        let marks = [
            (cand[0].clone(), zhao),
            (cand[1].clone(), if zhao == F { X } else { F }),
        ]
        .into_iter()
        .collect();
        submit(
            i,
            by.as_str(),
            Choices::Election {
                marks,
                write_ins: Vec::new(),
            },
        );
    }
    drop(c);

    block_on(async {
        for k in [&remove_wang, &remove_li, &by] {
            let r = w
                .org
                .post_form(&format!("/c/{mid}/contests/{k}/voting/close"), &[])
                .await;
            assert_eq!(r.status(), 303);
        }
        let (_, results) = w
            .org
            .get_text(&format!("/c/{mid}/contests/{remove_li}"))
            .await;
        assert!(results.contains("应到"), "the removal's base is 应到");
        let r = w.org.post_form(&format!("/c/{mid}/close"), &[]).await;
        assert_eq!(r.status(), 303, "{}", r.text().await.unwrap_or_default());
        let r = w
            .org
            .post_form(&format!("/c/{mid}/record/certify"), &[])
            .await;
        assert_eq!(r.status(), 303, "{}", r.text().await.unwrap_or_default());
    });

    // The record: 王芳 removed (4 > 6/2), 李强 not (3 is over 5/2 but not over 6/2), 赵敏 in.
    let row = congress::storage::repo::records::get(&mut w.conn(), &CongressId::from(&mid))
        .unwrap()
        .unwrap();
    let record: serde_json::Value = serde_json::from_str(&row.record_json).unwrap();
    let motions: Vec<(String, bool, String)> = record["contests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|k| k["motion_kind"] == "removal")
        .map(|k| {
            (
                k["candidates"][0]["name"].as_str().unwrap().to_string(),
                k["result"]["detail"]["motion"]["passed"].as_bool().unwrap(),
                k["threshold"]["base"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        motions,
        [
            ("王芳".to_string(), true, "roster".to_string()),
            ("李强".to_string(), false, "roster".to_string())
        ]
    );
    let tmp = tempfile::tempdir().unwrap();
    export_and_verify(&w, &mid, &tmp.path().join("meeting"));

    block_on(async {
        let (_, page) = w.org.get_text(&format!("/c/{}/term", w.cid)).await;
        let table =
            &page[page.find("主席团现任成员").unwrap()..page.find("闭会期间的会议").unwrap()];
        assert!(table.contains("李强") && table.contains("赵敏"), "{table}");
        assert!(!table.contains("王芳"), "王芳 was removed: {table}");
        assert!(page.contains("第十届学代会常任代表会议第一次会议"));
        // The audit log has the term's actions.
        let (_, audit) = w.org.get_text(&format!("/c/{}/audit", w.cid)).await;
        for a in [
            "term.standing_quotas",
            "term.standing_nominate",
            "term.standing_freeze",
            "term.meeting_create",
        ] {
            assert!(audit.contains(a), "{a} audited");
        }
    });
});

both_backends!(
    a_review_meeting_has_participants_who_do_not_count,
    |kind: Kind| {
        let w = certified(kind, "term_review");
        // No meeting before the list is frozen.
        block_on(async {
            let (s, text) = status_and_text(
                w.org
                    .post_form(
                        &format!("/c/{}/term/meetings", w.cid),
                        &[
                            ("kind", "review"),
                            ("name", "评议会"),
                            ("date", "2027-04-01"),
                            ("place", "201"),
                        ],
                    )
                    .await,
            )
            .await;
            assert_eq!(s, 409);
            assert!(text.contains("尚未冻结"), "{text}");
        });
        standing_frozen(&w);
        let mid = create_meeting(
            &w,
            "review",
            "2026-2027学年第二学期述职评议会",
            "2027-04-01",
        );
        block_on(async {
            let r = w
                .org
                .post_form(
                    &format!("/c/{mid}/term/participants"),
                    &[("name", "刘老师"), ("unit", "学工部")],
                )
                .await;
            assert_eq!(r.status(), 303);
            let (_, page) = w.org.get_text(&format!("/c/{mid}/term")).await;
            assert!(page.contains("刘老师") && page.contains("学工部"));
            assert!(page.contains("不计票"));
            let (_, attendance) = w.org.get_text(&format!("/c/{mid}/attendance")).await;
            assert!(
                !attendance.contains("刘老师"),
                "a participant is no delegate"
            );
            let (s, text) = status_and_text(
                w.org
                    .post_form(
                        &format!("/c/{mid}/term/participants"),
                        &[("name", ""), ("unit", "校团委")],
                    )
                    .await,
            )
            .await;
            assert_eq!(s, 422);
            assert!(text.contains("“姓名”不能为空"));
            // The congress's timeline lists the review; it is not held yet.
            let (_, page) = w.org.get_text(&format!("/c/{}/term", w.cid)).await;
            assert!(page.contains("2026-2027学年第二学期述职评议会"));
        });
        let mut c = w.conn();
        assert_eq!(
            roster_repo::delegates(&mut c, &CongressId::from(&mid))
                .unwrap()
                .len(),
            6
        );
    }
);

test!(term_pages_in_headless_chromium, browser);
fn term_pages_in_headless_chromium() {
    use crate::common::browser::{self, page_fits};
    let tools = browser::tools("term_pages_in_headless_chromium");
    let w = certified(Kind::Sqlite, "term_browser");
    standing_frozen(&w);
    let mid = create_meeting(
        &w,
        "review",
        "2026-2027学年第二学期述职评议会",
        "2027-04-01",
    );
    block_on(async {
        let r = w
            .org
            .post_form(
                &format!("/c/{mid}/term/participants"),
                &[("name", "刘老师"), ("unit", "学工部")],
            )
            .await;
        assert_eq!(r.status(), 303);
    });
    let (term, meeting) = (
        w.app.url(&format!("/c/{}/term", w.cid)),
        w.app.url(&format!("/c/{mid}/term")),
    );
    browser::logged_in(
        &tools,
        true,
        &w.app.url("/login"),
        "zuzhi",
        "pw-zuzhi-0123456789",
        async |d| {
            for width in [390, 1366] {
                page_fits(d, &term, "term", width, 2400).await?;
                page_fits(d, &meeting, "term-meeting", width, 1600).await?;
            }
            Ok(())
        },
    );
}
