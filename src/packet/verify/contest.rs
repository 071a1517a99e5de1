//! The checks of one contest of the record: its board file (hash, then `board`'s checks), its
//! roll, and the tally recomputed from the board's ballots under the rules the record states.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use super::board::{self, BoardFacts};
use super::{read_file, show, Checklist, LARGE_LIMIT, SMALL_LIMIT};
use crate::crypto::blind::ContestPublicKey;
use crate::crypto::merkle::Hash;
use crate::crypto::sha256_hex;
use crate::domain::ballot::Choices;
use crate::domain::tally::tally_weighted;
use crate::packet::format::{
    board_path, contest_key_path, is_file_safe_id, participants_id, roll_path, Record,
    RecordContest, RecordParticipants, PARTICIPANTS_LABEL, PARTICIPANT_ROLL_HEADER,
};
use crate::packet::record::{contest_spec, turnout};
use crate::packet::write::ROLL_HEADER;

/// Checks one contest; returns its ballot hashes (board order) when they could be computed,
/// and those of its participants' board (rule I7) if it has one.
pub(super) fn check_contest(
    list: &mut Checklist,
    dir: &Path,
    record: &Record,
    c: &RecordContest,
    seen: &mut BTreeSet<String>,
) -> (Option<Vec<Hash>>, Option<Vec<Hash>>) {
    let id = c.id.as_str();
    if let Err(e) = names_ok(c, seen) {
        let detail = format!("{e};本场其余检查未执行");
        list.push("board.file", Some(id), "公示文件 board file", Err(detail));
        return (None, None);
    }
    list.push("quorum", Some(id), "法定人数 quorum", quorum(record, c));
    let facts = check_board(list, dir, record, c, id);
    check_roll(list, dir, c, id, &ROLL_HEADER);
    let apart = c
        .participants
        .as_ref()
        .and_then(|p| check_participants(list, dir, record, c, p));
    let Some(BoardFacts { hashes, choices }) = facts else {
        return (None, apart);
    };
    list.push(
        "tally",
        Some(id),
        "计票复核 tally",
        recount(record, c, choices),
    );
    (hashes, apart)
}

/// The participants' separate tally of a contest (rule I7): their board, roll and key under
/// `<contest>-participants`, checked as a contest's (with their figures and result), a key
/// other than the delegates', and their tally recomputed. Checks are listed under the
/// contest `<contest>-participants`.
fn check_participants(
    list: &mut Checklist,
    dir: &Path,
    record: &Record,
    c: &RecordContest,
    p: &RecordParticipants,
) -> Option<Vec<Hash>> {
    let pid = participants_id(&c.id);
    let mut wrong = Vec::new();
    for (field, found, expected) in [
        ("participants.board.file", &p.board.file, board_path(&pid)),
        (
            "participants.board.roll_file",
            &p.board.roll_file,
            roll_path(&pid),
        ),
        (
            "participants.label",
            &p.label,
            PARTICIPANTS_LABEL.to_string(),
        ),
    ] {
        if *found != expected {
            wrong.push(format!(
                "记录中 {field} 应为 {expected},实为 {}",
                show(found)
            ));
        }
    }
    if !wrong.is_empty() {
        let detail = format!("{};列席人员计票的其余检查未执行", wrong.join("; "));
        list.push(
            "board.file",
            Some(&pid),
            "列席人员公示文件 participants' board file",
            Err(detail),
        );
        return None;
    }
    let pc = RecordContest {
        present_at_opening: p.present_at_opening,
        expected_at_opening: p.listed,
        quorum_met: false,
        board: p.board.clone(),
        result: p.result.clone(),
        participants: None,
        ..c.clone()
    };
    let facts = check_board(list, dir, record, &pc, &pid);
    check_roll(list, dir, &pc, &pid, &PARTICIPANT_ROLL_HEADER);
    list.push(
        "participants.key",
        Some(&pid),
        "列席人员公钥不同于代表公钥 participants' key distinct",
        distinct_keys(dir, &c.id, &pid),
    );
    let BoardFacts { hashes, choices } = facts?;
    list.push(
        "tally",
        Some(&pid),
        "列席人员计票复核 participants' tally",
        recount(record, &pc, choices),
    );
    hashes
}

