//! The audit pages: filters, newest first, CSV with BOM, escaping, and who sees what on /audit.

use congress::storage::repo::users::Role;

use super::{block_on, new_congress, XSS};
use crate::common::http::TestApp;
use crate::common::Kind;

/// The part of a page from its first table on (after the filter form's suggestions).
fn table_of(page: &str) -> String {
    page[page.find("<table").expect("a table")..].to_string()
}

both_backends!(audit_pages_csv_and_escaping, |kind: Kind| {
    let app = TestApp::start(kind, "audit_pages_csv_and_escaping");
    block_on(async {
        let org = app.login_as("tuanwei_xu", Role::Organiser).await;
        let cid = new_congress(&org).await;
        let r = org
            .post_form(
                &format!("/c/{cid}/scrutineers"),
                &[("role", "counter"), ("name", XSS), ("student_no", "")],
            )
            .await;
        assert_eq!(r.status(), 303);
        let r = org
            .post_form(
                &format!("/c/{cid}/setup/details"),
                &[
                    ("name", XSS),
                    ("school", "示范大学"),
                    ("level", "school"),
                    ("session_no", "10"),
                    ("date", "2026-12-01"),
                    ("place", "大学生活动中心"),
                ],
            )
            .await;
        assert_eq!(r.status(), 303);
        for p in ["setup", "scrutineers", "audit"] {
            let (s, page) = org.get_text(&format!("/c/{cid}/{p}")).await;
            assert_eq!(s, 200, "{p}");
            assert!(!page.contains(XSS), "{p} must escape");
            assert!(
                page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
                "{p}"
            );
        }

        let (_, page) = org.get_text(&format!("/c/{cid}/audit")).await;
        let page = table_of(&page);
        assert!(
            page.contains("添加监票人员")
                && page.contains("修改大会信息")
                && page.contains("新建大会")
        );
        assert!(page.contains("tuanwei_xu") && page.contains("组织者"));
        // Newest first.
        let (i_details, i_create) = (
            page.find("修改大会信息").unwrap(),
            page.find("新建大会").unwrap(),
        );
        assert!(i_details < i_create);
        let (_, page) = org
            .get_text(&format!("/c/{cid}/audit?action=scrutineer."))
            .await;
        assert!(page.contains("共 1 条"));
        let page = table_of(&page);
        assert!(page.contains("添加监票人员") && !page.contains("修改大会信息"));
        let (_, page) = org.get_text(&format!("/c/{cid}/audit?actor=nobody")).await;
        assert!(page.contains("没有符合条件的记录"));
        assert_eq!(
            org.get(&format!("/c/{cid}/audit?page=zero")).await.status(),
            400
        );

        let r = org.get(&format!("/c/{cid}/audit.csv")).await;
        assert_eq!(r.status(), 200);
        assert!(r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv"));
        assert!(r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("attachment"));
        let bytes = r.bytes().await.unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "BOM");
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        assert!(text.starts_with(
            "序号,时间(北京时间),操作人,角色,操作名称,操作代码,对象名称,对象,详情,地址,修改前,修改后"
        ));
        let rows: Vec<&str> = text.lines().skip(1).collect();
        assert_eq!(rows.len(), 3, "{text}");
        assert!(rows[0].contains("新建大会,congress.create"));
        assert!(rows[1].contains("添加监票人员,scrutineer.add"));
        assert!(rows[2].contains("修改大会信息,congress.edit_details"));
        assert!(!text.contains("pw-tuanwei_xu"), "no password in the log");

        // Global page: an organiser sees their own logins, not other accounts'.
        let other = app.login_as("tuanwei_he", Role::Organiser).await;
        let (s, page) = org.get_text("/audit").await;
        assert_eq!(s, 200);
        assert!(page.contains("tuanwei_xu") && !page.contains("tuanwei_he"));
        assert!(page.contains("登录") && page.contains("账户"));
        let (_, page) = other.get_text("/audit").await;
        assert!(
            !page.contains("添加监票人员"),
            "another organiser's congress stays hidden"
        );
        // A scrutineer named for this congress sees its entries and the account events of
        // its organiser (a failed login on that account included), not other accounts'
        // events; a failed login under an unknown name (perhaps a password typed in the wrong
        // box) is shown to nobody.
        let mut anon = app.client();
        let r = anon.login("MyS3cretPassw0rd!", "x").await;
        assert_eq!(r.status(), 401);
        let r = app.client().login("tuanwei_xu", "not-the-password").await;
        assert_eq!(r.status(), 401);
        let scr = app.login_as("jianpiao_ma", Role::Scrutineer).await;
        crate::common::name_scrutineer(&app.db.db, &cid, "jianpiao_ma");
        let (_, page) = scr.get_text("/audit").await;
        assert!(page.contains("tuanwei_xu") && !page.contains("tuanwei_he"));
        assert!(page.contains("添加监票人员") && page.contains("登录失败"));
        assert!(!page.contains("MyS3cretPassw0rd!"));
        let (s, _) = scr.get_text(&format!("/c/{cid}/audit")).await;
        assert_eq!(s, 200);
        assert_eq!(other.get(&format!("/c/{cid}/audit")).await.status(), 403);
        assert_eq!(
            other.get(&format!("/c/{cid}/audit.csv")).await.status(),
            403
        );
    });
});
