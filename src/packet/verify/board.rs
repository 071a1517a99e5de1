//! Checks of one board file, the hot path of verification.
//!
//! The board is parsed once, with each ballot kept as its raw bytes (`serde_json::RawValue`,
//! borrowed from the file), so that the ballots can then be read, hashed and their signatures
//! checked in parallel (`ballots`), and so that the board's own canonical form is checked from
//! where the ballots sit in the file (the layout of `packet::board`) instead of by re-encoding
//! a second copy. A v2 board's ballots must all be signed with the board's contest key, each
//! token once; a v1 board (before signed ballot papers) is checked as it always was.

use serde::Deserialize;
use serde_json::value::RawValue;

use super::ballots::{read_all, Read, Signatures};
use super::show;
use super::signed::{contest_key, signatures, tokens};
use crate::crypto::merkle::{self, Hash};
use crate::domain::ballot::{Choices, FORMAT_VERSION, FORMAT_VERSION_1};
use crate::packet::board::{board_tail, Header, BOARD_HEAD};
use crate::packet::format::{RecordContest, BOARD_KIND, BOARD_VERSION, BOARD_VERSION_1};

/// A board as in the file, ballots unparsed (the same fields as `format::Board`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawBoard<'a> {
    v: u32,
    kind: String,
    congress: String,
    contest: String,
    #[serde(borrow)]
    ballots: Vec<&'a RawValue>,
    issued: u64,
    cast: u64,
    #[serde(default)]
    paper: Option<u64>,
    merkle_root: String,
    #[serde(default)]
    contest_key: Option<String>,
    #[serde(default)]
    contest_key_fingerprint: Option<String>,
}

impl RawBoard<'_> {
    /// The board's contest key (SPKI PEM), for the key file's check.
    pub fn contest_key_pem(&self) -> Option<&str> {
        self.contest_key.as_deref()
    }

    /// The board's stated fingerprint of its contest key.
    pub fn contest_key_fingerprint(&self) -> Option<&str> {
        self.contest_key_fingerprint.as_deref()
    }

    /// Whether the board is a v2 board.
    pub fn is_v2(&self) -> bool {
        self.v == BOARD_VERSION
    }
}

/// Parses a board file.
pub(super) fn parse(bytes: &[u8]) -> Result<RawBoard<'_>, String> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| format!("公示文件不是 UTF-8 文本(第 {} 字节)", e.valid_up_to()))?;
    serde_json::from_str(text).map_err(|e| format!("公示文件不符合 v2 (或 v1) 公示格式: {e}"))
}

/// What the board checks established, for the checks that follow.
pub(super) struct BoardFacts {
    /// Ballot hashes in board order, when every ballot could be hashed.
    pub hashes: Option<Vec<Hash>>,
    /// Every distinct choices with its number of ballots, when every ballot could be read.
    pub choices: Option<Vec<(Choices, u64)>>,
}

/// The outcome of each board check, in checklist order: (code, name, outcome).
pub(super) type Outcomes = Vec<(&'static str, &'static str, Result<String, String>)>;

