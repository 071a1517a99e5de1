//! Uploads that would replace stored rows wait for the uploader's confirmation.
//!
//! The first request reads and checks the file whole (errors come back as from a direct
//! import, nothing stored). When rows of its kind are already stored, the file is kept in
//! `pending_uploads` (audited `upload.pending`) for [`PENDING_MINUTES`] and the organiser is
//! shown what it would replace; confirming stores it in one transaction that also deletes the
//! pending row (so an id works once), cancelling deletes it (audited `upload.cancel`), and an
//! expired one is deleted when met, and in any case by the server's sweep ([`sweep`], at start
//! and every [`SWEEP_SECS`]): the file holds students' data, kept no longer than its
//! confirmation needs. A pending upload belongs to its congress and its
//! uploader: nobody else can confirm it. A first import (nothing stored of its kind) needs no
//! confirmation and is stored at once.

use crate::domain::ids::CongressId;
use crate::storage::repo::new_id;
use crate::storage::repo::pending::{self as repo, PendingUpload};
use crate::storage::{now_ms, write_tx, DbConnection};

use super::previews::stored_rows;
use super::roster::{self, ImportFailure, ImportKind, ImportOutcome, RosterFile, UploadedRoster};
use super::{Actor, ServiceError, ServiceResult};

/// How long a pending upload waits for its confirmation.
pub const PENDING_MINUTES: i64 = 30;

/// How often a server deletes the pending uploads whose time ran out.
pub const SWEEP_SECS: u64 = 60;

/// Deletes every pending upload whose time ran out; how many. Reads first and writes only when
/// one expired, so an idle server takes no write lock.
pub fn sweep(conn: &mut DbConnection) -> ServiceResult<usize> {
    let now = now_ms();
    if !repo::any_expired(conn, now)? {
        return Ok(0);
    }
    write_tx(conn, |c| -> ServiceResult<usize> {
        Ok(repo::purge_expired(c, now)?)
    })
}

/// What an upload gave: stored at once, or waiting for confirmation.
#[derive(Debug)]
pub enum Staged<T> {
    Done(T),
    /// Kept as `id`, replacing `replaces` stored rows with `new_rows`.
    Pending(PendingUpload),
}

/// The pending upload a confirmation takes, inside the transaction that stores it.
#[derive(Debug, Clone)]
pub struct Claim {
    id: String,
}

impl Claim {
    /// Deletes the pending row; a row already gone (a second confirmation racing this one)
    /// refuses the whole transaction.
    pub(crate) fn take(&self, conn: &mut DbConnection) -> ServiceResult<()> {
        if repo::delete(conn, &self.id)? {
            Ok(())
        } else {
            Err(used())
        }
    }
}

/// An id that is no longer pending: confirmed, cancelled, or expired and swept away.
fn used() -> ServiceError {
    ServiceError::Conflict(format!(
        "这次上传已经确认或已取消, 或已超过{PENDING_MINUTES}分钟未确认而作废, 不能再次使用; 如需导入, 请重新上传文件"
    ))
}

/// Stages or imports a file of `kind` (enrolment, societies, nominees).
pub fn stage_import(
    conn: &mut DbConnection,
    actor: &Actor,
    cid: &CongressId,
    kind: ImportKind,
    file_name: &str,
    bytes: &[u8],
) -> Result<Staged<ImportOutcome>, ImportFailure> {
    let checked = roster::check_file(conn, cid, kind, file_name, bytes)?;
    let replaces = stored_rows(conn, cid, kind.slug())?;
    if replaces == 0 {
        return roster::store_file(conn, actor, cid, checked, None).map(Staged::Done);
    }
    let p = keep(
        conn,
        actor,
        cid,
        kind.slug(),
        &checked.file_name,
        bytes,
        replaces,
        checked.rows,
    )?;
    Ok(Staged::Pending(p))
}

/// Stages or stores an uploaded roster.
pub fn stage_roster(
    conn: &mut DbConnection,
    actor: &Actor,
    cid: &CongressId,
    file_name: &str,
    bytes: &[u8],
) -> Result<Staged<UploadedRoster>, ImportFailure> {
    let checked = match roster::check_roster(conn, cid, file_name, bytes)? {
        RosterFile::Judged(u) => return Ok(Staged::Done(u)),
        RosterFile::Checked(c) => c,
    };
    let replaces = stored_rows(conn, cid, "roster")?;
    if replaces == 0 {
        return roster::store_roster(conn, actor, cid, checked, None).map(Staged::Done);
    }
    let rows = checked.rows();
    let p = keep(
        conn,
        actor,
        cid,
        "roster",
        &checked.file_name,
        bytes,
        replaces,
        rows,
    )?;
    Ok(Staged::Pending(p))
}

