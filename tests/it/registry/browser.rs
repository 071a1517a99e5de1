//! Screenshots of the province table (`<target>/screenshots/registry-table-1366.png` and
//! `-390.png`) with three schools: late, pending, and one with failures in red; the table
//! scrolls sideways on a phone instead of squeezing its columns.

use congress::registry::synth::Spec;
use congress::storage::repo::users::Role;
use thirtyfour::prelude::*;

use super::block_on;
use super::harness::{api_file, congress, congress_with, days_ago, Registry};
use crate::common::browser::{capabilities, log_in, screenshot_dir, tools, Chromedriver};
use crate::common::Kind;

async fn shots() {
    let (chromium, driver_bin) = tools("registry_table_screenshots");
    let r = Registry::start(Kind::Sqlite, "registry_screens");
    let schools = [
        ("10001", "甲城大学"),
        ("10002", "乙镇学院"),
        ("10003", "丙县大学"),
        ("10004", "丁乡职业技术学院"),
    ];
    for (code, name) in schools {
        r.school(code, name);
    }
    let office_pw = r.account("tuanshengwei", Role::Office, None);
    let token = r.token("tuanshengwei");
    // All in this year: 10 days ago at most, unless today is in early January.
    let (s1, _) = api_file(
        &r,
        &token,
        "10001",
        congress("甲城大学", "jc", 9, 1).zip().unwrap(),
    )
    .await;
    let mut spec = Spec::new("丙县大学", "bx", &days_ago(4), 240, 3);
    spec.ordinary_pct = 55;
    spec.approval = false;
    let (s3, _) = api_file(&r, &token, "10003", congress_with(spec).zip().unwrap()).await;
    // 丁乡: its previous congress was 25 months before this one (the interval in red).
    let (s0, _) = api_file(
        &r,
        &token,
        "10004",
        congress("丁乡职业技术学院", "dx0", 2 + 25 * 31, 5)
            .zip()
            .unwrap(),
    )
    .await;
    let (s4, _) = api_file(
        &r,
        &token,
        "10004",
        congress("丁乡职业技术学院", "dx", 2, 4).zip().unwrap(),
    )
    .await;
    // 乙镇: filed 40 days after its congress (late).
    let (s2, _) = api_file(
        &r,
        &token,
        "10002",
        congress("乙镇学院", "yz", 40, 2).zip().unwrap(),
    )
    .await;
    assert_eq!((s0, s1, s2, s3, s4), (201, 201, 201, 201, 201));
    let year = &days_ago(4)[..4];

    let driver_proc = Chromedriver::start(&driver_bin);
    let dir = screenshot_dir();
    let driver = WebDriver::new(&driver_proc.url, capabilities(&chromium, 1366, 768, false))
        .await
        .expect("browser");
    log_in(&driver, &r.url("/login"), "tuanshengwei", &office_pw)
        .await
        .unwrap();
    let table = r.url(&format!("/registry/table?year={year}"));
    for width in [1366i64, 390] {
        if width == 390 {
            // A headless window is at least 500 px wide: the phone's viewport is set through
            // DevTools, as the other phone screenshots do.
            let metrics = serde_json::json!({
                "width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": true
            });
            driver
                .cdp()
                .send_raw("Emulation.setDeviceMetricsOverride", metrics)
                .await
                .unwrap();
        }
        driver.goto(&table).await.unwrap();
        let red = driver
            .find_all(By::Css("table.province td.fail"))
            .await
            .unwrap();
        assert!(red.len() >= 2, "failures in red: {}", red.len());
        let title = driver
            .find(By::Tag("h1"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(title, format!("{year} 年学代会备案情况"));
        let png = driver.screenshot_as_png().await.unwrap();
        std::fs::write(dir.join(format!("registry-table-{width}.png")), png).unwrap();
        // The table scrolls inside its box; the page is no wider than the screen.
        let root = driver.find(By::Tag("html")).await.unwrap();
        let px = |v: Option<String>| v.and_then(|s| s.parse::<i64>().ok()).unwrap_or(-1);
        let scroll = px(root.prop("scrollWidth").await.unwrap());
        let client = px(root.prop("clientWidth").await.unwrap());
        assert!(
            client <= width && client >= width - 20,
            "viewport {client} at {width}"
        );
        assert!(
            scroll <= client,
            "page {scroll} px wide on a {client} px screen"
        );
        // A filing's page (its self-assessment form) and a school's page (upload forms,
        // filings, keys), for looking at.
        let other = if width == 1366 {
            let link = driver.find(By::LinkText("丙县大学")).await.unwrap();
            link.attr("href").await.unwrap().unwrap()
        } else {
            "/registry/schools/10004".to_string()
        };
        driver.goto(r.url(&other)).await.unwrap();
        let name = if width == 1366 { "filing" } else { "school" };
        if width == 1366 {
            let t = driver.find(By::Css("table.indicators")).await.unwrap();
            t.scroll_into_view().await.unwrap();
            assert!(!driver
                .find_all(By::Css("table.indicators tr.fail"))
                .await
                .unwrap()
                .is_empty());
        }
        let png = driver.screenshot_as_png().await.unwrap();
        std::fs::write(dir.join(format!("registry-{name}-{width}.png")), png).unwrap();
        driver.goto(&table).await.unwrap();
        if width == 1366 {
            // On a desktop every column is in view without scrolling.
            let cells = driver
                .find_all(By::Css("table.province thead th"))
                .await
                .unwrap();
            let last = cells.last().unwrap().rect().await.unwrap();
            assert!(
                last.x + last.width <= client as f64,
                "the last column ends at {}",
                last.x + last.width
            );
        }
    }
    driver.quit().await.unwrap();
}

test!(province_table_screenshots, browser);
fn province_table_screenshots() {
    block_on(shots());
}
