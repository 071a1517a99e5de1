//! Receipts checked the way an outside verifier would (`docs/formats.md`): the signature
//! with ed25519-dalek against the congress's public key PEM, the ballot hash recomputed with
//! sha2 over the stored ballot, whose bytes must be the canonical JSON that this file's own
//! encoder (and, where python3 is installed, Python's `json.dumps`) produces.

use std::io::Write;
use std::process::{Command, Stdio};

use base64::Engine;
use ed25519_dalek::pkcs8::DecodePublicKey;
use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::phone::{self, Phone};
use super::*;
use crate::common::Kind;
use congress::domain::ids::CongressId;
use congress::storage::repo::congress as congress_repo;

/// Canonical JSON as `docs/formats.md` describes it, written independently of the crate.
pub fn canonical(v: &Value) -> String {
    match v {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => {
            assert!(n.is_i64() || n.is_u64(), "no floats in canonical JSON: {n}");
            n.to_string()
        }
        Value::String(s) => quote(s),
        Value::Array(a) => format!(
            "[{}]",
            a.iter().map(canonical).collect::<Vec<_>>().join(",")
        ),
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort(); // byte order of UTF-8 = code point order
            let members: Vec<String> = keys
                .into_iter()
                .map(|k| format!("{}:{}", quote(k), canonical(&m[k])))
                .collect();
            format!("{{{}}}", members.join(","))
        }
    }
}

fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// SHA-256 of Python's canonical encoding of `json`, or `None` without python3.
fn python_hash(json: &str) -> Option<String> {
    let script = "import json,sys,hashlib\n\
        x=json.loads(sys.stdin.buffer.read().decode('utf-8'))\n\
        b=json.dumps(x,sort_keys=True,separators=(',',':'),ensure_ascii=False).encode()\n\
        print(hashlib.sha256(b).hexdigest())";
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .ok()?;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(json.as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("python3");
    assert!(out.status.success(), "python3 failed");
    Some(
        String::from_utf8(out.stdout)
            .expect("utf-8")
            .trim()
            .to_string(),
    )
}

/// Verifies one signed receipt against `pem`; returns its ballot hash.
fn verify(receipt: &Value, pem: &str) -> Result<String, String> {
    let mut unsigned = receipt.as_object().ok_or("not an object")?.clone();
    let sig = unsigned.remove("sig").ok_or("no sig")?;
    let sig = base64::engine::general_purpose::STANDARD
        .decode(sig.as_str().ok_or("sig not a string")?)
        .map_err(|e| e.to_string())?;
    let sig = Signature::from_slice(&sig).map_err(|e| e.to_string())?;
    let key = VerifyingKey::from_public_key_pem(pem).map_err(|e| e.to_string())?;
    let bytes = canonical(&Value::Object(unsigned.clone()));
    key.verify(bytes.as_bytes(), &sig)
        .map_err(|e| e.to_string())?;
    Ok(unsigned["ballot_hash"]
        .as_str()
        .unwrap_or_default()
        .to_string())
}

both_backends!(receipts_verify_with_standard_tools, |kind: Kind| {
    let app = TestApp::start(kind, "receipts");
    let fx = fixture::for_app(&app, 6);
    let cid = fx.congress_id.clone();
    block_on(async {
        let staff = organiser(&app).await;
        let p = Phone::new(&app.base);
        p.login(&fx.card(1).token).await;
        for no in 2..=5 {
            desk_check_in(&staff, &cid, no).await;
        }
        let mut receipts = Vec::new();
        for (kid, marks) in [
            (
                &fx.election,
                phone::marks(
                    &fx.candidates,
                    &["for", "against", "for", "abstain", "for", "for", "against"],
                ),
            ),
            (&fx.charter, phone::vote("against")),
        ] {
            assert_eq!(open_contest(&staff, &cid, kid).await.0, 303);
            let paper = p.take_paper(&cid, kid).await;
            let r = p.cast(&cid, kid, &paper, &marks).await;
            assert_eq!(r.status, 303, "{}", r.body);
            receipts.push((kid.clone(), r.receipt_hash().expect("hash")));
        }

        let mut conn = app.db.db.conn().expect("conn");
        let congress = congress_repo::get(&mut conn, &CongressId::from(&cid))
            .expect("get")
            .expect("congress");
        let pem = congress.public_key_pem.expect("public key");
        assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----"));
        let key = VerifyingKey::from_public_key_pem(&pem).expect("SPKI PEM");
        assert_eq!(Some(sha256_hex(key.as_bytes())), congress.key_fingerprint);

        let mut python_ran = false;
        for (kid, hash) in &receipts {
            let r = p.get(&format!("/r/{kid}/{hash}/json")).await;
            assert_eq!(r.status, 200);
            let receipt: Value = serde_json::from_str(&r.body).expect("receipt JSON");
            assert_eq!(canonical(&receipt), r.body, "served as canonical JSON");
            let keys: Vec<&String> = receipt.as_object().expect("object").keys().collect();
            assert_eq!(keys.len(), 6, "{keys:?}");
            assert_eq!(receipt["v"], 1);
            assert_eq!(receipt["kind"], "receipt");
            assert_eq!(receipt["congress"], cid.as_str());
            assert_eq!(receipt["contest"], kid.as_str());
            assert_eq!(verify(&receipt, &pem), Ok(hash.clone()));

            // Any changed value breaks the signature.
            for (field, value) in [
                ("ballot_hash", "0".repeat(64)),
                ("contest", fx.work_report.clone()),
            ] {
                let mut forged = receipt.clone();
                forged[field] = Value::String(value);
                assert!(verify(&forged, &pem).is_err(), "forged {field} verified");
            }

            // The hash is over the stored ballot's bytes, which are canonical JSON.
            let row = stored_ballots(&app, kid)
                .into_iter()
                .find(|b| &b.ballot_hash == hash)
                .expect("the receipt's ballot is in the box");
            assert_eq!(&sha256_hex(row.body.as_bytes()), hash);
            let body: Value = serde_json::from_str(&row.body).expect("ballot JSON");
            assert_eq!(canonical(&body), row.body);
            assert_eq!(body["v"], 2);
            assert_eq!(body["congress"], cid.as_str());
            assert_eq!(body["contest"], kid.as_str());
            assert_eq!(body["token"].as_str().map(str::len), Some(128));
            assert_eq!(body["token_sig"].as_str().map(str::len), Some(344));
            assert_eq!(body.as_object().expect("object").len(), 6, "{}", row.body);
            match python_hash(&row.body) {
                Some(h) => {
                    assert_eq!(&h, hash, "Python's canonical encoding differs");
                    python_ran = true;
                }
                None => eprintln!("python3 not found: the Python cross-check was NOT run"),
            }

            // The receipt page shows the tracker; an unknown hash has no receipt.
            let page = p.get(&format!("/r/{kid}/{hash}")).await;
            assert_eq!(page.status, 200);
            assert!(page.body.contains(hash.as_str()));
            let other = format!("/r/{kid}/{}", sha256_hex(b"not a ballot"));
            assert_eq!(p.get(&other).await.status, 404);
        }
        // The election ballot names its candidates in Chinese nowhere: ids only.
        let body = &stored_ballots(&app, &fx.election)[0].body;
        assert!(fixture::CANDIDATES
            .iter()
            .all(|(name, _, _)| !body.contains(name)));
        if python_ran {
            println!("receipts: hashes agree with Python's json.dumps encoding");
        }
    });
});
