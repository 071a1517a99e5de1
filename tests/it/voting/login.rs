//! Logging in with the card: the QR link and the manual code check the delegate in; wrong
//! secrets get a clear 401 page and are throttled per address (never a right one); a reissued card revokes the
//! old one and its session; a second device ends the first device's session.

use super::phone::Phone;
use super::*;
use crate::common::Kind;
use congress::domain::ids::CongressId;
use reqwest::cookie::CookieStore;

both_backends!(token_login_checks_in_and_hides_the_token, |kind: Kind| {
    let app = TestApp::start(kind, "token_login");
    let fx = fixture::for_app(&app, 12);
    block_on(async {
        let card = fx.card(3);
        assert!(!delegate(&app, &fx.congress_id, 3).present);
        let phone = Phone::new(&app.base);
        let r = phone.open_card(&card.token).await;
        // 303 to /v: the token leaves the address bar; the session is a cookie.
        assert_eq!(r.status, 303);
        assert_eq!(r.location.as_deref(), Some("/v"));
        assert!(!r.location.unwrap_or_default().contains(&card.token));
        let cookies = phone
            .jar
            .as_ref()
            .cookies(&format!("{}/v", app.base).parse().expect("url"))
            .expect("a cookie was set");
        assert!(cookies
            .to_str()
            .unwrap_or_default()
            .contains("congress_vote="));
        // Path=/v: the phone never sends the session to the ballot box or the receipts.
        for elsewhere in ["/box/c/k/cast", "/r/k/h", "/"] {
            let sent = phone
                .jar
                .as_ref()
                .cookies(&format!("{}{elsewhere}", app.base).parse().expect("url"));
            assert!(
                !sent
                    .and_then(|c| c.to_str().ok().map(str::to_string))
                    .unwrap_or_default()
                    .contains("congress_vote="),
                "the session cookie goes to {elsewhere}"
            );
        }

        let home = phone.get("/v").await;
        assert_eq!(home.status, 200);
        let d = &card.delegate;
        assert!(home.body.contains(&d.student.name), "{}", home.body);
        assert!(home.body.contains("代表编号 3"));
        assert!(home.body.contains(&d.student.college));
        assert!(home.body.contains("已签到"));
        assert!(!home.body.contains(&card.token));
        let stored = delegate(&app, &fx.congress_id, 3);
        assert!(
            stored.present,
            "first login in session is the check-in (D2)"
        );
        assert!(stored.checked_in_at.is_some());

        // The manual code, typed the way people type it: lower case, no dash, spaces.
        let typed = format!(" {} ", fx.card(4).code.replace('-', " ").to_lowercase());
        let other = Phone::new(&app.base);
        let r = other.type_code(&typed).await;
        assert_eq!(
            (r.status, r.location.as_deref()),
            (303, Some("/v")),
            "{}",
            r.body
        );
        let home = other.get("/v").await;
        assert!(home.body.contains(&fx.card(4).delegate.student.name));
        assert!(delegate(&app, &fx.congress_id, 4).present);
        // Nobody else was checked in.
        let mut c = app.db.db.conn().expect("conn");
        let (fig, _) =
            congress::service::attendance::attendance(&mut c, &CongressId::from(&fx.congress_id))
                .expect("figures");
        assert_eq!((fig.expected, fig.present), (12, 2));
    });
});

both_backends!(wrong_secrets_get_401_then_429, |kind: Kind| {
    let app = TestApp::start(kind, "wrong_secrets");
    let fx = fixture::for_app(&app, 6);
    block_on(async {
        let phone = Phone::new(&app.base);
        // A token with one character changed.
        let good = &fx.card(1).token;
        let bad = format!(
            "{}{}",
            &good[..good.len() - 1],
            if good.ends_with('a') { 'b' } else { 'a' }
        );
        let r = phone.open_card(&bad).await;
        assert_eq!(r.status, 401);
        assert!(r.body.contains("代表证无效或已作废"), "{}", r.body);
        assert!(r.body.contains("/login/code"), "offers the manual code");
        assert!(r.location.is_none());
        let r = phone.type_code("ABCDE-FGH23").await;
        assert_eq!(r.status, 401);
        assert!(r.body.contains("代表证无效或已作废"));
        // 30 failures from this address in the window: 2 so far, 28 more.
        for i in 0..28 {
            let r = phone.open_card(&format!("{bad}{i}")).await;
            assert_eq!(r.status, 401, "failure {}", i + 3);
        }
        let r = phone.open_card(&bad).await;
        assert_eq!(r.status, 429);
        assert!(r.body.contains("登录失败次数过多"), "{}", r.body);
        // Only failures are throttled: the right card and the right code from the same
        // address (the hall's NAT) still log in and check in.
        let r = phone.open_card(good).await;
        assert_eq!((r.status, r.location.as_deref()), (303, Some("/v")));
        let r = Phone::new(&app.base).type_code(&fx.card(2).code).await;
        assert_eq!(r.status, 303);
        assert!(delegate(&app, &fx.congress_id, 1).present);
        assert!(delegate(&app, &fx.congress_id, 2).present);
        // And a wrong one is still refused.
        assert_eq!(phone.type_code("ABCDE-FGH23").await.status, 429);
    });
});

