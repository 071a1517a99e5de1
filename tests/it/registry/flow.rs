//! Three schools file to one registry: 甲城大学 late through the web form, 乙镇学院 a tampered
//! packet over the API (refused with the reason, stored nowhere), 丙县大学 on time with too few
//! ordinary students (flagged red in the province table and the Excel export); the office sets
//! up through its pages and every office action is audited.

use std::io::Cursor;

use calamine::{Reader, Xlsx};
use congress::crypto::sha256_hex;
use congress::packet::zip_packet;
use congress::registry::indicators::parse_date;
use congress::registry::synth::Spec;
use congress::storage::repo::audit;
use congress::storage::repo::registry as repo;
use congress::storage::repo::users::Role;
use serde_json::Value;

use super::block_on;
use super::harness::{api_file, api_get, congress, congress_with, days_ago, Registry};
use crate::common::Kind;

fn year_of(date: &str) -> i32 {
    chrono::Datelike::year(&parse_date(date).expect("date"))
}

fn row<'a>(table: &'a Value, code: &str) -> &'a Value {
    table["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["school"]["code"] == code)
        .unwrap_or_else(|| panic!("no row for {code}: {table}"))
}

fn indicator<'a>(row: &'a Value, id: &str) -> &'a Value {
    row["indicators"]
        .as_array()
        .expect("indicators")
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("no indicator {id}"))
}

