//! Delegate credentials (代表证): issuing on a frozen roster, printing, reissuing a lost card,
//! and logging in with the card's QR token or manual code.
//!
//! A card's token and code are derived (`crypto::derive`) from the server's credential key,
//! the congress, the delegate and the issue time; only their SHA-256 hashes are stored. So the
//! organiser can print a college's sheet again at any time, and a reissue (new issue time)
//! revokes the old card at once. Logging in starts a new session epoch, which ends the session
//! of any other device using the same card; during the session (大会进行中) the first login
//! also checks the delegate in (签到).
//!
//! Nobody uses a card silently: printing (who, which cards, reprints), reissuing, every login
//! (by QR link or typed code) and the check-in it makes are recorded as card events
//! (`storage::repo::card_events`), shown to the delegate on their phone and to the
//! scrutineers; printing and reissuing are also in the audit log.

mod throttle;

pub use self::throttle::{record_failed_login, MAX_LOGIN_FAILURES, WINDOW_MS};

use crate::crypto::derive::{derive_code, derive_token};
use crate::crypto::sha256_hex;
use crate::crypto::token::normalise_manual_code;
use crate::domain::ids::{CongressId, DelegateId};
use crate::domain::state::{Action, CongressState};
use crate::storage::repo::card_events::{self, EventKind, Via};
use crate::storage::repo::congress::{self as congress_repo, Congress};
use crate::storage::repo::credentials as cred_repo;
use crate::storage::repo::roster::{self as roster_repo, Delegate};
use crate::storage::{now_ms, write_tx, DbConnection};

use super::{Actor, ServiceError, ServiceResult};

/// What is printed on one card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    pub delegate: Delegate,
    /// The secret in the QR code's URL (`{public_url}/t/{token}`).
    pub token: String,
    /// The manual code for typing, `XXXXX-XXXXX`.
    pub code: String,
}

fn secrets(
    key: &[u8],
    congress_id: &CongressId,
    delegate_id: &DelegateId,
    issued_at: i64,
) -> (String, String) {
    let at = issued_at.to_string();
    let parts = [congress_id.as_str(), delegate_id.as_str(), at.as_str()];
    (derive_token(key, &parts), derive_code(key, &parts))
}

/// Hash under which a token is stored.
pub fn token_hash(token: &str) -> String {
    sha256_hex(token.as_bytes())
}

/// Hash under which a manual code is stored (of its normalised form).
pub fn code_hash(code: &str) -> String {
    sha256_hex(normalise_manual_code(code).as_bytes())
}

fn load(conn: &mut DbConnection, id: &CongressId) -> ServiceResult<Congress> {
    congress_repo::get(conn, id)?.ok_or_else(|| ServiceError::NotFound(format!("大会 {id} 不存在")))
}

/// Issues a card to every delegate of a frozen roster; the congress moves to
/// `credentials_issued`. Returns the number of cards.
pub fn issue(
    conn: &mut DbConnection,
    actor: &Actor,
    congress_id: &CongressId,
    key: &[u8],
) -> ServiceResult<usize> {
    write_tx(conn, |c| {
        let congress = load(c, congress_id)?;
        Action::IssueCredentials.check(congress.state)?;
        let delegates = roster_repo::delegates(c, congress_id)?;
        if delegates.is_empty() {
            return Err(ServiceError::invalid("代表名单为空, 无法发放代表证"));
        }
        let at = now_ms();
        for d in &delegates {
            let (token, code) = secrets(key, congress_id, &d.id, at);
            cred_repo::set_credential(c, &d.id, &token_hash(&token), &code_hash(&code), at)?;
        }
        congress_repo::transition(
            c,
            congress_id,
            CongressState::RosterFrozen,
            CongressState::CredentialsIssued,
        )?;
        actor.audit(
            c,
            Some(congress_id),
            "credentials.issue",
            None,
            None,
            Some(format!("{{\"cards\":{}}}", delegates.len())),
        )?;
        Ok(delegates.len())
    })
}

/// The cards of a congress (optionally of one college), re-derived for printing.
pub fn cards(
    conn: &mut DbConnection,
    congress_id: &CongressId,
    college: Option<&str>,
    key: &[u8],
) -> ServiceResult<Vec<Card>> {
    let delegates = roster_repo::delegates(conn, congress_id)?;
    let times = cred_repo::issue_times(conn, congress_id)?;
    let mut out = Vec::new();
    for (d, (id, at)) in delegates.into_iter().zip(times) {
        debug_assert_eq!(d.id, id);
        let Some(at) = at else { continue };
        if college.is_some_and(|col| col != d.student.college) {
            continue;
        }
        let (token, code) = secrets(key, congress_id, &d.id, at);
        out.push(Card {
            delegate: d,
            token,
            code,
        });
    }
    Ok(out)
}