both_backends!(reissue_revokes_the_old_card_and_session, |kind: Kind| {
    let app = TestApp::start(kind, "reissue");
    let fx = fixture::for_app(&app, 6);
    block_on(async {
        let old = fx.card(5).clone();
        let phone = Phone::new(&app.base);
        phone.login(&old.token).await;
        assert_eq!(phone.get("/v").await.status, 200);

        let staff = organiser(&app).await;
        let (status, loc, body) = staff_post(
            &staff,
            &format!("/c/{}/credentials/reissue", fx.congress_id),
            &[("delegate_no", "5")],
        )
        .await;
        assert_eq!(status, 303, "{body}");
        assert!(loc.ends_with("/credentials/print?delegate_no=5"), "{loc}");

        // The old session ended, the old token and code are refused.
        let r = phone.get("/v").await;
        assert_eq!(r.status, 401);
        assert!(r.body.contains("请重新登录"), "{}", r.body);
        let r = Phone::new(&app.base).open_card(&old.token).await;
        assert_eq!(r.status, 401);
        assert!(r.body.contains("代表证无效或已作废"));
        let r = Phone::new(&app.base).type_code(&old.code).await;
        assert_eq!(r.status, 401);

        // The new card (as printed) works.
        let mut c = app.db.db.conn().expect("conn");
        let cards = congress::service::credentials::cards(
            &mut c,
            &CongressId::from(&fx.congress_id),
            None,
            &app.state.credential_key,
        )
        .expect("cards");
        let new = &cards[4];
        assert_eq!(new.delegate.delegate_no, 5);
        assert_ne!(new.token, old.token);
        assert_ne!(new.code, old.code);
        // The other cards are unchanged.
        assert_eq!(cards[3].token, fx.card(4).token);
        let fresh = Phone::new(&app.base);
        fresh.login(&new.token).await;
        let home = fresh.get("/v").await;
        assert_eq!(home.status, 200);
        assert!(home.body.contains(&old.delegate.student.name));
        let r = Phone::new(&app.base).type_code(&new.code).await;
        assert_eq!(r.status, 303);
    });
});

both_backends!(second_device_ends_the_first, |kind: Kind| {
    let app = TestApp::start(kind, "second_device");
    let fx = fixture::for_app(&app, 6);
    block_on(async {
        let card = fx.card(2);
        let a = Phone::new(&app.base);
        a.login(&card.token).await;
        assert_eq!(a.get("/v").await.status, 200);
        let b = Phone::new(&app.base);
        let r = b.type_code(&card.code).await;
        assert_eq!(r.status, 303);

        let r = a.get("/v").await;
        assert_eq!(r.status, 401);
        assert!(r.body.contains("已在另一台设备上登录"), "{}", r.body);
        // Every delegate page of device A says so, not only the home page.
        let r = a.get(&format!("/v/roll/{}", fx.election)).await;
        assert_eq!(r.status, 401);
        assert!(r.body.contains("已在另一台设备上登录"));
        assert_eq!(b.get("/v").await.status, 200);

        // A logs in again and takes the card back: now B is the one told.
        a.login(&card.token).await;
        assert_eq!(a.get("/v").await.status, 200);
        let r = b.get("/v").await;
        assert_eq!(r.status, 401);
        assert!(r.body.contains("已在另一台设备上登录"));
    });
});
