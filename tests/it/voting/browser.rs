//! The phone pages themselves: small (each page with its stylesheet and scripts under 20 KB on
//! the wire, gzip as served), no inline script, and the whole flow in headless Chromium in a
//! 390x844 window with JavaScript on: open the card's QR link, land on the waiting page, whose
//! script takes the ballot paper by itself; open the ballot at the box, tap the labels,
//! review, confirm, read the tracker; the receipt is kept in `localStorage` and listed on the
//! waiting page; the browser never holds the session cookie for `/box`. Without JavaScript the
//! waiting page says to ask for a paper ballot, and no paper is taken. Screenshots go to
//! `<target dir>/screenshots/`.
//!
//! Chromium and chromedriver are looked for at /usr/bin (or `$CHROMIUM`, `$CHROMEDRIVER`);
//! without them the browser tests say they were NOT run, and fail under `CI=true`.

use std::panic::AssertUnwindSafe;
use std::time::{Duration, Instant};

use futures_util::FutureExt;
use thirtyfour::prelude::*;

use super::phone::{self, Phone};
use super::*;
use crate::common::browser::{self, arrive, screenshot_dir, Chromedriver};
use crate::common::Kind;

/// The largest phone page allowed on the wire: HTML, stylesheet and scripts, as served.
const MAX_WIRE_BYTES: usize = 20 * 1024;

/// Bytes of `path` on the wire (the client asks for gzip and does not decode it).
async fn wire(base: &str, path: &str, cookie: Option<&str>) -> usize {
    let mut r = reqwest::Client::new()
        .get(format!("{base}{path}"))
        .header("accept-encoding", "gzip");
    if let Some(c) = cookie {
        r = r.header("cookie", c);
    }
    let r = r.send().await.expect("GET");
    assert_eq!(r.status(), 200, "{path}");
    r.bytes().await.expect("body").len()
}

/// Checks a phone page's HTML: no inline script or handler; returns its wire size plus the
/// stylesheet's and scripts' it loads.
async fn phone_page(
    app: &TestApp,
    what: &str,
    path: &str,
    html: &str,
    cookie: Option<&str>,
) -> usize {
    let lower = html.to_lowercase();
    for (i, _) in lower.match_indices("<script") {
        let tag = &lower[i..i + lower[i..].find('>').unwrap_or(0)];
        assert!(
            tag.contains(" src=\"/static/"),
            "{what}: inline script {tag}"
        );
        assert!(
            lower[i..].starts_with(&format!("{tag}></script>")),
            "{what}: script body"
        );
    }
    for handler in [
        " onclick=",
        " onload=",
        " onsubmit=",
        " onchange=",
        "javascript:",
    ] {
        assert!(!lower.contains(handler), "{what} uses {handler}");
    }
    let mut total =
        wire(&app.base, path, cookie).await + wire(&app.base, "/static/app.css", None).await;
    if lower.contains("<script") {
        total += wire(&app.base, "/static/paper.js", None).await;
        total += wire(&app.base, "/static/vote.js", None).await;
    }
    assert!(total < MAX_WIRE_BYTES, "{what}: {total} bytes on the wire");
    total
}

both_backends!(phone_pages_are_small, |kind: Kind| {
    let app = TestApp::start(kind, "phone_pages");
    let fx = fixture::for_app(&app, 6);
    let (cid, kid) = (fx.congress_id.clone(), fx.election.clone());
    block_on(async {
        let staff = organiser(&app).await;
        let p = Phone::new(&app.base);
        let mut sizes = Vec::new();
        let code = p.get("/login/code").await;
        sizes.push((
            "/login/code",
            phone_page(&app, "code", "/login/code", &code.body, None).await,
        ));
        let card_path = format!("/t/{}", fx.card(1).token);
        let card_page = p.preview_card(&fx.card(1).token).await;
        sizes.push((
            "/t/<token>",
            phone_page(&app, "card page", &card_path, &card_page.body, None).await,
        ));
        let login = p.open_card(&fx.card(1).token).await;
        let cookie = login
            .cookies
            .iter()
            .find(|c| c.starts_with("congress_vote="))
            .and_then(|c| c.split(';').next())
            .expect("session cookie")
            .to_string();
        let record = p.get("/v/card").await;
        assert_eq!(record.status, 200);
        sizes.push((
            "/v/card",
            phone_page(&app, "card record", "/v/card", &record.body, Some(&cookie)).await,
        ));
        for no in 2..=5 {
            desk_check_in(&staff, &cid, no).await;
        }
        assert_eq!(open_contest(&staff, &cid, &kid).await.0, 303);
        let home = p.get("/v").await;
        sizes.push((
            "/v",
            phone_page(&app, "home", "/v", &home.body, Some(&cookie)).await,
        ));
        let path = format!("/box/{cid}/{kid}");
        let ballot = p.ballot(&cid, &kid).await;
        sizes.push((
            "ballot",
            phone_page(&app, "ballot", &path, &ballot.body, None).await,
        ));
        let paper = p.take_paper(&cid, &kid).await;
        let m = phone::marks(&fx.candidates, &["for"; 7]);
        let review = p.review(&cid, &kid, &m).await;
        assert!(review.body.contains("废票"));
        assert!(
            review.body.len() < MAX_WIRE_BYTES,
            "review: {}",
            review.body.len()
        );
        sizes.push(("review (invalid, HTML)", review.body.len()));
        let m = phone::marks(
            &fx.candidates,
            &["for", "for", "against", "abstain", "for", "against", "for"],
        );
        let r = p.cast(&cid, &kid, &paper, &m).await;
        let at = r.location.clone().expect("receipt");
        let receipt = p.get(&at).await;
        sizes.push((
            "receipt",
            phone_page(&app, "receipt", &at, &receipt.body, None).await,
        ));
        println!("phone page sizes on the wire ({kind:?}): {sizes:?}");
    });
});

