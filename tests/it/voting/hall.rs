//! The delegates' phone pages and the projector during the session in headless Chromium
//! (issue 14): the card page, the code page, the waiting page, the ballot, the review of a
//! ballot that would be 废票 (sent without the confirmation ticked, then with it), the
//! receipt, and the projector during 签到 and during voting, each at 390 and 1366 px (the
//! projector also at 1920x1080). Every page fails on horizontal overflow and is saved under
//! `<target>/screenshots/hall-*.png`. Plus the small things over HTTP: an empty login code,
//! a malformed query string.

use std::panic::AssertUnwindSafe;
use std::time::{Duration, Instant};

use futures_util::FutureExt;
use thirtyfour::prelude::*;

use super::phone::{self, Phone};
use super::*;
use crate::common::browser::{self, fits_and_shoot, page_fits, viewport, Chromedriver};
use crate::common::Kind;
use congress::domain::ids::CongressId;

/// Waits (up to 20 s) until `css` matches a displayed element.
async fn shown(driver: &WebDriver, css: &str) -> WebDriverResult<WebElement> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Ok(e) = driver.find(By::Css(css)).await {
            if e.is_displayed().await.unwrap_or(false) {
                return Ok(e);
            }
        }
        assert!(Instant::now() < deadline, "{css} never shown");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until the browser is on a path starting with `prefix`.
async fn at(driver: &WebDriver, prefix: &str) -> WebDriverResult<String> {
    browser::arrive(driver, prefix).await
}

both_backends!(small_things_on_phones, |kind: Kind| {
    let app = TestApp::start(kind, "hall_small");
    let fx = fixture::for_app(&app, 3);
    block_on(async {
        let p = Phone::new(&app.base);
        let page = p.type_code("   ").await;
        assert_eq!(page.status, 400);
        assert!(page.body.contains("请输入登录码"), "{}", page.body);
        assert!(page.body.contains("姓名和代表编号下面"));
        let (status, body) = app
            .client()
            .get_text(&format!("/b/{}/{}?page=abc", fx.congress_id, fx.election))
            .await;
        assert_eq!(status, 400);
        assert!(body.contains("网址中的参数有误"), "{body}");
        assert!(!body.contains("deserialize"), "{body}");
        assert!(!body.contains("返回修改"));

        // After the congress closes, the card leads to the 公示.
        {
            use congress::domain::state::CongressState;
            let mut c = app.db.db.conn().expect("conn");
            let moved = congress::storage::repo::congress::transition(
                &mut c,
                &CongressId::from(&fx.congress_id),
                CongressState::InSession,
                CongressState::Closed,
            )
            .expect("close");
            assert!(moved);
        }
        let page = Phone::new(&app.base).open_card(&fx.card(2).token).await;
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(page.body.contains("大会已经闭幕"), "{}", page.body);
        assert!(page
            .body
            .contains(&format!("href=\"/b/{}\"", fx.congress_id)));
    });
});

