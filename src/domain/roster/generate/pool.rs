//! One college's nominees in rank order, and the exact test of whether a partial choice can
//! still be completed so that B1 (exactly the quota), B2 (ordinary share), B3 (grades covered)
//! and a target number of women all hold.
//!
//! Why the test is exact: only a nominee's grade, ordinary/cadre status and gender matter to
//! these rules. A completion takes one representative from each grade it must newly cover and
//! fills the other slots freely. An ordinary woman dominates every other kind and a cadre man
//! is dominated by every other kind, so a grade that has an ordinary woman left is best
//! represented by her, and the only real choice is, for grades that have ordinary men and cadre
//! women but no ordinary woman, how many are represented by which kind: the test tries every
//! split (at most the number of grades) and fills the free slots in dominance order.

/// Grade index of a nominee when the congress tracks no grades.
pub(super) const NO_GRADE: usize = usize::MAX;

/// Kinds of nominee, as indices: ordinary woman, ordinary man, cadre woman, cadre man.
const OW: usize = 0;
const OM: usize = 1;
const CW: usize = 2;
const CM: usize = 3;

/// A nominee as the generator sees them.
#[derive(Debug, Clone)]
pub(super) struct Cand {
    /// Index into the caller's nominee list.
    pub nominee: usize,
    /// Grade index in the college, or [`NO_GRADE`].
    pub grade: usize,
    pub ordinary: bool,
    pub woman: bool,
    /// Main societies (B4) the nominee belongs to, as indices.
    pub societies: Vec<usize>,
}

impl Cand {
    fn kind(&self) -> usize {
        match (self.ordinary, self.woman) {
            (true, true) => OW,
            (true, false) => OM,
            (false, true) => CW,
            (false, false) => CM,
        }
    }
}

/// One college's nominees ranked by votes (desc), then file row, then student number.
#[derive(Debug)]
pub(super) struct Pool {
    /// Index of the college in the congress's college list.
    pub college: usize,
    /// B1 quota.
    pub quota: usize,
    /// B2: ceil(pct x quota).
    pub ordinary_required: usize,
    /// Grades with students.
    pub grades: usize,
    /// B3: distinct grades required, min(quota, grades).
    pub cover: usize,
    pub cands: Vec<Cand>,
}

/// The first rule that a partial choice can no longer satisfy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Blocker {
    /// Every seat is already taken (by nominees placed first for a society, B4).
    Seats,
    /// B3.
    Grades,
    /// B2.
    Ordinary,
    /// B5 (the college's share of the congress-wide target).
    Women,
}

/// Uncovered grades by what they still offer: 0 nothing, 1 an ordinary woman, 2 ordinary men
/// and cadre women (no ordinary woman), 3 ordinary men only (besides cadre men), 4 cadre women
/// only (besides cadre men), 5 cadre men only.
fn category(left: &[usize; 4]) -> usize {
    if left[OW] > 0 {
        1
    } else if left[OM] > 0 && left[CW] > 0 {
        2
    } else if left[OM] > 0 {
        3
    } else if left[CW] > 0 {
        4
    } else if left[CM] > 0 {
        5
    } else {
        0
    }
}

/// A partial choice: who is taken, and who is still available.
pub(super) struct State<'p> {
    pool: &'p Pool,
    women_target: usize,
    pub taken: usize,
    ordinary: usize,
    pub women: usize,
    covered: Vec<bool>,
    n_covered: usize,
    left: Vec<[usize; 4]>,
    left_total: [usize; 4],
    cats: [usize; 6],
}

impl<'p> State<'p> {
    /// Nothing taken, everyone available.
    pub fn new(pool: &'p Pool, women_target: usize) -> Self {
        let mut left = vec![[0usize; 4]; pool.grades];
        let mut left_total = [0usize; 4];
        for c in &pool.cands {
            left_total[c.kind()] += 1;
            if c.grade != NO_GRADE {
                left[c.grade][c.kind()] += 1;
            }
        }
        let mut cats = [0usize; 6];
        for l in &left {
            cats[category(l)] += 1;
        }
        State {
            pool,
            women_target,
            taken: 0,
            ordinary: 0,
            women: 0,
            covered: vec![false; pool.grades],
            n_covered: 0,
            left,
            left_total,
            cats,
        }
    }

    /// Makes a nominee unavailable (before taking them, or when passing them over).
    pub fn withdraw(&mut self, c: &Cand) {
        let k = c.kind();
        self.left_total[k] -= 1;
        if c.grade != NO_GRADE {
            let g = c.grade;
            if !self.covered[g] {
                self.cats[category(&self.left[g])] -= 1;
            }
            self.left[g][k] -= 1;
            if !self.covered[g] {
                self.cats[category(&self.left[g])] += 1;
            }
        }
    }