fn count(n: usize) -> ServiceResult<i64> {
    i64::try_from(n).map_err(|_| ServiceError::internal(format!("{n} rows do not fit i64")))
}

#[allow(clippy::too_many_arguments)]
fn keep(
    conn: &mut DbConnection,
    actor: &Actor,
    cid: &CongressId,
    kind: &str,
    file_name: &str,
    bytes: &[u8],
    replaces: i64,
    rows: usize,
) -> ServiceResult<PendingUpload> {
    let now = now_ms();
    let row = PendingUpload {
        id: new_id("u"),
        congress_id: cid.to_string(),
        username: actor.username.clone(),
        kind: kind.to_string(),
        contest_id: None,
        file_name: file_name.to_string(),
        bytes: bytes.to_vec(),
        replaces,
        new_rows: count(rows)?,
        created_at: now,
        expires_at: now + PENDING_MINUTES * 60 * 1000,
    };
    write_tx(conn, |c| -> ServiceResult<()> {
        repo::purge_expired(c, now)?;
        repo::insert(c, &row)?;
        let after = serde_json::json!({
            "kind": kind, "file": file_name, "rows": row.new_rows, "replaces": replaces,
        });
        actor.audit(
            c,
            Some(cid),
            "upload.pending",
            Some(kind),
            None,
            Some(after.to_string()),
        )?;
        Ok(())
    })?;
    Ok(row)
}

/// The pending upload `id` of `kind` at `cid`, if this actor may confirm it now; an expired
/// one is deleted and refused.
pub fn find(
    conn: &mut DbConnection,
    actor: &Actor,
    cid: &CongressId,
    kind: &str,
    id: &str,
) -> ServiceResult<PendingUpload> {
    let p = repo::get(conn, id)?
        .filter(|p| *cid == p.congress_id && p.kind == kind)
        .ok_or_else(used)?;
    if p.username != actor.username {
        return Err(ServiceError::Conflict(
            "这份文件是另一位组织者上传的, 只有上传者本人可以确认或取消".to_string(),
        ));
    }
    if p.expires_at < now_ms() {
        write_tx(conn, |c| -> ServiceResult<bool> {
            Ok(repo::delete(c, id)?)
        })?;
        return Err(ServiceError::Conflict(format!(
            "这次上传已超过{PENDING_MINUTES}分钟未确认, 已作废, 现有数据未改变; 如需导入, 请重新上传文件"
        )));
    }
    Ok(p)
}

/// Confirms a pending file of `kind`: checks it again and stores it with the claim.
pub fn confirm_import(
    conn: &mut DbConnection,
    actor: &Actor,
    cid: &CongressId,
    kind: ImportKind,
    id: &str,
) -> Result<ImportOutcome, ImportFailure> {
    let p = find(conn, actor, cid, kind.slug(), id)?;
    let checked = roster::check_file(conn, cid, kind, &p.file_name, &p.bytes)?;
    roster::store_file(conn, actor, cid, checked, Some(&Claim { id: p.id }))
}

/// Confirms a pending roster.
pub fn confirm_roster(
    conn: &mut DbConnection,
    actor: &Actor,
    cid: &CongressId,
    id: &str,
) -> Result<UploadedRoster, ImportFailure> {
    let p = find(conn, actor, cid, "roster", id)?;
    match roster::check_roster(conn, cid, &p.file_name, &p.bytes)? {
        RosterFile::Judged(u) => Ok(u),
        RosterFile::Checked(c) => {
            roster::store_roster(conn, actor, cid, c, Some(&Claim { id: p.id }))
        }
    }
}

/// Cancels a pending upload: deleted, nothing stored.
pub fn cancel(
    conn: &mut DbConnection,
    actor: &Actor,
    cid: &CongressId,
    kind: &str,
    id: &str,
) -> ServiceResult<PendingUpload> {
    let p = find(conn, actor, cid, kind, id)?;
    write_tx(conn, |c| -> ServiceResult<()> {
        Claim { id: p.id.clone() }.take(c)?;
        let after = serde_json::json!({ "kind": kind, "file": p.file_name });
        actor.audit(
            c,
            Some(cid),
            "upload.cancel",
            Some(kind),
            None,
            Some(after.to_string()),
        )?;
        Ok(())
    })?;
    Ok(p)
}
