//! Who gets the seats (F1), what a tie at the last seat does (F2) and what a shortfall
//! proposes (F3, under C2's margin). Works on positions in the contender list only; the
//! words are added by the caller.
//!
//! Decisions where the rules leave room:
//! - Write-ins (另选他人) compete with listed candidates on for-votes for the seats, under the
//!   same threshold: the rules give the seat to whoever the congress voted for.
//! - Equal for-votes among people who all get a seat are listed in ballot order (write-ins
//!   after listed candidates, by name); only a tie that straddles the last seat matters.
//! - 另行选举 is proposed among listed candidates only (a write-in was never nominated or
//!   checked for eligibility, C3), and includes everyone tied with the last one the margin
//!   takes, so the cut never splits equal first-round votes arbitrarily.

use super::result::Contender;

/// Candidates C2's margin (差额) requires for `seats` seats: max(seats + 1, ceil(1.2 x seats)),
/// in integers: ceil(6 x seats / 5).
pub fn c2_margin(seats: u32) -> u32 {
    let seats = u64::from(seats);
    let by_ratio = (6 * seats).div_ceil(5);
    u32::try_from(by_ratio.max(seats + 1)).unwrap_or(u32::MAX)
}

/// The seat decision, as positions in the contender list.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Decision {
    /// Elected, in order (for-votes, most first; then list position).
    pub elected: Vec<usize>,
    /// Tied at the last seat(s), in list position order, and the seats they contest.
    pub tied: Vec<usize>,
    pub tied_seats: u32,
    /// Shortfall: seats to fill by 另行选举, and the proposal (positions, in order).
    pub short_seats: u32,
    pub proposal: Vec<usize>,
    pub required: u32,
}

/// Decides the seats. `contenders` are listed candidates (positions `0..listed`, ballot
/// order) then write-ins; a contender qualifies with `for_votes >= min_for`. Qualified
/// contenders neither elected nor tied are outranked. The tie rule only changes what the
/// caller does with `tied` (propose a runoff, or leave the seats vacant).
pub(super) fn decide(
    contenders: &[Contender],
    listed: usize,
    seats: u32,
    min_for: u64,
) -> Decision {
    let votes = |i: usize| contenders[i].for_votes;
    // For-votes most first, list position breaks equal votes: the sort is total, so the
    // order never depends on the order ballots were counted in.
    let by_votes =
        |list: &mut Vec<usize>| list.sort_by(|&a, &b| votes(b).cmp(&votes(a)).then(a.cmp(&b)));

    let mut qualified: Vec<usize> = (0..contenders.len())
        .filter(|&i| votes(i) >= min_for)
        .collect();
    by_votes(&mut qualified);
    let seats_n = seats as usize;
    let mut d = Decision::default();

    if qualified.len() <= seats_n {
        d.elected = qualified;
    } else if seats_n > 0 {
        let last = votes(qualified[seats_n - 1]);
        if last > votes(qualified[seats_n]) {
            qualified.truncate(seats_n);
            d.elected = qualified;
        } else {
            // A tie straddles the last seat: those above it are in, the tied contest the rest.
            let above: Vec<usize> = qualified
                .iter()
                .copied()
                .filter(|&i| votes(i) > last)
                .collect();
            let mut tied: Vec<usize> = qualified
                .into_iter()
                .filter(|&i| votes(i) == last)
                .collect();
            tied.sort_unstable();
            d.tied_seats = seats - above.len() as u32;
            d.elected = above;
            d.tied = tied;
        }
    }

    let filled = d.elected.len() as u32 + if d.tied.is_empty() { 0 } else { d.tied_seats };
    d.short_seats = seats.saturating_sub(filled);
    if d.short_seats > 0 {
        d.required = c2_margin(d.short_seats);
        let mut pool: Vec<usize> = (0..listed).filter(|i| !d.elected.contains(i)).collect();
        by_votes(&mut pool);
        let take = d.required as usize;
        if pool.len() > take {
            let cut = votes(pool[take - 1]);
            let extra = pool[take..]
                .iter()
                .take_while(|&&i| votes(i) == cut)
                .count();
            pool.truncate(take + extra);
        }
        d.proposal = pool;
    }
    d
}
