//! The rules of a contest through the pages: seats (C1), the 差额 margin and its override
//! (C2), eligibility and its override (C3), candidates who are scrutineers (G2) or listed
//! twice (B6), and motion thresholds (F4).

use super::*;
use congress::domain::ids::{CongressId, ContestId};

both_backends!(c1_refuses_six_seats_at_school_level, |kind: Kind| {
    let app = TestApp::start(kind, "c1_seats");
    block_on(async {
        let (org, cid) = setup(&app, "school").await;
        let r = org
            .post_form(
                &format!("/c/{cid}/contests/new?kind=election"),
                &[
                    ("title", "选举主席团成员"),
                    ("seats", "6"),
                    ("threshold_preset", "settings"),
                ],
            )
            .await;
        assert_eq!(r.status(), 422);
        let page = r.text().await.unwrap();
        assert!(
            page.contains("规则C1：校级学代会主席团应选名额不得超过5名，当前为6名"),
            "{page}"
        );
        // The form is shown again as filled in.
        assert!(page.contains("value=\"选举主席团成员\""));
        let mut c = app.db.db.conn().unwrap();
        assert!(contests_repo::list(&mut c, &CongressId::from(&cid))
            .unwrap()
            .is_empty());

        let id = new_election(&org, &cid, "选举主席团成员", "5").await;
        let r = org
            .post_form(
                &format!("/c/{cid}/contests/{id}/edit"),
                &[
                    ("title", "选举主席团成员"),
                    ("seats", "6"),
                    ("threshold_preset", "settings"),
                ],
            )
            .await;
        assert_eq!(r.status(), 422);
        assert_eq!(contest(&app, &id).def.seats, Some(5));
    });
});

both_backends!(c2_equal_election_needs_a_reason, |kind: Kind| {
    let app = TestApp::start(kind, "c2_margin");
    block_on(async {
        let (org, cid) = setup(&app, "school").await;
        let id = new_election(&org, &cid, "选举主席团成员", "5").await;
        for (i, name) in SEVEN[..5].iter().enumerate() {
            add_ok(&org, &cid, &id, name, &format!("20210101{i:02}")).await;
        }
        let (_, page) = org.get_text(&format!("/c/{cid}/contests/{id}")).await;
        assert!(page.contains("尚不能开始投票"));
        assert!(page.contains(
            "差额选举须有候选人至少6名（应选名额加1与其1.2倍向上取整中的较大者），现有5名"
        ));
        let mut c = app.db.db.conn().unwrap();
        let err =
            service::contests::ensure_ready(&mut c, &CongressId::from(&cid), &ContestId::from(&id))
                .unwrap_err();
        assert!(err.to_string().contains("尚不具备开始投票的条件"), "{err}");

        let reason = "经各学院团委充分酝酿，主席团成员实行等额选举";
        let r = org
            .post_form(
                &format!("/c/{cid}/contests/{id}/edit"),
                &[
                    ("title", "选举主席团成员"),
                    ("seats", "5"),
                    ("threshold_preset", "settings"),
                    ("margin_override", reason),
                ],
            )
            .await;
        assert_eq!(r.status(), 303);
        let (_, page) = org.get_text(&format!("/c/{cid}/contests/{id}")).await;
        assert!(page.contains(&format!("等额选举，组织方理由：{reason}")));
        assert!(page.contains("已满足开始投票的条件；以下特批或提示将记入结果报告"));
        service::contests::ensure_ready(&mut c, &CongressId::from(&cid), &ContestId::from(&id))
            .unwrap();
        let v =
            service::contests::readiness(&mut c, &CongressId::from(&cid), &ContestId::from(&id))
                .unwrap();
        assert_eq!(v.len(), 1);
        assert_eq!((v[0].rule.as_str(), v[0].warning), ("C2", true));
    });
});

