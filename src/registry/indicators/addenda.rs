//! The indicators read from the signed addenda: the candidates' public notice (公示) and the
//! Party committee's approval (党委批准).

use std::collections::BTreeMap;

use serde_json::Value;

use super::{judged, text, unknown, Facts, Judged};

/// The latest addendum of `kind`: `kind` itself, or the correction `kind-N` with the largest
/// N (rule G3: corrections are new addenda, `approval-2.json`...).
pub fn latest_addendum<'a>(addenda: &'a BTreeMap<String, Value>, kind: &str) -> Option<&'a Value> {
    addenda
        .iter()
        .filter_map(|(name, v)| {
            let rest = name.strip_prefix(kind)?;
            let n = if rest.is_empty() {
                1
            } else {
                let digits = rest.strip_prefix('-')?;
                if digits.is_empty() || digits.starts_with('0') || digits.len() > 4 {
                    return None;
                }
                digits.parse::<u32>().ok().filter(|n| *n >= 2)?
            };
            Some((n, v))
        })
        .max_by_key(|(n, _)| *n)
        .map(|(_, v)| v)
}

pub(super) fn notice(f: &Facts, item: &str) -> Judged {
    match latest_addendum(&f.addenda, "notice") {
        None => unknown(item, "归档包中没有公示记录"),
        Some(a) => {
            let from = text(a, "/start").or_else(|| text(a, "/date"));
            let value = match (from, text(a, "/end")) {
                (Some(s), Some(e)) => format!("已公示 {s} 至 {e}"),
                (Some(s), None) => format!("已公示 ({s})"),
                _ => "已公示".to_string(),
            };
            judged(item, value, "已公示".to_string(), true)
        }
    }
}

pub(super) fn approval(f: &Facts, item: &str) -> Judged {
    match latest_addendum(&f.addenda, "approval") {
        None => judged(
            item,
            "归档包中没有党委批准记录".to_string(),
            "未批准".to_string(),
            false,
        ),
        Some(a) => {
            let mut value = format!(
                "{} {}",
                text(a, "/body").unwrap_or("(批准机关未记录)"),
                text(a, "/date").unwrap_or("(日期未记录)")
            );
            if let Some(r) = text(a, "/reference") {
                value.push_str(&format!(" {r}"));
            }
            let date = text(a, "/date").unwrap_or("已批准").to_string();
            judged(item, value, date, true)
        }
    }
}
