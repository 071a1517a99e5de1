//! A phone's ballot paper in Rust, for the simulated phones of `congress simulate`, the bench,
//! the demo and the tests: the same steps as the phone's script (`paper.js` + `vote.js`) on
//! top of `crypto::blind` (RFC 9474): make a token, blind it, send the blinded message with
//! the delegate session (领票), unblind the answer into the paper, and cast the paper with the
//! ballot to the anonymous box (投票). In process (no HTTP) the same two services are called
//! directly: the paper issuer and the ballot box, never in one transaction.

use anyhow::anyhow;
use base64::Engine;

use crate::crypto::blind::{self, Blinding, ContestKey, ContestPublicKey};
use crate::domain::ballot::Choices;
use crate::domain::ids::{CongressId, ContestId, DelegateId};
use crate::service::ballot_box::{Accepted, BallotBox};
use crate::service::papers::{self, PaperIssuer};
use crate::service::voting;

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// A ballot paper held by a phone: the token (hex) and the contest key's signature over it
/// (standard base64), exactly as they go into the ballot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paper {
    pub token: String,
    pub token_sig: String,
}

/// A paper asked for and not yet answered: what the phone keeps meanwhile (its script keeps
/// the same in `localStorage`, so a lost answer is asked for again with the same message).
#[derive(Debug, Clone)]
pub struct Pending {
    token: [u8; blind::TOKEN_LEN],
    blinding: Blinding,
}

impl Pending {
    /// A fresh token, blinded for `pk`.
    pub fn new(pk: &ContestPublicKey) -> anyhow::Result<Pending> {
        let token = blind::new_token();
        let blinding = blind::blind(pk, &token).map_err(|e| anyhow!("{e}"))?;
        Ok(Pending { token, blinding })
    }

    /// The blinded message as the phone posts it (standard base64).
    pub fn blinded_b64(&self) -> String {
        B64.encode(&self.blinding.blinded)
    }

    /// The blinded message's bytes.
    pub fn blinded(&self) -> &[u8] {
        &self.blinding.blinded
    }

    /// Unblinds the server's blind signature (standard base64) into the paper; refuses a
    /// signature that does not verify.
    pub fn finish(&self, pk: &ContestPublicKey, blind_sig_b64: &str) -> anyhow::Result<Paper> {
        let z = B64
            .decode(blind_sig_b64)
            .map_err(|e| anyhow!("盲签名不是 base64: {e}"))?;
        let sig =
            blind::finalize(pk, &self.token, &z, &self.blinding).map_err(|e| anyhow!("{e}"))?;
        Ok(Paper {
            token: hex::encode(self.token),
            token_sig: B64.encode(sig),
        })
    }
}

/// Takes a paper for `delegate_id` without HTTP: blind, sign, record through the issuer
/// (blocking), unblind.
pub fn take_in_process(
    issuer: &PaperIssuer,
    key: &ContestKey,
    contest_id: &ContestId,
    delegate_id: &DelegateId,
) -> anyhow::Result<Paper> {
    let pk = key.public_key();
    let pending = Pending::new(pk)?;
    let issue = papers::sign(key, contest_id, delegate_id, pending.blinded())
        .map_err(|e| anyhow!("{e}"))?;
    let issued = issuer
        .submit_blocking(issue)
        .map_err(|e| anyhow!("领票: {e}"))?;
    pending.finish(pk, &issued.blind_sig)
}

/// Casts `paper` with `choices` without HTTP: the signature checked, the ballot sealed and
/// stored by the ballot box (blocking).
pub fn cast_in_process(
    ballot_box: &BallotBox,
    congress_id: &CongressId,
    contest_id: &ContestId,
    pk: &ContestPublicKey,
    choices: Choices,
    paper: &Paper,
) -> anyhow::Result<Accepted> {
    submit(
        ballot_box,
        voting::prepare(
            congress_id,
            contest_id,
            pk,
            choices,
            &paper.token,
            &paper.token_sig,
        ),
    )
}

/// Stores a prepared submission in the ballot box (blocking).
fn submit(
    ballot_box: &BallotBox,
    prepared: Result<crate::service::ballot_box::Submission, voting::BadPaper>,
) -> anyhow::Result<Accepted> {
    let sub = prepared.map_err(|e| anyhow!("{e}"))?;
    ballot_box
        .submit_blocking(sub)
        .map_err(|e| anyhow!("投票: {e}"))
}

/// A 评议会 participant's paper without HTTP (rule I7): blind, sign with the contest's
/// participants' key, record in the participants' roll, unblind.
pub fn take_participant_in_process(
    conn: &mut crate::storage::DbConnection,
    key: &ContestKey,
    contest_id: &ContestId,
    participant_id: &str,
) -> anyhow::Result<Paper> {
    let pk = key.public_key();
    let pending = Pending::new(pk)?;
    let sig = key
        .blind_sign(pending.blinded())
        .map_err(|e| anyhow!("{e}"))?;
    let issued = crate::service::term::participants::issue_paper(
        conn,
        contest_id,
        participant_id,
        &crate::crypto::sha256_hex(pending.blinded()),
        &B64.encode(sig),
    )?
    .map_err(|e| anyhow!("领票: {e}"))?;
    pending.finish(pk, &issued.blind_sig)
}

/// Casts a participant's `paper` without HTTP: checked with the participants' key `pk`, stored
/// in the participants' box by the ballot box (blocking).
pub fn cast_participant_in_process(
    ballot_box: &BallotBox,
    congress_id: &CongressId,
    contest_id: &ContestId,
    pk: &ContestPublicKey,
    choices: Choices,
    paper: &Paper,
) -> anyhow::Result<Accepted> {
    submit(
        ballot_box,
        voting::prepare_participant(
            congress_id,
            contest_id,
            pk,
            choices,
            &paper.token,
            &paper.token_sig,
        ),
    )
}

/// Signs `tokens` with `key` as paper ballots are signed (`sign_token`), in parallel on every
/// core: (token hex, signature base64) in the same order. For synthetic packets (the packet
/// tests, `examples/verify_million.rs`), where a million signatures take minutes on one core.
pub fn sign_tokens(
    key: &ContestKey,
    tokens: &[[u8; blind::TOKEN_LEN]],
) -> anyhow::Result<Vec<(String, String)>> {
    use rayon::prelude::*;
    tokens
        .par_iter()
        .map(|t| {
            let sig = key.sign_token(t).map_err(|e| anyhow!("{e}"))?;
            Ok((hex::encode(t), B64.encode(sig)))
        })
        .collect()
}