both_backends!(c3_failed_course_needs_an_override, |kind: Kind| {
    let app = TestApp::start(kind, "c3_override");
    block_on(async {
        let (org, cid) = setup(&app, "school").await;
        let id = new_election(&org, &cid, "选举主席团成员", "3").await;
        let r = add(
            &org,
            &cid,
            &id,
            "周宁",
            "2022030102",
            &[("failed_courses", "1")],
        )
        .await;
        assert_eq!(r.status(), 422);
        let page = r.text().await.unwrap();
        assert!(page.contains("有1门课程不及格，须无不及格课程"), "{page}");
        assert!(page.contains("须填写特批理由"));
        assert!(page.contains("value=\"周宁\""));
        assert!(ballot_names(&app, &id).is_empty());

        let reason = "该课程已重修通过，经学院党委研究同意提名";
        let r = add(
            &org,
            &cid,
            &id,
            "周宁",
            "2022030102",
            &[("failed_courses", "1"), ("eligibility_override", reason)],
        )
        .await;
        assert_eq!(r.status(), 303);
        let (_, page) = org.get_text(&format!("/c/{cid}/contests/{id}")).await;
        assert!(page.contains("<strong>特批</strong>"));
        assert!(page.contains(&format!("特批理由：{reason}")));
        assert!(page.contains("组织方已特批"));
        let mut c = app.db.db.conn().unwrap();
        let k = &contests_repo::candidates(&mut c, &ContestId::from(&id)).unwrap()[0];
        assert_eq!(k.eligibility_override.as_deref(), Some(reason));
        assert_eq!(k.failed_courses, 1);
    });
});

both_backends!(
    g2_and_duplicate_student_numbers_are_refused,
    |kind: Kind| {
        let app = TestApp::start(kind, "g2_conflict");
        block_on(async {
            let (org, cid) = setup(&app, "school").await;
            let id = new_election(&org, &cid, "选举主席团成员", "1").await;
            add_ok(&org, &cid, &id, "林晓", "2022030101").await;
            let r = add(&org, &cid, &id, "林小", "2022030101", &[]).await;
            assert_eq!(r.status(), 422);
            assert!(r
                .text()
                .await
                .unwrap()
                .contains("规则B6：学号2022030101已是本事项的候选人（林晓）"));

            let scrutineer = |no: &str, pos: i32| {
                use schema::scrutineers::dsl;
                let mut c = app.db.db.conn().unwrap();
                diesel::insert_into(dsl::scrutineers)
                    .values((
                        dsl::id.eq(format!("s{pos}")),
                        dsl::congress_id.eq(&cid),
                        dsl::role.eq("scrutineer"),
                        dsl::name.eq("监票人"),
                        dsl::student_no.eq(no),
                        dsl::position.eq(pos),
                    ))
                    .execute(&mut c)
                    .unwrap();
            };
            scrutineer("2022030109", 1);
            let r = add(&org, &cid, &id, "郑强", "2022030109", &[]).await;
            assert_eq!(r.status(), 422);
            assert!(r.text().await.unwrap().contains(
                "规则G2：候选人郑强（学号2022030109）已被列为监票人，候选人不得担任监票、计票工作"
            ));

            // A scrutineer named after the candidate was added: the contest is not ready.
            add_ok(&org, &cid, &id, "郑刚", "2022030110").await;
            scrutineer("2022030101", 2);
            let (_, page) = org.get_text(&format!("/c/{cid}/contests/{id}")).await;
            assert!(page.contains("候选人林晓（学号2022030101）同时被列为监票人或计票人"));
            assert!(page.contains("尚不能开始投票"));
        });
    }
);

