//! Confirming before replacing (issue 14): a one-row file over a stored 164-delegate roster
//! (or a stored enrolment) says what it would replace and changes nothing until confirmed; the
//! confirmation stores it, once; cancelling, an expired upload, another organiser and a used
//! id are refused in Chinese. Generating over a stored roster and issuing the cards ask
//! first too. And the audit log reads as a ledger.

use congress::domain::ids::CongressId;
use congress::storage::repo::pending::{self as pending_repo, PendingUpload};
use congress::storage::repo::roster as roster_repo;
use congress::storage::repo::users::Role;

use super::{block_on, entries, fixture, import_samples, new_congress, press, sample, stored};
use crate::common::http::{Client, TestApp};
use crate::common::Kind;

fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string())
        .unwrap_or_default()
}

fn delegates(app: &TestApp, cid: &str) -> usize {
    let mut c = app.db.db.conn().unwrap();
    roster_repo::delegates(&mut c, &CongressId::from(cid))
        .unwrap()
        .len()
}

/// The roster fixture's header and first delegate: a one-row roster file.
fn one_row_roster() -> Vec<u8> {
    let text = String::from_utf8(fixture("roster.utf8.csv")).unwrap();
    let rows: Vec<&str> = text.lines().take(2).collect();
    format!("{}\r\n", rows.join("\r\n")).into_bytes()
}

/// The id in a confirmation page's address.
fn id_of(loc: &str) -> String {
    loc.split("id=").nth(1).expect("?id=").to_string()
}

async fn generated_164(org: &Client) -> String {
    let cid = new_congress(org).await;
    import_samples(org, &cid).await;
    assert_eq!(press(org, &cid, "generate").await.status(), 303);
    cid
}

