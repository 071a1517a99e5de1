//! A sample of what only the owning organiser may do, refused to everyone else: a scrutineer
//! (read-only), another organiser, a delegate on their phone, an anonymous visitor, and the
//! same through the API. The full table of every organiser route against every role is
//! `tests/authz`; this one stands alone so the security suite covers the question by itself.

use congress::storage::repo::congress as congress_repo;
use congress::storage::repo::users::Role;

use crate::common::http::TestApp;
use crate::common::Kind;
use crate::phone::Phone;
use crate::{block_on, congress_json, fixture, fixture_organiser, http, new_congress};

both_backends!(organiser_routes_refuse_other_roles, |kind: Kind| {
    let Some(app) = TestApp::start(kind, "roles") else {
        return;
    };
    // The fixture's congress is in session (for the delegate); a second one of the same
    // organiser is in set-up, where the owner may still change the details.
    let fx = fixture::for_app(&app, 2);
    let session = fx.congress_id.clone();
    let name = |app: &TestApp, cid: &str| {
        let mut c = app.db.db.conn().unwrap();
        congress_repo::get(&mut c, cid).unwrap().unwrap().name
    };
    let cid = block_on(async {
        new_congress(&fixture_organiser(&app).await, "示范大学第十次学生代表大会").await
    });
    block_on(async {
        let details = [
            ("name", "被篡改的大会名称"),
            ("school", "示范大学"),
            ("level", "school"),
            ("session_no", "10"),
            ("date", "2026-12-01"),
            ("place", "大学生活动中心"),
        ];
        let setup = format!("/c/{cid}/setup/details");
        let contest = format!("/c/{cid}/contests/new?kind=motion");
        let motion = [
            ("title", "临时动议"),
            ("motion_kind", "other"),
            ("body", "x"),
        ];

        let scrutineer = app.login_as("jianpiao", Role::Scrutineer).await;
        let r = scrutineer.post_form(&setup, &details).await;
        assert_eq!(r.status(), 403);
        assert!(r.text().await.unwrap().contains("监票人账户只能查看"));
        assert_eq!(scrutineer.post_form(&contest, &motion).await.status(), 403);
        assert_eq!(
            scrutineer.get_text(&format!("/c/{cid}")).await.0,
            200,
            "may read"
        );

        let other = app.login_as("qita", Role::Organiser).await;
        let (status, page) = other.get_text(&format!("/c/{cid}")).await;
        assert_eq!(status, 403);
        assert!(page.contains("这不是您创建的大会"), "{page}");
        assert_eq!(other.post_form(&setup, &details).await.status(), 403);
        assert_eq!(other.post_form(&contest, &motion).await.status(), 403);

        // A delegate's phone session is no staff session.
        let phone = Phone::new(&app.base);
        phone.login(&fx.card(1).token).await;
        for path in [format!("/c/{session}"), format!("/c/{session}/attendance")] {
            let r = phone.get(&path).await;
            assert_eq!(
                (r.status, r.location.as_deref()),
                (303, Some("/login")),
                "{path}"
            );
        }
        let anonymous = app.client();
        let r = anonymous.get(&format!("/c/{cid}/setup")).await;
        assert_eq!(r.status(), 303);

        // The API.
        let h = http(None);
        let put = |token: &str| {
            h.put(app.url(&format!("/api/v1/congresses/{cid}")))
                .bearer_auth(token)
                .json(&congress_json("被篡改的大会名称"))
                .send()
        };
        let scrutineer_token = crate::api_token(&app, "jianpiao");
        let other_token = crate::api_token(&app, "qita");
        assert_eq!(put(&scrutineer_token).await.unwrap().status(), 403);
        assert_eq!(put(&other_token).await.unwrap().status(), 403);
        let r = h
            .put(app.url(&format!("/api/v1/congresses/{cid}")))
            .json(&congress_json("被篡改的大会名称"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
        assert_eq!(
            name(&app, &cid),
            "示范大学第十次学生代表大会",
            "nothing changed yet"
        );
        // The owner can (so the refusals above are about the role, not the request).
        let owner_token = crate::api_token(&app, fixture::ORGANISER);
        let r = put(&owner_token).await.unwrap();
        assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    });
    assert_eq!(
        name(&app, &cid),
        "被篡改的大会名称",
        "only the owner's change landed"
    );
    assert_eq!(name(&app, &session), "示范大学第十次学生代表大会");
});
