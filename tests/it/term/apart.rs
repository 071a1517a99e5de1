//! 评议会 participants counted apart (分开计票, rule I7) through HTTP on both backends: the
//! setting refused for a 常代会 meeting, with fewer than 3 participants and once a contest has
//! opened, set from the term page (asked first) and the API, audited; participants log in with
//! their printed cards and take papers signed with the contest's participants' key, cast at
//! the anonymous box; delegates' 应到, 实到 and quorum unaffected; the two tallies apart and
//! correct in the record, on the result pages and the board; the packet verifies with
//! `congress verify` and the Python script, and fails with a reason when a participant's
//! ballot is moved to the delegates' board or the apart tally is altered.

use std::path::Path;

use congress::domain::ids::{CongressId, ContestId};
use congress::domain::term::APART_LABEL;
use congress::service::scrutineers::ScrutineerInput;
use congress::service::{self, Actor};
use congress::sim::client::Phone;
use congress::sim::paper::Pending;
use congress::storage::repo::contests as contests_repo;
use congress::storage::repo::roster as roster_repo;
use congress::storage::repo::scrutineers::ScrutineerRole;
use congress::storage::repo::term as term_repo;
use serde_json::{json, Value};

use super::{
    cast_reviews, cli, create_meeting, export_and_verify, standing_frozen, two_person_review,
};
use crate::common::Kind;
use crate::results::fixture::{block_on, certified, World};

/// A counted 评议会 whose three participants voted apart.
struct Held {
    mid: String,
    kid: String,
    /// A participant's signed receipt (JSON).
    receipt: String,
    /// The organiser's API token.
    token: String,
}

fn api_put(w: &World, token: &str, cid: &str, votes: &str) -> (u16, Value, String) {
    block_on(async {
        let r = reqwest::Client::new()
            .put(
                w.app
                    .url(&format!("/api/v1/congresses/{cid}/term/participant-votes")),
            )
            .bearer_auth(token)
            .json(&json!({ "participant_votes": votes }))
            .send()
            .await
            .unwrap();
        let s = r.status().as_u16();
        let text = r.text().await.unwrap_or_default();
        (s, serde_json::from_str(&text).unwrap_or(Value::Null), text)
    })
}

fn add_participant(w: &World, mid: &str, name: &str, unit: &str) {
    block_on(async {
        let r = w
            .org
            .post_form(
                &format!("/c/{mid}/term/participants"),
                &[("name", name), ("unit", unit)],
            )
            .await;
        assert_eq!(r.status(), 303, "{}", r.text().await.unwrap_or_default());
    });
}

/// The settings refused and then set; a review contest with 2 persons drafted.
fn set_apart(w: &World, check_refusals: bool) -> (String, String, String) {
    let token = {
        let mut c = w.conn();
        service::accounts::create_token(&mut c, &Actor::cli("test"), "zuzhi", "t").unwrap()
    };
    let mid = create_meeting(w, "review", "2026-2027学年第二学期述职评议会", "2027-04-01");
    if check_refusals {
        let standing = create_meeting(w, "standing", "常代会会议", "2027-03-15");
        let (s, _, text) = api_put(w, &token, &standing, "apart");
        assert_eq!(s, 409, "{text}");
        assert!(text.contains("只有评议会"), "{text}");
    }
    add_participant(w, &mid, "刘老师", "学工部");
    add_participant(w, &mid, "陈老师", "校团委");
    if check_refusals {
        let (s, _, text) = api_put(w, &token, &mid, "apart");
        assert_eq!(s, 422, "{text}");
        assert!(
            text.contains("列席人员只有 2 名") && text.contains("至少需要 3 名"),
            "{text}"
        );
        let (s, _, text) = api_put(w, &token, &mid, "sometimes");
        assert_eq!(s, 400, "{text}");
    }
    add_participant(w, &mid, "张老师", "学工部");
    block_on(async {
        // The page's form asks first, with the figures.
        let r = w
            .org
            .post_unconfirmed(
                &format!("/c/{mid}/term/participant-votes"),
                &[("votes", "apart")],
            )
            .await;
        assert_eq!(r.status(), 303);
        let to = r.headers()["location"].to_str().unwrap().to_string();
        assert_eq!(
            to,
            format!("/c/{mid}/confirm/participant-votes?votes=apart")
        );
        let (s, page) = w.org.get_text(&to).await;
        assert_eq!(s, 200);
        assert!(
            page.contains("设置列席人员计票方式") && page.contains("列席人员(3 名)将分开计票"),
            "{page}"
        );
        let (_, page) = w.org.get_text(&format!("/c/{mid}/term")).await;
        assert!(
            page.contains("计票方式: <strong>不计票</strong>"),
            "not yet set"
        );
        let r = w
            .org
            .post_form(
                &format!("/c/{mid}/term/participant-votes"),
                &[("votes", "apart")],
            )
            .await;
        assert_eq!(r.status(), 303, "{}", r.text().await.unwrap_or_default());
        let (_, page) = w.org.get_text(&format!("/c/{mid}/term")).await;
        assert!(
            page.contains("计票方式: <strong>分开计票</strong>"),
            "{page}"
        );
        assert!(page.contains("打印列席人员投票卡"));
    });
    // The API reads and changes it too.
    let (s, t, text) = api_put(w, &token, &mid, "none");
    assert_eq!(s, 200, "{text}");
    assert_eq!(t["meeting"]["participant_votes"], "none");
    let (s, t, _) = api_put(w, &token, &mid, "apart");
    assert_eq!(s, 200);
    assert_eq!(t["meeting"]["participant_votes"], "apart");
    let kid = two_person_review(w, &mid);
    (mid, kid, token)
}

