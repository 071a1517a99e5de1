//! Contests through the organiser's pages and the API, on both backends. Here: ballot order
//! by strokes (C4), locking once opened, the congress state machine, the audit trail,
//! escaping, read-only scrutineers and the agenda order; the rules C1-C3, G2, B6 and F4 in
//! `contests/rules.rs`, the file upload in `contests/upload.rs`, the API in `contests/api.rs`.

mod api;
use crate::common;
use congress::domain::ids::{CongressId, ContestId};
mod kinds;
mod rules;
mod upload;

use common::http::{Client, TestApp};
use common::Kind;
use congress::domain::contest::Contest;
use congress::domain::settings::{Fraction, Threshold, ThresholdBase};
use congress::service::{self, Actor};
use congress::storage::repo::contests::{self as contests_repo};
use congress::storage::repo::{audit, users::Role};
use congress::storage::schema;
use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
use serde_json::Value;

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(f)
}

fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// Logs in organiser `zuzhi` and creates a congress of `level` through the form.
async fn setup(app: &TestApp, level: &str) -> (Client, String) {
    let org = app.login_as("zuzhi", Role::Organiser).await;
    let r = org
        .post_form(
            "/congresses",
            &[
                ("name", "示范大学第十次学生代表大会"),
                ("school", "示范大学"),
                ("level", level),
                ("session_no", "10"),
                ("date", "2026-12-01"),
                ("place", "大学生活动中心"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let cid = location(&r).trim_start_matches("/c/").to_string();
    assert!(!cid.is_empty());
    (org, cid)
}

/// Creates an election through the form; returns its id.
async fn new_election(org: &Client, cid: &str, title: &str, seats: &str) -> String {
    let r = org
        .post_form(
            &format!("/c/{cid}/contests/new?kind=election"),
            &[
                ("title", title),
                ("seats", seats),
                ("allow_write_in", "on"),
                ("threshold_preset", "settings"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap_or_default());
    let loc = location(&r);
    let prefix = format!("/c/{cid}/contests/");
    assert!(loc.starts_with(&prefix), "{loc}");
    loc[prefix.len()..].to_string()
}

/// Posts the candidate form with eligible data, overridden by `extra`.
async fn add(
    org: &Client,
    cid: &str,
    id: &str,
    name: &str,
    no: &str,
    extra: &[(&str, &str)],
) -> reqwest::Response {
    let mut fields = vec![
        ("name", name),
        ("student_no", no),
        ("college", "计算机学院"),
        ("gender", "female"),
        ("political_status", "共青团员"),
        ("rank_pct", "12"),
        ("failed_courses", "0"),
        ("eligibility_override", ""),
    ];
    for (k, v) in extra {
        fields.retain(|(f, _)| f != k);
        fields.push((k, v));
    }
    org.post_form(&format!("/c/{cid}/contests/{id}/candidates"), &fields)
        .await
}

async fn add_ok(org: &Client, cid: &str, id: &str, name: &str, no: &str) {
    let r = add(org, cid, id, name, no, &[]).await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap_or_default());
}

async fn motion(
    org: &Client,
    cid: &str,
    title: &str,
    motion_kind: &str,
    threshold: Vec<(&str, &str)>,
) -> reqwest::Response {
    let mut f = vec![
        ("title", title),
        ("motion_kind", motion_kind),
        ("body", "全文见会议材料"),
    ];
    f.extend(threshold);
    org.post_form(&format!("/c/{cid}/contests/new?kind=motion"), &f)
        .await
}

async fn mv(org: &Client, cid: &str, id: String, direction: &str) -> u16 {
    org.post_form(
        &format!("/c/{cid}/contests/{id}/move"),
        &[("direction", direction)],
    )
    .await
    .status()
    .as_u16()
}

fn contest(app: &TestApp, id: &str) -> Contest {
    let mut c = app.db.db.conn().unwrap();
    contests_repo::get(&mut c, &ContestId::from(id))
        .unwrap()
        .unwrap()
}

fn ballot_names(app: &TestApp, id: &str) -> Vec<String> {
    let mut c = app.db.db.conn().unwrap();
    contests_repo::candidates(&mut c, &ContestId::from(id))
        .unwrap()
        .into_iter()
        .map(|k| k.name)
        .collect()
}

fn set_contest_state(app: &TestApp, id: &str, state: &str) {
    use schema::contests::dsl;
    let mut c = app.db.db.conn().unwrap();
    let n = diesel::update(dsl::contests.filter(dsl::id.eq(id)))
        .set(dsl::state.eq(state))
        .execute(&mut c)
        .unwrap();
    assert_eq!(n, 1);
}

// Organiser's order of entry; ballot order by strokes: 王 4; 李 吴 何 沈 张 all 7 strokes,
// by first stroke 横 竖 撇 点 折; 赵 9.
const SEVEN: [&str; 7] = ["赵敏", "张伟", "李明", "王建国", "沈雪", "吴静", "何芳"];
const BALLOT: [&str; 7] = ["王建国", "李明", "吴静", "何芳", "沈雪", "张伟", "赵敏"];

both_backends!(five_seats_seven_candidates_in_stroke_order, |kind: Kind| {
    let app = TestApp::start(kind, "stroke_order");
    block_on(async {
        let (org, cid) = setup(&app, "school").await;
        let id = new_election(&org, &cid, "选举第十届学生会主席团成员", "5").await;
        for (i, name) in SEVEN.iter().enumerate() {
            add_ok(&org, &cid, &id, name, &format!("20210101{i:02}")).await;
        }
        assert_eq!(ballot_names(&app, &id), BALLOT);

        let (status, page) = org.get_text(&format!("/c/{cid}/contests/{id}")).await;
        assert_eq!(status, 200);
        // After the flash message, which names the last candidate added.
        let table = &page[page.find("<table class=\"candidates\"").unwrap()..];
        let positions: Vec<usize> = BALLOT.iter().map(|n| table.find(n).unwrap()).collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
        assert!(page.contains("王：4画，横横竖横"));
        assert!(page.contains("第1字：李：7画，横竖撇点折竖横 先于 吴：7画"));
        assert!(page.contains("应选5名，差额选举须有候选人至少6名"));
        assert!(page.contains("已满足开始投票的条件"));

        let (_, agenda) = org.get_text(&format!("/c/{cid}/contests")).await;
        assert!(agenda.contains("应选5名，候选人7名"));
        assert!(agenda.contains("可以开始投票"));

        // Removing 王建国 moves 李明 to the top.
        let mut c = app.db.db.conn().unwrap();
        let wang = contests_repo::candidates(&mut c, &ContestId::from(&id)).unwrap()[0].clone();
        let r = org
            .post_form(
                &format!("/c/{cid}/contests/{id}/candidates/{}/delete", wang.id),
                &[],
            )
            .await;
        assert_eq!(r.status(), 303);
        assert_eq!(ballot_names(&app, &id), BALLOT[1..]);
    });
});

both_backends!(editing_is_refused_once_a_contest_opens, |kind: Kind| {
    let app = TestApp::start(kind, "locked_when_open");
    block_on(async {
        let (org, cid) = setup(&app, "school").await;
        let id = new_election(&org, &cid, "选举主席团成员", "1").await;
        add_ok(&org, &cid, &id, "林晓", "2022030101").await;
        set_contest_state(&app, &id, "open");
        let base = format!("/c/{cid}/contests/{id}");
        let r = org
            .post_form(
                &format!("{base}/edit"),
                &[("title", "改名"), ("seats", "1")],
            )
            .await;
        assert_eq!(r.status(), 409);
        assert!(r.text().await.unwrap().contains("投票中，已经不能修改"));
        assert_eq!(
            add(&org, &cid, &id, "郑刚", "2022030110", &[])
                .await
                .status(),
            409
        );
        assert_eq!(
            org.post_form(&format!("{base}/delete"), &[]).await.status(),
            409
        );
        let (_, page) = org.get_text(&base).await;
        assert!(page.contains("本事项投票中，已锁定，不能再修改。"));
        assert!(!page.contains("id=\"add\""));
        assert_eq!(contest(&app, &id).def.title, "选举主席团成员");
    });
});

both_backends!(closed_congress_refuses_contest_edits, |kind: Kind| {
    let app = TestApp::start(kind, "state_machine");
    block_on(async {
        let (org, cid) = setup(&app, "school").await;
        let id = new_election(&org, &cid, "选举主席团成员", "1").await;
        {
            use schema::congresses::dsl;
            let mut c = app.db.db.conn().unwrap();
            diesel::update(dsl::congresses.filter(dsl::id.eq(&cid)))
                .set(dsl::state.eq("closed"))
                .execute(&mut c)
                .unwrap();
        }
        let r = org
            .post_form(
                &format!("/c/{cid}/contests/new?kind=election"),
                &[
                    ("title", "补选"),
                    ("seats", "1"),
                    ("threshold_preset", "settings"),
                ],
            )
            .await;
        assert_eq!(r.status(), 409);
        assert!(r
            .text()
            .await
            .unwrap()
            .contains("已经不能编辑选举和表决事项"));
        assert_eq!(
            add(&org, &cid, &id, "林晓", "2022030101", &[])
                .await
                .status(),
            409
        );
        let (_, page) = org.get_text(&format!("/c/{cid}/contests")).await;
        assert!(!page.contains("新建选举"));
    });
});

both_backends!(
    every_change_is_audited_with_before_and_after,
    |kind: Kind| {
        let app = TestApp::start(kind, "contest_audit");
        block_on(async {
            let (org, cid) = setup(&app, "school").await;
            let id = new_election(&org, &cid, "选举主席团成员", "2").await;
            let r = org
                .post_form(
                    &format!("/c/{cid}/contests/{id}/edit"),
                    &[
                        ("title", "选举第十届主席团成员"),
                        ("seats", "3"),
                        ("threshold_preset", "settings"),
                    ],
                )
                .await;
            assert_eq!(r.status(), 303);
            add_ok(&org, &cid, &id, "林晓", "2022030101").await;
            let kid = ballot_names(&app, &id);
            assert_eq!(kid, ["林晓"]);
            let mut c = app.db.db.conn().unwrap();
            let k = contests_repo::candidates(&mut c, &ContestId::from(&id)).unwrap()[0]
                .id
                .clone();
            let r = org
                .post_form(
                    &format!("/c/{cid}/contests/{id}/candidates/{k}/delete"),
                    &[],
                )
                .await;
            assert_eq!(r.status(), 303);

            let log = audit::list(&mut c, Some(&cid)).unwrap();
            let find = |action: &str| log.iter().find(|e| e.action == action).unwrap().clone();
            let edit = find("contest.edit");
            assert_eq!(edit.actor, "zuzhi");
            assert_eq!(edit.target.as_deref(), Some(id.as_str()));
            let before: Value = serde_json::from_str(edit.before.as_deref().unwrap()).unwrap();
            let after: Value = serde_json::from_str(edit.after.as_deref().unwrap()).unwrap();
            assert_eq!(before["def"]["title"], "选举主席团成员");
            assert_eq!(before["def"]["seats"], 2);
            assert_eq!(after["def"]["title"], "选举第十届主席团成员");
            assert_eq!(after["def"]["seats"], 3);
            let added = find("contest.candidate_add");
            assert_eq!(added.before, None);
            let after: Value = serde_json::from_str(added.after.as_deref().unwrap()).unwrap();
            assert_eq!(after["name"], "林晓");
            let removed = find("contest.candidate_remove");
            let before: Value = serde_json::from_str(removed.before.as_deref().unwrap()).unwrap();
            assert_eq!(before["student_no"], "2022030101");
            assert_eq!(removed.after, None);
            assert!(log
                .iter()
                .any(|e| e.action == "contest.create" && e.after.is_some()));
        });
    }
);

both_backends!(
    candidate_names_are_escaped_and_scrutineers_only_read,
    |kind: Kind| {
        let app = TestApp::start(kind, "escaping");
        block_on(async {
            let (org, cid) = setup(&app, "school").await;
            let id = new_election(&org, &cid, "选举主席团成员", "1").await;
            add_ok(&org, &cid, &id, "<script>alert(1)</script>", "2022030101").await;
            let (_, page) = org.get_text(&format!("/c/{cid}/contests/{id}")).await;
            assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
            assert!(!page.contains("<script>alert(1)"));

            let jian = app.login_as("jianpiao", Role::Scrutineer).await;
            common::name_scrutineer(&app.db.db, &cid, "jianpiao");
            let (status, page) = jian.get_text(&format!("/c/{cid}/contests/{id}")).await;
            assert_eq!(status, 200);
            assert!(page.contains("只有创建本大会的组织者可以修改"));
            assert!(!page.contains("id=\"add\""));
            let r = jian
                .post_form(
                    &format!("/c/{cid}/contests/{id}/edit"),
                    &[("title", "x"), ("seats", "1")],
                )
                .await;
            assert_eq!(r.status(), 403);
        });
    }
);

both_backends!(agenda_moves_up_and_down, |kind: Kind| {
    let app = TestApp::start(kind, "agenda_moves");
    block_on(async {
        let (org, cid) = setup(&app, "school").await;
        let a = new_election(&org, &cid, "选举主席团成员", "5").await;
        let b = new_election(&org, &cid, "选举秘书长", "1").await;
        let c = new_election(&org, &cid, "选举副秘书长", "1").await;
        let order = || {
            let mut conn = app.db.db.conn().unwrap();
            contests_repo::list(&mut conn, &CongressId::from(&cid))
                .unwrap()
                .into_iter()
                .map(|x| (x.id.into_string(), x.agenda_order))
                .collect::<Vec<_>>()
        };
        assert_eq!(mv(&org, &cid, a.clone(), "down").await, 303);
        assert_eq!(
            order(),
            vec![(b.clone(), 1), (a.clone(), 2), (c.clone(), 3)]
        );
        assert_eq!(mv(&org, &cid, c.clone(), "up").await, 303);
        assert_eq!(
            order(),
            vec![(b.clone(), 1), (c.clone(), 2), (a.clone(), 3)]
        );
        assert_eq!(mv(&org, &cid, b.clone(), "up").await, 409);
        // What has been voted on keeps its place.
        set_contest_state(&app, &b, "final");
        assert_eq!(mv(&org, &cid, c.clone(), "up").await, 409);
        let r = org
            .post_form(&format!("/c/{cid}/contests/{c}/delete"), &[])
            .await;
        assert_eq!(r.status(), 303);
        assert_eq!(order(), vec![(b, 1), (a, 2)]);
    });
});