both_backends!(
    a_one_row_roster_over_164_waits_for_confirmation,
    |kind: Kind| {
        let app = TestApp::start(kind, "confirm_roster_upload");
        block_on(async {
            let org = app.login_as("tuanwei_qr", Role::Organiser).await;
            let cid = generated_164(&org).await;
            assert_eq!(delegates(&app, &cid), 164);
            let path = format!("/c/{cid}/roster/upload");

            // Cancelled: nothing changes, and the id is spent.
            let r = org
                .upload_unconfirmed(&path, "一行.csv", one_row_roster())
                .await;
            assert_eq!(r.status(), 303);
            let loc = location(&r);
            assert!(
                loc.starts_with(&format!("/c/{cid}/roster/upload/confirm?id=")),
                "{loc}"
            );
            let (s, page) = org.get_text(&loc).await;
            assert_eq!(s, 200, "{page}");
            assert!(page.contains("将替换现有 164 行, 新文件 1 行"), "{page}");
            assert!(page.contains("name=\"confirm\" value=\"1\""));
            assert!(page.contains("取消, 返回"));
            assert_eq!(
                delegates(&app, &cid),
                164,
                "nothing stored before the confirmation"
            );
            let pend = entries(&app, &cid, "upload.pending");
            assert_eq!(pend.len(), 1);
            let id = id_of(&loc);
            let form = format!("/c/{cid}/roster/upload/confirm");
            let r = org
                .post_unconfirmed(&form, &[("id", &id), ("cancel", "1")])
                .await;
            assert_eq!(r.status(), 303);
            assert_eq!(delegates(&app, &cid), 164);
            assert_eq!(entries(&app, &cid, "upload.cancel").len(), 1);
            let r = org
                .post_unconfirmed(&form, &[("id", &id), ("confirm", "1")])
                .await;
            assert_eq!(r.status(), 409);
            assert!(r
                .text()
                .await
                .unwrap()
                .contains("已经确认或已取消, 或已超过30分钟未确认而作废, 不能再次使用"));
            assert_eq!(delegates(&app, &cid), 164);

            // Another organiser cannot see or confirm it; the uploader confirms it, once.
            let r = org
                .upload_unconfirmed(&path, "一行.csv", one_row_roster())
                .await;
            let id = id_of(&location(&r));
            let other = app.login_as("tuanwei_other", Role::Organiser).await;
            let (s, _) = other.get_text(&format!("{form}?id={id}")).await;
            assert_eq!(s, 403);
            let r = org
                .post_unconfirmed(&form, &[("id", &id), ("confirm", "1")])
                .await;
            let status = r.status();
            let page = r.text().await.unwrap();
            assert_eq!(status, 200, "{page}");
            assert_eq!(
                delegates(&app, &cid),
                1,
                "confirmed: the file replaced the roster"
            );
            assert_eq!(entries(&app, &cid, "roster.upload").len(), 1);
            let r = org
                .post_unconfirmed(&form, &[("id", &id), ("confirm", "1")])
                .await;
            assert_eq!(r.status(), 409, "a used id");
            assert_eq!(delegates(&app, &cid), 1);

            // Expired: refused, deleted, nothing changed.
            let now = chrono::Utc::now().timestamp_millis();
            let mut c = app.db.db.conn().unwrap();
            let old = PendingUpload {
                id: "u-expired".into(),
                congress_id: cid.clone(),
                username: "tuanwei_qr".into(),
                kind: "roster".into(),
                contest_id: None,
                file_name: "旧.csv".into(),
                bytes: fixture("roster.utf8.csv"),
                replaces: 1,
                new_rows: 164,
                created_at: now - 31 * 60 * 1000,
                expires_at: now - 60 * 1000,
            };
            pending_repo::insert(&mut c, &old).unwrap();
            let r = org
                .post_unconfirmed(&form, &[("id", "u-expired"), ("confirm", "1")])
                .await;
            assert_eq!(r.status(), 409);
            assert!(r
                .text()
                .await
                .unwrap()
                .contains("已超过30分钟未确认, 已作废"));
            assert!(pending_repo::get(&mut c, "u-expired").unwrap().is_none());
            assert_eq!(delegates(&app, &cid), 1);

            // Expired and never come back for: a server deletes it on its own (its sweep runs
            // at start, then every minute); one still in time stays.
            let forgotten = PendingUpload {
                id: "u-forgotten".into(),
                ..old.clone()
            };
            let in_time = PendingUpload {
                id: "u-in-time".into(),
                expires_at: now + 10 * 60 * 1000,
                ..old.clone()
            };
            pending_repo::insert(&mut c, &forgotten).unwrap();
            pending_repo::insert(&mut c, &in_time).unwrap();
            let _second = app.sibling();
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
            while pending_repo::get(&mut c, "u-forgotten").unwrap().is_some() {
                assert!(
                    std::time::Instant::now() < deadline,
                    "the expired upload was never swept"
                );
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            assert!(pending_repo::get(&mut c, "u-in-time").unwrap().is_some());
        });
    }
);

both_backends!(
    a_file_over_a_stored_one_says_what_it_replaces,
    |kind: Kind| {
        let app = TestApp::start(kind, "confirm_file_import");
        block_on(async {
            let org = app.login_as("tuanwei_qf", Role::Organiser).await;
            let cid = new_congress(&org).await;
            import_samples(&org, &cid).await;
            let mut c = app.db.db.conn().unwrap();
            let before = roster_repo::enrolment(&mut c, &CongressId::from(&cid)).unwrap();
            let rows: usize = before.iter().map(|e| e.grades.len()).sum();
            let text = String::from_utf8(sample("enrolment.csv")).unwrap();
            let one: Vec<&str> = text.lines().take(2).collect();
            let path = format!("/c/{cid}/files/enrolment");
            let r = org
                .upload_unconfirmed(&path, "一行.csv", one.join("\n").into_bytes())
                .await;
            assert_eq!(r.status(), 303);
            let loc = location(&r);
            assert!(loc.starts_with(&format!("/c/{cid}/files/enrolment/confirm?id=")));
            let (_, page) = org.get_text(&loc).await;
            assert!(
                page.contains(&format!("将替换现有 {rows} 行, 新文件 1 行")),
                "{page}"
            );
            assert_eq!(
                roster_repo::enrolment(&mut c, &CongressId::from(&cid)).unwrap(),
                before
            );
            // A file with errors is refused at once, as before: nothing kept to confirm.
            let r = org
                .upload_unconfirmed(
                    &path,
                    "坏.csv",
                    "学院,年级,人数\n文学院,2024级,约452\n".into(),
                )
                .await;
            assert_eq!(r.status(), 422);
            assert_eq!(entries(&app, &cid, "upload.pending").len(), 1);
            // Confirmed: stored.
            let r = org
                .post_unconfirmed(
                    &format!("/c/{cid}/files/enrolment/confirm"),
                    &[("id", &id_of(&loc)), ("confirm", "1")],
                )
                .await;
            assert_eq!(r.status(), 200);
            assert!(r.text().await.unwrap().contains("已导入“一行.csv”"));
            let after = roster_repo::enrolment(&mut c, &CongressId::from(&cid)).unwrap();
            assert_eq!(after.iter().map(|e| e.grades.len()).sum::<usize>(), 1);
        });
    }
);

both_backends!(
    generating_over_a_roster_and_issuing_cards_ask_first,
    |kind: Kind| {
        let app = TestApp::start(kind, "confirm_generate_issue");
        block_on(async {
            let org = app.login_as("tuanwei_qg", Role::Organiser).await;
            let cid = generated_164(&org).await;
            let gen = format!("/c/{cid}/roster/generate");
            let r = org.post_unconfirmed(&gen, &[]).await;
            assert_eq!(r.status(), 303);
            assert_eq!(location(&r), format!("/c/{cid}/confirm/roster-generate"));
            let (_, page) = org.get_text(&location(&r)).await;
            assert!(page.contains("将替换现有代表名单的 164 名代表"), "{page}");
            assert!(page.contains(&format!("action=\"{gen}\"")));
            assert_eq!(
                entries(&app, &cid, "roster.generate").len(),
                1,
                "not generated again"
            );
            assert_eq!(press(&org, &cid, "freeze").await.status(), 303);

            let issue = format!("/c/{cid}/credentials/issue");
            let r = org.post_unconfirmed(&issue, &[]).await;
            assert_eq!(location(&r), format!("/c/{cid}/confirm/credentials-issue"));
            let (_, page) = org.get_text(&location(&r)).await;
            assert!(page.contains("将为 164 名代表生成代表证"), "{page}");
            assert_eq!(stored(&app, &cid).state.as_str(), "roster_frozen");
            let r = org.post_unconfirmed(&issue, &[("confirm", "1")]).await;
            assert_eq!(r.status(), 303);
            assert_eq!(stored(&app, &cid).state.as_str(), "credentials_issued");
            let r = org
                .post_unconfirmed(&format!("/c/{cid}/session/open"), &[])
                .await;
            assert_eq!(location(&r), format!("/c/{cid}/confirm/session-open"));
            let (_, page) = org.get_text(&location(&r)).await;
            assert!(page.contains("应到代表 164 名"), "{page}");
            assert_eq!(stored(&app, &cid).state.as_str(), "credentials_issued");

            // The ledger: Chinese names, objects by title, sentences.
            let (_, page) = org.get_text(&format!("/c/{cid}/audit")).await;
            assert!(page.contains("发放代表证"), "{page}");
            assert!(page.contains("发放代表证164张"), "{page}");
            assert!(page.contains("大会“示范大学第十次学生代表大会”"), "{page}");
            assert!(page.contains("导入学生人数文件“enrolment.csv”"), "{page}");
            assert!(page.contains("生成164名代表, 按规则调整4处"), "{page}");
            assert!(
                !page.contains("{&quot;"),
                "no raw JSON outside the folded record"
            );
            let csv = org
                .get(&format!("/c/{cid}/audit.csv"))
                .await
                .text()
                .await
                .unwrap();
            let header = csv.lines().next().unwrap().trim_start_matches('\u{feff}');
            assert_eq!(
            header,
            "序号,时间(北京时间),操作人,角色,操作名称,操作代码,对象名称,对象,详情,地址,修改前,修改后"
        );
            assert!(
                csv.contains(",发放代表证,credentials.issue,,,发放代表证164张,"),
                "{csv}"
            );
        });
    }
);
