//! Issuing ballot papers (领票): an entitled delegate's phone sends a blinded token with its
//! delegate session; the contest key signs it blindly (on the request threads, in parallel:
//! `sign`), and the paper issuer records the issue in the roll with group commit
//! (`group_commit`) before the blind signature is returned.
//!
//! Inside the batch's transaction, for each request, in delegate-id order (so the rows'
//! order and their place on a page say nothing about the order of arrival within a batch):
//!
//! 1. the contest must be open (checked once per contest per batch, share-locked on
//!    PostgreSQL like the ballot box);
//! 2. the delegate must be one of the contest's voters, frozen when it opened (D2);
//! 3. the roll entry `(contest, delegate, phone, SHA-256 of the blinded message, blind
//!    signature)` is inserted unless the delegate has one: an existing phone entry with the
//!    same blinded message gets the same answer (a retry after a lost response); another
//!    blinded message (a second device) or a paper ballot is refused.
//!
//! The blinded message and the blind signature say nothing about the token the phone will
//! cast (the blind-signature property), so keeping them links the roll to no ballot. The
//! issuer never writes a ballot, and the ballot box never writes the roll.

use std::collections::HashMap;

use base64::Engine;

use super::ballot_box::accepts_ballots;
use super::group_commit::{Batch, Writer};
use crate::crypto::blind::ContestKey;
use crate::crypto::sha256_hex;
use crate::storage::models::RollRow;
use crate::storage::repo::voting::{self, ROLL_PHONE};
use crate::storage::{DbConnection, StorageError};

/// A signed paper ready to record and hand out.
#[derive(Debug, Clone)]
pub struct Issue {
    pub contest_id: String,
    pub delegate_id: String,
    /// SHA-256 of the blinded message, hex.
    pub blinded_sha256: String,
    /// The blind signature, standard base64.
    pub blind_sig: String,
}

/// Why a paper was not issued.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IssueRefusal {
    #[error("本项投票尚未开始或已经结束, 不能领取选票")]
    ContestNotOpen,
    #[error("本项投票开始时您尚未签到, 按规则不能参加本项投票 (发出选票数在开始投票时确定)")]
    NotEntitled,
    #[error("监票人已为您登记纸质选票, 请用纸质选票投票")]
    OnPaper,
    #[error("本项选票已经发到您的另一台设备 (或本机的另一个浏览器); 每位代表只有一张选票, 请在那台设备上投票")]
    OtherDevice,
    #[error("投票系统暂时无法发出选票, 请稍后重试: {0}")]
    Unavailable(String),
}

/// An issued paper: the blind signature; `replayed` when it answers a retry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issued {
    pub blind_sig: String,
    pub replayed: bool,
}

pub type IssueOutcome = Result<Issued, IssueRefusal>;

/// The paper issuer's writer.
pub struct IssueWriter;

/// Handle to the paper issuer's writer thread; cheap to clone.
pub type PaperIssuer = Writer<IssueWriter>;

impl Batch for IssueWriter {
    type Item = Issue;
    type Outcome = IssueOutcome;
    const NAME: &'static str = "paper-issuer";

    fn store(conn: &mut DbConnection, items: &[&Issue]) -> Result<Vec<IssueOutcome>, StorageError> {
        store_batch(conn, items)
    }

    fn unavailable(reason: String) -> IssueOutcome {
        Err(IssueRefusal::Unavailable(reason))
    }

    fn is_unavailable(outcome: &IssueOutcome) -> bool {
        matches!(outcome, Err(IssueRefusal::Unavailable(_)))
    }
}

/// Signs a blinded message with the contest key (CPU only: run it off the async threads) and
/// prepares the roll entry. The signature is sent out only once the issuer has recorded it.
pub fn sign(
    key: &ContestKey,
    contest_id: &str,
    delegate_id: &str,
    blinded: &[u8],
) -> Result<Issue, crate::crypto::CryptoError> {
    let sig = key.blind_sign(blinded)?;
    Ok(Issue {
        contest_id: contest_id.to_string(),
        delegate_id: delegate_id.to_string(),
        blinded_sha256: sha256_hex(blinded),
        blind_sig: base64::engine::general_purpose::STANDARD.encode(sig),
    })
}

fn store_batch(
    conn: &mut DbConnection,
    items: &[&Issue],
) -> Result<Vec<IssueOutcome>, StorageError> {
    let mut open: HashMap<&str, bool> = HashMap::new();
    let mut out: Vec<Option<IssueOutcome>> = vec![None; items.len()];
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|a, b| {
        (&items[*a].contest_id, &items[*a].delegate_id)
            .cmp(&(&items[*b].contest_id, &items[*b].delegate_id))
    });
    for i in order {
        let it = items[i];
        let is_open = match open.get(it.contest_id.as_str()) {
            Some(v) => *v,
            None => {
                let v = accepts_ballots(conn, &it.contest_id)?;
                open.insert(&it.contest_id, v);
                v
            }
        };
        out[i] = Some(if !is_open {
            Err(IssueRefusal::ContestNotOpen)
        } else if !voting::is_voter(conn, &it.contest_id, &it.delegate_id)? {
            Err(IssueRefusal::NotEntitled)
        } else {
            record(conn, it)?
        });
    }
    Ok(out
        .into_iter()
        .map(|o| o.unwrap_or_else(|| Err(IssueRefusal::Unavailable("internal".into()))))
        .collect())
}

/// Inserts the roll entry, or answers from the existing one.
fn record(conn: &mut DbConnection, it: &Issue) -> Result<IssueOutcome, StorageError> {
    let row = RollRow {
        contest_id: it.contest_id.clone(),
        delegate_id: it.delegate_id.clone(),
        kind: ROLL_PHONE.to_string(),
        blinded_sha256: Some(it.blinded_sha256.clone()),
        blind_sig: Some(it.blind_sig.clone()),
    };
    if voting::insert_roll(conn, &row)? {
        return Ok(Ok(Issued {
            blind_sig: it.blind_sig.clone(),
            replayed: false,
        }));
    }
    let Some(existing) = voting::roll_entry(conn, &it.contest_id, &it.delegate_id)? else {
        return Ok(Err(IssueRefusal::Unavailable("roll entry vanished".into())));
    };
    Ok(
        match (
            existing.kind.as_str(),
            existing.blinded_sha256,
            existing.blind_sig,
        ) {
            (ROLL_PHONE, Some(h), Some(sig)) if h == it.blinded_sha256 => Ok(Issued {
                blind_sig: sig,
                replayed: true,
            }),
            (ROLL_PHONE, _, _) => Err(IssueRefusal::OtherDevice),
            _ => Err(IssueRefusal::OnPaper),
        },
    )
}
