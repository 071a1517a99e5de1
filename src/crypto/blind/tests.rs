//! Tests of the blind signatures: every RFC 9474 Appendix A test vector byte for byte, the
//! OpenSSL command line as an outsider verifies, refusals, fresh-key round trips and
//! properties.

use std::process::Command;
use std::sync::OnceLock;

use openssl::bn::{BigNum, BigNumContext};
use openssl::pkey::PKey;
use openssl::rsa::Rsa;
use proptest::prelude::*;
use serde_json::Value;

use super::phone::{emsa_pss_encode, finalize_with_salt_len};
use super::*;

/// RFC 9474 Appendix A (source and commit in the file's `"source"`).
pub(crate) const VECTORS_JSON: &str = include_str!("rfc9474_vectors.json");

fn vectors() -> Vec<Value> {
    let doc: Value = serde_json::from_str(VECTORS_JSON).unwrap();
    assert!(doc["source"].as_str().unwrap().contains("RFC 9474"));
    doc["vectors"].as_array().unwrap().clone()
}

fn field(v: &Value, name: &str) -> Vec<u8> {
    hex::decode(v[name].as_str().unwrap_or_else(|| panic!("no {name}"))).unwrap()
}

fn bn(v: &Value, name: &str) -> BigNum {
    BigNum::from_slice(&field(v, name)).unwrap()
}

/// The vector's private key, built from its p, q, d (CRT parts computed here).
fn vector_key(v: &Value) -> ContestKey {
    let (p, q, d) = (bn(v, "p"), bn(v, "q"), bn(v, "d"));
    let mut ctx = BigNumContext::new().unwrap();
    let one = BigNum::from_u32(1).unwrap();
    let (mut p1, mut q1) = (BigNum::new().unwrap(), BigNum::new().unwrap());
    p1.checked_sub(&p, &one).unwrap();
    q1.checked_sub(&q, &one).unwrap();
    let (mut dmp1, mut dmq1, mut iqmp) = (
        BigNum::new().unwrap(),
        BigNum::new().unwrap(),
        BigNum::new().unwrap(),
    );
    dmp1.nnmod(&d, &p1, &mut ctx).unwrap();
    dmq1.nnmod(&d, &q1, &mut ctx).unwrap();
    iqmp.mod_inverse(&q, &p, &mut ctx).unwrap();
    let rsa =
        Rsa::from_private_components(bn(v, "n"), bn(v, "e"), d, p, q, dmp1, dmq1, iqmp).unwrap();
    // Through PKCS#8 PEM, so the vectors also exercise the key file's parser.
    let pem = PKey::from_rsa(rsa)
        .unwrap()
        .private_key_to_pem_pkcs8()
        .unwrap();
    ContestKey::from_pkcs8_pem(std::str::from_utf8(&pem).unwrap()).unwrap()
}

#[test]
fn rfc9474_appendix_a_vectors_byte_for_byte() {
    let vectors = vectors();
    let names: Vec<&str> = vectors
        .iter()
        .map(|v| v["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "RSABSSA-SHA384-PSS-Randomized",
            "RSABSSA-SHA384-PSSZERO-Randomized",
            "RSABSSA-SHA384-PSS-Deterministic",
            "RSABSSA-SHA384-PSSZERO-Deterministic",
        ]
    );
    for v in &vectors {
        let name = v["name"].as_str().unwrap();
        let key = vector_key(v);
        let pk = key.public_key();
        assert_eq!(pk.modulus_hex(), v["n"].as_str().unwrap(), "{name}");
        assert_eq!(pk.exponent(), PUBLIC_EXPONENT, "{name}");
        assert_eq!(pk.modulus_len(), 512, "{name}");
        // Prepare: prefix || msg (empty prefix for the deterministic variants).
        let prefix = field(v, "msg_prefix");
        assert_eq!(
            prefix.len(),
            if name.ends_with("Randomized") { 32 } else { 0 }
        );
        let prepared = [prefix, field(v, "msg")].concat();
        assert_eq!(prepared, field(v, "prepared_msg"), "{name}: prepare");
        let salt = field(v, "salt");
        let salt_len = if name.contains("PSSZERO") {
            0
        } else {
            SALT_LEN
        };
        assert_eq!(salt.len(), salt_len, "{name}");
        let encoded = emsa_pss_encode(&prepared, 4095, &salt).unwrap();
        assert_eq!(encoded, field(v, "encoded_msg"), "{name}: EMSA-PSS-ENCODE");
        let blinding = blind_with(pk, &prepared, &salt, &field(v, "inv")).unwrap();
        assert_eq!(blinding.blinded, field(v, "blinded_msg"), "{name}: Blind");
        assert_eq!(blinding.inv(), field(v, "inv").as_slice(), "{name}");
        let blind_sig = key.blind_sign(&blinding.blinded).unwrap();
        assert_eq!(blind_sig, field(v, "blind_sig"), "{name}: BlindSign");
        let sig = finalize_with_salt_len(pk, &prepared, &blind_sig, &blinding, salt_len).unwrap();
        assert_eq!(sig, field(v, "sig"), "{name}: Finalize");
        pk.verify_with_salt_len(&prepared, &sig, salt_len).unwrap();
        if salt_len == SALT_LEN {
            pk.verify(&prepared, &sig).unwrap();
            assert_eq!(finalize(pk, &prepared, &blind_sig, &blinding).unwrap(), sig);
        } else {
            // Our scheme fixes the salt at 48: a PSSZERO signature is not one of ours.
            assert!(matches!(
                pk.verify(&prepared, &sig),
                Err(CryptoError::BadSignature { .. })
            ));
        }
    }
}

