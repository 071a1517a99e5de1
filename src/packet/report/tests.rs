//! The printed record from a hand-made record: what it states, both stylesheet modes, escaping,
//! and a QR code that reads back as the verification URL.

use super::*;
use crate::domain::ballot::{Choices, Mark};
use crate::domain::roster::CollegeSummary;
use crate::domain::settings::{RuleProfile, Threshold, TieRule};
use crate::domain::tally::{tally, CandidateRef, ContestSpec, ElectionSpec, Turnout};
use crate::packet::format::*;

fn record() -> Record {
    let f = Mark::For;
    let a = Mark::Against;
    let ballot = |w: Mark, l: Mark| Choices::Election {
        marks: [("k1".to_string(), w), ("k2".to_string(), l)].into(),
        write_ins: Vec::new(),
    };
    // 1 seat, 7 present: 王芳 5 for (over 7/2: at least 4), 李强 2; one over-voted ballot.
    let ballots = vec![
        ballot(f, a),
        ballot(f, a),
        ballot(f, a),
        ballot(f, a),
        ballot(f, a),
        ballot(a, f),
        ballot(a, f),
        ballot(f, f),
    ];
    let result = tally(
        &ContestSpec::Election(ElectionSpec {
            seats: 1,
            candidates: vec![
                CandidateRef {
                    id: "k1".into(),
                    name: "王芳".into(),
                },
                CandidateRef {
                    id: "k2".into(),
                    name: "李强<b>".into(),
                },
            ],
            allow_write_in: false,
            threshold: Threshold::ORDINARY,
            tie_rule: TieRule::Runoff,
        }),
        Turnout {
            issued: 8,
            roster: 9,
        },
        &ballots,
    );
    Record {
        v: VERSION,
        kind: RECORD_KIND.into(),
        congress: RecordCongress {
            id: "c1".into(),
            name: "示范大学第十次学生代表大会".into(),
            school: "示范大学".into(),
            level: "school".into(),
            level_zh: "校级".into(),
            session_no: 10,
            date: "2026-12-01".into(),
            place: "大学生活动中心".into(),
        },
        settings: RuleProfile::default(),
        delegates: RecordDelegates {
            roster: 9,
            absences: 0,
            expected: 9,
        },
        quorum_rule: "超过2/3".into(),
        contests: vec![RecordContest {
            id: "k".into(),
            kind: ELECTION.into(),
            title: "选举主席团成员".into(),
            text: String::new(),
            agenda_order: 1,
            motion_kind: None,
            round_kind: None,
            parent: None,
            seats: Some(1),
            allow_write_in: false,
            candidates: Vec::new(),
            margin_override: Some("经研究同意等额".into()),
            election_kind: None,
            threshold_reason: None,
            rounds_not_held: Vec::new(),
            review: None,
            participants: None,
            threshold: Threshold::ORDINARY,
            present_at_opening: 8,
            expected_at_opening: 9,
            quorum_met: true,
            board: BoardRef {
                file: board_path("k"),
                sha256: "0".repeat(64),
                merkle_root: "ab".repeat(32),
                issued: 8,
                cast: 8,
                roll_file: roll_path("k"),
                roll_sha256: "1".repeat(64),
                roll_count: 8,
            },
            result,
        }],
        scrutineers: vec![
            RecordScrutineer {
                role: "chief".into(),
                role_zh: "总监票人".into(),
                name: "周敏".into(),
            },
            RecordScrutineer {
                role: "scrutineer".into(),
                role_zh: "监票人".into(),
                name: "吴刚".into(),
            },
            RecordScrutineer {
                role: "scrutineer".into(),
                role_zh: "监票人".into(),
                name: "郑丽".into(),
            },
        ],
        roster_summary_sha256: "2".repeat(64),
        key_fingerprint: "cd".repeat(32),
        signed_at: "2026-12-01T17:00:00+08:00".into(),
    }
}

fn summary() -> RosterSummary {
    RosterSummary {
        rows: 9,
        total: 9,
        elected: 9,
        ordinary: 6,
        ordinary_required: 6,
        women: 2,
        women_required: 3,
        colleges: vec![CollegeSummary {
            college: "信息学院".into(),
            quota: 9,
            delegates: 9,
            ordinary: 6,
            ordinary_required: 6,
            women: 2,
            grades: vec!["2023".into(), "2024".into()],
            grades_covered: vec!["2023".into(), "2024".into()],
            grades_required: 2,
            ..CollegeSummary::default()
        }],
        societies_required: vec!["青年志愿者协会".into()],
        societies_covered: vec!["青年志愿者协会".into()],
        ..RosterSummary::default()
    }
}

