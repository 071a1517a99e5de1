//! A roster with one line pasted twice (B6): the page and the API report the duplicate with
//! both rows and its college among every other violation (422), and store nothing.

use congress::domain::ids::CongressId;
use congress::service::{self, Actor};
use congress::storage::repo::roster as roster_repo;
use congress::storage::repo::users::Role;
use serde_json::Value;

use super::{block_on, entries, fixture, import_samples, new_congress};
use crate::common::http::TestApp;
use crate::common::Kind;

/// The fixture roster with its first delegate's line pasted again at the end (row 166), and
/// one other mistake (an unknown college on row 3), so the report has more than the duplicate.
fn pasted_twice() -> Vec<u8> {
    let text = String::from_utf8(fixture("roster.utf8.csv")).unwrap();
    let first = text.lines().nth(1).unwrap().to_string();
    let text = text.replacen(",2022010140,计算机学院,", ",2022010140,计算机系,", 1);
    format!("{}\n{first}\n", text.trim_end()).into_bytes()
}

both_backends!(
    a_duplicate_student_number_is_b6_with_the_rest,
    |kind: Kind| {
        let app = TestApp::start(kind, "a_duplicate_student_number_is_b6");
        block_on(async {
            let org = app.login_as("tuanwei_qin", Role::Organiser).await;
            let cid = new_congress(&org).await;
            import_samples(&org, &cid).await;

            let r = org
                .upload(
                    &format!("/c/{cid}/roster/upload"),
                    "手改名单.csv",
                    pasted_twice(),
                )
                .await;
            assert_eq!(r.status(), 422);
            let page = r.text().await.unwrap();
            assert!(page.contains("“手改名单.csv”未保存"), "{page}");
            assert!(
                page.contains("学号2022010041出现2次(第2行、第166行), 每名学生只能有一行"),
                "{page}"
            );
            assert!(page.contains("<td>B6</td><td>计算机学院</td>"), "{page}");
            assert!(
                page.contains("&quot;计算机系&quot;不在学院名单中(第3行)"),
                "{page}"
            );
            let mut c = app.db.db.conn().unwrap();
            assert!(roster_repo::delegates(&mut c, &CongressId::from(&cid))
                .unwrap()
                .is_empty());
            assert!(entries(&app, &cid, "roster.upload").is_empty());

            // The API says the same: 422, every violation in details, nothing stored.
            let token = {
                let mut c = app.db.db.conn().unwrap();
                service::accounts::create_token(&mut c, &Actor::cli("test"), "tuanwei_qin", "t")
                    .unwrap()
            };
            let r = reqwest::Client::new()
                .put(app.url(&format!(
                    "/api/v1/congresses/{cid}/roster?name=手改名单.csv"
                )))
                .bearer_auth(&token)
                .body(pasted_twice())
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 422);
            let v: Value = r.json().await.unwrap();
            assert!(
                v["message"]
                    .as_str()
                    .unwrap()
                    .contains("学号重复(规则B6), 未保存"),
                "{v}"
            );
            let details: Vec<&str> = v["details"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d.as_str().unwrap())
                .collect();
            assert!(
            details.contains(
                &"规则B6 [计算机学院] 应为1 实际2: 学号2022010041出现2次(第2行、第166行), 每名学生只能有一行"
            ),
            "{details:?}"
        );
            assert!(
                details.iter().any(|d| d.contains("计算机系")),
                "{details:?}"
            );
            assert!(roster_repo::delegates(&mut c, &CongressId::from(&cid))
                .unwrap()
                .is_empty());

            // The same file without the pasted line is stored.
            let text = String::from_utf8(pasted_twice()).unwrap();
            let fixed: Vec<&str> = text.lines().take(165).collect();
            let r = org
                .upload(
                    &format!("/c/{cid}/roster/upload"),
                    "改正.csv",
                    fixed.join("\n").into_bytes(),
                )
                .await;
            assert_eq!(r.status(), 200);
            assert_eq!(
                roster_repo::delegates(&mut c, &CongressId::from(&cid))
                    .unwrap()
                    .len(),
                164
            );
        });
    }
);