/// One RSA-2048 contest key shared by the tests (generation takes a while).
pub(crate) fn test_key() -> &'static ContestKey {
    static KEY: OnceLock<ContestKey> = OnceLock::new();
    KEY.get_or_init(|| ContestKey::generate().unwrap())
}

fn round_trip(key: &ContestKey, token: &[u8]) -> (Blinding, Vec<u8>) {
    let pk = key.public_key();
    let blinding = blind(pk, token).unwrap();
    let blind_sig = key.blind_sign(&blinding.blinded).unwrap();
    let sig = finalize(pk, token, &blind_sig, &blinding).unwrap();
    (blinding, sig)
}

#[test]
fn fresh_key_round_trip_and_key_formats() {
    let key = test_key();
    let pk = key.public_key();
    assert_eq!(pk.modulus_len(), 256);
    assert_eq!(pk.modulus_hex().len(), 512);
    assert_eq!(pk.exponent(), 65537);
    assert_eq!(pk.fingerprint(), crate::crypto::sha256_hex(pk.spki_der()));
    let token = new_token();
    assert_eq!(token.len(), TOKEN_LEN);
    assert_ne!(token, new_token());
    let (blinding, sig) = round_trip(key, &token);
    assert_eq!(blinding.blinded.len(), 256);
    assert_eq!(sig.len(), 256);
    pk.verify(&token, &sig).unwrap();

    // PEM round trips keep the key: same public key, same signatures verify.
    let reloaded = ContestKey::from_pkcs8_pem(&key.to_pkcs8_pem().unwrap()).unwrap();
    assert_eq!(reloaded.public_key(), pk);
    let pem = pk.to_spki_pem();
    assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----\n"), "{pem}");
    let public = ContestPublicKey::from_spki_pem(&pem).unwrap();
    assert_eq!(&public, pk);
    public.verify(&token, &sig).unwrap();
    let blind_sig = reloaded.blind_sign(&blinding.blinded).unwrap();
    assert_eq!(
        finalize(&public, &token, &blind_sig, &blinding).unwrap(),
        sig
    );

    // A paper ballot's token, signed directly, verifies the same way.
    let paper = new_token();
    let paper_sig = key.sign_token(&paper).unwrap();
    assert_eq!(paper_sig.len(), 256);
    public.verify(&paper, &paper_sig).unwrap();

    // Debug output never carries key material.
    let shown = format!("{key:?} {pk:?} {blinding:?}");
    assert!(shown.contains(&pk.fingerprint()), "{shown}");
    assert!(
        !shown.contains(&hex::encode(blinding.inv())[..32]),
        "{shown}"
    );
}

