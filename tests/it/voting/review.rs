//! 述职评议 end to end through HTTP (issue 15.3, rules H1-H5): the organiser creates a review
//! and lists 7 persons on its settings page; 30 delegates check in, take a paper on their
//! phones and grade every person on the 5 default dimensions (half through the phone's form,
//! half as JSON like the simulator); the review is closed and counted; the public result page
//! draws one SVG per person, the .xlsx and the printed sheet carry the same figures; the
//! congress is closed and certified, and the filing packet downloaded from the record page
//! verifies with `congress verify` and with `verify_packet.py`, both recounting the review.

use std::io::Cursor;
use std::process::Command;

use calamine::{Data, Reader, Xlsx};

use super::fixture::{self, Fixture};
use super::phone::Phone;
use super::{block_on, close_contest, desk_check_in, open_contest, organiser, staff_post};
use crate::common::http::{Client, TestApp};
use crate::common::Kind;
use congress::domain::ids::CongressId;

const EVALUATORS: usize = 30;
pub const PERSONS: [(&str, &str, &str); 7] = [
    ("赵敏", "主席团成员", "文学院"),
    ("张伟", "主席团成员", "信息学院"),
    ("李明", "主席团成员", "经济管理学院"),
    ("王建国", "学习部部长", "机械工程学院"),
    ("沈雪", "文艺部部长", "文学院"),
    ("吴静", "体育部部长", "信息学院"),
    ("何芳", "权益部部长", "经济管理学院"),
];
const DIMENSIONS: usize = 5;
const TITLE: &str = "2026年秋季学期学生会主席团成员和部门负责人述职评议";

/// The grade (0 = 优秀 .. 3 = 不称职) evaluator `e` gives person `p` on dimension `d`. The
/// last person gets 不称职 on every dimension from 12 of the 30 (40% of the grades: over the
/// default 1/3, so on the follow-up list); the others a spread that differs by person.
pub fn grade(e: usize, p: usize, d: usize) -> u32 {
    if p == 6 && e < 12 {
        return 3;
    }
    const SPREAD: [u32; 7] = [0, 1, 0, 1, 2, 0, 1];
    SPREAD[(e * 3 + p * 2 + d + p * e) % 7]
}

fn grid(e: usize) -> Vec<Vec<u32>> {
    (0..PERSONS.len())
        .map(|p| (0..DIMENSIONS).map(|d| grade(e, p, d)).collect())
        .collect()
}

fn form_fields(e: usize) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (p, row) in grid(e).iter().enumerate() {
        for (d, g) in row.iter().enumerate() {
            out.push((format!("g.{p}.{d}"), g.to_string()));
        }
    }
    out
}

/// Expected per person: counts[d][g], favourable (优秀+称职), worst (不称职), rank, follow-up.
struct Expected {
    counts: Vec<Vec<Vec<u64>>>,
    favourable: Vec<u64>,
    worst: Vec<u64>,
    rank: Vec<u64>,
    follow_up: Vec<bool>,
}

fn expected() -> Expected {
    let mut counts = vec![vec![vec![0u64; 4]; DIMENSIONS]; PERSONS.len()];
    for e in 0..EVALUATORS {
        for (p, row) in grid(e).iter().enumerate() {
            for (d, g) in row.iter().enumerate() {
                counts[p][d][*g as usize] += 1;
            }
        }
    }
    let favourable: Vec<u64> = counts
        .iter()
        .map(|c| c.iter().map(|r| r[0] + r[1]).sum())
        .collect();
    let worst: Vec<u64> = counts
        .iter()
        .map(|c| c.iter().map(|r| r[3]).sum())
        .collect();
    let rank = favourable
        .iter()
        .map(|f| 1 + favourable.iter().filter(|o| *o > f).count() as u64)
        .collect();
    // 1/3 (inclusive) of 30 x 5 = 150 grades: at least 50 不称职.
    let follow_up = worst.iter().map(|w| *w >= 50).collect();
    Expected {
        counts,
        favourable,
        worst,
        rank,
        follow_up,
    }
}

