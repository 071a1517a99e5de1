//! The public 公示 page on a phone (360 and 390 px) and a desktop (1366 px) in headless
//! Chromium: no sideways scrolling, saved as `<target>/screenshots/notice-*.png`; and its
//! weight on the wire (under 20 KB, docs/pages.md).

use std::panic::AssertUnwindSafe;

use congress::service::addenda::today_cst;
use futures_util::FutureExt;
use thirtyfour::prelude::*;

use super::fixture::{block_on, World};
use crate::common::browser::{self, page_fits, Chromedriver};
use crate::common::Kind;

test!(notice_page_fits_a_phone, browser);
fn notice_page_fits_a_phone() {
    let (chromium, driver_bin) = browser::tools("notice_page_fits_a_phone");
    let w = World::new(Kind::Sqlite, "approval_notice_browser");
    let chromedriver = Chromedriver::start(&driver_bin);
    block_on(async {
        let today = today_cst().to_string();
        w.approve_and_request(&today).await;
        for (name, grade, post, profile) in [
            (
                "王芳",
                "2023级",
                "校学生会副主席",
                "曾任文学院学生会主席, 组织“书香校园”读书月, 获校优秀学生干部。",
            ),
            (
                "李强",
                "2022级",
                "文学院学生会主席",
                "牵头“编程马拉松”, 服务同学两百余人次。",
            ),
            (
                "张伟",
                "2023级",
                "",
                "理学院数学系学习委员, 国家奖学金获得者。",
            ),
        ] {
            let r = w
                .org
                .post_form(
                    &format!(
                        "/c/{}/approval/contests/{}/candidates/{}",
                        w.cid,
                        w.election,
                        w.candidate(name)
                    ),
                    &[("grade", grade), ("union_post", post), ("profile", profile)],
                )
                .await;
            assert_eq!(r.status(), 303);
        }
        // The notes changed the list: approve the new one, then the notice.
        w.approve_and_request(&today).await;
        let r = w.step(&[("kind", "notice"), ("date", &today)]).await;
        assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
        let path = format!("/b/{}/notice", w.cid);
        let bytes = reqwest::Client::new()
            .get(w.app.url(&path))
            .header("accept-encoding", "gzip")
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap()
            .len();
        assert!(bytes < 20_000, "the notice page weighs {bytes} bytes");
        let caps = browser::capabilities(&chromium, 1366, 900, false);
        let d = WebDriver::new(chromedriver.url.clone(), caps)
            .await
            .expect("browser session");
        let result = AssertUnwindSafe(async {
            for (width, height) in [(360, 780), (390, 844), (1366, 900)] {
                page_fits(&d, &w.app.url(&path), "notice", width, height).await?;
            }
            let text = d.find(By::Tag("main")).await?.text().await?;
            assert!(
                text.contains("公示中") && text.contains("书香校园"),
                "{text}"
            );
            assert!(d
                .find(By::Css("form select[name=candidate_id]"))
                .await
                .is_ok());
            WebDriverResult::Ok(())
        })
        .catch_unwind()
        .await;
        d.quit().await.expect("quit");
        match result {
            Ok(r) => r.expect("pages"),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    });
}
