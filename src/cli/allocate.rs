//! `congress allocate` (rules A1-A4) on a file, without a database: what a school's IT
//! scripts around. The options and helpers `congress roster` shares (`cli::roster`) are here.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use crate::domain::quota::{allocate as allocate_quotas, Allocation, QuotaParams};
use crate::domain::settings::{QuotaMethod, RuleProfile};
use crate::domain::types::CollegeEnrolment;
use crate::import::{self, ImportErrors};

/// Exit status: valid / success.
pub(super) const OK: u8 = 0;
/// Exit status: rule violations.
pub(super) const VIOLATIONS: u8 = 1;
/// Exit status: unreadable input.
pub(super) const UNREADABLE: u8 = 2;

#[derive(Args, Debug)]
pub struct QuotaOpts {
    /// Congress total T (default: the sum of the colleges' minimums).
    #[arg(long)]
    pub total: Option<u32>,
    /// hamilton (default), dhondt, webster or huntington-hill.
    #[arg(long, default_value = "hamilton")]
    pub method: String,
    /// Minimum share of enrolment per college: 0.01 or 1%.
    #[arg(long, default_value = "0.01")]
    pub ratio: String,
    /// Minimum seats of any college.
    #[arg(long, default_value_t = 1)]
    pub min_seats: u32,
}

#[derive(Args, Debug)]
pub struct AllocateArgs {
    /// Enrolment file: 学院, optional 年级, 人数 (CSV UTF-8/GBK or .xlsx).
    #[arg(long)]
    pub enrolment: PathBuf,
    #[command(flatten)]
    pub quota: QuotaOpts,
    /// Machine-readable output.
    #[arg(long)]
    pub json: bool,
}

/// Parses "0.01", "1%" or "0.5%" into basis points.
pub fn parse_ratio(s: &str) -> Result<u32, String> {
    let t = s.trim();
    let (num, pct) = match t.strip_suffix('%') {
        Some(n) => (n.trim(), true),
        None => (t, false),
    };
    let v: f64 = num
        .parse()
        .map_err(|_| format!("--ratio “{s}” 不是有效的比例, 例如 0.01 或 1%"))?;
    let bp = if pct { v * 100.0 } else { v * 10_000.0 };
    if !(0.0..=10_000.0).contains(&bp) || (bp - bp.round()).abs() > 1e-6 {
        return Err(format!("--ratio “{s}” 应在 0 到 100% 之间, 精确到 0.01%"));
    }
    Ok(bp.round() as u32)
}

impl QuotaOpts {
    pub(super) fn params(&self) -> Result<QuotaParams, String> {
        let method = QuotaMethod::parse(&self.method).ok_or_else(|| {
            format!(
                "--method “{}” 无效, 应为 hamilton, dhondt, webster 或 huntington-hill",
                self.method
            )
        })?;
        Ok(QuotaParams {
            ratio_bp: parse_ratio(&self.ratio)?,
            min_seats: self.min_seats,
            total: self.total.map(u64::from),
            method,
        })
    }

    /// The rule profile these options describe (the roster rules take the other defaults).
    pub(super) fn profile(&self, params: &QuotaParams) -> RuleProfile {
        RuleProfile {
            quota_ratio_bp: params.ratio_bp,
            min_seats: params.min_seats,
            total_seats: self.total,
            quota_method: params.method,
            ..RuleProfile::default()
        }
    }
}

/// Reads and parses one file, or prints every error (file, row, column) and gives exit 2.
pub(super) fn read<T>(
    path: &Path,
    parse: fn(&import::Table) -> Result<T, ImportErrors>,
) -> Result<T, ExitCode> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let bytes = std::fs::read(path).map_err(|e| {
        eprintln!("错误: 无法读取 {}: {e}", path.display());
        ExitCode::from(UNREADABLE)
    })?;
    let parsed = import::read_table(&name, &bytes).and_then(|t| parse(&t));
    parsed.map_err(|errs| {
        for e in &errs.0 {
            eprintln!("错误: {e}");
        }
        ExitCode::from(UNREADABLE)
    })
}

/// (college, enrolment) pairs for the allocation, or exit 2 when a figure is too large.
pub(super) fn colleges(enrolment: &[CollegeEnrolment]) -> Result<Vec<(String, i64)>, ExitCode> {
    enrolment
        .iter()
        .map(|c| match i64::try_from(c.total()) {
            Ok(n) => Ok((c.college.clone(), n)),
            Err(_) => {
                eprintln!("错误: {}的在校生人数 {} 过大", c.college, c.total());
                Err(ExitCode::from(UNREADABLE))
            }
        })
        .collect()
}

pub(super) fn quota_map(a: &Allocation) -> BTreeMap<String, u64> {
    a.colleges
        .iter()
        .map(|c| (c.college.clone(), c.quota))
        .collect()
}

pub(super) fn print_json<T: serde::Serialize>(v: &T) {
    match serde_json::to_string_pretty(v) {
        Ok(s) => println!("{s}"),
        Err(e) => eprintln!("错误: {e}"),
    }
}

pub fn allocate(args: AllocateArgs) -> anyhow::Result<ExitCode> {
    let params = match args.quota.params() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("错误: {e}");
            return Ok(ExitCode::from(UNREADABLE));
        }
    };
    let enrolment = match read(&args.enrolment, import::parse_enrolment) {
        Ok(e) => e,
        Err(code) => return Ok(code),
    };
    let colleges = match colleges(&enrolment) {
        Ok(c) => c,
        Err(code) => return Ok(code),
    };
    match allocate_quotas(&colleges, &params) {
        Ok(a) => {
            if args.json {
                print_json(&a);
            } else {
                print_allocation(&a);
            }
            Ok(ExitCode::from(OK))
        }
        Err(e) => {
            eprintln!("错误: {e}");
            Ok(ExitCode::from(VIOLATIONS))
        }
    }
}

fn print_allocation(a: &Allocation) {
    println!(
        "分配方法: {}   总名额: {}   在校生: {}   各学院最低名额之和: {}",
        a.method.zh(),
        a.total,
        a.enrolment,
        a.sum_of_minimums
    );
    println!(
        "{:<16}\t{:>8}\t{:>6}\t{:>10}\t{:>6}",
        "学院", "人数", "最低", "按比例", "名额"
    );
    for c in &a.colleges {
        println!(
            "{:<16}\t{:>8}\t{:>6}\t{:>10.3}\t{:>6}",
            c.college, c.enrolment, c.minimum, c.share, c.quota
        );
    }
    println!("并列规则: {}", a.tie_break);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios() {
        assert_eq!(parse_ratio("0.01"), Ok(100));
        assert_eq!(parse_ratio("1%"), Ok(100));
        assert_eq!(parse_ratio("0.5%"), Ok(50));
        assert_eq!(parse_ratio("0"), Ok(0));
        assert!(parse_ratio("2").is_err());
        assert!(parse_ratio("abc").is_err());
        assert!(parse_ratio("0.00001").is_err());
    }
}