/// Which cards a print run is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrintRun {
    /// Every card of the congress.
    All,
    /// One college's sheet.
    College(String),
    /// One delegate's card (after a reissue, or a damaged card).
    Delegate(u32),
}

/// The cards of a print run, re-derived for printing, and the printing recorded: one audit
/// entry `credentials.print` (who, which cards by delegate number, how many of them had been
/// printed before) and a print event on each card (so the scrutineers and the delegate see a
/// reprint). Empty when the run names no card.
pub fn print(
    conn: &mut DbConnection,
    actor: &Actor,
    congress_id: &CongressId,
    run: &PrintRun,
    key: &[u8],
) -> ServiceResult<Vec<Card>> {
    write_tx(conn, |c| {
        let college = match run {
            PrintRun::College(col) => Some(col.as_str()),
            _ => None,
        };
        let mut out = cards(c, congress_id, college, key)?;
        if let PrintRun::Delegate(no) = run {
            out.retain(|card| card.delegate.delegate_no == *no);
        }
        if out.is_empty() {
            return Ok(out);
        }
        // A card counts as printed before when it has a print event since its last reissue
        // (a reissued card is a new card).
        let events = card_events::of_congress(c, congress_id)?;
        let printed_before = |did: &DelegateId| {
            let mine = events.iter().filter(|e| *did == e.delegate_id);
            let since = mine
                .clone()
                .filter(|e| e.kind == EventKind::Reissue)
                .map(|e| e.at)
                .max()
                .unwrap_or(i64::MIN);
            mine.filter(|e| e.kind == EventKind::Print)
                .any(|e| e.at >= since)
        };
        let reprinted = out
            .iter()
            .filter(|card| printed_before(&card.delegate.id))
            .count();
        let at = now_ms();
        for card in &out {
            card_events::record(
                c,
                congress_id,
                &card.delegate.id,
                at,
                EventKind::Print,
                Via::Staff,
                Some(&actor.username),
            )?;
        }
        let numbers: Vec<u32> = out.iter().map(|card| card.delegate.delegate_no).collect();
        let target = match run {
            PrintRun::All => "全部".to_string(),
            PrintRun::College(col) => col.clone(),
            PrintRun::Delegate(no) => format!("代表{no}"),
        };
        actor.audit(
            c,
            Some(congress_id),
            "credentials.print",
            Some(&target),
            None,
            Some(
                serde_json::json!({
                    "cards": out.len(),
                    "delegates": number_ranges(&numbers),
                    "reprinted": reprinted,
                })
                .to_string(),
            ),
        )?;
        Ok(out)
    })
}

/// Delegate numbers as ranges, e.g. `1-8,10,12-13`.
pub fn number_ranges(numbers: &[u32]) -> String {
    let mut sorted = numbers.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < sorted.len() {
        let start = sorted[i];
        let mut end = start;
        while i + 1 < sorted.len() && sorted[i + 1] == end + 1 {
            i += 1;
            end = sorted[i];
        }
        parts.push(if start == end {
            start.to_string()
        } else {
            format!("{start}-{end}")
        });
        i += 1;
    }
    parts.join(",")
}

/// Reissues one card (lost card): new secrets, the old card stops working at once and any
/// session opened with it ends. Audited with the delegate number (never the secrets).
pub fn reissue(
    conn: &mut DbConnection,
    actor: &Actor,
    congress_id: &CongressId,
    delegate_no: u32,
    key: &[u8],
) -> ServiceResult<Card> {
    write_tx(conn, |c| {
        let congress = load(c, congress_id)?;
        Action::ReissueCredential.check(congress.state)?;
        let d = roster_repo::delegate_by_no(c, congress_id, delegate_no)?
            .ok_or_else(|| ServiceError::NotFound(format!("代表编号 {delegate_no} 不存在")))?;
        let old = cred_repo::issued_at(c, &d.id)?.unwrap_or(0);
        let at = now_ms().max(old + 1);
        let (token, code) = secrets(key, congress_id, &d.id, at);
        cred_repo::set_credential(c, &d.id, &token_hash(&token), &code_hash(&code), at)?;
        cred_repo::bump_epoch(c, &d.id)?;
        card_events::record(
            c,
            congress_id,
            &d.id,
            now_ms(),
            EventKind::Reissue,
            Via::Staff,
            Some(&actor.username),
        )?;
        actor.audit(
            c,
            Some(congress_id),
            "credentials.reissue",
            Some(&format!("代表{delegate_no}")),
            None,
            None,
        )?;
        let d = roster_repo::delegate(c, d.id.as_str())?.unwrap_or(d);
        Ok(Card {
            delegate: d,
            token,
            code,
        })
    })
}

