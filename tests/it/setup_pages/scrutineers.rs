//! The scrutineer rules (G2): one 总监票人, one role per person, no candidate, state and access.

use congress::domain::ids::CongressId;
use congress::domain::state::CongressState;
use congress::storage::models::{CandidateRow, ContestRow};
use congress::storage::repo::{congress as congress_repo, scrutineers, users::Role};
use congress::storage::schema::{candidates, contests};
use diesel::RunQueryDsl;

use super::{block_on, entries, new_congress};
use crate::common::http::{Client, TestApp};
use crate::common::Kind;

/// A contest with one candidate, inserted directly (the contests pages are not ours).
fn add_candidate(app: &TestApp, cid: &str, name: &str, student_no: &str) {
    let mut c = app.db.db.conn().unwrap();
    let contest_id = format!("k{student_no}");
    diesel::insert_into(contests::table)
        .values(ContestRow {
            id: contest_id.clone(),
            congress_id: cid.to_string(),
            kind: "election".to_string(),
            motion_kind: None,
            title: "主席团成员选举".to_string(),
            body: String::new(),
            agenda_order: 1,
            seats: Some(5),
            allow_write_in: false,
            threshold: "{}".to_string(),
            margin_override: None,
            parent_id: None,
            round_kind: None,
            not_held_reason: None,
            state: "draft".to_string(),
            issued: None,
            expected: None,
            paper_issued: 0,
            opened_at: None,
            closed_at: None,
            cast_count: None,
            merkle_root: None,
            result: None,
            created_at: 0,
            updated_at: 0,
            election_kind: None,
            threshold_reason: None,
        })
        .execute(&mut c)
        .unwrap();
    diesel::insert_into(candidates::table)
        .values(CandidateRow {
            id: format!("d{student_no}"),
            contest_id,
            name: name.to_string(),
            student_no: student_no.to_string(),
            college: "信息科学与工程学院".to_string(),
            gender: Some("女".to_string()),
            political_status: "共青团员".to_string(),
            rank_pct: Some(10),
            failed_courses: 0,
            eligibility_override: None,
            organiser_order: 1,
            ballot_order: 1,
        })
        .execute(&mut c)
        .unwrap();
}

async fn add_scrutineer(
    c: &Client,
    path: &str,
    role: &str,
    name: &str,
    no: &str,
    user: &str,
) -> reqwest::Response {
    c.post_form(
        path,
        &[
            ("role", role),
            ("name", name),
            ("student_no", no),
            ("username", user),
        ],
    )
    .await
}