/// Creates the review through the pages and lists the persons; returns its id.
async fn create_review(org: &Client, cid: &str) -> String {
    let id = org
        .create_review(
            cid,
            TITLE,
            "学生会主席团成员和各部门负责人每学期向评议会述职",
        )
        .await;
    // Not ready without persons (H1).
    let (_, page) = org.get_text(&format!("/c/{cid}/contests/{id}")).await;
    assert!(page.contains("规则H1") || page.contains("H1"), "{page}");
    // A bad line is refused with its line number, nothing saved.
    let (status, _, body) = staff_post(
        org,
        &format!("/c/{cid}/contests/{id}/review"),
        &[
            (
                "persons",
                "赵敏,主席团成员,文学院\n张伟,主席团成员,信息学院,多余",
            ),
            (
                "dimensions",
                "政治态度\n道德品行\n学习情况\n工作成效\n纪律作风",
            ),
            ("grades", "优秀\n称职\n基本称职\n不称职"),
            ("favourable", "2"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.contains("第 2 行"), "{body}");
    let persons: Vec<String> = std::iter::once("姓名,职务,学院".to_string())
        .chain(PERSONS.iter().map(|(n, p, c)| format!("{n}\t{p}\t{c}")))
        .collect();
    let persons = persons.join("\r\n");
    let (status, _, body) = staff_post(
        org,
        &format!("/c/{cid}/contests/{id}/review"),
        &[
            ("persons", persons.as_str()),
            (
                "dimensions",
                "政治态度\n道德品行\n学习情况\n工作成效\n纪律作风\n",
            ),
            ("grades", "优秀\n称职\n基本称职\n不称职"),
            ("favourable", "2"),
        ],
    )
    .await;
    assert_eq!(status, 303, "{body}");
    let (_, page) = org
        .get_text(&format!("/c/{cid}/contests/{id}/review"))
        .await;
    assert!(page.contains("被评议人（7名）"), "{page}");
    id
}

/// Delegate `e + 1` grades everyone: through the form (review step, then cast) for even `e`,
/// as JSON for odd `e`. Returns the tracker.
async fn evaluate(app: &TestApp, fx: &Fixture, cid: &str, kid: &str, e: usize) -> String {
    let phone = Phone::new(&app.base);
    phone.login(&fx.card(e as u32 + 1).token).await;
    let paper = phone.take_paper(cid, kid).await;
    if e.is_multiple_of(2) {
        let fields = form_fields(e);
        let check = phone.review(cid, kid, &fields).await;
        assert_eq!(check.status, 200, "{}", check.body);
        assert!(check.body.contains("基本称职") || check.body.contains("称职"));
        let cast = phone.cast(cid, kid, &paper, &fields).await;
        assert_eq!(cast.status, 303, "{}", cast.body);
        cast.receipt_hash().expect("a receipt")
    } else {
        let body = serde_json::json!({
            "choices": {"review": grid(e)},
            "token": paper.token,
            "token_sig": paper.token_sig,
        });
        let cast = phone
            .post_json(&format!("/box/{cid}/{kid}/cast"), &body)
            .await;
        assert_eq!(cast.status, 200, "{}", cast.body);
        cast.json()["ballot_hash"]
            .as_str()
            .expect("hash")
            .to_string()
    }
}

fn cells(range: &calamine::Range<Data>, row: usize) -> Vec<String> {
    (0..range.width())
        .map(|c| match range.get((row, c)) {
            Some(Data::Float(f)) => format!("{f}"),
            Some(Data::Int(i)) => i.to_string(),
            Some(Data::String(s)) => s.clone(),
            Some(Data::Empty) | None => String::new(),
            Some(other) => other.to_string(),
        })
        .collect()
}

/// Creates the review and opens it with 30 present; returns (fixture, organiser, congress,
/// review).
pub async fn open_review(app: &TestApp) -> (Fixture, Client, String, String) {
    let fx = fixture::for_app(app, EVALUATORS);
    let cid = fx.congress_id.clone();
    let org = organiser(app).await;
    let kid = create_review(&org, &cid).await;
    for no in 1..=EVALUATORS as u32 {
        desk_check_in(&org, &cid, no).await;
    }
    let (status, body) = open_contest(&org, &cid, &kid).await;
    assert_eq!(status, 303, "{body}");
    (fx, org, cid, kid)
}

/// Runs the review up to counted; returns (fixture, organiser, congress, review).
pub async fn counted_review(app: &TestApp) -> (Fixture, Client, String, String) {
    let (fx, org, cid, kid) = open_review(app).await;

    // The phone's paper: a grid under 20 KB; an incomplete grid says which cell is missing.
    let probe = Phone::new(&app.base);
    probe.login(&fx.card(1).token).await;
    let page = probe.ballot(&cid, &kid).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.len() < 20 * 1024, "{} bytes", page.body.len());
    eprintln!("review paper, 7 x 5 x 4: {} bytes of HTML", page.body.len());
    assert_eq!(page.body.matches("type=\"radio\"").count(), 7 * 5 * 4);
    // The printable paper ballot (issue 14.8): the persons in the phone's order, a box per
    // grade of each dimension, and nobody's identity.
    let (status, paper) = org
        .get_text(&format!("/c/{cid}/contests/{kid}/paper-ballot"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(paper.matches("class=\"mark-box\"").count(), 7 * 5 * 4);
    let order = |html: &str| {
        let mut at: Vec<(usize, &str)> = PERSONS
            .iter()
            .map(|(n, _, _)| (html.find(n).expect(n), *n))
            .collect();
        at.sort();
        at.into_iter().map(|(_, n)| n).collect::<Vec<_>>()
    };
    assert_eq!(order(&paper), order(&page.body));
    assert!(paper.contains("述职评议表") && paper.contains("监票人签章"));
    let mut missing = form_fields(0);
    missing.retain(|(k, _)| k != "g.3.2");
    let refused = probe.review(&cid, &kid, &missing).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(
        refused.body.contains("王建国 的“学习情况”"),
        "{}",
        refused.body
    );

    let mut trackers = Vec::new();
    for e in 0..EVALUATORS {
        trackers.push(evaluate(app, &fx, &cid, &kid, e).await);
    }
    assert_eq!(
        trackers
            .iter()
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
        EVALUATORS
    );
    // No paper was handed out: closing counts at once.
    close_contest(&org, &cid, &kid).await;
    (fx, org, cid, kid)
}

both_backends!(
    a_review_of_seven_by_thirty_is_counted_published_and_verified,
    |kind: Kind| {
        let app = TestApp::start(kind, "review_e2e");
        block_on(async {
            let (fx, org, cid, kid) = counted_review(&app).await;
            let want = expected();
            assert!(want.follow_up[6] && !want.follow_up[..6].iter().any(|f| *f));

            // The public result page: one chart per person, the ranking, the follow-up.
            let anon = app.client();
            let (status, page) = anon.get_text(&format!("/b/{cid}/{kid}/result")).await;
            assert_eq!(status, 200, "{page}");
            assert_eq!(page.matches("<svg class=\"rvchart\"").count(), 7, "{page}");
            assert!(page.contains("列入跟进"));
            for (name, _, _) in PERSONS {
                assert!(page.contains(name));
            }
            // The board lists the 30 papers with the grade names per person and dimension
            // (12 gave 何芳 不称职 throughout); the projector shows the outcome line.
            let (status, board) = anon.get_text(&format!("/b/{cid}/{kid}")).await;
            assert_eq!(status, 200, "{board}");
            assert_eq!(board.matches("<td>赵敏: 政治态度 ").count(), 30, "{board}");
            assert_eq!(board.matches("<td>有效</td>").count(), 30, "{board}");
            assert_eq!(
                board
                    .matches("何芳: 政治态度 不称职 · 道德品行 不称职 · 学习情况 不称职 · 工作成效 不称职 · 纪律作风 不称职")
                    .count(),
                12,
                "{board}"
            );
            assert!(!board.contains("等次序号"), "grades by name, not position");
            let (status, screen) = anon.get_text(&format!("/b/{cid}/screen")).await;
            assert_eq!(status, 200);
            assert!(screen.contains("述职评议 7 人, 列入跟进: 何芳"), "{screen}");
            let (status, sheet) = anon.get_text(&format!("/b/{cid}/{kid}/result/print")).await;
            assert_eq!(status, 200);
            assert!(sheet.contains("述职评议结果公示") && sheet.contains("/static/print.css"));
            assert_eq!(sheet.matches("<svg class=\"rvchart\"").count(), 7);

            // The workbook: one row per person with the figures, and per person and dimension.
            let r = anon.get(&format!("/b/{cid}/{kid}/result.xlsx")).await;
            assert_eq!(r.status(), 200);
            let bytes = r.bytes().await.unwrap().to_vec();
            let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("xlsx");
            let first = book.worksheet_range_at(0).expect("sheet").expect("range");
            assert_eq!(
                cells(&first, 1)[..5],
                ["排名", "姓名", "职务", "学院", "优秀+称职率"]
            );
            for (p, (name, post, _)) in PERSONS.iter().enumerate() {
                let row = cells(&first, p + 2);
                assert_eq!((row[1].as_str(), row[2].as_str()), (*name, *post));
                assert_eq!(row[0], want.rank[p].to_string(), "rank of {name}");
                assert_eq!(
                    row[5],
                    want.favourable[p].to_string(),
                    "favourable of {name}"
                );
                assert_eq!(row[6], "150");
                assert_eq!(row[7], want.worst[p].to_string());
                assert_eq!(row[8] == "列入跟进", want.follow_up[p], "{name}");
            }
            let second = book.worksheet_range_at(1).expect("sheet").expect("range");
            for p in 0..PERSONS.len() {
                for d in 0..DIMENSIONS {
                    let row = cells(&second, 2 + p * DIMENSIONS + d);
                    let got: Vec<String> = row[3..7].to_vec();
                    let exp: Vec<String> = want.counts[p][d].iter().map(u64::to_string).collect();
                    assert_eq!(got, exp, "person {p} dimension {d}");
                }
            }

            // Close the congress (the fixture's draft contests are not held) and certify; the
            // roster summary of the record needs the enrolment the fixture did not import.
            {
                use congress::domain::types::CollegeEnrolment;
                let mut c = app.db.db.conn().unwrap();
                let enrolment: Vec<CollegeEnrolment> = fixture::COLLEGES
                    .iter()
                    .map(|name| CollegeEnrolment {
                        college: name.to_string(),
                        grades: vec![
                            ("2022级".into(), 300),
                            ("2023级".into(), 300),
                            ("2024级".into(), 300),
                        ],
                    })
                    .collect();
                congress::storage::repo::roster::replace_enrolment(
                    &mut c,
                    &CongressId::from(&cid),
                    &enrolment,
                )
                .unwrap();
            }
            for draft in [&fx.election, &fx.work_report, &fx.charter] {
                let (status, _, body) =
                    staff_post(&org, &format!("/c/{cid}/contests/{draft}/delete"), &[]).await;
                assert_eq!(status, 303, "{body}");
            }
            let (status, _, body) = staff_post(&org, &format!("/c/{cid}/close"), &[]).await;
            assert_eq!(status, 303, "{body}");
            let (status, _, body) =
                staff_post(&org, &format!("/c/{cid}/record/certify"), &[]).await;
            assert_eq!(status, 303, "{body}");
            let r = org.get(&format!("/c/{cid}/record/packet.zip")).await;
            assert_eq!(r.status(), 200);
            let zip_bytes = r.bytes().await.unwrap().to_vec();
            let tmp = tempfile::tempdir().unwrap();
            let mut zip = zip::ZipArchive::new(Cursor::new(zip_bytes)).unwrap();
            zip.extract(tmp.path()).unwrap();
            let dir = tmp.path().join(format!("{cid}-packet"));

            // The record states the definition and the result the verifiers recount.
            let record: serde_json::Value =
                serde_json::from_slice(&std::fs::read(dir.join("record.json")).unwrap()).unwrap();
            let c = &record["contests"][0];
            assert_eq!(c["kind"], "review");
            assert_eq!(c["review"]["persons"].as_array().unwrap().len(), 7);
            assert_eq!(c["result"]["valid"], 30);
            let persons = c["result"]["detail"]["review"]["persons"]
                .as_array()
                .unwrap();
            for (p, got) in persons.iter().enumerate() {
                assert_eq!(got["counts"], serde_json::json!(want.counts[p]));
                assert_eq!(got["rank"], want.rank[p]);
                assert_eq!(got["follow_up"], want.follow_up[p]);
            }
            let report = std::fs::read_to_string(dir.join("report.html")).unwrap();
            assert!(report.contains("列入跟进") && report.contains("何芳"));
            // Each person's grades drawn on the record too (issue 14.6).
            assert_eq!(report.matches("<svg class=\"rvchart\"").count(), 7);

            let verify = Command::new(env!("CARGO_BIN_EXE_congress"))
                .arg("verify")
                .arg(&dir)
                .env("RUST_LOG", "error")
                .output()
                .unwrap();
            let out = String::from_utf8_lossy(&verify.stdout);
            assert_eq!(verify.status.code(), Some(0), "{out}");
            assert!(out.contains("计票复核"), "{out}");
            let py = Command::new("python3")
                .arg(dir.join("verify_packet.py"))
                .arg(&dir)
                .output()
                .unwrap();
            let out = String::from_utf8_lossy(&py.stdout);
            assert_eq!(py.status.code(), Some(0), "{out}");
            assert!(out.contains("review recounted: 30 valid papers"), "{out}");

            // One changed grade count in the record: the signature and both recounts fail.
            let raw = std::fs::read_to_string(dir.join("record.json")).unwrap();
            let from = format!("\"counts\":{}", serde_json::json!(want.counts[0]));
            let mut tampered = want.counts[0].clone();
            tampered[0][0] += 1;
            let to = format!("\"counts\":{}", serde_json::json!(tampered));
            assert!(raw.contains(&from));
            std::fs::write(dir.join("record.json"), raw.replacen(&from, &to, 1)).unwrap();
            let py = Command::new("python3")
                .arg(dir.join("verify_packet.py"))
                .arg(&dir)
                .output()
                .unwrap();
            let out = String::from_utf8_lossy(&py.stdout);
            assert_eq!(py.status.code(), Some(1), "{out}");
            assert!(
                out.contains("FAIL ") && out.contains("review recounted"),
                "{out}"
            );
            let verify = Command::new(env!("CARGO_BIN_EXE_congress"))
                .arg("verify")
                .arg(&dir)
                .env("RUST_LOG", "error")
                .output()
                .unwrap();
            assert_eq!(verify.status.code(), Some(1));
        });
    }
);

// The pages in Chromium: the phone's grid at 390 px, the result page at 390 and 1366 px, the
// printed sheet; saved under `<target>/screenshots/review-*.png`, none scrolls sideways.
test!(review_pages_in_chromium, browser);
fn review_pages_in_chromium() {
    use crate::common::browser::{capabilities, fits_and_shoot, tools, viewport, Chromedriver};
    use thirtyfour::prelude::*;
    let (chromium, chromedriver) = tools("review_pages_in_chromium");
    let app = TestApp::start(Kind::Sqlite, "review_browser");
    block_on(async {
        let (fx, org, cid, kid) = open_review(&app).await;
        let server = Chromedriver::start(&chromedriver);
        let driver = WebDriver::new(&server.url, capabilities(&chromium, 1366, 900, false))
            .await
            .expect("session");
        let shoot = |url: String, name: &'static str, width: u32, height: u32| {
            let driver = &driver;
            async move {
                viewport(driver, width, height).await.expect("viewport");
                driver.goto(&url).await.expect("goto");
                fits_and_shoot(driver, name, width).await.expect("shot");
            }
        };
        shoot(
            app.url(&format!("/box/{cid}/{kid}")),
            "review-ballot",
            390,
            2400,
        )
        .await;
        crate::common::browser::log_in(
            &driver,
            &app.url("/login"),
            fixture::ORGANISER,
            fixture::ORGANISER_PASSWORD,
        )
        .await
        .expect("staff login");
        let settings = app.url(&format!("/c/{cid}/contests/{kid}/review"));
        shoot(settings.clone(), "review-settings", 390, 1600).await;
        shoot(settings, "review-settings", 1366, 1000).await;
        shoot(
            app.url(&format!("/c/{cid}/contests/{kid}/paper-ballot")),
            "review-paper-ballot",
            1366,
            2400,
        )
        .await;
        for e in 0..EVALUATORS {
            evaluate(&app, &fx, &cid, &kid, e).await;
        }
        close_contest(&org, &cid, &kid).await;
        let result = app.url(&format!("/b/{cid}/{kid}/result"));
        shoot(result.clone(), "review-result", 390, 6000).await;
        shoot(result, "review-result", 1366, 4200).await;
        shoot(
            app.url(&format!("/b/{cid}/{kid}/result/print")),
            "review-print",
            900,
            5200,
        )
        .await;
        driver.quit().await.expect("quit");
    });
}