/// A successful delegate login.
#[derive(Debug, Clone)]
pub struct Login {
    pub delegate: Delegate,
    pub congress: Congress,
    /// The new session epoch (other devices' sessions end).
    pub epoch: i64,
    /// Whether this login checked the delegate in.
    pub checked_in: bool,
    /// Whether another device's session was ended by this login.
    pub took_over: bool,
}

/// Why a login failed (the caller throttles per address on `Unknown`).
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("代表证无效或已作废(补发后旧证立即失效)。请核对后重试, 或联系会务人员。")]
    Unknown,
    #[error("本次大会尚未发放代表证, 无法登录。")]
    NotNow,
    /// The congress has closed (or later): the card leads to the public board instead. Carries
    /// the congress id (public: it is in every board URL).
    #[error("本次大会已经闭幕, 代表证不再用于登录。")]
    Closed(String),
    #[error(transparent)]
    Service(#[from] ServiceError),
}

impl From<crate::storage::StorageError> for LoginError {
    fn from(e: crate::storage::StorageError) -> Self {
        LoginError::Service(e.into())
    }
}

impl From<diesel::result::Error> for LoginError {
    fn from(e: diesel::result::Error) -> Self {
        LoginError::Service(e.into())
    }
}

/// Logs a delegate in by the hash of their token or code, recording the login (and the
/// check-in it makes) as card events with the means used.
fn login(
    conn: &mut DbConnection,
    via: Via,
    found: impl FnOnce(&mut DbConnection) -> Result<Option<Delegate>, LoginError>,
) -> Result<Login, LoginError> {
    write_tx(conn, |c| {
        let d = found(c)?.ok_or(LoginError::Unknown)?;
        let congress = load(c, &d.congress_id)?;
        match congress.state {
            CongressState::CredentialsIssued | CongressState::InSession => {}
            CongressState::Closed | CongressState::Certified | CongressState::Filed => {
                return Err(LoginError::Closed(congress.id.into_string()));
            }
            _ => return Err(LoginError::NotNow),
        }
        let took_over = d.session_epoch > 0;
        let epoch = cred_repo::bump_epoch(c, &d.id)?;
        let at = now_ms();
        card_events::record(c, &congress.id, &d.id, at, EventKind::Login, via, None)?;
        let mut checked_in = false;
        if congress.state == CongressState::InSession && !d.present {
            checked_in = cred_repo::set_present(c, &d.id, true, at)?;
            if checked_in {
                card_events::record(c, &congress.id, &d.id, at, EventKind::CheckIn, via, None)?;
            }
        }
        let delegate = roster_repo::delegate(c, d.id.as_str())?.unwrap_or(d);
        Ok(Login {
            delegate,
            congress,
            epoch,
            checked_in,
            took_over,
        })
    })
}

/// Login with the QR token.
pub fn login_with_token(conn: &mut DbConnection, token: &str) -> Result<Login, LoginError> {
    let h = token_hash(token.trim());
    login(conn, Via::Card, move |c| {
        Ok(cred_repo::by_token_hash(c, &h)?)
    })
}

/// Login with the manual code typed from the card.
pub fn login_with_code(conn: &mut DbConnection, code: &str) -> Result<Login, LoginError> {
    let h = code_hash(code);
    login(conn, Via::Code, move |c| {
        Ok(cred_repo::by_code_hash(c, &h)?)
    })
}

/// Logs the delegate out: a new session epoch, so the session (and any copy of its cookie)
/// is refused from now on.
pub fn logout(conn: &mut DbConnection, delegate_id: &DelegateId) -> ServiceResult<()> {
    write_tx(conn, |c| {
        cred_repo::bump_epoch(c, delegate_id)?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::number_ranges;

    #[test]
    fn numbers_as_ranges() {
        assert_eq!(number_ranges(&[]), "");
        assert_eq!(number_ranges(&[5]), "5");
        assert_eq!(number_ranges(&[3, 1, 2, 8, 10, 9, 12]), "1-3,8-10,12");
        assert_eq!(number_ranges(&[7, 7, 6]), "6-7");
    }
}
