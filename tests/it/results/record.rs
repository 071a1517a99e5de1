//! Certifying and the addenda: the signature over record.json checked with OpenSSL and with
//! ed25519-dalek, the record's content, addenda signed and pointing at the record's hash, the
//! record unchanged by them, the state machine's refusals, and the same through the API.

use std::process::Command;

use base64::Engine;
use ed25519_dalek::pkcs8::DecodePublicKey;
use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use serde_json::Value;

use congress::domain::ids::{CongressId, ContestId};
use congress::service::{self, Actor};
use congress::storage::repo::congress as congress_repo;
use congress::storage::repo::users::Role;

use super::fixture::{
    certified, runoff, voted, World, ELECTION_TITLE, MOTION_THRESHOLD_REASON, RUNOFF_NOT_HELD,
};
use super::{block_on, sha256};
use crate::common::Kind;

/// Today in China Standard Time, the latest date an addendum may carry.
pub fn today() -> String {
    congress::service::addenda::today_cst().to_string()
}

pub fn public_key_pem(w: &World) -> String {
    let mut c = w.conn();
    congress_repo::get(&mut c, &CongressId::from(&w.cid))
        .unwrap()
        .unwrap()
        .public_key_pem
        .unwrap()
}

pub fn dalek_verifies(pem: &str, bytes: &[u8], sig: &[u8]) -> bool {
    let key = VerifyingKey::from_public_key_pem(pem).unwrap();
    let sig = Signature::from_slice(sig).unwrap();
    key.verify(bytes, &sig).is_ok()
}

/// `openssl pkeyutl -verify -rawin` over the files; `None` when OpenSSL 3 is not installed
/// (a printed note; under CI=true that fails the test).
fn openssl_verifies(pem: &str, bytes: &[u8], sig: &[u8]) -> Option<bool> {
    let version = Command::new("openssl").arg("version").output();
    let v3 = version
        .as_ref()
        .map(|o| String::from_utf8_lossy(&o.stdout).starts_with("OpenSSL 3"))
        .unwrap_or(false);
    if !v3 {
        let msg = "OpenSSL 3 not found: the openssl check of record.sig was NOT run";
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("{msg} (CI=true requires it)");
        }
        eprintln!("{msg}");
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("congress.pub.pem"), pem).unwrap();
    std::fs::write(dir.path().join("record.json"), bytes).unwrap();
    std::fs::write(dir.path().join("record.sig"), sig).unwrap();
    let out = Command::new("openssl")
        .current_dir(dir.path())
        .args([
            "pkeyutl",
            "-verify",
            "-pubin",
            "-inkey",
            "congress.pub.pem",
            "-rawin",
            "-in",
            "record.json",
            "-sigfile",
            "record.sig",
        ])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout).contains("Signature Verified Successfully");
    assert_eq!(said, out.status.success());
    Some(said)
}