/// Runs the board checks: header, contest key (v2), canonical form, ballots, signatures and
/// tokens (v2), order, counts, Merkle root.
pub(super) fn check(
    bytes: &[u8],
    board: &RawBoard<'_>,
    congress: &str,
    c: &RecordContest,
) -> (Outcomes, BoardFacts) {
    let mut out: Outcomes = Vec::with_capacity(9);
    out.push((
        "board.format",
        "公示格式 board header",
        header(board, congress, c),
    ));
    let key = if board.is_v2() {
        let key = contest_key(board);
        out.push((
            "board.key",
            "选票签发公钥 contest key",
            key.as_ref()
                .map(|k| {
                    format!(
                        "RSA {} 位公钥,指纹 {}",
                        k.modulus_len() * 8,
                        k.fingerprint()
                    )
                })
                .map_err(Clone::clone),
        ));
        key.ok()
    } else {
        None
    };

    let texts: Vec<&str> = board.ballots.iter().map(|r| r.get()).collect();
    let all = read_all(&texts, congress, &c.id, Signatures::Check(key.as_ref()));
    let reads = &all.reads;
    out.push((
        "board.canonical",
        "公示文件为规范 JSON board canonical",
        canonical_form(bytes, board, reads),
    ));

    let expected_version = if board.is_v2() {
        FORMAT_VERSION
    } else {
        FORMAT_VERSION_1
    };
    let faults: Vec<String> = reads
        .iter()
        .enumerate()
        .filter_map(|(i, r)| match (r.fault(), r.version.map(u64::from)) {
            (Some(f), _) => Some(format!("第 {i} 张: {f}")),
            (None, Some(v)) if v != expected_version => Some(format!(
                "第 {i} 张: v{v} 选票不能出现在 v{} 公示中{}",
                board.v,
                if v == FORMAT_VERSION_1 {
                    "(未签名)"
                } else {
                    ""
                }
            )),
            _ => None,
        })
        .collect();
    let n = reads.len();
    out.push((
        "board.ballots",
        "选票有效且属本场 ballots well-formed",
        if faults.is_empty() {
            Ok(format!(
                "{n} 张选票均为本大会本场的 v{expected_version} 选票"
            ))
        } else {
            Err(format!(
                "{} 张选票有误(序号从 0 起): {}",
                faults.len(),
                faults
                    .iter()
                    .take(3)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("; ")
            ))
        },
    ));

    if board.is_v2() {
        out.push((
            "board.signatures",
            "每张选票的签名 ballot signatures",
            signatures(reads, key.as_ref()),
        ));
        out.push((
            "board.tokens",
            "选票凭证不重复 tokens unique",
            tokens(&all, &texts),
        ));
    }

    let hashes: Option<Vec<Hash>> = reads.iter().map(|r| r.hash).collect();
    out.push((
        "board.sorted",
        "按哈希排序且不重复 sorted and unique",
        sorted(hashes.as_deref()),
    ));
    out.push(("board.counts", "张数 issued / cast", counts(board, c)));
    out.push((
        "board.merkle_root",
        "默克尔根 Merkle root",
        root(hashes.as_deref(), board, c),
    ));

    let choices = all.weighted();
    (out, BoardFacts { hashes, choices })
}

fn header(b: &RawBoard<'_>, congress: &str, c: &RecordContest) -> Result<String, String> {
    let mut wrong = Vec::new();
    if b.v != BOARD_VERSION && b.v != BOARD_VERSION_1 {
        wrong.push(format!(
            "v 应为 {BOARD_VERSION}(或旧版 {BOARD_VERSION_1}),实为 {}",
            b.v
        ));
    }
    let extras = [
        b.paper.is_some(),
        b.contest_key.is_some(),
        b.contest_key_fingerprint.is_some(),
    ];
    if b.v == BOARD_VERSION && extras.contains(&false) {
        wrong.push("v2 公示应有 paper、contest_key 和 contest_key_fingerprint".to_string());
    }
    if b.v == BOARD_VERSION_1 && extras.contains(&true) {
        wrong.push("v1 公示不应有 paper、contest_key 或 contest_key_fingerprint".to_string());
    }
    if b.kind != BOARD_KIND {
        wrong.push(format!("kind 应为 \"{BOARD_KIND}\",实为 {}", show(&b.kind)));
    }
    if b.congress != congress {
        wrong.push(format!(
            "congress 应为 {},实为 {}",
            show(congress),
            show(&b.congress)
        ));
    }
    if b.contest != c.id {
        wrong.push(format!(
            "contest 应为 {},实为 {}",
            show(&c.id),
            show(&b.contest)
        ));
    }
    if wrong.is_empty() {
        Ok(format!("v{} 公示,大会 {congress},场次 {}", b.v, c.id))
    } else {
        Err(wrong.join("; "))
    }
}

