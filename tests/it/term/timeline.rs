//! The term's settings and timeline (issue 15, rule I6) through HTTP on both backends: the
//! term's length and semester starts are validated, audited and drive the timeline; a
//! semester's 述职评议 is done only once a 评议会 in it has counted a review; a term with a
//! missed semester shows its overdue rows in red (screenshots at 1366 and 390 px).

use congress::domain::ids::{CongressId, ContestId};
use congress::service::scrutineers::ScrutineerInput;
use congress::service::{self, Actor};
use congress::storage::repo::roster as roster_repo;
use congress::storage::repo::scrutineers::ScrutineerRole;
use congress::storage::repo::users::Role;

use super::{cast_reviews, create_meeting, standing_frozen, status_and_text, two_person_review};
use crate::common::forms::settings_fields;
use crate::common::http::TestApp;
use crate::common::Kind;
use crate::results::fixture::{block_on, certified, World};

/// The timeline's table of a term page.
fn timeline_of(page: &str) -> &str {
    let start = page.find("届期时间线").expect("timeline");
    let rest = &page[start..];
    &rest[..rest.find("</table>").expect("table end")]
}

/// The row of the timeline whose text contains `what`.
fn row<'a>(timeline: &'a str, what: &str) -> &'a str {
    let at = timeline
        .find(what)
        .unwrap_or_else(|| panic!("{what} in {timeline}"));
    let start = timeline[..at].rfind("<tr").expect("row start");
    let end = at + timeline[at..].find("</tr>").expect("row end");
    &timeline[start..end]
}

both_backends!(
    term_settings_are_checked_and_drive_the_timeline,
    |kind: Kind| {
        let app = TestApp::start(kind, "term_settings_timeline");
        block_on(async {
            let org = app.login_as("tuanwei_zhang", Role::Organiser).await;
            let cid = crate::setup_pages::new_congress(&org).await;
            let (_, page) = org.get_text(&format!("/c/{cid}/setup")).await;
            assert!(page.contains("届期(年)") && page.contains("第二学期开始日期"));
            assert!(
                page.contains("默认: <strong>2月1日</strong>"),
                "default shown"
            );
            // Three years, a 2月30日 and semesters in the wrong order: 422, each named, nothing saved.
            let fields = settings_fields(&[("term_years", "3"), ("spring_start", "02-30")]);
            let (s, body) = status_and_text(
                org.post_form(&format!("/c/{cid}/setup/settings"), &fields)
                    .await,
            )
            .await;
            assert_eq!(s, 422);
            assert!(
                body.contains("“届期(年)”填写的是“3”, 应为1到2之间的整数(规则I6)"),
                "{body}"
            );
            assert!(body.contains("“第二学期开始日期”填写的是“02-30”"), "{body}");
            let fields = settings_fields(&[("spring_start", "09-01"), ("autumn_start", "03-01")]);
            let (s, body) = status_and_text(
                org.post_form(&format!("/c/{cid}/setup/settings"), &fields)
                    .await,
            )
            .await;
            assert_eq!(s, 422);
            assert!(body.contains("第二学期先于第一学期开始"), "{body}");
            assert!(crate::setup_pages::entries(&app, &cid, "congress.edit_settings").is_empty());

            // A one-year term with semesters from 3月1日 and 9月1日: stored, audited, shown.
            let fields = settings_fields(&[
                ("term_years", "1"),
                ("spring_start", "3-1"),
                ("autumn_start", "09-01"),
            ]);
            let r = org
                .post_form(&format!("/c/{cid}/setup/settings"), &fields)
                .await;
            assert_eq!(r.status(), 303, "{}", r.text().await.unwrap_or_default());
            let p = crate::setup_pages::stored(&app, &cid).settings;
            assert_eq!(p.term_years, 1);
            assert_eq!(p.semester_starts[0].to_string(), "03-01");
            let e = crate::setup_pages::entries(&app, &cid, "congress.edit_settings");
            assert_eq!(e.len(), 1);
            let after = e[0].after.as_deref().unwrap();
            assert!(
                after.contains("\"term_years\":1")
                    && after.contains("\"semester_starts\":[\"03-01\",\"09-01\"]"),
                "{after}"
            );
            let (s, page) = org.get_text(&format!("/c/{cid}/term")).await;
            assert_eq!(s, 200);
            let t = timeline_of(&page);
            assert!(
                t.contains("届期 1 年") || page.contains("届期 1 年"),
                "{page}"
            );
            let spring = row(t, "2026-2027学年第二学期述职评议");
            assert!(spring.contains("2027-03-01 至 2027-08-31"), "{spring}");
            assert!(row(t, "下一次学生代表大会").contains("2027-12-01"), "{t}");
            assert!(
                !t.contains("年度常代会会议"),
                "a one-year term has no year without a congress"
            );
        });
    }
);

