//! The certified record (选举结果报告): built from the final contests when the organiser
//! certifies the closed congress, signed with the congress's key, stored as signed and never
//! changed; the approval (党委批准) and filing (备案) addenda that reference it; and the
//! filing packet's contents.

use std::collections::BTreeMap;

use base64::Engine;

use crate::crypto::keys::signature_from_base64;
use crate::crypto::{sha256_hex, SigningKey};
use crate::domain::contest::ContestKind;
use crate::domain::ids::{CongressId, ContestId};
use crate::domain::roster::RosterSummary;
use crate::domain::state::{Action, CongressState};
use crate::packet::format::{
    addendum_name, board_path, participants_id, roll_path, BoardRef, Record, RecordCandidate,
    RecordCongress, RecordContest, RecordDelegates, RecordParticipants, RecordScrutineer,
    RoundNotHeld, PARTICIPANTS_LABEL, RECORD_KIND, VERSION,
};
use crate::packet::record::{sign_record, Signed};
use crate::packet::write::{participant_roll_csv, roll_csv, PacketContents};
use crate::service::attendance;
use crate::storage::models::RecordRow;
use crate::storage::repo::congress::{self as congress_repo, Congress};
use crate::storage::repo::contests::{self as contests_repo};
use crate::storage::repo::{records, scrutineers, term, voting};
use crate::storage::{now_ms, write_tx, DbConnection};

use super::{results, Actor, ServiceError, ServiceResult};

/// Now as RFC 3339 in China Standard Time (UTC+8).
pub fn now_cst() -> String {
    let now = chrono::Utc::now();
    match chrono::FixedOffset::east_opt(8 * 3600) {
        Some(cst) => now
            .with_timezone(&cst)
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
        None => now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    }
}

pub(crate) fn internal(e: impl Into<crate::errors::BoxError>) -> ServiceError {
    ServiceError::internal(e)
}

/// Everything the record is built from, besides the contests' stored results.
struct Built {
    record: Record,
    roster_summary: Vec<u8>,
}

fn build(
    conn: &mut DbConnection,
    congress: &Congress,
    summary: &RosterSummary,
) -> ServiceResult<Built> {
    let roster_summary = crate::crypto::canonical(summary).map_err(internal)?;
    let (fig, _) = attendance::attendance(conn, &congress.id)?;
    let mut contests = Vec::new();
    let all = contests_repo::list(conn, &congress.id)?;
    for contest in all.iter().cloned() {
        if !contest.state.is_counted() {
            continue;
        }
        let rounds_not_held = all
            .iter()
            .filter(|k| k.parent_id.as_ref() == Some(&contest.id))
            .filter_map(|k| {
                Some(RoundNotHeld {
                    round_kind: k.round_kind?.as_str().to_string(),
                    title: k.def.title.clone(),
                    seats_left_empty: k.def.seats.unwrap_or(0),
                    reason: k.not_held_reason.clone()?,
                })
            })
            .collect();
        let result = results::result(&contest)?
            .ok_or_else(|| internal(format!("contest {} is final without a result", contest.id)))?;
        let board = results::counted(conn, &contest)?;
        if board.merkle_root != contest.merkle_root.clone().unwrap_or_default() {
            return Err(internal(format!(
                "“{}”的公示与计票时不一致",
                contest.def.title
            )));
        }
        let roll = roll_csv(&voting::roll_rows(conn, &contest.id)?).map_err(internal)?;
        let participants = participants_part(conn, &contest)?;
        let candidates = contests_repo::candidates(conn, &contest.id)?;
        let issued = contest.issued.unwrap_or(0) as u64;
        let expected = contest.expected.unwrap_or(0) as u64;
        contests.push(RecordContest {
            id: contest.id.to_string(),
            kind: contest.kind.as_str().to_string(),
            title: contest.def.title.clone(),
            text: contest.def.body.clone(),
            agenda_order: contest.agenda_order,
            motion_kind: contest.def.motion_kind.map(|m| m.as_str().to_string()),
            round_kind: contest.round_kind.map(|r| r.as_str().to_string()),
            parent: contest.parent_id.clone().map(ContestId::into_string),
            seats: contest.def.seats,
            allow_write_in: contest.def.allow_write_in,
            candidates: candidates
                .iter()
                .map(|c| RecordCandidate {
                    id: c.id.clone(),
                    name: c.name.clone(),
                    college: c.college.clone(),
                    eligibility_override: c.eligibility_override.clone(),
                })
                .collect(),
            margin_override: contest.def.margin_override.clone(),
            election_kind: contest
                .def
                .kind_of_election()
                .map(|k| k.as_str().to_string()),
            threshold_reason: contest.def.threshold_reason.clone(),
            rounds_not_held,
            threshold: contest.def.threshold,
            present_at_opening: issued,
            expected_at_opening: expected,
            quorum_met: congress.settings.quorum.met(issued, expected),
            board: BoardRef {
                file: board_path(contest.id.as_str()),
                sha256: sha256_hex(&board.bytes),
                merkle_root: board.merkle_root.clone(),
                issued,
                cast: board.cast,
                roll_file: roll_path(contest.id.as_str()),
                roll_sha256: sha256_hex(&roll),
                roll_count: voting::roll_count(conn, &contest.id)? as u64,
            },
            result,
            review: match contest.kind {
                ContestKind::Review => crate::storage::repo::reviews::get(conn, &contest.id)?,
                _ => None,
            },
            participants,
        });
    }
    if contests.is_empty() {
        return Err(ServiceError::invalid(
            "没有已完成计票的选举或表决, 无法签署结果报告",
        ));
    }
    let scrutineers = scrutineers::list(conn, &congress.id)?
        .into_iter()
        .map(|s| RecordScrutineer {
            role: s.role.as_str().to_string(),
            role_zh: s.role.zh().to_string(),
            name: s.name,
        })
        .collect();
    let record = Record {
        v: VERSION,
        kind: RECORD_KIND.to_string(),
        congress: RecordCongress {
            id: congress.id.to_string(),
            name: congress.name.clone(),
            school: congress.school.clone(),
            level: congress.level.as_str().to_string(),
            level_zh: congress.level.zh().to_string(),
            session_no: congress.session_no,
            date: congress.date.clone(),
            place: congress.place.clone(),
        },
        settings: congress.settings,
        delegates: RecordDelegates {
            roster: fig.roster,
            absences: fig.absences,
            expected: fig.expected,
        },
        quorum_rule: fig.quorum_rule.clone(),
        contests,
        scrutineers,
        roster_summary_sha256: sha256_hex(&roster_summary),
        key_fingerprint: congress.key_fingerprint.clone().unwrap_or_default(),
        signed_at: now_cst(),
    };
    Ok(Built {
        record,
        roster_summary,
    })
}

