//! The files page: the demo school's files and the GBK / xlsx / full-width fixtures through
//! the real upload forms; a bad file shown with its error in place and nothing stored; too
//! big a file; who may upload; escaping.

use congress::domain::ids::CongressId;
use congress::storage::repo::roster as roster_repo;
use congress::storage::repo::users::Role;
use congress::web::MAX_UPLOAD_BYTES;

use super::{after, block_on, entries, fixture, import_samples, new_congress, XSS};
use crate::common::http::TestApp;
use crate::common::Kind;

fn enrolment_rows(app: &TestApp, cid: &str) -> Vec<(String, Vec<(String, u64)>)> {
    let mut c = app.db.db.conn().unwrap();
    roster_repo::enrolment(&mut c, &CongressId::from(cid))
        .unwrap()
        .into_iter()
        .map(|e| (e.college, e.grades))
        .collect()
}

both_backends!(sample_files_through_the_forms, |kind: Kind| {
    let app = TestApp::start(kind, "sample_files_through_the_forms");
    block_on(async {
        let org = app.login_as("tuanwei_wang", Role::Organiser).await;
        let cid = new_congress(&org).await;
        let (s, page) = org.get_text(&format!("/c/{cid}/files")).await;
        assert_eq!(s, 200);
        assert_eq!(page.matches("尚未导入").count(), 3, "{page}");
        for (kind, template) in [
            ("enrolment", "/templates/enrolment"),
            ("societies", "/templates/societies"),
            ("nominees", "/templates/nominees"),
        ] {
            assert!(page.contains(&format!("href=\"{template}\"")), "{kind}");
            let csrf = org.csrf.as_deref().unwrap();
            assert!(
                page.contains(&format!("action=\"/c/{cid}/files/{kind}?csrf={csrf}\"")),
                "{kind}"
            );
        }
        // The template links work and give the Chinese headers.
        let r = org.get("/templates/enrolment").await;
        assert_eq!(r.status(), 200);
        let t = r.bytes().await.unwrap();
        assert!(t.starts_with("\u{feff}学院,年级,人数".as_bytes()));

        import_samples(&org, &cid).await;
        let (_, page) = org.get_text(&format!("/c/{cid}/files")).await;
        assert!(page.contains("8个学院, 32行, 在校生共15993人"), "{page}");
        assert!(page.contains("8个社团, 其中主要学生社团5个"));
        assert!(page.contains("295名推荐人选, 来自8个学院, 其中女生120名"));
        assert!(page.contains("文件“nominees.csv”"));
        let stored = enrolment_rows(&app, &cid);
        assert_eq!(stored.len(), 8);
        assert_eq!(stored[0].0, "计算机学院");
        assert_eq!(stored[0].1[0], ("2022级".to_string(), 742));
        let mut c = app.db.db.conn().unwrap();
        assert_eq!(
            roster_repo::nominees(&mut c, &CongressId::from(&cid))
                .unwrap()
                .len(),
            295
        );
        assert_eq!(
            roster_repo::societies(&mut c, &CongressId::from(&cid))
                .unwrap()
                .len(),
            8
        );

        // The answer to an upload: what was stored, the first rows.
        let r = org
            .upload(
                &format!("/c/{cid}/files/societies"),
                "社团.csv",
                super::sample("societies.csv"),
            )
            .await;
        assert_eq!(r.status(), 200);
        let page = r.text().await.unwrap();
        assert!(page.contains("已导入“社团.csv”: 8行数据"), "{page}");
        assert!(page.contains("<td>青年志愿者协会</td><td>是</td>"));
        assert!(page.contains("代表名单的校验报告已清除"));

        // Audited with file, kind and row count, never the content.
        let imports = entries(&app, &cid, "files.import");
        assert_eq!(imports.len(), 4);
        let e = after(&imports[2]);
        assert_eq!(e["kind"], "nominees");
        assert_eq!(e["file"], "nominees.csv");
        assert_eq!(e["rows"], 295);
        assert_eq!(imports[2].target.as_deref(), Some("nominees"));
        for i in &imports {
            let text = i.after.as_deref().unwrap();
            assert!(
                !text.contains("计算机学院") && !text.contains("魏峰"),
                "{text}"
            );
            assert_eq!(i.actor, "tuanwei_wang");
        }
    });
});