test!(hall_phone_pages_fit_every_screen, browser);
fn hall_phone_pages_fit_every_screen() {
    let (chromium, driver_bin) = browser::tools("hall_phone_pages_fit_every_screen");
    let app = TestApp::start(Kind::Sqlite, "hall_phone");
    let fx = fixture::for_app(&app, 6);
    let (cid, kid) = (fx.congress_id.clone(), fx.election.clone());
    let chromedriver = Chromedriver::start(&driver_bin);
    block_on(async {
        let staff = organiser(&app).await;
        for no in 1..=5 {
            desk_check_in(&staff, &cid, no).await;
        }
        let caps = browser::capabilities(&chromium, 1366, 900, true);
        let d = WebDriver::new(chromedriver.url.clone(), caps)
            .await
            .expect("browser session");
        let mut receipt_path = String::new();
        let result = AssertUnwindSafe(async {
            // 签到: the live count, every contest 准备中.
            let screen = app.url(&format!("/b/{cid}/screen"));
            page_fits(&d, &screen, "hall-projector-signin", 1920, 1080).await?;
            let text = d.find(By::Tag("main")).await?.text().await?;
            assert!(text.contains("5 / 6") && text.contains("准备中"), "{text}");
            let badge = d.find(By::Css(".screen-agenda .badge")).await?;
            assert_eq!(badge.css_value("color").await?, "rgba(17, 17, 17, 1)");

            // Voting: delegate 1 votes over HTTP; the projector shows the progress only.
            assert_eq!(open_contest(&staff, &cid, &kid).await.0, 303);
            let p1 = Phone::new(&app.base);
            p1.login(&fx.card(1).token).await;
            let paper = p1.take_paper(&cid, &kid).await;
            let m = phone::marks(&fx.candidates, &["for", "for", "against", "abstain", "for"]);
            let r = p1.cast(&cid, &kid, &paper, &m).await;
            let receipt = r.location.clone().expect("receipt");
            receipt_path = receipt.clone();
            page_fits(&d, &screen, "hall-projector-voting", 1920, 1080).await?;
            let text = d.find(By::Tag("main")).await?.text().await?;
            assert!(text.contains("已投 1 / 发出 5"), "{text}");
            assert!(!text.contains("赞成"), "no partial result: {text}");
            page_fits(&d, &screen, "hall-projector-voting", 390, 844).await?;

            // The receipt a student understands.
            for (w, h) in [(390, 844), (1366, 900)] {
                page_fits(&d, &app.url(&receipt), "hall-receipt", w, h).await?;
            }
            let hash = receipt.rsplit('/').next().unwrap_or_default().to_string();
            let short = d.find(By::Css(".tracker-short")).await?.text().await?;
            assert_eq!(short, format!("{} {}", &hash[..4], &hash[4..8]));
            let main = d.find(By::Tag("main")).await?.text().await?;
            assert!(main.contains("你的选票已投入票箱"), "{main}");
            shown(&d, "button[data-copy='tracker']").await?;
            d.find(By::Css("details.tech summary"))
                .await?
                .click()
                .await?;
            let img = shown(&d, "img.receipt-qr").await?;
            // `loading="lazy"`: the fetch starts once the details open, so wait for the image's
            // load (or error) event rather than reading it at once.
            let loaded = d
                .execute_async(
                    "const [img, done] = arguments;
                     if (img.complete) { done(img.naturalWidth); return; }
                     img.addEventListener('load', () => done(img.naturalWidth));
                     img.addEventListener('error', () => done(0));",
                    vec![img.to_json()?],
                )
                .await?
                .json()
                .as_i64();
            assert!(loaded.unwrap_or(0) > 0, "the receipt's QR image loads");
            fits_and_shoot(&d, "hall-receipt-details", 1366).await?;
            // That receipt is delegate 1's, kept by this browser: forget it before another
            // delegate uses the phone.
            d.execute("localStorage.clear();", vec![]).await?;

            // The card page and the code page.
            let card = app.url(&format!("/t/{}", fx.card(3).token));
            for (w, h) in [(1366, 900), (390, 844)] {
                page_fits(&d, &app.url("/login/code"), "hall-code", w, h).await?;
                page_fits(&d, &card, "hall-card", w, h).await?;
            }
            // Delegate 3 logs in on this phone; the waiting page takes the paper.
            d.find(By::Css("form[action^='/t/'] button[type='submit']"))
                .await?
                .click()
                .await?;
            at(&d, "/v").await?;
            let go = shown(&d, &format!("a.vote[href='/box/{cid}/{kid}']")).await?;
            fits_and_shoot(&d, "hall-waiting", 390).await?;
            go.click().await?;
            at(&d, &format!("/box/{cid}/{kid}")).await?;
            // Seven for-marks in a five-seat election: a 废票.
            for id in &fx.candidates {
                d.find(By::XPath(format!(
                    "//input[@name='m.{id}' and @value='for']/parent::label"
                )))
                .await?
                .click()
                .await?;
            }
            fits_and_shoot(&d, "hall-ballot", 390).await?;
            d.find(By::XPath("//button[contains(., '核对选票')]"))
                .await?
                .click()
                .await?;
            at(&d, &format!("/box/{cid}/{kid}/review")).await?;
            shown(&d, "label.confirm").await?;
            fits_and_shoot(&d, "hall-review-invalid", 390).await?;
            // Not ticked: the page says why nothing was cast.
            d.find(By::XPath("//button[contains(., '确认投票')]"))
                .await?
                .click()
                .await?;
            at(&d, &format!("/box/{cid}/{kid}/cast")).await?;
            let text = shown(&d, "#unconfirmed").await?.text().await?;
            assert!(text.contains("选票未投出"), "{text}");
            fits_and_shoot(&d, "hall-review-unconfirmed", 390).await?;
            // The label is the tap target: tapping its text ticks the box.
            let label = d.find(By::Css("label.confirm")).await?;
            let rect = label.rect().await?;
            assert!(rect.height >= 48.0, "tap target {} px high", rect.height);
            label.find(By::Tag("span")).await?.click().await?;
            assert!(
                d.find(By::Css("label.confirm input"))
                    .await?
                    .is_selected()
                    .await?
            );
            d.find(By::XPath("//button[contains(., '确认投票')]"))
                .await?
                .click()
                .await?;
            at(&d, &format!("/r/{kid}/")).await?;
            fits_and_shoot(&d, "hall-receipt-spoiled", 390).await?;
            // Back from the receipt: the review again, never a browser error.
            d.back().await?;
            let main = shown(&d, "main").await?.text().await?;
            assert!(main.contains("核对选票"), "back from the receipt: {main}");
            fits_and_shoot(&d, "hall-back-from-receipt", 390).await?;
            viewport(&d, 1366, 900).await?;
            d.goto(app.url("/v")).await?;
            at(&d, "/v").await?;
            fits_and_shoot(&d, "hall-waiting", 1366).await?;
            d.goto(app.url(&format!("/box/{cid}/{kid}"))).await?;
            at(&d, "/box/").await?;
            fits_and_shoot(&d, "hall-ballot", 1366).await?;
            WebDriverResult::Ok(())
        })
        .catch_unwind()
        .await;
        d.quit().await.expect("quit");
        match result {
            Ok(r) => r.expect("pages"),
            Err(panic) => std::panic::resume_unwind(panic),
        }
        assert_eq!(
            counts(&app, &kid).0,
            2,
            "two ballots: one valid, one spoiled"
        );
        // The weights of the pieces (gzip as served), for docs/pages.md; the per-page budget is
        // asserted by `voting::browser::phone_pages_are_small`.
        let mut sizes = Vec::new();
        for path in [
            "/static/app.css".to_string(),
            "/static/paper.js".to_string(),
            "/static/vote.js".to_string(),
            "/login/code".to_string(),
            format!("/t/{}", fx.card(4).token),
            format!("/box/{cid}/{kid}"),
            receipt_path.clone(),
            format!("{receipt_path}/receipt.svg"),
        ] {
            let r = reqwest::Client::new()
                .get(app.url(&path))
                .header("accept-encoding", "gzip")
                .send()
                .await
                .expect("GET");
            assert_eq!(r.status(), 200, "{path}");
            sizes.push((path, r.bytes().await.expect("body").len()));
        }
        println!("phone page pieces on the wire (gzip, bytes): {sizes:?}");
    });
}
