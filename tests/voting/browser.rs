//! The phone pages themselves: small (under 20 KB of HTML), no script, and the whole flow in
//! headless Chromium with JavaScript switched off in a 390x844 window: open the card's QR
//! link, land on `/v`, open the election, tap the labels, review, confirm, read the tracker.
//! Screenshots go to `<target dir>/screenshots/`.
//!
//! Chromium and chromedriver are looked for at /usr/bin (or `$CHROMIUM`, `$CHROMEDRIVER`);
//! without them the browser test says it was NOT run, and fails under `CI=true`.

use std::panic::AssertUnwindSafe;

use futures_util::FutureExt;
use thirtyfour::prelude::*;

use super::*;
use crate::common::browser::{self, arrive, screenshot_dir, Chromedriver};
use crate::common::Kind;
use crate::phone::{self, Phone};

/// The largest phone page allowed, in bytes of HTML.
const MAX_PAGE_BYTES: usize = 20 * 1024;

fn assert_phone_page(what: &str, html: &str) -> usize {
    assert!(html.len() < MAX_PAGE_BYTES, "{what}: {} bytes", html.len());
    let lower = html.to_lowercase();
    assert!(!lower.contains("<script"), "{what} has a script");
    for handler in [
        " onclick=",
        " onload=",
        " onsubmit=",
        " onchange=",
        "javascript:",
    ] {
        assert!(!lower.contains(handler), "{what} uses {handler}");
    }
    html.len()
}

both_backends!(phone_pages_are_small_and_script_free, |kind: Kind| {
    let Some(app) = TestApp::start(kind, "phone_pages") else {
        return;
    };
    let fx = fixture::for_app(&app, 6);
    block_on(async {
        let staff = organiser(&app).await;
        let p = Phone::new(&app.base);
        let mut sizes = Vec::new();
        sizes.push((
            "/login/code",
            assert_phone_page("code", &p.get("/login/code").await.body),
        ));
        sizes.push((
            "/t/<token>",
            assert_phone_page("card page", &p.preview_card(&fx.card(1).token).await.body),
        ));
        p.login(&fx.card(1).token).await;
        let record = p.get("/v/card").await;
        assert_eq!(record.status, 200);
        sizes.push(("/v/card", assert_phone_page("card record", &record.body)));
        for no in 2..=5 {
            desk_check_in(&staff, &fx.congress_id, no).await;
        }
        assert_eq!(
            open_contest(&staff, &fx.congress_id, &fx.election).await.0,
            303
        );
        let home = p.get("/v").await;
        sizes.push(("/v", assert_phone_page("home", &home.body)));
        let ballot = p.get(&format!("/v/{}", fx.election)).await;
        sizes.push(("ballot", assert_phone_page("ballot", &ballot.body)));
        let form = p.ballot(&fx.election).await;
        let m = phone::marks(&fx.candidates, &["for"; 7]);
        let review = p.review(&fx.election, &form, &m).await;
        assert!(review.body.contains("废票"));
        sizes.push((
            "review (invalid)",
            assert_phone_page("review", &review.body),
        ));
        let m = phone::marks(
            &fx.candidates,
            &["for", "for", "against", "abstain", "for", "against", "for"],
        );
        let r = p.cast(&fx.election, &form, &m).await;
        let receipt = p.get(r.location.as_deref().expect("receipt")).await;
        sizes.push(("receipt", assert_phone_page("receipt", &receipt.body)));
        let again = p.get(&format!("/v/{}", fx.election)).await;
        sizes.push(("cannot vote", assert_phone_page("cannot vote", &again.body)));
        println!("phone page sizes ({kind:?}): {sizes:?}");
    });
});

both_backends!(phone_flow_in_headless_chromium, |kind: Kind| {
    let Some((chromium, driver_bin)) = browser::tools("phone_flow_in_headless_chromium") else {
        return;
    };
    let Some(app) = TestApp::start(kind, "browser") else {
        return;
    };
    let fx = fixture::for_app(&app, 6);
    let chromedriver = Chromedriver::start(&driver_bin);
    block_on(async {
        let staff = organiser(&app).await;
        // Everyone is checked in at the desk; delegate 1 then votes on the phone.
        for no in 1..=6 {
            desk_check_in(&staff, &fx.congress_id, no).await;
        }
        assert_eq!(
            open_contest(&staff, &fx.congress_id, &fx.election).await.0,
            303
        );

        // The phone pages must work without JavaScript: switch it off.
        let caps = browser::capabilities(&chromium, 390, 844, false);
        let driver = WebDriver::new(chromedriver.url.clone(), caps)
            .await
            .expect("browser session");
        // A headless window is at least 500 px wide: the phone's 390 px viewport is set
        // through DevTools (chromedriver's mobileEmulation option hung on the first tap
        // with script switched off).
        let metrics = serde_json::json!({
            "width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": true
        });
        driver
            .cdp()
            .send_raw("Emulation.setDeviceMetricsOverride", metrics)
            .await
            .expect("phone viewport");
        // The browser is closed even when an assertion in the flow fails.
        let result = AssertUnwindSafe(flow(&driver, &app, &fx))
            .catch_unwind()
            .await;
        driver.quit().await.expect("quit");
        let hash = match result {
            Ok(r) => r.expect("phone flow"),
            Err(panic) => std::panic::resume_unwind(panic),
        };
        let stored = stored_ballots(&app, &fx.election);
        assert_eq!(stored.len(), 1);
        assert_eq!(stored[0].ballot_hash, hash);
        assert_eq!(counts(&app, &fx.election), (1, 1));
    });
});