both_backends!(gbk_xlsx_and_full_width_fixtures, |kind: Kind| {
    let app = TestApp::start(kind, "gbk_xlsx_and_full_width_fixtures");
    block_on(async {
        let org = app.login_as("tuanwei_li", Role::Organiser).await;
        let cid = new_congress(&org).await;
        let mut seen = Vec::new();
        for name in [
            "enrolment.gbk.csv",
            "enrolment.xlsx",
            "enrolment_fullwidth.csv",
            "enrolment.bom.csv",
        ] {
            let r = org
                .upload(&format!("/c/{cid}/files/enrolment"), name, fixture(name))
                .await;
            assert_eq!(r.status(), 200, "{name}: {}", r.text().await.unwrap());
            let page = r.text().await.unwrap();
            assert!(page.contains("在校生共15993人"), "{name}");
            seen.push(enrolment_rows(&app, &cid));
        }
        assert!(seen.windows(2).all(|w| w[0] == w[1]), "{seen:?}");
        assert_eq!(seen[0][7].0, "马克思主义学院");
        for name in ["nominees.gbk.csv", "nominees.xlsx"] {
            let r = org
                .upload(&format!("/c/{cid}/files/nominees"), name, fixture(name))
                .await;
            assert_eq!(r.status(), 200, "{name}");
            let page = r.text().await.unwrap();
            assert!(page.contains("295名推荐人选"), "{name}: {page}");
            assert!(page.contains("<td>魏峰</td><td>2022010041</td><td>计算机学院</td>"));
        }
    });
});

both_backends!(a_bad_file_shows_its_errors_in_place, |kind: Kind| {
    let app = TestApp::start(kind, "a_bad_file_shows_its_errors_in_place");
    block_on(async {
        let org = app.login_as("tuanwei_zhao", Role::Organiser).await;
        let cid = new_congress(&org).await;
        import_samples(&org, &cid).await;
        let before = enrolment_rows(&app, &cid);
        let imports = entries(&app, &cid, "files.import").len();

        let r = org
            .upload(
                &format!("/c/{cid}/files/enrolment"),
                "enrolment_bad_count.gbk.csv",
                fixture("enrolment_bad_count.gbk.csv"),
            )
            .await;
        assert_eq!(r.status(), 422);
        let page = r.text().await.unwrap();
        assert!(page.contains("文件“enrolment_bad_count.gbk.csv”有1处错误, 未导入任何内容"));
        // The list of all errors names file, row and column.
        assert!(page.contains("enrolment_bad_count.gbk.csv 第7行 “人数”列: “约452” 不是有效的数字"));
        // In place: row 7 marked, its 人数 cell highlighted, the message beside it.
        let row = page
            .split("<tr class=\"error\">")
            .nth(1)
            .and_then(|s| s.split("</tr>").next())
            .expect("an error row");
        assert!(
            row.starts_with("<td class=\"num\">7</td><td>外国语学院</td><td>2023级</td>"),
            "{row}"
        );
        assert!(row
            .contains("<td class=\"cell-error\" title=\"此单元格有错误\"><mark>约452</mark></td>"));
        assert!(row.contains("“人数”列: “约452” 不是有效的数字"));
        assert_eq!(page.matches("<tr class=\"error\">").count(), 1);
        // The other rows of the file are shown as uploaded (decoded from GBK).
        assert!(page.contains(
            "<td class=\"num\">33</td><td>马克思主义学院</td><td>2025级</td><td>102</td>"
        ));
        // Nothing stored: the previous import is intact, nothing audited.
        assert_eq!(enrolment_rows(&app, &cid), before);
        assert_eq!(entries(&app, &cid, "files.import").len(), imports);

        let r = org
            .upload(
                &format!("/c/{cid}/files/nominees"),
                "nominees_missing_column.csv",
                fixture("nominees_missing_column.csv"),
            )
            .await;
        assert_eq!(r.status(), 422);
        let page = r.text().await.unwrap();
        assert!(page.contains("缺少必需的列“性别”"), "{page}");
        let mut c = app.db.db.conn().unwrap();
        assert_eq!(
            roster_repo::nominees(&mut c, &CongressId::from(&cid))
                .unwrap()
                .len(),
            295
        );

        // Not a spreadsheet at all.
        let r = org
            .upload(
                &format!("/c/{cid}/files/societies"),
                "社团.xlsx",
                b"hello".to_vec(),
            )
            .await;
        assert_eq!(r.status(), 422);
        assert!(r.text().await.unwrap().contains("内容不是Excel文件"));
        assert_eq!(
            roster_repo::societies(&mut c, &CongressId::from(&cid))
                .unwrap()
                .len(),
            8
        );
    });
});