/// The board file must be exactly `{"ballots":[` + the ballots joined by `,` + the canonical
/// header, every ballot in its canonical form.
fn canonical_form(bytes: &[u8], board: &RawBoard<'_>, reads: &[Read]) -> Result<String, String> {
    if let Some(i) = reads.iter().position(|r| !r.canonical) {
        let count = reads.iter().filter(|r| !r.canonical).count();
        return Err(format!(
            "{count} 张选票不是规范 JSON(第一张为第 {i} 张,序号从 0 起),其字节与重新编码不同"
        ));
    }
    let base = bytes.as_ptr() as usize;
    let mut expected_at = BOARD_HEAD.len();
    if bytes.get(..expected_at) != Some(BOARD_HEAD) {
        return Err("公示文件应以 {\"ballots\":[ 开头(规范 JSON 键按码点排序)".to_string());
    }
    for (i, raw) in board.ballots.iter().enumerate() {
        let at = (raw.get().as_ptr() as usize).wrapping_sub(base);
        if i > 0 {
            // One comma, nothing else, between two ballots.
            if at != expected_at + 1 || bytes.get(expected_at) != Some(&b',') {
                return Err(format!("第 {} 张与第 {i} 张选票之间有多余字符", i - 1));
            }
        } else if at != expected_at {
            return Err("第 0 张选票前有多余字符".to_string());
        }
        expected_at = at + raw.get().len();
    }
    let tail = board_tail(&Header {
        v: board.v,
        congress: &board.congress,
        contest: &board.contest,
        issued: board.issued,
        cast: board.cast,
        merkle_root: &board.merkle_root,
        paper: board.paper,
        key: board
            .contest_key
            .as_deref()
            .zip(board.contest_key_fingerprint.as_deref()),
    })
    .map_err(|e| e.to_string())?;
    if bytes.get(expected_at..) != Some(tail.as_slice()) {
        return Err(format!(
            "选票列表之后的内容不是规范 JSON(第 {expected_at} 字节起应为 {})",
            show(&String::from_utf8_lossy(&tail))
        ));
    }
    Ok(format!("公示文件逐字节为规范 JSON({} 字节)", bytes.len()))
}

fn sorted(hashes: Option<&[Hash]>) -> Result<String, String> {
    let hashes = hashes.ok_or("有选票的哈希无法计算,无法核对顺序".to_string())?;
    match hashes.windows(2).position(|w| w[0] >= w[1]) {
        None => Ok(format!("{} 张选票按哈希升序排列,无重复", hashes.len())),
        Some(i) => {
            let what = if hashes[i] == hashes[i + 1] {
                "重复"
            } else {
                "顺序颠倒"
            };
            Err(format!(
                "第 {i} 张与第 {} 张选票{what}: {} 之后是 {}",
                i + 1,
                hex::encode(hashes[i]),
                hex::encode(hashes[i + 1])
            ))
        }
    }
}

fn counts(b: &RawBoard<'_>, c: &RecordContest) -> Result<String, String> {
    let n = b.ballots.len() as u64;
    let r = &c.board;
    let mut wrong = Vec::new();
    if b.cast != n {
        wrong.push(format!("公示 cast = {},但公示中有 {n} 张选票", b.cast));
    }
    if n > b.issued {
        wrong.push(format!(
            "选票 {n} 张多于发出的 {} 张(规则 E4: 本场无效,须重新进行;记录 void = {})",
            b.issued, c.result.void
        ));
    }
    let issued = [
        ("公示 issued", b.issued),
        ("记录 board.issued", r.issued),
        ("记录 present_at_opening", c.present_at_opening),
    ];
    if issued.iter().any(|(_, v)| *v != b.issued) {
        wrong.push(format!("发出选票数不一致: {}", figures(&issued)));
    }
    if r.cast != n {
        wrong.push(format!("记录 board.cast = {},公示中有 {n} 张选票", r.cast));
    }
    if let Some(paper) = b.paper.filter(|p| *p > n) {
        wrong.push(format!("纸质选票 paper = {paper},多于收回的 {n} 张"));
    }
    if wrong.is_empty() {
        let paper = b
            .paper
            .map(|p| format!("(其中纸质 {p} 张)"))
            .unwrap_or_default();
        Ok(format!(
            "发出 {} 张,收回 {n} 张{paper},与记录一致",
            b.issued
        ))
    } else {
        Err(wrong.join("; "))
    }
}

fn figures(list: &[(&str, u64)]) -> String {
    let parts: Vec<String> = list.iter().map(|(k, v)| format!("{k} = {v}")).collect();
    parts.join(", ")
}

fn root(hashes: Option<&[Hash]>, b: &RawBoard<'_>, c: &RecordContest) -> Result<String, String> {
    let hashes = hashes.ok_or("有选票的哈希无法计算,无法复算默克尔根".to_string())?;
    let root = merkle::hash_to_hex(&merkle::root(hashes));
    if root == b.merkle_root && root == c.board.merkle_root {
        return Ok(format!("复算得 {root},与公示和记录一致"));
    }
    Err(format!(
        "复算得 {root};公示中为 {},记录中为 {}",
        show(&b.merkle_root),
        show(&c.board.merkle_root)
    ))
}