#[test]
fn tampered_tokens_and_signatures_are_refused() {
    let key = test_key();
    let pk = key.public_key();
    let token = new_token();
    let (_, sig) = round_trip(key, &token);
    let is_bad = |r: Result<(), CryptoError>| matches!(r, Err(CryptoError::BadSignature { .. }));
    let mut other = token;
    other[63] ^= 1;
    assert!(is_bad(pk.verify(&other, &sig)));
    assert!(is_bad(pk.verify(&token[..63], &sig)));
    for i in [0, 100, 255] {
        let mut bad = sig.clone();
        bad[i] ^= 0x40;
        assert!(is_bad(pk.verify(&token, &bad)), "byte {i}");
    }
    assert!(is_bad(pk.verify(&token, &sig[1..])));
    assert!(is_bad(pk.verify(&token, &[sig.clone(), vec![0]].concat())));
    assert!(is_bad(pk.verify(&token, &[])));
    assert!(is_bad(pk.verify(&token, &vec![0xff; 256])));
    // Another contest's key signed it: refused, and the message names this key.
    let stranger = ContestKey::generate().unwrap();
    let err = stranger.public_key().verify(&token, &sig).unwrap_err();
    assert!(err
        .to_string()
        .contains(&stranger.public_key().fingerprint()));
    // A blind signature for another blinded message does not finalize.
    let blinding = blind(pk, &token).unwrap();
    let unrelated = key.blind_sign(&blind(pk, &other).unwrap().blinded).unwrap();
    assert!(matches!(
        finalize(pk, &token, &unrelated, &blinding),
        Err(CryptoError::BadBlindSignature { .. })
    ));
    assert!(matches!(
        finalize(pk, &token, &unrelated[..255], &blinding),
        Err(CryptoError::BadBlindSignature { .. })
    ));
}

#[test]
fn blinded_messages_not_below_n_or_of_wrong_length_are_refused() {
    let key = test_key();
    let n = hex::decode(key.public_key().modulus_hex()).unwrap();
    let mut n_plus_1 = n.clone();
    n_plus_1[255] = n_plus_1[255].wrapping_add(1); // n is odd: no carry
    for bad in [n.clone(), n_plus_1, vec![0xff; 256]] {
        let err = key.blind_sign(&bad).unwrap_err();
        assert!(
            matches!(err, CryptoError::BadBlindedMessage { .. }),
            "{err:?}"
        );
        assert!(err.to_string().contains("模数"), "{err}");
    }
    for len in [0, 255, 257] {
        let err = key.blind_sign(&vec![1; len]).unwrap_err();
        assert!(err.to_string().contains("256 字节"), "{err}");
    }
    // n - 1 is in range and signs.
    let mut n_minus_1 = n;
    n_minus_1[255] -= 1;
    assert_eq!(key.blind_sign(&n_minus_1).unwrap().len(), 256);
}

#[test]
fn keys_that_are_not_rsa_2048_are_refused() {
    let small = Rsa::generate(1024).unwrap();
    let small_pem = PKey::from_rsa(small)
        .unwrap()
        .private_key_to_pem_pkcs8()
        .unwrap();
    let err = ContestKey::from_pkcs8_pem(std::str::from_utf8(&small_pem).unwrap()).unwrap_err();
    assert!(err.to_string().contains("1024"), "{err}");
    let ed = crate::crypto::SigningKey::generate().unwrap();
    assert!(matches!(
        ContestKey::from_pkcs8_pem(&ed.to_pkcs8_pem()),
        Err(CryptoError::BadKey { .. })
    ));
    assert!(matches!(
        ContestPublicKey::from_spki_pem(&ed.public_key().to_spki_pem()),
        Err(CryptoError::BadKey { .. })
    ));
    assert!(matches!(
        ContestPublicKey::from_spki_pem(&test_key().to_pkcs8_pem().unwrap()),
        Err(CryptoError::Pem { .. })
    ));
}

#[test]
fn keys_are_send_and_sync() {
    fn shared<T: Send + Sync + Clone>() {}
    fn owned<T: Send + Sync>() {}
    shared::<ContestPublicKey>();
    shared::<Blinding>();
    owned::<ContestKey>();
}

/// Writes `files` into a temp dir and runs `openssl` there; returns (success, stdout+stderr).
fn openssl_cli(files: &[(&str, &[u8])], args: &[&str]) -> (bool, String) {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir.path())
        .output()
        .expect("the openssl command line (.ci/setup installs it)");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        out.stderr.escape_ascii()
    );
    (out.status.success(), text)
}

