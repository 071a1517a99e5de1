//! Every main page of the desk and of the public, in headless Chromium at 390 and 1366 px
//! (issue 14, "must show"): each fails on horizontal overflow
//! (`document.scrollingElement.scrollWidth > innerWidth`) and is saved as
//! `<target>/screenshots/every-<page>-<width>.png`. The congress is in session with its
//! election open and papers out, so the voting console, the attendance and the audit ledger
//! carry real rows. Wide tables scroll inside their own boxes; the page itself never does.
//! (The printable sheets, paper ballot and record, have their own tests.)

use thirtyfour::prelude::*;

use super::*;
use crate::common::browser::{self, page_fits};
use crate::common::Kind;

test!(every_main_page_fits_every_screen, browser);
fn every_main_page_fits_every_screen() {
    let tools = browser::tools("every_main_page_fits_every_screen");
    let app = TestApp::start(Kind::Sqlite, "every_page");
    let fx = fixture::for_app(&app, 12);
    let (cid, kid, motion) = (
        fx.congress_id.clone(),
        fx.election.clone(),
        fx.charter.clone(),
    );
    block_on(async {
        let (_, phones) = super::ballots::with_voters(&app, &fx, 12).await;
        for p in &phones {
            p.take_paper(&cid, &kid).await;
        }
    });
    let c = format!("/c/{cid}");
    let pages: Vec<(&str, String)> = vec![
        ("home", "/".into()),
        ("overview", c.clone()),
        ("setup", format!("{c}/setup")),
        ("files", format!("{c}/files")),
        ("quota", format!("{c}/quota")),
        ("roster", format!("{c}/roster")),
        ("scrutineers", format!("{c}/scrutineers")),
        ("contests", format!("{c}/contests")),
        ("contest", format!("{c}/contests/{kid}")),
        ("contest-motion", format!("{c}/contests/{motion}")),
        ("voting", format!("{c}/contests/{kid}/voting")),
        ("approval", format!("{c}/approval")),
        ("credentials", format!("{c}/credentials")),
        ("attendance", format!("{c}/attendance")),
        ("record", format!("{c}/record")),
        ("term", format!("{c}/term")),
        ("audit", format!("{c}/audit")),
        ("audit-all", "/audit".into()),
        ("board", format!("/b/{cid}")),
        ("board-contest", format!("/b/{cid}/{kid}")),
        ("notice", format!("/b/{cid}/notice")),
        ("check", format!("/b/{cid}/check")),
        ("screen", format!("/b/{cid}/screen")),
    ];
    browser::logged_in(
        &tools,
        false,
        &app.url("/login"),
        fixture::ORGANISER,
        fixture::ORGANISER_PASSWORD,
        async |d: &WebDriver| {
            for (name, path) in &pages {
                for (w, h) in [(390, 844), (1366, 900)] {
                    page_fits(d, &app.url(path), &format!("every-{name}"), w, h).await?;
                    // A real page, not an error page standing in for it.
                    let title = d.title().await?;
                    assert!(
                        !title.contains("错误") && !title.contains("未找到"),
                        "{path} at {w} px: {title}"
                    );
                }
            }
            Ok(())
        },
    );
}