#[test]
fn states_the_figures_the_rules_and_the_signatories() {
    let html = report_html(&record(), &summary(), "http://10.0.0.2:8080/b/c1", false);
    for needle in [
        "示范大学第十次学生代表大会",
        "选举结果报告单",
        "校级学生代表大会 · 第10次 · 2026年12月1日 · 大学生活动中心",
        // 应到 9, 发出 8, 收回 8, 有效 7, 废票 1
        "<th>应到</th><td class=\"num\">9</td><th>发出选票</th><td class=\"num\">8</td><th>收回选票</th><td class=\"num\">8</td><th>有效票</th><td class=\"num\">7</td><th>废票</th><td class=\"num\">1</td>",
        "<td>王芳</td><td class=\"num\">5</td><td class=\"num\">2</td><td class=\"num\">0</td><td>当选</td>",
        "1. 王芳 (赞成 5 票)",
        "新当选主席团成员 (各轮合计",
        "<td class=\"num\">1</td><td>王芳</td>",
        "即至少 5 票",
        "赞成及另选人数超过应选名额 1 张",
        "组织方记录的理由: 经研究同意等额",
        "abababab",
        "<strong>总监票人</strong>: 周敏",
        "<strong>监票人</strong>: 吴刚、郑丽",
        "<strong>计票人</strong>: (未登记)",
        "大会主席团",
        "6 名, 占 66.7%; 至少 6 名: 已满足",
        "2 名, 占 22.2%; 至少 3 名: 差 1 名",
        "青年志愿者协会",
        "http://10.0.0.2:8080/b/c1",
        "<link rel=\"stylesheet\" href=\"/static/print.css\">",
        // The league office is told to pin the key announced in the hall.
        "上面的签名公钥指纹应与大会当场公布的指纹一致",
        "congress verify --expect-key cdcdcdcd",
    ] {
        assert!(html.contains(needle), "{needle} missing");
    }
    // The record's own hash is printed, and names are escaped.
    let hash = sha256_hex(&canonical(&record()).unwrap());
    assert!(html.contains(&hash));
    assert!(html.contains("李强&lt;b&gt;"));
    assert!(!html.contains("<style>"));
    assert!(!html.contains("<script"));
    // Section 六 has blank lines to fill by hand while nothing is recorded.
    assert!(html.contains("<p class=\"sign-line\">文号:</p>"));
    // The URL and the key fingerprint close the form together.
    let last = html.rfind("class=\"verify last\"").expect("the last block");
    assert!(html[last..].contains("http://10.0.0.2:8080/b/c1"));
    assert!(html[last..].contains(&record().key_fingerprint));
    assert!(last > html.find("六、审批与备案").unwrap());
}

#[test]
fn section_six_prints_the_recorded_approval_and_filing_and_times_are_chinese() {
    let rec = record();
    let addendum = |kind: &str, body: &str, reference: Option<&str>, date: &str| Addendum {
        v: 1,
        kind: kind.into(),
        congress: rec.congress.id.clone(),
        record_sha256: "ab".repeat(32),
        body: body.into(),
        reference: reference.map(str::to_string),
        date: date.into(),
        recorded_at: "2026-12-05T09:30:12+08:00".into(),
        corrects: None,
        reason: None,
    };
    let first = addendum(
        "approval",
        "中共示范大学委员会",
        Some("示大党字〔2026〕51号"),
        "2026-12-04",
    );
    let mut fix = addendum(
        "approval",
        "中共示范大学委员会",
        Some("示大党字〔2026〕15号"),
        "2026-12-04",
    );
    fix.corrects = Some("cd".repeat(32));
    fix.reason = Some("文号录入错误".into());
    let filing = addendum("filing", "示范省学生联合会", None, "2026-12-05");
    let extras = ReportExtras {
        addenda: &[first, fix, filing],
        preview: false,
        steps: &[],
    };
    let html = report_html_with(&rec, &summary(), "http://x/b/c1", false, extras);
    for needle in [
        "批准机关: 中共示范大学委员会",
        "文号: 示大党字〔2026〕15号",
        "批准日期: 2026年12月4日",
        "已更正 1 次, 最近理由: 文号录入错误",
        "备案机关: 示范省学生联合会",
        "备案日期: 2026年12月5日",
        "登记于 2026年12月5日 09:30",
    ] {
        assert!(html.contains(needle), "{needle} missing");
    }
    assert!(
        !html.contains("51号"),
        "the corrected reference is not printed as in force"
    );
    assert!(html.contains(&zh_datetime(&rec.signed_at)));
    // A preview says so and prints no hash.
    let preview = ReportExtras {
        addenda: &[],
        preview: true,
        steps: &[],
    };
    let html = report_html_with(&rec, &summary(), "http://x/b/c1", false, preview);
    assert!(html.contains("预览: 结果报告尚未签署"));
    assert!(!html.contains(&sha256_hex(&canonical(&rec).unwrap())));
}

