//! The command line's part:
//! - `congress verify --expect-key FINGERPRINT` pins the signing key: a packet re-signed
//!   whole with another key passes every other check, and only the pin catches it; without
//!   the pin the report says the key was not compared and prints the fingerprint to compare;
//! - `congress demo --database-url URL` fills the database it is given (PostgreSQL or SQLite),
//!   refuses one that already holds accounts, and refuses a URL it cannot use, clearly.

use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;

use congress::packet::write_packet;
use congress::storage::repo::{congress as congress_repo, users};

use super::packet_fixture::{build, Size};
use crate::common::{test_db, Kind};

fn congress(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_congress"))
        .args(args)
        .env("RUST_LOG", "error")
        .env_remove("DATABASE_URL")
        .output()
        .expect("run congress")
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

fn failed(v: &Value) -> Vec<String> {
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["ok"] == false)
        .map(|c| c["code"].as_str().unwrap().to_string())
        .collect()
}

test!(verify_pins_the_key_to_the_announced_fingerprint);
fn verify_pins_the_key_to_the_announced_fingerprint() {
    let tmp = tempfile::tempdir().unwrap();
    // The congress's packet, and the same packet re-signed whole with another key (what a
    // forger who replaced the results would hand in: consistent in itself).
    let real = build(Size::SMALL);
    let forged = build(Size::SMALL);
    let (a, b) = (tmp.path().join("real"), tmp.path().join("forged"));
    write_packet(&a, &real.contents).unwrap();
    write_packet(&b, &forged.contents).unwrap();
    let announced = real.key.public_key().fingerprint();
    let forged_fp = forged.key.public_key().fingerprint();
    assert_ne!(announced, forged_fp);
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());

    // Without the pin both pass, and the report says what was not compared.
    for (dir, fp) in [(a, &announced), (b, &forged_fp)] {
        let out = congress(&["verify", dir]);
        assert_eq!(out.status.code(), Some(0));
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("未用 --expect-key 比对公钥"), "{text}");
        assert!(text.contains(fp.as_str()), "{text}");
        let v = json(&congress(&["verify", dir, "--json"]));
        assert_eq!(v["key_pinned"], false);
        assert_eq!(v["key_fingerprint"], fp.as_str());
    }
    // Pinned to the fingerprint announced in the hall (as people copy it: upper case, in
    // groups): the real packet passes, the forged one fails on exactly that check.
    let copied = announced
        .to_uppercase()
        .as_bytes()
        .chunks(4)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect::<Vec<_>>()
        .join(" ");
    let out = congress(&["verify", a, "--expect-key", &copied, "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    assert_eq!(v["key_pinned"], true);
    assert!(v["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["code"] == "key.expected" && c["ok"] == true));
    let out = congress(&["verify", b, "--expect-key", &copied, "--json"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(failed(&json(&out)), vec!["key.expected".to_string()]);
    let out = congress(&["verify", b, "--expect-key", &announced]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!(
            "归档包的公钥指纹为 {forged_fp}, 与指定的 {announced} 不同"
        )),
        "{text}"
    );
    assert!(!text.contains("未用 --expect-key"));
    // A mistyped fingerprint is a failed check that says so.
    let out = congress(&["verify", a, "--expect-key", "abc123", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(failed(&v), vec!["key.expected".to_string()]);
    // VERIFY.txt tells the league office to pin the key.
    let text = std::fs::read_to_string(std::path::Path::new(a).join("VERIFY.txt")).unwrap();
    assert!(text.contains(&announced));
    assert!(text.contains("congress verify --expect-key"));
    assert!(text.contains("印在签字的选举结果报告单"));
}

both_backends!(demo_uses_the_database_it_is_given, |kind: Kind| {
    let db = test_db(kind, "demo_database");
    let home = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_congress"))
        .args(["demo", "--bind", "127.0.0.1:0", "--database-url", &db.url])
        .arg("--dir")
        .arg(home.path())
        .env("RUST_LOG", "error")
        .env_remove("DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the demo");
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut said = Vec::new();
    loop {
        match rx.recv_timeout(Duration::from_secs(600)) {
            Ok(line) => {
                let ready = line.contains("按 Ctrl-C 结束演示");
                said.push(line);
                if ready {
                    break;
                }
            }
            Err(e) => {
                let _ = child.kill();
                panic!("the demo did not start ({e}): {said:?}");
            }
        }
    }
    let backend = if kind == Kind::Postgres {
        "数据库: postgres://"
    } else {
        "数据库: sqlite://"
    };
    assert!(said.iter().any(|l| l.starts_with(backend)), "{said:?}");
    // Its accounts and congresses are in the database given, not in a file of its own.
    let (accounts, congresses) = {
        let mut c = db.db.conn().unwrap();
        let names: Vec<String> = users::list(&mut c)
            .unwrap()
            .into_iter()
            .map(|u| u.username)
            .collect();
        let congresses: Vec<String> = congress_repo::list(&mut c)
            .unwrap()
            .into_iter()
            .map(|c| c.name)
            .collect();
        (names, congresses)
    };
    assert_eq!(accounts, vec!["jianpiao".to_string(), "zuzhi".to_string()]);
    assert_eq!(congresses.len(), 2);
    // Their names stay true in every state: no state and no "演示" in them (issue 14.11)...
    for name in &congresses {
        assert!(!name.contains("演示") && !name.contains("筹备"), "{name}");
    }
    // ...the served pages carry the 演示 badge instead.
    let url = said
        .iter()
        .find_map(|l| l.strip_prefix("学代会选举系统演示已启动: "))
        .expect("the demo's address")
        .to_string();
    let login = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async { reqwest::get(format!("{url}/login")).await?.text().await })
        .expect("the demo's login page");
    assert!(login.contains("<span class=\"badge demo\""), "{login}");
    assert!(!home.path().join("data/congress.sqlite3").exists());
    child.kill().unwrap();
    let _ = child.wait();

    // A database that holds accounts is refused, and nothing is added to it.
    let out = Command::new(env!("CARGO_BIN_EXE_congress"))
        .args(["demo", "--bind", "127.0.0.1:0", "--database-url", &db.url])
        .env("RUST_LOG", "error")
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("已有 2 个账户") && err.contains("空数据库"),
        "{err}"
    );
    let mut c = db.db.conn().unwrap();
    assert_eq!(congress_repo::list(&mut c).unwrap().len(), 2);
});

test!(demo_refuses_a_database_it_cannot_use);
fn demo_refuses_a_database_it_cannot_use() {
    let out = congress(&[
        "demo",
        "--bind",
        "127.0.0.1:0",
        "--database-url",
        "mysql://root@127.0.0.1/congress",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("不支持的数据库地址"), "{err}");
    // An unreachable PostgreSQL server: the reason, not a silent SQLite file.
    let out = congress(&[
        "demo",
        "--bind",
        "127.0.0.1:0",
        "--database-url",
        "postgres://postgres@127.0.0.1:1/nowhere?connect_timeout=2",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("127.0.0.1:1"), "{err}");
}
