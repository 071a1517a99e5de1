//! VERIFY.txt, the first file a reader of the filing packet opens: what each file is and how to
//! check the packet with standard tools only (OpenSSL 3, sha256sum, Python 3), in Chinese and
//! English, with the standalone verifier `verify_packet.py` printed in full.

/// The shell loop of VERIFY.txt that checks every ballot's signature of one contest with
/// OpenSSL (`$C` is the contest id); `tests/it/packet/mod.rs` runs exactly these lines.
pub const OPENSSL_BALLOT_LOOP: &str = r#"python3 -c 'import base64,json,sys
for i, x in enumerate(json.load(open(sys.argv[1]))["ballots"]):
    open("t%d.bin" % i, "wb").write(bytes.fromhex(x["token"]))
    open("s%d.bin" % i, "wb").write(base64.b64decode(x["token_sig"]))' boards/$C.board.json
for t in t*.bin; do i=${t#t}; i=${i%.bin}
  openssl dgst -sha384 -binary "$t" > "d$i.bin"
  openssl pkeyutl -verify -pubin -inkey keys/$C.pub.pem -in "d$i.bin" -sigfile "s$i.bin" \
    -pkeyopt digest:sha384 -pkeyopt rsa_padding_mode:pss -pkeyopt rsa_pss_saltlen:48 \
    > /dev/null || echo "FAIL ballot $i / 第 $i 张选票签名无效"
done"#;

/// `verify_packet.py`: recomputes every ballot hash, the sort order, cast <= issued, the
/// RFC 6962 roots, the file hashes and roll counts, checks every v2 ballot's RSA-PSS signature
/// with the contest key and that no token repeats, and compares them with `record.json`.
pub const VERIFY_SCRIPT: &str = include_str!("verify_packet.py");

/// The text of VERIFY.txt for a packet signed by the key with `fingerprint`.
pub fn verify_txt(fingerprint: &str) -> String {
    format!(
        r#"归档包核验说明 / HOW TO VERIFY THIS FILING PACKET
======================================================

本归档包可以不依赖本系统的任何代码,只用 OpenSSL 3、sha256sum 和 Python 3 核验。
This packet can be checked without any of our code: OpenSSL 3, sha256sum and Python 3 suffice.
格式说明见 verification format v2 / The format is "verification format v2" (boards and
ballots v2: every ballot carries a token signed by its contest's key; record v1 unchanged).

签名公钥指纹 / Signing key fingerprint (SHA-256 of the 32 raw Ed25519 public-key bytes):
    {fingerprint}
请与大会当场公布的、并印在签字的选举结果报告单(纸质)上的指纹比对:整包被替换并用另一把
密钥重新签名时,下面每一步检查都会照样通过,所以公钥的可信度只能来自包外。指纹不一致时,
不论下面的检查结果如何,本归档包都不可信。用本系统核验时请指定公布的指纹:
    congress verify --expect-key <大会公布的指纹> <本目录>
Compare it with the fingerprint announced at the congress and printed on the signed paper
report: a packet replaced whole and re-signed with another key passes every step below, so
trust in the key must come from outside the packet. If the fingerprints differ, do not trust
the packet whatever the steps below say. With this system, pin the key:
    congress verify --expect-key <announced fingerprint> <this directory>

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
                       Roll of delegates who took a ballot paper (phone or paper); never
                       linked to ballots. Personal data: for delegates, scrutineers and the
                       filing body only.
  boards/<场次>-participants.board.json, rolls/<场次>-participants.csv, keys/<场次>-participants.pub.pem
                       评议会列席人员分开计票时(规则I7):列席人员的公示选票、领票名单(序号、
                       姓名、单位)和选票签发公钥(与代表的不同),结果单列,不计入本场结果;
                       核验方法与代表的相同(下文的 $C 换成 <场次>-participants)。
                       A 评议会 counting its participants apart (rule I7): their board, roll and
                       ballot-paper key (not the delegates'); their tally is separate and not
                       part of the result. Check them as a contest's, with $C = <contest>-participants.
  keys/<场次>.pub.pem  每场的选票签发公钥(RSA-2048,SubjectPublicKeyInfo PEM),与公示中的
                       "contest_key" 相同。每张选票的 token 都由它签名(盲签名),所以公示中
                       每张选票都是发给某位有投票权代表的选票,却看不出是谁的。
                       Each contest's ballot-paper key, the same as the board's
                       "contest_key". It signed (blindly) every ballot's token: each ballot
                       on the board was issued to an entitled delegate, and nobody can tell
                       to whom.
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

四、复算每张选票的哈希、签名和默克尔根 / RECOMPUTE EVERY BALLOT HASH, SIGNATURE, MERKLE ROOT
  python3 verify_packet.py .
      对每场:每张选票的哈希 = SHA-256(该选票的规范 JSON);选票按哈希升序且不重复;
      cast = 选票张数 ≤ issued;RFC 6962 默克尔根复算后等于公示文件和 record.json 中的值;
      (v2)每张选票的 token_sig 是该场公钥对 token 的有效签名,token 互不重复,
      paper(纸质选票张数)≤ cast。全部通过时输出 "ALL CHECKS PASSED" 并以 0 退出。
      For each contest: ballot hash = SHA-256 of its canonical JSON; ballots sorted by hash and
      unique; cast = number of ballots <= issued; the RFC 6962 root recomputes and equals the
      board's and the record's; (v2) every token_sig is the contest key's valid signature of
      its token, no token repeats, paper (paper ballots) <= cast. Prints "ALL CHECKS PASSED"
      and exits 0 when everything holds.
  用 OpenSSL 逐张核对签名(在归档包目录中运行,C=<场次>;每核对完一场,删除生成的
  t*.bin s*.bin d*.bin 再核对下一场)/ Each signature with OpenSSL (RSASSA-PSS, SHA-384,
  MGF1-SHA-384, salt length 48 = RFC 9474 RSABSSA-SHA384-PSS). Run it in the packet
  directory with C=<contest id>; delete the t*.bin s*.bin d*.bin it writes before the next:
    openssl pkey -pubin -in keys/$C.pub.pem -outform DER | sha256sum
        应等于公示中的 "contest_key_fingerprint",并与投票时会场公布的指纹一致。
        Must equal the board's "contest_key_fingerprint" (and the one announced in the hall).
{OPENSSL_BALLOT_LOOP}
        每张都应无输出地通过(openssl 对每张说 "Signature Verified Successfully");
        任何一行 FAIL 即该张选票没有有效签名。Any FAIL line is a ballot without a valid
        signature.
  规范 JSON / canonical JSON:
      json.dumps(x, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
  RFC 6962: leaf = SHA-256(0x00 || hash), node = SHA-256(0x01 || left || right),
      split at the largest power of two below n; empty board: SHA-256 of the empty string.

五、代表本人核对回执 / A DELEGATE CHECKS THEIR RECEIPT
  投票回执(保存在投票手机的浏览器中)中的 ballot_hash 应出现在该场公示中(即某张选票的
  规范 JSON 的 SHA-256)。回执签名由大会公钥签发;有签名回执而公示中找不到该哈希,即证明
  已接受的选票被丢弃。回执能证明自己投了哪张票:请勿出示给他人。
  The receipt (kept in the voting phone's browser) has a ballot_hash that must be the hash of
  a ballot on that contest's board. A signed receipt whose hash is missing from the board
  proves an accepted ballot was dropped. A receipt proves how its holder voted: do not show
  it to anyone.

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
            "congress verify --expect-key <大会公布的指纹> <本目录>",
            "openssl pkey -pubin -in keys/$C.pub.pem -outform DER | sha256sum",
            "-pkeyopt digest:sha384 -pkeyopt rsa_padding_mode:pss -pkeyopt rsa_pss_saltlen:48",
        ] {
            assert!(text.contains(line), "VERIFY.txt lacks: {line}");
        }
        assert!(text.ends_with(VERIFY_SCRIPT));
    }

    #[test]
    fn the_script_is_short_and_standard_library_only() {
        let lines = VERIFY_SCRIPT.lines().count();
        // 140: the 述职评议 recount (rules H2-H4, issue 15.3) and the approval steps (C5-C7, G4,
        // issue 16) took the script past 120; the participants' separate tally (rule I7) past 140.
        assert!((40..=150).contains(&lines), "{lines} lines");
        let imports: Vec<&str> = VERIFY_SCRIPT
            .lines()
            .filter(|l| l.starts_with("import ") || l.starts_with("from "))
            .collect();
        assert_eq!(imports, ["import base64, csv, hashlib, io, json, os, sys"]);
    }
}
