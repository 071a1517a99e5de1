//! Searching the long lists (issue 14.9): the attendance page and the roster page filter by
//! name, 代表编号 or 学号, college and status through a GET form, the pager keeps the filter,
//! an empty result says so in Chinese and a bad parameter gets a Chinese 400.

use super::*;
use crate::common::Kind;

/// The rows of the first table whose opening tag is `table`.
fn rows(page: &str, table: &str) -> usize {
    let Some(start) = page.find(table) else {
        return 0;
    };
    let end = page[start..].find("</table>").expect("table closed") + start;
    let body = &page[start..end];
    let tbody = body.find("<tbody>").expect("tbody");
    body[tbody..].matches("<tr").count()
}

/// The fixture's delegate `no`'s name (delegate `no` is student `no - 1`).
fn name(no: u32) -> String {
    fixture::student(no as usize - 1).name
}

const N: usize = 210;
const ATTENDANCE: &str = "<table class=\"nowrap\">";
const ROSTER: &str = "<table class=\"delegates nowrap\">";

both_backends!(attendance_is_searchable, |kind: Kind| {
    let app = TestApp::start(kind, "attendance_search");
    let fx = fixture::for_app(&app, N);
    let cid = fx.congress_id.clone();
    block_on(async {
        let staff = organiser(&app).await;
        for no in [1, 5, 22] {
            desk_check_in(&staff, &cid, no).await;
        }
        let get = |q: &str| {
            let path = format!("/c/{cid}/attendance{q}");
            let staff = &staff;
            async move { staff.get_text(&path).await }
        };

        // Unfiltered: 210 delegates on two pages of 200.
        let (s, page) = get("").await;
        assert_eq!(s, 200);
        assert!(page.contains("共 210 名, 第 1 / 2 页(每页200名)"), "{page}");
        assert_eq!(rows(&page, ATTENDANCE), 200);
        assert!(page.contains("<form class=\"search\" method=\"get\""));

        // By status: the three checked in.
        let (s, page) = get("?status=present").await;
        assert_eq!(s, 200);
        assert!(page.contains("符合条件的代表 3 名(共 210 名)。"), "{page}");
        assert_eq!(rows(&page, ATTENDANCE), 3);
        assert!(page.contains(&format!("<td>{}</td>", name(22))));
        assert!(page.contains("<option value=\"present\" selected>已签到</option>"));

        // By college: students 1, 5, 9 ... of 210 are in 信息学院 (i % 4 == 1): 53.
        let (_, page) = get("?college=%E4%BF%A1%E6%81%AF%E5%AD%A6%E9%99%A2").await;
        assert!(page.contains("符合条件的代表 53 名(共 210 名)。"), "{page}");
        assert_eq!(rows(&page, ATTENDANCE), 53);
        assert!(page.contains("<option value=\"信息学院\" selected>信息学院</option>"));

        // By name fragment: the surname 王 is every 20th student: 0, 20, ..., 200.
        let (_, page) = get("?q=%E7%8E%8B").await;
        assert!(page.contains("符合条件的代表 11 名(共 210 名)。"), "{page}");
        assert_eq!(rows(&page, ATTENDANCE), 11);
        // All three together: 王 in 文学院, present: delegate 1 only.
        let (_, page) =
            get("?q=%E7%8E%8B&college=%E6%96%87%E5%AD%A6%E9%99%A2&status=present").await;
        assert!(page.contains("符合条件的代表 1 名(共 210 名)。"), "{page}");
        assert_eq!(rows(&page, ATTENDANCE), 1);
        assert!(page.contains(&format!("<td>{}</td>", name(1))));
        // By 代表编号 among those present: 5 (also a fragment of 5's 学号 2023010005, of no
        // other present delegate's).
        let (_, page) = get("?q=5&status=present").await;
        assert_eq!(rows(&page, ATTENDANCE), 1, "{page}");
        assert!(page.contains(&format!("<td>{}</td>", name(5))));

        // The pager keeps the filter: 207 not yet arrived, two pages.
        let (_, page) = get("?status=absent").await;
        assert!(
            page.contains("符合条件的代表 207 名(共 210 名), 第 1 / 2 页"),
            "{page}"
        );
        let next = format!("/c/{cid}/attendance?status=absent&amp;page=2#delegates");
        assert!(page.contains(&next), "{page}");
        let (_, page) = get("?status=absent&page=2").await;
        assert!(page.contains("第 2 / 2 页"), "{page}");
        assert_eq!(rows(&page, ATTENDANCE), 7);
        assert!(page.contains(&format!("/c/{cid}/attendance?status=absent#delegates\"")));

        // Nobody matches: said in Chinese, no table.
        let (s, page) = get("?q=%E4%B8%8D%E5%AD%98%E5%9C%A8").await;
        assert_eq!(s, 200);
        assert!(
            page.contains("没有符合条件的代表(搜索“不存在”), 请换一个条件或"),
            "{page}"
        );
        assert_eq!(rows(&page, ATTENDANCE), 0);

        // Bad parameters: a Chinese 400 naming the parameter.
        let (s, page) = get("?page=abc").await;
        assert_eq!(s, 400);
        assert!(page.contains("“页码”应为正整数, 现为“abc”"), "{page}");
        let (s, page) = get("?status=elected").await;
        assert_eq!(s, 400);
        assert!(
            page.contains(
                "“状态”应为已签到(present)、请假(leave)、未到(absent)之一, 现为“elected”"
            ),
            "{page}"
        );
        // The same field twice does not fit the form: the shared Chinese query error.
        let (s, page) = get("?q=1&q=2").await;
        assert_eq!(s, 400);
        assert!(page.contains("网址中的参数有误 (字段 q)"), "{page}");
        assert!(!page.contains("duplicate"), "{page}");
    });
});

