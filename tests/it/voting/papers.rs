//! The two halves of the vote as the phone meets them: the waiting page (`/v`) carries what
//! the script needs to take a paper as soon as a contest opens (the contest key's modulus and
//! exponent, the session's CSRF token) and says what to do without JavaScript; the ballot box
//! under `/box` works with no cookie and no CSRF token at all, and is the only place exempt
//! from the CSRF guard; its public key is the one on the board.

use super::phone::{self, attr_value, Phone};
use super::*;
use crate::common::Kind;

both_backends!(
    the_waiting_page_hands_the_script_the_contest_key,
    |kind: Kind| {
        let app = TestApp::start(kind, "waiting_page");
        let fx = fixture::for_app(&app, 3);
        let (cid, kid) = (fx.congress_id.clone(), fx.election.clone());
        block_on(async {
            let staff = organiser(&app).await;
            let p = Phone::new(&app.base);
            p.login(&fx.card(1).token).await;
            for no in 2..=3 {
                desk_check_in(&staff, &cid, no).await;
            }
            let before = p.get("/v").await;
            assert!(
                before.body.contains("现在没有进行中的投票"),
                "{}",
                before.body
            );
            // Reloads by itself: by script, or by the refresh in <noscript> without one.
            assert!(before
                .body
                .contains("<noscript><meta http-equiv=\"refresh\" content=\"5\"></noscript>"));
            assert!(before
                .body
                .contains("<script src=\"/static/paper.js\" defer>"));
            assert!(before
                .body
                .contains("<script src=\"/static/vote.js\" defer>"));
            assert!(
                before.body.contains("请向监票人领取纸质选票"),
                "no-JS message"
            );

            assert_eq!(open_contest(&staff, &cid, &kid).await.0, 303);
            let page = p.get("/v").await;
            let key = p.contest_key(&cid, &kid).await;
            assert_eq!(
                attr_value(&page.body, "data-contest").as_deref(),
                Some(kid.as_str())
            );
            assert_eq!(
                attr_value(&page.body, "data-state").as_deref(),
                Some("take")
            );
            assert_eq!(attr_value(&page.body, "data-n"), Some(key.modulus_hex()));
            assert_eq!(attr_value(&page.body, "data-e").as_deref(), Some("65537"));
            assert_eq!(
                attr_value(&page.body, "data-congress").as_deref(),
                Some(cid.as_str())
            );
            assert!(page.body.contains(&format!("href=\"/box/{cid}/{kid}\"")));
            // Once the paper is taken the page says so (the script shows "去投票").
            p.take_paper(&cid, &kid).await;
            let page = p.get("/v").await;
            assert_eq!(
                attr_value(&page.body, "data-state").as_deref(),
                Some("taken")
            );
            // The key the box serves is the key the board will show, and the key file's.
            let mut conn = app.db.db.conn().expect("conn");
            let bb = voting_repo::ballot_box(
                &mut conn,
                &congress::domain::ids::ContestId::from(kid.as_str()),
            )
            .unwrap()
            .unwrap();
            assert_eq!(bb.public_key_pem, key.to_spki_pem());
            assert_eq!(bb.key_fingerprint, key.fingerprint());
            let on_disk = app
                .state
                .keys
                .load_contest_public_key(&cid, &kid)
                .expect("the contest's public key file");
            assert_eq!(on_disk, key);
            // The static scripts are served.
            let js = p.get("/static/vote.js").await;
            assert_eq!(js.status, 200);
            assert!(js.body.contains("CongressPaper"));
        });
    }
);

both_backends!(the_box_needs_no_cookie_and_no_csrf, |kind: Kind| {
    let app = TestApp::start(kind, "box_anonymous");
    let fx = fixture::for_app(&app, 3);
    let (cid, kid) = (fx.congress_id.clone(), fx.work_report.clone());
    block_on(async {
        let (_, phones) = super::ballots::with_voters(&app, &fx, 3).await;
        let paper = phones[0].take_paper(&cid, &kid).await;
        // A client that never logged in and holds no cookie at all: it has the paper.
        let stranger = Phone::new(&app.base);
        let form = stranger.ballot(&cid, &kid).await;
        assert_eq!(form.status, 200, "{}", form.body);
        assert!(
            !form.body.contains("name=\"csrf\""),
            "no CSRF field at the box"
        );
        let review = stranger.review(&cid, &kid, &phone::vote("for")).await;
        assert_eq!(review.status, 200, "{}", review.body);
        assert!(review.body.contains(&format!("data-paper=\"{kid}\"")));
        let r = stranger.cast(&cid, &kid, &paper, &phone::vote("for")).await;
        assert_eq!(r.status, 303, "{}", r.body);
        assert!(
            r.cookies.is_empty(),
            "the box sets no cookie: {:?}",
            r.cookies
        );
        let receipt = stranger.get(r.location.as_deref().unwrap()).await;
        assert_eq!(receipt.status, 200);
        assert!(
            receipt.body.contains("id=\"receipt\""),
            "the script keeps it"
        );
        assert!(
            receipt.cookies.is_empty(),
            "receipts are not kept in cookies"
        );
        // Without a paper the cast is refused with a clear page.
        let r = stranger
            .post(&format!("/box/{cid}/{kid}/cast"), &phone::vote("against"))
            .await;
        assert_eq!(r.status, 409, "{}", r.body);
        assert!(r.body.contains("本机没有本项的电子选票"), "{}", r.body);

        // The CSRF exemption is exactly the box's routes.
        let r = stranger.post(&format!("/box/{cid}"), &[]).await;
        assert_eq!(r.status, 403, "not a box route: {}", r.body);
        let r = stranger
            .post(&format!("/boxes/{cid}/{kid}/cast"), &phone::vote("for"))
            .await;
        assert_eq!(r.status, 403, "{}", r.body);
        let r = stranger
            .post(
                &format!("/v/{kid}/paper"),
                &[("blinded".into(), "AA==".into())],
            )
            .await;
        assert_eq!(r.status, 403, "{}", r.body);
        assert_eq!(counts(&app, &kid), (1, 1));
    });
});
