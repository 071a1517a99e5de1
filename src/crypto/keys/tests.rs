//! Tests of Ed25519 keys against independent implementations: ed25519-dalek in process and
//! the OpenSSL 3 command line (the tool `docs/formats.md` tells observers to use).

use super::*;
use std::path::Path;
use std::process::Command;

const RECORD: &[u8] =
    "{\"congress\":\"xdh-2025\",\"name\":\"某某大学第十二次学生代表大会\"}".as_bytes();

/// RFC 8032 section 7.1, TEST 1: the secret seed, its public key and the signature of the
/// empty message, written out from the RFC.
const RFC8032_SEED: &str = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
const RFC8032_PUBLIC: &str = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
const RFC8032_SIG: &str = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";

/// PKCS#8 v1 DER of a raw seed (RFC 8410 section 7), the form OpenSSL writes.
fn pkcs8_v1(seed: &[u8; 32]) -> Vec<u8> {
    let mut der = vec![
        0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04,
        0x20,
    ];
    der.extend_from_slice(seed);
    der
}

#[test]
fn rfc8032_test_1_through_a_pkcs8_v1_key() {
    let mut seed = [0u8; 32];
    hex::decode_to_slice(RFC8032_SEED, &mut seed).unwrap();
    let key = SigningKey::from_pkcs8_der(&pkcs8_v1(&seed)).unwrap();
    assert_eq!(hex::encode(key.public_key().as_bytes()), RFC8032_PUBLIC);
    let sig = key.sign(b"");
    assert_eq!(hex::encode(sig), RFC8032_SIG);
    assert!(key.public_key().verify(b"", &sig));
    assert!(!key.public_key().verify(b"x", &sig));
    assert!(!key.public_key().verify(b"", &sig[..63]));
    // Fingerprint = SHA-256 of the 32 raw bytes (cross-checked with the sha2 crate).
    use sha2::Digest;
    let expected = hex::encode(sha2::Sha256::digest(key.public_key().as_bytes()));
    assert_eq!(key.public_key().fingerprint(), expected);
    // Written back as the same v1 document, and read again.
    assert_eq!(key.to_pkcs8_der(), pkcs8_v1(&seed));
    let again = SigningKey::from_pkcs8_pem(&key.to_pkcs8_pem()).unwrap();
    assert_eq!(again.public_key(), key.public_key());
}

#[test]
fn a_ring_v2_document_is_read_and_written_back_as_v1() {
    let v2 = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new()).unwrap();
    let v2 = v2.as_ref().to_vec();
    assert_eq!(v2[4], 1, "ring writes version 1 (= v2)");
    let key = SigningKey::from_pkcs8_der(&v2).unwrap();
    let ring_pair = Ed25519KeyPair::from_pkcs8(&v2).unwrap();
    assert_eq!(key.public_key().as_bytes(), ring_pair.public_key().as_ref());
    let v1 = key.to_pkcs8_der();
    assert_eq!(v1.len(), 48);
    assert_eq!(&v1[16..], &v2[16..48], "same seed");
    // A v2 document whose public key is not the seed's is refused by ring.
    let mut forged = v2.clone();
    let last = forged.len() - 1;
    forged[last] ^= 1;
    assert!(matches!(
        SigningKey::from_pkcs8_der(&forged),
        Err(CryptoError::BadKey { .. })
    ));
}

#[test]
fn spki_is_the_fixed_prefix_plus_the_key() {
    let key = SigningKey::generate().unwrap();
    let public = key.public_key();
    let der = public.to_spki_der();
    assert_eq!(der.len(), 44);
    assert_eq!(hex::encode(&der[..12]), "302a300506032b6570032100");
    assert_eq!(&der[12..], public.as_bytes());
    let pem = public.to_spki_pem();
    assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----\n"));
    assert!(pem.ends_with("-----END PUBLIC KEY-----\n"));
    assert_eq!(PublicKey::from_spki_pem(&pem).unwrap(), public);
    // Wrong algorithm (an X25519 SPKI differs in the OID's last byte) or length: refused.
    let mut x25519 = der.clone();
    x25519[8] = 0x6e;
    assert!(matches!(
        PublicKey::from_spki_der(&x25519),
        Err(CryptoError::BadKey { .. })
    ));
    assert!(PublicKey::from_spki_der(&der[..43]).is_err());
    assert!(PublicKey::from_spki_pem(&key.to_pkcs8_pem()).is_err());
    assert!(format!("{key:?}").contains(&public.fingerprint()));
    assert!(!format!("{key:?}").contains(&key.to_pkcs8_pem()[28..60]));
}

#[test]
fn refuses_what_is_not_an_ed25519_pkcs8_key() {
    assert!(matches!(
        SigningKey::from_pkcs8_der(b"not a key"),
        Err(CryptoError::BadKey { .. })
    ));
    let public_pem = SigningKey::generate().unwrap().public_key().to_spki_pem();
    assert!(matches!(
        SigningKey::from_pkcs8_pem(&public_pem),
        Err(CryptoError::Pem { .. })
    ));
}

