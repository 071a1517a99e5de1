//! Saying, in Chinese, who replaced whom in each college and which rule required it.

use super::congress::Pick;
use super::pool::{Blocker, Cand, Pool};
use super::Substitution;
use crate::domain::roster::index::CollegeIndex;
use crate::domain::types::Nominee;

/// Figures the explanations quote.
pub(super) struct Context<'a> {
    pub nominees: &'a [Nominee],
    pub index: &'a CollegeIndex<'a>,
    pub societies: &'a [&'a str],
    pub total_seats: usize,
    pub women_required: usize,
    /// Women among the plain choice (every college's top nominees by votes).
    pub plain_women: usize,
}

fn rule_of(b: Blocker) -> &'static str {
    match b {
        Blocker::Seats => "B4",
        Blocker::Grades => "B3",
        Blocker::Ordinary => "B2",
        Blocker::Women => "B5",
    }
}

/// The substitutions of one college: each nominee within the quota who was passed over (in
/// rank order) is paired with the highest-ranked newcomer that serves the same rule (or, when
/// none does, the highest-ranked newcomer left).
pub(super) fn explain(pool: &Pool, pick: &Pick, cx: &Context) -> Vec<Substitution> {
    let q = pool.quota.min(pool.cands.len());
    let plain = &pool.cands[..q];
    let mut covered_plain = vec![false; pool.grades];
    for c in plain.iter().filter(|c| c.grade < pool.grades) {
        covered_plain[c.grade] = true;
    }
    let forced_for = |pos: usize| pick.forced.iter().find(|f| f.0 == pos).map(|f| f.1);
    // A nominee passed over because the seats went to nominees placed first answers to the
    // rule those were placed for: a main society (B4) or the women's share (B5).
    let rule = |removed_for: Blocker, added: usize| match (removed_for, forced_for(added)) {
        (Blocker::Seats, Some(None)) => Blocker::Women,
        (b, _) => b,
    };
    let serves = |pos: usize, b: Blocker| {
        let c = &pool.cands[pos];
        match b {
            Blocker::Ordinary => c.ordinary,
            Blocker::Grades => c.grade < pool.grades && !covered_plain[c.grade],
            Blocker::Women => c.woman,
            Blocker::Seats => forced_for(pos).is_some(),
        }
    };
    let mut added: Vec<Option<usize>> = pick
        .sol
        .chosen
        .iter()
        .copied()
        .filter(|&p| p >= q)
        .map(Some)
        .collect();
    let mut out = Vec::new();
    let mut mentioned = 0;
    for &(removed, blocker) in &pick.sol.passed_over {
        let slot = added
            .iter()
            .position(|a| a.is_some_and(|p| serves(p, blocker)))
            .or_else(|| added.iter().position(Option::is_some));
        let Some(pos) = slot.and_then(|i| added[i].take()) else {
            continue;
        };
        let blocker = rule(blocker, pos);
        let mut why = reason(pool, pick, cx, blocker, pos, &covered_plain);
        // Also name those ranked between the plain choice and the newcomer who were passed
        // over, each once, so nobody is skipped without a reason.
        let skipped = &pick.sol.skipped;
        let upto = mentioned
            + skipped[mentioned..]
                .iter()
                .take_while(|(p, _)| *p < pos)
                .count();
        for &(p, b) in skipped[mentioned..upto].iter().take(MENTIONED) {
            let n = &cx.nominees[pool.cands[p].nominee];
            why.push_str(&format!(
                "; 排在前面的第{}名{}({}票)未入选: 规则{}({})",
                p + 1,
                n.student.name.trim(),
                n.votes,
                rule_of(b),
                topic(b)
            ));
        }
        if upto - mentioned > MENTIONED {
            why.push_str(&format!("……等共{}人", upto - mentioned));
        }
        mentioned = upto;
        out.push(substitution(
            pool,
            cx,
            Some(removed),
            pos,
            rule_of(blocker),
            why,
        ));
    }
    for pos in added.into_iter().flatten() {
        // Not reached when the college has at least `quota` nominees; kept so no newcomer goes
        // unexplained.
        let why = "补足名额".to_string();
        out.push(substitution(pool, cx, None, pos, "B1", why));
    }
    out
}