both_backends!(roster_is_searchable, |kind: Kind| {
    let app = TestApp::start(kind, "roster_search");
    let fx = fixture::for_app(&app, 40);
    let cid = fx.congress_id.clone();
    block_on(async {
        let staff = organiser(&app).await;
        let get = |q: &str| {
            let path = format!("/c/{cid}/roster{q}");
            let staff = &staff;
            async move { staff.get_text(&path).await }
        };
        let (s, page) = get("").await;
        assert_eq!(s, 200);
        assert!(page.contains("代表(40名)"), "{page}");
        assert!(page.contains("共 40 名。"), "{page}");
        assert_eq!(rows(&page, ROSTER), 40);

        // By college (机械工程学院: students 3, 7, ..., 39) and kind.
        let (_, page) =
            get("?college=%E6%9C%BA%E6%A2%B0%E5%B7%A5%E7%A8%8B%E5%AD%A6%E9%99%A2&status=elected")
                .await;
        assert!(page.contains("符合条件的代表 10 名(共 40 名)。"), "{page}");
        assert_eq!(rows(&page, ROSTER), 10);
        // By 学号 fragment: student i's 学号 ends in i + 1 (4 digits).
        let no = fixture::student(16).student_no;
        let (_, page) = get(&format!("?q={no}")).await;
        assert_eq!(rows(&page, ROSTER), 1, "{page}");
        assert!(page.contains(&format!("<td>{no}</td>")));
        // By name, 王 twice among 40 (students 0 and 20).
        let (_, page) = get("?q=%E7%8E%8B").await;
        assert_eq!(rows(&page, ROSTER), 2, "{page}");
        // No 当然代表 in this roster: said so.
        let (s, page) = get("?status=ex_officio").await;
        assert_eq!(s, 200);
        assert!(page.contains("没有符合条件的代表(当然代表)"), "{page}");
        assert_eq!(rows(&page, ROSTER), 0);
        // A bad kind, a bad page.
        let (s, page) = get("?status=present").await;
        assert_eq!(s, 400);
        assert!(
            page.contains(
                "“代表类别”应为选举产生(elected)、当然代表(ex_officio)、社团代表(society)之一"
            ),
            "{page}"
        );
        let (s, page) = get("?page=-1").await;
        assert_eq!(s, 400);
        assert!(page.contains("“页码”应为正整数, 现为“-1”"), "{page}");
    });
});