both_backends!(phone_flow_in_headless_chromium, browser, |kind: Kind| {
    let (chromium, driver_bin) = browser::tools("phone_flow_in_headless_chromium");
    let app = TestApp::start(kind, "browser");
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
        let caps = browser::capabilities(&chromium, 390, 844, true);
        let driver = WebDriver::new(chromedriver.url.clone(), caps)
            .await
            .expect("browser session");
        phone_viewport(&driver).await;
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

        // Without JavaScript: the waiting page says to ask for a paper ballot; no paper.
        let caps = browser::capabilities(&chromium, 390, 844, false);
        let driver = WebDriver::new(chromedriver.url.clone(), caps)
            .await
            .expect("browser session");
        phone_viewport(&driver).await;
        let result = AssertUnwindSafe(no_script(&driver, &app, &fx))
            .catch_unwind()
            .await;
        driver.quit().await.expect("quit");
        if let Err(panic) = result {
            std::panic::resume_unwind(panic);
        }
        assert_eq!(
            counts(&app, &fx.election),
            (1, 1),
            "no paper without script"
        );
    });
});

/// A headless window is at least 500 px wide: the phone's 390 px viewport is set through
/// DevTools.
async fn phone_viewport(driver: &WebDriver) {
    let metrics = serde_json::json!({
        "width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": true
    });
    driver
        .cdp()
        .send_raw("Emulation.setDeviceMetricsOverride", metrics)
        .await
        .expect("phone viewport");
}

/// Fails when the page is wider than the phone (the reader would have to scroll sideways).
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

/// The delegate's flow; returns the tracker read on the receipt page.
async fn flow(driver: &WebDriver, app: &TestApp, fx: &fixture::Fixture) -> WebDriverResult<String> {
    let card = fx.card(1);
    let (cid, kid) = (&fx.congress_id, &fx.election);
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

    // The script takes the paper by itself and then offers "去投票".
    let go = shown(driver, &format!("a.vote[href='/box/{cid}/{kid}']")).await?;
    assert_eq!(counts(app, kid), (0, 1), "the paper is on the roll");
    let stored: serde_json::Value = driver
        .execute(
            &format!("return JSON.parse(localStorage.getItem('congress:paper:{cid}:{kid}'));"),
            vec![],
        )
        .await?
        .json()
        .clone();
    assert_eq!(
        stored["token"].as_str().map(str::len),
        Some(128),
        "{stored}"
    );
    assert!(
        stored["sig"].as_str().is_some_and(|s| s.len() == 344),
        "{stored}"
    );
    fits_the_phone(driver, "the waiting page").await?;
    let dir = screenshot_dir();
    driver.screenshot(&dir.join("phone-waiting.png")).await?;
    go.click().await?;
    arrive(driver, &format!("/box/{cid}/{kid}")).await?;
    // The session cookie is not the box's: the browser holds it for /v only.
    let cookies = driver
        .cdp()
        .send_raw(
            "Network.getCookies",
            serde_json::json!({ "urls": [format!("{}/box/{cid}/{kid}/cast", app.state.public_url)] }),
        )
        .await
        .expect("cookies");
    assert!(
        !cookies.to_string().contains("congress_vote"),
        "the session would be sent to the box: {cookies}"
    );
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
    arrive(driver, &format!("/box/{cid}/{kid}/review")).await?;
    let review = driver.source().await?;
    assert!(review.contains("核对选票"));
    assert!(
        !review.contains("将作为废票"),
        "five for-marks in a five-seat election are valid"
    );
    fits_the_phone(driver, "the review").await?;
    driver
        .find(By::XPath("//button[contains(., '确认投票')]"))
        .await?
        .click()
        .await?;
    let prefix = format!("/r/{kid}/");
    let path = arrive(driver, &prefix).await?;
    let tracker = driver.find(By::Css("p.tracker")).await?.text().await?;
    assert_eq!(tracker.trim(), &path[prefix.len()..]);
    fits_the_phone(driver, "the receipt").await?;
    driver.screenshot(&dir.join("phone-receipt.png")).await?;
    // Kept in localStorage, listed on the waiting page.
    driver.goto(format!("{}/v", app.state.public_url)).await?;
    arrive(driver, "/v").await?;
    let listed = shown(driver, "#receipts a").await?;
    assert_eq!(
        listed.attr("href").await?.as_deref(),
        Some(format!("/r/{kid}/{}", tracker.trim()).as_str())
    );
    shown(driver, "#mine").await?;
    driver.screenshot(&dir.join("phone-voted.png")).await?;
    println!("screenshots: {}", dir.display());
    Ok(tracker.trim().to_string())
}

/// Delegate 2 without JavaScript: told to ask for a paper ballot.
async fn no_script(
    driver: &WebDriver,
    app: &TestApp,
    fx: &fixture::Fixture,
) -> WebDriverResult<()> {
    driver
        .goto(format!("{}/t/{}", app.state.public_url, fx.card(2).token))
        .await?;
    // The card page's button is a plain form: it logs in without script.
    arrive(driver, "/t/").await?;
    driver
        .find(By::Css("form[action^='/t/'] button[type='submit']"))
        .await?
        .click()
        .await?;
    arrive(driver, "/v").await?;
    let text = driver.find(By::Tag("main")).await?.text().await?;
    assert!(text.contains("请向监票人领取纸质选票"), "{text}");
    fits_the_phone(driver, "the waiting page without script").await?;
    driver
        .screenshot(&screenshot_dir().join("phone-no-script.png"))
        .await?;
    Ok(())
}