/// The participants' separate tally of a counted contest as the record states it (rule I7):
/// their board and roll bound by hash, their result; `None` when they did not vote in it.
fn participants_part(
    conn: &mut DbConnection,
    contest: &crate::domain::contest::Contest,
) -> ServiceResult<Option<RecordParticipants>> {
    let Some((b, result)) = results::participant_result(conn, &contest.id)? else {
        return Ok(None);
    };
    let (_, board) = results::participant_counted(conn, contest)?
        .ok_or_else(|| internal(format!("{}: 列席人员选票箱不见了", contest.id)))?;
    let rows = term::participant_roll_rows(conn, &contest.id)?;
    let roll = participant_roll_csv(&rows).map_err(internal)?;
    let id = participants_id(contest.id.as_str());
    Ok(Some(RecordParticipants {
        label: PARTICIPANTS_LABEL.to_string(),
        listed: u64::from(b.listed),
        present_at_opening: u64::from(b.issued),
        board: BoardRef {
            file: board_path(&id),
            sha256: sha256_hex(&board.bytes),
            merkle_root: board.merkle_root.clone(),
            issued: u64::from(b.issued),
            cast: board.cast,
            roll_file: roll_path(&id),
            roll_sha256: sha256_hex(&roll),
            roll_count: rows.len() as u64,
        },
        result,
    }))
}

/// The record as certifying would sign it now, without signing or storing anything (the
/// organiser's preview before certifying; `signed_at` is the time of the preview).
pub fn preview(
    conn: &mut DbConnection,
    congress_id: &CongressId,
    summary: &RosterSummary,
) -> ServiceResult<Record> {
    let congress = super::congress::load(conn, congress_id)?;
    Action::Certify.check(congress.state)?;
    Ok(build(conn, &congress, summary)?.record)
}

/// [`certify`] with the roster summary computed now (read before the write transaction).
pub fn certify_now(
    conn: &mut DbConnection,
    actor: &Actor,
    congress_id: &CongressId,
    key: &SigningKey,
) -> ServiceResult<Record> {
    let summary = super::roster::summary(conn, congress_id)?;
    certify(conn, actor, congress_id, key, &summary)
}

