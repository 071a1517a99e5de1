//! Tests of receipts and JSON signing: a fixed vector signed independently with OpenSSL,
//! tampering of every kind, and a round-trip property over awkward strings.

use super::*;
use crate::crypto::canonical::to_canonical_string;
use proptest::prelude::*;
use serde_json::json;

const BALLOT_HASH: &str = "abc25bf3a36416251a236e2defdfe20cb7c0a969f5407f5fdebde0102c9bbe1a";

/// The RFC 8032 TEST 1 key as PKCS#8 v1 PEM (seed 9d61b1...7f60).
const RFC8032_KEY_PEM: &str = "-----BEGIN PRIVATE KEY-----\n\
    MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g\n\
    -----END PRIVATE KEY-----\n";

/// What `openssl pkeyutl -sign -inkey rfc.pem -rawin -in <receipt bytes>` gave, in base64.
const OPENSSL_SIG: &str =
    "32eAMCHAc5JR+myW94ZUO9d5qr0oofWkKak6ktcMF3sa3GRWQ+kWwLVA9Ey8bjL0ovqtwIJtLUfhXmyzUDxADg==";

fn rfc_key() -> SigningKey {
    SigningKey::from_pkcs8_pem(RFC8032_KEY_PEM).unwrap()
}

#[test]
fn receipt_bytes_and_signature_match_openssl() {
    let key = rfc_key();
    let signed = sign_receipt(&key, "xdh-2025", "zhuxituan", BALLOT_HASH).unwrap();
    assert_eq!(
        String::from_utf8(signed.receipt.signed_bytes()).unwrap(),
        format!(
            r#"{{"ballot_hash":"{BALLOT_HASH}","congress":"xdh-2025","contest":"zhuxituan","kind":"receipt","v":1}}"#
        )
    );
    assert_eq!(signed.sig_base64(), OPENSSL_SIG);
    assert_eq!(
        signed.to_json_string(),
        format!(
            r#"{{"ballot_hash":"{BALLOT_HASH}","congress":"xdh-2025","contest":"zhuxituan","kind":"receipt","sig":"{OPENSSL_SIG}","v":1}}"#
        )
    );
    let receipt = verify_receipt(&key.public_key(), &signed.to_json_string()).unwrap();
    assert_eq!(receipt, signed.receipt);
}

#[test]
fn a_reformatted_receipt_still_verifies() {
    let key = rfc_key();
    let pretty = format!(
        "{{\n  \"v\": 1,\n  \"sig\": \"{OPENSSL_SIG}\",\n  \"kind\": \"receipt\",\n  \
         \"contest\": \"zhuxituan\",\n  \"congress\": \"xdh-2025\",\n  \
         \"ballot_hash\": \"{BALLOT_HASH}\"\n}}\n"
    );
    let receipt = verify_receipt(&key.public_key(), &pretty).unwrap();
    assert_eq!(receipt.congress, "xdh-2025");
    assert_eq!(receipt.contest, "zhuxituan");
    assert_eq!(receipt.ballot_hash, BALLOT_HASH);
}

/// The signed receipt with one member replaced (or removed, for `None`).
fn altered(field: &str, value: Option<Value>) -> String {
    let signed = sign_receipt(&rfc_key(), "xdh-2025", "zhuxituan", BALLOT_HASH).unwrap();
    let mut object: Value = serde_json::from_str(&signed.to_json_string()).unwrap();
    match value {
        Some(v) => object[field] = v,
        None => {
            object.as_object_mut().unwrap().remove(field);
        }
    }
    object.to_string()
}