    /// Takes a withdrawn nominee; returns whether their grade became covered (for [`Self::untake`]).
    pub fn take(&mut self, c: &Cand) -> bool {
        self.taken += 1;
        self.ordinary += c.ordinary as usize;
        self.women += c.woman as usize;
        if c.grade != NO_GRADE && !self.covered[c.grade] {
            self.cats[category(&self.left[c.grade])] -= 1;
            self.covered[c.grade] = true;
            self.n_covered += 1;
            return true;
        }
        false
    }

    /// Undoes [`Self::take`] (the nominee stays withdrawn).
    pub fn untake(&mut self, c: &Cand, newly_covered: bool) {
        self.taken -= 1;
        self.ordinary -= c.ordinary as usize;
        self.women -= c.woman as usize;
        if newly_covered {
            self.covered[c.grade] = false;
            self.n_covered -= 1;
            self.cats[category(&self.left[c.grade])] += 1;
        }
    }

    /// Whether every seat can still be filled from the available nominees so that the rules
    /// hold; otherwise the first rule (in the order seats, B3, B2, women) that cannot.
    pub fn check(&self) -> Result<(), Blocker> {
        let q = self.pool.quota;
        if self.taken > q {
            return Err(Blocker::Seats);
        }
        let m = q - self.taken;
        if self.left_total.iter().sum::<usize>() < m {
            return Err(Blocker::Seats);
        }
        let u = self.pool.cover.saturating_sub(self.n_covered);
        if u > m || self.cats[1..].iter().sum::<usize>() < u {
            return Err(Blocker::Grades);
        }
        let need_ordinary = self.pool.ordinary_required.saturating_sub(self.ordinary);
        if self.max_ordinary(m, u) < need_ordinary {
            return Err(Blocker::Ordinary);
        }
        let need_women = self.women_target.saturating_sub(self.women);
        if need_women > 0 && self.max_women(m, u, need_ordinary) < need_women {
            return Err(Blocker::Women);
        }
        Ok(())
    }

    /// The most ordinary delegates and the most women a completion can reach (with B2 and B3
    /// kept), counting those already taken. Meaningful when [`Self::check`] passes.
    pub fn best_reachable(&self) -> (usize, usize) {
        let m = self.pool.quota.saturating_sub(self.taken);
        let u = self.pool.cover.saturating_sub(self.n_covered);
        let need_ordinary = self.pool.ordinary_required.saturating_sub(self.ordinary);
        (
            self.ordinary + self.max_ordinary(m, u),
            self.women + self.max_women(m, u, need_ordinary),
        )
    }

    /// With every grade required (quota >= grades) the `u` reps cover all uncovered grades and
    /// `m - u` slots are free; otherwise (quota < grades) `m == u` and every slot is a rep of a
    /// distinct grade.
    fn all_grades(&self) -> bool {
        self.pool.cover == self.pool.grades
    }

    fn max_ordinary(&self, m: usize, u: usize) -> usize {
        let c = &self.cats;
        if self.all_grades() {
            // Grades offering no ordinary nominee force a cadre rep each.
            let ordinary_left = self.left_total[OW] + self.left_total[OM];
            ordinary_left.min(m.saturating_sub(c[4] + c[5]))
        } else {
            u.min(c[1] + c[2] + c[3])
        }
    }

    fn max_women(&self, m: usize, u: usize, need_ordinary: usize) -> usize {
        let c = &self.cats;
        if !self.all_grades() {
            // Reps only: ordinary women first, then ordinary men where B2 needs them (grades
            // offering only ordinary men first), then cadre women.
            let s = c[1].min(u);
            let need = need_ordinary.saturating_sub(s);
            if need > c[2] + c[3] || need > u - s {
                return 0;
            }
            let from_both = need - need.min(c[3]);
            return s + (c[4] + c[2] - from_both).min(u - s - need);
        }
        let [a, b, cw, _] = self.left_total;
        let free = m.saturating_sub(u);
        let mut best = 0;
        for t in 0..=c[2] {
            // t grades of category 2 represented by an ordinary man, the rest by a cadre woman.
            let (ra, rb, rc) = (c[1], c[3] + t, c[4] + c[2] - t);
            let need = need_ordinary.saturating_sub(ra + rb);
            let fa = (a - ra).min(free);
            let fb = need.saturating_sub(fa);
            if fb > b - rb || fa + fb > free {
                continue;
            }
            let fc = (cw - rc).min(free - fa - fb);
            best = best.max(ra + rc + fa + fc);
        }
        best
    }
}
