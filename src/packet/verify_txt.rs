//! VERIFY.txt, the first file a reader of the filing packet opens: what each file is and how to
//! check the packet with standard tools only (OpenSSL 3, sha256sum, Python 3), in Chinese and
//! English, with the standalone verifier `verify_packet.py` printed in full.

/// `verify_packet.py`: recomputes every ballot hash, the sort order, cast <= issued, the
/// RFC 6962 roots, the file hashes and roll counts, and compares them with `record.json`.
pub const VERIFY_SCRIPT: &str = include_str!("verify_packet.py");

/// The text of VERIFY.txt for a packet signed by the key with `fingerprint`.
pub fn verify_txt(fingerprint: &str) -> String {
    format!(
        r#"归档包核验说明 / HOW TO VERIFY THIS FILING PACKET
======================================================

本归档包可以不依赖本系统的任何代码,只用 OpenSSL 3、sha256sum 和 Python 3 核验。
This packet can be checked without any of our code: OpenSSL 3, sha256sum and Python 3 suffice.
格式说明见 verification format v1 / The format is "verification format v1".

签名公钥指纹 / Signing key fingerprint (SHA-256 of the 32 raw Ed25519 public-key bytes):
    {fingerprint}
请与大会当场公布的、或团委留存的指纹比对:整包被替换时,公钥也会被替换,
所以公钥的可信度只能来自包外。
Compare it with the fingerprint announced at the congress or held by the league office:
whoever replaced the whole packet would replace the key too, so trust in the key must come
from outside the packet.

一、文件 / FILES
  record.json          选举结果报告(规范 JSON):大会、代表人数、每场选举/表决的规则、票数、
                       结果、公示文件的哈希与默克尔根、监票计票人员、公钥指纹。
                       The certified result record (canonical JSON).
  record.sig           对 record.json 全部字节的 Ed25519 签名(64 字节原始二进制)。
                       Ed25519 signature over exactly the bytes of record.json (64 raw bytes).
  congress.pub.pem     大会签名公钥(SubjectPublicKeyInfo PEM)。 The congress's public key.
  boards/<场次>.board.json
                       每场的公示选票(规范 JSON),按选票哈希升序,不含任何代表身份信息。
                       Each contest's public board: every ballot, sorted by hash, anonymous.
  rolls/<场次>.csv     每场领票代表名单(代表编号、姓名、学院;UTF-8 带 BOM),与选票无任何对应。
                       个人信息,仅供本届代表、监票人和备案机关查阅,请勿公开上网。
                       Roll of delegates handed a ballot; never linked to ballots. Personal
                       data: for delegates, scrutineers and the filing body only.
  roster-summary.json  代表名册摘要(名额、各学院人数、普通同学和女代表比例等)。
                       Roster summary (quota compliance).
  report.html          可打印的选举结果报告单。 The printable form of the record.
  addenda/approval.json, addenda/approval.sig
                       党委批准(批准机关、文号、日期),单独签名,引用 record.json 的哈希。
                       Party committee approval, separately signed, referencing record.json.
  addenda/filing.json, addenda/filing.sig
                       上级学联/团委备案(接收机关、日期),同上。 Filing, likewise.
  addenda/approval-2.json, addenda/filing-2.json ...
                       更正(如有): 新的签名附件, "corrects" 为被更正文件的 sha256, 并写明 "reason"。
                       Corrections, if any: a new signed addendum whose "corrects" is the
                       sha256 of the one it corrects, with its "reason".
  verify_packet.py     下文第四步的核验脚本(与本文末尾所印完全相同)。
                       The script of step 4 (identical to the copy printed at the end).

二、核对签名与公钥 / CHECK THE SIGNATURE AND THE KEY
  openssl pkeyutl -verify -pubin -inkey congress.pub.pem -rawin -in record.json -sigfile record.sig
      应输出 "Signature Verified Successfully"。Must print "Signature Verified Successfully".
  openssl pkey -pubin -in congress.pub.pem -outform DER | tail -c 32 | sha256sum
      应等于 record.json 中的 "key_fingerprint" 和上面的指纹。
      Must equal "key_fingerprint" in record.json and the fingerprint above.
  附加文件同样核对 / The addenda likewise:
  openssl pkeyutl -verify -pubin -inkey congress.pub.pem -rawin -in addenda/approval.json -sigfile addenda/approval.sig
  sha256sum record.json      应等于附加文件中的 "record_sha256"。 Must equal their "record_sha256".
  sha256sum addenda/approval.json   应等于 approval-2.json 中的 "corrects"(如有更正)。
                             Must equal "corrects" in approval-2.json (if corrected).

三、核对文件哈希 / CHECK THE FILE HASHES
  sha256sum boards/*.json rolls/*.csv roster-summary.json
      每个公示文件的哈希应等于 record.json 中该场 "board" 的 "sha256",签到名单的哈希等于
      "roll_sha256"(行数等于 "roll_count"),名册摘要的哈希等于 "roster_summary_sha256"。
      Each board's hash must equal that contest's "board"."sha256" in record.json, each roll's
      its "roll_sha256" (and its rows "roll_count"), the summary's "roster_summary_sha256".

四、复算每张选票的哈希和默克尔根 / RECOMPUTE EVERY BALLOT HASH AND THE MERKLE ROOTS
  python3 verify_packet.py .
      对每场:每张选票的哈希 = SHA-256(该选票的规范 JSON);选票按哈希升序且不重复;
      cast = 选票张数 ≤ issued;RFC 6962 默克尔根复算后等于公示文件和 record.json 中的值。
      全部通过时输出 "ALL CHECKS PASSED" 并以 0 退出。
      For each contest: ballot hash = SHA-256 of its canonical JSON; ballots sorted by hash and
      unique; cast = number of ballots <= issued; the RFC 6962 root recomputes and equals the
      board's and the record's. Prints "ALL CHECKS PASSED" and exits 0 when everything holds.
  规范 JSON / canonical JSON:
      json.dumps(x, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
  RFC 6962: leaf = SHA-256(0x00 || hash), node = SHA-256(0x01 || left || right),
      split at the largest power of two below n; empty board: SHA-256 of the empty string.

五、代表本人核对回执 / A DELEGATE CHECKS THEIR RECEIPT
  投票回执中的 ballot_hash 应出现在该场公示中(即某张选票的规范 JSON 的 SHA-256)。
  回执签名由本公钥签发;有签名回执而公示中找不到该哈希,即证明已接受的选票被丢弃。
  The receipt's ballot_hash must be the hash of a ballot on that contest's board. A signed
  receipt whose hash is missing from the board proves an accepted ballot was dropped.

六、计票复核 / RECOUNT
  record.json 中每场的 "result" 可由公示选票按该场规则("threshold"、"seats"、候选人、
  settings 中的 tie_rule)重新计票得出;本系统的 `congress verify <目录>` 会逐项复算。
  Each contest's "result" in record.json follows from its board's ballots under the stated
  rules; `congress verify <DIR>` recomputes it exactly.

附:verify_packet.py / APPENDIX: verify_packet.py
------------------------------------------------------
{VERIFY_SCRIPT}"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_every_standard_tool_step_and_prints_the_script() {
        let fp = "ab".repeat(32);
        let text = verify_txt(&fp);
        assert!(text.contains(&format!("    {fp}\n")));
        for line in [
            "openssl pkeyutl -verify -pubin -inkey congress.pub.pem -rawin -in record.json -sigfile record.sig",
            "openssl pkey -pubin -in congress.pub.pem -outform DER | tail -c 32 | sha256sum",
            "sha256sum boards/*.json rolls/*.csv roster-summary.json",
            "python3 verify_packet.py .",
        ] {
            assert!(text.contains(line), "VERIFY.txt lacks: {line}");
        }
        assert!(text.ends_with(VERIFY_SCRIPT));
    }

    #[test]
    fn the_script_is_short_and_standard_library_only() {
        let lines = VERIFY_SCRIPT.lines().count();
        assert!((40..=70).contains(&lines), "{lines} lines");
        let imports: Vec<&str> = VERIFY_SCRIPT
            .lines()
            .filter(|l| l.starts_with("import ") || l.starts_with("from "))
            .collect();
        assert_eq!(imports, ["import csv, hashlib, io, json, os, sys"]);
    }
}
