//! The confirmation page and the audit ledger in headless Chromium (issue 14.7, 14.10), at
//! 390 and 1366 px: no page scrolls sideways (the ledger scrolls inside its own box on a
//! phone and fits at 1366 px), and names never wrap one character per line (the ledger's and
//! the candidates' tables). Screenshots: `<target>/screenshots/confirm-*.png`.

use thirtyfour::prelude::*;

use super::*;
use crate::common::browser::{self, page_fits};
use crate::common::Kind;

/// Cells of `selector` whose first text wraps: onto a second line at all (`per_line` 0), or
/// with fewer than `per_line` characters a line.
async fn wrapped(d: &WebDriver, selector: &str, per_line: u32) -> WebDriverResult<(i64, String)> {
    let js = format!(
        "const cells = [...document.querySelectorAll({selector:?})];
         const bad = cells.filter(td => {{
           const t = [...td.childNodes].find(n => n.nodeType === 3 && n.textContent.trim());
           if (!t) return false;
           const r = document.createRange(); r.selectNodeContents(t);
           const lines = new Set([...r.getClientRects()].map(x => Math.round(x.top))).size;
           if ({per_line} === 0) return lines > 1;
           return lines > 1 && [...t.textContent.trim()].length / lines < {per_line};
         }});
         return [cells.length, bad.map(td => td.textContent.slice(0, 40)).join(' | ')];"
    );
    let v = d.execute(&js, vec![]).await?.json().clone();
    Ok((
        v[0].as_i64().unwrap_or(-1),
        v[1].as_str().unwrap_or("?").to_string(),
    ))
}

/// (scrollWidth, clientWidth) of the first `selector`.
async fn box_widths(d: &WebDriver, selector: &str) -> WebDriverResult<(i64, i64)> {
    let js = format!(
        "const b = document.querySelector({selector:?}); return [b.scrollWidth, b.clientWidth];"
    );
    let v = d.execute(&js, vec![]).await?.json().clone();
    Ok((v[0].as_i64().unwrap_or(-1), v[1].as_i64().unwrap_or(-1)))
}

test!(confirmation_and_ledger_fit_every_screen, browser);
fn confirmation_and_ledger_fit_every_screen() {
    let tools = browser::tools("confirmation_and_ledger_fit_every_screen");
    let app = TestApp::start(Kind::Sqlite, "confirm_browser");
    let fx = fixture::for_app(&app, 12);
    let (cid, kid) = (fx.congress_id.clone(), fx.election.clone());
    block_on(async {
        let (_, phones) = super::ballots::with_voters(&app, &fx, 12).await;
        for p in &phones {
            p.take_paper(&cid, &kid).await;
        }
    });
    browser::logged_in(
        &tools,
        false,
        &app.url("/login"),
        fixture::ORGANISER,
        fixture::ORGANISER_PASSWORD,
        async |d: &WebDriver| {
            let close = app.url(&format!("/c/{cid}/confirm/contest-close?contest={kid}"));
            let audit = app.url(&format!("/c/{cid}/audit"));
            let contest = app.url(&format!("/c/{cid}/contests/{kid}"));
            for (w, h) in [(390, 844), (1366, 900)] {
                page_fits(d, &close, "confirm-contest-close", w, h).await?;
                let text = d.find(By::Css("section.confirm")).await?.text().await?;
                assert!(text.contains("12 张已发出的选票尚未收回"), "{text}");
                d.find(By::Css("section.confirm button[type=submit]"))
                    .await?;

                page_fits(d, &audit, "confirm-audit-ledger", w, h).await?;
                let (scroll, client) = box_widths(d, ".audit-box").await?;
                if w < 600 {
                    assert!(scroll > client, "the ledger scrolls in its box at {w} px");
                } else {
                    assert!(
                        scroll <= client,
                        "the ledger fits at {w} px: {scroll} > {client}"
                    );
                }
                let (n, bad) = wrapped(d, "table.audit td.nw, table.audit td.op", 0).await?;
                assert!(n > 20, "{n} cells");
                assert_eq!(bad, "", "ledger cells wrapped at {w} px");
                let (n, bad) =
                    wrapped(d, "table.audit td.object, table.audit td.details", 4).await?;
                assert!(n > 20);
                assert_eq!(bad, "", "objects wrapped at {w} px");

                // The global log adds a 大会 column: it fits too.
                page_fits(d, &app.url("/audit"), "confirm-audit-global", w, h).await?;
                let (scroll, client) = box_widths(d, ".audit-box").await?;
                if w >= 600 {
                    assert!(
                        scroll <= client,
                        "the global log fits at {w} px: {scroll} > {client}"
                    );
                }
                let (_, bad) = wrapped(d, "table.audit td.nw, table.audit td.op", 0).await?;
                assert_eq!(bad, "", "global log cells wrapped at {w} px");
                let (_, bad) = wrapped(d, "table.audit td.congress", 4).await?;
                assert_eq!(bad, "", "congress names squeezed at {w} px");

                page_fits(d, &contest, "confirm-candidates", w, h).await?;
                let (n, bad) = wrapped(d, "table.candidates td.nw", 0).await?;
                assert_eq!(n, 7 * 6, "seven candidates, six cells each");
                assert_eq!(bad, "", "candidate names wrapped at {w} px");
                let (_, bad) = wrapped(d, "table.candidates td.why", 6).await?;
                assert_eq!(bad, "", "the ordering notes squeezed at {w} px");
                d.execute(
                    "document.querySelector('table.candidates').scrollIntoView();",
                    vec![],
                )
                .await?;
                let shot =
                    browser::screenshot_dir().join(format!("confirm-candidates-table-{w}.png"));
                d.screenshot(&shot).await?;
            }
            Ok(())
        },
    );
}