#[test]
fn standalone_embeds_the_stylesheet() {
    let html = report_html(&record(), &summary(), "http://x/b/c1", true);
    assert!(html.contains("<style>"));
    assert!(html.contains("@page"));
    assert!(!html.contains("href=\"/static/print.css\""));
}

#[test]
fn the_qr_code_reads_back_as_the_verification_url() {
    let url = verify_url("http://192.168.1.10:8080/", "c1");
    assert_eq!(url, "http://192.168.1.10:8080/b/c1");
    let svg = qr_svg(&url).unwrap();
    assert!(svg.starts_with("<svg"), "{}", &svg[..40]);
    // Decode the same code from its module matrix.
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M).unwrap();
    let w = code.width();
    let colors = code.to_colors();
    let mut img = rqrr::PreparedImage::prepare_from_bitmap(w * 4 + 32, w * 4 + 32, |x, y| {
        let (x, y) = (x as isize / 4 - 4, y as isize / 4 - 4);
        x >= 0
            && y >= 0
            && (x as usize) < w
            && (y as usize) < w
            && colors[y as usize * w + x as usize] == qrcode::Color::Dark
    });
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1);
    let (_, content) = grids[0].decode().unwrap();
    assert_eq!(content, url);
}

#[test]
fn fill_report_reads_what_the_packet_carries() {
    let rec = record();
    let mut contents = PacketContents {
        record: crate::packet::Signed {
            bytes: canonical(&rec).unwrap(),
            sig: [0; 64],
        },
        public_key_pem: String::new(),
        boards: Default::default(),
        rolls: Default::default(),
        contest_keys: Default::default(),
        roster_summary: canonical(&summary()).unwrap(),
        report_html: Vec::new(),
        addenda: Default::default(),
        approval: Default::default(),
    };
    fill_report(&mut contents, "http://x/b/c1").unwrap();
    let html = String::from_utf8(contents.report_html.clone()).unwrap();
    assert!(html.contains("<style>") && html.contains("王芳"));
    contents.roster_summary = b"[]".to_vec();
    assert!(matches!(
        fill_report(&mut contents, "http://x"),
        Err(ReportError::Summary(_))
    ));
    contents.record.bytes = b"{}".to_vec();
    assert!(matches!(
        fill_report(&mut contents, "http://x"),
        Err(ReportError::Record(_))
    ));
}

/// Section 七: the approval steps in order and, set apart, each override with its reason,
/// who recorded it and when; a record of a congress that neither enforced nor recorded the
/// steps prints no section 七.
#[test]
fn section_seven_prints_the_steps_and_the_overrides() {
    use crate::packet::approval::{Step, NOTICE, NOTICE_OVERRIDE, SESSION_OVERRIDE, STEP_VERSION};
    let mut rec = record();
    let step = |kind: &str, contest: Option<&str>, data: serde_json::Value| Step {
        v: STEP_VERSION,
        kind: kind.to_string(),
        congress: rec.congress.id.clone(),
        contest: contest.map(str::to_string),
        candidates_sha256: contest.map(|_| "ab".repeat(32)),
        recorded_at: "2026-12-02T10:15:00+08:00".to_string(),
        data,
    };
    let election = rec.contests[0].id.clone();
    let steps = [
        step(
            NOTICE,
            Some(&election),
            serde_json::json!({"start": "2026-11-25", "end": "2026-12-01", "days": 5}),
        ),
        step(
            NOTICE_OVERRIDE,
            Some(&election),
            serde_json::json!({"reason": "大会日程经校党委同意提前", "by": "zuzhi"}),
        ),
        step(
            SESSION_OVERRIDE,
            None,
            serde_json::json!({"reason": "上级学联口头同意, 书面答复在途"}),
        ),
    ];
    let extras = ReportExtras {
        addenda: &[],
        preview: false,
        steps: &steps,
    };
    let html = report_html_with(&rec, &summary(), "http://x/b/c1", false, extras);
    for needle in [
        "七、候选人审批、公示与开会申请",
        "例外登记 (2 项)",
        "公示期未满提前投票",
        "大会日程经校党委同意提前",
        "<td>zuzhi</td>",
        "未获答复先行开会",
        "上级学联口头同意, 书面答复在途",
        "2026-11-25 至 2026-12-01, 5个工作日",
        "2026年12月2日 10:15",
        &rec.contests[0].title,
    ] {
        assert!(html.contains(needle), "{needle} missing");
    }
    rec.settings.approval_procedure = false;
    let none = ReportExtras::default();
    let html = report_html_with(&rec, &summary(), "http://x/b/c1", false, none);
    assert!(!html.contains("七、候选人审批"));
    rec.settings.approval_procedure = true;
    let html = report_html_with(&rec, &summary(), "http://x/b/c1", false, none);
    assert!(html.contains("例外登记: 无") && html.contains("未登记任何审批"));
}
