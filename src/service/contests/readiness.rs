//! Whether a contest may open: the rules of its candidate list (C1 seats, C2 margin, C3
//! eligibility, G2 candidates are not scrutineers, B6 名单) for an election, and a warning
//! when a threshold differs from the rules' default (F1 setting, F4). Also the views of one
//! contest and of the agenda that carry it.

use serde::Serialize;

use super::write_ins::{unconfirmed, UNCONFIRMED};
use super::{invalid, load};
use crate::domain::candidates::{check_contest_of, Candidate};
use crate::domain::contest::{Contest, ContestKind};
use crate::domain::ids::{CongressId, ContestId};
use crate::domain::types::Violation;
use crate::service::{congress, ServiceResult};
use crate::storage::repo::congress::Congress;
use crate::storage::repo::contests::{self as repo};
use crate::storage::repo::reviews;
use crate::storage::repo::scrutineers;
use crate::storage::DbConnection;

/// Every problem of `contest` given its `candidates` and the congress's scrutineers' 学号, in
/// rule order. Recorded overrides (等额 with a reason, an ineligible candidate with a reason)
/// and unusual thresholds come back as warnings (`warning: true`); any other entry keeps the
/// contest from opening.
pub fn readiness_of(
    congress: &Congress,
    contest: &Contest,
    candidates: &[Candidate],
    scrutineers: &[String],
) -> Vec<Violation> {
    let profile = &congress.settings;
    let threshold = contest.def.threshold;
    match contest.kind {
        ContestKind::Election => {
            // A write-in person awaiting confirmation is reported once, clearly, instead of
            // through the rules their placeholder details break.
            let pending: Vec<&Candidate> = candidates.iter().filter(|c| unconfirmed(c)).collect();
            let mut out = check_contest_of(
                contest.def.kind_of_election().unwrap_or_default(),
                congress.level,
                contest.def.seats.unwrap_or(0),
                candidates,
                contest.def.margin_override.as_deref(),
                scrutineers,
                profile,
            );
            if !pending.is_empty() {
                out.retain(|v| !v.message.contains(UNCONFIRMED));
                for p in pending {
                    out.push(Violation {
                        rule: "E2".to_string(),
                        college: None,
                        required: 1,
                        found: 0,
                        message: format!(
                            "另选他人“{}”进入本轮投票: 请在候选人列表中“修改”, 填写其学号、学院等信息并确认后才能开始投票",
                            p.name
                        ),
                        warning: false,
                    });
                }
            }
            if threshold != profile.election_threshold {
                out.push(warning(
                    "F1",
                    format!(
                        "本选举的当选标准为“{}”，与大会规则设置“{}”不同；理由：{}",
                        threshold.zh(),
                        profile.election_threshold.zh(),
                        contest
                            .def
                            .threshold_reason
                            .as_deref()
                            .unwrap_or("(未填写)")
                    ),
                ));
            }
            out
        }
        // A review's rule H1 needs its definition: `review_problems`.
        ContestKind::Review => Vec::new(),
        ContestKind::Motion => {
            let Some(kind) = contest.def.motion_kind else {
                return vec![Violation {
                    rule: "F4".to_string(),
                    college: None,
                    required: 1,
                    found: 0,
                    message: "表决事项未选择类别(工作报告、章程修正案或其他)".to_string(),
                    warning: false,
                }];
            };
            let default = kind.default_threshold();
            let mut out = Vec::new();
            if kind == crate::domain::contest::MotionKind::Removal && candidates.len() != 1 {
                out.push(Violation {
                    rule: "I4".to_string(),
                    college: None,
                    required: 1,
                    found: candidates.len() as i64,
                    message: "罢免事项须指名一位主席团成员: 请在“闭会期间”页面提出罢免".to_string(),
                    warning: false,
                });
            }
            if threshold != default {
                out.push(warning(
                    "F4",
                    format!(
                        "本事项（{}）的通过标准为“{}”，规则F4的默认标准为“{}”；理由：{}",
                        kind.zh(),
                        threshold.zh(),
                        default.zh(),
                        contest
                            .def
                            .threshold_reason
                            .as_deref()
                            .unwrap_or("(未填写)")
                    ),
                ));
            }
            out
        }
    }
}

fn warning(rule: &str, message: String) -> Violation {
    Violation {
        rule: rule.to_string(),
        college: None,
        required: 0,
        found: 0,
        message,
        warning: true,
    }
}

