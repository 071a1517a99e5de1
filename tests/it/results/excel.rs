//! The .xlsx downloads and the printable paper ballot (issue 14.8), over HTTP on both backends
//! and read back with calamine: the roster (代表编号 and 学号 as text, a name starting with
//! `=` guarded, the file importing back as a roster), the quota table against its CSV, the
//! sign-in sheet (a blank 签名 cell per delegate, A4 print setup), a contest's roll (people
//! only, never a tracker), the results against the count; the import templates as .xlsx
//! importing through the real importer; the paper ballot in the phone ballot's order.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use calamine::{Data, Range, Reader, Xlsx};
use congress::import::{
    parse_candidates, parse_enrolment, parse_nominees, parse_roster, parse_societies, read_table,
    FileKind,
};

use super::block_on;
use super::fixture::{
    counted, student_no, voted, World, CANDIDATES, COLLEGES, DELEGATES, ELECTION_TITLE,
};
use crate::common::http::{Client, TestApp};
use crate::common::Kind;
use congress::storage::repo::users::Role;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
/// A delegate's name as a spreadsheet attack would write it.
const EVIL: &str = "=HYPERLINK(\"http://example.invalid\",\"点我\")";

async fn download(c: &Client, path: &str) -> Vec<u8> {
    let r = c.get(path).await;
    assert_eq!(r.status(), 200, "{path}");
    let ct = r.headers()["content-type"].to_str().unwrap().to_string();
    assert_eq!(ct, XLSX, "{path}");
    r.bytes().await.unwrap().to_vec()
}

/// Keeps a downloaded workbook as `<target>/screenshots/<name>-<backend>.xlsx`, to open and
/// print by hand.
fn keep(kind: Kind, name: &str, bytes: &[u8]) {
    let backend = format!("{kind:?}").to_lowercase();
    let path = crate::common::browser::screenshot_dir().join(format!("{name}-{backend}.xlsx"));
    std::fs::write(path, bytes).expect("write the workbook");
}

fn first_sheet(bytes: &[u8]) -> Range<Data> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).expect("xlsx");
    book.worksheet_range_at(0).expect("a sheet").expect("range")
}

fn cells(range: &Range<Data>, row: usize) -> Vec<String> {
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

/// A part of the .xlsx zip as text.
fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes.to_vec())).expect("zip");
    let mut s = String::new();
    zip.by_name(name)
        .expect(name)
        .read_to_string(&mut s)
        .unwrap();
    s
}

fn rename_delegate(w: &World, no: i32, name: &str) {
    use congress::storage::schema::delegates;
    use diesel::prelude::*;
    let mut c = w.conn();
    let n = diesel::update(
        delegates::table
            .filter(delegates::congress_id.eq(&w.cid))
            .filter(delegates::delegate_no.eq(no)),
    )
    .set(delegates::name.eq(name))
    .execute(&mut *c)
    .expect("rename");
    assert_eq!(n, 1);
}