/// Certifies a closed congress: builds, signs and stores the record; the congress is
/// `certified`. `summary` is the roster summary (quota compliance) that goes with it.
pub fn certify(
    conn: &mut DbConnection,
    actor: &Actor,
    congress_id: &CongressId,
    key: &SigningKey,
    summary: &RosterSummary,
) -> ServiceResult<Record> {
    write_tx(conn, |c| {
        let congress = super::congress::load(c, congress_id)?;
        Action::Certify.check(congress.state)?;
        if congress.key_fingerprint.as_deref() != Some(key.public_key().fingerprint().as_str()) {
            return Err(internal("签名密钥与大会登记的公钥不一致"));
        }
        let built = build(c, &congress, summary)?;
        let signed = sign_record(key, &built.record).map_err(internal)?;
        let hash = sha256_hex(&signed.bytes);
        records::insert(
            c,
            &RecordRow {
                congress_id: congress_id.to_string(),
                record_json: String::from_utf8(signed.bytes.clone()).map_err(internal)?,
                record_sig: base64::engine::general_purpose::STANDARD.encode(signed.sig),
                record_hash: hash.clone(),
                roster_summary: String::from_utf8(built.roster_summary).map_err(internal)?,
                signed_at: now_ms(),
            },
        )?;
        congress_repo::transition(
            c,
            congress_id,
            CongressState::Closed,
            CongressState::Certified,
        )?;
        actor.audit(
            c,
            Some(congress_id),
            "record.certify",
            None,
            None,
            Some(format!("{{\"record_sha256\":\"{hash}\"}}")),
        )?;
        Ok(built.record)
    })
}

/// The stored record as signed: (bytes, signature).
pub fn stored(
    conn: &mut DbConnection,
    congress_id: &CongressId,
) -> ServiceResult<Option<(RecordRow, Signed)>> {
    let Some(row) = records::get(conn, congress_id)? else {
        return Ok(None);
    };
    let sig = signature_from_base64(&row.record_sig).map_err(internal)?;
    let signed = Signed {
        bytes: row.record_json.clone().into_bytes(),
        sig,
    };
    Ok(Some((row, signed)))
}

pub use super::addenda::{add_addendum, AddendumInput};

/// The whole filing packet of a certified congress (`packet::assemble`, with the printable
/// report whose QR code points at `public_url`): the staff download, the API, `congress
/// export` and `congress simulate` all call this.
pub fn filing_packet(
    conn: &mut DbConnection,
    congress_id: &CongressId,
    public_url: &str,
) -> ServiceResult<PacketContents> {
    let parts = packet_parts(conn, congress_id)?;
    crate::packet::assemble(parts, public_url, congress_id.as_str()).map_err(internal)
}

/// What the packet holds as stored: everything but `report.html`.
fn packet_parts(
    conn: &mut DbConnection,
    congress_id: &CongressId,
) -> ServiceResult<PacketContents> {
    let congress = super::congress::load(conn, congress_id)?;
    let (row, signed) = stored(conn, congress_id)?
        .ok_or_else(|| ServiceError::invalid("尚未签署结果报告, 没有可导出的备案材料"))?;
    let record: Record = serde_json::from_slice(&signed.bytes).map_err(internal)?;
    let mut boards = BTreeMap::new();
    let mut rolls = BTreeMap::new();
    let mut contest_keys = BTreeMap::new();
    for rc in &record.contests {
        let contest = super::voting::contest(conn, congress_id, &ContestId::from(&rc.id))?;
        if let Some(bb) = voting::ballot_box(conn, &ContestId::from(&rc.id))? {
            contest_keys.insert(rc.id.clone(), bb.public_key_pem);
        }
        boards.insert(rc.id.clone(), results::counted(conn, &contest)?.bytes);
        rolls.insert(
            rc.id.clone(),
            roll_csv(&voting::roll_rows(conn, &ContestId::from(&rc.id))?).map_err(internal)?,
        );
        if rc.participants.is_some() {
            let id = participants_id(&rc.id);
            let (b, board) = results::participant_counted(conn, &contest)?
                .ok_or_else(|| internal(format!("{}: 列席人员选票箱不见了", rc.id)))?;
            contest_keys.insert(id.clone(), b.public_key_pem);
            boards.insert(id.clone(), board.bytes);
            let rows = term::participant_roll_rows(conn, &ContestId::from(&rc.id))?;
            rolls.insert(id, participant_roll_csv(&rows).map_err(internal)?);
        }
    }
    let mut addenda = BTreeMap::new();
    for a in records::addenda(conn, congress_id)? {
        let sig = signature_from_base64(&a.sig).map_err(internal)?;
        addenda.insert(
            addendum_name(&a.kind, usize::try_from(a.seq).unwrap_or(1)),
            Signed {
                bytes: a.body_json.into_bytes(),
                sig,
            },
        );
    }
    Ok(PacketContents {
        record: signed,
        public_key_pem: congress.public_key_pem.unwrap_or_default(),
        boards,
        rolls,
        contest_keys,
        roster_summary: row.roster_summary.into_bytes(),
        report_html: Vec::new(),
        addenda,
        approval: super::approval::packet_files(conn, congress_id)?,
    })
}
