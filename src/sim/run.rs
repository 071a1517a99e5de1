//! Running a prepared congress to its certified record: opening the contests, casting the
//! delegates' ballots (in process through the ballot box for the demo; over HTTP for
//! `simulate`), closing, counting, closing the congress and certifying.

use anyhow::anyhow;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use crate::crypto::KeyStore;
use crate::domain::ballot::Choices;
use crate::domain::ids::ContestId;
use crate::packet::format::Record;
use crate::service::ballot_box::BallotBox;
use crate::service::papers::PaperIssuer;
use crate::service::{self, credentials, results, voting, Actor};
use crate::storage::{Db, DbConnection};

use super::client::{choices, BallotForm};
use super::paper::{cast_in_process, take_in_process, Paper};
use super::scenario::Prepared;

/// The contests in agenda order with their seats (None for motions).
pub fn contests(p: &Prepared) -> Vec<(ContestId, Option<u32>)> {
    let mut out = vec![(p.election_id.clone(), Some(p.seats))];
    out.extend(p.motion_ids.iter().map(|m| (m.clone(), None)));
    out
}

/// Opens every contest of the prepared congress (the quorum must hold); each gets its key.
pub fn open_all(
    conn: &mut DbConnection,
    actor: &Actor,
    keys: &KeyStore,
    p: &Prepared,
) -> anyhow::Result<()> {
    for (id, _) in contests(p) {
        voting::open(conn, actor, keys, &p.congress_id, &id)?;
    }
    Ok(())
}

/// Closes, counts every contest (declining any further round a count proposes), closes the
/// congress and certifies; returns the record.
pub fn close_count_certify(
    conn: &mut DbConnection,
    actor: &Actor,
    keys: &KeyStore,
    p: &Prepared,
) -> anyhow::Result<Record> {
    for (id, _) in contests(p) {
        voting::close(conn, actor, &p.congress_id, &id)?;
        let counted = results::finalise(conn, actor, &p.congress_id, &id, false)?;
        // A further round the count proposes (再次投票, 另行选举) is declined with a reason,
        // as an organiser may (F2, F3), so the congress can close: the machine's congress
        // holds only its agenda (`sim::soak` holds them).
        for round in counted.proposed {
            crate::service::contests::not_held(
                conn,
                actor,
                &p.congress_id,
                &round.id,
                "模拟运行只举行议程上的事项",
            )?;
        }
    }
    close_and_certify(conn, actor, keys, p)
}

/// Closes the congress (every contest counted) and certifies; returns the record.
pub fn close_and_certify(
    conn: &mut DbConnection,
    actor: &Actor,
    keys: &KeyStore,
    p: &Prepared,
) -> anyhow::Result<Record> {
    results::close_congress(conn, actor, &p.congress_id)?;
    let key = keys
        .load(p.congress_id.as_str())
        .map_err(|e| anyhow!("{e}"))?;
    Ok(service::record::certify_now(
        conn,
        actor,
        &p.congress_id,
        &key,
    )?)
}

/// The whole vote in process (no HTTP): every delegate logs in with their card (checking
/// in), every contest opens, every delegate takes a paper (领票) and casts it (投票) through
/// the real issuer and ballot box, then close, count and certify.
pub fn vote_in_process(
    db: &Db,
    actor: &Actor,
    keys: &KeyStore,
    p: &Prepared,
    seed: u64,
) -> anyhow::Result<Record> {
    let mut conn = db.conn()?;
    for card in &p.cards {
        credentials::login_with_token(&mut conn, &card.token).map_err(|e| anyhow!("{e}"))?;
    }
    open_all(&mut conn, actor, keys, p)?;
    let issuer = PaperIssuer::spawn(db.clone());
    let ballot_box = BallotBox::spawn(db.clone());
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    for (contest, seats) in contests(p) {
        let key = voting::contest_key(keys, &p.congress_id, &contest, false)?;
        let papers = take_papers(&issuer, &key, p, &contest)?;
        let marked = all_choices(&mut conn, p, &contest, seats, &mut rng)?;
        for (paper, choices) in papers.iter().zip(marked) {
            cast_in_process(
                &ballot_box,
                &p.congress_id,
                &contest,
                key.public_key(),
                choices,
                paper,
            )?;
        }
    }
    close_count_certify(&mut conn, actor, keys, p)
}

/// Every delegate's paper in `contest`, taken in process, signed in parallel (card order).
pub fn take_papers(
    issuer: &PaperIssuer,
    key: &crate::crypto::blind::ContestKey,
    p: &Prepared,
    contest: &crate::domain::ids::ContestId,
) -> anyhow::Result<Vec<Paper>> {
    p.cards
        .par_iter()
        .map(|card| take_in_process(issuer, key, contest, &card.delegate.id))
        .collect()
}

/// Every delegate's seeded random choices in `contest` (card order), as the phones mark them.
pub fn all_choices(
    conn: &mut DbConnection,
    p: &Prepared,
    contest: &ContestId,
    seats: Option<u32>,
    rng: &mut ChaCha8Rng,
) -> anyhow::Result<Vec<Choices>> {
    let paper = voting::ballot_paper(conn, &p.congress_id, contest)?;
    let form = BallotForm {
        candidates: paper.candidates.iter().map(|c| c.id.clone()).collect(),
    };
    p.cards
        .iter()
        .map(|_| {
            let fields = choices(rng, &form, seats);
            crate::web::forms::ballot::parse(&paper, &fields).map_err(|e| anyhow!(e))
        })
        .collect()
}
