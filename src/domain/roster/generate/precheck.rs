//! Before choosing: B6 on the nominees, one ranked pool per college, and the shortfalls that no
//! choice can overcome, each with its exact figures.

use std::cmp::Reverse;
use std::collections::HashMap;

use super::pool::{Blocker, Cand, Pool, State, NO_GRADE};
use crate::domain::roster::index::{main_societies, CollegeIndex, GradeLookup};
use crate::domain::roster::is_ordinary;
use crate::domain::roster::rows::{check_rows, violation, Findings, RowRef, CONGRESS};
use crate::domain::roster::RosterRules;
use crate::domain::types::{Gender, Nominee};

/// The nominees sorted into colleges.
pub(super) struct Prepared<'a> {
    pub index: CollegeIndex<'a>,
    /// One pool per college of the index, same order.
    pub pools: Vec<Pool>,
    /// Main societies (B4), in configuration order.
    pub societies: Vec<&'a str>,
}

/// Checks B6 on the nominees and builds the ranked pools.
pub(super) fn prepare<'a>(
    nominees: &'a [Nominee],
    rules: &RosterRules<'a>,
) -> Result<Prepared<'a>, Findings> {
    let index = CollegeIndex::new(rules.enrolment, rules.quotas);
    let refs: Vec<RowRef> = nominees
        .iter()
        .enumerate()
        .map(|(pos, n)| RowRef {
            student: &n.student,
            row: Some(n.row),
            pos,
        })
        .collect();
    let checked = check_rows(&refs, &index);
    if !checked.findings.is_empty() {
        return Err(checked.findings);
    }
    let societies = main_societies(rules);
    let society_at: HashMap<&str, usize> =
        societies.iter().enumerate().map(|(i, s)| (*s, i)).collect();
    let mut pools: Vec<Pool> = index
        .colleges
        .iter()
        .enumerate()
        .map(|(c, info)| {
            let quota = info
                .quota
                .map_or(0, |q| usize::try_from(q).unwrap_or(usize::MAX));
            let grades = if info.grades_known {
                info.grades.len()
            } else {
                0
            };
            Pool {
                college: c,
                quota,
                ordinary_required: usize::try_from(rules.profile.ordinary_required(quota as u64))
                    .unwrap_or(usize::MAX),
                grades,
                cover: quota.min(grades),
                cands: Vec::new(),
            }
        })
        .collect();
    for (i, n) in nominees.iter().enumerate() {
        let Some(c) = checked.college[i] else {
            continue;
        };
        let s = &n.student;
        let grade = match checked.grade[i] {
            GradeLookup::Known(g) => g,
            _ => NO_GRADE,
        };
        let mut member: Vec<usize> = s
            .societies
            .iter()
            .filter_map(|name| society_at.get(name.trim()).copied())
            .collect();
        member.sort_unstable();
        member.dedup();
        pools[c].cands.push(Cand {
            nominee: i,
            grade,
            ordinary: is_ordinary(s, rules.cadre_roles),
            woman: s.gender == Gender::Female,
            societies: member,
        });
    }
    for pool in &mut pools {
        pool.cands.sort_by(|a, b| {
            let (x, y) = (&nominees[a.nominee], &nominees[b.nominee]);
            (Reverse(x.votes), x.row, &x.student.student_no).cmp(&(
                Reverse(y.votes),
                y.row,
                &y.student.student_no,
            ))
        });
    }
    Ok(Prepared {
        index,
        pools,
        societies,
    })
}

