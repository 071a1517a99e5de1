//! Signing keys: the first accepted packet of a congress pins its key (a packet of the same
//! congress signed with another key, consistent in every other way, is refused with the
//! reason); the office may enter the key of a school's next congress beforehand (from the
//! signed paper report), and then even the first packet must match; a key pinned to one
//! school cannot file for another; the same packet twice is one filing.

use congress::crypto::SigningKey;
use congress::registry::synth::Spec;
use congress::storage::repo::registry as repo;
use congress::storage::repo::users::Role;

use super::block_on;
use super::harness::{api_file, api_get, days_ago, signed_with, Registry};
use crate::common::Kind;

async fn pinning(kind: Kind) {
    let r = Registry::start(kind, "key_pinning");
    r.school("10001", "甲城大学");
    r.school("10003", "丙县大学");
    r.account("jiacheng", Role::School, Some("10001"));
    r.account("bingxian", Role::School, Some("10003"));
    let office_pw = r.account("tuanshengwei", Role::Office, None);
    let (jc, bx) = (r.token("jiacheng"), r.token("bingxian"));

    // First filing of 甲城大学's congress pins its key.
    let spec = Spec::new("甲城大学", "jc2025", &days_ago(3), 60, 1);
    let k1 = SigningKey::generate().unwrap();
    let fp1 = k1.public_key().fingerprint();
    let k1_der = k1.to_pkcs8_der();
    let first = signed_with(&spec, k1).zip().unwrap();
    let (status, body) = api_file(&r, &jc, "10001", first.clone()).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["key_pinned"], true);
    // The same bytes again: the same filing, nothing new.
    let (status, body) = api_file(&r, &jc, "10001", first).await;
    assert_eq!((status, body["outcome"].as_str()), (200, Some("duplicate")));
    // The same congress re-signed whole with another key: every check of `congress verify`
    // passes, the pin refuses it.
    let k2 = SigningKey::generate().unwrap();
    let fp2 = k2.public_key().fingerprint();
    let forged = signed_with(&spec, k2).zip().unwrap();
    let (status, body) = api_file(&r, &jc, "10001", forged).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        body["message"],
        format!("归档包的签名公钥指纹为 {fp2}, 与本校大会 jc2025 登记的指纹 {fp1} (首次备案时固定) 不同: 归档包不是用这次大会的密钥签署的 (可能被整体替换并重新签名), 拒收")
    );

    // The office enters 丙县大学's next key from its signed paper report (web form).
    let office = r.login("tuanshengwei", &office_pw).await;
    let k3 = SigningKey::generate().unwrap();
    let fp3 = k3.public_key().fingerprint();
    let spaced: String = fp3
        .chars()
        .collect::<Vec<_>>()
        .chunks(4)
        .map(|c| c.iter().collect::<String>().to_uppercase())
        .collect::<Vec<_>>()
        .join(" ");
    let resp = office
        .post_form(
            "/registry/schools/10003/keys",
            &[
                ("fingerprint", spaced.as_str()),
                ("congress", ""),
                ("note", "签字的选举结果报告单"),
            ],
        )
        .await;
    assert_eq!(resp.status(), 303);
    let spec3 = Spec::new("丙县大学", "bx2025", &days_ago(2), 60, 3);
    // Signed with another key: refused, naming the entered fingerprint.
    let (status, body) = api_file(
        &r,
        &bx,
        "10003",
        signed_with(&spec3, SigningKey::generate().unwrap())
            .zip()
            .unwrap(),
    )
    .await;
    assert_eq!(status, 422);
    let m = body["message"].as_str().unwrap();
    assert!(
        m.contains(&format!(
            "与上级学联为本校下一次大会登记的指纹 {fp3} 不同 (登记依据: 签字的选举结果报告单)"
        )),
        "{m}"
    );
    // Signed with the entered key: accepted, and the entry now pins this congress.
    let (status, body) = api_file(&r, &bx, "10003", signed_with(&spec3, k3).zip().unwrap()).await;
    assert_eq!(status, 201, "{body}");
    let (_, school) = api_get(&r, &bx, "/api/v1/registry/schools/10003").await;
    assert_eq!(school["keys"][0]["congress"], "bx2025");
    assert_eq!(school["keys"][0]["source"], "office");
    assert_eq!(school["keys"][0]["fingerprint"], fp3);

    // 甲城大学's key cannot file for 丙县大学, even in a packet that names 丙县大学.
    let k1_copy = SigningKey::from_pkcs8_der(&k1_der).unwrap();
    let spec4 = Spec::new("丙县大学", "bx2026", &days_ago(1), 60, 4);
    let (status, body) = api_file(
        &r,
        &bx,
        "10003",
        signed_with(&spec4, k1_copy).zip().unwrap(),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        body["message"],
        format!("归档包的签名公钥 (指纹 {fp1}) 已登记在“甲城大学”名下: 不能用于本校备案, 拒收")
    );
    let pinned = {
        let mut c = r.conn();
        let s = repo::school_by_code(&mut c, "10001").unwrap().unwrap();
        repo::keys_of_school(&mut c, &s.id).unwrap()
    };
    assert_eq!(pinned.len(), 1);
    assert_eq!(
        (pinned[0].fingerprint.as_str(), pinned[0].source.as_str()),
        (fp1.as_str(), "filing")
    );
    // The office may not enter a fingerprint pinned to another school.
    let resp = office
        .post_form(
            "/registry/schools/10003/keys",
            &[
                ("fingerprint", fp1.as_str()),
                ("congress", ""),
                ("note", "x"),
            ],
        )
        .await;
    assert_eq!(resp.status(), 409);
    assert!(resp
        .text()
        .await
        .unwrap()
        .contains("已登记在“甲城大学”名下"));
    // Nor change a congress's pinned key.
    let resp = office
        .post_form(
            "/registry/schools/10003/keys",
            &[
                ("fingerprint", fp2.as_str()),
                ("congress", "bx2025"),
                ("note", "x"),
            ],
        )
        .await;
    assert_eq!(resp.status(), 409);
    assert_eq!(r.stored_files().len(), 2);
}