both_backends!(
    certified_record_verifies_and_addenda_never_change_it,
    |kind: Kind| {
        let w = certified(kind, "certify");
        let pem = public_key_pem(&w);
        block_on(async {
            let r = w.org.get(&format!("/c/{}/record/record.json", w.cid)).await;
            assert_eq!(r.status(), 200);
            let bytes = r.bytes().await.unwrap().to_vec();
            let sig = w
                .org
                .get(&format!("/c/{}/record/record.sig", w.cid))
                .await
                .bytes()
                .await
                .unwrap()
                .to_vec();
            assert_eq!(sig.len(), 64);
            assert!(dalek_verifies(&pem, &bytes, &sig));
            if let Some(ok) = openssl_verifies(&pem, &bytes, &sig) {
                assert!(ok);
                let mut tampered = bytes.clone();
                let i = tampered.iter().position(|b| *b == b'9').unwrap();
                tampered[i] = b'8';
                assert_eq!(openssl_verifies(&pem, &tampered, &sig), Some(false));
            }
            // What the record says.
            let record: Value = serde_json::from_slice(&bytes).unwrap();
            assert_eq!(record["kind"], "record");
            assert_eq!(record["delegates"]["expected"], 12);
            let contests = record["contests"].as_array().unwrap();
            assert_eq!(contests.len(), 2, "the runoff draft was never held");
            let not_held = &contests[0]["rounds_not_held"];
            assert_eq!(not_held[0]["round_kind"], "runoff");
            assert_eq!(not_held[0]["seats_left_empty"], 1);
            assert_eq!(not_held[0]["reason"], RUNOFF_NOT_HELD);
            assert!(contests[1].get("rounds_not_held").is_none());
            let (_, print) = w.org.get_text(&format!("/c/{}/record/print", w.cid)).await;
            assert!(
                print.contains(&format!(
                    "未举行 (规则 F2/F3), 空缺名额 1 名; 组织方记录的理由: {RUNOFF_NOT_HELD}"
                )),
                "{print}"
            );
            assert_eq!(contests[0]["title"], ELECTION_TITLE);
            assert_eq!(contests[0]["election_kind"], "presidium");
            assert!(contests[0].get("threshold_reason").is_none());
            assert_eq!(contests[1]["threshold_reason"], MOTION_THRESHOLD_REASON);
            assert_eq!(contests[1]["threshold"]["base"], "roster");
            assert_eq!(contests[0]["result"]["valid"], 9);
            assert_eq!(contests[0]["result"]["invalid"], 1);
            let elected: Vec<&str> = contests[0]["result"]["detail"]["election"]["elected"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["name"].as_str().unwrap())
                .collect();
            assert_eq!(elected, ["王芳", "李强"]);
            let roles: Vec<&str> = record["scrutineers"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["name"].as_str().unwrap())
                .collect();
            assert_eq!(roles, ["周敏", "吴刚", "郑丽"]);
            let record_hash = hex::encode(sha256(&bytes));
            let (_, page) = w.org.get_text(&format!("/c/{}/record", w.cid)).await;
            assert!(page.contains(&record_hash));

            // The filing follows the approval (G3): refused before it.
            let addenda = format!("/c/{}/record/addenda", w.cid);
            let today = today();
            let post = |fields: Vec<(&'static str, String)>| {
                let org = &w.org;
                let addenda = addenda.clone();
                async move {
                    let f: Vec<(&str, &str)> =
                        fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                    let r = org.post_form(&addenda, &f).await;
                    let status = r.status().as_u16();
                    (status, r.text().await.unwrap())
                }
            };
            let filing = |date: &str, reason: Option<&str>| {
                let mut f = vec![
                    ("kind", "filing".to_string()),
                    ("body", "省学生联合会".to_string()),
                    ("date", date.to_string()),
                ];
                if let Some(r) = reason {
                    f.push(("reason", r.to_string()));
                }
                f
            };
            let approval = |reference: &str, date: &str, reason: Option<&str>| {
                let mut f = vec![
                    ("kind", "approval".to_string()),
                    ("body", "中共示范大学委员会".to_string()),
                    ("reference", reference.to_string()),
                    ("date", date.to_string()),
                ];
                if let Some(r) = reason {
                    f.push(("reason", r.to_string()));
                }
                f
            };
            let (s, body) = post(filing(&today, None)).await;
            assert_eq!(s, 409);
            assert!(body.contains("须先登记党委批准, 才能登记备案"), "{body}");
            // A date in the future is refused.
            let tomorrow = (chrono::NaiveDate::parse_from_str(&today, "%Y-%m-%d").unwrap()
                + chrono::Days::new(1))
            .to_string();
            let (s, body) = post(approval("示大党字〔2026〕15号", &tomorrow, None)).await;
            assert_eq!(s, 422);
            assert!(
                body.contains(&format!("“日期”{tomorrow} 晚于今天")),
                "{body}"
            );
            let (s, _) = post(approval("示大党字〔2026〕51号", &today, None)).await;
            assert_eq!(s, 303);
            // Recorded once; a second one without a reason is refused, with one it corrects.
            let (s, body) = post(approval("示大党字〔2026〕15号", &today, None)).await;
            assert_eq!(s, 409, "approval twice");
            assert!(body.contains("如需更正, 请填写更正理由"), "{body}");
            let (s, _) = post(approval(
                "示大党字〔2026〕15号",
                &today,
                Some("文号录入错误: 51号应为15号"),
            ))
            .await;
            assert_eq!(s, 303);
            let (s, _) = post(filing("2026-13-01", None)).await;
            assert_eq!(s, 422, "bad date");
            let (s, _) = post(filing(&today, None)).await;
            assert_eq!(s, 303);
            let (s, _) = post(filing(&today, None)).await;
            assert_eq!(s, 409, "filing twice");
            let (s, _) = post(filing(&today, Some("备案机关名称应为省学联"))).await;
            assert_eq!(s, 303, "a filing is corrected after the congress is filed");
            let (_, page) = w.org.get_text(&format!("/c/{}/record", w.cid)).await;
            assert!(
                page.contains("更正前一份登记, 理由: 文号录入错误: 51号应为15号"),
                "{page}"
            );
            assert!(page.contains("更正备案"));

            let after = w
                .org
                .get(&format!("/c/{}/record/record.json", w.cid))
                .await
                .bytes()
                .await
                .unwrap()
                .to_vec();
            assert_eq!(after, bytes, "the record never changes");
            let mut c = w.conn();
            let rows = congress::storage::repo::records::addenda(&mut c, &CongressId::from(&w.cid))
                .unwrap();
            assert_eq!(rows.len(), 4);
            // Each correction names the addendum it corrects by its SHA-256, with the reason.
            for pair in rows.windows(2).filter(|p| p[0].kind == p[1].kind) {
                let later: Value = serde_json::from_str(&pair[1].body_json).unwrap();
                assert_eq!(
                    later["corrects"],
                    hex::encode(sha256(pair[0].body_json.as_bytes()))
                );
                assert!(later["reason"].as_str().is_some_and(|r| !r.is_empty()));
                assert_eq!(pair[1].seq, pair[0].seq + 1);
            }
            // The packet carries every addendum (approval-2.json is the correction) and an
            // outsider's verification checks the chain.
            let dir = tempfile::tempdir().unwrap();
            let out_dir = dir.path().join("packet");
            let out = super::export::congress(
                &w,
                &[
                    "export",
                    "--congress",
                    &w.cid,
                    "--out",
                    out_dir.to_str().unwrap(),
                    "--public-url",
                    "http://192.168.1.10:8080",
                ],
            );
            assert_eq!(
                out.status.code(),
                Some(0),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            for f in [
                "approval.json",
                "approval-2.json",
                "filing.json",
                "filing-2.sig",
            ] {
                assert!(out_dir.join("addenda").join(f).exists(), "{f}");
            }
            let verify = super::export::congress(&w, &["verify", out_dir.to_str().unwrap()]);
            let text = String::from_utf8_lossy(&verify.stdout).to_string();
            assert_eq!(verify.status.code(), Some(0), "{text}");
            assert!(text.contains("approval-2"), "{text}");
            // A correction that no longer names the one before it fails.
            let f = out_dir.join("addenda/filing-2.json");
            let bad = std::fs::read_to_string(&f)
                .unwrap()
                .replace("\"corrects\":\"", "\"corrects\":\"0");
            std::fs::write(&f, bad).unwrap();
            let verify = super::export::congress(&w, &["verify", out_dir.to_str().unwrap()]);
            assert_eq!(verify.status.code(), Some(1));
            for row in rows {
                let a: Value = serde_json::from_str(&row.body_json).unwrap();
                assert_eq!(a["record_sha256"], record_hash.as_str());
                assert_eq!(a["kind"], row.kind.as_str());
                let sig = base64::engine::general_purpose::STANDARD
                    .decode(&row.sig)
                    .unwrap();
                assert!(dalek_verifies(&pem, row.body_json.as_bytes(), &sig));
            }
            let state = congress_repo::get(&mut c, &CongressId::from(&w.cid))
                .unwrap()
                .unwrap()
                .state;
            assert_eq!(state.as_str(), "filed");
        });
    }
);

both_backends!(state_machine_refusals, |kind: Kind| {
    let w = voted(kind, "refusals");
    block_on(async {
        let cid = &w.cid;
        // Contests still open: the congress cannot close.
        let r = w.org.post_form(&format!("/c/{cid}/close"), &[]).await;
        assert_eq!(r.status(), 422);
        let text = r.text().await.unwrap();
        assert!(text.contains("还有未完成计票的事项"), "{text}");
        // Still in session: too early to certify or record an approval.
        let r = w
            .org
            .post_form(&format!("/c/{cid}/record/certify"), &[])
            .await;
        assert_eq!(r.status(), 409);
        assert!(r
            .text()
            .await
            .unwrap()
            .contains("现在还不能签署选举结果报告"));
        let r = w
            .org
            .post_form(
                &format!("/c/{cid}/record/addenda"),
                &[
                    ("kind", "approval"),
                    ("body", "党委"),
                    ("reference", "1号"),
                    ("date", &today()),
                ],
            )
            .await;
        assert_eq!(r.status(), 409);
        assert_eq!(
            w.org
                .get(&format!("/c/{cid}/record/record.json"))
                .await
                .status(),
            404
        );
        assert_eq!(
            w.org.get(&format!("/c/{cid}/record/print")).await.status(),
            404
        );
    });
    // Counted and closed: a scrutineer may not certify; filing needs certification first.
    let mut c = w.conn();
    for k in [&w.election, &w.motion] {
        service::voting::close(
            &mut c,
            &Actor::cli("test"),
            &CongressId::from(&w.cid),
            &ContestId::from(k),
        )
        .unwrap();
        service::results::finalise(
            &mut c,
            &Actor::cli("test"),
            &CongressId::from(&w.cid),
            &ContestId::from(k),
            true,
        )
        .unwrap();
    }
    // The proposed runoff must be held or declined with a reason before the congress closes.
    let e =
        service::results::close_congress(&mut c, &Actor::cli("test"), &CongressId::from(&w.cid))
            .unwrap_err();
    assert!(
        e.full().contains("尚未举行, 也未决定不举行"),
        "{}",
        e.full()
    );
    let k = runoff(&w);
    let e = service::contests::delete(
        &mut c,
        &Actor::cli("test"),
        &CongressId::from(&w.cid),
        &ContestId::from(&k),
    )
    .unwrap_err();
    assert!(e.to_string().contains("不能删除; 如不举行"), "{e}");
    let e = service::contests::not_held(
        &mut c,
        &Actor::cli("test"),
        &CongressId::from(&w.cid),
        &ContestId::from(&k),
        " ",
    )
    .unwrap_err();
    assert!(e.to_string().contains("请填写不举行的理由"), "{e}");
    service::contests::not_held(
        &mut c,
        &Actor::cli("test"),
        &CongressId::from(&w.cid),
        &ContestId::from(&k),
        "名额空缺",
    )
    .unwrap();
    service::results::close_congress(&mut c, &Actor::cli("test"), &CongressId::from(&w.cid))
        .unwrap();
    drop(c);
    block_on(async {
        let cid = &w.cid;
        // Certifying asks first (issue 14.7), with the contests it signs; nothing until then.
        let r = w
            .org
            .post_unconfirmed(&format!("/c/{cid}/record/certify"), &[])
            .await;
        assert_eq!(r.status(), 303);
        let to = r.headers()["location"].to_str().unwrap().to_string();
        assert_eq!(to, format!("/c/{cid}/confirm/record-certify"));
        let (s, page) = w.org.get_text(&to).await;
        assert_eq!(s, 200);
        assert!(
            page.contains("将用大会密钥签署包含 2 个事项结果的报告单"),
            "{page}"
        );
        assert!(page.contains(&format!("action=\"/c/{cid}/record/certify\"")));
        let mut c = w.conn();
        let state = congress_repo::get(&mut c, &CongressId::from(cid))
            .unwrap()
            .unwrap()
            .state;
        assert_eq!(
            state.as_str(),
            "closed",
            "not certified before the confirmation"
        );
        let scrutineer = w.app.login_as("jianpiao", Role::Scrutineer).await;
        w.link_scrutineer("jianpiao");
        let r = scrutineer
            .post_form(&format!("/c/{cid}/record/certify"), &[])
            .await;
        assert_eq!(r.status(), 403);
        let r = w
            .org
            .post_form(
                &format!("/c/{cid}/record/addenda"),
                &[("kind", "filing"), ("body", "省学联"), ("date", &today())],
            )
            .await;
        assert_eq!(r.status(), 409);
        let (_, page) = w.org.get_text(&format!("/c/{cid}/record")).await;
        assert!(page.contains("签署选举结果报告"));
    });
});
