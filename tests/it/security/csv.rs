//! No CSV the system writes can run a formula in a spreadsheet. A congress whose delegates,
//! a college, a candidate, a write-in and the enrolment carry names starting with `=`, `+`,
//! `-`, `@`, tab and carriage return goes from check-in to the certified record; then EVERY
//! CSV export is fetched (roster, quota, audit log, attendance, the contest's results, the
//! rolls inside the filing packet) and no cell of any of them starts with one of those
//! characters, while each hostile value is there, guarded with a leading apostrophe.

use std::io::Read;

use diesel::prelude::*;

use congress::domain::ids::{CongressId, ContestId};
use congress::storage::schema::{candidates, delegates, enrolment};

use super::phone::{self, Phone};
use super::{block_on, fixture, fixture_organiser};
use crate::common::http::{Client, TestApp};
use crate::common::Kind;

/// Delegates 1-6 get these names.
const NAMES: [&str; 6] = [
    "=1+1",
    "+SUM(1,2)",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=TAB()",
    "\r=CR()",
];
const COLLEGE: &str = "-学院";
const CANDIDATE: &str = "=HYPERLINK(\"http://x.invalid\",\"点我\")";
const WRITE_IN: &str = "@WEBSERVICE(\"http://x.invalid\")";
const ENROLMENT_COLLEGE: &str = "+学院";
const DANGER: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Every cell of a CSV file (UTF-8 with BOM).
fn cells(what: &str, bytes: &[u8]) -> Vec<String> {
    let body = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or_else(|| panic!("{what}: no BOM"));
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(body);
    r.records()
        .flat_map(|rec| {
            rec.unwrap_or_else(|e| panic!("{what}: {e}"))
                .iter()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// No cell starts a formula; each of `expected` is there with the guard.
fn check(what: &str, bytes: &[u8], expected: &[&str]) {
    let all = cells(what, bytes);
    assert!(!all.is_empty(), "{what} is empty");
    for c in &all {
        assert!(
            !c.starts_with(DANGER),
            "{what}: the cell {c:?} would run as a formula"
        );
    }
    for e in expected {
        let guarded = format!("'{e}");
        assert!(
            all.iter().any(|c| *c == guarded || c.starts_with(&guarded)),
            "{what}: {e:?} is not there guarded as {guarded:?}"
        );
    }
}

async fn download(c: &Client, path: &str) -> Vec<u8> {
    let r = c.get(path).await;
    assert_eq!(r.status(), 200, "{path}");
    r.bytes().await.unwrap().to_vec()
}

async fn post(c: &Client, path: &str, fields: &[(&str, &str)]) {
    let r = c.post_form(path, fields).await;
    let status = r.status();
    assert_eq!(
        status,
        303,
        "{path}: {}",
        r.text().await.unwrap_or_default()
    );
}

both_backends!(no_csv_export_runs_a_formula, |kind: Kind| {
    let app = TestApp::start(kind, "csv_formulas");
    let fx = fixture::for_app(&app, 6);
    let cid = fx.congress_id.clone();
    {
        let mut c = app.db.db.conn().unwrap();
        for (i, name) in NAMES.iter().enumerate() {
            diesel::update(
                delegates::table
                    .filter(delegates::congress_id.eq(&cid))
                    .filter(delegates::delegate_no.eq(i as i32 + 1)),
            )
            .set(delegates::name.eq(*name))
            .execute(&mut *c)
            .unwrap();
        }
        diesel::update(
            delegates::table
                .filter(delegates::congress_id.eq(&cid))
                .filter(delegates::delegate_no.eq(2)),
        )
        .set(delegates::college.eq(COLLEGE))
        .execute(&mut *c)
        .unwrap();
        diesel::update(
            candidates::table
                .filter(candidates::contest_id.eq(&fx.election))
                .filter(candidates::id.eq(&fx.candidates[0])),
        )
        .set(candidates::name.eq(CANDIDATE))
        .execute(&mut *c)
        .unwrap();
        // The enrolment (the record's roster summary needs one): every college and grade of
        // the roster, and one more college with a hostile name for the quota table.
        let mut pairs: Vec<(String, String)> = delegates::table
            .filter(delegates::congress_id.eq(&cid))
            .select((delegates::college, delegates::grade))
            .distinct()
            .load(&mut *c)
            .unwrap();
        pairs.push((ENROLMENT_COLLEGE.to_string(), "2023级".to_string()));
        for (i, (college, grade)) in pairs.into_iter().enumerate() {
            diesel::insert_into(enrolment::table)
                .values((
                    enrolment::congress_id.eq(&cid),
                    enrolment::college.eq(college),
                    enrolment::grade.eq(grade),
                    enrolment::students.eq(1000i64),
                    enrolment::row_no.eq(i as i32 + 2),
                ))
                .execute(&mut *c)
                .unwrap();
        }
    }
    block_on(async {
        let org = fixture_organiser(&app).await;
        // The college sheet of "-学院" is printed: the audit log's target is that name.
        let r = org
            .get(&format!(
                "/c/{cid}/credentials/print?college=-%E5%AD%A6%E9%99%A2"
            ))
            .await;
        assert_eq!(r.status(), 200);
        // Everyone checks in by card and votes; delegate 1 writes a name in.
        let mut phones = Vec::new();
        for no in 1..=6 {
            let p = Phone::new(&app.base);
            p.login(&fx.card(no).token).await;
            phones.push(p);
        }
        let k = &fx.election;
        // The list changed after the fixture's steps (the formula-named candidates): rules
        // C5, C6 need them again for the current list.
        {
            let mut c = app.db.db.conn().unwrap();
            let key = app.state.keys.load(&cid).unwrap();
            congress::service::approval::prior::record_past_steps_for_all(
                &mut c,
                &congress::service::Actor::cli("test-fixture"),
                &key,
                &CongressId::from(&cid),
            )
            .unwrap();
        }
        post(&org, &format!("/c/{cid}/contests/{k}/voting/open"), &[]).await;
        for (i, p) in phones.iter().enumerate() {
            let paper = p.take_paper(&cid, k).await;
            let mut marks = phone::marks(&fx.candidates, &["for", "against", "abstain", "for"]);
            if i == 0 {
                marks.push(("w1".to_string(), WRITE_IN.to_string()));
            }
            let r = p.cast(&cid, k, &paper, &marks).await;
            assert_eq!(r.status, 303, "{}", r.body);
        }
        post(&org, &format!("/c/{cid}/contests/{k}/voting/close"), &[]).await;
        // The count proposes a further round for the seats left empty; it is not held (F3).
        let rounds: Vec<String> = {
            let mut c = app.db.db.conn().unwrap();
            congress::storage::repo::contests::list(&mut c, &CongressId::from(&cid))
                .unwrap()
                .into_iter()
                .filter(|x| x.parent_id.as_ref().map(ContestId::as_str) == Some(k.as_str()))
                .map(|x| x.id.into_string())
                .collect()
        };
        for round in rounds {
            post(
                &org,
                &format!("/c/{cid}/contests/{round}/not-held"),
                &[("reason", "减少名额")],
            )
            .await;
        }
        post(&org, &format!("/c/{cid}/close"), &[]).await;
        post(&org, &format!("/c/{cid}/record/certify"), &[]).await;
        let roster = download(&org, &format!("/c/{cid}/roster.csv")).await;
        check("roster.csv", &roster, &NAMES);
        check("roster.csv", &roster, &[COLLEGE]);
        let quota = download(&org, &format!("/c/{cid}/quota.csv")).await;
        check("quota.csv", &quota, &[ENROLMENT_COLLEGE]);
        let audit = download(&org, &format!("/c/{cid}/audit.csv")).await;
        check("audit.csv", &audit, &[COLLEGE]);
        let attendance = download(&org, &format!("/c/{cid}/attendance.csv")).await;
        check("attendance.csv", &attendance, &NAMES);
        let result = download(&app.client(), &format!("/b/{cid}/{k}/result.csv")).await;
        check("result.csv", &result, &[CANDIDATE, WRITE_IN]);
        let zip = download(&org, &format!("/c/{cid}/record/packet.zip")).await;
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
        let mut rolls = 0;
        for i in 0..archive.len() {
            let mut f = archive.by_index(i).unwrap();
            let name = f.name().to_string();
            if name.ends_with(".csv") {
                let mut bytes = Vec::new();
                f.read_to_end(&mut bytes).unwrap();
                check(&name, &bytes, &NAMES);
                rolls += 1;
            }
        }
        assert_eq!(rolls, 1, "the election's roll");
    });
});
