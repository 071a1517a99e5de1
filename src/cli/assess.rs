//! `congress assess --congress ID [--json]`: a certified congress's self-assessment (学代会
//! 自评表), the indicators the filing office computes from its packet (see
//! `registry::assessment`). Exit 0 every indicator met or not recorded, 1 one failed, 2 the
//! congress is not certified or the database is unusable.

use std::process::ExitCode;

use clap::Args;

use crate::config::Config;
use crate::domain::ids::CongressId;
use crate::registry::assessment::self_assessment;
use crate::registry::indicators::Outcome;
use crate::storage::{Db, OpenMode};

#[derive(Args, Debug)]
pub struct AssessArgs {
    /// The congress's id (as in its web address /c/<id>).
    #[arg(long = "congress", value_name = "ID")]
    pub congress: CongressId,
    #[arg(long)]
    pub json: bool,
}

pub fn run(config: &Config, args: AssessArgs) -> anyhow::Result<ExitCode> {
    let db = Db::open(&config.database_url, OpenMode::Existing)?;
    let a = match self_assessment(&mut *db.conn()?, &args.congress) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("错误: {}", e.full());
            return Ok(ExitCode::from(2));
        }
    };
    if args.json {
        let v = serde_json::json!({
            "congress": a.congress.id,
            "previous_congress": a.previous,
            "indicators": a.indicators,
        });
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        println!("学代会自评表: {} ({})", a.congress.name, a.congress.date);
        for (i, ind) in a.indicators.iter().enumerate() {
            println!(
                "{}. [{}] {} — {}: {}",
                i + 1,
                ind.outcome.zh(),
                ind.short,
                ind.item,
                ind.value
            );
        }
    }
    let failed = a.indicators.iter().any(|i| i.outcome == Outcome::Fail);
    Ok(ExitCode::from(if failed { 1 } else { 0 }))
}