/// One college's shortfalls that no choice overcomes (B1, B3, B2, in that order).
pub(super) fn college_shortfalls(pool: &Pool, index: &CollegeIndex, findings: &mut Findings) {
    let info = &index.colleges[pool.college];
    let name = info.name;
    let c = pool.college;
    let (q, n) = (pool.quota, pool.cands.len());
    let before = findings.len();
    let mut push = |rule: u8, required: usize, found: usize, msg: String| {
        findings.push(
            rule,
            c,
            violation(rule, Some(name), required as u64, found as u64, msg),
        );
    };
    if n < q {
        push(
            1,
            q,
            n,
            format!("{name}名额{q}名, 推荐人选只有{n}名, 少{}名", q - n),
        );
    }
    let mut has = vec![false; pool.grades];
    let mut has_ordinary = vec![false; pool.grades];
    for cand in pool.cands.iter().filter(|c| c.grade != NO_GRADE) {
        has[cand.grade] = true;
        has_ordinary[cand.grade] |= cand.ordinary;
    }
    let with = has.iter().filter(|&&h| h).count();
    let names = |pick: &dyn Fn(usize) -> bool| -> String {
        let list: Vec<&str> = (0..pool.grades)
            .filter(|&g| pick(g))
            .map(|g| info.grades[g])
            .collect();
        list.join("、")
    };
    if pool.cover == pool.grades && with < pool.grades {
        let missing = names(&|g| !has[g]);
        let msg = format!(
            "{name}有学生的{}个年级都应有代表, 但{missing}没有推荐人选",
            pool.grades
        );
        push(3, pool.grades, with, msg);
    } else if pool.cover < pool.grades && with < pool.cover {
        let msg = format!("{name}名额{q}名, 应来自{q}个不同年级, 但推荐人选只来自{with}个年级");
        push(3, pool.cover, with, msg);
    }
    let ordinary = pool.cands.iter().filter(|c| c.ordinary).count();
    if ordinary < pool.ordinary_required {
        let msg = format!(
            "{name}需要至少{}名普通同学代表, 推荐人选中只有{ordinary}名普通同学",
            pool.ordinary_required
        );
        push(2, pool.ordinary_required, ordinary, msg);
    }
    if findings.len() > before {
        return;
    }
    let state = State::new(pool, 0);
    if state.check() != Err(Blocker::Ordinary) {
        // Only B2 with B3 together is left; the exact test says otherwise, so the choice cannot
        // have failed. Refuse plainly if it ever does.
        let msg = format!("{name}未能生成满足规则B1-B3的代表名单(名额{q}名, 推荐人选{n}名)");
        findings.push(7, c, violation(7, Some(name), q as u64, 0, msg));
        return;
    }
    // Each figure alone suffices, but not together: covering the grades costs ordinary seats.
    let (best_ordinary, _) = state.best_reachable();
    let why = if pool.cover == pool.grades {
        let only_cadres = names(&|g| has[g] && !has_ordinary[g]);
        format!("{only_cadres}只有学生会骨干推荐人选, 为覆盖各年级须选入学生会骨干")
    } else {
        let k = has_ordinary.iter().filter(|&&h| h).count();
        format!("{q}名代表须来自{q}个不同年级, 有普通同学推荐人选的年级只有{k}个")
    };
    let required = pool.ordinary_required;
    let msg = format!(
        "{name}需要至少{required}名普通同学代表, 但{why}, 最多只能有{best_ordinary}名普通同学"
    );
    let v = violation(2, Some(name), required as u64, best_ordinary as u64, msg);
    findings.push(2, c, v);
}

/// Congress-wide shortfalls no choice overcomes: main societies without any nominee (B4) and
/// too few women (B5). `exact` says every college is feasible, so the women bound is the exact
/// maximum under each college's rules; otherwise it is "every woman nominee up to the quota".
pub(super) fn congress_shortfalls(
    prepared: &Prepared,
    women_required: usize,
    total_seats: usize,
    pct: u32,
    exact: bool,
    findings: &mut Findings,
) -> usize {
    for (k, name) in prepared.societies.iter().enumerate() {
        let any = prepared
            .pools
            .iter()
            .any(|p| p.cands.iter().any(|c| c.societies.contains(&k)));
        if !any {
            let msg = format!("主要学生社团\"{name}\"没有推荐人选, 无法保证至少1名代表");
            findings.push(4, CONGRESS, violation(4, None, 1, 0, msg));
        }
    }
    let reachable: usize = prepared
        .pools
        .iter()
        .map(|p| {
            if exact {
                State::new(p, 0).best_reachable().1
            } else {
                p.cands.iter().filter(|c| c.woman).count().min(p.quota)
            }
        })
        .sum();
    if reachable < women_required {
        let how = if exact {
            "在满足各学院名额、普通同学比例和年级覆盖的前提下, 推荐人选最多只能选出"
        } else {
            "推荐人选中的女同学即使全部入选, 也最多只有"
        };
        let msg = format!(
            "全体{total_seats}名代表中女代表至少应有{women_required}名({pct}%), {how}{reachable}名女代表, 差{}名",
            women_required - reachable
        );
        let v = violation(5, None, women_required as u64, reachable as u64, msg);
        findings.push(5, CONGRESS, v);
    }
    reachable
}
