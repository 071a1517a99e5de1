//! The roster page: generation with its 4 substitutions, check, freeze, the actions refused
//! too late, unfreezing with a reason; an invalid upload that cannot be frozen; the CSV.

use congress::domain::ids::CongressId;
use congress::domain::settings::RuleProfile;
use congress::import::{parse_roster, read_table};
use congress::service::{self, roster as roster_svc, Actor};
use congress::storage::repo::roster as roster_repo;
use congress::storage::repo::users::Role;

use super::{after, block_on, entries, fixture, import_samples, new_congress, press, stored, XSS};
use crate::common::http::{Client, TestApp};
use crate::common::Kind;

fn location(r: &reqwest::Response) -> String {
    r.headers()["location"].to_str().unwrap().to_string()
}

async fn roster_page(c: &Client, cid: &str) -> String {
    let (s, page) = c.get_text(&format!("/c/{cid}/roster")).await;
    assert_eq!(s, 200);
    page
}

both_backends!(generate_freeze_and_unfreeze, |kind: Kind| {
    let app = TestApp::start(kind, "generate_freeze_and_unfreeze");
    block_on(async {
        let org = app.login_as("tuanwei_he", Role::Organiser).await;
        let cid = new_congress(&org).await;
        // Too early: nothing imported yet.
        let r = press(&org, &cid, "generate").await;
        assert_eq!(r.status(), 422);
        assert!(r.text().await.unwrap().contains("尚未导入学生人数表"));
        import_samples(&org, &cid).await;
        let page = roster_page(&org, &cid).await;
        assert!(page.contains("暂不能冻结: 还没有代表名单"), "{page}");
        assert!(page.contains("<button class=\"danger\" type=\"button\" disabled"));

        let r = press(&org, &cid, "generate").await;
        assert_eq!(r.status(), 303);
        assert_eq!(location(&r), format!("/c/{cid}/roster"));
        let page = roster_page(&org, &cid).await;
        assert!(
            page.contains("已生成代表名单: 164名代表, 按规则调整4处"),
            "{page}"
        );
        assert!(page.contains("代表名单符合全部规则(B1-B6)。"));
        assert!(page.contains("名单来源: 由推荐人选自动生成"));
        assert!(page.contains("代表(164名)"));
        // The 4 substitutions, each explained: 3 for B2 in 计算机学院, 1 for B3 in 文学院.
        assert!(page.contains("生成时的调整(4处)"));
        for (rule, out, inn) in [
            ("B2", "田鹏(第27名, 183票)", "汤佳敏(第34名, 160票)"),
            ("B2", "江晨浩(第32名, 164票)", "范思妍(第35名, 159票)"),
            ("B2", "龙明铭(第33名, 161票)", "吕磊宇(第36名, 158票)"),
            ("B3", "宋涵彤(第16名, 202票)", "陆雨涵(第17名, 201票)"),
        ] {
            let row = format!("<td>{rule}</td><td>{out}</td><td>{inn}</td>");
            assert!(page.contains(&row), "{row}");
        }
        assert!(page.contains("按得票取前33名只有17名普通同学"));
        assert!(page.contains("按得票取前16名时2025级没有代表"));
        // The figures of the report are the summary's.
        let summary = {
            let mut c = app.db.db.conn().unwrap();
            roster_svc::summary(&mut c, &CongressId::from(&cid)).unwrap()
        };
        assert_eq!(
            (
                summary.total,
                summary.ordinary_required,
                summary.women_required
            ),
            (164, 99, 50)
        );
        assert!(summary.women >= 50 && summary.ordinary >= 99);
        assert_eq!(summary.societies_covered.len(), 5);
        let women = format!("{}/164 (", summary.women);
        assert!(page.contains(&women), "{women}");
        assert!(page.contains("已覆盖5/5: 青年志愿者协会、大学生艺术团"));
        assert!(
            page.contains("<td>计算机学院</td><td class=\"num\">33</td><td class=\"num\">33</td>")
        );
        let e = entries(&app, &cid, "roster.generate");
        assert_eq!(e.len(), 1);
        let a = after(&e[0]);
        assert_eq!(
            (a["valid"].clone(), a["delegates"].clone()),
            (true.into(), 164.into())
        );
        assert_eq!(a["substitutions"], 4);

        // The CSV reads back as the stored roster.
        let r = org.get(&format!("/c/{cid}/roster.csv")).await;
        assert_eq!(r.status(), 200);
        let bytes = r.bytes().await.unwrap();
        assert!(bytes.starts_with("\u{feff}姓名,学号,学院".as_bytes()));
        let back = parse_roster(&read_table("roster.csv", &bytes).unwrap()).unwrap();
        let mut c = app.db.db.conn().unwrap();
        let db = roster_repo::roster_entries(&mut c, &CongressId::from(&cid)).unwrap();
        assert_eq!(back.len(), 164);
        assert!(back
            .iter()
            .zip(&db)
            .all(|(a, b)| a.student == b.student && a.kind == b.kind));

        let r = press(&org, &cid, "check").await;
        assert_eq!(r.status(), 303);
        assert_eq!(
            after(&entries(&app, &cid, "roster.check")[0])["valid"],
            true
        );
        let r = press(&org, &cid, "freeze").await;
        assert_eq!(r.status(), 303);
        assert_eq!(stored(&app, &cid).state.as_str(), "roster_frozen");
        let f = &entries(&app, &cid, "roster.freeze")[0];
        assert_eq!(f.before.as_deref(), Some("{\"state\":\"setup\"}"));
        assert_eq!(after(f)["state"], "roster_frozen");
        let page = roster_page(&org, &cid).await;
        assert!(page.contains("代表名单已冻结(164名代表)"));
        assert!(page.contains(&format!("action=\"/c/{cid}/roster/unfreeze\"")));
        assert!(!page.contains(&format!("action=\"/c/{cid}/roster/generate\"")));

        // Too late now, each with the state machine's message.
        for (action, msg) in [
            ("generate", "已经不能生成或上传代表名单"),
            ("check", "已经不能生成或上传代表名单"),
            ("freeze", "已经不能冻结代表名单"),
        ] {
            let r = press(&org, &cid, action).await;
            assert_eq!(r.status(), 409, "{action}");
            let page = r.text().await.unwrap();
            assert!(page.contains(msg), "{action}: {page}");
            assert!(page.contains("“代表名单已冻结”"));
        }
        let r = org
            .upload(
                &format!("/c/{cid}/roster/upload"),
                "roster.csv",
                fixture("roster.utf8.csv"),
            )
            .await;
        assert_eq!(r.status(), 409);
        assert!(r
            .text()
            .await
            .unwrap()
            .contains("已经不能生成或上传代表名单"));
        let r = org
            .upload(
                &format!("/c/{cid}/files/nominees"),
                "n.csv",
                super::sample("nominees.csv"),
            )
            .await;
        assert_eq!(r.status(), 409);
        assert!(r
            .text()
            .await
            .unwrap()
            .contains("已经不能导入名单文件: 大会当前状态为“代表名单已冻结”"));

        // Unfreezing needs a reason.
        for reason in ["", "　 "] {
            let r = org
                .post_form(&format!("/c/{cid}/roster/unfreeze"), &[("reason", reason)])
                .await;
            assert_eq!(r.status(), 422);
            assert!(r.text().await.unwrap().contains("解除冻结必须填写原因"));
        }
        assert_eq!(stored(&app, &cid).state.as_str(), "roster_frozen");
        let reason = "外国语学院代表卢晓出国交流, 需要更换";
        let r = org
            .post_form(&format!("/c/{cid}/roster/unfreeze"), &[("reason", reason)])
            .await;
        assert_eq!(r.status(), 303);
        assert_eq!(stored(&app, &cid).state.as_str(), "setup");
        let u = entries(&app, &cid, "roster.unfreeze");
        assert_eq!(u.len(), 1);
        assert_eq!(after(&u[0])["reason"], reason);
        assert_eq!(u[0].actor, "tuanwei_he");
        // Unfreezing a roster that is not frozen is refused by the state machine.
        let r = org
            .post_form(&format!("/c/{cid}/roster/unfreeze"), &[("reason", reason)])
            .await;
        assert_eq!(r.status(), 409);
        assert!(r.text().await.unwrap().contains("解除冻结"));

        // New settings make the stored report stale; the page says so.
        let profile = RuleProfile {
            women_min_pct: 25,
            ..stored(&app, &cid).settings
        };
        service::congress::update_settings(
            &mut c,
            &Actor::cli("test"),
            &CongressId::from(&cid),
            &profile,
        )
        .unwrap();
        let page = roster_page(&org, &cid).await;
        assert!(page.contains("此报告已过期"), "{page}");
        assert!(page.contains("应不少于41"));

        // A scrutineer sees the roster and its report, and cannot act.
        let scr = app.login_as("jianpiao_ma", Role::Scrutineer).await;
        crate::common::name_scrutineer(&app.db.db, &cid, "jianpiao_ma");
        let page = roster_page(&scr, &cid).await;
        assert!(page.contains("代表(164名)"));
        assert!(!page.contains(&format!("action=\"/c/{cid}/roster/generate\"")));
        assert_eq!(press(&scr, &cid, "generate").await.status(), 403);
        assert_eq!(press(&scr, &cid, "freeze").await.status(), 403);
        assert_eq!(entries(&app, &cid, "roster.generate").len(), 1);
    });
});

