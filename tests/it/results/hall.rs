//! The hall's public pages in headless Chromium (issue 14): the projector at 1920x1080, 1366
//! and 390 px, the board, a contest's board and the tracker check at 390 and 1366 px. Each
//! fails on horizontal overflow (`document.scrollingElement.scrollWidth > innerWidth`) and is
//! saved under `<target>/screenshots/hall-*.png`. Also: the pages' bytes on the wire.

use std::panic::AssertUnwindSafe;

use futures_util::FutureExt;
use thirtyfour::prelude::*;

use super::block_on;
use super::fixture::counted;
use crate::common::browser::{self, page_fits, Chromedriver};
use crate::common::Kind;

/// Bytes of `path` on the wire (gzip asked for, not decoded).
async fn wire(base: &str, path: &str) -> usize {
    let r = reqwest::Client::new()
        .get(format!("{base}{path}"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .expect("GET");
    assert_eq!(r.status(), 200, "{path}");
    r.bytes().await.expect("body").len()
}

test!(hall_public_pages_fit_every_screen, browser);
fn hall_public_pages_fit_every_screen() {
    let (chromium, driver_bin) = browser::tools("hall_public_pages_fit_every_screen");
    let w = counted(Kind::Sqlite, "hall_public");
    let chromedriver = Chromedriver::start(&driver_bin);
    let (cid, kid) = (w.cid.clone(), w.election.clone());
    let tracker = w.election_trackers[0].clone();
    let pages: Vec<(&str, String)> = vec![
        ("hall-board", format!("/b/{cid}")),
        ("hall-board-contest", format!("/b/{cid}/{kid}")),
        ("hall-check", format!("/b/{cid}/check")),
        ("hall-check-found", format!("/b/{cid}/check?hash={tracker}")),
        ("hall-result", format!("/b/{cid}/{kid}/result")),
    ];
    block_on(async {
        let caps = browser::capabilities(&chromium, 1366, 900, true);
        let d = WebDriver::new(chromedriver.url.clone(), caps)
            .await
            .expect("browser session");
        let result = AssertUnwindSafe(async {
            let screen = w.app.url(&format!("/b/{cid}/screen"));
            page_fits(&d, &screen, "hall-projector", 1920, 1080).await?;
            let text = d.find(By::Tag("main")).await?.text().await?;
            // Voting has begun: the count is one line, the contests fill the screen.
            assert!(
                text.contains("实到 10 / 应到 12") && text.contains("已达到"),
                "{text}"
            );
            // Five candidates, a tie and its note, a motion and the runoff still to come fit
            // one 1080p screen: a projector cannot be scrolled from the back of the hall.
            let tall = d
                .execute(
                    "return document.scrollingElement.scrollHeight - window.innerHeight;",
                    vec![],
                )
                .await?
                .json()
                .as_i64()
                .unwrap_or(i64::MAX);
            assert!(tall <= 0, "the projector scrolls {tall} px at 1920x1080");
            assert!(text.contains("接下来: 3."), "{text}");
            let mut elected = Vec::new();
            for li in d.find_all(By::Css("ol.bars li.elected .name")).await? {
                elected.push(li.text().await?);
            }
            assert_eq!(elected, ["王芳", "李强"], "{text}");
            assert_eq!(d.find_all(By::Css("li.elected .won")).await?.len(), 2);
            // No site navigation on the projector.
            assert!(d.find(By::Css("header")).await.is_err());
            page_fits(&d, &screen, "hall-projector", 1366, 768).await?;
            page_fits(&d, &screen, "hall-projector", 390, 844).await?;
            for (name, path) in &pages {
                for (width, height) in [(390, 844), (1366, 900)] {
                    page_fits(&d, &w.app.url(path), name, width, height).await?;
                }
            }
            WebDriverResult::Ok(())
        })
        .catch_unwind()
        .await;
        d.quit().await.expect("quit");
        match result {
            Ok(r) => r.expect("pages"),
            Err(panic) => std::panic::resume_unwind(panic),
        }
        let css = wire(&w.app.base, "/static/app.css").await;
        let mut sizes = vec![("app.css".to_string(), css)];
        for (name, path) in &pages {
            sizes.push((name.to_string(), wire(&w.app.base, path).await));
        }
        sizes.push((
            "hall-projector".into(),
            wire(&w.app.base, &format!("/b/{cid}/screen")).await,
        ));
        sizes.push((
            "screen.js".into(),
            wire(&w.app.base, "/static/screen.js").await,
        ));
        println!("public page sizes on the wire (gzip, bytes): {sizes:?}");
    });
}
