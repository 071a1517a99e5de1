//! The soak run's agenda: the prepared congress's presidium election and two motions, then
//! further elections and motions made as they are needed, and every further round a count
//! proposes (再次投票, 另行选举) held next, as an organiser would. Some elections are marked
//! so that three candidates tie for the last two seats, which makes the count propose a
//! runoff: the day has elections, runoffs and motions. Proposed rounds left when the day
//! ends are declined with a reason, so the congress can close.

use std::collections::VecDeque;

use anyhow::anyhow;
use rand_chacha::ChaCha8Rng;

use super::client::{choices, choices_json, BallotForm};
use super::scenario::Prepared;
use crate::domain::contest::{Contest, ContestDefinition, ContestKind, MotionKind};
use crate::domain::ids::{CongressId, ContestId};
use crate::domain::settings::Threshold;
use crate::service::contests::{self as contests_service, CandidateData};
use crate::service::{congress, Actor};
use crate::storage::repo::contests as contests_repo;
use crate::storage::DbConnection;

/// How the phones mark a contest's ballots.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marking {
    /// Seeded random choices (`client::choices`).
    Random,
    /// Three candidates tie for the last two seats (needs 2 seats or more and 3 candidates
    /// beyond the first `seats - 2`): a runoff is proposed.
    Tie,
}

/// One contest to hold.
#[derive(Debug, Clone)]
pub struct Item {
    pub id: ContestId,
    pub title: String,
    /// Seats (None for a motion).
    pub seats: Option<u32>,
    /// 再次投票 / 另行选举, for a proposed round.
    pub round: Option<crate::domain::contest::RoundKind>,
    pub marking: Marking,
}

impl Item {
    /// 选举, 表决, 再次投票 or 另行选举.
    pub fn kind_zh(&self) -> &'static str {
        match (&self.round, self.seats) {
            (Some(r), _) => crate::domain::contest::round_zh(Some(*r)),
            (None, Some(_)) => "选举",
            (None, None) => "表决",
        }
    }
}

/// The contests still to hold, in order.
pub struct Agenda {
    queue: VecDeque<Item>,
    made: usize,
    candidates: Vec<CandidateData>,
}

fn data(c: &crate::domain::candidates::Candidate) -> CandidateData {
    CandidateData {
        name: c.name.clone(),
        student_no: c.student_no.clone(),
        college: c.college.clone(),
        gender: c.gender,
        political_status: c.political_status.clone(),
        rank_pct: c.rank_pct,
        failed_courses: c.failed_courses,
        eligibility_override: c.eligibility_override.clone(),
    }
}

impl Agenda {
    /// The prepared election (marked to tie) and motions first.
    pub fn new(conn: &mut DbConnection, p: &Prepared) -> anyhow::Result<Agenda> {
        let candidates = contests_repo::candidates(conn, &p.election_id)?
            .iter()
            .map(data)
            .collect();
        let mut queue = VecDeque::new();
        queue.push_back(Item {
            id: p.election_id.clone(),
            title: "主席团选举".to_string(),
            seats: Some(p.seats),
            round: None,
            marking: Marking::Tie,
        });
        for (i, m) in p.motion_ids.iter().enumerate() {
            queue.push_back(Item {
                id: m.clone(),
                title: format!("议题 {}", i + 1),
                seats: None,
                round: None,
                marking: Marking::Random,
            });
        }
        Ok(Agenda {
            queue,
            made: 0,
            candidates,
        })
    }

    /// The next contest: the queue's first, or a new one in the cycle: an election of 2
    /// among 4 marked to tie, a motion, an election of 3 among 5, a motion.
    pub fn next(
        &mut self,
        conn: &mut DbConnection,
        actor: &Actor,
        cid: &CongressId,
    ) -> anyhow::Result<Item> {
        if let Some(item) = self.queue.pop_front() {
            return Ok(item);
        }
        let k = self.made;
        self.made += 1;
        let n = k + 1;
        let item = match k % 4 {
            0 => self.election(conn, actor, cid, n, 2, 4, Marking::Tie)?,
            2 => self.election(conn, actor, cid, n, 3, 5, Marking::Random)?,
            _ => motion(conn, actor, cid, n)?,
        };
        Ok(item)
    }