/// A 述职评议 that cannot open: its definition breaks rule H1 (no persons yet, ...).
fn review_problems(conn: &mut DbConnection, contest: &Contest) -> ServiceResult<Vec<Violation>> {
    if contest.kind != ContestKind::Review {
        return Ok(Vec::new());
    }
    let def = reviews::get(conn, &contest.id)?.unwrap_or_default();
    Ok(def
        .check()
        .err()
        .map(|e| Violation {
            rule: "H1".to_string(),
            college: None,
            required: 0,
            found: 0,
            message: e.to_string(),
            warning: false,
        })
        .into_iter()
        .collect())
}

/// Ready to open: nothing but warnings.
pub fn is_ready(readiness: &[Violation]) -> bool {
    readiness.iter().all(|v| v.warning)
}

/// The 学号 of the congress's scrutineers who have one (G2).
fn scrutineer_nos(conn: &mut DbConnection, congress_id: &CongressId) -> ServiceResult<Vec<String>> {
    Ok(scrutineers::list(conn, congress_id)?
        .into_iter()
        .filter_map(|s| s.student_no)
        .collect())
}

/// A contest with its candidates (in ballot order) and its readiness.
#[derive(Debug, Clone, Serialize)]
pub struct ContestView {
    pub contest: Contest,
    pub candidates: Vec<Candidate>,
    /// Every problem and recorded override; the contest may open when none is an error
    /// ([`is_ready`]).
    pub readiness: Vec<Violation>,
}

impl ContestView {
    pub fn ready(&self) -> bool {
        is_ready(&self.readiness)
    }
}

/// One contest of `congress` with its candidates and readiness.
pub fn view(
    conn: &mut DbConnection,
    congress: &Congress,
    contest_id: &ContestId,
) -> ServiceResult<ContestView> {
    let contest = load(conn, &congress.id, contest_id)?;
    let scrutineers = scrutineer_nos(conn, &congress.id)?;
    let candidates = repo::candidates(conn, &contest.id)?;
    let mut readiness = readiness_of(congress, &contest, &candidates, &scrutineers);
    readiness.extend(review_problems(conn, &contest)?);
    readiness.extend(crate::service::term::by_election_check(
        conn, congress, &contest,
    )?);
    Ok(ContestView {
        contest,
        candidates,
        readiness,
    })
}

/// Every contest of `congress` in agenda order, with candidates and readiness.
pub fn agenda(conn: &mut DbConnection, congress: &Congress) -> ServiceResult<Vec<ContestView>> {
    let scrutineers = scrutineer_nos(conn, &congress.id)?;
    repo::list(conn, &congress.id)?
        .into_iter()
        .map(|contest| {
            let candidates = repo::candidates(conn, &contest.id)?;
            let mut readiness = readiness_of(congress, &contest, &candidates, &scrutineers);
            readiness.extend(review_problems(conn, &contest)?);
            readiness.extend(crate::service::term::by_election_check(
                conn, congress, &contest,
            )?);
            Ok(ContestView {
                contest,
                candidates,
                readiness,
            })
        })
        .collect()
}

/// The problems that keep contest `contest_id` from opening (and the recorded overrides, as
/// warnings).
pub fn readiness(
    conn: &mut DbConnection,
    congress_id: &CongressId,
    contest_id: &ContestId,
) -> ServiceResult<Vec<Violation>> {
    let congress = congress::load(conn, congress_id)?;
    Ok(view(conn, &congress, contest_id)?.readiness)
}