/// The participants' key is not the delegates' (else a ballot could pass for either group).
fn distinct_keys(dir: &Path, id: &str, pid: &str) -> Result<String, String> {
    let fingerprint = |file_id: &str| -> Result<String, String> {
        let file = contest_key_path(file_id);
        let bytes = read_file(dir, &file, SMALL_LIMIT)?;
        let text = String::from_utf8(bytes).map_err(|_| format!("{file} 不是 UTF-8 文本"))?;
        ContestPublicKey::from_spki_pem(&text)
            .map(|k| k.fingerprint())
            .map_err(|e| format!("{file}: {e}"))
    };
    let (a, b) = (fingerprint(id)?, fingerprint(pid)?);
    if a == b {
        Err(format!(
            "列席人员公钥与代表公钥相同(指纹 {a}),两组选票无法区分"
        ))
    } else {
        Ok(format!("代表公钥指纹 {a},列席人员公钥指纹 {b}"))
    }
}

/// The board file: present, its hash as recorded, then `board`'s checks. `file_id` names the
/// files (`boards/<file_id>.board.json`, `keys/<file_id>.pub.pem`) and the checks.
fn check_board(
    list: &mut Checklist,
    dir: &Path,
    record: &Record,
    c: &RecordContest,
    file_id: &str,
) -> Option<BoardFacts> {
    let id = file_id;
    let file = board_path(id);
    let bytes = match read_file(dir, &file, LARGE_LIMIT) {
        Ok(b) => b,
        Err(e) => {
            let detail = format!("{e};本场公示检查与计票复核未执行");
            list.push("board.file", Some(id), "公示文件 board file", Err(detail));
            return None;
        }
    };
    list.push(
        "board.file",
        Some(id),
        "公示文件 board file",
        Ok(format!("{file}({} 字节)", bytes.len())),
    );
    let (digest, parsed) = rayon::join(|| sha256_hex(&bytes), || board::parse(&bytes));
    let hash_check = if digest == c.board.sha256 {
        Ok(format!("sha256 {digest},与记录一致"))
    } else {
        Err(format!(
            "{file} 的 sha256 为 {digest},记录中为 {}",
            show(&c.board.sha256)
        ))
    };
    list.push(
        "board.sha256",
        Some(id),
        "公示文件哈希 board sha256",
        hash_check,
    );
    match parsed {
        Err(e) => {
            let detail = format!("{e};本场公示检查与计票复核未执行");
            list.push(
                "board.format",
                Some(id),
                "公示格式 board header",
                Err(detail),
            );
            None
        }
        Ok(raw) => {
            let (outcomes, facts) = board::check(&bytes, &raw, &record.congress.id, c);
            for (code, name, outcome) in outcomes {
                list.push(code, Some(id), name, outcome);
            }
            if raw.is_v2() {
                list.push(
                    "board.key_file",
                    Some(id),
                    "公钥文件 contest key file",
                    key_file(dir, id, raw.contest_key_pem()),
                );
            }
            Some(facts)
        }
    }
}

/// `keys/<contest>.pub.pem` (what the OpenSSL commands of VERIFY.txt use) is exactly the
/// contest key on the board.
fn key_file(dir: &Path, id: &str, on_board: Option<&str>) -> Result<String, String> {
    let file = contest_key_path(id);
    let bytes = read_file(dir, &file, SMALL_LIMIT)?;
    match on_board {
        Some(pem) if pem.as_bytes() == bytes.as_slice() => {
            Ok(format!("{file} 与公示中的 contest_key 逐字节相同"))
        }
        Some(_) => Err(format!("{file} 与公示中的 contest_key 不同")),
        None => Err("公示中没有 contest_key".to_string()),
    }
}

