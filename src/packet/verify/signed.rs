//! The checks only a v2 board has: its contest key (it parses, its fingerprint is the one
//! stated), every ballot's signature over its token with that key, and no token twice.

use std::collections::HashMap;

use super::ballots::{Read, Reads, Signed};
use super::board::RawBoard;
use super::show;
use crate::crypto::blind::ContestPublicKey;

/// The v2 board's contest key: it parses, and its fingerprint is the one the board states.
pub(super) fn contest_key(b: &RawBoard<'_>) -> Result<ContestPublicKey, String> {
    let pem = b
        .contest_key_pem()
        .ok_or("v2 公示缺少 contest_key(选票签发公钥)")?;
    let key = ContestPublicKey::from_spki_pem(pem).map_err(|e| format!("contest_key: {e}"))?;
    match b.contest_key_fingerprint() {
        Some(fp) if fp == key.fingerprint() => Ok(key),
        Some(fp) => Err(format!(
            "contest_key 的指纹为 {},公示中 contest_key_fingerprint 为 {}",
            key.fingerprint(),
            show(fp)
        )),
        None => Err("v2 公示缺少 contest_key_fingerprint".to_string()),
    }
}

/// Every v2 ballot's token is signed by the contest key; says which are not and why.
pub(super) fn signatures(reads: &[Read], key: Option<&ContestPublicKey>) -> Result<String, String> {
    if key.is_none() {
        return Err("选票签发公钥无法读取,无法核对选票签名".to_string());
    }
    let mut unsigned = Vec::new();
    let mut bad = Vec::new();
    for (i, r) in reads.iter().enumerate() {
        match r.signed {
            Signed::Good => {}
            Signed::Bad => bad.push(i),
            Signed::Unsigned => unsigned.push(i),
        }
    }
    if unsigned.is_empty() && bad.is_empty() {
        return Ok(format!(
            "{} 张选票的 token 均有本场公钥的有效签名 (RSASSA-PSS, SHA-384, 盐长 48)",
            reads.len()
        ));
    }
    let list = |v: &[usize]| {
        let mut s: Vec<String> = v.iter().take(5).map(|i| format!("第 {i} 张")).collect();
        if v.len() > 5 {
            s.push("…".into());
        }
        s.join("、")
    };
    let mut why = Vec::new();
    if !unsigned.is_empty() {
        why.push(format!(
            "{} 张选票没有签名(未签名或无法读取): {}",
            unsigned.len(),
            list(&unsigned)
        ));
    }
    if !bad.is_empty() {
        why.push(format!(
            "{} 张选票的签名无效(不是本场公钥签发,或选票凭证被改动): {}",
            bad.len(),
            list(&bad)
        ));
    }
    Err(why.join("; "))
}

/// No token appears on two ballots: one paper, one ballot. Ballots are grouped by their
/// token's first 8 bytes; an equal key is confirmed on the tokens themselves.
pub(super) fn tokens(all: &Reads, texts: &[&str]) -> Result<String, String> {
    let mut seen: HashMap<u64, usize> = HashMap::with_capacity(all.reads.len());
    let mut n = 0;
    for (i, r) in all.reads.iter().enumerate() {
        let Some(key) = r.token_key else { continue };
        n += 1;
        let Some(first) = seen.insert(key, i) else {
            continue;
        };
        let (a, b) = (all.token_of(first, texts[first]), all.token_of(i, texts[i]));
        if a.is_some() && a == b {
            return Err(format!(
                "第 {first} 张与第 {i} 张选票的 token 相同 ({}…): 一张选票凭证只能投一次",
                a.unwrap_or_default().get(..16).unwrap_or_default()
            ));
        }
    }
    Ok(format!("{n} 个选票凭证互不相同"))
}
