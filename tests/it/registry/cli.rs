//! The command line of the filing office, as subprocesses: `registry init`, `school`,
//! `account`, `key`, `file` (a good packet, a tampered one refused with exit 1 and the reason,
//! an unpacked directory), `table` (text and .xlsx); and the scale tool on small numbers:
//! `registry synth` then `registry bench` (a registry server process, uploads over the API).

use std::path::Path;
use std::process::{Command, Output};

use congress::packet::write_packet;

use super::harness::congress;

fn run(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_congress"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .output()
        .expect("run congress")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

test!(the_office_from_the_command_line);
fn the_office_from_the_command_line() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let o = run(&data, &["registry", "init"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(data.join("registry-store/tmp").is_dir());
    let o = run(
        &data,
        &[
            "registry",
            "school",
            "--code",
            "10001",
            "--name",
            "甲城大学",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let o = run(
        &data,
        &[
            "registry",
            "school",
            "--code",
            "10001",
            "--name",
            "甲城大学",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("学校代码“10001”已登记"), "{}", text(&o));
    let o = run(
        &data,
        &[
            "registry",
            "account",
            "--username",
            "jiacheng",
            "--role",
            "school",
            "--school",
            "10001",
        ],
    );
    assert!(
        o.status.success() && text(&o).contains("一次性密码: "),
        "{}",
        text(&o)
    );

    let zip = tmp.path().join("jc.zip");
    std::fs::write(&zip, congress("甲城大学", "jc2025", 3, 1).zip().unwrap()).unwrap();
    let o = run(
        &data,
        &[
            "registry",
            "file",
            "--school",
            "10001",
            zip.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("已备案: 甲城大学第12次学生代表大会"),
        "{}",
        text(&o)
    );

    // A packet directory whose record was edited after signing.
    let s = congress("甲城大学", "jc2024", 300, 2);
    let dir = tmp.path().join("jc2024-packet");
    write_packet(&dir, &s.contents).unwrap();
    let record = std::fs::read_to_string(dir.join("record.json")).unwrap();
    std::fs::write(
        dir.join("record.json"),
        record.replacen("甲城大学第12次", "甲城大学第13次", 1),
    )
    .unwrap();
    let o = run(
        &data,
        &[
            "registry",
            "file",
            "--school",
            "10001",
            dir.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let t = text(&o);
    assert!(
        t.contains("拒收: 归档包未通过核验") && t.contains("记录签名 record signature"),
        "{t}"
    );
    // Unedited, the same directory is filed.
    write_packet(&dir, &s.contents).unwrap();
    let o = run(
        &data,
        &[
            "registry",
            "file",
            "--school",
            "10001",
            dir.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", text(&o));

    let year = super::harness::days_ago(3)[..4].to_string();
    let o = run(&data, &["registry", "table", "--year", &year]);
    assert!(o.status.success());
    assert!(
        text(&o).starts_with("10001\t甲城大学\t按时备案"),
        "{}",
        text(&o)
    );
    let xlsx = tmp.path().join("t.xlsx");
    let o = run(
        &data,
        &["registry", "table", "--xlsx", xlsx.to_str().unwrap()],
    );
    assert!(
        o.status.success() && xlsx.metadata().unwrap().len() > 1000,
        "{}",
        text(&o)
    );
}

test!(the_scale_tool_runs_on_small_numbers);
fn the_scale_tool_runs_on_small_numbers() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("packets");
    let data = tmp.path().join("unused");
    let o = run(
        &data,
        &[
            "registry",
            "synth",
            "--count",
            "4",
            "--delegates",
            "60",
            "--short-every",
            "2",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(out.join("schools.json").is_file() && out.join("S0004.zip").is_file());
    let o = run(
        &data,
        &[
            "registry",
            "bench",
            "--packets",
            out.to_str().unwrap(),
            "--runs",
            "1",
            "--json",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["packets"], 4);
    assert_eq!(report["runs"][0]["accepted"], 4);
    assert_eq!(report["runs"][0]["errors"].as_array().unwrap().len(), 0);
    assert!(report["runs"][0]["server_peak_rss_mib"].as_f64().unwrap() > 0.0);
    // 4 packets x 3 contests x 57 voters (95% of 60), each ballot a signature checked on arrival;
    // the machine's limits are measured before the run and the floor follows from them.
    let run0 = &report["runs"][0];
    assert_eq!(run0["ballots"], 4 * 3 * 57);
    let verify = run0["calibration"]["rsa_verify_per_s_all"]
        .as_f64()
        .unwrap();
    assert!(verify > 0.0 && run0["calibration"]["commit_per_s"].as_f64().unwrap() > 0.0);
    let floor = run0["verify_floor_s"].as_f64().unwrap();
    assert!(
        (floor - 684.0 / verify).abs() < 1e-6 * floor.max(1.0),
        "{run0}"
    );
}