    #[allow(clippy::too_many_arguments)]
    fn election(
        &self,
        conn: &mut DbConnection,
        actor: &Actor,
        cid: &CongressId,
        n: usize,
        seats: u32,
        among: usize,
        marking: Marking,
    ) -> anyhow::Result<Item> {
        let settings = congress::load(conn, cid)?.settings;
        let title = format!("增补委员选举 {n} (应选{seats}名)");
        let contest = contests_service::create(
            conn,
            actor,
            cid,
            ContestKind::Election,
            &ContestDefinition {
                title: title.clone(),
                body: format!("差额选举, 应选{seats}名。"),
                motion_kind: None,
                seats: Some(seats),
                allow_write_in: false,
                threshold: settings.election_threshold,
                margin_override: None,
                election_kind: None,
                threshold_reason: None,
            },
        )?;
        let picked: Vec<CandidateData> = self.candidates.iter().take(among).cloned().collect();
        if picked.len() < among {
            return Err(anyhow!("候选人不足 {among} 名"));
        }
        contests_service::add_candidates(conn, actor, cid, &contest.id, "soak.csv", &picked)?;
        Ok(Item {
            id: contest.id,
            title,
            seats: Some(seats),
            round: None,
            marking,
        })
    }

    /// After a count: the rounds it proposed are held next, in the order proposed.
    pub fn proposed(&mut self, rounds: &[Contest]) {
        for c in rounds.iter().rev() {
            self.queue.push_front(Item {
                id: c.id.clone(),
                title: c.def.title.clone(),
                seats: c.def.seats,
                round: c.round_kind,
                marking: Marking::Random,
            });
        }
    }

    /// Declines every proposed round still waiting (the day is over), so the congress can
    /// close; returns how many.
    pub fn decline_rest(
        self,
        conn: &mut DbConnection,
        actor: &Actor,
        cid: &CongressId,
    ) -> anyhow::Result<usize> {
        let mut n = 0;
        for item in self.queue.iter().filter(|i| i.round.is_some()) {
            contests_service::not_held(conn, actor, cid, &item.id, "压力测试结束, 不再举行")?;
            n += 1;
        }
        Ok(n)
    }
}

fn motion(
    conn: &mut DbConnection,
    actor: &Actor,
    cid: &CongressId,
    n: usize,
) -> anyhow::Result<Item> {
    let title = format!("审议提案 {n}");
    let m = contests_service::create(
        conn,
        actor,
        cid,
        ContestKind::Motion,
        &ContestDefinition {
            title: title.clone(),
            body: "审议代表提案。".to_string(),
            motion_kind: Some(MotionKind::Other),
            seats: None,
            allow_write_in: false,
            threshold: Threshold::ORDINARY,
            margin_override: None,
            election_kind: None,
            threshold_reason: None,
        },
    )?;
    Ok(Item {
        id: m.id,
        title,
        seats: None,
        round: None,
        marking: Marking::Random,
    })
}

/// The marks of `forms.len()` ballots of `item` (the box's JSON `choices`), in phone order.
pub fn marks(
    item: &Item,
    forms: &[Option<BallotForm>],
    rng: &mut ChaCha8Rng,
) -> Vec<Option<serde_json::Value>> {
    let n = forms.len();
    forms
        .iter()
        .enumerate()
        .map(|(j, f)| {
            let f = f.as_ref()?;
            Some(match (item.marking, item.seats) {
                (Marking::Tie, Some(seats))
                    if seats >= 2 && f.candidates.len() > seats as usize =>
                {
                    tie(&f.candidates, seats as usize, j, n)
                }
                _ => choices_json(&choices(rng, f, item.seats)),
            })
        })
        .collect()
}

/// Ballot `j` of `n`: for the first `seats - 2` candidates, and for two of the next three in
/// turn, so each of the three gets for-votes from exactly two thirds of the first
/// `3 * (n / 3)` ballots; the last `n % 3` ballots mark only the first ones.
fn tie(candidates: &[String], seats: usize, j: usize, n: usize) -> serde_json::Value {
    let mut map = serde_json::Map::new();
    for id in &candidates[..seats - 2] {
        map.insert(id.clone(), "for".into());
    }
    let three = &candidates[seats - 2..=seats];
    if j < 3 * (n / 3) {
        let pair = [(0, 1), (1, 2), (0, 2)][j % 3];
        for k in [pair.0, pair.1] {
            map.insert(three[k].clone(), "for".into());
        }
    }
    serde_json::Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tie_gives_three_candidates_the_same_votes() {
        let ids: Vec<String> = ["a", "b", "c", "d", "e"].map(String::from).to_vec();
        let n = 10;
        let mut votes = std::collections::BTreeMap::new();
        for j in 0..n {
            let v = tie(&ids, 3, j, n);
            let fors = v.as_object().unwrap();
            assert!(fors.len() <= 3, "never over-voted");
            for k in fors.keys() {
                *votes.entry(k.clone()).or_insert(0) += 1;
            }
        }
        assert_eq!(votes["a"], 10);
        assert_eq!((votes["b"], votes["c"], votes["d"]), (6, 6, 6));
        assert!(!votes.contains_key("e"));
    }
}