/// The command VERIFY.txt prints: `openssl pkeyutl -verify` over the SHA-384 digest of the
/// token, PSS padding, salt length 48, digest sha384 (MGF1 follows the digest).
const PKEYUTL_VERIFY: [&str; 15] = [
    "pkeyutl",
    "-verify",
    "-pubin",
    "-inkey",
    "pub.pem",
    "-in",
    "token.sha384",
    "-sigfile",
    "sig.bin",
    "-pkeyopt",
    "rsa_padding_mode:pss",
    "-pkeyopt",
    "rsa_pss_saltlen:48",
    "-pkeyopt",
    "digest:sha384",
];

#[test]
fn openssl_command_line_verifies_blind_and_paper_signatures() {
    let key = test_key();
    let pk = key.public_key();
    let token = new_token();
    let (_, blind_made) = round_trip(key, &token);
    let paper_made = key.sign_token(&token).unwrap();
    let pem = pk.to_spki_pem();
    let digest = openssl::sha::sha384(&token);
    for sig in [&blind_made, &paper_made] {
        let files: [(&str, &[u8]); 4] = [
            ("pub.pem", pem.as_bytes()),
            ("token.bin", &token),
            ("token.sha384", &digest),
            ("sig.bin", sig),
        ];
        let (ok, out) = openssl_cli(&files, &PKEYUTL_VERIFY);
        assert!(
            ok && out.contains("Signature Verified Successfully"),
            "{out}"
        );
        // OpenSSL 3's -rawin hashes the token file itself (-digest, not -pkeyopt digest:).
        let rawin = [
            "pkeyutl",
            "-verify",
            "-pubin",
            "-inkey",
            "pub.pem",
            "-rawin",
            "-digest",
            "sha384",
            "-in",
            "token.bin",
            "-sigfile",
            "sig.bin",
            "-pkeyopt",
            "rsa_padding_mode:pss",
            "-pkeyopt",
            "rsa_pss_saltlen:48",
        ];
        let (ok, out) = openssl_cli(&files, &rawin);
        assert!(
            ok && out.contains("Signature Verified Successfully"),
            "{out}"
        );
        // The same with `openssl dgst`, which also hashes the token file itself.
        let dgst = [
            "dgst",
            "-sha384",
            "-verify",
            "pub.pem",
            "-sigopt",
            "rsa_padding_mode:pss",
            "-sigopt",
            "rsa_pss_saltlen:48",
            "-signature",
            "sig.bin",
            "token.bin",
        ];
        let (ok, out) = openssl_cli(&files, &dgst);
        assert!(ok && out.contains("Verified OK"), "{out}");

        // A tampered signature, and a token that is not the one signed, fail.
        let mut bad = sig.clone();
        bad[10] ^= 1;
        let tampered: [(&str, &[u8]); 4] = [files[0], files[1], files[2], ("sig.bin", &bad)];
        let (ok, out) = openssl_cli(&tampered, &PKEYUTL_VERIFY);
        assert!(
            !ok && out.contains("Signature Verification Failure"),
            "{out}"
        );
        let other = openssl::sha::sha384(b"another token");
        let wrong: [(&str, &[u8]); 4] = [files[0], files[1], ("token.sha384", &other), files[3]];
        let (ok, _) = openssl_cli(&wrong, &PKEYUTL_VERIFY);
        assert!(!ok);
        // Salt length 0 would not accept our 48-byte salt: the parameter matters.
        let mut salt0 = PKEYUTL_VERIFY;
        salt0[12] = "rsa_pss_saltlen:0";
        let (ok, _) = openssl_cli(&files, &salt0);
        assert!(!ok);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn blind_sign_finalize_always_verifies_and_blindings_differ(
        token in proptest::collection::vec(any::<u8>(), 0..200)
    ) {
        let key = test_key();
        let pk = key.public_key();
        let (first, sig) = round_trip(key, &token);
        prop_assert!(pk.verify(&token, &sig).is_ok());
        let (second, sig2) = round_trip(key, &token);
        prop_assert!(pk.verify(&token, &sig2).is_ok());
        // Fresh r and salt: the server sees unrelated blinded messages for the same token,
        // and the two signatures differ too (randomized PSS).
        prop_assert_ne!(&first.blinded, &second.blinded);
        prop_assert_ne!(&sig, &sig2);
    }
}