async fn three_schools(kind: Kind) {
    let r = Registry::start(kind, "three_schools");
    let office_pw = r.account("tuanshengwei", Role::Office, None);
    let office = r.login("tuanshengwei", &office_pw).await;
    for (code, name) in [
        ("10001", "甲城大学"),
        ("10002", "乙镇学院"),
        ("10003", "丙县大学"),
    ] {
        let resp = office
            .post_form("/registry/schools", &[("code", code), ("name", name)])
            .await;
        assert_eq!(resp.status(), 303, "register {name}");
    }
    // The office creates 甲城大学's account on its page: the one-time password is shown once.
    let resp = office
        .post_form(
            "/registry/schools/10001/accounts",
            &[("username", "jiacheng")],
        )
        .await;
    assert_eq!(resp.status(), 303);
    let (_, page) = office.get_text("/registry/schools/10001").await;
    let at = page.find("一次性密码: ").expect("one-time password shown") + "一次性密码: ".len();
    let jc_pw: String = page[at..].chars().take_while(|c| *c != ' ').collect();
    let (_, again) = office.get_text("/registry/schools/10001").await;
    assert!(!again.contains(&jc_pw), "the password is shown only once");
    r.account("yizhen", Role::School, Some("10002"));
    r.account("bingxian", Role::School, Some("10003"));

    // 甲城大学: its congress was 45 days ago; filed now through the web form: late.
    let jc = r.login("jiacheng", &jc_pw).await;
    let a = congress("甲城大学", "jc2025", 45, 1);
    let resp = jc
        .upload(
            "/registry/schools/10001/filings",
            "jc2025-packet.zip",
            a.zip().unwrap(),
        )
        .await;
    assert_eq!(resp.status(), 303, "{}", resp.text().await.unwrap());
    let to = resp.headers()["location"].to_str().unwrap().to_string();
    assert!(to.starts_with("/registry/filings/"), "{to}");
    let (status, page) = jc.get_text(&to).await;
    assert_eq!(status, 200);
    assert!(page.contains("已接收并备案"), "{page}");
    assert!(
        page.contains("逾期备案: 会后 45 天备案, 超过 30 天的期限 15 天"),
        "{page}"
    );
    assert!(page.contains("学代会自评表"));

    // 乙镇学院: a packet whose board was changed after signing, over the API.
    let b = congress("乙镇学院", "yz2025", 10, 2);
    let mut contents = b.contents.clone();
    let board = contents.boards.get_mut("presidium").unwrap();
    let text = String::from_utf8(board.clone())
        .unwrap()
        .replacen("\"against\"", "\"for\"", 1);
    *board = text.into_bytes();
    let tampered = zip_packet(&contents).unwrap();
    let yz_token = r.token("yizhen");
    let (status, body) = api_file(&r, &yz_token, "10002", tampered.clone()).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["code"], "unprocessable");
    let message = body["message"].as_str().unwrap();
    assert!(message.starts_with("归档包未通过核验"), "{message}");
    assert!(message.contains("拒收; 未保存任何文件"), "{message}");
    let details: Vec<&str> = body["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap())
        .collect();
    assert!(
        details
            .iter()
            .any(|d| d.starts_with("[presidium] 公示文件哈希 board sha256")),
        "{details:#?}"
    );
    assert!(details.last().unwrap().contains(&sha256_hex(&tampered)));
    assert!(r
        .stored_files()
        .iter()
        .all(|p| !p.to_string_lossy().contains("/10002/")));
    assert!(r.scratch_is_empty(), "the unpacked upload is removed");
    let (_, school) = api_get(&r, &yz_token, "/api/v1/registry/schools/10002").await;
    assert_eq!(school["filings"].as_array().unwrap().len(), 0);
    assert_eq!(
        school["refusals"][0]["packet_sha256"],
        sha256_hex(&tampered)
    );
    assert_eq!(school["refusals"][0]["reason"], message);
    // The office sees the refusal and its reason on the school's page.
    let (_, page) = office.get_text("/registry/schools/10002").await;
    assert!(
        page.contains("拒收记录") && page.contains("归档包未通过核验"),
        "{page}"
    );

    // 丙县大学: on time, but 55% ordinary students.
    let mut spec = Spec::new("丙县大学", "bx2025", &days_ago(5), 240, 3);
    spec.ordinary_pct = 55;
    let bx_token = r.token("bingxian");
    let (status, body) = api_file(&r, &bx_token, "10003", congress_with(spec).zip().unwrap()).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["outcome"], "accepted");
    assert_eq!(body["key_pinned"], true);

    // The province table (API): late, pending, on time with the ordinary share in red.
    let office_token = r.token("tuanshengwei");
    let ya = year_of(&days_ago(45));
    let (status, t) = api_get(
        &r,
        &office_token,
        &format!("/api/v1/registry/table?year={ya}"),
    )
    .await;
    assert_eq!(status, 200, "{t}");
    let ra = row(&t, "10001");
    assert_eq!(ra["standing"], "late");
    assert_eq!(ra["standing_zh"], "逾期备案");
    assert_eq!(indicator(ra, "ordinary_share")["outcome"], "pass");
    assert_eq!(indicator(ra, "approval")["outcome"], "pass");
    assert_eq!(indicator(ra, "notice")["outcome"], "unknown");
    let yc = year_of(&days_ago(5));
    let (_, t) = api_get(
        &r,
        &office_token,
        &format!("/api/v1/registry/table?year={yc}"),
    )
    .await;
    let rc = row(&t, "10003");
    assert_eq!(rc["standing"], "on_time");
    let ord = indicator(rc, "ordinary_share");
    assert_eq!(ord["outcome"], "fail", "{ord}");
    assert_eq!(ord["value"], "普通同学 132/240 (55.0%); 不足60%的学院: 计算机学院 11/20 (55.0%), 外国语学院 11/20 (55.0%), 机械工程学院 11/20 (55.0%), 经济管理学院 11/20 (55.0%), 文学院 11/20 (55.0%), 数学与统计学院 11/20 (55.0%), 化学化工学院 11/20 (55.0%), 物理学院 11/20 (55.0%), 生命科学学院 11/20 (55.0%), 法学院 11/20 (55.0%), 艺术学院 11/20 (55.0%), 医学院 11/20 (55.0%)");
    assert_eq!(row(&t, "10002")["standing"], "pending");
    assert_eq!(row(&t, "10002")["indicators"].as_array().unwrap().len(), 0);

    // The page: the failure in red; the Excel export says the same.
    let (status, page) = office.get_text(&format!("/registry/table?year={yc}")).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("丙县大学") && page.contains("class=\"fail\" title=\"普通同学 132/240"),
        "{page}"
    );
    let resp = office.get(&format!("/registry/table.xlsx?year={yc}")).await;
    assert_eq!(resp.status(), 200);
    let bytes = resp.bytes().await.unwrap().to_vec();
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("xlsx");
    let sheet = book.worksheet_range_at(0).expect("sheet").expect("range");
    let header: Vec<String> = sheet
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let col = header
        .iter()
        .position(|h| h == "普通同学比例")
        .expect("column");
    let line: Vec<String> = sheet
        .rows()
        .find(|r| r[1] == "丙县大学")
        .expect("row")
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert!(
        line[col].starts_with("未达标: 普通同学 132/240 (55.0%)"),
        "{line:?}"
    );
    assert_eq!(line[2], "按时备案");

    // Every office and school action is in the audit log, with who did it.
    let entries = audit::list(&mut r.conn(), None).unwrap();
    let count = |action: &str, actor: &str| {
        entries
            .iter()
            .filter(|e| e.action == action && e.actor == actor)
            .count()
    };
    assert_eq!(count("registry.school_add", "tuanshengwei"), 3);
    assert_eq!(count("registry.account_add", "tuanshengwei"), 1);
    assert_eq!(count("registry.filing_accepted", "jiacheng"), 1);
    assert_eq!(count("registry.filing_refused", "yizhen"), 1);
    assert_eq!(count("registry.filing_accepted", "bingxian"), 1);
    assert_eq!(count("registry.table_export", "tuanshengwei"), 1);
    let (status, page) = office.get_text("/registry/audit").await;
    assert_eq!(status, 200);
    assert!(page.contains("registry.filing_refused") && page.contains("yizhen"));
    // The filings table holds exactly the two accepted packets.
    let mut c = r.conn();
    let schools = repo::schools(&mut c).unwrap();
    let filed: usize = schools
        .iter()
        .map(|s| repo::filings_of_school(&mut c, &s.id).unwrap().len())
        .sum();
    assert_eq!(filed, 2);
    assert_eq!(r.stored_files().len(), 2);
}