both_backends!(motion_threshold_presets, |kind: Kind| {
    let app = TestApp::start(kind, "motion_presets");
    block_on(async {
        let (org, cid) = setup(&app, "school").await;
        let r = motion(
            &org,
            &cid,
            "审议学生会章程修正案",
            "charter",
            vec![("threshold_preset", "kind")],
        )
        .await;
        assert_eq!(r.status(), 303);
        let charter = location(&r).rsplit('/').next().unwrap().to_string();
        let r = motion(
            &org,
            &cid,
            "审议学生会工作报告",
            "work_report",
            vec![("threshold_preset", "ordinary")],
        )
        .await;
        let report = location(&r).rsplit('/').next().unwrap().to_string();
        // A custom threshold keeps F4's fractions; another base is a deviation with a reason.
        let custom = vec![
            ("threshold_preset", "custom"),
            ("threshold_base", "valid_ballots"),
            ("threshold_num", "1"),
            ("threshold_den", "2"),
            ("threshold_mode", "strict"),
            ("threshold_reason", "本提案按有效票计算, 经主席团会议决定"),
        ];
        let r = motion(&org, &cid, "表决提案", "other", custom).await;
        assert_eq!(r.status(), 303);
        let other = location(&r).rsplit('/').next().unwrap().to_string();

        assert_eq!(contest(&app, &charter).def.threshold, Threshold::CHARTER);
        assert_eq!(contest(&app, &charter).def.threshold_reason, None);
        // The 2/3 preset chosen for another kind of motion: refused without a reason (F4), then
        // allowed with one, shown with an F4 warning.
        let r = motion(
            &org,
            &cid,
            "表决罢免提案",
            "other",
            vec![("threshold_preset", "charter")],
        )
        .await;
        assert_eq!(r.status(), 422);
        let page = r.text().await.unwrap();
        assert!(
            page.contains("规则F4: 本事项的通过标准“赞成票达到2/3(含)实到代表数”与规则默认的“赞成票超过1/2实到代表数”不同, 须填写理由"),
            "{page}"
        );
        let r = motion(
            &org,
            &cid,
            "表决罢免提案",
            "other",
            vec![
                ("threshold_preset", "charter"),
                ("threshold_reason", "罢免须三分之二以上同意"),
            ],
        )
        .await;
        let strict = location(&r).rsplit('/').next().unwrap().to_string();
        assert_eq!(contest(&app, &strict).def.threshold, Threshold::CHARTER);
        assert_eq!(
            contest(&app, &strict).def.threshold_reason.as_deref(),
            Some("罢免须三分之二以上同意")
        );
        let (_, page) = org.get_text(&format!("/c/{cid}/contests/{strict}")).await;
        assert!(page.contains("本事项（其他）的通过标准为“赞成票达到2/3(含)实到代表数”"));
        assert!(page.contains("理由：罢免须三分之二以上同意"), "{page}");
        assert_eq!(contest(&app, &report).def.threshold, Threshold::ORDINARY);
        let t = contest(&app, &other).def.threshold;
        assert_eq!(t.base, ThresholdBase::ValidBallots);
        assert_eq!(t.fraction, Fraction::new(1, 2, true));

        let (_, page) = org.get_text(&format!("/c/{cid}/contests/{charter}")).await;
        assert!(page.contains("赞成票达到2/3(含)实到代表数"));
        assert!(page.contains("已满足开始投票的条件。"));
        let (_, page) = org.get_text(&format!("/c/{cid}/contests/{report}")).await;
        assert!(page.contains("赞成票超过1/2实到代表数"));
        let (_, page) = org.get_text(&format!("/c/{cid}/contests/{other}")).await;
        assert!(page.contains("赞成票超过1/2有效票数"));
        assert!(page.contains("规则F4的默认标准为“赞成票超过1/2实到代表数”"));

        for (num, den, mode) in [
            ("1", "1", "strict"),
            ("3", "5", "inclusive"),
            ("1", "100", "inclusive"),
        ] {
            let bad = vec![
                ("threshold_preset", "custom"),
                ("threshold_base", "present"),
                ("threshold_num", num),
                ("threshold_den", den),
                ("threshold_mode", mode),
                ("threshold_reason", "试试"),
            ];
            let r = motion(&org, &cid, "无法通过的表决", "other", bad).await;
            assert_eq!(r.status(), 422);
            let page = r.text().await.unwrap();
            assert!(
                page.contains("规则F4: 表决通过标准只能为“超过1/2”或(章程修正案)“达到2/3(含)”"),
                "{page}"
            );
        }
    });
});
