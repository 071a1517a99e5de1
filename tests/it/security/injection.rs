//! SQL-looking and HTML/JS strings wherever an organiser types or uploads text: the congress's
//! name and place, a motion's title and text, candidates' names, an uploaded file's name.
//! They are stored exactly (every table is still there), come back exactly in the JSON API,
//! are escaped in every HTML page, and in headless Chromium the pages show them as text: no
//! dialog opens and no element they describe exists.

use std::panic::AssertUnwindSafe;

use congress::domain::ids::CongressId;
use congress::storage::repo::congress as congress_repo;
use congress::storage::repo::users::Role;
use futures_util::FutureExt;
use serde_json::Value;
use thirtyfour::prelude::*;

use super::{block_on, http, new_congress};
use crate::common::browser::{self, arrive, log_in, Chromedriver};
use crate::common::http::{Client, TestApp};
use crate::common::Kind;

const SQL: &str = "'); DROP TABLE congresses;--";
const SCRIPT: &str = "<script>alert(1)</script>";
const IMG: &str = "\"><img src=x onerror=alert(1)>";

/// Raw markup that must never reach a page.
const LIVE: [&str; 3] = ["<script>alert", "<img src=x", "onerror=alert(1)>"];

/// What the organiser entered.
struct Evil {
    congress: String,
    place: String,
    motion_title: String,
    motion_body: String,
    candidates: [String; 2],
    file: String,
}

impl Evil {
    fn new() -> Evil {
        Evil {
            congress: format!("{SQL}{SCRIPT}{IMG}"),
            place: SQL.to_string(),
            motion_title: format!("{IMG}{SQL}"),
            motion_body: format!("{SCRIPT}\n{SQL}\n{IMG}"),
            candidates: [format!("赵{SCRIPT}"), IMG.to_string()],
            // No `/`: a file name is cut to its base name (see `traversal`).
            file: format!("{IMG}{SQL}.csv"),
        }
    }
}

fn location(r: &reqwest::Response) -> String {
    r.headers()["location"].to_str().unwrap().to_string()
}

