//! B4: a delegate for every main society, placed where it costs the fewest substitutions,
//! keeping every college's rules, the women's total and the societies already represented.
//!
//! Societies with the fewest members are placed first. When a society fits nowhere directly,
//! a short chain is tried, as augmenting paths are in matching: place its member in a college
//! where that displaces the only delegate of another society, and place that other society
//! elsewhere (up to [`CHAIN`] links); failing that, place it with fewer women in its college
//! and make the women up elsewhere. Covering is hard in general, so this can still miss a
//! contrived arrangement; the refusal then says the members could not be fitted.

use super::{solve, Congress, Pick, Solution, State};

/// How many combinations of society keepers [`Congress::fit`] tries before giving up.
const KEEPER_TRIES: usize = 64;

/// Longest chain of displaced societies tried.
const CHAIN: usize = 2;

fn places(forced: &[(usize, Option<usize>)]) -> Vec<usize> {
    forced.iter().map(|f| f.0).collect()
}

impl Congress<'_> {
    /// Gives every main society a delegate; returns those that could not be fitted.
    pub(super) fn cover_societies(&mut self, women_required: usize) -> Vec<usize> {
        let n = self.cover.len();
        let mut members = vec![0usize; n];
        for c in self.pools.iter().flat_map(|p| &p.cands) {
            for &s in &c.societies {
                members[s] += 1;
            }
        }
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by_key(|&s| (members[s], s));
        let mut given_up = vec![false; n];
        while let Some(&s) = order.iter().find(|&&s| self.cover[s] == 0 && !given_up[s]) {
            let mut changed = vec![false; self.pools.len()];
            if !self.cover_one(s, women_required, CHAIN, &mut changed) {
                given_up[s] = true;
            }
        }
        (0..n).filter(|&s| given_up[s]).collect()
    }

    /// Places a member of society `s`: directly where cheapest ([`Congress::cost`], then
    /// enrolment order), else through a chain of at most `depth` displaced societies, else by
    /// trading women. Colleges in `changed` are not touched again. Leaves everything as it was
    /// when it fails.
    fn cover_one(
        &mut self,
        s: usize,
        women_required: usize,
        depth: usize,
        changed: &mut [bool],
    ) -> bool {
        let slack = self.women.saturating_sub(women_required);
        let mut best: Option<((i64, usize), usize, Pick)> = None;
        for i in (0..self.pools.len()).filter(|&i| !changed[i]) {
            let target = self.picks[i].sol.women.saturating_sub(slack);
            let found = self
                .members(i, s)
                .into_iter()
                .find_map(|p| self.fit(i, Some((p, Some(s))), target, &[]));
            if let Some(pick) = found {
                let cost = self.cost(i, &pick.sol);
                if best.as_ref().is_none_or(|b| cost < b.0) {
                    best = Some((cost, i, pick));
                }
            }
        }
        if let Some((_, i, pick)) = best {
            self.apply(i, pick);
            return true;
        }
        if depth == 0 {
            return false;
        }
        for i in 0..self.pools.len() {
            if changed[i] {
                continue;
            }
            let target = self.picks[i].sol.women.saturating_sub(slack);
            for t in self.alone(i, &[]) {
                for p in self.members(i, s) {
                    let Some(pick) = self.fit(i, Some((p, Some(s))), target, &[t]) else {
                        continue;
                    };
                    let before = self.picks[i].clone();
                    self.apply(i, pick);
                    changed[i] = true;
                    if self.cover[t] > 0 || self.cover_one(t, women_required, depth - 1, changed) {
                        return true;
                    }
                    changed[i] = false;
                    self.apply(i, before);
                }
            }
        }
        self.trade_women(s, women_required, changed)
    }

    /// One more woman in some college that has to give up the only delegate of a society,
    /// which another college then seats (without losing women). Returns whether it worked;
    /// leaves everything as it was when it did not.
    pub(super) fn raise_by_moving_society(&mut self) -> bool {
        for j in 0..self.pools.len() {
            let target = self.picks[j].sol.women + 1;
            for t in self.alone(j, &[]) {
                let Some(pick) = self.fit(j, None, target, &[t]) else {
                    continue;
                };
                let before = self.picks[j].clone();
                self.apply(j, pick);
                let mut changed = vec![false; self.pools.len()];
                changed[j] = true;
                let women = self.women;
                if self.cover[t] > 0 || self.cover_one(t, women, CHAIN - 1, &mut changed) {
                    return true;
                }
                self.apply(j, before);
            }
        }
        false
    }

    /// Places a member of `s` in a college with fewer women than before and makes up the
    /// women in other colleges (keeping their societies). Leaves everything as it was when it
    /// fails.
    fn trade_women(&mut self, s: usize, women_required: usize, changed: &mut [bool]) -> bool {
        let slack = self.women.saturating_sub(women_required);
        for i in 0..self.pools.len() {
            let target = self.picks[i].sol.women.saturating_sub(slack);
            if changed[i] || target == 0 {
                continue;
            }
            for p in self.members(i, s) {
                // The most women this college can have with `p` seated (exact); the direct
                // attempt already failed at `target`.
                let mut state = State::new(&self.pools[i], 0);
                state.withdraw(&self.pools[i].cands[p]);
                state.take(&self.pools[i].cands[p]);
                if state.check().is_err() {
                    continue;
                }
                let t = state.best_reachable().1.min(target - 1);
                let Some(pick) = self.fit(i, Some((p, Some(s))), t, &[]) else {
                    continue;
                };
                let before = self.picks[i].clone();
                self.apply(i, pick);
                changed[i] = true;
                if self.make_up_women(women_required, changed) {
                    return true;
                }
                changed[i] = false;
                self.apply(i, before);
            }
        }
        false
    }

    /// Raises women in colleges not in `changed` (keeping their societies) until there are
    /// `women_required`, cheapest first; on failure undoes what it did.
    fn make_up_women(&mut self, women_required: usize, changed: &[bool]) -> bool {
        let mut undo = Vec::new();
        while self.women < women_required {
            let best = (0..self.pools.len())
                .filter(|&j| !changed[j])
                .filter_map(|j| self.raise(j, true).map(|p| (self.cost(j, &p.sol), j, p)))
                .min_by_key(|(cost, j, _)| (*cost, *j));
            let Some((_, j, pick)) = best else {
                for (j, old) in undo.into_iter().rev() {
                    self.apply(j, old);
                }
                return false;
            };
            undo.push((j, self.picks[j].clone()));
            self.apply(j, pick);
        }
        true
    }

    /// [`solve`] for the B4 search, charged to the work budget; `None` once it is spent.
    fn charged_solve(&self, i: usize, forced: &[usize], women_target: usize) -> Option<Solution> {
        let cost = self.pools[i].cands.len().max(1);
        let left = self.budget.get().checked_sub(cost)?;
        self.budget.set(left);
        solve(&self.pools[i], forced, women_target)
    }

    /// Positions of society `s`'s members in college `i`, in rank order.
    fn members(&self, i: usize, s: usize) -> Vec<usize> {
        let cands = &self.pools[i].cands;
        (0..cands.len())
            .filter(|&p| cands[p].societies.contains(&s))
            .collect()
    }

    /// Societies represented only by college `i`'s delegates, except those in `spared`.
    pub(super) fn alone(&self, i: usize, spared: &[usize]) -> Vec<usize> {
        let pool = &self.pools[i];
        let mut here = vec![0usize; self.cover.len()];
        for &pos in &self.picks[i].sol.chosen {
            for &s in &pool.cands[pos].societies {
                here[s] += 1;
            }
        }
        (0..self.cover.len())
            .filter(|&s| here[s] > 0 && here[s] == self.cover[s] && !spared.contains(&s))
            .collect()
    }

    /// Redoes college `i`'s choice with `newcomer` placed first and at least `women_target`
    /// women, so that every society represented only in this college (except the newcomer's
    /// and those in `release`) stays represented. First the plain redo is tried; then, for each
    /// such society, one of its members in the college is placed first too: the current
    /// delegates first, then the other members, each in rank order (at most [`KEEPER_TRIES`]
    /// combinations).
    pub(super) fn fit(
        &self,
        i: usize,
        newcomer: Option<(usize, Option<usize>)>,
        women_target: usize,
        release: &[usize],
    ) -> Option<Pick> {
        let pool = &self.pools[i];
        let current = &self.picks[i].sol;
        let mut spared: Vec<usize> = release.to_vec();
        if let Some((p, _)) = newcomer {
            spared.extend(&pool.cands[p].societies);
        }
        let alone = self.alone(i, &spared);
        let base: Vec<(usize, Option<usize>)> = newcomer.into_iter().collect();
        if let Some(sol) = self.charged_solve(i, &places(&base), women_target) {
            let kept = |s: &usize| {
                sol.chosen
                    .iter()
                    .any(|&p| pool.cands[p].societies.contains(s))
            };
            if alone.iter().all(kept) {
                return Some(Pick { sol, forced: base });
            }
        }
        if alone.is_empty() {
            return None;
        }
        let keepers: Vec<Vec<usize>> = alone
            .iter()
            .map(|&s| {
                let (mut now, later): (Vec<usize>, Vec<usize>) = self
                    .members(i, s)
                    .into_iter()
                    .partition(|p| current.chosen.binary_search(p).is_ok());
                now.extend(later);
                now
            })
            .collect();
        let mut at = vec![0usize; keepers.len()];
        for _ in 0..KEEPER_TRIES {
            let mut forced = base.clone();
            for (k, &s) in alone.iter().enumerate() {
                let pos = keepers[k][at[k]];
                if !forced.iter().any(|f| f.0 == pos) {
                    forced.push((pos, Some(s)));
                }
            }
            if let Some(sol) = self.charged_solve(i, &places(&forced), women_target) {
                return Some(Pick { sol, forced });
            }
            // Next combination (odometer, last society fastest).
            let k = (0..at.len())
                .rev()
                .find(|&k| at[k] + 1 < keepers[k].len())?;
            at[k] += 1;
            at[k + 1..].iter_mut().for_each(|a| *a = 0);
        }
        None
    }
}