/// `quorum_met` as the congress's quorum setting (D2) gives it for 实到 and 应到 at opening.
fn quorum(record: &Record, c: &RecordContest) -> Result<String, String> {
    let q = record.settings.quorum;
    let (present, expected) = (c.present_at_opening, c.expected_at_opening);
    let met = q.met(present, expected);
    let words = format!(
        "实到 {present} 人,应到 {expected} 人,法定人数为{}({} 人)",
        q.zh(),
        q.min_count(expected)
    );
    if met == c.quorum_met {
        Ok(format!("{words},{}", if met { "已达到" } else { "未达到" }))
    } else {
        Err(format!(
            "{words},应为 quorum_met = {met},记录为 {}",
            c.quorum_met
        ))
    }
}

/// The contest id is file-safe and unique, and the record names the files it must.
fn names_ok(c: &RecordContest, seen: &mut BTreeSet<String>) -> Result<(), String> {
    if !is_file_safe_id(&c.id) {
        return Err(format!(
            "场次编号 {} 不能用作文件名(只允许英文字母、数字、- 和 _,长度 1 到 64)",
            show(&c.id)
        ));
    }
    if !seen.insert(c.id.clone()) {
        return Err(format!("场次编号 {} 在记录中出现两次", c.id));
    }
    for (field, found, expected) in [
        ("board.file", &c.board.file, board_path(&c.id)),
        ("board.roll_file", &c.board.roll_file, roll_path(&c.id)),
    ] {
        if *found != expected {
            return Err(format!(
                "记录中 {field} 应为 {expected},实为 {}",
                show(found)
            ));
        }
    }
    Ok(())
}

/// The roll: its hash, then its rows (header, delegate numbers ascending and unique, the
/// count as recorded and between cast and issued). `file_id` names the file; a participants'
/// roll has its own header (list position, name, unit).
fn check_roll(
    list: &mut Checklist,
    dir: &Path,
    c: &RecordContest,
    file_id: &str,
    header: &[&str; 3],
) {
    let id = file_id;
    let file = roll_path(id);
    let bytes = match read_file(dir, &file, LARGE_LIMIT) {
        Ok(b) => b,
        Err(e) => {
            list.push("roll.sha256", Some(id), "签到名单哈希 roll sha256", Err(e));
            return;
        }
    };
    let digest = sha256_hex(&bytes);
    let hash_check = if digest == c.board.roll_sha256 {
        Ok(format!("sha256 {digest},与记录一致"))
    } else {
        Err(format!(
            "{file} 的 sha256 为 {digest},记录中为 {}",
            show(&c.board.roll_sha256)
        ))
    };
    list.push(
        "roll.sha256",
        Some(id),
        "签到名单哈希 roll sha256",
        hash_check,
    );
    let rows = roll_rows(&bytes, header).and_then(|n| {
        let (cast, issued, recorded) = (c.board.cast, c.board.issued, c.board.roll_count);
        if n != recorded {
            Err(format!("{file} 有 {n} 行,记录 roll_count 为 {recorded}"))
        } else if !(cast <= n && n <= issued) {
            Err(format!(
                "签到 {n} 人,应满足 收回 {cast} ≤ 签到 ≤ 发出 {issued}"
            ))
        } else {
            Ok(format!("签到 {n} 人:收回 {cast} ≤ {n} ≤ 发出 {issued}"))
        }
    });
    list.push("roll.count", Some(id), "签到人数 roll count", rows);
}