/// Creates everything through the forms and the API; returns (congress, motion, election).
async fn enter(app: &TestApp, org: &Client, token: &str, e: &Evil) -> (String, String, String) {
    let cid = new_congress(org, &e.congress).await;
    let r = org
        .post_form(
            &format!("/c/{cid}/setup/details"),
            &[
                ("name", e.congress.as_str()),
                ("school", "示范大学"),
                ("level", "school"),
                ("session_no", "10"),
                ("date", "2026-12-01"),
                ("place", e.place.as_str()),
            ],
        )
        .await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let r = org
        .post_form(
            &format!("/c/{cid}/contests/new?kind=motion"),
            &[
                ("title", e.motion_title.as_str()),
                ("motion_kind", "work_report"),
                ("body", e.motion_body.as_str()),
            ],
        )
        .await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let motion = location(&r).rsplit('/').next().unwrap().to_string();
    let r = org
        .post_form(
            &format!("/c/{cid}/contests/new?kind=election"),
            &[
                ("title", "选举第十届学生会主席团成员"),
                ("seats", "1"),
                ("threshold_preset", "settings"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let election = location(&r).rsplit('/').next().unwrap().to_string();
    for (i, name) in e.candidates.iter().enumerate() {
        let no = format!("202203010{i}");
        let r = org
            .post_form(
                &format!("/c/{cid}/contests/{election}/candidates"),
                &[
                    ("name", name.as_str()),
                    ("student_no", no.as_str()),
                    ("college", "计算机学院"),
                    ("gender", "female"),
                    ("political_status", "共青团员"),
                    ("rank_pct", "12"),
                    ("failed_courses", "0"),
                    ("eligibility_override", ""),
                ],
            )
            .await;
        assert_eq!(r.status(), 303, "{name}: {}", r.text().await.unwrap());
    }
    let sample = std::fs::read(format!(
        "{}/templates/sample/enrolment.csv",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let r = http(None)
        .put(app.url(&format!("/api/v1/congresses/{cid}/files/enrolment")))
        .query(&[("name", e.file.as_str())])
        .bearer_auth(token)
        .body(sample)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    (cid, motion, election)
}

/// The organiser's and the public pages that show what was entered.
fn pages(cid: &str, motion: &str, election: &str) -> Vec<String> {
    vec![
        "/".to_string(),
        format!("/c/{cid}"),
        format!("/c/{cid}/setup"),
        format!("/c/{cid}/contests"),
        format!("/c/{cid}/contests/{motion}"),
        format!("/c/{cid}/contests/{election}"),
        format!("/c/{cid}/files"),
        format!("/c/{cid}/audit"),
        format!("/b/{cid}"),
    ]
}

async fn api(app: &TestApp, token: &str, path: &str) -> Value {
    let r = http(None)
        .get(app.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{path}");
    r.json().await.unwrap()
}

both_backends!(
    sql_and_html_strings_are_stored_and_shown_literally,
    |kind: Kind| {
        let app = TestApp::start(kind, "injection");
        let e = Evil::new();
        block_on(async {
            let org = app.login_as("tuanwei", Role::Organiser).await;
            let token = super::api_token(&app, "tuanwei");
            let (cid, motion, election) = enter(&app, &org, &token, &e).await;

            // Stored exactly; the congresses table is still there.
            let mut c = app.db.db.conn().unwrap();
            let all = congress_repo::list(&mut c).unwrap();
            assert_eq!(all.len(), 1);
            assert_eq!(all[0].name, e.congress);
            assert_eq!(all[0].place, e.place);
            drop(c);

            // Exact in JSON.
            let g = api(&app, &token, &format!("/api/v1/congresses/{cid}")).await;
            assert_eq!(g["name"], e.congress.as_str());
            assert_eq!(g["place"], e.place.as_str());
            let m = api(
                &app,
                &token,
                &format!("/api/v1/congresses/{cid}/contests/{motion}"),
            )
            .await;
            assert_eq!(m["title"], e.motion_title.as_str());
            assert_eq!(m["body"], e.motion_body.as_str());
            let el = api(
                &app,
                &token,
                &format!("/api/v1/congresses/{cid}/contests/{election}"),
            )
            .await;
            let mut names: Vec<&str> = el["candidates"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["name"].as_str().unwrap())
                .collect();
            names.sort_unstable();
            let mut want: Vec<&str> = e.candidates.iter().map(String::as_str).collect();
            want.sort_unstable();
            assert_eq!(names, want);

            // Escaped in HTML.
            for path in pages(&cid, &motion, &election) {
                let (status, page) = org.get_text(&path).await;
                assert_eq!(status, 200, "{path}");
                for live in LIVE {
                    assert!(!page.contains(live), "{path} has {live}");
                }
            }
            let has = |page: &str, what: &str, path: &str| {
                assert!(page.contains(what), "{path} lacks {what}");
            };
            let script = "&lt;script&gt;alert(1)&lt;/script&gt;";
            let img = "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;";
            let (_, page) = org.get_text(&format!("/c/{cid}")).await;
            has(&page, &format!("{script}{img}"), "overview");
            let (_, page) = org.get_text(&format!("/c/{cid}/contests/{motion}")).await;
            has(&page, img, "motion");
            has(&page, SQL, "motion");
            let (_, page) = org.get_text(&format!("/c/{cid}/contests/{election}")).await;
            has(&page, &format!("赵{script}"), "election");
            has(&page, img, "election");
            let (_, page) = org.get_text(&format!("/c/{cid}/files")).await;
            has(&page, &format!("{img}{SQL}.csv"), "files");
        });
    }
);

async fn browse(
    driver: &WebDriver,
    app: &TestApp,
    password: &str,
    e: &Evil,
) -> WebDriverResult<()> {
    let (cid, motion, election) = {
        let mut org = app.client();
        assert_eq!(org.login("tuanwei", password).await.status(), 303);
        org.refresh_csrf().await;
        let token = super::api_token(app, "tuanwei");
        enter(app, &org, &token, e).await
    };
    log_in(driver, &app.url("/login"), "tuanwei", password).await?;
    for path in pages(&cid, &motion, &election) {
        driver.goto(app.url(&path)).await?;
        arrive(driver, path.split('?').next().unwrap()).await?;
        assert!(
            driver.get_alert_text().await.is_err(),
            "{path}: a dialog opened"
        );
        let injected = driver
            .execute(
                "return document.querySelectorAll('img[src=\"x\"], img[onerror]').length \
                 + Array.from(document.scripts).filter(s => !s.src).length;",
                vec![],
            )
            .await?;
        assert_eq!(
            injected.json().as_u64(),
            Some(0),
            "{path}: injected elements"
        );
    }
    // The text shows literally where it is the subject of the page.
    for (path, text) in [
        (format!("/c/{cid}"), e.congress.clone()),
        (
            format!("/c/{cid}/contests/{motion}"),
            e.motion_title.clone(),
        ),
        (
            format!("/c/{cid}/contests/{election}"),
            e.candidates[0].clone(),
        ),
        (
            format!("/c/{cid}/contests/{election}"),
            e.candidates[1].clone(),
        ),
    ] {
        driver.goto(app.url(&path)).await?;
        let shown = driver.find(By::Tag("main")).await?.text().await?;
        assert!(
            shown.contains(&text),
            "{path} does not show {text}: {shown}"
        );
    }
    Ok(())
}

test!(injected_markup_is_inert_in_headless_chromium, browser);
fn injected_markup_is_inert_in_headless_chromium() {
    let (chromium, driver_bin) = browser::tools("injected_markup_is_inert");
    let app = TestApp::start(Kind::Sqlite, "injection_browser");
    let password = app.create_user("tuanwei", Role::Organiser);
    let e = Evil::new();
    block_on(async {
        let chromedriver = Chromedriver::start(&driver_bin);
        let driver = WebDriver::new(
            chromedriver.url.clone(),
            browser::capabilities(&chromium, 1280, 1600, true),
        )
        .await
        .expect("browser session");
        let result = AssertUnwindSafe(browse(&driver, &app, &password, &e))
            .catch_unwind()
            .await;
        driver.quit().await.expect("quit");
        match result {
            Ok(r) => r.expect("browser flow"),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    });
}

both_backends!(nul_characters_are_refused_on_both_backends, |kind: Kind| {
    let app = TestApp::start(kind, "nul");
    block_on(async {
        let org = app.login_as("tuanwei", Role::Organiser).await;
        let token = super::api_token(&app, "tuanwei");
        let cid = new_congress(&org, "示范大学第十次学生代表大会").await;
        let count = |app: &TestApp| {
            let mut c = app.db.db.conn().unwrap();
            congress_repo::list(&mut c).unwrap().len()
        };
        // In the path: a plain 404 (PostgreSQL used to answer 500 here).
        for path in ["/b/%00", "/b/a%00b/key.pem", &format!("/c/{cid}%00")] {
            let (status, page) = org.get_text(path).await;
            assert_eq!(status, 404, "{path}: {page}");
            assert!(page.contains("页面不存在"), "{page}");
        }
        let r = http(None)
            .get(app.url("/api/v1/congresses/%00"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 404);
        // In a query, a form, a JSON body: 400 with a Chinese message, nothing stored.
        let (status, _) = org.get_text(&format!("/b/{cid}/check?hash=%00")).await;
        assert_eq!(status, 400);
        let r = org
            .post_form(
                "/congresses",
                &[
                    ("name", "示范\0大学"),
                    ("school", "示范大学"),
                    ("level", "school"),
                    ("session_no", "10"),
                    ("date", "2026-12-01"),
                    ("place", "大学生活动中心"),
                ],
            )
            .await;
        assert_eq!(r.status(), 400);
        assert!(r.text().await.unwrap().contains("空字符(NUL)"));
        let r = http(None)
            .post(app.url("/api/v1/congresses"))
            .bearer_auth(&token)
            .json(&super::congress_json("示范\0大学"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400);
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["code"], "bad_request");
        assert_eq!(count(&app), 1);
        // In an uploaded file the importer drops control characters from cells.
        let csv = "学院,年级,人数\r\n计算机\0学院,2022级,742\r\n";
        let r = org
            .upload(&format!("/c/{cid}/files/enrolment"), "e.csv", csv.into())
            .await;
        assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
        let mut c = app.db.db.conn().unwrap();
        let stored =
            congress::storage::repo::roster::enrolment(&mut c, &CongressId::from(&cid)).unwrap();
        assert_eq!(stored[0].college, "计算机学院");
    });
});