both_backends!(three_schools_file_to_one_registry, |kind| block_on(
    three_schools(kind)
));

/// A school account sees and files for its own school only; a congress's organiser account
/// gets nothing from the registry; anonymous requests go to the login page or get 401.
async fn own_school_only(kind: Kind) {
    let r = Registry::start(kind, "own_school_only");
    r.school("10001", "甲城大学");
    r.school("10002", "乙镇学院");
    let pw = r.account("yizhen", Role::School, Some("10002"));
    let yz = r.login("yizhen", &pw).await;
    let token = r.token("yizhen");
    let a = congress("甲城大学", "jc2025", 3, 1).zip().unwrap();
    let (status, body) = api_file(&r, &token, "10001", a.clone()).await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["message"], "学校备案账户只能查看和上传本校的备案");
    let resp = yz
        .upload("/registry/schools/10001/filings", "a.zip", a.clone())
        .await;
    assert_eq!(resp.status(), 403);
    assert!(resp
        .text()
        .await
        .unwrap()
        .contains("学校备案账户只能查看和上传本校的备案"));
    assert_eq!(yz.get("/registry/schools/10001").await.status(), 403);
    assert_eq!(yz.get("/registry/table").await.status(), 403);
    // Another school's genuine packet into its own slot: refused by the record's school name.
    let (status, body) = api_file(&r, &token, "10002", a).await;
    assert_eq!(status, 422);
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .starts_with("记录中的学校为“甲城大学”, 不是本校“乙镇学院”: 不能为其他学校备案"),
        "{body}"
    );
    assert!(r.stored_files().is_empty());
    // A school account's home is its own school's page.
    let resp = yz.get("/registry").await;
    assert_eq!(resp.headers()["location"], "/registry/schools/10002");
    // An organiser account of the congress application: refused everything here.
    let mut c = r.conn();
    congress::service::accounts::create_user(
        &mut c,
        &congress::service::Actor::cli("t"),
        "zuzhi",
        Role::Organiser,
        "pw-zuzhi-0123456789",
        false,
    )
    .unwrap();
    drop(c);
    let org = r.login("zuzhi", "pw-zuzhi-0123456789").await;
    let resp = org.get("/registry/schools/10002").await;
    assert_eq!(resp.status(), 403);
    assert!(resp
        .text()
        .await
        .unwrap()
        .contains("此账户不是备案登记账户"));
    // Anonymous.
    let anon = r.api().get(r.url("/registry/table")).send().await.unwrap();
    assert_eq!(anon.status(), 303);
    let anon = r
        .api()
        .get(r.url("/api/v1/registry/schools"))
        .send()
        .await
        .unwrap();
    assert_eq!(anon.status(), 401);
}

both_backends!(a_school_files_for_itself_only, |kind| block_on(
    own_school_only(kind)
));
