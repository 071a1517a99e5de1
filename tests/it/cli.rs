//! The `congress` command as a subprocess, on fixture files in UTF-8, UTF-8 with BOM, GBK and
//! .xlsx: `allocate`, `roster check` and `roster generate`, their JSON and their exit codes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const ENCODINGS: [&str; 4] = ["utf8.csv", "bom.csv", "gbk.csv", "xlsx"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> String {
    root()
        .join("tests/fixtures")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

fn sample(name: &str) -> String {
    root()
        .join("templates/sample")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

fn congress(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_congress"))
        .args(args)
        .output()
        .expect("run congress")
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The sample school's quotas: ceil(1%) of each college.
const SAMPLE_QUOTAS: [(&str, u64, u64); 8] = [
    ("计算机学院", 3212, 33),
    ("外国语学院", 1846, 19),
    ("机械工程学院", 2731, 28),
    ("经济管理学院", 2958, 30),
    ("文学院", 1563, 16),
    ("数学与统计学院", 1402, 15),
    ("化学化工学院", 1895, 19),
    ("马克思主义学院", 386, 4),
];

test!(allocate_reads_every_encoding_the_same);
fn allocate_reads_every_encoding_the_same() {
    for enc in ENCODINGS {
        let out = congress(&[
            "allocate",
            "--enrolment",
            &fixture(&format!("enrolment.{enc}")),
            "--json",
        ]);
        assert_eq!(out.status.code(), Some(0), "{enc}: {}", stderr(&out));
        let v = json(&out);
        assert_eq!(v["method"], "hamilton", "{enc}");
        assert_eq!(v["total"], 164, "{enc}");
        let colleges = v["colleges"].as_array().expect("colleges");
        assert_eq!(colleges.len(), 8, "{enc}");
        for (c, (name, enrolment, quota)) in colleges.iter().zip(SAMPLE_QUOTAS) {
            assert_eq!(c["college"], name, "{enc}");
            assert_eq!(c["enrolment"], enrolment, "{enc}");
            assert_eq!(c["minimum"], quota, "{enc}");
            assert_eq!(c["quota"], quota, "{enc}");
        }
    }
}

test!(allocate_with_a_total_and_each_method_keeps_minimums_and_total);
fn allocate_with_a_total_and_each_method_keeps_minimums_and_total() {
    for method in ["hamilton", "dhondt", "webster", "huntington-hill"] {
        let out = congress(&[
            "allocate",
            "--enrolment",
            &sample("enrolment.csv"),
            "--total",
            "200",
            "--method",
            method,
            "--json",
        ]);
        assert_eq!(out.status.code(), Some(0), "{method}: {}", stderr(&out));
        let v = json(&out);
        assert_eq!(v["method"], method);
        let cs = v["colleges"].as_array().unwrap();
        let sum: u64 = cs.iter().map(|c| c["quota"].as_u64().unwrap()).sum();
        assert_eq!(sum, 200, "{method}");
        for c in cs {
            assert!(
                c["quota"].as_u64() >= c["minimum"].as_u64(),
                "{method}: {c}"
            );
        }
    }
}

test!(allocate_refuses_a_total_below_the_minimums);
fn allocate_refuses_a_total_below_the_minimums() {
    let out = congress(&[
        "allocate",
        "--enrolment",
        &sample("enrolment.csv"),
        "--total",
        "120",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("120") && err.contains("164"), "{err}");
}

test!(a_bad_row_is_reported_with_file_row_and_column_and_exit_2);
fn a_bad_row_is_reported_with_file_row_and_column_and_exit_2() {
    let out = congress(&[
        "allocate",
        "--enrolment",
        &fixture("enrolment_bad_count.gbk.csv"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("enrolment_bad_count.gbk.csv"), "{err}");
    assert!(err.contains("第7行"), "{err}");
    assert!(err.contains("人数"), "{err}");
    assert!(err.contains("约452"), "{err}");
    let out = congress(&["allocate", "--enrolment", "/nonexistent/enrolment.csv"]);
    assert_eq!(out.status.code(), Some(2));
    let out = congress(&[
        "allocate",
        "--enrolment",
        &sample("enrolment.csv"),
        "--method",
        "borda",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("borda"));
}

test!(roster_check_accepts_the_valid_roster_in_every_encoding);
fn roster_check_accepts_the_valid_roster_in_every_encoding() {
    for enc in ENCODINGS {
        let out = congress(&[
            "roster",
            "check",
            "--enrolment",
            &fixture(&format!("enrolment.{enc}")),
            "--roster",
            &fixture(&format!("roster.{enc}")),
            "--societies",
            &sample("societies.csv"),
            "--json",
        ]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{enc}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        let v = json(&out);
        assert_eq!(v["valid"], true, "{enc}");
        assert_eq!(v["violations"].as_array().unwrap().len(), 0, "{enc}");
        assert_eq!(v["summary"]["total"], 164, "{enc}");
        assert_eq!(v["summary"]["women"], 50, "{enc}");
    }
}

fn write_roster_without(dir: &Path, drop_college: &str, drop: usize) -> PathBuf {
    let text = std::fs::read_to_string(fixture("roster.utf8.csv")).unwrap();
    let mut dropped = 0;
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| {
            if dropped < drop && l.contains(drop_college) {
                dropped += 1;
                false
            } else {
                true
            }
        })
        .collect();
    let path = dir.join("roster.csv");
    std::fs::write(&path, kept.join("\n")).unwrap();
    path
}

test!(roster_check_reports_a_pasted_line_as_b6_with_every_other_violation);
fn roster_check_reports_a_pasted_line_as_b6_with_every_other_violation() {
    let dir = tempfile::tempdir().unwrap();
    let roster = write_roster_without(dir.path(), "外国语学院", 2);
    let text = std::fs::read_to_string(&roster).unwrap();
    let first = text.lines().nth(1).unwrap().to_string();
    std::fs::write(&roster, format!("{text}\n{first}\n")).unwrap();
    let rows = text.lines().count() + 1;
    let out = congress(&[
        "roster",
        "check",
        "--enrolment",
        &sample("enrolment.csv"),
        "--roster",
        roster.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v = json(&out);
    let violations = v["violations"].as_array().unwrap();
    let b6: Vec<&Value> = violations.iter().filter(|x| x["rule"] == "B6").collect();
    assert_eq!(b6.len(), 1, "{violations:?}");
    assert_eq!(b6[0]["college"], "计算机学院");
    assert_eq!(
        (b6[0]["required"].as_i64(), b6[0]["found"].as_i64()),
        (Some(1), Some(2))
    );
    assert!(
        b6[0]["message"]
            .as_str()
            .unwrap()
            .contains(&format!("出现2次(第2行、第{rows}行)")),
        "{}",
        b6[0]
    );
    // The other violation (外国语学院 two short) is reported too.
    assert!(violations
        .iter()
        .any(|x| x["rule"] == "B1" && x["college"] == "外国语学院"));
}

test!(roster_check_reports_a_short_college_with_rule_college_and_figures);
fn roster_check_reports_a_short_college_with_rule_college_and_figures() {
    let dir = tempfile::tempdir().unwrap();
    let roster = write_roster_without(dir.path(), "外国语学院", 2);
    let out = congress(&[
        "roster",
        "check",
        "--enrolment",
        &sample("enrolment.csv"),
        "--roster",
        roster.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["valid"], false);
    let b1: Vec<&Value> = v["violations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["rule"] == "B1")
        .collect();
    assert_eq!(b1.len(), 1, "{}", v["violations"]);
    assert_eq!(b1[0]["college"], "外国语学院");
    assert_eq!(b1[0]["required"], 19);
    assert_eq!(b1[0]["found"], 17);
    assert!(b1[0]["message"].as_str().unwrap().contains("外国语学院"));
    // The human-readable form says the same in Chinese.
    let out = congress(&[
        "roster",
        "check",
        "--enrolment",
        &sample("enrolment.csv"),
        "--roster",
        roster.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("规则B1") && text.contains("外国语学院"),
        "{text}"
    );
}

test!(roster_generate_writes_a_roster_that_check_accepts);
fn roster_generate_writes_a_roster_that_check_accepts() {
    let dir = tempfile::tempdir().unwrap();
    for enc in ["gbk.csv", "xlsx"] {
        let out_path = dir.path().join(format!("generated-{enc}.csv"));
        let out = congress(&[
            "roster",
            "generate",
            "--enrolment",
            &fixture(&format!("enrolment.{enc}")),
            "--nominees",
            &fixture(&format!("nominees.{enc}")),
            "--societies",
            &sample("societies.csv"),
            "--out",
            out_path.to_str().unwrap(),
            "--json",
        ]);
        assert_eq!(out.status.code(), Some(0), "{enc}: {}", stderr(&out));
        let v = json(&out);
        assert_eq!(v["delegates"], 164);
        let subs = v["substitutions"].as_array().unwrap();
        assert_eq!(subs.len(), 4, "{enc}: {subs:?}");
        assert!(subs
            .iter()
            .any(|s| s["rule"] == "B2" && s["college"] == "计算机学院"));
        assert!(subs
            .iter()
            .any(|s| s["rule"] == "B3" && s["college"] == "文学院"));
        let check = congress(&[
            "roster",
            "check",
            "--enrolment",
            &sample("enrolment.csv"),
            "--roster",
            out_path.to_str().unwrap(),
            "--societies",
            &sample("societies.csv"),
        ]);
        assert_eq!(
            check.status.code(),
            Some(0),
            "{enc}: {}",
            String::from_utf8_lossy(&check.stdout)
        );
    }
}

test!(roster_generate_explains_why_no_roster_exists);
fn roster_generate_explains_why_no_roster_exists() {
    let dir = tempfile::tempdir().unwrap();
    // Keep only 2 of 马克思主义学院's nominees: its quota is 4.
    let text = std::fs::read_to_string(sample("nominees.csv")).unwrap();
    let mut seen = 0;
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| {
            if l.contains("马克思主义学院") {
                seen += 1;
                seen <= 2
            } else {
                true
            }
        })
        .collect();
    let nominees = dir.path().join("nominees.csv");
    std::fs::write(&nominees, kept.join("\n")).unwrap();
    let out_path = dir.path().join("roster.csv");
    let out = congress(&[
        "roster",
        "generate",
        "--enrolment",
        &sample("enrolment.csv"),
        "--nominees",
        nominees.to_str().unwrap(),
        "--out",
        out_path.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    let vs = v["violations"].as_array().unwrap();
    let hit = vs
        .iter()
        .find(|x| x["college"] == "马克思主义学院")
        .expect("names the college");
    assert_eq!(hit["rule"], "B1");
    assert_eq!(hit["required"], 4);
    assert_eq!(hit["found"], 2);
    assert!(!out_path.exists(), "no roster is written when none exists");
}
