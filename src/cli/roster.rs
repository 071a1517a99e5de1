//! `congress roster check|generate` (rules B1-B8) on files, without a database: validate a
//! roster, or generate one from ranked nominees (`domain::roster::generate`). The quota
//! options and the file reading are `cli::allocate`'s.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;

use super::allocate::{
    colleges, print_json, quota_map, read, QuotaOpts, OK, UNREADABLE, VIOLATIONS,
};
use crate::domain::quota::allocate as allocate_quotas;
use crate::domain::roster::{self, generate, RosterReport, RosterRules};
use crate::domain::types::{Society, Violation};
use crate::import;

#[derive(Subcommand, Debug)]
pub enum RosterCommand {
    /// Validate a roster: exit 0 valid, 1 rule violations, 2 unreadable input.
    Check {
        #[arg(long)]
        enrolment: PathBuf,
        #[arg(long)]
        roster: PathBuf,
        #[arg(long)]
        societies: Option<PathBuf>,
        #[command(flatten)]
        quota: QuotaOpts,
        #[arg(long)]
        json: bool,
    },
    /// Generate a roster from ranked nominees that `roster check` accepts, or explain why none exists.
    Generate {
        #[arg(long)]
        enrolment: PathBuf,
        #[arg(long)]
        nominees: PathBuf,
        #[arg(long)]
        societies: Option<PathBuf>,
        #[command(flatten)]
        quota: QuotaOpts,
        /// Where to write the roster CSV (UTF-8 with BOM).
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

fn print_violations(vs: &[Violation]) {
    for v in vs {
        let level = if v.warning { "提醒" } else { "违反" };
        println!(
            "{level} 规则{} [{}] 应为 {} 实际 {}: {}",
            v.rule,
            v.college.as_deref().unwrap_or("全体代表"),
            v.required,
            v.found,
            v.message
        );
    }
}

fn print_report(r: &RosterReport) {
    if r.valid {
        println!("代表名单符合全部规则。");
    } else {
        println!("代表名单不符合规则:");
    }
    print_violations(&r.violations);
}

pub fn roster(cmd: RosterCommand) -> anyhow::Result<ExitCode> {
    let (enrolment_path, societies_path, quota_opts) = match &cmd {
        RosterCommand::Check {
            enrolment,
            societies,
            quota,
            ..
        }
        | RosterCommand::Generate {
            enrolment,
            societies,
            quota,
            ..
        } => (enrolment, societies, quota),
    };
    let params = match quota_opts.params() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("错误: {e}");
            return Ok(ExitCode::from(UNREADABLE));
        }
    };
    let enrolment = match read(enrolment_path, import::parse_enrolment) {
        Ok(e) => e,
        Err(code) => return Ok(code),
    };
    let societies: Vec<Society> = match societies_path {
        Some(p) => match read(p, import::parse_societies) {
            Ok(s) => s,
            Err(code) => return Ok(code),
        },
        None => Vec::new(),
    };
    let colleges = match colleges(&enrolment) {
        Ok(c) => c,
        Err(code) => return Ok(code),
    };
    let allocation = match allocate_quotas(&colleges, &params) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("错误: {e}");
            return Ok(ExitCode::from(VIOLATIONS));
        }
    };
    let quotas = quota_map(&allocation);
    let profile = quota_opts.profile(&params);
    let rules = RosterRules {
        profile: &profile,
        enrolment: &enrolment,
        quotas: &quotas,
        societies: &societies,
        cadre_roles: None,
    };
    match cmd {
        RosterCommand::Check {
            roster: path, json, ..
        } => {
            let entries = match read(&path, import::parse_roster) {
                Ok(e) => e,
                Err(code) => return Ok(code),
            };
            let report = roster::validate(&entries, &rules);
            if json {
                print_json(&report);
            } else {
                print_report(&report);
            }
            Ok(ExitCode::from(if report.valid { OK } else { VIOLATIONS }))
        }
        RosterCommand::Generate {
            nominees: path,
            out,
            json,
            ..
        } => {
            let nominees = match read(&path, import::parse_nominees) {
                Ok(n) => n,
                Err(code) => return Ok(code),
            };
            match generate::generate(&nominees, &rules) {
                Ok(g) => {
                    std::fs::write(&out, import::write_roster_csv(&g.roster)?)?;
                    if json {
                        print_json(&serde_json::json!({
                            "valid": g.report.valid,
                            "out": out.display().to_string(),
                            "delegates": g.roster.len(),
                            "substitutions": g.substitutions,
                            "report": g.report,
                        }));
                    } else {
                        println!(
                            "已生成代表名单 {} ({} 名代表)。",
                            out.display(),
                            g.roster.len()
                        );
                        for s in &g.substitutions {
                            println!("调整 [{}] 规则{}: {}", s.college, s.rule, s.reason);
                        }
                        print_report(&g.report);
                    }
                    Ok(ExitCode::from(if g.report.valid { OK } else { VIOLATIONS }))
                }
                Err(inf) => {
                    if json {
                        print_json(
                            &serde_json::json!({ "valid": false, "violations": inf.violations }),
                        );
                    } else {
                        println!("无法生成符合规则的代表名单:");
                        print_violations(&inf.violations);
                    }
                    Ok(ExitCode::from(VIOLATIONS))
                }
            }
        }
    }
}
