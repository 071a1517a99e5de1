//! `congress verify DIR [--expect-key FINGERPRINT] [--receipt FILE] [--json]`: checks a filing
//! packet the way an observer or the league office would, reading only the packet (see
//! `packet::verify`). With `--expect-key` the packet's key must have the fingerprint announced
//! in the hall and printed on the signed report; without it the output says the key was not
//! compared (a packet re-signed whole with another key passes every other check).
//!
//! Exit codes: 0 every check passed, 1 a check failed, 2 DIR (or the receipt file) unreadable.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::packet::verify::pin::{check_expected_key, packet_fingerprint};
use crate::packet::verify::{verify_packet, Check, Checklist};

#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// The unpacked filing packet: the directory holding record.json.
    pub dir: PathBuf,
    /// The signing key's fingerprint as announced at the congress and printed on the signed
    /// report (64 hex digits; spaces and colons allowed): the packet's key must have it.
    #[arg(long = "expect-key", value_name = "FINGERPRINT")]
    pub expect_key: Option<String>,
    /// A delegate's signed receipt (JSON): checked against the key and looked up on its board.
    #[arg(long, value_name = "FILE")]
    pub receipt: Option<PathBuf>,
    /// Print the checklist as JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: VerifyArgs) -> anyhow::Result<ExitCode> {
    if let Some(path) = &args.receipt {
        if let Err(e) = std::fs::metadata(path) {
            eprintln!("错误: 无法读取回执文件 {}: {e}", path.display());
            return Ok(ExitCode::from(2));
        }
    }
    let mut list = verify_packet(&args.dir, args.receipt.as_deref());
    if let (Some(expected), false) = (&args.expect_key, list.dir_unreadable()) {
        check_expected_key(&mut list, &args.dir, expected);
    }
    let fingerprint = packet_fingerprint(&args.dir);
    let mut out = std::io::stdout().lock();
    if args.json {
        let value = serde_json::json!({
            "all_ok": list.all_ok(),
            "key_fingerprint": fingerprint,
            "key_pinned": args.expect_key.is_some(),
            "items": list.items,
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&value)?)?;
    } else {
        write_text(&mut out, &args, &list, fingerprint.as_deref())?;
    }
    Ok(if list.dir_unreadable() {
        ExitCode::from(2)
    } else if list.all_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn write_text(
    out: &mut impl Write,
    args: &VerifyArgs,
    list: &Checklist,
    fingerprint: Option<&str>,
) -> std::io::Result<()> {
    writeln!(out, "核验归档包 / verifying packet: {}", args.dir.display())?;
    for check in &list.items {
        writeln!(out, "{}", line(check))?;
    }
    if let (None, Some(fp)) = (&args.expect_key, fingerprint) {
        writeln!(
            out,
            "注意: 未用 --expect-key 比对公钥。整个归档包被替换并用另一把密钥重新签名时, 上面的检查同样会通过。\n\
             请把本包的公钥指纹 {fp}\n\
             与大会当场公布、并印在签字的结果报告单上的指纹比对, 或运行 congress verify --expect-key <公布的指纹> {}\n\
             NOTE: the key was not compared (--expect-key). A packet re-signed whole with another key passes\n\
             the checks above too: compare the fingerprint above with the one announced at the congress\n\
             and printed on the signed paper report.",
            args.dir.display()
        )?;
    }
    let failed = list.failures().count();
    let total = list.items.len();
    if failed == 0 {
        writeln!(
            out,
            "结果: 全部 {total} 项检查通过 / all {total} checks passed"
        )
    } else {
        writeln!(
            out,
            "结果: {failed} / {total} 项检查未通过 / {failed} of {total} checks failed"
        )
    }
}

/// `✓ [contest] name — detail`, control characters from the packet escaped so that a hostile
/// packet cannot drive the terminal.
fn line(check: &Check) -> String {
    let mark = if check.ok { '✓' } else { '✗' };
    let contest = check
        .contest
        .as_deref()
        .map(|c| format!("[{}] ", printable(c)))
        .unwrap_or_default();
    format!(
        "{mark} {contest}{} — {}",
        printable(&check.name),
        printable(&check.detail)
    )
}

fn printable(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            if c.is_control() {
                c.escape_unicode().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_mark_the_outcome_and_escape_control_characters() {
        let check = Check {
            code: "board.merkle_root".into(),
            contest: Some("presidium\u{1b}[2J".into()),
            name: "默克尔根 Merkle root".into(),
            ok: false,
            detail: "复算得 ab\n公示中为 cd".into(),
        };
        assert_eq!(
            line(&check),
            "✗ [presidium\\u{1b}[2J] 默克尔根 Merkle root — 复算得 ab\\u{a}公示中为 cd"
        );
        let ok = Check {
            ok: true,
            contest: None,
            ..check
        };
        assert!(line(&ok).starts_with("✓ 默克尔根"));
    }
}