#[test]
fn every_kind_of_damage_gets_its_own_error() {
    let public = rfc_key().public_key();
    let check = |json: &str| verify_receipt(&public, json).unwrap_err();

    assert!(matches!(check("{\"v\":1,"), CryptoError::ReceiptJson(_)));
    assert!(matches!(check("[1,2]"), CryptoError::ReceiptField { .. }));
    match check(&altered("v", Some(json!(2)))) {
        CryptoError::ReceiptVersion { found } => assert_eq!(found, "2"),
        other => panic!("expected ReceiptVersion, got {other:?}"),
    }
    assert!(matches!(
        check(&altered("v", Some(json!("1")))),
        CryptoError::ReceiptVersion { .. }
    ));
    match check(&altered("kind", Some(json!("board")))) {
        CryptoError::ReceiptKind { found } => assert_eq!(found, "\"board\""),
        other => panic!("expected ReceiptKind, got {other:?}"),
    }
    for field in ["v", "kind", "congress", "contest", "ballot_hash", "sig"] {
        let err = check(&altered(field, None));
        match err {
            CryptoError::ReceiptField { field: f, problem } => {
                assert_eq!(f, field);
                assert_eq!(problem, "缺少该字段");
            }
            other => panic!("missing {field}: got {other:?}"),
        }
    }
    let upper = BALLOT_HASH.to_uppercase();
    assert!(matches!(
        check(&altered("ballot_hash", Some(json!(upper)))),
        CryptoError::ReceiptField { .. }
    ));
    assert!(matches!(
        check(&altered("congress", Some(json!(7)))),
        CryptoError::ReceiptField { .. }
    ));
    assert!(matches!(
        check(&altered("sig", Some(json!("AAAA")))),
        CryptoError::ReceiptField { .. }
    ));
    match check(&altered("delegate", Some(json!("张三")))) {
        CryptoError::ReceiptField { field, .. } => assert_eq!(field, "delegate"),
        other => panic!("expected an unexpected-field error, got {other:?}"),
    }
    // Changed content, valid shape: only the signature can tell.
    let other_hash = crate::crypto::sha256_hex(b"another ballot");
    for (field, value) in [
        ("congress", json!("xdh-2026")),
        ("contest", json!("zhuxituan2")),
        ("ballot_hash", json!(other_hash)),
    ] {
        assert!(
            matches!(
                check(&altered(field, Some(value))),
                CryptoError::BadSignature { .. }
            ),
            "changed {field}"
        );
    }
    // Right receipt, wrong key.
    let signed = sign_receipt(&rfc_key(), "xdh-2025", "zhuxituan", BALLOT_HASH).unwrap();
    let stranger = SigningKey::generate().unwrap().public_key();
    match verify_receipt(&stranger, &signed.to_json_string()) {
        Err(CryptoError::BadSignature { fingerprint }) => {
            assert_eq!(fingerprint, stranger.fingerprint())
        }
        other => panic!("expected BadSignature, got {other:?}"),
    }
}

#[test]
fn sign_receipt_refuses_a_malformed_hash() {
    let err = sign_receipt(&rfc_key(), "c", "k", "not-a-hash").unwrap_err();
    assert!(matches!(err, CryptoError::ReceiptField { ref field, .. } if field == "ballot_hash"));
}

#[test]
fn sign_json_signs_the_canonical_bytes() {
    let key = rfc_key();
    let record = json!({"v": 1, "kind": "record", "name": "某某大学第十二次学生代表大会",
                        "contests": [{"title": "主席团选举", "seats": 7}]});
    let (bytes, sig) = sign_json(&key, &record).unwrap();
    assert_eq!(bytes, to_canonical(&record).unwrap());
    assert!(key.public_key().verify(&bytes, &sig));
    assert!(matches!(
        sign_json(&key, &json!({"turnout": 0.93})),
        Err(CryptoError::NotInteger { .. })
    ));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn receipts_round_trip_for_any_ids(
        congress in "[\\x00-\\x1f\"\\\\a-z中文😀\u{2028}]{0,10}",
        contest in any::<String>(),
        ballot in any::<Vec<u8>>(),
    ) {
        let key = rfc_key();
        let hash = crate::crypto::sha256_hex(&ballot);
        let signed = sign_receipt(&key, &congress, &contest, &hash).unwrap();
        let text = signed.to_json_string();
        // The hand-assembled form is exactly the general canonical form.
        let parsed: Value = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(to_canonical_string(&parsed).unwrap(), text.clone());
        let receipt = verify_receipt(&key.public_key(), &text).unwrap();
        prop_assert_eq!(receipt, signed.receipt);
    }
}