both_backends!(xlsx_exports_hold_the_data, |kind: Kind| {
    let w = counted(kind, "xlsx_exports");
    rename_delegate(&w, 3, EVIL);
    let name_of = |i: usize| if i == 2 { EVIL } else { DELEGATES[i].0 };
    block_on(async {
        let cid = &w.cid;

        // The roster: headers first (it imports back), one row per delegate, IDs as text.
        let bytes = download(&w.org, &format!("/c/{cid}/roster.xlsx")).await;
        keep(kind, "roster", &bytes);
        let s = first_sheet(&bytes);
        let mut head = vec!["代表编号"];
        head.extend(FileKind::Roster.headers());
        assert_eq!(cells(&s, 0), head);
        assert_eq!(s.height(), 1 + DELEGATES.len());
        for i in 0..DELEGATES.len() {
            let row = (i + 1, 0);
            assert_eq!(s.get(row), Some(&Data::String((i + 1).to_string())));
            assert_eq!(s.get((i + 1, 2)), Some(&Data::String(student_no(i))));
            let want = if i == 2 {
                format!("'{EVIL}")
            } else {
                DELEGATES[i].0.to_string()
            };
            assert_eq!(s.get((i + 1, 1)), Some(&Data::String(want)), "row {i}");
            assert_eq!(cells(&s, i + 1)[3], COLLEGES[i / 4]);
        }
        // The guarded cell is also quote-prefixed for Excel.
        assert!(part(&bytes, "xl/styles.xml").contains("quotePrefix=\"1\""));
        let table = read_table("代表名单.xlsx", &bytes).expect("reads");
        let back = parse_roster(&table).expect("imports as a roster");
        assert_eq!(back.len(), DELEGATES.len());
        for (i, e) in back.iter().enumerate() {
            assert_eq!(
                e.student.name,
                name_of(i),
                "the apostrophe is dropped again"
            );
            assert_eq!(e.student.student_no, student_no(i));
        }

        // The quota table: the CSV's rows, numbers as numbers.
        let bytes = download(&w.org, &format!("/c/{cid}/quota.xlsx")).await;
        keep(kind, "quota", &bytes);
        let s = first_sheet(&bytes);
        assert!(
            cells(&s, 0)[0].ends_with(" 名额分配表"),
            "{:?}",
            cells(&s, 0)
        );
        assert_eq!(
            cells(&s, 1)[..5],
            [
                "学院",
                "在校生人数",
                "按比例应得(精确值)",
                "最低名额(A1)",
                "分配名额"
            ]
        );
        let (status, csv) = w.org.get_text(&format!("/c/{cid}/quota.csv")).await;
        assert_eq!(status, 200);
        let csv_rows: Vec<Vec<String>> = csv
            .trim_start_matches('\u{feff}')
            .lines()
            .skip(1)
            .map(|l| l.split(',').map(str::to_string).collect())
            .collect();
        assert_eq!(csv_rows.len(), COLLEGES.len() + 1);
        for (i, want) in csv_rows.iter().enumerate() {
            let got = cells(&s, i + 2);
            assert_eq!(got[0], want[0]);
            assert_eq!(got[1], want[1], "enrolment of {}", want[0]);
            assert_eq!(got[4], want[4], "seats of {}", want[0]);
            assert!(matches!(s.get((i + 2, 4)), Some(Data::Float(_))));
        }
        assert_eq!(cells(&s, 2 + COLLEGES.len())[0], "合计");

        // The sign-in sheet: every delegate, a blank 签名 cell, A4 portrait fitted to the width,
        // the header repeated on each page.
        let bytes = download(&w.org, &format!("/c/{cid}/attendance.xlsx")).await;
        keep(kind, "sign-in", &bytes);
        let s = first_sheet(&bytes);
        assert!(
            cells(&s, 0)[0].ends_with("代表签到表"),
            "{:?}",
            cells(&s, 0)
        );
        assert_eq!(
            cells(&s, 1),
            ["代表编号", "姓名", "学院", "代表类别", "签名", "备注"]
        );
        let mut present = 0;
        for (i, (name, _, _)) in DELEGATES.iter().enumerate() {
            let row = cells(&s, i + 2);
            assert_eq!(row[0], (i + 1).to_string());
            assert_eq!(
                row[1],
                if i == 2 {
                    format!("'{EVIL}")
                } else {
                    name.to_string()
                }
            );
            assert_eq!(row[4], "", "the 签名 cell is left blank");
            present += usize::from(row[5].starts_with("已签到"));
        }
        assert_eq!(present, 10, "10 of the 12 are checked in");
        let sheet = part(&bytes, "xl/worksheets/sheet1.xml");
        assert!(sheet.contains("paperSize=\"9\""), "A4: {sheet}");
        assert!(sheet.contains("orientation=\"portrait\""));
        assert!(sheet.contains("fitToPage=\"1\"") && sheet.contains("fitToHeight=\"0\""));
        assert!(sheet.contains("<pane ySplit=\"2\""), "the header is frozen");
        let book = part(&bytes, "xl/workbook.xml");
        assert!(book.contains("_xlnm.Print_Titles"), "{book}");
        assert!(book.contains("$2:$2"), "row 2 repeats on each page: {book}");

        // The election's roll: the 10 who took a paper (9 phones, delegate 10 on paper), by
        // number, three columns and nothing that names a ballot.
        let bytes = download(
            &w.org,
            &format!("/c/{cid}/contests/{}/roll.xlsx", w.election),
        )
        .await;
        keep(kind, "roll", &bytes);
        let s = first_sheet(&bytes);
        assert!(cells(&s, 0)[0].contains(ELECTION_TITLE));
        assert_eq!(cells(&s, 1), ["代表编号", "姓名", "学院"]);
        let numbers: Vec<String> = (2..12).map(|r| cells(&s, r)[0].clone()).collect();
        let want: Vec<String> = (1..=10).map(|n: usize| n.to_string()).collect();
        assert_eq!(numbers, want);
        assert_eq!(cells(&s, 12)[0], "", "a blank line before the figures");
        let strings = part(&bytes, "xl/sharedStrings.xml");
        for t in w.election_trackers.iter().chain([&w.paper_tracker]) {
            assert!(!strings.contains(&t[..16]), "a tracker in the roll");
        }
        assert!(strings.contains("发出选票 (开始投票时实到): 10"));

        // The results: the count of the fixture's table, as the CSV has it.
        let anon = w.app.client();
        let bytes = download(&anon, &format!("/b/{cid}/{}/result.xlsx", w.election)).await;
        keep(kind, "result", &bytes);
        let s = first_sheet(&bytes);
        assert_eq!(
            cells(&s, 1),
            ["姓名", "类别", "赞成", "不赞成", "弃权", "结果"]
        );
        let mut got = BTreeMap::new();
        for r in 2..2 + CANDIDATES.len() {
            let row = cells(&s, r);
            got.insert(
                row[0].clone(),
                (row[2].clone(), row[3].clone(), row[4].clone()),
            );
        }
        let want: BTreeMap<String, (String, String, String)> = [
            ("王芳", "8", "1", "0"),
            ("李强", "7", "2", "0"),
            ("张伟", "6", "0", "3"),
            ("刘洋", "6", "3", "0"),
            ("陈静", "0", "5", "4"),
        ]
        .into_iter()
        .map(|(n, a, b, c)| (n.to_string(), (a.into(), b.into(), c.into())))
        .collect();
        assert_eq!(got, want);
        let strings = part(&bytes, "xl/sharedStrings.xml");
        assert!(strings.contains("有效票: 9; 废票: 1"), "{strings}");
        let bytes = download(&anon, &format!("/b/{cid}/{}/result.xlsx", w.motion)).await;
        let s = first_sheet(&bytes);
        assert_eq!(cells(&s, 2)[1..], ["7", "1", "1", "通过"]);

        // Each workbook is linked beside its CSV.
        let (e, m) = (&w.election, &w.motion);
        for (page, link) in [
            (format!("/c/{cid}/roster"), format!("/c/{cid}/roster.xlsx")),
            (format!("/c/{cid}/quota"), format!("/c/{cid}/quota.xlsx")),
            (
                format!("/c/{cid}/attendance"),
                format!("/c/{cid}/attendance.xlsx"),
            ),
            (
                format!("/c/{cid}/contests/{e}/roll"),
                format!("/c/{cid}/contests/{e}/roll.xlsx"),
            ),
            (
                format!("/b/{cid}/{m}/result"),
                format!("/b/{cid}/{m}/result.xlsx"),
            ),
            (
                format!("/c/{cid}/files"),
                "/templates/enrolment.xlsx".to_string(),
            ),
        ] {
            let (status, html) = w.org.get_text(&page).await;
            assert_eq!(status, 200, "{page}");
            assert!(
                html.contains(&format!("href=\"{link}\"")),
                "{page} links {link}"
            );
        }

        // The staff files are the staff's: anonymous is sent to log in.
        for p in ["roster.xlsx", "attendance.xlsx", "quota.xlsx"] {
            let r = anon.get(&format!("/c/{cid}/{p}")).await;
            assert_eq!(r.status(), 303, "{p}");
        }
    });
});

