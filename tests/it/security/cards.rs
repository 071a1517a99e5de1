//! Cards nobody can use silently, links nobody consumes by looking, sessions that end:
//!
//! - opening a card's QR link (GET, as link previewers, proxies and a second tap do) shows a
//!   page with one button and logs nobody in or out; the button's POST needs the page's CSRF
//!   token; only then is the delegate logged in (and the other device logged out);
//! - the organiser printing a card and logging in with its code leaves a trail: the print in
//!   the audit log (who, which cards, reprints), the check-in "by login code" on the
//!   scrutineers' attendance page and CSV, and "此代表证已于 HH:MM 凭登录码签到" on the real
//!   delegate's phone;
//! - logging out ends the session on the server: a cookie captured before logout is refused
//!   after it, for a delegate and for staff (all of the staff account's sessions end), on a
//!   second app server sharing the database as well.

use congress::domain::ids::{CongressId, DelegateId};
use congress::service::{self, Actor};
use congress::storage::repo::card_events;
use congress::storage::repo::roster as roster_repo;
use congress::storage::repo::users::Role;

use super::phone::{field_value, Phone};
use super::{block_on, entries, fixture, fixture_organiser, http, staff_cookie};
use crate::common::http::{csrf_in, TestApp};
use crate::common::Kind;

fn delegate(app: &TestApp, cid: &str, no: u32) -> roster_repo::Delegate {
    let mut c = app.db.db.conn().unwrap();
    roster_repo::delegate_by_no(&mut c, &CongressId::from(cid), no)
        .unwrap()
        .unwrap()
}

fn events(app: &TestApp, did: &str) -> Vec<card_events::CardEvent> {
    let mut c = app.db.db.conn().unwrap();
    card_events::of_delegate(&mut c, &DelegateId::from(did)).unwrap()
}

/// The `Cookie:` value of the set-cookie `name` in a response.
fn cookie_of(r: &reqwest::Response, name: &str) -> Option<String> {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string())
        .find(|c| c.starts_with(&format!("{name}=")) && c.len() > name.len() + 1)
}

