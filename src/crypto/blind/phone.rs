//! The phone's side of RFC 9474 in Rust (token, EMSA-PSS encoding, blinding, finalizing):
//! what `templates/static/paper.js` does in the browser, used by the simulated phones of
//! `congress simulate`, the bench, the demo and the tests, so they speak the real protocol.

use openssl::bn::{BigNum, BigNumContext, BigNumRef};
use openssl::sha::sha384;
use ring::rand::{SecureRandom, SystemRandom};

use super::{ossl, ContestPublicKey, SALT_LEN, TOKEN_LEN};
use crate::crypto::CryptoError;

/// SHA-384's output length.
const HASH_LEN: usize = 48;

/// Fills `buf` from the OS random number generator (panics only if getrandom fails, as the
/// other random secrets of `crate::crypto::token` do).
fn fill_random(buf: &mut [u8]) {
    if SystemRandom::new().fill(buf).is_err() {
        panic!("操作系统随机数生成器不可用 (getrandom 失败),拒绝在没有随机性的情况下继续");
    }
}

/// A new ballot-paper token: RFC 9474's randomized prepared message `prefix(32) || msg(32)`,
/// both halves random (so the whole token is 64 random bytes).
pub fn new_token() -> [u8; TOKEN_LEN] {
    let mut token = [0u8; TOKEN_LEN];
    fill_random(&mut token);
    token
}

/// The result of blinding a token: the blinded message to send with the delegate session,
/// and the unblinding factor `inv = r^-1 mod n` the phone keeps until the answer comes back.
/// `Debug` never shows `inv` (with it, the blinded message links to the token).
#[derive(Clone)]
pub struct Blinding {
    /// `modulus_len` bytes, what `ContestKey::blind_sign` takes.
    pub blinded: Vec<u8>,
    inv: Vec<u8>,
}

impl std::fmt::Debug for Blinding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Blinding({} bytes, inv hidden)", self.blinded.len())
    }
}

impl Blinding {
    /// The unblinding factor, big-endian, `modulus_len` bytes.
    pub fn inv(&self) -> &[u8] {
        &self.inv
    }
}

/// RFC 9474 Blind (section 4.2) with a random 48-byte salt and a random r in [1, n).
pub fn blind(pk: &ContestPublicKey, token: &[u8]) -> Result<Blinding, CryptoError> {
    let mut salt = [0u8; SALT_LEN];
    fill_random(&mut salt);
    let n = BigNum::from_slice(&pk.n).map_err(ossl("读取模数"))?;
    let mut ctx = BigNumContext::new().map_err(ossl("分配大数"))?;
    // A random r without an inverse mod n would mean we had factored n; draw again anyway.
    for _ in 0..8 {
        let mut r = BigNum::new().map_err(ossl("分配大数"))?;
        n.rand_range(&mut r).map_err(ossl("生成随机数"))?;
        let mut inv = BigNum::new().map_err(ossl("分配大数"))?;
        if r.num_bits() > 0 && inv.mod_inverse(&r, &n, &mut ctx).is_ok() {
            return blind_inner(pk, token, &salt, &r, &inv);
        }
    }
    Err(CryptoError::BlindInput {
        reason: "无法取得与模数互素的随机数".to_string(),
    })
}

/// RFC 9474 Blind with a given salt and unblinding factor `inv` (big-endian): the
/// deterministic form the test vectors of RFC 9474 Appendix A need. Never for real papers.
pub fn blind_with(
    pk: &ContestPublicKey,
    token: &[u8],
    salt: &[u8],
    inv: &[u8],
) -> Result<Blinding, CryptoError> {
    let n = BigNum::from_slice(&pk.n).map_err(ossl("读取模数"))?;
    let inv = BigNum::from_slice(inv).map_err(ossl("读取大数"))?;
    let mut ctx = BigNumContext::new().map_err(ossl("分配大数"))?;
    let mut r = BigNum::new().map_err(ossl("分配大数"))?;
    r.mod_inverse(&inv, &n, &mut ctx)
        .map_err(|_| CryptoError::BlindInput {
            reason: "inv 与模数不互素".to_string(),
        })?;
    blind_inner(pk, token, salt, &r, &inv)
}

