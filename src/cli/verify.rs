//! `congress verify DIR [--receipt FILE] [--json]`: checks a filing packet the way an observer
//! or the league office would, reading only the packet (see `packet::verify`).
//!
//! Exit codes: 0 every check passed, 1 a check failed, 2 DIR (or the receipt file) unreadable.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::packet::verify::{verify_packet, Check, Checklist};

#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// The unpacked filing packet: the directory holding record.json.
    pub dir: PathBuf,
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
    let list = verify_packet(&args.dir, args.receipt.as_deref());
    let mut out = std::io::stdout().lock();
    if args.json {
        let value = serde_json::json!({ "all_ok": list.all_ok(), "items": list.items });
        writeln!(out, "{}", serde_json::to_string_pretty(&value)?)?;
    } else {
        write_text(&mut out, &args, &list)?;
    }
    Ok(if list.dir_unreadable() {
        ExitCode::from(2)
    } else if list.all_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn write_text(out: &mut impl Write, args: &VerifyArgs, list: &Checklist) -> std::io::Result<()> {
    writeln!(out, "核验归档包 / verifying packet: {}", args.dir.display())?;
    for check in &list.items {
        writeln!(out, "{}", line(check))?;
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
