//! The congress-wide rules, once each college has its valid choice closest to the ranking:
//! women (B5) and main societies (B4), each fixed in the college where it costs the fewest
//! substitutions, never breaking a rule already met. Societies live in `societies`.

use std::cell::Cell;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::pool::{Pool, State};
use super::select::{solve, Solution};

mod societies;

/// One college's current choice.
#[derive(Debug, Clone)]
pub(super) struct Pick {
    pub sol: Solution,
    /// Nominees placed first: for a main society (its index), or `None` for B5.
    pub forced: Vec<(usize, Option<usize>)>,
}

/// Settles B5 then B4; if a society cannot be fitted that way, tries B4 first and then B5
/// (keeping the societies). Returns the choices, or the societies that could not be fitted.
pub(super) fn settle(
    pools: &[Pool],
    picks: Vec<Pick>,
    n_societies: usize,
    women_required: usize,
) -> Result<Vec<Pick>, Vec<usize>> {
    let mut first = Congress::new(pools, picks.clone(), n_societies);
    first.add_women(women_required, false);
    let given_up = first.cover_societies(women_required);
    if given_up.is_empty() {
        return Ok(first.picks);
    }
    let mut second = Congress::new(pools, picks, n_societies);
    if second.cover_societies(0).is_empty() && second.add_women(women_required, true) {
        return Ok(second.picks);
    }
    Err(given_up)
}

/// Every college's choice, with the congress-wide counts.
struct Congress<'p> {
    pools: &'p [Pool],
    picks: Vec<Pick>,
    /// Delegates per main society.
    cover: Vec<usize>,
    women: usize,
    /// Work left for the B4 search, in nominees examined (see [`WORK_PER_NOMINEE`]).
    budget: Cell<usize>,
}

/// The B4 search (which can branch) may examine about this many nominees per nominee of the
/// congress before giving up, so a hopeless case ends in bounded time. The B1-B3 and B5 steps
/// are exact and not limited.
const WORK_PER_NOMINEE: usize = 64;

impl<'p> Congress<'p> {
    fn new(pools: &'p [Pool], picks: Vec<Pick>, n_societies: usize) -> Self {
        let nominees: usize = pools.iter().map(|p| p.cands.len()).sum();
        let mut c = Congress {
            pools,
            women: picks.iter().map(|p| p.sol.women).sum(),
            picks,
            cover: vec![0; n_societies],
            budget: Cell::new(
                nominees
                    .saturating_mul(WORK_PER_NOMINEE)
                    .saturating_add(10_000),
            ),
        };
        for i in 0..pools.len() {
            c.count(i, true);
        }
        c
    }

    fn count(&mut self, i: usize, add: bool) {
        let pool = &self.pools[i];
        for &pos in &self.picks[i].sol.chosen {
            for &s in &pool.cands[pos].societies {
                if add {
                    self.cover[s] += 1;
                } else {
                    self.cover[s] -= 1;
                }
            }
        }
    }

    fn apply(&mut self, i: usize, pick: Pick) {
        self.count(i, false);
        self.women = self.women + pick.sol.women - self.picks[i].sol.women;
        self.picks[i] = pick;
        self.count(i, true);
    }

    /// What redoing college `i` as `sol` costs, smaller first: extra substitutions, then how
    /// high in the plain choice the best-ranked newly passed-over nominee stood (seats below
    /// them), so that among equal counts the nominee nearest the bottom gives way.
    fn cost(&self, i: usize, sol: &Solution) -> (i64, usize) {
        let old = &self.picks[i].sol;
        let extra = sol.swaps() as i64 - old.swaps() as i64;
        let quota = self.pools[i].quota;
        let harsh = sol
            .passed_over
            .iter()
            .filter(|(p, _)| !old.passed_over.iter().any(|(o, _)| o == p))
            .map(|(p, _)| quota - p)
            .max()
            .unwrap_or(0);
        (extra, harsh)
    }

    /// College `i`'s choice with one more woman; with `keep`, every society represented only
    /// in this college stays represented (a woman who belongs to it may take over).
    fn raise(&self, i: usize, keep: bool) -> Option<Pick> {
        let pool = &self.pools[i];
        let current = &self.picks[i].sol;
        let target = current.women + 1;
        if !keep {
            let sol = solve(pool, &[], target)?;
            return Some(Pick {
                sol,
                forced: Vec::new(),
            });
        }
        if let Some(pick) = self.fit(i, None, target, &[]) {
            return Some(pick);
        }
        // A woman who belongs to a society only this college represents may take it over.
        let alone = self.alone(i, &[]);
        (0..pool.cands.len())
            .filter(|&p| pool.cands[p].woman && current.chosen.binary_search(&p).is_err())
            .filter(|&p| pool.cands[p].societies.iter().any(|s| alone.contains(s)))
            .find_map(|p| self.fit(i, Some((p, None)), target, &[]))
    }

    /// B5: one more woman at a time in the college where that costs least (see [`Self::cost`],
    /// then enrolment order). Returns whether `required` was reached.
    fn add_women(&mut self, required: usize, keep: bool) -> bool {
        if self.women >= required {
            return true;
        }
        let max: Vec<usize> = self
            .pools
            .iter()
            .map(|p| State::new(p, 0).best_reachable().1)
            .collect();
        let mut next: Vec<Option<Pick>> = vec![None; self.pools.len()];
        let mut heap = BinaryHeap::new();
        // At most one offer per college is in the heap; `next` holds it.
        let offer = |c: &Self, i: usize, next: &mut [Option<Pick>], heap: &mut BinaryHeap<_>| {
            next[i] = None;
            if c.picks[i].sol.women >= max[i] {
                return;
            }
            if let Some(pick) = c.raise(i, keep) {
                heap.push(Reverse((c.cost(i, &pick.sol), i)));
                next[i] = Some(pick);
            }
        };
        for i in 0..self.pools.len() {
            offer(self, i, &mut next, &mut heap);
        }
        let mut stale = vec![false; self.pools.len()];
        while self.women < required {
            let Some(Reverse((cost, i))) = heap.pop() else {
                // No college can add a woman and keep its societies: let one hand a society
                // over to another college first.
                if keep && self.raise_by_moving_society() {
                    for j in 0..self.pools.len() {
                        offer(self, j, &mut next, &mut heap);
                    }
                    continue;
                }
                return false;
            };
            if stale[i] {
                // Society counts changed since this offer was made: make it again.
                stale[i] = false;
                offer(self, i, &mut next, &mut heap);
                if next[i]
                    .as_ref()
                    .is_some_and(|p| self.cost(i, &p.sol) > cost)
                {
                    continue;
                }
                heap.retain(|Reverse((_, j))| *j != i);
            }
            let Some(pick) = next[i].take() else { continue };
            self.apply(i, pick);
            if keep {
                stale.iter_mut().for_each(|s| *s = true);
            }
            offer(self, i, &mut next, &mut heap);
            stale[i] = false;
        }
        true
    }
}