fn blind_inner(
    pk: &ContestPublicKey,
    token: &[u8],
    salt: &[u8],
    r: &BigNumRef,
    inv: &BigNumRef,
) -> Result<Blinding, CryptoError> {
    let k = pk.modulus_len();
    let n = BigNum::from_slice(&pk.n).map_err(ossl("读取模数"))?;
    let mut ctx = BigNumContext::new().map_err(ossl("分配大数"))?;
    let encoded = emsa_pss_encode(token, n.num_bits() as usize - 1, salt)?;
    let m = BigNum::from_slice(&encoded).map_err(ossl("读取编码"))?;
    let mut gcd = BigNum::new().map_err(ossl("分配大数"))?;
    gcd.gcd(&m, &n, &mut ctx).map_err(ossl("计算最大公约数"))?;
    if gcd != BigNum::from_u32(1).map_err(ossl("分配大数"))? {
        return Err(CryptoError::BlindInput {
            reason: "编码后的消息与模数不互素".to_string(),
        });
    }
    let e = BigNum::from_u32(pk.e).map_err(ossl("分配大数"))?;
    let mut x = BigNum::new().map_err(ossl("分配大数"))?;
    x.mod_exp(r, &e, &n, &mut ctx).map_err(ossl("模幂"))?;
    let mut z = BigNum::new().map_err(ossl("分配大数"))?;
    z.mod_mul(&m, &x, &n, &mut ctx).map_err(ossl("模乘"))?;
    Ok(Blinding {
        blinded: z.to_vec_padded(k as i32).map_err(ossl("编码"))?,
        inv: inv.to_vec_padded(k as i32).map_err(ossl("编码"))?,
    })
}

/// RFC 9474 Finalize (section 4.4): `s = z * inv mod n`, then RSASSA-PSS-VERIFY of the
/// token; a blind signature that does not unblind into a valid signature is refused with
/// [`CryptoError::BadBlindSignature`]. Returns the signature (`modulus_len` bytes).
pub fn finalize(
    pk: &ContestPublicKey,
    token: &[u8],
    blind_sig: &[u8],
    blinding: &Blinding,
) -> Result<Vec<u8>, CryptoError> {
    finalize_with_salt_len(pk, token, blind_sig, blinding, SALT_LEN)
}

pub(crate) fn finalize_with_salt_len(
    pk: &ContestPublicKey,
    token: &[u8],
    blind_sig: &[u8],
    blinding: &Blinding,
    salt_len: usize,
) -> Result<Vec<u8>, CryptoError> {
    let k = pk.modulus_len();
    if blind_sig.len() != k {
        return Err(CryptoError::BadBlindSignature {
            reason: format!("长度应为 {k} 字节,实际为 {} 字节", blind_sig.len()),
        });
    }
    let n = BigNum::from_slice(&pk.n).map_err(ossl("读取模数"))?;
    let z = BigNum::from_slice(blind_sig).map_err(ossl("读取盲签名"))?;
    let inv = BigNum::from_slice(&blinding.inv).map_err(ossl("读取大数"))?;
    let mut ctx = BigNumContext::new().map_err(ossl("分配大数"))?;
    let mut s = BigNum::new().map_err(ossl("分配大数"))?;
    s.mod_mul(&z, &inv, &n, &mut ctx).map_err(ossl("模乘"))?;
    let sig = s.to_vec_padded(k as i32).map_err(ossl("编码"))?;
    pk.verify_with_salt_len(token, &sig, salt_len)
        .map_err(|_| CryptoError::BadBlindSignature {
            reason: "去盲后的签名未通过验证(盲签名与该凭证不符,或不是该投票事项的密钥签发)"
                .to_string(),
        })?;
    Ok(sig)
}

/// EMSA-PSS-ENCODE (RFC 8017 section 9.1.1) with SHA-384 and MGF1-SHA-384, for a modulus
/// of `em_bits + 1` bits and the given salt.
pub(crate) fn emsa_pss_encode(
    msg: &[u8],
    em_bits: usize,
    salt: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    let em_len = em_bits.div_ceil(8);
    if em_len < HASH_LEN + salt.len() + 2 {
        return Err(CryptoError::BlindInput {
            reason: format!("模数太短,无法容纳 {} 字节的盐", salt.len()),
        });
    }
    let m_hash = sha384(msg);
    let mut m_prime = Vec::with_capacity(8 + HASH_LEN + salt.len());
    m_prime.extend_from_slice(&[0u8; 8]);
    m_prime.extend_from_slice(&m_hash);
    m_prime.extend_from_slice(salt);
    let h = sha384(&m_prime);
    let db_len = em_len - HASH_LEN - 1;
    let mut db = vec![0u8; db_len - salt.len() - 1];
    db.push(0x01);
    db.extend_from_slice(salt);
    for (byte, mask) in db.iter_mut().zip(mgf1_sha384(&h, db_len)) {
        *byte ^= mask;
    }
    db[0] &= 0xff >> (8 * em_len - em_bits);
    db.extend_from_slice(&h);
    db.push(0xbc);
    Ok(db)
}

/// MGF1 (RFC 8017 appendix B.2.1) with SHA-384.
fn mgf1_sha384(seed: &[u8], len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len + HASH_LEN);
    let mut counter = 0u32;
    while out.len() < len {
        let mut block = seed.to_vec();
        block.extend_from_slice(&counter.to_be_bytes());
        out.extend_from_slice(&sha384(&block));
        counter += 1;
    }
    out.truncate(len);
    out
}
