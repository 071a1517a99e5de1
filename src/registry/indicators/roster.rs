//! The indicators read from the roster summary: ordinary students' and women's shares, and
//! the delegates' coverage of colleges, grades and main societies.

use serde_json::Value;

use super::{
    at_least, judged, num, share, text, unknown, Facts, Judged, ORDINARY_MIN_PCT, WOMEN_MIN_PCT,
};

pub(super) fn ordinary_share(f: &Facts, item: &str) -> Judged {
    let Some(s) = &f.roster_summary else {
        return unknown(item, "归档包中没有名册摘要");
    };
    let (Some(total), Some(ordinary)) = (num(s, "/total"), num(s, "/ordinary")) else {
        return unknown(item, "名册摘要中没有代表总数或普通同学人数");
    };
    let mut short = Vec::new();
    for c in s
        .get("colleges")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let (Some(n), Some(o)) = (num(c, "/delegates"), num(c, "/ordinary")) else {
            return unknown(item, "名册摘要中缺少学院的普通同学人数");
        };
        if o < at_least(ORDINARY_MIN_PCT, n) {
            short.push(format!(
                "{} {}",
                text(c, "/college").unwrap_or("?"),
                share(o, n)
            ));
        }
    }
    let whole_ok = ordinary >= at_least(ORDINARY_MIN_PCT, total);
    let mut value = format!("普通同学 {}", share(ordinary, total));
    if !short.is_empty() {
        value.push_str(&format!("; 不足60%的学院: {}", short.join(", ")));
    }
    let mut figure = super::percent(ordinary, total);
    if !short.is_empty() {
        figure.push_str(&format!(", {}院不足", short.len()));
    }
    judged(item, value, figure, whole_ok && short.is_empty())
}

pub(super) fn women_share(f: &Facts, item: &str) -> Judged {
    let Some(s) = &f.roster_summary else {
        return unknown(item, "归档包中没有名册摘要");
    };
    match (num(s, "/total"), num(s, "/women")) {
        (Some(total), Some(women)) => judged(
            item,
            format!("女代表 {}", share(women, total)),
            super::percent(women, total),
            women >= at_least(WOMEN_MIN_PCT, total),
        ),
        _ => unknown(item, "名册摘要中没有代表总数或女代表人数"),
    }
}

fn names(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

pub(super) fn coverage(f: &Facts, item: &str) -> Judged {
    let Some(s) = &f.roster_summary else {
        return unknown(item, "归档包中没有名册摘要");
    };
    let Some(colleges) = s.get("colleges").and_then(Value::as_array) else {
        return unknown(item, "名册摘要中没有学院数据");
    };
    let mut empty = Vec::new();
    let mut grades = Vec::new();
    for c in colleges {
        let name = text(c, "/college").unwrap_or("?");
        let Some(n) = num(c, "/delegates") else {
            return unknown(item, "名册摘要中缺少学院代表人数");
        };
        let extra = num(c, "/ex_officio").unwrap_or(0) + num(c, "/society_seats").unwrap_or(0);
        if n + extra == 0 {
            empty.push(name.to_string());
        }
        let covered = names(c.get("grades_covered")).len() as u64;
        if let Some(required) = num(c, "/grades_required") {
            if covered < required {
                grades.push(format!("{name} (差 {} 个)", required - covered));
            }
        }
    }
    let missing = names(s.get("societies_missing"));
    let societies = names(s.get("societies_required")).len();
    let mut problems = Vec::new();
    if !empty.is_empty() {
        problems.push(format!("无代表的学院: {}", empty.join(", ")));
    }
    if !grades.is_empty() {
        problems.push(format!("年级未覆盖: {}", grades.join(", ")));
    }
    if !missing.is_empty() {
        problems.push(format!("无代表的主要社团: {}", missing.join(", ")));
    }
    if problems.is_empty() {
        let value = format!(
            "{} 个学院、应覆盖的年级和 {societies} 个主要社团均有代表",
            colleges.len()
        );
        judged(item, value, "全覆盖".to_string(), true)
    } else {
        let figure = format!("{}项缺", problems.len());
        judged(item, problems.join("; "), figure, false)
    }
}