both_backends!(the_paper_ballot_follows_the_phone_ballot, |kind: Kind| {
    let w = voted(kind, "paper_ballot_order");
    block_on(async {
        let cid = &w.cid;
        // The phone ballot (open: the contest is being voted).
        let (status, phone) = w
            .app
            .client()
            .get_text(&format!("/box/{cid}/{}", w.election))
            .await;
        assert_eq!(status, 200);
        let order = |html: &str| {
            let mut at: Vec<(usize, &str)> = CANDIDATES
                .iter()
                .map(|n| (html.find(&format!("<strong>{n}</strong>")).expect(n), *n))
                .collect();
            at.sort();
            at.into_iter().map(|(_, n)| n).collect::<Vec<_>>()
        };
        let (status, paper) = w
            .org
            .get_text(&format!("/c/{cid}/contests/{}/paper-ballot", w.election))
            .await;
        assert_eq!(status, 200);
        assert_eq!(order(&paper), order(&phone));
        assert!(paper.contains(ELECTION_TITLE) && paper.contains("监票人签章"));
        assert!(paper.contains("/static/print.css"));
        assert_eq!(
            paper.matches("class=\"mark-box\"").count(),
            CANDIDATES.len() * 3,
            "赞成 / 不赞成 / 弃权 for each candidate"
        );
        assert!(paper.contains("本次应选 <strong>3</strong> 名"));
        assert!(
            !paper.contains("write-line") && !paper.contains("另选他人"),
            "the election allows no write-ins"
        );
        for (d, _, _) in DELEGATES {
            assert!(!paper.contains(d), "no delegate on the paper: {d}");
        }
        for i in 0..DELEGATES.len() {
            assert!(!paper.contains(&student_no(i)));
        }
        // A motion's paper: its three options.
        let (status, paper) = w
            .org
            .get_text(&format!("/c/{cid}/contests/{}/paper-ballot", w.motion))
            .await;
        assert_eq!(status, 200);
        assert_eq!(paper.matches("class=\"mark-box\"").count(), 3);
        assert!(paper.contains("表 决 票") && paper.contains("反对"));
        // Linked from the contest's page for staff; anonymous is sent to log in.
        let (_, page) = w
            .org
            .get_text(&format!("/c/{cid}/contests/{}", w.election))
            .await;
        assert!(page.contains(&format!("/c/{cid}/contests/{}/paper-ballot", w.election)));
        let r = w
            .app
            .client()
            .get(&format!("/c/{cid}/contests/{}/paper-ballot", w.election))
            .await;
        assert_eq!(r.status(), 303);
    });
});