/// How many of the nominees passed over between the plain choice and a newcomer are named.
const MENTIONED: usize = 3;

/// What each rule is about, for short mentions.
fn topic(b: Blocker) -> &'static str {
    match b {
        Blocker::Seats => "主要学生社团",
        Blocker::Grades => "年级覆盖",
        Blocker::Ordinary => "普通同学比例",
        Blocker::Women => "女代表比例",
    }
}

fn substitution(
    pool: &Pool,
    cx: &Context,
    removed: Option<usize>,
    added: usize,
    rule: &str,
    why: String,
) -> Substitution {
    let college = cx.index.colleges[pool.college].name;
    let person = |pos: usize| {
        let c = &pool.cands[pos];
        let n = &cx.nominees[c.nominee];
        format!(
            "第{}名{}({}票, {})",
            pos + 1,
            n.student.name.trim(),
            n.votes,
            describe(c, n)
        )
    };
    let reason = match removed {
        Some(r) => format!(
            "{college}: {}未入选, 由{}替补。{why}",
            person(r),
            person(added)
        ),
        None => format!("{college}: {}入选。{why}", person(added)),
    };
    let added_n = &cx.nominees[pool.cands[added].nominee];
    let removed_n = removed.map(|r| &cx.nominees[pool.cands[r].nominee]);
    Substitution {
        college: college.to_string(),
        rule: rule.to_string(),
        removed: removed_n.map(|n| n.student.clone()),
        added: added_n.student.clone(),
        reason,
        removed_rank: removed.map(|r| r as u64 + 1),
        added_rank: added as u64 + 1,
        removed_votes: removed_n.map(|n| n.votes),
        added_votes: added_n.votes,
    }
}

fn describe(c: &Cand, n: &Nominee) -> String {
    let role = if c.ordinary {
        "普通同学".to_string()
    } else {
        format!(
            "学生会骨干: {}",
            n.student.union_role.as_deref().unwrap_or("").trim()
        )
    };
    let gender = if c.woman { "女" } else { "男" };
    format!("{}, {gender}, {role}", n.student.grade.trim())
}

fn reason(
    pool: &Pool,
    pick: &Pick,
    cx: &Context,
    blocker: Blocker,
    added: usize,
    covered_plain: &[bool],
) -> String {
    let info = &cx.index.colleges[pool.college];
    let college = info.name;
    let q = pool.quota;
    let plain = &pool.cands[..q.min(pool.cands.len())];
    match blocker {
        Blocker::Ordinary => format!(
            "规则B2: {college}{q}名代表中普通同学至少应有{}名, 按得票取前{q}名只有{}名普通同学",
            pool.ordinary_required,
            plain.iter().filter(|c| c.ordinary).count()
        ),
        Blocker::Grades if pool.cover < pool.grades => format!(
            "规则B3: 名额{q}名少于年级数{}个, {q}名代表应来自{q}个不同年级, 按得票取前{q}名只覆盖{}个年级",
            pool.grades,
            covered_plain.iter().filter(|&&b| b).count()
        ),
        Blocker::Grades => {
            let missing: Vec<&str> = (0..pool.grades)
                .filter(|&g| !covered_plain[g])
                .map(|g| info.grades[g])
                .collect();
            if missing.is_empty() {
                "规则B3: 有学生的每个年级至少应有1名代表".to_string()
            } else {
                format!(
                    "规则B3: 有学生的每个年级至少应有1名代表, 按得票取前{q}名时{}没有代表",
                    missing.join("、")
                )
            }
        }
        Blocker::Women => format!(
            "规则B5: 全体{}名代表中女代表至少应有{}名, 各学院按得票直接选取只有{}名, 在改动最少的学院补足",
            cx.total_seats, cx.women_required, cx.plain_women
        ),
        Blocker::Seats => {
            let society = pick
                .forced
                .iter()
                .find(|f| f.0 == added && f.1.is_some())
                .or(pick.forced.iter().find(|f| f.1.is_some()))
                .and_then(|f| f.1)
                .and_then(|s| cx.societies.get(s))
                .copied()
                .unwrap_or("");
            format!("规则B4: 主要学生社团\"{society}\"至少应有1名代表, 先保证该社团成员入选")
        }
    }
}
