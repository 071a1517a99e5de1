//! A write-in person (另选他人) who ties for the last seat takes part in the proposed
//! 再次投票 (issue 12.2): the runoff lists them by name, cannot open until the organiser has
//! confirmed their 学号 and 学院, and then opens through the page.

use super::*;
use crate::common::Kind;
use congress::domain::ballot::{Choices, Mark};
use congress::domain::contest::ContestState;
use congress::domain::ids::{CongressId, ContestId};
use congress::service::{self, Actor};
use congress::sim::paper::{cast_in_process, take_in_process};

/// Delegate `delegate_id` takes a paper for `contest` and casts `choices` with it, in process
/// (the issuer and the ballot box, as the phone's two requests would).
fn vote(app: &TestApp, cid: &str, contest: &str, delegate_id: &str, choices: Choices) {
    let key = app
        .state
        .contest_key(&CongressId::from(cid), &ContestId::from(contest))
        .unwrap();
    let paper = take_in_process(
        &app.state.issuer,
        &key,
        &ContestId::from(contest),
        &congress::domain::ids::DelegateId::from(delegate_id),
    )
    .unwrap();
    cast_in_process(
        &app.state.ballot_box,
        &CongressId::from(cid),
        &ContestId::from(contest),
        key.public_key(),
        choices,
        &paper,
    )
    .unwrap();
}

