//! A sample of what only the owning organiser may do, refused to everyone else: a scrutineer
//! named for the congress (read-only), a scrutineer named for none (nothing at all), another
//! organiser, a delegate on their phone, an anonymous visitor, and the
//! same through the API. The full table of every organiser route against every role is
//! `tests/it/authz`; this one stands alone so the security suite covers the question by itself.

use congress::domain::ids::CongressId;
use congress::storage::repo::congress as congress_repo;
use congress::storage::repo::users::Role;

use super::phone::Phone;
use super::{block_on, congress_json, fixture, fixture_organiser, http, new_congress};
use crate::common::http::TestApp;
use crate::common::Kind;

/// Names the scrutineer account `username` among the scrutineers of `cid`.
fn name_scrutineer(app: &TestApp, cid: &str, username: &str) {
    let mut c = app.db.db.conn().unwrap();
    congress::service::scrutineers::add(
        &mut c,
        &congress::service::Actor::cli("test"),
        &CongressId::from(cid),
        &congress::service::scrutineers::ScrutineerInput {
            role: congress::storage::repo::scrutineers::ScrutineerRole::Scrutineer,
            name: "监票人甲".to_string(),
            student_no: None,
            username: Some(username.to_string()),
        },
    )
    .expect("name the scrutineer");
}

both_backends!(organiser_routes_refuse_other_roles, |kind: Kind| {
    let app = TestApp::start(kind, "roles");
    // The fixture's congress is in session (for the delegate); a second one of the same
    // organiser is in set-up, where the owner may still change the details.
    let fx = fixture::for_app(&app, 2);
    let session = fx.congress_id.clone();
    let name = |app: &TestApp, cid: &str| {
        let mut c = app.db.db.conn().unwrap();
        congress_repo::get(&mut c, &CongressId::from(cid))
            .unwrap()
            .unwrap()
            .name
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
        // Named among this congress's scrutineers: may read it, may not change it.
        name_scrutineer(&app, &cid, "jianpiao");
        let r = scrutineer.post_form(&setup, &details).await;
        assert_eq!(r.status(), 403);
        assert!(r.text().await.unwrap().contains("监票人账户只能查看"));
        assert_eq!(scrutineer.post_form(&contest, &motion).await.status(), 403);
        assert_eq!(
            scrutineer.get_text(&format!("/c/{cid}")).await.0,
            200,
            "may read"
        );
        // A scrutineer account not named for this congress sees nothing of it: not its
        // pages, not its audit log, not the check-in desk, not the list of congresses.
        let stranger = app.login_as("jianpiao_b", Role::Scrutineer).await;
        for path in [
            format!("/c/{cid}"),
            format!("/c/{cid}/audit"),
            format!("/c/{cid}/roster"),
            format!("/c/{session}/attendance"),
        ] {
            let (status, page) = stranger.get_text(&path).await;
            assert_eq!(status, 403, "{path}");
            assert!(page.contains("您不是这次大会的监票人员"), "{page}");
        }
        let r = stranger
            .post_form(
                &format!("/c/{session}/attendance"),
                &[("delegate_no", "2"), ("present", "1")],
            )
            .await;
        assert_eq!(r.status(), 403, "no check-in at a congress not one's own");
        let (_, home) = stranger.get_text("/").await;
        assert!(!home.contains("示范大学第十次学生代表大会"), "{home}");

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
        let scrutineer_token = super::api_token(&app, "jianpiao");
        let other_token = super::api_token(&app, "qita");
        let stranger_token = super::api_token(&app, "jianpiao_b");
        assert_eq!(put(&scrutineer_token).await.unwrap().status(), 403);
        assert_eq!(put(&stranger_token).await.unwrap().status(), 403);
        for (token, want) in [(&scrutineer_token, 200), (&stranger_token, 403)] {
            let r = h
                .get(app.url(&format!("/api/v1/congresses/{cid}/audit")))
                .bearer_auth(token)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), want);
        }
        let r = h
            .get(app.url("/api/v1/congresses"))
            .bearer_auth(&stranger_token)
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.json::<serde_json::Value>().await.unwrap(),
            serde_json::json!([])
        );
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
        let owner_token = super::api_token(&app, fixture::ORGANISER);
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
