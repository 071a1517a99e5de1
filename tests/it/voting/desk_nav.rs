//! The organiser's frame (issue 14.11): the navigation marks the current section
//! (`aria-current="page"`, the overview only on itself), and pages print times in one Chinese
//! form ("2026年12月3日 14:05") while the CSV keeps the sortable one.

use super::*;
use crate::common::Kind;
use congress::packet::report::{datetime, zh_time};

/// The congress navigation's links marked current on `page`.
fn current(page: &str) -> Vec<String> {
    let nav = page
        .split("<nav class=\"congress-nav\"")
        .nth(1)
        .and_then(|rest| rest.split("</nav>").next())
        .expect("congress navigation");
    nav.split("<a ")
        .filter(|a| a.contains("aria-current=\"page\""))
        .filter_map(|a| a.split('>').nth(1)?.split('<').next().map(str::to_string))
        .collect()
}

both_backends!(
    navigation_marks_the_section_and_times_are_chinese,
    |kind: Kind| {
        let app = TestApp::start(kind, "desk_nav");
        let fx = fixture::for_app(&app, 4);
        let cid = fx.congress_id.clone();
        block_on(async {
            let staff = organiser(&app).await;
            desk_check_in(&staff, &cid, 2).await;
            for (path, section) in [
                (format!("/c/{cid}"), "概览"),
                (format!("/c/{cid}/roster"), "代表名单"),
                (format!("/c/{cid}/attendance?status=present"), "签到"),
                (format!("/c/{cid}/contests/{}", fx.election), "选举与表决"),
                (format!("/c/{cid}/audit"), "操作日志"),
            ] {
                let (s, page) = staff.get_text(&path).await;
                assert_eq!(s, 200, "{path}");
                assert_eq!(current(&page), vec![section.to_string()], "{path}");
            }
            // The top bar: 我的大会 on the home page.
            let (_, home) = staff.get_text("/").await;
            assert!(
                home.contains("<a href=\"/\" aria-current=\"page\">我的大会</a>"),
                "{home}"
            );

            // The check-in time: Chinese on the page, sortable in the CSV.
            let at = delegate(&app, &cid, 2).checked_in_at.expect("checked in");
            let (_, page) = staff.get_text(&format!("/c/{cid}/attendance")).await;
            let zh = zh_time(at);
            assert!(zh.contains('年') && zh.contains('日'), "{zh}");
            assert!(page.contains(&format!("<td>{zh}</td>")), "{page}");
            assert!(!page.contains(&datetime(at)), "{page}");
            let (_, csv) = staff.get_text(&format!("/c/{cid}/attendance.csv")).await;
            assert!(csv.contains(&datetime(at)), "{csv}");
            // The audit log's entries too (the check-in's entry is written with it).
            let (_, audit) = staff.get_text(&format!("/c/{cid}/audit")).await;
            assert!(
                audit.contains(&format!("<td class=\"when\">{zh}")),
                "{audit}"
            );
            assert!(!audit.contains(&datetime(at)[..16]), "{audit}");
        });
    }
);