/// Fails when the page is wider than the phone (the reader would have to scroll sideways).
/// Read as DOM properties through the driver: the page runs no script of its own.
async fn fits_the_phone(driver: &WebDriver, what: &str) -> WebDriverResult<()> {
    let root = driver.find(By::Tag("html")).await?;
    let px = |v: Option<String>| v.and_then(|s| s.parse::<i64>().ok()).unwrap_or(-1);
    let scroll = px(root.prop("scrollWidth").await?);
    let client = px(root.prop("clientWidth").await?);
    assert_eq!(client, 390, "phone viewport");
    assert!(
        scroll <= client,
        "{what} is {scroll} px wide on a {client} px phone"
    );
    Ok(())
}

/// The delegate's flow; returns the tracker read on the receipt page.
async fn flow(driver: &WebDriver, app: &TestApp, fx: &fixture::Fixture) -> WebDriverResult<String> {
    let card = fx.card(1);
    driver
        .goto(format!("{}/t/{}", app.state.public_url, card.token))
        .await?;
    // The QR link opens a page with one button (a link preview logs nobody in); no script.
    arrive(driver, "/t/").await?;
    fits_the_phone(driver, "the card page").await?;
    let dir = screenshot_dir();
    driver.screenshot(&dir.join("phone-card-link.png")).await?;
    driver
        .find(By::Css("form[action^='/t/'] button[type='submit']"))
        .await?
        .click()
        .await?;
    arrive(driver, "/v").await?;
    let home = driver.source().await?;
    assert!(home.contains(&card.delegate.student.name));
    assert!(home.contains("已签到"));
    // The card's record: checked in at the desk, then this phone's login.
    assert!(home.contains("由会务人员 zuzhi 签到"), "{home}");
    fits_the_phone(driver, "the home page").await?;
    driver.screenshot(&dir.join("phone-home.png")).await?;
    driver
        .goto(format!("{}/v/card", app.state.public_url))
        .await?;
    arrive(driver, "/v/card").await?;
    fits_the_phone(driver, "the card record").await?;
    driver
        .screenshot(&dir.join("phone-card-record.png"))
        .await?;
    driver.goto(format!("{}/v", app.state.public_url)).await?;
    arrive(driver, "/v").await?;

    driver
        .find(By::Css(format!("a[href='/v/{}']", fx.election)))
        .await?
        .click()
        .await?;
    arrive(driver, &format!("/v/{}", fx.election)).await?;
    let marks = ["for", "for", "against", "for", "abstain", "for", "for"];
    for (id, mark) in fx.candidates.iter().zip(marks) {
        let input = format!("//input[@name='m.{id}' and @value='{mark}']");
        driver
            .find(By::XPath(format!("{input}/parent::label")))
            .await?
            .click()
            .await?;
        assert!(
            driver.find(By::XPath(input)).await?.is_selected().await?,
            "tapping the label marks {mark}"
        );
    }
    fits_the_phone(driver, "the ballot").await?;
    driver.screenshot(&dir.join("phone-ballot.png")).await?;

    driver
        .find(By::XPath("//button[contains(., '核对选票')]"))
        .await?
        .click()
        .await?;
    arrive(driver, &format!("/v/{}/review", fx.election)).await?;
    let review = driver.source().await?;
    assert!(review.contains("核对选票"));
    assert!(
        !review.contains("废票"),
        "five for-marks in a five-seat election are valid"
    );
    fits_the_phone(driver, "the review").await?;
    driver
        .find(By::XPath("//button[contains(., '确认投票')]"))
        .await?
        .click()
        .await?;
    let prefix = format!("/r/{}/", fx.election);
    let path = arrive(driver, &prefix).await?;
    let tracker = driver.find(By::Css("p.tracker")).await?.text().await?;
    assert_eq!(tracker.trim(), &path[prefix.len()..]);
    fits_the_phone(driver, "the receipt").await?;
    driver.screenshot(&dir.join("phone-receipt.png")).await?;
    println!("screenshots: {}", dir.display());
    Ok(tracker.trim().to_string())
}
