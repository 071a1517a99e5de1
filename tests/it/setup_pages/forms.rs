//! Details and rule profile through the real forms; settings refused once the roster is frozen.

use congress::domain::ids::CongressId;
use congress::domain::settings::{Fraction, RuleProfile, ThresholdBase};
use congress::domain::state::CongressState;
use congress::storage::repo::{congress as congress_repo, users::Role};

use super::{block_on, entries, new_congress, stored};
use crate::common::forms::settings_fields;
use crate::common::http::TestApp;
use crate::common::Kind;

both_backends!(details_and_settings_through_forms, |kind: Kind| {
    let app = TestApp::start(kind, "details_and_settings_through_forms");
    block_on(async {
        let org = app.login_as("tuanwei_zhang", Role::Organiser).await;
        let cid = new_congress(&org).await;
        let (s, page) = org.get_text(&format!("/c/{cid}/setup")).await;
        assert_eq!(s, 200);
        assert!(page.contains("action=\"/c/") && page.contains("/setup/settings\""));
        assert!(
            page.contains("默认: <strong>实到超过2/3应到</strong>"),
            "quorum default shown"
        );
        assert!(
            page.contains("应到300人时“超过2/3”至少需实到201人"),
            "strict example"
        );
        assert!(
            page.contains("“2/3以上(含)”至少需实到200人"),
            "inclusive example"
        );

        // Details: a good edit is stored and audited with before and after.
        let r = org
            .post_form(
                &format!("/c/{cid}/setup/details"),
                &[
                    ("name", "示范大学第十一次学生代表大会"),
                    ("school", "示范大学"),
                    ("level", "college"),
                    ("session_no", "11"),
                    ("date", "2026-12-08"),
                    ("place", "图书馆报告厅"),
                ],
            )
            .await;
        assert_eq!(r.status(), 303);
        let c = stored(&app, &cid);
        assert_eq!(c.name, "示范大学第十一次学生代表大会");
        assert_eq!(c.session_no, 11);
        assert_eq!(c.place, "图书馆报告厅");
        let e = entries(&app, &cid, "congress.edit_details");
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].actor, "tuanwei_zhang");
        assert_eq!(e[0].role, "organiser");
        assert!(e[0].before.as_deref().unwrap().contains("第十次"));
        assert!(e[0].after.as_deref().unwrap().contains("第十一次"));

        // A bad 届次 and date: shown again with the messages and the typed values; nothing saved.
        let r = org
            .post_form(
                &format!("/c/{cid}/setup/details"),
                &[
                    ("name", "改不了的名字"),
                    ("school", "示范大学"),
                    ("level", "school"),
                    ("session_no", "十二"),
                    ("date", "12/08/2026"),
                    ("place", "图书馆报告厅"),
                ],
            )
            .await;
        assert_eq!(r.status(), 422);
        let body = r.text().await.unwrap();
        assert!(body.contains("“届次”填写的是“十二”, 应为正整数"), "{body}");
        assert!(body.contains("12/08/2026"));
        assert!(body.contains("value=\"改不了的名字\""));
        assert_eq!(stored(&app, &cid).name, "示范大学第十一次学生代表大会");
        assert_eq!(entries(&app, &cid, "congress.edit_details").len(), 1);

        // Settings: "1.5%" and a 4/5-inclusive quorum, valid-ballot base.
        let fields = settings_fields(&[
            ("quota_ratio", "1.5%"),
            ("quorum_fraction", "4/5"),
            ("quorum_strict", "inclusive"),
            ("election_base", "valid_ballots"),
            ("total_seats", "150"),
        ]);
        let r = org
            .post_form(&format!("/c/{cid}/setup/settings"), &fields)
            .await;
        assert_eq!(r.status(), 303);
        let p = stored(&app, &cid).settings;
        assert_eq!(p.quota_ratio_bp, 150);
        assert_eq!(p.quorum, Fraction::new(4, 5, false));
        assert_eq!(p.election_threshold.base, ThresholdBase::ValidBallots);
        assert_eq!(p.total_seats, Some(150));
        let e = entries(&app, &cid, "congress.edit_settings");
        assert_eq!(e.len(), 1);
        assert!(e[0]
            .before
            .as_deref()
            .unwrap()
            .contains("\"quota_ratio_bp\":100"));
        assert!(e[0]
            .after
            .as_deref()
            .unwrap()
            .contains("\"quota_ratio_bp\":150"));

        // A bad percentage and a bad fraction: 422, both messages, nothing half-saved.
        let fields = settings_fields(&[
            ("quota_ratio", "百分之一"),
            ("election_fraction", "3/2"),
            ("women_min_pct", "25"),
        ]);
        let r = org
            .post_form(&format!("/c/{cid}/setup/settings"), &fields)
            .await;
        assert_eq!(r.status(), 422);
        let body = r.text().await.unwrap();
        assert!(
            body.contains("“名额比例”填写的是“百分之一”, 应为0到100之间的百分数"),
            "{body}"
        );
        assert!(body.contains("“当选票数比例”填写的是“3/2”"), "{body}");
        assert!(body.contains("value=\"百分之一\""), "typed value kept");
        let after = stored(&app, &cid).settings;
        assert_eq!(after, p, "nothing stored");
        assert_eq!(entries(&app, &cid, "congress.edit_settings").len(), 1);
    });
});

both_backends!(settings_refused_once_roster_frozen, |kind: Kind| {
    let app = TestApp::start(kind, "settings_refused_once_roster_frozen");
    block_on(async {
        let org = app.login_as("tuanwei_li", Role::Organiser).await;
        let cid = new_congress(&org).await;
        {
            let mut c = app.db.db.conn().unwrap();
            assert!(congress_repo::transition(
                &mut c,
                &CongressId::from(&cid),
                CongressState::Setup,
                CongressState::RosterFrozen
            )
            .unwrap());
        }
        let (s, page) = org.get_text(&format!("/c/{cid}/setup")).await;
        assert_eq!(s, 200);
        assert!(
            !page.contains("/setup/settings\""),
            "no settings form once frozen"
        );
        assert!(page.contains("已经不能修改规则设置"), "reason shown");
        assert!(page.contains("/setup/details\""), "details stay editable");
        let fields = settings_fields(&[("quota_ratio", "2%")]);
        let r = org
            .post_form(&format!("/c/{cid}/setup/settings"), &fields)
            .await;
        assert_eq!(r.status(), 409);
        let body = r.text().await.unwrap();
        assert!(
            body.contains("已经不能修改规则设置: 大会当前状态为“代表名单已冻结”"),
            "{body}"
        );
        assert_eq!(stored(&app, &cid).settings, RuleProfile::default());
        assert!(entries(&app, &cid, "congress.edit_settings").is_empty());

        // A scrutineer sees the page read-only and may not post.
        let scr = app.login_as("jianpiao_wang", Role::Scrutineer).await;
        crate::common::name_scrutineer(&app.db.db, &cid, "jianpiao_wang");
        let (s, page) = scr.get_text(&format!("/c/{cid}/setup")).await;
        assert_eq!(s, 200);
        assert!(!page.contains("/setup/details\""));
        assert!(page.contains("超过2/3"));
        let r = scr
            .post_form(&format!("/c/{cid}/setup/settings"), &fields)
            .await;
        assert_eq!(r.status(), 403);
        // Another organiser may not even look.
        let other = app.login_as("tuanwei_zhao", Role::Organiser).await;
        assert_eq!(other.get(&format!("/c/{cid}/setup")).await.status(), 403);
    });
});