/// The participants' card links, from the printed sheet.
fn card_links(w: &World, mid: &str) -> Vec<String> {
    block_on(async {
        let (s, sheet) = w
            .org
            .get_text(&format!("/c/{mid}/term/participant-cards"))
            .await;
        assert_eq!(s, 200, "{sheet}");
        assert!(sheet.matches("列席人员投票卡").count() >= 3, "{sheet}");
        sheet
            .split("<code class=\"participant-link\">")
            .skip(1)
            .map(|s| s[..s.find('<').unwrap()].to_string())
            .collect()
    })
}

/// Holds the 评议会: 5 of 6 delegates and the 3 participants present; the delegates grade
/// 李强 优秀/称职/基本称职 (never 不称职), the participants grade him 不称职 on every dimension;
/// counted, closed, certified.
fn held(kind: Kind, test: &str, check: bool) -> (World, Held) {
    let w = certified(kind, test);
    standing_frozen(&w);
    let (mid, kid, token) = set_apart(&w, check);
    let a = Actor::cli("test");
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
    for no in 1..=5 {
        service::attendance::set_present(&mut c, &a, &CongressId::from(&mid), no, true).unwrap();
    }
    let participants = term_repo::participants(&mut c, &CongressId::from(&mid)).unwrap();
    drop(c);
    let links = card_links(&w, &mid);
    assert_eq!(links.len(), 3);
    block_on(async {
        for p in &participants {
            let r = w
                .org
                .post_form(
                    &format!("/c/{mid}/term/participants/{}/present", p.id),
                    &[("present", "1")],
                )
                .await;
            assert_eq!(r.status(), 303);
        }
        let r = w
            .org
            .post_form(&format!("/c/{mid}/contests/{kid}/voting/open"), &[])
            .await;
        assert_eq!(r.status(), 303, "{}", r.text().await.unwrap_or_default());
    });
    if check {
        // Opened: the setting is fixed.
        let (s, _, text) = api_put(&w, &token, &mid, "none");
        assert_eq!(s, 409, "{text}");
        assert!(text.contains("已经开始投票"), "{text}");
    }
    // Quorum and papers issued are the delegates' alone: 实到 5 of 应到 6.
    let contest = contests_repo::get(&mut w.conn(), &ContestId::from(&kid))
        .unwrap()
        .unwrap();
    assert_eq!((contest.issued, contest.expected), (Some(5), Some(6)));

    // The delegates vote (in process, as the other term tests).
    let key = cast_reviews(&w, &mid, &kid, &delegates[..5], |i| {
        vec![vec![(i % 3) as u32; 5], vec![0; 5]]
    });
    // The participants vote over HTTP with their cards.
    let receipt = block_on(async {
        let mut receipt = String::new();
        let base = w.app.url("");
        for (i, link) in links.iter().enumerate() {
            let phone = Phone::new(&base).unwrap().participant();
            phone.login(link).await.unwrap();
            // A participant's session is no delegate's.
            assert_eq!(phone.get_status("/v").await.unwrap().0, 401);
            phone.waiting().await.unwrap();
            let pk = phone.contest_key(&mid, &kid).await.unwrap();
            assert_ne!(pk.fingerprint(), key.public_key().fingerprint());
            let pending = Pending::new(&pk).unwrap();
            let (paper, _) = phone.take_paper(&kid, &pk, &pending).await.unwrap();
            if i == 0 {
                // One paper each: another blinded message is refused.
                let other = Pending::new(&pk).unwrap();
                let err = phone.take_paper(&kid, &pk, &other).await.unwrap_err();
                assert!(err.to_string().contains("另一台设备"), "{err}");
            }
            let grid = json!({"review": [[3, 3, 3, 3, 3], [1, 1, 1, 1, 1]]});
            let (hash, _) = phone.cast(&mid, &kid, &paper, &grid).await.unwrap();
            // The receipt is served for a participant's ballot too.
            receipt = phone.receipt(&kid, &hash).await.unwrap();
            assert!(receipt.contains(&hash));
        }
        // A delegate's phone session cannot take a participant's paper.
        let d = Phone::new(&base).unwrap().participant();
        assert_eq!(d.get_status("/v/p").await.unwrap().0, 401);
        for path in [
            format!("/c/{mid}/contests/{kid}/voting/close"),
            format!("/c/{mid}/close"),
            format!("/c/{mid}/record/certify"),
        ] {
            let r = w.org.post_form(&path, &[]).await;
            assert_eq!(
                r.status(),
                303,
                "{path}: {}",
                r.text().await.unwrap_or_default()
            );
        }
        receipt
    });
    (
        w,
        Held {
            mid,
            kid,
            receipt,
            token,
        },
    )
}