both_backends!(keys_are_pinned_per_congress, |kind| block_on(pinning(kind)));

/// Uploads racing each other: the same packet four times at once is one filing and one file;
/// two packets of one congress signed with different keys at once: one is accepted and pins
/// its key, the other is refused.
async fn racing(kind: Kind) {
    let r = Registry::start(kind, "racing_uploads");
    r.school("10001", "甲城大学");
    r.account("jiacheng", Role::School, Some("10001"));
    let token = r.token("jiacheng");
    let spec = Spec::new("甲城大学", "jc2025", &days_ago(3), 60, 1);
    let zip = signed_with(&spec, SigningKey::generate().unwrap())
        .zip()
        .unwrap();
    let same =
        futures_util::future::join_all((0..4).map(|_| api_file(&r, &token, "10001", zip.clone())))
            .await;
    let mut statuses: Vec<u16> = same.iter().map(|(s, _)| *s).collect();
    statuses.sort();
    assert_eq!(statuses, [200, 200, 200, 201], "{same:?}");
    assert_eq!(r.stored_files().len(), 1);

    let spec2 = Spec::new("甲城大学", "jc2026", &days_ago(2), 60, 2);
    let a = signed_with(&spec2, SigningKey::generate().unwrap())
        .zip()
        .unwrap();
    let b = signed_with(&spec2, SigningKey::generate().unwrap())
        .zip()
        .unwrap();
    let (ra, rb) = tokio::join!(
        api_file(&r, &token, "10001", a),
        api_file(&r, &token, "10001", b)
    );
    let mut got = [ra.0, rb.0];
    got.sort();
    assert_eq!(got, [201, 422], "{ra:?} {rb:?}");
    assert_eq!(r.stored_files().len(), 2);
    let mut c = r.conn();
    let s = repo::school_by_code(&mut c, "10001").unwrap().unwrap();
    let pins = repo::keys_of_school(&mut c, &s.id).unwrap();
    assert_eq!(
        pins.iter()
            .filter(|k| k.congress_id.as_deref() == Some("jc2026"))
            .count(),
        1
    );
}

both_backends!(racing_uploads_are_decided_one_after_the_other, |kind| {
    block_on(racing(kind))
});