both_backends!(a_write_in_who_ties_is_in_the_runoff, |kind: Kind| {
    let app = TestApp::start(kind, "write_in_runoff");
    let fx = fixture::for_app(&app, 30);
    let cid = fx.congress_id.clone();
    let actor = Actor::cli("test");
    let mut c = app.db.db.conn().unwrap();
    // The enrolment the record's roster summary is computed from (certifying needs it).
    let enrolment: Vec<congress::domain::types::CollegeEnrolment> = fixture::COLLEGES
        .iter()
        .map(|name| congress::domain::types::CollegeEnrolment {
            college: name.to_string(),
            grades: vec![
                ("2022级".into(), 300),
                ("2023级".into(), 300),
                ("2024级".into(), 300),
            ],
        })
        .collect();
    congress::storage::repo::roster::replace_enrolment(&mut c, &CongressId::from(&cid), &enrolment)
        .unwrap();
    for no in 1..=22 {
        service::attendance::set_present(&mut c, &actor, &CongressId::from(&cid), no, true)
            .unwrap();
    }
    service::voting::open(
        &mut c,
        &actor,
        &app.state.keys,
        &CongressId::from(&cid),
        &ContestId::from(&fx.election),
    )
    .unwrap();
    // Candidates in ballot order: A B C D E F G; 5 seats; 22 present, so > 11 is needed.
    // 8 ballots A B C D + E, 8 ballots A B C D + 周杰 (written in), 6 ballots A B C + E + 周杰:
    // A B C 22, D 16 are elected; E and 周杰 tie at 14 for the last seat.
    let k = &fx.candidates;
    let ballot = |fors: &[usize], write_in: bool| Choices::Election {
        marks: k
            .iter()
            .enumerate()
            .map(|(i, id)| {
                let m = if fors.contains(&i) {
                    Mark::For
                } else {
                    Mark::Against
                };
                (id.clone(), m)
            })
            .collect(),
        write_ins: if write_in {
            vec!["周杰".to_string()]
        } else {
            Vec::new()
        },
    };
    let mut ballots = Vec::new();
    ballots.extend((0..8).map(|_| ballot(&[0, 1, 2, 3, 4], false)));
    ballots.extend((0..8).map(|_| ballot(&[0, 1, 2, 3], true)));
    ballots.extend((0..6).map(|_| ballot(&[0, 1, 2, 4], true)));
    for (i, b) in ballots.into_iter().enumerate() {
        let d = delegate(&app, &cid, i as u32 + 1);
        vote(&app, &cid, &fx.election, d.id.as_str(), b);
    }
    drop(c);
    block_on(async {
        let staff = organiser(&app).await;
        close_contest(&staff, &cid, &fx.election).await;
        let mut c = app.db.db.conn().unwrap();
        let all = contests_repo::list(&mut c, &CongressId::from(&cid)).unwrap();
        let runoff = all
            .iter()
            .find(|x| x.parent_id.as_ref().map(ContestId::as_str) == Some(fx.election.as_str()))
            .expect("a runoff is proposed");
        assert_eq!(runoff.round_kind.map(|r| r.as_str()), Some("runoff"));
        assert_eq!(runoff.def.seats, Some(1));
        assert!(
            !runoff.def.allow_write_in,
            "a runoff is among the tied only"
        );
        let listed = contests_repo::candidates(&mut c, &runoff.id).unwrap();
        let names: Vec<&str> = listed.iter().map(|x| x.name.as_str()).collect();
        assert_eq!(names.len(), 2, "{names:?}");
        assert!(
            names.contains(&"周杰"),
            "the write-in person is in the runoff: {names:?}"
        );
        let zhou = listed.iter().find(|x| x.name == "周杰").unwrap().clone();
        assert_eq!(zhou.student_no, "待确认:周杰");

        // It cannot open until the person's details are confirmed.
        let page_url = format!("/c/{cid}/contests/{}", runoff.id);
        let (_, page) = staff.get_text(&page_url).await;
        assert!(
            page.contains("另选他人“周杰”进入本轮投票: 请在候选人列表中“修改”, 填写其学号、学院等信息并确认后才能开始投票"),
            "{page}"
        );
        let (status, body) = open_contest(&staff, &cid, runoff.id.as_str()).await;
        assert_eq!(status, 422, "{body}");
        let r = staff
            .post_form(
                &format!("{page_url}/candidates/{}", zhou.id),
                &[
                    ("name", "周杰"),
                    ("student_no", "2022010188"),
                    ("college", "信息学院"),
                    ("gender", "male"),
                    ("political_status", "共青团员"),
                    ("rank_pct", "20"),
                    ("failed_courses", "0"),
                    ("eligibility_override", ""),
                ],
            )
            .await;
        assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
        let (_, page) = staff.get_text(&page_url).await;
        assert!(!page.contains("另选他人“周杰”进入本轮投票"), "{page}");
        let (status, body) = open_contest(&staff, &cid, runoff.id.as_str()).await;
        assert_eq!(status, 303, "{body}");
        assert_eq!(contest(&app, runoff.id.as_str()).state, ContestState::Open);
        let mut c = app.db.db.conn().unwrap();
        let log = congress::storage::repo::audit::list(&mut c, Some(&cid)).unwrap();
        assert!(log.iter().any(|e| e.action == "contest.write_in_added"));

        // The runoff: 13 for 周杰, 9 for the other; 周杰 is elected in the second round.
        let listed = contests_repo::candidates(&mut c, &runoff.id).unwrap();
        let zhou_id = listed.iter().find(|x| x.name == "周杰").unwrap().id.clone();
        let other = listed.iter().find(|x| x.name != "周杰").unwrap().clone();
        for i in 0..22u32 {
            let zhou = if i < 13 { Mark::For } else { Mark::Against };
            let b = Choices::Election {
                marks: [(zhou_id.clone(), zhou), (other.id.clone(), Mark::Abstain)].into(),
                write_ins: Vec::new(),
            };
            let d = delegate(&app, &cid, i + 1);
            tokio::task::block_in_place(|| vote(&app, &cid, runoff.id.as_str(), d.id.as_str(), b));
        }
        drop(c);
        close_contest(&staff, &cid, runoff.id.as_str()).await;
        let (s, _, body) = staff_post(&staff, &format!("/c/{cid}/close"), &[]).await;
        assert_eq!(s, 303, "{body}");

        // The printed form, previewed before certifying: one list of the new presidium across
        // both rounds; then certified, with Chinese times and the verification block last.
        let (s, preview) = staff.get_text(&format!("/c/{cid}/record/preview")).await;
        assert_eq!(s, 200, "{preview}");
        assert!(preview.contains("预览: 结果报告尚未签署"), "{preview}");
        assert!(
            preview.contains("新当选主席团成员 (各轮合计 5 名)"),
            "{preview}"
        );
        assert!(
            preview.contains(&format!(
                "<td>周杰</td><td>信息学院</td><td>{} (再次投票)</td><td class=\"num\">13</td>",
                fixture::ELECTION_TITLE
            )),
            "{preview}"
        );
        let mut c = app.db.db.conn().unwrap();
        assert!(
            congress::service::record::stored(&mut c, &CongressId::from(&cid))
                .unwrap()
                .is_none()
        );
        drop(c);
        let (s, _, body) = staff_post(&staff, &format!("/c/{cid}/record/certify"), &[]).await;
        assert_eq!(s, 303, "{body}");
        let (_, print) = staff.get_text(&format!("/c/{cid}/record/print")).await;
        assert!(!print.contains("预览"));
        assert!(print.contains("新当选主席团成员 (各轮合计 5 名)"));
        let today = congress::service::addenda::today_cst();
        let zh_today = format!(
            "{}年{}月{}日 ",
            today.format("%Y"),
            today.format("%-m"),
            today.format("%-d")
        );
        assert!(
            print.contains(&format!("<dt>签署时间</dt><dd>{zh_today}")),
            "{print}"
        );
    });
});
