//! The pictures (issue 14.6) over HTTP on both backends, on the certified congress of
//! `fixture` (3 colleges of 400 students and 4 delegates each, one 学生会部长 and two women per
//! college, grades 2023 and 2024; 10 of 12 present, delegates 1-10): each page carries its SVG
//! with the congress's own figures. Then the same pages in headless Chromium at 390 and 1366
//! px, failing on horizontal overflow, saved as `<target>/screenshots/pictures-*.png`.

use thirtyfour::prelude::*;

use super::block_on;
use super::fixture::{certified, COLLEGES};
use crate::common::browser::{self, page_fits};
use crate::common::Kind;

/// The `<svg class="chart…">…</svg>` pictures of `page`, in order.
fn pictures(page: &str) -> Vec<&str> {
    page.match_indices("<svg class=\"chart")
        .map(|(i, _)| {
            let end = page[i..].find("</svg>").expect("closed svg") + i + "</svg>".len();
            &page[i..end]
        })
        .collect()
}

/// Whether `svg` has a `<text>` (or `<title>`'s tail) reading exactly `text`.
fn has(svg: &str, text: &str) -> bool {
    svg.contains(&format!(">{text}</text>"))
}

both_backends!(pages_carry_their_pictures, |kind: Kind| {
    let w = certified(kind, "pictures");
    let cid = w.cid.clone();
    block_on(async {
        let get = |path: String| {
            let org = &w.org;
            async move {
                let (status, page) = org.get_text(&path).await;
                assert_eq!(status, 200, "{path}: {page}");
                page
            }
        };

        // 名额分配: 1% of 400 students is 4, no total set: 4 each, 12 in all.
        let page = get(format!("/c/{cid}/quota")).await;
        let svg = pictures(&page);
        assert_eq!(svg.len(), 1, "{page}");
        let q = svg[0];
        assert!(
            q.contains("role=\"img\"") && q.contains("width=\"100%\""),
            "{q}"
        );
        assert!(
            q.contains("<title>各学院代表名额: 3个学院共12名, 竖线为最低名额(在校生的1%)</title>"),
            "{q}"
        );
        for college in COLLEGES {
            assert!(has(q, college), "{college} {q}");
        }
        assert_eq!(q.matches(">4名 · 最低4</text>").count(), 3, "{q}");

        // 代表名单: per college 3 of 4 ordinary (one 学生会部长), 2 of 4 women, both grades.
        let page = get(format!("/c/{cid}/roster")).await;
        let svg = pictures(&page);
        assert_eq!(svg.len(), 3, "{page}");
        let (ordinary, women, grades) = (svg[0], svg[1], svg[2]);
        assert!(has(ordinary, "60% (B2)"), "{ordinary}");
        assert!(has(ordinary, "9/12 · 75.0%"), "{ordinary}");
        assert_eq!(
            ordinary.matches(">3/4 · 75.0%</text>").count(),
            3,
            "{ordinary}"
        );
        assert!(!ordinary.contains(" 不足</text>"), "{ordinary}");
        assert!(has(women, "30% (B5)"), "{women}");
        assert!(has(women, "6/12 · 50.0%"), "{women}");
        assert_eq!(women.matches(">2/4 · 50.0%</text>").count(), 3, "{women}");
        assert_eq!(
            grades.matches(">2/2个年级 · 应覆盖2</text>").count(),
            3,
            "{grades}"
        );
        assert_eq!(grades.matches(": 有代表</title>").count(), 6, "{grades}");

        // 签到: delegates 1-10 present: 信息学院 4/4, 文学院 4/4, 理学院 2/4; quorum 9.
        let page = get(format!("/c/{cid}/attendance")).await;
        let svg = pictures(&page);
        assert_eq!(svg.len(), 1, "{page}");
        let a = svg[0];
        assert!(a.contains("<title>签到情况: 实到10人, 应到12人"), "{a}");
        assert!(has(a, "10/12 · 83.3%"), "{a}");
        assert!(has(a, "法定人数(至少9人)"), "{a}");
        let at = |college: &str| a.find(&format!(">{college}</text>")).unwrap();
        assert!(a[at("信息学院")..].contains(">4/4 · 100.0%</text>"), "{a}");
        assert!(a[at("理学院")..].starts_with(">理学院</text>"));
        assert!(has(&a[at("理学院")..], "2/4 · 50.0%"), "{a}");

        // 计票结果: 9 valid; at least 6 for-votes; 王芳 and 李强 elected.
        for path in [
            format!("/b/{cid}/{}/result", w.election),
            format!("/c/{cid}/record/print"),
        ] {
            let page = get(path.clone()).await;
            let svg = pictures(&page);
            let e = svg
                .iter()
                .find(|s| s.contains(">王芳</text>"))
                .unwrap_or_else(|| panic!("{path}: {page}"));
            assert!(
                e.contains("<title>计票结果图: 有效票9张, 当选所需6票 (规则F1)</title>"),
                "{e}"
            );
            for figures in [
                "赞成 8 · 不赞成 1 · 弃权 0",
                "赞成 7 · 不赞成 2 · 弃权 0",
                "赞成 6 · 不赞成 0 · 弃权 3",
                "赞成 6 · 不赞成 3 · 弃权 0",
                "赞成 0 · 不赞成 5 · 弃权 4",
            ] {
                assert!(has(e, figures), "{path}: {figures} {e}");
            }
            assert_eq!(e.matches(">当选</text>").count(), 2, "{e}");
            // 王芳's 8 of 9 valid ballots: 8/9 of the 380-unit width; the line at 6/9.
            assert!(e.contains("width=\"337.8\""), "{e}");
            assert!(e.contains("x1=\"253.3\""), "{e}");
        }
        // The motion: 过半数 of 应到 12, at least 7; 7 for: 通过.
        for path in [
            format!("/b/{cid}/{}/result", w.motion),
            format!("/c/{cid}/record/print"),
        ] {
            let page = get(path.clone()).await;
            let m = pictures(&page)
                .into_iter()
                .find(|s| s.contains("通过所需"))
                .unwrap_or_else(|| panic!("{path}: {page}"));
            assert!(has(m, "赞成 7 · 反对 1 · 弃权 1"), "{m}");
            assert!(has(m, "通过所需7票"), "{m}");
            assert!(has(m, "通过"), "{m}");
        }
        // Anonymous visitors see the results page's picture, not the staff pages.
        let anon = w.app.client();
        let (status, _) = anon.get_text(&format!("/c/{cid}/quota")).await;
        assert_ne!(status, 200);
    });
});

