//! Running a prepared congress to its certified record: opening the contests, casting the
//! delegates' ballots (in process through the ballot box for the demo; over HTTP for
//! `simulate`), closing, counting, closing the congress and certifying.

use anyhow::anyhow;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::crypto::KeyStore;
use crate::packet::format::Record;
use crate::service::ballot_box::{BallotBox, Submission};
use crate::service::{self, credentials, results, voting, Actor};
use crate::storage::{Db, DbConnection};

use super::client::{choices, BallotForm};
use super::scenario::Prepared;

/// The contests in agenda order with their seats (None for motions).
pub fn contests(p: &Prepared) -> Vec<(String, Option<u32>)> {
    let mut out = vec![(p.election_id.clone(), Some(p.seats))];
    out.extend(p.motion_ids.iter().map(|m| (m.clone(), None)));
    out
}

/// Opens every contest of the prepared congress (the quorum must hold).
pub fn open_all(conn: &mut DbConnection, actor: &Actor, p: &Prepared) -> anyhow::Result<()> {
    for (id, _) in contests(p) {
        voting::open(conn, actor, &p.congress_id, &id)?;
    }
    Ok(())
}

/// Closes, counts every contest, closes the congress and certifies; returns the record.
pub fn close_count_certify(
    conn: &mut DbConnection,
    actor: &Actor,
    keys: &KeyStore,
    p: &Prepared,
) -> anyhow::Result<Record> {
    for (id, _) in contests(p) {
        voting::close(conn, actor, &p.congress_id, &id)?;
        results::finalise(conn, actor, &p.congress_id, &id, false)?;
    }
    results::close_congress(conn, actor, &p.congress_id)?;
    let key = keys.load(&p.congress_id).map_err(|e| anyhow!("{e}"))?;
    let summary = service::roster::summary(conn, &p.congress_id)?;
    Ok(service::record::certify(
        conn,
        actor,
        &p.congress_id,
        &key,
        &summary,
    )?)
}

/// The whole vote in process (no HTTP): every delegate logs in with their card (checking
/// in), every contest opens, every delegate votes with seeded random choices through the
/// ballot box, then close, count and certify.
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
    open_all(&mut conn, actor, p)?;
    let ballot_box = BallotBox::spawn(db.clone());
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    for (contest, seats) in contests(p) {
        for sub in submissions(&mut conn, p, &contest, seats, &mut rng)? {
            ballot_box
                .submit_blocking(sub)
                .map_err(|e| anyhow!("{e}"))?;
        }
    }
    close_count_certify(&mut conn, actor, keys, p)
}

/// Every delegate's ballot in `contest`, with seeded random choices, sealed and ready for
/// the ballot box (as the server prepares a phone's submission).
pub fn submissions(
    conn: &mut DbConnection,
    p: &Prepared,
    contest: &str,
    seats: Option<u32>,
    rng: &mut ChaCha8Rng,
) -> anyhow::Result<Vec<Submission>> {
    let paper = voting::ballot_paper(conn, &p.congress_id, contest)?;
    let form = BallotForm {
        csrf: String::new(),
        ballot_id: String::new(),
        candidates: paper.candidates.iter().map(|c| c.id.clone()).collect(),
    };
    let mut out = Vec::with_capacity(p.cards.len());
    for card in &p.cards {
        let fields = choices(rng, &form, seats);
        let parsed = crate::web::ballot_form::parse(&paper, &fields).map_err(|e| anyhow!(e))?;
        let id = crate::crypto::token::new_ballot_id();
        out.push(voting::prepare(
            &p.congress_id,
            contest,
            &card.delegate.id,
            &id,
            parsed,
        )?);
    }
    Ok(out)
}
