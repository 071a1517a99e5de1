//! The searchable desk lists (issue 14.9) in headless Chromium: the attendance page and the
//! roster page, unfiltered, filtered and with nothing found, at 390 and 1366 px; each fails on
//! horizontal overflow and is saved as `<target>/screenshots/desk-<page>-<width>.png`. The
//! search form is submitted by the browser itself (a GET form, no script needed).

use std::time::{Duration, Instant};

use thirtyfour::prelude::*;

use super::*;
use crate::common::browser::{self, fits_and_shoot, page_fits};
use crate::common::Kind;

/// Waits (up to 15 s) until the browser's URL has a query string and its page has loaded.
async fn with_query(d: &WebDriver) -> WebDriverResult<String> {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let url = d.current_url().await?;
        if let Some(q) = url.query() {
            if d.find(By::Tag("main")).await.is_ok() {
                return Ok(q.to_string());
            }
        }
        assert!(Instant::now() < deadline, "the search form never submitted");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

test!(desk_lists_fit_every_screen, browser);
fn desk_lists_fit_every_screen() {
    let tools = browser::tools("desk_lists_fit_every_screen");
    let app = TestApp::start(Kind::Sqlite, "desk_lists");
    let fx = fixture::for_app(&app, 60);
    let cid = fx.congress_id.clone();
    block_on(async {
        let staff = organiser(&app).await;
        for no in [1, 2, 7] {
            desk_check_in(&staff, &cid, no).await;
        }
    });
    // Scripts off: the search form works without them.
    browser::logged_in(
        &tools,
        false,
        &app.url("/login"),
        fixture::ORGANISER,
        fixture::ORGANISER_PASSWORD,
        async |d| {
            for (w, h) in [(1366, 900), (390, 844)] {
                let attendance = app.url(&format!("/c/{cid}/attendance"));
                page_fits(d, &attendance, "desk-attendance", w, h).await?;
                // The browser submits the form: college and status chosen, no script.
                d.find(By::Css("select[name='college'] option[value='文学院']"))
                    .await?
                    .click()
                    .await?;
                d.find(By::Css("select[name='status'] option[value='present']"))
                    .await?
                    .click()
                    .await?;
                d.find(By::Css("form.search button[type='submit']"))
                    .await?
                    .click()
                    .await?;
                // The same path: wait for the query the form put in the URL.
                let query = with_query(d).await?;
                assert_eq!(
                    query,
                    "q=&college=%E6%96%87%E5%AD%A6%E9%99%A2&status=present"
                );
                let text = d.find(By::Tag("main")).await?.text().await?;
                // Of 1, 2 and 7 (students 0, 1, 6) only 1 is in 文学院 (student i: college i % 4).
                assert!(text.contains("符合条件的代表 1 名(共 60 名)"), "{text}");
                fits_and_shoot(d, "desk-attendance-filtered", w).await?;
                let nobody = app.url(&format!(
                    "/c/{cid}/attendance?q=%E6%97%A0%E6%AD%A4%E4%BA%BA#delegates"
                ));
                page_fits(d, &nobody, "desk-attendance-empty", w, h).await?;
                let roster = app.url(&format!("/c/{cid}/roster"));
                page_fits(d, &roster, "desk-roster", w, h).await?;
                let q = app.url(&format!(
                    "/c/{cid}/roster?q=%E7%8E%8B&status=elected#delegates"
                ));
                page_fits(d, &q, "desk-roster-filtered", w, h).await?;
            }
            Ok(())
        },
    );
}