test!(pictures_fit_every_screen, browser);
fn pictures_fit_every_screen() {
    let tools = browser::tools("pictures_fit_every_screen");
    let w = certified(Kind::Sqlite, "pictures_browser");
    let cid = w.cid.clone();
    let pages = [
        ("pictures-quota", format!("/c/{cid}/quota")),
        ("pictures-roster", format!("/c/{cid}/roster")),
        ("pictures-attendance", format!("/c/{cid}/attendance")),
        ("pictures-result", format!("/b/{cid}/{}/result", w.election)),
        ("pictures-motion", format!("/b/{cid}/{}/result", w.motion)),
        ("pictures-record", format!("/c/{cid}/record/print")),
    ];
    browser::logged_in(
        &tools,
        false,
        &w.app.url("/login"),
        "zuzhi",
        "pw-zuzhi-0123456789",
        async |d| {
            for (name, path) in &pages {
                for (width, height) in [(390, 844), (1366, 900)] {
                    if path.ends_with("/print") {
                        // The printed record is a sheet of its own, without the site's <main>.
                        browser::viewport(d, width, height).await?;
                        d.goto(&w.app.url(path)).await?;
                        d.find(By::Css("div.sheet")).await?;
                        browser::fits_and_shoot(d, name, width).await?;
                    } else {
                        page_fits(d, &w.app.url(path), name, width, height).await?;
                    }
                    // Each picture is drawn within the page's width.
                    let widths = d
                        .execute(
                            "return Array.from(document.querySelectorAll('svg.chart')).map(s => s.getBoundingClientRect().right);",
                            vec![],
                        )
                        .await?
                        .json()
                        .clone();
                    // A second shot with the first picture at the top of the screen.
                    d.execute(
                        "document.querySelector('svg.chart').scrollIntoView();",
                        vec![],
                    )
                    .await?;
                    d.screenshot(
                        &browser::screenshot_dir().join(format!("{name}-chart-{width}.png")),
                    )
                    .await?;
                    let rights = widths.as_array().expect("array");
                    assert!(!rights.is_empty(), "{name}: no picture");
                    for r in rights {
                        assert!(
                            r.as_f64().unwrap() <= f64::from(width),
                            "{name} at {width}: {r}"
                        );
                    }
                }
            }
            Ok(())
        },
    );
}
