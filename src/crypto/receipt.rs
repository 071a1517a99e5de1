//! The signed ballot receipt of `docs/formats.md` and the signing of any JSON record.
//!
//! A receipt is `{"v":1,"kind":"receipt","congress":..,"contest":..,"ballot_hash":..}`; its
//! signed form is the same object plus `"sig":"<base64>"`, where the signature is Ed25519 over
//! the canonical JSON of the object without `sig`. Verification therefore recomputes the
//! canonical bytes from the parsed object, so a receipt that a delegate pretty-printed or
//! reordered still verifies, while any changed value does not.

use serde_json::{Map, Value};

use super::canonical::{quote, to_canonical};
use super::keys::{signature_from_base64, signature_to_base64, SIGNATURE_LEN};
use super::{hash_from_hex, CryptoError, PublicKey, SigningKey};

/// Format version of receipts written now.
pub const RECEIPT_VERSION: u64 = 1;
/// The `kind` of a receipt object.
pub const RECEIPT_KIND: &str = "receipt";

/// The content of a receipt: which ballot (by hash) the system accepted in which contest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub congress: String,
    pub contest: String,
    /// SHA-256 of the ballot's canonical JSON, 64 lower-case hex characters.
    pub ballot_hash: String,
}

impl Receipt {
    /// The canonical JSON bytes that are signed (the object without `sig`).
    pub fn signed_bytes(&self) -> Vec<u8> {
        self.canonical_with(None).into_bytes()
    }

    /// Canonical JSON of the receipt, with `sig` when given. Members are written in code point
    /// order by hand (ballot_hash, congress, contest, kind, sig, v); a test checks this against
    /// the general canonicaliser. Strings only, so nothing can fail.
    fn canonical_with(&self, sig: Option<&str>) -> String {
        let mut out = format!(
            "{{\"ballot_hash\":{},\"congress\":{},\"contest\":{},\"kind\":{}",
            quote(&self.ballot_hash),
            quote(&self.congress),
            quote(&self.contest),
            quote(RECEIPT_KIND),
        );
        if let Some(sig) = sig {
            out.push_str(",\"sig\":");
            out.push_str(&quote(sig));
        }
        out.push_str(&format!(",\"v\":{RECEIPT_VERSION}}}"));
        out
    }
}

/// A receipt with its signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedReceipt {
    pub receipt: Receipt,
    pub sig: [u8; SIGNATURE_LEN],
}

impl SignedReceipt {
    /// The signature as standard padded base64, as it appears in `"sig"`.
    pub fn sig_base64(&self) -> String {
        signature_to_base64(&self.sig)
    }

    /// The signed receipt as canonical JSON, the form handed to the delegate.
    pub fn to_json_string(&self) -> String {
        self.receipt.canonical_with(Some(&self.sig_base64()))
    }
}

/// Signs the receipt for the ballot with hash `ballot_hash_hex` (64 lower-case hex).
pub fn sign_receipt(
    key: &SigningKey,
    congress: &str,
    contest: &str,
    ballot_hash_hex: &str,
) -> Result<SignedReceipt, CryptoError> {
    hash_from_hex(ballot_hash_hex).map_err(|_| CryptoError::ReceiptField {
        field: "ballot_hash".into(),
        problem: format!("应为 64 位小写十六进制字符,实际为“{ballot_hash_hex}”"),
    })?;
    let receipt = Receipt {
        congress: congress.to_string(),
        contest: contest.to_string(),
        ballot_hash: ballot_hash_hex.to_string(),
    };
    let sig = key.sign(&receipt.signed_bytes());
    Ok(SignedReceipt { receipt, sig })
}

/// Reads and checks a signed receipt: JSON, version 1, kind "receipt", the three string fields
/// (ballot_hash as 64 lower-case hex), no other fields, and the signature under `public`.
pub fn verify_receipt(public: &PublicKey, json: &str) -> Result<Receipt, CryptoError> {
    let value: Value = serde_json::from_str(json).map_err(CryptoError::ReceiptJson)?;
    let Value::Object(mut object) = value else {
        return Err(field_error("(整体)", "应为 JSON 对象"));
    };
    match object.get("v") {
        None => return Err(field_error("v", "缺少该字段")),
        Some(v) if v.as_u64() == Some(RECEIPT_VERSION) => {}
        Some(v) => {
            return Err(CryptoError::ReceiptVersion {
                found: v.to_string(),
            })
        }
    }
    match object.get("kind") {
        None => return Err(field_error("kind", "缺少该字段")),
        Some(Value::String(kind)) if kind == RECEIPT_KIND => {}
        Some(kind) => {
            return Err(CryptoError::ReceiptKind {
                found: kind.to_string(),
            })
        }
    }
    let congress = string_field(&object, "congress")?;
    let contest = string_field(&object, "contest")?;
    let ballot_hash = string_field(&object, "ballot_hash")?;
    if hash_from_hex(&ballot_hash).is_err() {
        return Err(field_error("ballot_hash", "应为 64 位小写十六进制字符"));
    }
    let sig_text = string_field(&object, "sig")?;
    let sig = signature_from_base64(&sig_text).map_err(|e| field_error("sig", &e.to_string()))?;
    let known = ["v", "kind", "congress", "contest", "ballot_hash", "sig"];
    if let Some(extra) = object.keys().find(|k| !known.contains(&k.as_str())) {
        return Err(field_error(extra, "回执 v1 没有这个字段"));
    }
    object.remove("sig");
    let signed = to_canonical(&Value::Object(object))?;
    if !public.verify(&signed, &sig) {
        return Err(CryptoError::BadSignature {
            fingerprint: public.fingerprint(),
        });
    }
    Ok(Receipt {
        congress,
        contest,
        ballot_hash,
    })
}

/// Signs any JSON record or addendum: returns its canonical bytes (what gets written as
/// `record.json`) and the Ed25519 signature over exactly those bytes (`record.sig`).
pub fn sign_json(
    key: &SigningKey,
    value: &Value,
) -> Result<(Vec<u8>, [u8; SIGNATURE_LEN]), CryptoError> {
    let bytes = to_canonical(value)?;
    let sig = key.sign(&bytes);
    Ok((bytes, sig))
}

fn field_error(field: &str, problem: &str) -> CryptoError {
    CryptoError::ReceiptField {
        field: field.to_string(),
        problem: problem.to_string(),
    }
}

fn string_field(object: &Map<String, Value>, field: &str) -> Result<String, CryptoError> {
    match object.get(field) {
        Some(Value::String(s)) => Ok(s.clone()),
        Some(other) => Err(field_error(field, &format!("应为字符串,实际为 {other}"))),
        None => Err(field_error(field, "缺少该字段")),
    }
}

#[cfg(test)]
#[path = "receipt_tests.rs"]
mod tests;
