//! The indicators read from the record's contests: the presidium's size, 差额, candidates'
//! eligibility, quorum, the work report.

use serde_json::Value;

use super::{
    judged, num, share, text, unknown, Facts, Judged, PRESIDIUM_MAX_COLLEGE, PRESIDIUM_MAX_SCHOOL,
};

/// The presidium elections: elections whose `election_kind` is absent (records before
/// election kinds were all presidium elections) or `presidium`.
fn presidium_contests(f: &Facts) -> Vec<&Value> {
    f.record
        .get("contests")
        .and_then(Value::as_array)
        .map(|cs| {
            cs.iter()
                .filter(|c| c.get("kind").and_then(Value::as_str) == Some("election"))
                .filter(|c| match c.get("election_kind") {
                    None | Some(Value::Null) => true,
                    Some(k) => k.as_str() == Some("presidium"),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// First rounds: not a 再次投票 or 另行选举 of another contest.
fn is_first_round(c: &Value) -> bool {
    matches!(c.get("round_kind"), None | Some(Value::Null))
}

pub(super) fn presidium_size(f: &Facts) -> Judged {
    let level = text(&f.record, "/congress/level");
    let (max, item) = match level {
        Some("college") => (PRESIDIUM_MAX_COLLEGE, "主席团成员不超过3人 (院级)"),
        _ => (PRESIDIUM_MAX_SCHOOL, "主席团成员不超过5人"),
    };
    if level.is_none() {
        return unknown(item, "记录中没有大会级别");
    }
    let contests = presidium_contests(f);
    if contests.is_empty() {
        return unknown(item, "记录中没有主席团选举");
    }
    let seats: Option<u64> = contests
        .iter()
        .filter(|c| is_first_round(c))
        .map(|c| num(c, "/seats"))
        .sum();
    let elected: Option<u64> = contests
        .iter()
        .map(|c| {
            c.pointer("/result/detail/election/elected")
                .and_then(Value::as_array)
                .map(|e| e.len() as u64)
        })
        .sum();
    match (seats, elected) {
        (Some(s), Some(e)) => judged(
            item,
            format!("应选 {s} 名, 当选 {e} 名"),
            format!("{e}人"),
            s <= max && e <= max,
        ),
        _ => unknown(item, "记录中缺少应选名额或当选名单"),
    }
}

pub(super) fn margin(f: &Facts, item: &str) -> Judged {
    let contests: Vec<&Value> = presidium_contests(f)
        .into_iter()
        .filter(|c| is_first_round(c))
        .collect();
    if contests.is_empty() {
        return unknown(item, "记录中没有主席团选举");
    }
    let mut parts = Vec::new();
    let mut figures = Vec::new();
    let mut ok = true;
    for c in contests {
        let (Some(seats), Some(cands)) = (
            num(c, "/seats"),
            c.get("candidates").and_then(Value::as_array).map(Vec::len),
        ) else {
            return unknown(item, "记录中缺少应选名额或候选人名单");
        };
        let cands = cands as u64;
        let required = (seats + 1).max((seats * 6).div_ceil(5));
        figures.push(format!("{cands}选{seats}"));
        let mut part = format!("候选人 {cands} 名, 应选 {seats} 名");
        if cands < required {
            ok = false;
            part.push_str(&format!(" (应至少 {required} 名)"));
            if let Some(reason) = text(c, "/margin_override") {
                part.push_str(&format!(", 组织者记录的理由: {reason}"));
            }
        }
        parts.push(part);
    }
    judged(item, parts.join("; "), figures.join(", "), ok)
}

pub(super) fn eligibility(f: &Facts, item: &str) -> Judged {
    let contests = presidium_contests(f);
    if contests.is_empty() {
        return unknown(item, "记录中没有主席团选举");
    }
    let mut total = 0;
    let mut overrides = Vec::new();
    for c in contests.iter().filter(|c| is_first_round(c)) {
        let Some(cands) = c.get("candidates").and_then(Value::as_array) else {
            return unknown(item, "记录中缺少候选人名单");
        };
        total += cands.len();
        for k in cands {
            if let Some(reason) = text(k, "/eligibility_override") {
                let name = text(k, "/name").unwrap_or("?");
                overrides.push(format!("{name} (理由: {reason})"));
            }
        }
    }
    if overrides.is_empty() {
        judged(
            item,
            format!("{total} 名候选人均符合资格条件"),
            "均符合".to_string(),
            true,
        )
    } else {
        let value = format!(
            "{} 名候选人不符合资格条件, 由组织者记录理由后参选: {}",
            overrides.len(),
            overrides.join("; ")
        );
        let figure = format!("{}人不符", overrides.len());
        judged(item, value, figure, false)
    }
}

pub(super) fn quorum(f: &Facts) -> Judged {
    let rule = text(&f.record, "/quorum_rule").unwrap_or("超过2/3");
    let item = format!("每场选举和表决到会代表{rule}应到代表");
    let Some(contests) = f.record.get("contests").and_then(Value::as_array) else {
        return unknown(&item, "记录中没有选举或表决");
    };
    if contests.is_empty() {
        return unknown(&item, "记录中没有选举或表决");
    }
    let mut lowest: Option<(u64, u64)> = None;
    let mut failed = Vec::new();
    for c in contests {
        let (Some(present), Some(expected), Some(met)) = (
            num(c, "/present_at_opening"),
            num(c, "/expected_at_opening"),
            c.get("quorum_met").and_then(Value::as_bool),
        ) else {
            return unknown(&item, "记录中缺少实到、应到人数");
        };
        if !met {
            failed.push(text(c, "/title").unwrap_or("?").to_string());
        }
        let lower = match lowest {
            None => true,
            Some((p, e)) => (present as u128) * (e as u128) < (p as u128) * (expected as u128),
        };
        if lower {
            lowest = Some((present, expected));
        }
    }
    let (p, e) = lowest.unwrap_or((0, 0));
    let mut value = format!(
        "{} 场, 到会最少一场 实到/应到 {}",
        contests.len(),
        share(p, e)
    );
    if !failed.is_empty() {
        value.push_str(&format!("; 未达法定人数: {}", failed.join(", ")));
    }
    let figure = if failed.is_empty() {
        super::percent(p, e)
    } else {
        format!("{}场不足", failed.len())
    };
    judged(&item, value, figure, failed.is_empty())
}

pub(super) fn work_report(f: &Facts, item: &str) -> Judged {
    let Some(contests) = f.record.get("contests").and_then(Value::as_array) else {
        return unknown(item, "记录中没有选举或表决");
    };
    let reports: Vec<&Value> = contests
        .iter()
        .filter(|c| c.get("motion_kind").and_then(Value::as_str) == Some("work_report"))
        .collect();
    if reports.is_empty() {
        return judged(
            item,
            "记录中没有工作报告的表决".to_string(),
            "未表决".to_string(),
            false,
        );
    }
    let passed_all = reports.iter().all(|c| {
        c.pointer("/result/detail/motion/passed")
            .and_then(Value::as_bool)
            .unwrap_or(false)
    });
    let results: Vec<String> = reports
        .iter()
        .map(|c| {
            let passed = c
                .pointer("/result/detail/motion/passed")
                .and_then(Value::as_bool);
            let votes = num(c, "/result/detail/motion/votes/for");
            match (passed, votes) {
                (Some(true), Some(v)) => format!("已表决通过 (赞成 {v} 票)"),
                (Some(false), Some(v)) => format!("已表决, 未通过 (赞成 {v} 票)"),
                _ => "已表决".to_string(),
            }
        })
        .collect();
    let figure = if passed_all { "通过" } else { "已表决" };
    judged(item, results.join("; "), figure.to_string(), true)
}
