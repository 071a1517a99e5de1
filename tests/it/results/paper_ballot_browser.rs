//! The printable paper ballot in headless Chromium: on screen at 1366 and 390 px (no sideways
//! scroll; `target/screenshots/paper-ballot-*.png`) and printed with its print CSS to A4
//! (`Page.printToPDF`, the page size from `@page`): the 5-candidate election fits one sheet
//! (`target/screenshots/paper-ballot.pdf`).

use base64::Engine;
use thirtyfour::prelude::*;

use super::fixture::voted;
use crate::common::browser::{fits_and_shoot, logged_in, screenshot_dir, tools, viewport};
use crate::common::Kind;

test!(the_paper_ballot_prints_on_one_a4_sheet, browser);
fn the_paper_ballot_prints_on_one_a4_sheet() {
    let t = tools("the_paper_ballot_prints_on_one_a4_sheet");
    let w = voted(Kind::Sqlite, "paper_ballot_browser");
    let login = w.app.url("/login");
    let url = w.app.url(&format!(
        "/c/{}/contests/{}/paper-ballot",
        w.cid, w.election
    ));
    let motion = w
        .app
        .url(&format!("/c/{}/contests/{}/paper-ballot", w.cid, w.motion));
    logged_in(
        &t,
        false,
        &login,
        "zuzhi",
        "pw-zuzhi-0123456789",
        async |d: &WebDriver| {
            for (page, name) in [(&url, "paper-ballot"), (&motion, "paper-ballot-motion")] {
                for (width, height) in [(1366, 900), (390, 844)] {
                    viewport(d, width, height).await?;
                    d.goto(page).await?;
                    d.find(By::Css("body.paper-ballot")).await?;
                    fits_and_shoot(d, name, width).await?;
                }
            }
            viewport(d, 1366, 900).await?;
            d.goto(&url).await?;
            d.find(By::Css("body.paper-ballot")).await?;
            let pdf = d
                .cdp()
                .send_raw(
                    "Page.printToPDF",
                    serde_json::json!({ "preferCSSPageSize": true, "printBackground": false }),
                )
                .await?;
            let data = pdf["data"].as_str().expect("pdf data");
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(data)
                .expect("base64");
            std::fs::write(screenshot_dir().join("paper-ballot.pdf"), &bytes).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            let pages = text.matches("/Type /Page\n").count()
                + text.matches("/Type /Page>").count()
                + text.matches("/Type /Page/").count()
                + text.matches("/Type /Page ").count();
            assert_eq!(pages, 1, "the ballot prints on one sheet");
            // A4 portrait: 595 x 842 points.
            assert!(
                text.contains("/MediaBox [0 0 595") || text.contains("/MediaBox [0 0 594"),
                "A4"
            );
            Ok(())
        },
    );
}
