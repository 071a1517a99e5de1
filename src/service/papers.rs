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
//! The statements are set-based: per contest in the batch, one lookup of the voters, one of
//! the existing roll entries and one multi-row insert (in chunks of 200), so a batch costs
//! PostgreSQL a few round trips whatever its size.
//!
//! The blinded message and the blind signature say nothing about the token the phone will
//! cast (the blind-signature property), so keeping them links the roll to no ballot. The
//! issuer never writes a ballot, and the ballot box never writes the roll.

use base64::Engine;

use super::ballot_box::accepts_ballots;
use super::group_commit::{Batch, Writer};
use crate::crypto::blind::ContestKey;
use crate::crypto::sha256_hex;
use crate::domain::ids::{ContestId, DelegateId};
use crate::storage::models::RollRow;
use crate::storage::repo::voting::{self, ROLL_PHONE};
use crate::storage::{DbConnection, StorageError};

/// A signed paper ready to record and hand out.
#[derive(Debug, Clone)]
pub struct Issue {
    pub contest_id: ContestId,
    pub delegate_id: DelegateId,
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
    contest_id: &ContestId,
    delegate_id: &DelegateId,
    blinded: &[u8],
) -> Result<Issue, crate::crypto::CryptoError> {
    let sig = key.blind_sign(blinded)?;
    Ok(Issue {
        contest_id: contest_id.clone(),
        delegate_id: delegate_id.clone(),
        blinded_sha256: sha256_hex(blinded),
        blind_sig: base64::engine::general_purpose::STANDARD.encode(sig),
    })
}

fn store_batch(
    conn: &mut DbConnection,
    items: &[&Issue],
) -> Result<Vec<IssueOutcome>, StorageError> {
    let mut out: Vec<Option<IssueOutcome>> = vec![None; items.len()];
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|a, b| {
        (&items[*a].contest_id, &items[*a].delegate_id)
            .cmp(&(&items[*b].contest_id, &items[*b].delegate_id))
    });
    // One contest at a time, a few statements per contest (not two per paper: on PostgreSQL
    // each statement is a round trip inside the batch's transaction).
    for group in order.chunk_by(|a, b| items[*a].contest_id == items[*b].contest_id) {
        let contest_id = &items[group[0]].contest_id;
        if !accepts_ballots(conn, contest_id)? {
            for &i in group {
                out[i] = Some(Err(IssueRefusal::ContestNotOpen));
            }
            continue;
        }
        let ids: Vec<&DelegateId> = group.iter().map(|i| &items[*i].delegate_id).collect();
        let voters = voting::voters_among(conn, contest_id, &ids)?;
        let mut entries = voting::roll_entries(conn, contest_id, &ids)?;
        let mut rows = Vec::new();
        let mut fresh = Vec::new();
        for &i in group {
            let it = items[i];
            if !voters.contains(it.delegate_id.as_str()) {
                out[i] = Some(Err(IssueRefusal::NotEntitled));
                continue;
            }
            if let Some(existing) = entries.get(it.delegate_id.as_str()) {
                out[i] = Some(answer_from(existing, it));
                continue;
            }
            let row = roll_row(it);
            entries.insert(it.delegate_id.as_str().to_string(), row.clone());
            rows.push(row);
            fresh.push(i);
            out[i] = Some(Ok(Issued {
                blind_sig: it.blind_sig.clone(),
                replayed: false,
            }));
        }
        if voting::insert_roll_rows(conn, &rows)? < rows.len() {
            // Another connection wrote a roll entry for one of them meanwhile (a scrutineer
            // registering a paper ballot): answer those from what is stored.
            let ids: Vec<&DelegateId> = fresh.iter().map(|i| &items[*i].delegate_id).collect();
            let stored = voting::roll_entries(conn, contest_id, &ids)?;
            for &i in &fresh {
                let it = items[i];
                out[i] = Some(match stored.get(it.delegate_id.as_str()) {
                    Some(e) if is_this_paper(e, it) => Ok(Issued {
                        blind_sig: it.blind_sig.clone(),
                        replayed: false,
                    }),
                    Some(e) => answer_from(e, it),
                    None => Err(IssueRefusal::Unavailable("roll entry vanished".into())),
                });
            }
        }
    }
    Ok(out
        .into_iter()
        .map(|o| o.unwrap_or_else(|| Err(IssueRefusal::Unavailable("internal".into()))))
        .collect())
}

fn roll_row(it: &Issue) -> RollRow {
    RollRow {
        contest_id: it.contest_id.as_str().to_string(),
        delegate_id: it.delegate_id.as_str().to_string(),
        kind: ROLL_PHONE.to_string(),
        blinded_sha256: Some(it.blinded_sha256.clone()),
        blind_sig: Some(it.blind_sig.clone()),
    }
}

fn is_this_paper(e: &RollRow, it: &Issue) -> bool {
    e.kind == ROLL_PHONE
        && e.blinded_sha256.as_deref() == Some(it.blinded_sha256.as_str())
        && e.blind_sig.as_deref() == Some(it.blind_sig.as_str())
}

/// The answer to a request whose delegate already has a roll entry: the same paper again (a
/// retry after a lost response), or a refusal (another device; a paper ballot).
fn answer_from(existing: &RollRow, it: &Issue) -> IssueOutcome {
    match (
        existing.kind.as_str(),
        &existing.blinded_sha256,
        &existing.blind_sig,
    ) {
        (ROLL_PHONE, Some(h), Some(sig)) if *h == it.blinded_sha256 => Ok(Issued {
            blind_sig: sig.clone(),
            replayed: true,
        }),
        (ROLL_PHONE, _, _) => Err(IssueRefusal::OtherDevice),
        _ => Err(IssueRefusal::OnPaper),
    }
}
