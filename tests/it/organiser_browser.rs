//! The organiser's roster workflow in a real browser (headless Chromium): log in, create a
//! congress, upload the sample school as GBK files (as Excel on a Chinese Windows saves them),
//! generate the roster, read the validation report, freeze. A screenshot of the report page is
//! saved as `<target dir>/screenshots/roster-report.png`.

use crate::common;
use congress::domain::ids::CongressId;

use std::panic::AssertUnwindSafe;

use common::browser::{self, arrive, log_in, screenshot_dir, Chromedriver};
use common::http::TestApp;
use common::Kind;
use congress::storage::repo::congress as congress_repo;
use congress::storage::repo::users::Role;
use futures_util::FutureExt;
use thirtyfour::prelude::*;

fn fixture(name: &str) -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The sample societies file converted to GBK, in the test's directory.
fn societies_gbk(dir: &std::path::Path) -> std::path::PathBuf {
    let utf8 = std::fs::read_to_string(
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("templates/sample/societies.csv"),
    )
    .expect("sample societies");
    let text = utf8.trim_start_matches('\u{feff}').replace('\n', "\r\n");
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable);
    let path = dir.join("学生社团.csv");
    std::fs::write(&path, bytes).expect("write gbk");
    path
}

async fn flow(driver: &WebDriver, app: &TestApp, password: &str) -> WebDriverResult<String> {
    log_in(driver, &app.url("/login"), "tuanwei", password).await?;

    driver.goto(app.url("/congresses/new")).await?;
    driver
        .find(By::Id("name"))
        .await?
        .send_keys("示范大学第十次学生代表大会")
        .await?;
    driver
        .find(By::Id("school"))
        .await?
        .send_keys("示范大学")
        .await?;
    driver
        .find(By::Id("session_no"))
        .await?
        .send_keys("10")
        .await?;
    // A date input takes the digits in the browser's locale order; set it directly instead.
    let date = driver.find(By::Id("date")).await?;
    driver
        .execute("arguments[0].value = '2026-12-01';", vec![date.to_json()?])
        .await?;
    driver
        .find(By::Id("place"))
        .await?
        .send_keys("大学生活动中心")
        .await?;
    driver
        .find(By::Css("form[action='/congresses'] button"))
        .await?
        .click()
        .await?;
    let path = arrive(driver, "/c/").await?;
    let cid = path.trim_start_matches("/c/").to_string();

    let dir = tempfile::tempdir().expect("tmp");
    for (kind, file) in [
        ("enrolment", fixture("enrolment.gbk.csv")),
        ("societies", societies_gbk(dir.path())),
        ("nominees", fixture("nominees.gbk.csv")),
    ] {
        driver.goto(app.url(&format!("/c/{cid}/files"))).await?;
        let form = format!("form[action^='/c/{cid}/files/{kind}']");
        driver
            .find(By::Css(format!("{form} input[type=file]")))
            .await?
            .send_keys(file.to_string_lossy())
            .await?;
        let button = driver.find(By::Css(format!("{form} button"))).await?;
        button.click().await?;
        // The answer is the same page: wait for the old one to go before reading it.
        button.wait_until().stale().await?;
        arrive(driver, &format!("/c/{cid}/files")).await?;
        let page = driver.source().await?;
        assert!(
            !page.contains("class=\"flash error\""),
            "{kind} upload failed"
        );
    }

    driver.goto(app.url(&format!("/c/{cid}/roster"))).await?;
    let button = driver
        .find(By::Css(format!(
            "form[action='/c/{cid}/roster/generate'] button"
        )))
        .await?;
    button.click().await?;
    button.wait_until().stale().await?;
    arrive(driver, &format!("/c/{cid}/roster")).await?;
    let report = driver.source().await?;
    assert!(report.contains("计算机学院"), "report lists the colleges");
    assert!(report.contains("替补"), "the substitutions are explained");
    driver
        .screenshot(&screenshot_dir().join("roster-report.png"))
        .await?;

    let button = driver
        .find(By::Css(format!(
            "form[action='/c/{cid}/roster/freeze'] button"
        )))
        .await?;
    button.click().await?;
    // `/c/{cid}` is a prefix of the roster page itself: wait for that page to go first.
    button.wait_until().stale().await?;
    arrive(driver, &format!("/c/{cid}")).await?;
    Ok(cid)
}

test!(roster_workflow_in_headless_chromium, browser);
fn roster_workflow_in_headless_chromium() {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(roster_workflow());
}

async fn roster_workflow() {
    let (chromium, driver_bin) = browser::tools("roster_workflow_in_headless_chromium");
    let app = TestApp::start(Kind::Sqlite, "organiser_browser");
    let password = app.create_user("tuanwei", Role::Organiser);
    let chromedriver = Chromedriver::start(&driver_bin);
    let driver = WebDriver::new(
        chromedriver.url.clone(),
        browser::capabilities(&chromium, 1280, 1600, true),
    )
    .await
    .expect("browser session");
    let result = AssertUnwindSafe(flow(&driver, &app, &password))
        .catch_unwind()
        .await;
    driver.quit().await.expect("quit");
    let cid = match result {
        Ok(r) => r.expect("organiser flow"),
        Err(panic) => std::panic::resume_unwind(panic),
    };
    let mut conn = app.db.db.conn().expect("conn");
    let congress = congress_repo::get(&mut conn, &CongressId::from(&cid))
        .expect("load")
        .expect("congress");
    assert_eq!(congress.state.as_str(), "roster_frozen");
    let delegates = congress::storage::repo::roster::delegates(&mut conn, &CongressId::from(&cid))
        .expect("roster");
    assert_eq!(delegates.len(), 164);
}