both_backends!(uploads_are_limited_and_owner_only, |kind: Kind| {
    let app = TestApp::start(kind, "uploads_are_limited_and_owner_only");
    block_on(async {
        let org = app.login_as("tuanwei_sun", Role::Organiser).await;
        let cid = new_congress(&org).await;
        let big = vec![b'a'; MAX_UPLOAD_BYTES + 1];
        let r = org
            .upload(&format!("/c/{cid}/files/enrolment"), "大文件.csv", big)
            .await;
        assert_eq!(r.status(), 413);
        assert!(r
            .text()
            .await
            .unwrap()
            .contains("文件超过16 MB的上限, 未导入"));
        let r = org
            .upload(&format!("/c/{cid}/files/roster"), "r.csv", b"x".to_vec())
            .await;
        assert_eq!(r.status(), 404);

        let scr = app.login_as("jianpiao_qian", Role::Scrutineer).await;
        crate::common::name_scrutineer(&app.db.db, &cid, "jianpiao_qian");
        let (s, page) = scr.get_text(&format!("/c/{cid}/files")).await;
        assert_eq!(s, 200);
        assert!(!page.contains("enctype=\"multipart/form-data\""));
        assert!(page.contains("只有创建本大会的组织者可以导入或修改名单"));
        let r = scr
            .upload(
                &format!("/c/{cid}/files/enrolment"),
                "enrolment.csv",
                super::sample("enrolment.csv"),
            )
            .await;
        assert_eq!(r.status(), 403);
        let other = app.login_as("tuanwei_zhou", Role::Organiser).await;
        let (s, _) = other.get_text(&format!("/c/{cid}/files")).await;
        assert_eq!(s, 403);
        // Without the CSRF token in the action URL the upload is refused.
        let mut no_token = org;
        no_token.csrf = None;
        let r = no_token
            .upload(
                &format!("/c/{cid}/files/enrolment"),
                "enrolment.csv",
                super::sample("enrolment.csv"),
            )
            .await;
        assert_eq!(r.status(), 403);
        assert!(entries(&app, &cid, "files.import").is_empty());
    });
});

both_backends!(names_render_escaped, |kind: Kind| {
    let app = TestApp::start(kind, "names_render_escaped");
    block_on(async {
        let org = app.login_as("tuanwei_wu", Role::Organiser).await;
        let cid = new_congress(&org).await;
        let file = format!("学院,年级,人数\n{XSS},2023级,380\n文学院,2023级,420\n");
        let r = org
            .upload(
                &format!("/c/{cid}/files/enrolment"),
                "人数.csv",
                file.into_bytes(),
            )
            .await;
        assert_eq!(r.status(), 200);
        let escaped = "&lt;script&gt;alert(1)&lt;/script&gt;";
        let page = r.text().await.unwrap();
        assert!(page.contains(escaped) && !page.contains(XSS));
        for path in ["files", "quota"] {
            let (s, page) = org.get_text(&format!("/c/{cid}/{path}")).await;
            assert_eq!(s, 200);
            assert!(page.contains(escaped), "{path}");
            assert!(!page.contains(XSS), "{path}");
        }
        // A bad file echoing the name back escapes it too.
        let bad = format!("学院,年级,人数\n{XSS},2023级,很多\n");
        let r = org
            .upload(
                &format!("/c/{cid}/files/enrolment"),
                "x.csv",
                bad.into_bytes(),
            )
            .await;
        assert_eq!(r.status(), 422);
        let page = r.text().await.unwrap();
        assert!(page.contains(escaped) && !page.contains(XSS));
        // A nominee named so, on the roster page after generation.
        let nominees = format!(
            "姓名,学号,学院,年级,性别,学生会职务,得票\n{XSS},2023000001,文学院,2023级,女,,30\n\
             王芳,2023000002,{XSS},2023级,女,,20\n李娜,2023000003,{XSS},2023级,女,,18\n\
             张敏,2023000004,{XSS},2023级,女,,15\n刘洋,2023000005,{XSS},2023级,男,,12\n\
             陈静,2023000006,文学院,2023级,女,,25\n杨丽,2023000007,文学院,2023级,女,,22\n\
             赵军,2023000008,文学院,2023级,男,,21\n黄勇,2023000009,文学院,2023级,男,,20\n\
             周杰,2023000010,文学院,2023级,男,,19\n"
        );
        let r = org
            .upload(
                &format!("/c/{cid}/files/nominees"),
                "推荐.csv",
                nominees.into_bytes(),
            )
            .await;
        assert_eq!(r.status(), 200);
        let r = super::press(&org, &cid, "generate").await;
        assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
        let (_, page) = org.get_text(&format!("/c/{cid}/roster")).await;
        assert!(
            page.contains(&format!("<td>{escaped}</td><td>2023000001</td>")),
            "{page}"
        );
        assert!(!page.contains(XSS));
    });
});