/// Holds a 评议会 on `date` at which the six standing delegates grade 2 persons, counted, and
/// the meeting closed; returns the meeting's id.
fn review_meeting_held(w: &World, date: &str) -> String {
    let mid = create_meeting(w, "review", "2026-2027学年第二学期述职评议会", date);
    let a = Actor::cli("test");
    let kid = two_person_review(w, &mid);
    let mut c = w.conn();
    for (role, name) in [
        (ScrutineerRole::Chief, "周敏"),
        (ScrutineerRole::Scrutineer, "吴刚"),
    ] {
        let input = ScrutineerInput {
            role,
            name: name.to_string(),
            student_no: None,
            username: None,
        };
        service::scrutineers::add(&mut c, &a, &CongressId::from(&mid), &input).unwrap();
    }
    let delegates = roster_repo::delegates(&mut c, &CongressId::from(&mid)).unwrap();
    service::credentials::issue(
        &mut c,
        &a,
        &CongressId::from(&mid),
        &w.app.state.credential_key[..],
    )
    .unwrap();
    service::attendance::open_session(&mut c, &a, &CongressId::from(&mid)).unwrap();
    for no in 1..=6 {
        service::attendance::set_present(&mut c, &a, &CongressId::from(&mid), no, true).unwrap();
    }
    service::voting::open(
        &mut c,
        &a,
        &w.app.state.keys,
        &CongressId::from(&mid),
        &ContestId::from(&kid),
    )
    .unwrap();
    cast_reviews(w, &mid, &kid, &delegates, |i| {
        vec![vec![(i % 3) as u32; 5], vec![0; 5]]
    });
    drop(c);
    block_on(async {
        let r = w
            .org
            .post_form(&format!("/c/{mid}/contests/{kid}/voting/close"), &[])
            .await;
        assert_eq!(r.status(), 303, "{}", r.text().await.unwrap_or_default());
        let r = w.org.post_form(&format!("/c/{mid}/close"), &[]).await;
        assert_eq!(r.status(), 303, "{}", r.text().await.unwrap_or_default());
    });
    mid
}

both_backends!(
    a_counted_review_at_a_review_meeting_meets_the_semester,
    |kind: Kind| {
        let w = certified(kind, "term_review_semester");
        standing_frozen(&w);
        let cid = w.cid.clone();
        let spring = "2026-2027学年第二学期述职评议(评议会)";
        block_on(async {
            let (_, page) = w.org.get_text(&format!("/c/{cid}/term")).await;
            let r = row(timeline_of(&page), spring).to_string();
            assert!(r.contains("待办") && !r.contains("已完成"), "{r}");
        });
        let mid = review_meeting_held(&w, "2027-04-01");
        block_on(async {
            let (_, page) = w.org.get_text(&format!("/c/{cid}/term")).await;
            let t = timeline_of(&page);
            assert!(row(t, spring).contains("已完成"), "{t}");
            let review = row(t, "学生会主席团述职评议");
            assert!(
                review.contains("述职评议: ") && review.contains("已计票"),
                "{review}"
            );
            assert!(
                review.contains(&format!("href=\"/c/{mid}/contests/")),
                "{review}"
            );
            // The next semester is still to do.
            assert!(
                row(t, "2027-2028学年第一学期述职评议").contains("待办"),
                "{t}"
            );
        });
    }
);

test!(an_overdue_semester_in_red_in_chromium, browser);
fn an_overdue_semester_in_red_in_chromium() {
    use crate::common::browser::{self, page_fits};
    use thirtyfour::By;
    let tools = browser::tools("an_overdue_semester_in_red_in_chromium");
    let w = certified(Kind::Sqlite, "term_overdue_browser");
    // A congress held two years ago less a month: its semesters went by without a 评议会.
    {
        use congress::storage::schema::congresses;
        use diesel::prelude::*;
        let mut c = w.conn();
        let n = diesel::update(congresses::table.filter(congresses::id.eq(&w.cid)))
            .set(congresses::date.eq("2025-01-10"))
            .execute(&mut *c)
            .expect("backdate");
        assert_eq!(n, 1);
    }
    block_on(async {
        let (_, page) = w.org.get_text(&format!("/c/{}/term", w.cid)).await;
        let r = row(timeline_of(&page), "2024-2025学年第二学期述职评议").to_string();
        assert!(r.contains("class=\"overdue\"") && r.contains("逾期"), "{r}");
    });
    let term = w.app.url(&format!("/c/{}/term", w.cid));
    browser::logged_in(
        &tools,
        true,
        &w.app.url("/login"),
        "zuzhi",
        "pw-zuzhi-0123456789",
        async |d| {
            for width in [390, 1366] {
                page_fits(d, &term, "term-overdue", width, 2400).await?;
                // The overdue row is drawn red (the style sheet's accent on a pink ground).
                let cell = d.find(By::Css("table.timeline tr.overdue td")).await?;
                let colour = cell.css_value("color").await?;
                let ground = cell.css_value("background-color").await?;
                assert!(colour.contains("200, 16, 46"), "{colour}");
                assert!(ground.contains("253, 236, 238"), "{ground}");
            }
            Ok(())
        },
    );
}
