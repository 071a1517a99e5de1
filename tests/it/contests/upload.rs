//! Candidates from a file: GBK CSV as Excel saves it, all or nothing, every problem listed,
//! the CSRF token carried in the upload URL.

use super::*;

both_backends!(candidates_upload_whole_file_or_nothing, |kind: Kind| {
    let app = TestApp::start(kind, "candidates_upload");
    block_on(async {
        let (org, cid) = setup(&app, "school").await;
        let id = new_election(&org, &cid, "选举主席团成员", "3").await;
        let path = format!("/c/{cid}/contests/{id}/candidates/upload");
        // One ineligible candidate (群众) and a 学号 listed twice: nothing is imported.
        let bad = "\u{feff}姓名,学号,学院,性别,政治面貌,专业排名百分比,不及格门数\n\
                   赵敏,2021010100,法学院,女,共青团员,前8%,0\n\
                   钱多,2021010101,法学院,男,群众,10,0\n";
        let r = org
            .upload(&path, "候选人.csv", bad.as_bytes().to_vec())
            .await;
        assert_eq!(r.status(), 422);
        let page = r.text().await.unwrap();
        assert!(
            page.contains("候选人.csv 中的候选人未添加(整个文件都未导入)"),
            "{page}"
        );
        assert!(page.contains("候选人.csv 第2名候选人：规则C3：候选人钱多（学号2021010101）"));
        assert!(ballot_names(&app, &id).is_empty());

        // A file the importer cannot read names the file and the column.
        let r = org
            .upload(
                &path,
                "候选人.csv",
                "姓名,学院\n赵敏,法学院\n".as_bytes().to_vec(),
            )
            .await;
        assert_eq!(r.status(), 422);
        let page = r.text().await.unwrap();
        assert!(page.contains("候选人.csv 未导入"), "{page}");
        assert!(page.contains("缺少必需的列“学号”"), "{page}");

        // GBK, as Excel on a Chinese Windows saves it: all four added, in stroke order.
        let good = "姓名,学号,学院,性别,政治面貌,专业排名百分比,不及格门数\n\
                    赵敏,2021010100,法学院,女,共青团员,前8%,0\n\
                    张伟,2021010101,法学院,男,中共党员,12,0\n\
                    李明,2021010102,文学院,男,中共预备党员,20,\n\
                    王建国,2021010103,理学院,男,团员,5,0\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(good);
        let r = org
            .upload(&path, "主席团候选人.csv", gbk.into_owned())
            .await;
        assert_eq!(r.status(), 303, "{}", r.text().await.unwrap_or_default());
        assert_eq!(ballot_names(&app, &id), ["王建国", "李明", "张伟", "赵敏"]);
        let mut c = app.db.db.conn().unwrap();
        let log = audit::list(&mut c, Some(&cid)).unwrap();
        let up = log
            .iter()
            .find(|e| e.action == "contest.candidates_upload")
            .unwrap();
        let after: Value = serde_json::from_str(up.after.as_deref().unwrap()).unwrap();
        assert_eq!(after["file"], "主席团候选人.csv");
        assert_eq!(after["candidates"].as_array().unwrap().len(), 4);

        // Without the CSRF token in the action URL the upload is refused.
        let mut anon = org;
        anon.csrf = None;
        let r = anon.upload(&path, "候选人.csv", b"x".to_vec()).await;
        assert_eq!(r.status(), 403);
    });
});