#[test]
fn signature_base64_is_strict() {
    let key = SigningKey::generate().unwrap();
    let sig = key.sign(RECORD);
    let text = signature_to_base64(&sig);
    assert_eq!(text.len(), 88);
    assert!(text.ends_with("=="));
    assert_eq!(signature_from_base64(&text).unwrap(), sig);
    assert!(signature_from_base64(text.trim_end_matches('=')).is_err());
    assert!(signature_from_base64(&text[4..]).is_err());
    // The last character before "==" carries 2 bits of the last byte and 4 zero bits; a
    // spelling with stray bits in those 4 would decode to the same bytes, so it is refused.
    let mut stray = text.clone().into_bytes();
    stray[85] = match stray[85] {
        b'A' => b'B',
        b'Q' => b'R',
        b'g' => b'h',
        b'w' => b'x',
        other => panic!("unexpected final character {}", char::from(other)),
    };
    assert!(signature_from_base64(&String::from_utf8(stray).unwrap()).is_err());
    assert!(matches!(
        signature_from_base64("AAAA"),
        Err(CryptoError::BadSignatureEncoding { .. })
    ));
}

#[test]
fn ed25519_dalek_verifies_our_signatures_and_signs_alike() {
    use ed25519_dalek::pkcs8::{DecodePrivateKey, DecodePublicKey};
    let key = SigningKey::generate().unwrap();
    let sig = key.sign(RECORD);
    let dalek_public =
        ed25519_dalek::VerifyingKey::from_public_key_pem(&key.public_key().to_spki_pem()).unwrap();
    let dalek_sig = ed25519_dalek::Signature::from_bytes(&sig);
    dalek_public.verify_strict(RECORD, &dalek_sig).unwrap();
    assert!(dalek_public.verify_strict(b"tampered", &dalek_sig).is_err());
    // dalek reads our PKCS#8 v2 PEM and, Ed25519 being deterministic, signs identically.
    let dalek_key = ed25519_dalek::SigningKey::from_pkcs8_pem(&key.to_pkcs8_pem()).unwrap();
    use ed25519_dalek::Signer;
    assert_eq!(dalek_key.sign(RECORD).to_bytes(), sig);
}

fn openssl(args: &[&str], dir: &Path) -> std::process::Output {
    Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn openssl_usable() -> bool {
    let ok = matches!(Command::new("openssl").arg("version").output(),
        Ok(out) if out.status.success());
    if !ok {
        eprintln!("openssl 不在 PATH 上,跳过 OpenSSL 对照测试 (skipped)");
    }
    ok
}

#[test]
fn openssl_verifies_our_signature_and_reads_our_keys() {
    if !openssl_usable() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let key = SigningKey::generate().unwrap();
    std::fs::write(
        dir.path().join("congress.pub.pem"),
        key.public_key().to_spki_pem(),
    )
    .unwrap();
    std::fs::write(dir.path().join("key.pem"), key.to_pkcs8_pem()).unwrap();
    std::fs::write(dir.path().join("record.json"), RECORD).unwrap();
    std::fs::write(dir.path().join("record.sig"), key.sign(RECORD)).unwrap();
    let verify = [
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
    ];
    let out = openssl(&verify, dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Signature Verified Successfully"));
    // One changed byte and OpenSSL says no.
    let mut tampered = RECORD.to_vec();
    tampered[2] ^= 1;
    std::fs::write(dir.path().join("record.json"), &tampered).unwrap();
    assert!(!openssl(&verify, dir.path()).status.success());
    // `openssl pkey` reads our private key and derives exactly our public PEM.
    let out = openssl(&["pkey", "-in", "key.pem", "-pubout"], dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        key.public_key().to_spki_pem()
    );
    // ... and writes the private key back byte for byte as we do.
    let out = openssl(&["pkey", "-in", "key.pem"], dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8(out.stdout).unwrap(), key.to_pkcs8_pem());
}

#[test]
fn we_read_openssl_keys_and_sign_as_openssl_does() {
    if !openssl_usable() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = openssl(
        &["genpkey", "-algorithm", "ed25519", "-out", "k.pem"],
        dir.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = openssl(
        &["pkey", "-in", "k.pem", "-pubout", "-out", "k.pub.pem"],
        dir.path(),
    );
    assert!(out.status.success());
    let key_pem = std::fs::read_to_string(dir.path().join("k.pem")).unwrap();
    let pub_pem = std::fs::read_to_string(dir.path().join("k.pub.pem")).unwrap();
    let key = SigningKey::from_pkcs8_pem(&key_pem).unwrap();
    assert_eq!(
        key.public_key(),
        PublicKey::from_spki_pem(&pub_pem).unwrap()
    );
    assert_eq!(key.public_key().to_spki_pem(), pub_pem);
    assert_eq!(key.to_pkcs8_pem(), key_pem);
    std::fs::write(dir.path().join("msg"), RECORD).unwrap();
    let sign = [
        "pkeyutl", "-sign", "-inkey", "k.pem", "-rawin", "-in", "msg", "-out", "sig",
    ];
    let out = openssl(&sign, dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let openssl_sig = std::fs::read(dir.path().join("sig")).unwrap();
    assert_eq!(openssl_sig, key.sign(RECORD));
    assert!(key.public_key().verify(RECORD, &openssl_sig));
}
