//! `congress attendance ...`: approved absences (请假, rule D1) and the attendance figures,
//! run on the server by its administrator for the organiser (the same service as the page).

use std::process::ExitCode;

use clap::Subcommand;

use crate::config::Config;
use crate::domain::ids::CongressId;
use crate::service::{attendance, Actor};
use crate::storage::{Db, OpenMode};

#[derive(Subcommand, Debug)]
pub enum AttendanceCommand {
    /// Record an approved absence (or withdraw one with --withdraw), with its reason, after the
    /// roster is frozen and before the session opens (exit 0 done, 1 refused).
    Absence {
        /// The congress's id.
        #[arg(long)]
        congress: CongressId,
        /// The delegate's number (代表编号).
        #[arg(long)]
        delegate: u32,
        /// Why (required; kept with the absence and in the audit log).
        #[arg(long)]
        reason: String,
        /// Withdraw the absence instead of recording it.
        #[arg(long)]
        withdraw: bool,
    },
    /// Print 应到, 实到, the quorum and the approved absences.
    Show {
        #[arg(long)]
        congress: CongressId,
    },
}

pub fn run(config: &Config, cmd: AttendanceCommand) -> anyhow::Result<ExitCode> {
    let db = Db::open(&config.database_url, OpenMode::Existing)?;
    let mut conn = db.conn()?;
    match cmd {
        AttendanceCommand::Absence {
            congress,
            delegate,
            reason,
            withdraw,
        } => {
            let actor = Actor::cli("attendance");
            match attendance::set_absence(
                &mut conn, &actor, &congress, delegate, !withdraw, &reason,
            ) {
                Ok((d, changed)) => {
                    let what = if withdraw { "撤销请假" } else { "请假" };
                    if changed {
                        println!("已登记{} (代表编号 {delegate}) {what}。", d.student.name);
                    } else {
                        println!(
                            "{} (代表编号 {delegate}) 已是该状态, 未作改动。",
                            d.student.name
                        );
                    }
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => {
                    eprintln!("错误: {}", super::describe::service(&e));
                    Ok(ExitCode::from(1))
                }
            }
        }
        AttendanceCommand::Show { congress } => {
            let (fig, delegates) = attendance::attendance(&mut conn, &congress)?;
            println!(
                "应到 {} (名单 {} 人, 请假 {} 人); 实到 {}; 法定人数: 实到须{}应到, 至少 {} 人: {}",
                fig.expected,
                fig.roster,
                fig.absences,
                fig.present,
                fig.quorum_rule,
                fig.quorum_needed,
                if fig.quorum_met {
                    "已达到"
                } else {
                    "未达到"
                }
            );
            for d in delegates.iter().filter(|d| d.absence_approved) {
                println!(
                    "请假\t{}\t{}\t{}",
                    d.delegate_no,
                    d.student.name,
                    d.absence_reason.as_deref().unwrap_or("")
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