both_backends!(card_links_are_not_consumed_by_looking, |kind: Kind| {
    let app = TestApp::start(kind, "card_links_preview");
    let fx = fixture::for_app(&app, 4);
    block_on(async {
        let card = fx.card(2);
        let before = delegate(&app, &fx.congress_id, 2);
        // A link previewer: no cookies, a few GETs.
        let bot = http(None);
        for _ in 0..3 {
            let r = bot
                .get(app.url(&format!("/t/{}", card.token)))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200);
            assert_eq!(cookie_of(&r, "congress_vote"), None);
            let page = r.text().await.unwrap();
            assert!(page.contains("代表证登录"), "{page}");
            assert!(page.contains(&format!("action=\"/t/{}\"", card.token)));
            assert!(
                !page.contains(&card.delegate.student.name),
                "a preview shows nobody's name"
            );
        }
        let after = delegate(&app, &fx.congress_id, 2);
        assert_eq!(
            after.session_epoch, before.session_epoch,
            "nobody logged in"
        );
        assert!(!after.present, "nobody checked in");
        assert!(events(&app, after.id.as_str()).is_empty());
        // A wrong token's page looks the same: the GET checks nothing (no oracle).
        let wrong = Phone::new(&app.base)
            .preview_card("0000000000000000000000zzzz")
            .await;
        assert_eq!(wrong.status, 200);

        // The delegate taps the button: logged in on device A.
        let a = Phone::new(&app.base);
        let r = a.open_card(&card.token).await;
        assert_eq!((r.status, r.location.as_deref()), (303, Some("/v")));
        let epoch = delegate(&app, &fx.congress_id, 2).session_epoch;
        // A second tap on A, and a preview on device B: A stays logged in.
        let again = a.preview_card(&card.token).await;
        assert_eq!(again.status, 200);
        assert!(again.body.contains("本机已登录"), "{}", again.body);
        let b = Phone::new(&app.base);
        assert_eq!(b.preview_card(&card.token).await.status, 200);
        assert_eq!(a.get("/v").await.status, 200);
        assert_eq!(delegate(&app, &fx.congress_id, 2).session_epoch, epoch);
        // The button without the page's CSRF token (a cross-site form) does nothing.
        let r = http(None)
            .post(app.url(&format!("/t/{}", card.token)))
            .form(&[("csrf", "forged")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
        assert_eq!(cookie_of(&r, "congress_vote"), None);
        assert_eq!(delegate(&app, &fx.congress_id, 2).session_epoch, epoch);
        // B presses the button: B takes over, A is told.
        assert_eq!(b.open_card(&card.token).await.status, 303);
        let r = a.get("/v").await;
        assert_eq!(r.status, 401);
        assert!(r.body.contains("已在另一台设备上登录"));
    });
});

both_backends!(nobody_uses_a_card_silently, |kind: Kind| {
    let app = TestApp::start(kind, "cards_not_silent");
    let fx = fixture::for_app(&app, 6);
    block_on(async {
        let org = fixture_organiser(&app).await;
        let cid = &fx.congress_id;
        // The organiser prints delegate 3's card ...
        let (status, sheet) = org
            .get_text(&format!("/c/{cid}/credentials/print?delegate_no=3"))
            .await;
        assert_eq!(status, 200);
        let code = fx.card(3).code.clone();
        assert!(sheet.contains(&code));
        let printed = entries(&app, cid, "credentials.print");
        assert_eq!(printed.len(), 1);
        assert_eq!(printed[0].actor, fixture::ORGANISER);
        assert_eq!(printed[0].target.as_deref(), Some("代表3"));
        let after: serde_json::Value =
            serde_json::from_str(printed[0].after.as_deref().unwrap()).unwrap();
        assert_eq!(after["delegates"], "3");
        assert_eq!(after["reprinted"], 0);
        // ... prints it again (a reprint, said so) and a college's sheet ...
        assert_eq!(
            org.get(&format!("/c/{cid}/credentials/print?delegate_no=3"))
                .await
                .status(),
            200
        );
        let printed = entries(&app, cid, "credentials.print");
        let after: serde_json::Value =
            serde_json::from_str(printed[1].after.as_deref().unwrap()).unwrap();
        assert_eq!(after["reprinted"], 1);
        // ... and logs in with the printed code, which checks delegate 3 in.
        let intruder = Phone::new(&app.base);
        assert_eq!(intruder.type_code(&code).await.status, 303);
        assert!(delegate(&app, cid, 3).present);

        // A scrutineer checks delegate 4 in at the desk.
        let scrutineer = app.login_as("jianpiao", Role::Scrutineer).await;
        {
            let mut c = app.db.db.conn().unwrap();
            service::scrutineers::add(
                &mut c,
                &Actor::cli("test"),
                &CongressId::from(cid),
                &service::scrutineers::ScrutineerInput {
                    role: congress::storage::repo::scrutineers::ScrutineerRole::Scrutineer,
                    name: "监票人甲".into(),
                    student_no: None,
                    username: Some("jianpiao".into()),
                },
            )
            .unwrap();
        }
        let r = scrutineer
            .post_form(
                &format!("/c/{cid}/attendance"),
                &[("delegate_no", "4"), ("present", "1")],
            )
            .await;
        assert_eq!(r.status(), 303);
        // Delegate 5 scans their card.
        Phone::new(&app.base).login(&fx.card(5).token).await;

        // The scrutineers see how each was checked in, and the reprint (the first view shows
        // the desk's flash message, which names delegate 4 too).
        scrutineer.get_text(&format!("/c/{cid}/attendance")).await;
        let (status, page) = scrutineer.get_text(&format!("/c/{cid}/attendance")).await;
        assert_eq!(status, 200);
        let row = |no: u32| -> String {
            let name = &fx.card(no).delegate.student.name;
            let i = page.find(name.as_str()).expect("row");
            page[i..i + page[i..].find("</tr>").unwrap()].to_string()
        };
        assert!(row(3).contains("登录码"), "{}", row(3));
        assert!(row(3).contains("重印"), "{}", row(3));
        assert!(row(4).contains("人工: jianpiao"), "{}", row(4));
        assert!(row(5).contains("扫码"), "{}", row(5));
        let (status, csv) = scrutineer
            .get_text(&format!("/c/{cid}/attendance.csv"))
            .await;
        assert_eq!(status, 200);
        let line3 = csv
            .lines()
            .find(|l| l.starts_with("3,"))
            .expect("row of delegate 3");
        assert!(
            line3.contains(",已签到,") && line3.ends_with(",登录码,1,2"),
            "{line3}"
        );

        // The real delegate arrives, scans the card and sees what happened to it.
        let real = Phone::new(&app.base);
        real.login(&fx.card(3).token).await;
        let home = real.get("/v").await;
        assert_eq!(home.status, 200);
        let d = delegate(&app, cid, 3);
        let at = d.checked_in_at.unwrap();
        // "10:03" on the day, with the date if the page was drawn after midnight.
        let said = [at, at + 86_400_000].map(|now| {
            let when = congress::web::views::card_use::clock(at, now);
            format!("此代表证已于 {when} 凭登录码签到")
        });
        assert!(
            said.iter().any(|s| home.body.contains(s.as_str())),
            "{}",
            home.body
        );
        assert!(home
            .body
            .contains(&format!("由 {} 打印代表证", fixture::ORGANISER)));
        let record = real.get("/v/card").await;
        assert_eq!(record.status, 200);
        assert!(record.body.contains("输入登录码登录"));
        assert!(record.body.contains("扫描二维码登录"));
        assert!(
            record.body.contains("此代表证登录过 2 次"),
            "{}",
            record.body
        );
        // The stored events, in order.
        let kinds: Vec<_> = events(&app, d.id.as_str())
            .into_iter()
            .map(|e| (e.kind.as_str(), e.via.as_str(), e.actor))
            .collect();
        let org_name = Some(fixture::ORGANISER.to_string());
        assert_eq!(
            kinds,
            vec![
                ("print", "staff", org_name.clone()),
                ("print", "staff", org_name),
                ("login", "code", None),
                ("check_in", "code", None),
                ("login", "card", None),
            ]
        );
    });
});

both_backends!(logout_ends_the_session_on_the_server, |kind: Kind| {
    let app = TestApp::start(kind, "logout_ends_sessions");
    let fx = fixture::for_app(&app, 3);
    block_on(async {
        // A delegate: the cookie captured before logout is refused after it.
        let phone = Phone::new(&app.base);
        phone.login(&fx.card(1).token).await;
        let home = phone.get("/v").await;
        assert_eq!(home.status, 200);
        // The session cookie's path is /v (never sent to the anonymous box).
        let url: reqwest::Url = app.url("/v").parse().unwrap();
        let captured = reqwest::cookie::CookieStore::cookies(phone.jar.as_ref(), &url)
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        let replay = |cookie: String| {
            let url = app.url("/v");
            async move {
                http(None)
                    .get(url)
                    .header("cookie", cookie)
                    .send()
                    .await
                    .unwrap()
                    .status()
            }
        };
        assert_eq!(replay(captured.clone()).await, 200);
        // A second app server on the same database reads the same cookie; the logout goes
        // through it, and the session ends on both.
        let sibling = app.sibling();
        let on_sibling = |cookie: String| {
            let url = sibling.url("/v");
            async move {
                http(None)
                    .get(url)
                    .header("cookie", cookie)
                    .send()
                    .await
                    .unwrap()
                    .status()
            }
        };
        assert_eq!(on_sibling(captured.clone()).await, 200);
        let csrf = field_value(&home.body, "csrf").expect("logout form");
        let r = http(None)
            .post(sibling.url("/v/logout"))
            .header("cookie", captured.clone())
            .form(&[("csrf", csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
        assert_eq!(phone.get("/v").await.status, 401);
        assert_eq!(
            replay(captured.clone()).await,
            401,
            "the captured cookie is refused"
        );
        assert_eq!(on_sibling(captured).await, 401, "on every server");
        // The card logs in again as before.
        phone.login(&fx.card(1).token).await;
        assert_eq!(phone.get("/v").await.status, 200);

        // Staff: two sessions of one account; logging out of one ends both, and a captured
        // cookie is refused.
        let first = staff_cookie(&app, fixture::ORGANISER, fixture::ORGANISER_PASSWORD).await;
        let second = staff_cookie(&app, fixture::ORGANISER, fixture::ORGANISER_PASSWORD).await;
        let get = |cookie: String| {
            let url = app.url("/account");
            async move {
                let r = http(None)
                    .get(url)
                    .header("cookie", cookie)
                    .send()
                    .await
                    .unwrap();
                (r.status().as_u16(), r.text().await.unwrap())
            }
        };
        let (status, page) = get(first.clone()).await;
        assert_eq!(status, 200);
        assert_eq!(get(second.clone()).await.0, 200);
        let csrf = csrf_in(&page).unwrap();
        let r = http(None)
            .post(sibling.url("/logout"))
            .header("cookie", first.clone())
            .form(&[("csrf", csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
        for (what, cookie, url) in [
            ("captured", first.clone(), app.url("/account")),
            ("captured, other server", first, sibling.url("/account")),
            ("other device", second, app.url("/account")),
        ] {
            let r = http(None)
                .get(url)
                .header("cookie", cookie)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 303, "{what}");
            assert_eq!(r.headers()["location"], "/login", "{what}");
        }
        let logouts = congress::storage::repo::audit::list(&mut app.db.db.conn().unwrap(), None)
            .unwrap()
            .into_iter()
            .filter(|e| e.action == "auth.logout")
            .count();
        assert_eq!(logouts, 1);
        // Logging in again works.
        let again = staff_cookie(&app, fixture::ORGANISER, fixture::ORGANISER_PASSWORD).await;
        assert_eq!(get(again).await.0, 200);
    });
});