both_backends!(xlsx_templates_import_through_the_importer, |kind: Kind| {
    let app = TestApp::start(kind, "xlsx_templates");
    block_on(async {
        let org = app.login_as("zuzhi", Role::Organiser).await;
        let cid = org.create_congress().await;
        for (name, kind) in [
            ("enrolment", FileKind::Enrolment),
            ("societies", FileKind::Societies),
            ("nominees", FileKind::Nominees),
            ("roster", FileKind::Roster),
            ("candidates", FileKind::Candidates),
        ] {
            let bytes = download(&org, &format!("/templates/{name}.xlsx")).await;
            let s = first_sheet(&bytes);
            assert_eq!(
                cells(&s, 0),
                kind.headers(),
                "{name}: the importer's columns"
            );
            assert_eq!(s.height(), 2, "{name}: the headers and one sample row");
            if let Some(c) = kind.headers().iter().position(|h| *h == "学号") {
                assert!(
                    matches!(s.get((1, c)), Some(Data::String(_))),
                    "{name}: 学号 is text"
                );
            }
            // The sample row reads exactly as the CSV template's.
            let csv = org.get(&format!("/templates/{name}.csv")).await;
            assert_eq!(csv.status(), 200);
            let csv = csv.bytes().await.unwrap().to_vec();
            let x = read_table(&format!("{name}.xlsx"), &bytes).expect("xlsx reads");
            let c = read_table(&format!("{name}.csv"), &csv).expect("csv reads");
            match kind {
                FileKind::Enrolment => {
                    assert_eq!(parse_enrolment(&x).unwrap(), parse_enrolment(&c).unwrap())
                }
                FileKind::Societies => {
                    assert_eq!(parse_societies(&x).unwrap(), parse_societies(&c).unwrap())
                }
                FileKind::Nominees => {
                    assert_eq!(parse_nominees(&x).unwrap(), parse_nominees(&c).unwrap())
                }
                FileKind::Roster => {
                    assert_eq!(parse_roster(&x).unwrap(), parse_roster(&c).unwrap())
                }
                FileKind::Candidates => {
                    assert_eq!(parse_candidates(&x).unwrap(), parse_candidates(&c).unwrap())
                }
            }
            // And through the pages, where the organiser uploads it.
            let path = match name {
                "roster" => Some(format!("/c/{cid}/roster/upload")),
                "candidates" => None,
                _ => Some(format!("/c/{cid}/files/{name}")),
            };
            if let Some(path) = path {
                let r = org
                    .upload(&path, &format!("{name}.xlsx"), bytes.clone())
                    .await;
                let status = r.status();
                let page = r.text().await.unwrap();
                assert_eq!(status, 200, "{name}: {page}");
                let said = if name == "roster" {
                    format!("已上传“{name}.xlsx”: 1名代表")
                } else {
                    format!("已导入“{name}.xlsx”: 1行数据")
                };
                assert!(page.contains(&said), "{name}: {page}");
            }
        }
        let r = org.get("/templates/nosuch.xlsx").await;
        assert_eq!(r.status(), 404);
    });
});
