//! Choosing one college's delegates: down the ranking, taking each nominee unless taking them
//! would leave the rules impossible to meet (B1-B3, a women target, nominees placed first).

use super::pool::{Blocker, Pool, State};

/// One college's choice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Solution {
    /// Positions in the pool's ranking, ascending.
    pub chosen: Vec<usize>,
    /// Nominees within the quota by rank (the plain choice) who were passed over, with the
    /// rule that would have become impossible, in rank order.
    pub passed_over: Vec<(usize, Blocker)>,
    /// Nominees below the quota by rank who were passed over although a lower-ranked nominee
    /// was taken, with the rule, in rank order.
    pub skipped: Vec<(usize, Blocker)>,
    pub women: usize,
}

impl Solution {
    /// Substitutions against the plain ranking.
    pub fn swaps(&self) -> usize {
        self.passed_over.len()
    }
}

/// The choice that keeps the highest-ranked nominees possible: `forced` nominees are placed
/// first (for B4), then each nominee in rank order is taken unless the rest could then no
/// longer satisfy the rules. Because the test in [`State::check`] is exact, this finds a choice
/// whenever one exists; `None` means none exists with these nominees placed first.
pub(super) fn solve(pool: &Pool, forced: &[usize], women_target: usize) -> Option<Solution> {
    let mut state = State::new(pool, women_target);
    let mut is_forced = vec![false; pool.cands.len()];
    let mut chosen = Vec::with_capacity(pool.quota);
    for &f in forced {
        if f >= pool.cands.len() || is_forced[f] {
            continue;
        }
        is_forced[f] = true;
        state.withdraw(&pool.cands[f]);
        state.take(&pool.cands[f]);
        chosen.push(f);
    }
    if state.check().is_err() {
        return None;
    }
    let mut passed_over = Vec::new();
    let mut skipped = Vec::new();
    for (pos, cand) in pool.cands.iter().enumerate() {
        if is_forced[pos] {
            continue;
        }
        if state.taken == pool.quota {
            if pos >= pool.quota {
                break;
            }
            passed_over.push((pos, Blocker::Seats));
            continue;
        }
        state.withdraw(cand);
        let newly = state.take(cand);
        if let Err(blocker) = state.check() {
            // Every completion avoids this nominee, so the rest stays completable without them.
            state.untake(cand, newly);
            if pos < pool.quota {
                passed_over.push((pos, blocker));
            } else {
                skipped.push((pos, blocker));
            }
        } else {
            chosen.push(pos);
        }
    }
    if chosen.len() != pool.quota {
        return None;
    }
    chosen.sort_unstable();
    // Only those ranked above someone taken were really passed over.
    let last = chosen.last().copied().unwrap_or(0);
    skipped.retain(|&(pos, _)| pos < last);
    Some(Solution {
        chosen,
        passed_over,
        skipped,
        women: state.women,
    })
}