/// Counts the rows of a roll after checking its form.
fn roll_rows(bytes: &[u8], header: &[&str; 3]) -> Result<u64, String> {
    let body = bytes
        .strip_prefix("\u{feff}".as_bytes())
        .ok_or("签到名单应为带 BOM 的 UTF-8 CSV".to_string())?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(body);
    let mut rows = reader.records();
    match rows.next() {
        Some(Ok(h)) if h.iter().eq(header.iter().copied()) => {}
        Some(Ok(h)) => {
            let found: Vec<&str> = h.iter().collect();
            return Err(format!("表头应为 {header:?},实为 {found:?}"));
        }
        Some(Err(e)) => return Err(format!("签到名单无法读取: {e}")),
        None => return Err("签到名单是空文件".to_string()),
    }
    let mut last: Option<u32> = None;
    let mut n = 0u64;
    for (i, row) in rows.enumerate() {
        let line = i + 2;
        let row = row.map_err(|e| format!("签到名单第 {line} 行无法读取: {e}"))?;
        if row.len() != 3 {
            return Err(format!(
                "签到名单第 {line} 行应有 3 列,实有 {} 列",
                row.len()
            ));
        }
        let number: u32 = row[0]
            .parse()
            .map_err(|_| format!("签到名单第 {line} 行代表编号 {} 不是数字", show(&row[0])))?;
        if last.is_some_and(|p| p >= number) {
            return Err(format!(
                "签到名单第 {line} 行代表编号 {number} 重复或未按编号升序排列"
            ));
        }
        last = Some(number);
        n += 1;
    }
    Ok(n)
}

/// The tally recomputed from the board's ballots under the record's rules, compared with the
/// record's `result` field by field.
fn recount(
    record: &Record,
    c: &RecordContest,
    choices: Option<Vec<(Choices, u64)>>,
) -> Result<String, String> {
    let choices = choices.ok_or("有选票无法读取,无法复算计票".to_string())?;
    let spec = contest_spec(c, &record.settings).map_err(|e| e.to_string())?;
    let result = tally_weighted(&spec, turnout(c), &choices);
    drop(choices);
    if result == c.result {
        return Ok(format!(
            "按记录所载规则复算:有效 {} 张,废票 {} 张,结果与记录完全一致",
            result.valid, result.invalid
        ));
    }
    let (recomputed, recorded) = match (
        serde_json::to_value(&result),
        serde_json::to_value(&c.result),
    ) {
        (Ok(a), Ok(b)) => (a, b),
        _ => return Err("复算结果与记录不同".to_string()),
    };
    let mut path = String::new();
    let (at, want, found) = first_difference(&recomputed, &recorded, &mut path)
        .unwrap_or_else(|| (String::new(), String::new(), String::new()));
    Err(format!(
        "复算结果与记录不同,首处差异在 result{at}: 复算为 {want},记录为 {found}"
    ))
}

/// The JSON Pointer of the first place where `a` and `b` differ, with both values there.
fn first_difference(a: &Value, b: &Value, path: &mut String) -> Option<(String, String, String)> {
    let leaf = |path: &str| {
        let short = |v: &Value| show(&v.to_string());
        Some((path.to_string(), short(a), short(b)))
    };
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for k in keys {
                let len = path.len();
                path.push('/');
                path.push_str(k);
                let found = match (x.get(k), y.get(k)) {
                    (Some(p), Some(q)) => first_difference(p, q, path),
                    (p, q) => {
                        let s = |v: Option<&Value>| {
                            v.map_or("(无)".to_string(), |v| show(&v.to_string()))
                        };
                        Some((path.clone(), s(p), s(q)))
                    }
                };
                path.truncate(len);
                if found.is_some() {
                    return found;
                }
            }
            None
        }
        (Value::Array(x), Value::Array(y)) => {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                let len = path.len();
                path.push_str(&format!("/{i}"));
                let found = first_difference(p, q, path);
                path.truncate(len);
                if found.is_some() {
                    return found;
                }
            }
            if x.len() != y.len() {
                let len = format!("{} 项", x.len());
                return Some((path.clone(), len, format!("{} 项", y.len())));
            }
            None
        }
        _ if a == b => None,
        _ => leaf(path),
    }
}