/// The fixture roster without its first three delegates (all of 计算机学院).
fn short_roster() -> Vec<u8> {
    let text = String::from_utf8(fixture("roster.utf8.csv")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut out = vec![lines[0]];
    out.extend(&lines[4..]);
    out.join("\n").into_bytes()
}

both_backends!(an_invalid_roster_cannot_be_frozen, |kind: Kind| {
    let app = TestApp::start(kind, "an_invalid_roster_cannot_be_frozen");
    block_on(async {
        let org = app.login_as("tuanwei_luo", Role::Organiser).await;
        let cid = new_congress(&org).await;
        import_samples(&org, &cid).await;
        let upload = |name: &'static str, bytes: Vec<u8>| {
            let path = format!("/c/{cid}/roster/upload");
            let org = &org;
            async move { org.upload(&path, name, bytes).await }
        };
        let r = upload("短名单.csv", short_roster()).await;
        assert_eq!(r.status(), 200);
        let page = r.text().await.unwrap();
        assert!(page.contains("已上传“短名单.csv”: 161名代表"), "{page}");
        assert!(page.contains("不符合规则, 不能冻结"));
        assert!(page.contains("计算机学院名额33名, 名单中选举产生的代表只有30名, 少3名"));
        assert!(page.contains("暂不能冻结: 名单有"));
        let e = entries(&app, &cid, "roster.upload");
        assert_eq!(after(&e[0])["file"], "短名单.csv");
        assert_eq!(after(&e[0])["valid"], false);

        let r = press(&org, &cid, "freeze").await;
        assert_eq!(r.status(), 422);
        let page = r.text().await.unwrap();
        assert!(page.contains("不能冻结; 请修改名单后重新校验"), "{page}");
        assert!(page.contains("规则B1 [计算机学院] 应为33 实际30"));
        assert_eq!(stored(&app, &cid).state.as_str(), "setup");
        assert!(entries(&app, &cid, "roster.freeze").is_empty());

        // A file with an error stores nothing: the short roster stays.
        let bad = String::from_utf8(fixture("roster.utf8.csv"))
            .unwrap()
            .replacen(",2022级,男,", ",2022级,man,", 1);
        let r = upload("坏名单.csv", bad.into_bytes()).await;
        assert_eq!(r.status(), 422);
        let page = r.text().await.unwrap();
        assert!(page.contains("<mark>man</mark>"), "{page}");
        assert!(page.contains("坏名单.csv 第2行 “性别”列"));
        let mut c = app.db.db.conn().unwrap();
        assert_eq!(
            roster_repo::delegates(&mut c, &CongressId::from(&cid))
                .unwrap()
                .len(),
            161
        );

        // A delegate of an unknown college (named like a script): B6, reported by file row at
        // upload and by delegate number after a check, which is the same report.
        let xss = String::from_utf8(fixture("roster.utf8.csv"))
            .unwrap()
            .replacen(",计算机学院,", &format!(",{XSS},"), 1);
        let r = upload("名单.csv", xss.into_bytes()).await;
        assert_eq!(r.status(), 200);
        let page = r.text().await.unwrap();
        let escaped = "&lt;script&gt;alert(1)&lt;/script&gt;";
        assert!(
            page.contains(&format!("<td>B6</td><td>{escaped}</td>")),
            "{page}"
        );
        assert!(page.contains("不在学院名单中(第2行)"));
        assert!(!page.contains(XSS));
        assert_eq!(press(&org, &cid, "check").await.status(), 303);
        let page = roster_page(&org, &cid).await;
        assert!(page.contains("不在学院名单中(第1条)"), "{page}");
        assert!(!page.contains("此报告已过期") && !page.contains(XSS));

        // The valid roster from Excel (xlsx) replaces it, and freezes.
        let r = upload("代表名单.xlsx", fixture("roster.xlsx")).await;
        assert_eq!(r.status(), 200);
        let page = r.text().await.unwrap();
        assert!(page.contains("已上传“代表名单.xlsx”: 164名代表"));
        assert!(page.contains("代表名单符合全部规则(B1-B6)。"));
        assert!(page.contains("名单来源: 上传的名单文件(代表名单.xlsx)"));
        assert!(!page.contains("生成时的调整"));
        assert_eq!(press(&org, &cid, "freeze").await.status(), 303);
        assert_eq!(stored(&app, &cid).state.as_str(), "roster_frozen");

        // New enrolment clears the stored report; the page says so and a check stores it.
        let r = org
            .post_form(
                &format!("/c/{cid}/roster/unfreeze"),
                &[("reason", "补充社团名单")],
            )
            .await;
        assert_eq!(r.status(), 303);
        let r = org
            .upload(
                &format!("/c/{cid}/files/societies"),
                "s.csv",
                super::sample("societies.csv"),
            )
            .await;
        assert_eq!(r.status(), 200);
        let page = roster_page(&org, &cid).await;
        assert!(page.contains("尚未保存校验报告"), "{page}");
        assert_eq!(press(&org, &cid, "check").await.status(), 303);
        let page = roster_page(&org, &cid).await;
        assert!(page.contains("校验完成: 代表名单符合全部规则, 可以冻结。"));
        assert!(page.contains("报告生成于重新校验时"));
        assert!(page.contains("名单来源: —"));
    });
});