both_backends!(scrutineer_rules, |kind: Kind| {
    let app = TestApp::start(kind, "scrutineer_rules");
    block_on(async {
        let org = app.login_as("tuanwei_chen", Role::Organiser).await;
        let cid = new_congress(&org).await;
        app.create_user("jianpiao_liu", Role::Scrutineer);
        add_candidate(&app, &cid, "林晓雯", "2022030117");
        let path = format!("/c/{cid}/scrutineers");
        let add = |role, name, no, user| add_scrutineer(&org, &path, role, name, no, user);

        let r = add("chief", "王建国", "", "jianpiao_liu").await;
        assert_eq!(r.status(), 303);
        let r = add("chief", "赵敏", "2021010203", "").await;
        assert_eq!(r.status(), 409);
        let body = r.text().await.unwrap();
        assert!(
            body.contains("总监票人只能有一名: 已由“王建国”担任"),
            "{body}"
        );
        assert!(body.contains("value=\"赵敏\""), "typed value kept");

        let r = add("scrutineer", "赵敏", "2021010203", "").await;
        assert_eq!(r.status(), 303);
        let r = add("counter", "赵敏", "２０２１０１０２０３", "").await;
        assert_eq!(
            r.status(),
            409,
            "same 学号 (typed full-width) in a second role"
        );
        assert!(r
            .text()
            .await
            .unwrap()
            .contains("同一人只能担任一项监票职务"));

        // Rule G2: a candidate is refused, naming the contest.
        let r = add("counter", "林晓雯", "2022030117", "").await;
        assert_eq!(r.status(), 422);
        let body = r.text().await.unwrap();
        assert!(body.contains("候选人不能担任监票人员(规则G2): 学号 2022030117(“林晓雯”)是“主席团成员选举”的候选人"), "{body}");
        let r = add("counter", "林晓雯", "", "").await;
        assert_eq!(r.status(), 422, "same name without 学号");
        assert!(r.text().await.unwrap().contains("请填写学号以区分"));
        // A namesake with another 学号 is someone else.
        assert_eq!(
            add("counter", "林晓雯", "2023050201", "").await.status(),
            303
        );

        // An organiser account cannot be linked; a linked account cannot be linked twice.
        let r = add("counter", "周老师", "", "tuanwei_chen").await;
        assert_eq!(r.status(), 422);
        assert!(r.text().await.unwrap().contains("只能关联监票人账户"));
        let r = add("counter", "刘洋", "", "jianpiao_liu").await;
        assert_eq!(r.status(), 409);

        let list = {
            let mut c = app.db.db.conn().unwrap();
            scrutineers::list(&mut c, &CongressId::from(&cid)).unwrap()
        };
        let names: Vec<(&str, &str)> = list
            .iter()
            .map(|s| (s.role.zh(), s.name.as_str()))
            .collect();
        assert_eq!(
            names,
            vec![
                ("总监票人", "王建国"),
                ("监票人", "赵敏"),
                ("计票人", "林晓雯")
            ]
        );
        assert_eq!(list[0].username.as_deref(), Some("jianpiao_liu"));
        let (_, page) = org.get_text(&path).await;
        assert!(page.contains("jianpiao_liu") && page.contains("2021010203"));

        // Audit: one entry per addition with the actor and the after-state; removal has before.
        let added = entries(&app, &cid, "scrutineer.add");
        assert_eq!(added.len(), 3);
        assert!(added
            .iter()
            .all(|e| e.actor == "tuanwei_chen" && e.before.is_none()));
        assert!(added[0]
            .after
            .as_deref()
            .unwrap()
            .contains("\"role\":\"chief\""));
        assert!(added[0]
            .after
            .as_deref()
            .unwrap()
            .contains("\"username\":\"jianpiao_liu\""));
        let zhao = list[1].id.clone();
        let r = org.post_form(&format!("{path}/{zhao}/delete"), &[]).await;
        assert_eq!(r.status(), 303);
        let removed = entries(&app, &cid, "scrutineer.remove");
        assert_eq!(removed.len(), 1);
        assert_eq!(removed[0].target.as_deref(), Some(zhao.as_str()));
        assert!(removed[0].before.as_deref().unwrap().contains("赵敏"));
        assert!(removed[0].after.is_none());
        // Deleting again: not found, told by a flash.
        let r = org.post_form(&format!("{path}/{zhao}/delete"), &[]).await;
        assert_eq!(r.status(), 303);

        // A scrutineer account not on the list sees nothing of the congress.
        let stranger = app.login_as("jianpiao_sun", Role::Scrutineer).await;
        let (s, page) = stranger.get_text(&path).await;
        assert_eq!(s, 403);
        assert!(page.contains("您不是这次大会的监票人员"), "{page}");
        // The linked account (王建国's) sees the list but cannot change it; no CSRF, no change.
        let mut scr = app.client();
        let r = scr
            .login("jianpiao_liu", "pw-jianpiao_liu-0123456789")
            .await;
        assert_eq!(r.status(), 303);
        scr.refresh_csrf().await;
        let (s, page) = scr.get_text(&path).await;
        assert_eq!(s, 200);
        assert!(page.contains("王建国") && !page.contains("/delete\""));
        assert_eq!(
            scr.post_form(&path, &[("role", "counter"), ("name", "孙")])
                .await
                .status(),
            403
        );
        assert_eq!(
            org.post_raw(&path, &[("role", "counter"), ("name", "孙")])
                .await
                .status(),
            403
        );

        // Once the congress is closed the list is fixed.
        {
            let mut c = app.db.db.conn().unwrap();
            for (a, b) in [
                (CongressState::Setup, CongressState::RosterFrozen),
                (
                    CongressState::RosterFrozen,
                    CongressState::CredentialsIssued,
                ),
                (CongressState::CredentialsIssued, CongressState::InSession),
                (CongressState::InSession, CongressState::Closed),
            ] {
                assert!(congress_repo::transition(&mut c, &CongressId::from(&cid), a, b).unwrap());
            }
        }
        let r = add("counter", "钱多多", "2020010101", "").await;
        assert_eq!(r.status(), 409);
        assert!(r.text().await.unwrap().contains("已经不能设置监票计票人员"));
    });
});
