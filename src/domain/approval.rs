//! The steps before a presidium election and before the session (rules C5-C7, G4), as plain
//! Rust: which contests need them, what the public notice (公示) lists, and whether a contest
//! may open or the session be declared open given the steps recorded.
//!
//! "按程序报校党委批准确定候选人名单，经过统一公示后经学生代表大会选举产生";
//! "将主席团候选人名单请示省学联通过后，召开学代会";
//! "及时向上级学联申请召开学代会、核准章程".

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::candidates::ElectionKind;
use super::contest::{Contest, ContestKind};

/// One candidate as the public notice lists them, in ballot order. The candidate list's hash
/// is SHA-256 of the canonical JSON of the array of these (`docs/formats.md`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeCandidate {
    /// The system's candidate id (as on the ballots and in the record).
    pub id: String,
    /// 姓名
    pub name: String,
    /// 学院
    pub college: String,
    /// 年级, as the organiser entered it ("" when not entered).
    pub grade: String,
    /// 政治面貌
    pub political_status: String,
    /// 学生会职务 ("" when none).
    pub union_post: String,
    /// 简介, the short profile the organiser entered.
    pub profile: String,
}

/// Longest profile (characters) and longest grade / post.
pub const MAX_PROFILE_CHARS: usize = 300;
pub const MAX_SHORT_CHARS: usize = 40;

/// Whether a contest's candidate list must be approved and publicly noticed before it opens:
/// a first-round presidium election. A 再次投票 or 另行选举 is among candidates of a list
/// that already went through the steps (F2, F3).
pub fn needs_approval(c: &Contest) -> bool {
    c.kind == ContestKind::Election
        && c.round_kind.is_none()
        && c.def.kind_of_election() == Some(ElectionKind::Presidium)
}

/// What is recorded for one contest's candidate list, as the opening check needs it. Each
/// `Option<String>` is the candidate-list hash the latest step of its kind references.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListSteps {
    /// The hash of the list as it is now.
    pub current: String,
    /// 校党委批准 (C5).
    pub approval: Option<String>,
    /// 请示上级学联, with its reply (C5).
    pub request: Option<String>,
    /// 公示: the list it showed and its last day (C6).
    pub notice: Option<(String, NaiveDate)>,
    /// The organiser's override of the notice's end (C6), for the list it names.
    pub notice_override: Option<String>,
    /// Objections received and not yet answered (C7).
    pub unhandled_objections: usize,
}

/// Why the contest `title` may not open yet (rules C5-C7), each reason with its rule id;
/// empty when it may. `today` is the date in China Standard Time.
pub fn open_refusals(title: &str, s: &ListSteps, today: NaiveDate) -> Vec<String> {
    let current = Some(&s.current);
    let mut out = Vec::new();
    let stale = "(候选人名单在此之后有改动, 须按现名单重新办理)";
    match &s.approval {
        None => out.push(format!("规则C5: “{title}”的候选人名单尚未登记校党委批准")),
        Some(h) if Some(h) != current => out.push(format!(
            "规则C5: “{title}”登记的校党委批准不是现在的候选人名单{stale}"
        )),
        Some(_) => {}
    }
    match &s.request {
        None => out.push(format!(
            "规则C5: “{title}”的候选人名单尚未登记请示上级学联及其答复"
        )),
        Some(h) if Some(h) != current => out.push(format!(
            "规则C5: “{title}”登记的请示上级学联不是现在的候选人名单{stale}"
        )),
        Some(_) => {}
    }
    let overridden = s.notice_override.as_ref() == current;
    match &s.notice {
        None => out.push(format!("规则C6: “{title}”的候选人名单尚未公示")),
        Some((h, _)) if Some(h) != current => out.push(format!(
            "规则C6: “{title}”公示的不是现在的候选人名单{stale}"
        )),
        Some((_, end)) if *end >= today && !overridden => out.push(format!(
            "规则C6: “{title}”的候选人公示到{}结束, 公示期满(即{}起)才能开始投票; 如确需提前, 须登记理由",
            zh_date(*end),
            end.succ_opt().map(zh_date).unwrap_or_default()
        )),
        Some(_) => {}
    }
    if s.unhandled_objections > 0 {
        out.push(format!(
            "规则C7: “{title}”的公示收到 {} 件异议尚未登记处理结果",
            s.unhandled_objections
        ));
    }
    out
}

/// Why the session may not be declared open yet (rule G4): the upper 学联's reply to the
/// application to convene is not recorded and the organiser has not overridden.
pub fn session_refusal(reply_recorded: bool, overridden: bool) -> Option<String> {
    (!reply_recorded && !overridden).then(|| {
        "规则G4: 尚未登记上级学联对“申请召开学生代表大会”的答复, 不能宣布开会; 如确需先开会, 须登记理由".to_string()
    })
}

/// 2026年12月3日.
pub fn zh_date(d: NaiveDate) -> String {
    use chrono::Datelike;
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn done(end: &str) -> ListSteps {
        ListSteps {
            current: "h1".into(),
            approval: Some("h1".into()),
            request: Some("h1".into()),
            notice: Some(("h1".into(), d(end))),
            notice_override: None,
            unhandled_objections: 0,
        }
    }

    #[test]
    fn opens_the_day_after_the_notice_ends() {
        let s = done("2026-12-09");
        let on_last_day = open_refusals("选举主席团", &s, d("2026-12-09"));
        assert_eq!(on_last_day.len(), 1);
        assert!(on_last_day[0].starts_with("规则C6"), "{on_last_day:?}");
        assert!(on_last_day[0].contains("2026年12月10日"), "{on_last_day:?}");
        assert!(open_refusals("选举主席团", &s, d("2026-12-10")).is_empty());
    }

    #[test]
    fn an_override_for_the_current_list_lifts_only_the_end() {
        let mut s = done("2026-12-09");
        s.notice_override = Some("h1".into());
        assert!(open_refusals("x", &s, d("2026-12-01")).is_empty());
        s.notice_override = Some("h0".into());
        assert_eq!(open_refusals("x", &s, d("2026-12-01")).len(), 1);
        s.notice_override = Some("h1".into());
        s.notice = None;
        assert_eq!(open_refusals("x", &s, d("2026-12-01")).len(), 1);
    }

    #[test]
    fn every_missing_or_stale_step_is_named() {
        let s = ListSteps {
            current: "h2".into(),
            approval: Some("h1".into()),
            unhandled_objections: 2,
            ..ListSteps::default()
        };
        let r = open_refusals("x", &s, d("2026-12-01"));
        assert_eq!(r.len(), 4, "{r:?}");
        assert!(r[0].contains("不是现在的候选人名单"));
        assert!(r[1].contains("请示上级学联"));
        assert!(r[2].contains("尚未公示"));
        assert!(r[3].starts_with("规则C7") && r[3].contains("2 件"));
    }

    #[test]
    fn session_needs_the_reply_or_an_override() {
        assert!(session_refusal(false, false).unwrap().starts_with("规则G4"));
        assert!(session_refusal(true, false).is_none());
        assert!(session_refusal(false, true).is_none());
    }
}