fn person<'a>(result: &'a Value, name: &str) -> &'a Value {
    result["detail"]["review"]["persons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .unwrap()
}

/// Rewrites a JSON file of the packet in canonical form.
fn rewrite(path: &Path, v: &Value) {
    std::fs::write(path, congress::crypto::to_canonical(v).unwrap()).unwrap();
}

fn verify_fails(w: &World, dir: &Path, needle_rust: &str, needle_py: &str) {
    let out = cli(w, &["verify", dir.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert_ne!(out.status.code(), Some(0), "{text}");
    assert!(text.contains(needle_rust), "{needle_rust} not in {text}");
    let out = std::process::Command::new("python3")
        .arg(dir.join("verify_packet.py"))
        .arg(dir)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(!out.status.success(), "{text}");
    assert!(text.contains(needle_py), "{needle_py} not in {text}");
}

both_backends!(
    a_review_meeting_counts_its_participants_apart,
    |kind: Kind| {
        let (w, h) = held(kind, "term_apart", true);
        let (mid, kid) = (&h.mid, &h.kid);
        let row = congress::storage::repo::records::get(&mut w.conn(), &CongressId::from(mid))
            .unwrap()
            .unwrap();
        let record: Value = serde_json::from_str(&row.record_json).unwrap();
        let c = &record["contests"][0];
        // The delegates' tally is the result: 5 papers, nobody graded 不称职.
        assert_eq!(c["present_at_opening"], 5);
        assert_eq!(c["expected_at_opening"], 6);
        assert_eq!(c["quorum_met"], true);
        assert_eq!(c["result"]["cast"], 5);
        assert_eq!(c["result"]["valid"], 5);
        let li = person(&c["result"], "李强");
        assert_eq!(li["worst"], 0);
        assert_eq!(li["follow_up"], false);
        assert_eq!(li["counts"][0], json!([2, 2, 1, 0]));
        // The participants' tally, apart: 3 papers, 李强 不称职 on every dimension.
        let p = &c["participants"];
        assert_eq!(p["label"], APART_LABEL);
        assert_eq!(
            (p["listed"].as_u64(), p["present_at_opening"].as_u64()),
            (Some(3), Some(3))
        );
        assert_eq!(
            p["board"]["file"],
            format!("boards/{kid}-participants.board.json")
        );
        assert_eq!(p["board"]["roll_count"], 3);
        assert_eq!(p["result"]["cast"], 3);
        assert_eq!(p["result"]["valid"], 3);
        let li = person(&p["result"], "李强");
        assert_eq!(li["counts"][0], json!([0, 0, 0, 3]));
        assert_eq!(li["worst"], 15);
        assert_eq!(li["follow_up"], true);
        assert_eq!(person(&p["result"], "赵敏")["worst"], 0);

        block_on(async {
            // Shown apart and labelled on the result page, the printed sheet and the board.
            for path in [
                format!("/b/{mid}/{kid}/result"),
                format!("/b/{mid}/{kid}/result/print"),
                format!("/b/{mid}/{kid}"),
                format!("/c/{mid}/contests/{kid}/voting"),
            ] {
                let (s, page) = w.org.get_text(&path).await;
                assert_eq!(s, 200, "{path}");
                let at = page
                    .find(APART_LABEL)
                    .unwrap_or_else(|| panic!("{path}: {page}"));
                assert!(page[at..].contains("不计入本项结果"), "{path}");
            }
            let (_, console) = w
                .org
                .get_text(&format!("/c/{mid}/contests/{kid}/voting"))
                .await;
            assert!(
                console.contains("发出 3 张 (列席人员 3 名), 已领票 3 人, 已收回 3 张"),
                "{console}"
            );
            let (_, board) = w.org.get_text(&format!("/b/{mid}/{kid}")).await;
            assert!(board.contains("列席人员选票签发公钥指纹"));
            let (_, audit) = w.org.get_text(&format!("/c/{mid}/audit")).await;
            for a in ["term.participant_votes", "term.participant_cards"] {
                assert!(audit.contains(a), "{a} audited");
            }
            assert!(
                audit.contains("列席人员分开计票, 发出3张"),
                "contest.open names it"
            );
        });
        exports_and_api(&w, &h, c);

        // The packet verifies with both verifiers; the printed record carries the tally.
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("apart");
        export_and_verify(&w, mid, &dir);
        let report = std::fs::read_to_string(dir.join("report.html")).unwrap();
        assert!(report.contains(APART_LABEL), "report.html");
        let out = cli(&w, &["verify", dir.to_str().unwrap()]);
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        assert!(text.contains(&format!("{kid}-participants")), "{text}");
        // A participant's receipt is found on the participants' board.
        let receipt = tmp.path().join("receipt.json");
        std::fs::write(&receipt, &h.receipt).unwrap();
        let out = cli(
            &w,
            &[
                "verify",
                dir.to_str().unwrap(),
                "--receipt",
                receipt.to_str().unwrap(),
            ],
        );
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        assert_eq!(out.status.code(), Some(0), "{text}");
        assert!(
            text.contains(&format!("在 {kid}-participants 的公示第")),
            "{text}"
        );

        // Tampered 1: a participant's ballot moved to the delegates' board.
        let moved = tmp.path().join("moved");
        copy_dir(&dir, &moved);
        let (dpath, ppath) = (
            moved.join(format!("boards/{kid}.board.json")),
            moved.join(format!("boards/{kid}-participants.board.json")),
        );
        let mut db: Value = serde_json::from_slice(&std::fs::read(&dpath).unwrap()).unwrap();
        let mut pb: Value = serde_json::from_slice(&std::fs::read(&ppath).unwrap()).unwrap();
        let ballot = pb["ballots"].as_array_mut().unwrap().remove(0);
        let hash =
            |v: &Value| congress::crypto::sha256_hex(&congress::crypto::to_canonical(v).unwrap());
        let list = db["ballots"].as_array_mut().unwrap();
        list.push(ballot);
        list.sort_by_key(hash);
        db["cast"] = json!(6);
        pb["cast"] = json!(2);
        rewrite(&dpath, &db);
        rewrite(&ppath, &pb);
        verify_fails(
            &w,
            &moved,
            "不是本场公钥",
            &format!("FAIL {kid}: every ballot signed by the contest key"),
        );

        // Tampered 2: the apart tally altered in the record (李强's 不称职 count).
        let altered = tmp.path().join("altered");
        copy_dir(&dir, &altered);
        let rpath = altered.join("record.json");
        let mut rec: Value = serde_json::from_slice(&std::fs::read(&rpath).unwrap()).unwrap();
        let persons = rec["contests"][0]["participants"]["result"]["detail"]["review"]["persons"]
            .as_array_mut()
            .unwrap();
        let li = persons.iter_mut().find(|p| p["name"] == "李强").unwrap();
        li["counts"][0] = json!([1, 0, 0, 2]);
        rewrite(&rpath, &rec);
        verify_fails(
            &w,
            &altered,
            "复算结果与记录不同",
            &format!("FAIL {kid}-participants: review recounted"),
        );
    }
);

/// The CSV's rows, each as its cells.
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

fn sheet_rows(bytes: &[u8], name: &str) -> Vec<Vec<String>> {
    use calamine::{Data, Reader, Xlsx};
    let mut book = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let range = book
        .worksheet_range(name)
        .unwrap_or_else(|e| panic!("sheet {name}: {e}; sheets {:?}", book.sheet_names()));
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|d| match d {
                    Data::Float(f) => format!("{f}"),
                    Data::Int(i) => i.to_string(),
                    Data::String(s) => s.clone(),
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

/// 李强's 不称职 count on his first dimension in a review tally's per-dimension rows (姓名, 职务,
/// 评议项目, then the grades: 不称职 is the fourth grade).
fn li_worst(rows: &[Vec<String>]) -> String {
    rows.iter()
        .find(|r| r.first().map(String::as_str) == Some("李强"))
        .unwrap_or_else(|| panic!("李强 in {rows:?}"))[6]
        .clone()
}

/// The apart tally in the downloads (CSV, .xlsx) and in the JSON API (the participants' board,
/// the voting figures), apart from the delegates' result.
fn exports_and_api(w: &World, h: &Held, record: &Value) {
    let (mid, kid) = (&h.mid, &h.kid);
    block_on(async {
        // The CSV: the delegates' rows, then a block of their own under the label.
        let r = w.org.get(&format!("/b/{mid}/{kid}/result.csv")).await;
        assert_eq!(r.status(), 200);
        let text = r.text().await.unwrap();
        let rows = csv_rows(&text);
        let at = rows
            .iter()
            .position(|r| r.first().map(String::as_str) == Some(APART_LABEL))
            .unwrap_or_else(|| panic!("{text}"));
        let (delegates, participants) = rows.split_at(at);
        assert_eq!(li_worst(delegates), "0", "{text}");
        assert_eq!(li_worst(participants), "3", "{text}");
        let figure = |rows: &[Vec<String>], k: &str| {
            rows.iter()
                .find(|r| r.first().map(String::as_str) == Some(k))
                .map(|r| r[1].clone())
        };
        assert_eq!(figure(delegates, "收回选票").as_deref(), Some("5"));
        assert_eq!(figure(participants, "收回选票").as_deref(), Some("3"));
        assert_eq!(figure(participants, "列席人员").as_deref(), Some("3"));
        assert_eq!(figure(delegates, "列席人员"), None);

        // The workbook: the review's two sheets, then the participants' two.
        let r = w.org.get(&format!("/b/{mid}/{kid}/result.xlsx")).await;
        assert_eq!(r.status(), 200);
        let bytes = r.bytes().await.unwrap();
        let d = sheet_rows(&bytes, "分项统计");
        let p = sheet_rows(&bytes, "列席人员分项统计");
        assert_eq!(li_worst(&d), "0");
        assert_eq!(li_worst(&p), "3");
        assert!(p[0][0].contains(APART_LABEL), "{:?}", p[0]);
        assert!(!d[0][0].contains(APART_LABEL), "{:?}", d[0]);
        let first = sheet_rows(&bytes, "列席人员评议结果");
        let li = first.iter().find(|r| r[1] == "李强").unwrap();
        assert_eq!(li[8], "列入跟进", "{li:?}");
        let li = sheet_rows(&bytes, "评议结果");
        let li = li.iter().find(|r| r[1] == "李强").unwrap();
        assert_eq!(li[8], "", "{li:?}");

        // The JSON API: the participants' board, byte for byte the packet's, and the voting
        // figures with the participants' box apart.
        let http = reqwest::Client::new();
        let board = |group: &str| {
            let url = w.app.url(&format!(
                "/api/v1/congresses/{mid}/contests/{kid}/board.json{group}"
            ));
            let http = http.clone();
            async move {
                let r = http.get(url).send().await.unwrap();
                (r.status().as_u16(), r.bytes().await.unwrap().to_vec())
            }
        };
        let (s, delegates) = board("").await;
        assert_eq!(s, 200);
        let (s, same) = board("?group=delegates").await;
        assert_eq!((s, &same), (200, &delegates));
        let (s, pb) = board("?group=participants").await;
        assert_eq!(s, 200);
        let pb: Value = serde_json::from_slice(&pb).unwrap();
        assert_eq!(pb["cast"], 3);
        assert_eq!(
            pb["merkle_root"],
            record["participants"]["board"]["merkle_root"]
        );
        assert_ne!(
            pb["merkle_root"],
            serde_json::from_slice::<Value>(&delegates).unwrap()["merkle_root"]
        );
        // A participant's ballot's audit path is on their board, not on the delegates'.
        let tracker = congress::crypto::sha256_hex(
            &congress::crypto::to_canonical(&pb["ballots"][1]).unwrap(),
        );
        let proof = |group: &str| {
            let url = w.app.url(&format!(
                "/api/v1/congresses/{mid}/contests/{kid}/proof/{tracker}{group}"
            ));
            let http = http.clone();
            async move {
                let r = http.get(url).send().await.unwrap();
                (r.status().as_u16(), r.json::<Value>().await.unwrap())
            }
        };
        let (s, v) = proof("?group=participants").await;
        assert_eq!(s, 200, "{v}");
        assert_eq!(
            (v["index"].as_u64(), v["tree_size"].as_u64()),
            (Some(1), Some(3))
        );
        assert_eq!(v["root"], pb["merkle_root"]);
        let (s, v) = proof("").await;
        assert_eq!(s, 404, "{v}");
        let (s, text) = board("?group=everyone").await;
        assert_eq!(s, 400, "{}", String::from_utf8_lossy(&text));
        assert!(String::from_utf8_lossy(&text).contains("participants"));
        let v: Value = http
            .get(
                w.app
                    .url(&format!("/api/v1/congresses/{mid}/contests/{kid}/voting")),
            )
            .bearer_auth(&h.token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(v["cast"], 5);
        let p = &v["participants"];
        assert_eq!(p["label"], APART_LABEL);
        assert_eq!(
            (p["listed"].as_u64(), p["issued"].as_u64()),
            (Some(3), Some(3))
        );
        assert_eq!((p["roll"].as_u64(), p["cast"].as_u64()), (Some(3), Some(3)));
        assert_eq!(p["result"], record["participants"]["result"]);

        // The projector: one line for the apart tally under the result.
        let (s, screen) = w.org.get_text(&format!("/b/{mid}/screen")).await;
        assert_eq!(s, 200);
        let at = screen
            .find("screen-apart")
            .unwrap_or_else(|| panic!("{screen}"));
        assert!(screen[at..].contains(APART_LABEL), "{screen}");
        assert!(screen[at..].contains("收回 3"), "{screen}");
        assert!(screen[at..].contains("列入跟进: 李强"), "{screen}");
    });
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

test!(apart_pages_in_headless_chromium, browser);
fn apart_pages_in_headless_chromium() {
    use crate::common::browser::{self, page_fits};
    let tools = browser::tools("apart_pages_in_headless_chromium");
    let (w, h) = held(Kind::Sqlite, "term_apart_browser", false);
    let (result, term, screen) = (
        w.app.url(&format!("/b/{}/{}/result", h.mid, h.kid)),
        w.app.url(&format!("/c/{}/term", h.mid)),
        w.app.url(&format!("/b/{}/screen", h.mid)),
    );
    browser::logged_in(
        &tools,
        true,
        &w.app.url("/login"),
        "zuzhi",
        "pw-zuzhi-0123456789",
        async |d| {
            for width in [390, 1366] {
                page_fits(d, &result, "apart-result", width, 6000).await?;
                page_fits(d, &term, "apart-term", width, 2400).await?;
            }
            // The projector: the apart tally's one line under the result, on one 1080p screen.
            page_fits(d, &screen, "apart-projector", 1920, 1080).await?;
            let line = d
                .find(thirtyfour::By::Css(".screen-contest .screen-apart"))
                .await?
                .text()
                .await?;
            assert!(line.starts_with(APART_LABEL), "{line}");
            let tall = d
                .execute(
                    "return document.scrollingElement.scrollHeight - window.innerHeight;",
                    vec![],
                )
                .await?
                .json()
                .as_i64()
                .unwrap_or(i64::MAX);
            assert!(tall <= 0, "the projector scrolls {tall} px at 1920x1080");
            Ok(())
        },
    );
}