/// `Ok` when contest `contest_id` may open; otherwise every blocking problem, for the action
/// that opens a contest.
pub fn ensure_ready(
    conn: &mut DbConnection,
    congress_id: &CongressId,
    contest_id: &ContestId,
) -> ServiceResult<()> {
    let congress = congress::load(conn, congress_id)?;
    let v = view(conn, &congress, contest_id)?;
    if v.ready() {
        return Ok(());
    }
    let details = v
        .readiness
        .iter()
        .filter(|x| !x.warning)
        .map(|x| format!("规则{}：{}", x.rule, x.message))
        .collect();
    Err(invalid(
        &format!("“{}”尚不具备开始投票的条件", v.contest.def.title),
        details,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::contest::{ContestDefinition, ContestState, MotionKind};
    use crate::domain::settings::{Fraction, RuleProfile, Threshold, ThresholdBase};
    use crate::domain::state::CongressState;
    use crate::domain::types::Level;

    fn congress(level: Level) -> Congress {
        Congress {
            id: "c1".into(),
            name: "示范大学第十次学生代表大会".into(),
            school: "示范大学".into(),
            level,
            session_no: 10,
            date: "2026-12-01".into(),
            place: "大学生活动中心".into(),
            owner_id: "u1".into(),
            state: CongressState::Setup,
            settings: RuleProfile::default(),
            public_key_pem: None,
            key_fingerprint: None,
            created_at: 0,
            updated_at: 0,
        }
    }

    fn contest(kind: ContestKind, seats: Option<u32>, motion: Option<MotionKind>) -> Contest {
        Contest {
            id: "t1".into(),
            congress_id: "c1".into(),
            kind,
            def: ContestDefinition {
                title: "选举主席团成员".into(),
                body: String::new(),
                motion_kind: motion,
                seats,
                allow_write_in: false,
                threshold: Threshold::ORDINARY,
                margin_override: None,
                election_kind: None,
                threshold_reason: None,
            },
            agenda_order: 1,
            parent_id: None,
            round_kind: None,
            not_held_reason: None,
            state: ContestState::Draft,
            issued: None,
            expected: None,
            paper_issued: 0,
            opened_at: None,
            closed_at: None,
            cast_count: None,
            merkle_root: None,
            result: None,
            created_at: 0,
            updated_at: 0,
        }
    }

    fn cand(i: u32, name: &str) -> Candidate {
        Candidate {
            id: format!("k{i}"),
            name: name.into(),
            student_no: format!("20210101{i:02}"),
            college: "计算机学院".into(),
            gender: None,
            political_status: "共青团员".into(),
            rank_pct: Some(10),
            failed_courses: 0,
            eligibility_override: None,
            organiser_order: i,
        }
    }

    fn list(n: u32) -> Vec<Candidate> {
        let names = ["王芳", "李强", "张敏", "刘洋", "陈静", "杨帆", "赵雷"];
        (0..n).map(|i| cand(i + 1, names[i as usize % 7])).collect()
    }

    #[test]
    fn election_with_enough_eligible_candidates_is_ready() {
        let v = readiness_of(
            &congress(Level::School),
            &contest(ContestKind::Election, Some(5), None),
            &list(6),
            &[],
        );
        assert_eq!(v, Vec::<Violation>::new());
        assert!(is_ready(&v));
    }

    #[test]
    fn equal_election_needs_a_reason() {
        // 5 seats need max(6, ceil(6.0)) = 6 candidates; 5 is 等额.
        let mut t = contest(ContestKind::Election, Some(5), None);
        let v = readiness_of(&congress(Level::School), &t, &list(5), &[]);
        assert_eq!(v.len(), 1);
        assert_eq!(
            (v[0].rule.as_str(), v[0].required, v[0].found),
            ("C2", 6, 5)
        );
        assert!(!is_ready(&v));
        t.def.margin_override = Some("候选人经各学院充分酝酿，等额选举".into());
        let v = readiness_of(&congress(Level::School), &t, &list(5), &[]);
        assert_eq!(v.len(), 1);
        assert!(v[0].warning);
        assert!(v[0].message.contains("等额选举"), "{}", v[0].message);
        assert!(is_ready(&v));
    }

    #[test]
    fn college_level_seats_and_scrutineers() {
        // 院级 allows 3 seats; 4 is a C1 error. 2021010102 is also a scrutineer (G2).
        let v = readiness_of(
            &congress(Level::College),
            &contest(ContestKind::Election, Some(4), None),
            &list(5),
            &["2021010102".to_string()],
        );
        let rules: Vec<&str> = v.iter().map(|x| x.rule.as_str()).collect();
        assert_eq!(rules, vec!["C1", "G2"]);
        assert!(!is_ready(&v));
    }

    #[test]
    fn thresholds_differing_from_the_rules_are_warnings() {
        let mut m = contest(ContestKind::Motion, None, Some(MotionKind::Charter));
        let v = readiness_of(&congress(Level::School), &m, &[], &[]);
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].rule, "F4");
        assert!(v[0].warning);
        assert!(v[0].message.contains("达到2/3(含)"), "{}", v[0].message);
        m.def.threshold = Threshold::CHARTER;
        assert!(readiness_of(&congress(Level::School), &m, &[], &[]).is_empty());

        let mut e = contest(ContestKind::Election, Some(1), None);
        e.def.threshold = Threshold {
            base: ThresholdBase::ValidBallots,
            fraction: Fraction::new(1, 2, true),
        };
        let v = readiness_of(&congress(Level::School), &e, &list(2), &[]);
        assert_eq!(v.len(), 1);
        assert_eq!((v[0].rule.as_str(), v[0].warning), ("F1", true));
    }
}
