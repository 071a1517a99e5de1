//! The quota table of the demo school (8 colleges, 15,993 students, 164 seats at 1%) on the
//! page and as CSV, before any enrolment, and with a total T set in the congress's settings.

use congress::domain::ids::CongressId;
use congress::domain::settings::RuleProfile;
use congress::service::{self, Actor};
use congress::storage::repo::users::Role;

use super::{block_on, import_samples, new_congress, stored};
use crate::common::http::TestApp;
use crate::common::Kind;

/// (college, enrolment, exact share, A1 minimum = quota) of the demo school at 1%, no total:
/// each quota is ceil(1% x enrolment) and T = 164, so the share is 164 x e / 15993.
const SCHOOL: [(&str, u64, &str, u64); 8] = [
    ("计算机学院", 3212, "32.9374", 33),
    ("外国语学院", 1846, "18.9298", 19),
    ("机械工程学院", 2731, "28.0050", 28),
    ("经济管理学院", 2958, "30.3328", 30),
    ("文学院", 1563, "16.0278", 16),
    ("数学与统计学院", 1402, "14.3768", 15),
    ("化学化工学院", 1895, "19.4323", 19),
    ("马克思主义学院", 386, "3.9582", 4),
];

both_backends!(quota_table_of_the_demo_school, |kind: Kind| {
    let app = TestApp::start(kind, "quota_table_of_the_demo_school");
    block_on(async {
        let org = app.login_as("tuanwei_chen", Role::Organiser).await;
        let cid = new_congress(&org).await;
        let (s, page) = org.get_text(&format!("/c/{cid}/quota")).await;
        assert_eq!(s, 200);
        assert!(page.contains("尚未导入学生人数表"), "{page}");
        assert!(page.contains(&format!("href=\"/c/{cid}/files\"")));

        import_samples(&org, &cid).await;
        let (s, page) = org.get_text(&format!("/c/{cid}/quota")).await;
        assert_eq!(s, 200);
        assert!(page.contains("最大余额法(Hamilton)"));
        assert!(
            page.contains("164名(未设定总名额, 即各学院最低名额之和)"),
            "{page}"
        );
        assert!(page.contains("15993人, 8个学院"));
        // A2: ceil(1% x 15993) = 160 <= 164.
        assert!(page.contains("160名(在校生总数的1%向上取整); 总名额164名, 符合要求"));
        assert!(page.contains("余数（或商数）相同时，在校生人数多的学院优先"));
        for (college, e, share, q) in SCHOOL {
            let row = format!(
                "<td>{college}</td><td class=\"num\">{e}</td><td class=\"num\">{share}</td>\
                 <td class=\"num\">{q}</td><td class=\"num\"><strong>{q}</strong></td>"
            );
            assert!(page.contains(&row), "{row}");
        }
        assert!(page.contains("规则A1最低名额33名（1%×3212向上取整为33，且不少于1名）"));

        let r = org.get(&format!("/c/{cid}/quota.csv")).await;
        assert_eq!(r.status(), 200);
        assert!(r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv"));
        let disposition = r.headers()["content-disposition"].to_str().unwrap();
        assert!(
            disposition.contains(&format!("quota-{cid}.csv")),
            "{disposition}"
        );
        let bytes = r.bytes().await.unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        let lines: Vec<&str> = text.trim_end().split("\r\n").collect();
        assert_eq!(lines.len(), 10);
        assert_eq!(
            lines[0],
            "学院,在校生人数,按比例应得(精确值),最低名额(A1),分配名额,说明"
        );
        for (i, (college, e, share, q)) in SCHOOL.iter().enumerate() {
            let start = format!("{college},{e},{share},{q},{q},");
            assert!(lines[i + 1].starts_with(&start), "{}", lines[i + 1]);
        }
        assert!(lines[9].starts_with(
            "合计,15993,164.0000,164,164,分配方法: 最大余额法(Hamilton); 全体代表最低人数(A2): 160"
        ));
    });
});

both_backends!(quota_follows_the_settings, |kind: Kind| {
    let app = TestApp::start(kind, "quota_follows_the_settings");
    block_on(async {
        let org = app.login_as("tuanwei_lin", Role::Organiser).await;
        let cid = new_congress(&org).await;
        import_samples(&org, &cid).await;
        let profile = RuleProfile {
            total_seats: Some(200),
            ..stored(&app, &cid).settings
        };
        let mut c = app.db.db.conn().unwrap();
        service::congress::update_settings(
            &mut c,
            &Actor::cli("test"),
            &CongressId::from(&cid),
            &profile,
        )
        .unwrap();
        let (_, page) = org.get_text(&format!("/c/{cid}/quota")).await;
        assert!(page.contains("200名(大会设置的总名额)"), "{page}");
        // Hamilton over T = 200: the 36 seats above the minimums follow the shares
        // (计算机学院 200 x 3212 / 15993 = 40.1676 -> 40).
        assert!(page.contains("<td>计算机学院</td><td class=\"num\">3212</td><td class=\"num\">40.1676</td><td class=\"num\">33</td><td class=\"num\"><strong>40</strong></td>"), "{page}");
        // A total below the minimums cannot be met: the page says so.
        let profile = RuleProfile {
            total_seats: Some(150),
            ..profile
        };
        service::congress::update_settings(
            &mut c,
            &Actor::cli("test"),
            &CongressId::from(&cid),
            &profile,
        )
        .unwrap();
        let (s, page) = org.get_text(&format!("/c/{cid}/quota")).await;
        assert_eq!(s, 200);
        assert!(
            page.contains("总名额 150 少于各学院最低名额之和 164"),
            "{page}"
        );
        let r = org.get(&format!("/c/{cid}/quota.csv")).await;
        assert_eq!(r.status(), 422);
    });
});
