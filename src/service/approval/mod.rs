//! The steps before a presidium election and before the session (rules C5-C7, G4): the
//! candidates' notes, the signed steps (党委批准, 请示上级学联, 公示, overrides, objections'
//! handling) that reference the candidate list's hash, the public objections, the
//! applications to the upper 学联 and their replies, and the two checks `voting::open` and
//! `attendance::open_session` make.

mod applications;
mod objections;
pub mod prior;
mod steps;

use base64::Engine;
use chrono::NaiveDate;

pub use self::applications::{
    generate_application, override_session, record_reply, ApplicationFields, ApplicationInput,
    ReplyInput,
};
pub use self::objections::{handle_objection, submit_objection, ObjectionInput, ObjectionRefused};
pub use self::steps::{record_step, set_notes, NotesInput, StepFields, StepInput};

use super::addenda::today_cst;
use super::record::{internal, now_cst};
use super::{Actor, ServiceError, ServiceResult};
use crate::crypto::SigningKey;
use crate::domain::approval::{
    needs_approval, open_refusals, session_refusal, ListSteps, NoticeCandidate,
};
use crate::domain::contest::Contest;
use crate::domain::ids::{CongressId, ContestId};
use crate::packet::approval::{self as fmt, Step, STEP_VERSION};
use crate::storage::repo::approval::{self as repo, ObjectionRow, StepRow};
use crate::storage::repo::congress::Congress;
use crate::storage::repo::contests::{self as contests_repo};
use crate::storage::repo::new_id;
use crate::storage::{now_ms, DbConnection};

/// A stored step, parsed.
#[derive(Debug, Clone)]
pub struct StoredStep {
    pub seq: i32,
    pub step: Step,
    /// The file's bytes as signed (canonical JSON) and the signature (base64).
    pub body_json: String,
    pub sig: String,
}

impl StoredStep {
    /// SHA-256 of the step's file.
    pub fn sha256(&self) -> String {
        crate::crypto::sha256_hex(self.body_json.as_bytes())
    }

    /// A string field of `data` ("" when absent).
    pub fn field(&self, name: &str) -> String {
        match self.step.data.get(name) {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Number(n)) => n.to_string(),
            _ => String::new(),
        }
    }
}

/// One presidium contest's list and what has been recorded for it.
#[derive(Debug, Clone)]
pub struct ContestApproval {
    pub contest: Contest,
    pub list: Vec<NoticeCandidate>,
    pub hash: String,
    pub steps: Vec<StoredStep>,
    pub status: ListSteps,
    /// The latest notice's first and last day.
    pub notice: Option<(NaiveDate, NaiveDate)>,
}

impl ContestApproval {
    /// The latest step of `kind`.
    pub fn latest(&self, kind: &str) -> Option<&StoredStep> {
        self.steps.iter().rev().find(|s| s.step.kind == kind)
    }
}

/// Everything the approval pages show of a congress.
#[derive(Debug, Clone)]
pub struct Overview {
    pub contests: Vec<ContestApproval>,
    /// The congress-wide steps (applications, replies, override), in order.
    pub steps: Vec<StoredStep>,
    pub objections: Vec<ObjectionRow>,
}

impl Overview {
    /// The latest congress-wide step of `kind`.
    pub fn latest(&self, kind: &str) -> Option<&StoredStep> {
        self.steps.iter().rev().find(|s| s.step.kind == kind)
    }

    /// Whether the reply to the latest application of `kind` is recorded.
    pub fn replied(&self, application_kind: &str) -> Option<&StoredStep> {
        let app = self.latest(application_kind)?;
        let sha = app.sha256();
        self.steps
            .iter()
            .rev()
            .find(|s| s.step.kind == fmt::REPLY && s.field("application_sha256") == sha)
    }
}

fn parse_step(row: &StepRow) -> ServiceResult<StoredStep> {
    Ok(StoredStep {
        seq: row.seq,
        step: serde_json::from_str(&row.body_json).map_err(internal)?,
        body_json: row.body_json.clone(),
        sig: row.sig.clone(),
    })
}

fn date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// The contest's candidate list as the notice shows it, in ballot order.
pub fn candidate_list(
    conn: &mut DbConnection,
    contest_id: &ContestId,
) -> ServiceResult<Vec<NoticeCandidate>> {
    let candidates = contests_repo::candidates(conn, contest_id)?;
    let ids: Vec<String> = candidates.iter().map(|c| c.id.clone()).collect();
    let notes = repo::notes(conn, &ids)?;
    Ok(candidates
        .into_iter()
        .map(|c| {
            let n = notes.iter().find(|n| n.candidate_id == c.id);
            NoticeCandidate {
                id: c.id.clone(),
                name: c.name.trim().to_string(),
                college: c.college.trim().to_string(),
                grade: n.map(|n| n.grade.clone()).unwrap_or_default(),
                political_status: c.political_status.trim().to_string(),
                union_post: n.map(|n| n.union_post.clone()).unwrap_or_default(),
                profile: n.map(|n| n.profile.clone()).unwrap_or_default(),
            }
        })
        .collect())
}

/// The approval overview of a congress: each presidium contest (rule C5) with its list, hash
/// and steps, the congress-wide steps and the objections.
pub fn overview(conn: &mut DbConnection, congress_id: &CongressId) -> ServiceResult<Overview> {
    let rows = repo::steps(conn, congress_id)?;
    let all: Vec<(Option<String>, StoredStep)> = rows
        .iter()
        .map(|r| Ok((r.contest_id.clone(), parse_step(r)?)))
        .collect::<ServiceResult<_>>()?;
    let objections = repo::objections(conn, congress_id)?;
    let mut contests = Vec::new();
    for k in contests_repo::list(conn, congress_id)? {
        if !needs_approval(&k) {
            continue;
        }
        let list = candidate_list(conn, &k.id)?;
        let hash = fmt::list_hash(&list).map_err(internal)?;
        let steps: Vec<StoredStep> = all
            .iter()
            .filter(|(c, _)| c.as_deref() == Some(k.id.as_str()))
            .map(|(_, s)| s.clone())
            .collect();
        let latest_hash = |kind: &str| {
            steps
                .iter()
                .rev()
                .find(|s| s.step.kind == kind)
                .and_then(|s| s.step.candidates_sha256.clone())
        };
        let notice_step = steps.iter().rev().find(|s| s.step.kind == fmt::NOTICE);
        let notice =
            notice_step.and_then(|s| Some((date(&s.field("start"))?, date(&s.field("end"))?)));
        let status = ListSteps {
            current: hash.clone(),
            approval: latest_hash(fmt::PARTY_APPROVAL),
            request: latest_hash(fmt::FEDERATION_REQUEST),
            notice: notice_step.and_then(|s| Some((s.step.candidates_sha256.clone()?, notice?.1))),
            notice_override: latest_hash(fmt::NOTICE_OVERRIDE),
            unhandled_objections: objections
                .iter()
                .filter(|o| k.id == o.contest_id && o.handling.is_none())
                .count(),
        };
        contests.push(ContestApproval {
            contest: k,
            list,
            hash,
            steps,
            status,
            notice,
        });
    }
    let steps = all
        .into_iter()
        .filter(|(c, _)| c.is_none())
        .map(|(_, s)| s)
        .collect();
    Ok(Overview {
        contests,
        steps,
        objections,
    })
}

/// Rules C5-C7: refuses opening a presidium election whose list has not been approved,
/// requested and publicly noticed (or whose notice has not ended, without an override), or
/// has objections not yet handled. Only when the congress's `approval_procedure` is on.
pub fn check_contest_open(
    conn: &mut DbConnection,
    congress: &Congress,
    contest: &Contest,
) -> ServiceResult<()> {
    if !congress.settings.approval_procedure || !needs_approval(contest) {
        return Ok(());
    }
    let o = overview(conn, &congress.id)?;
    let Some(a) = o.contests.iter().find(|a| a.contest.id == contest.id) else {
        return Ok(());
    };
    let problems = open_refusals(&contest.def.title, &a.status, today_cst());
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ServiceError::Invalid {
            message: format!("“{}”还不能开始投票", contest.def.title),
            details: problems,
        })
    }
}

/// Rule G4: refuses declaring the session open before the upper 学联's reply to the
/// application to convene is recorded, unless overridden. Only when `approval_procedure` is
/// on, and not for a meeting of the term (常代会会议, 评议会): the application is to convene
/// the 学代会 itself.
pub fn check_session_open(conn: &mut DbConnection, congress: &Congress) -> ServiceResult<()> {
    if !congress.settings.approval_procedure
        || crate::storage::repo::term::meeting(conn, &congress.id)?.is_some()
    {
        return Ok(());
    }
    let o = overview(conn, &congress.id)?;
    let replied = o.replied(fmt::APPLICATION_CONVENE).is_some();
    let overridden = o.latest(fmt::SESSION_OVERRIDE).is_some();
    match session_refusal(replied, overridden) {
        None => Ok(()),
        Some(m) => Err(ServiceError::Conflict(m)),
    }
}

/// Signs and stores a step (inside the caller's transaction) and returns it.
pub(super) fn store_step(
    c: &mut DbConnection,
    key: &SigningKey,
    congress_id: &CongressId,
    contest_id: Option<&str>,
    kind: &str,
    candidates_sha256: Option<String>,
    data: serde_json::Value,
) -> ServiceResult<StoredStep> {
    let step = Step {
        v: STEP_VERSION,
        kind: kind.to_string(),
        congress: congress_id.to_string(),
        contest: contest_id.map(str::to_string),
        candidates_sha256,
        recorded_at: now_cst(),
        data,
    };
    let signed = fmt::sign_step(key, &step).map_err(internal)?;
    let seq = repo::next_seq(c, congress_id)?;
    let body_json = String::from_utf8(signed.bytes).map_err(internal)?;
    let sig = base64::engine::general_purpose::STANDARD.encode(signed.sig);
    repo::insert_step(
        c,
        &StepRow {
            id: new_id("s"),
            congress_id: congress_id.to_string(),
            contest_id: contest_id.map(str::to_string),
            kind: kind.to_string(),
            seq,
            body_json: body_json.clone(),
            sig: sig.clone(),
            created_at: now_ms(),
        },
    )?;
    Ok(StoredStep {
        seq,
        step,
        body_json,
        sig,
    })
}

/// A required text field, trimmed, at most `max` characters; the Chinese problem otherwise.
pub(super) fn text(label: &str, value: &str, max: usize, problems: &mut Vec<String>) -> String {
    let v = value.trim().to_string();
    if v.is_empty() {
        problems.push(format!("“{label}”不能为空"));
    } else if v.chars().count() > max {
        problems.push(format!("“{label}”过长(最多{max}个字符)"));
    }
    v
}

/// A date field: YYYY-MM-DD, not after today (China Standard Time).
pub(super) fn past_date(label: &str, value: &str, problems: &mut Vec<String>) -> Option<NaiveDate> {
    match date(value.trim()) {
        None => {
            problems.push(format!("“{label}”应为 YYYY-MM-DD, 现为“{}”", value.trim()));
            None
        }
        Some(d) if d > today_cst() => {
            problems.push(format!(
                "“{label}”{d} 晚于今天({}), 不能登记尚未发生的事",
                today_cst()
            ));
            None
        }
        Some(d) => Some(d),
    }
}

pub(super) fn invalid(problems: Vec<String>) -> ServiceResult<()> {
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ServiceError::Invalid {
            message: "登记内容有误".to_string(),
            details: problems,
        })
    }
}

pub(super) fn audit(
    c: &mut DbConnection,
    actor: &Actor,
    congress_id: &CongressId,
    s: &StoredStep,
) -> ServiceResult<()> {
    actor.audit(
        c,
        Some(congress_id),
        &format!("approval.{}", s.step.kind),
        s.step.contest.as_deref(),
        None,
        Some(s.body_json.clone()),
    )?;
    Ok(())
}

/// The dates of a JSON array of `YYYY-MM-DD` strings (others skipped).
pub(crate) fn dates_of(v: &serde_json::Value) -> Vec<NaiveDate> {
    v.as_array()
        .map(|a| a.iter().filter_map(|d| d.as_str().and_then(date)).collect())
        .unwrap_or_default()
}

/// A millisecond timestamp as RFC 3339 in China Standard Time.
pub(crate) fn cst(ms: i64) -> String {
    let Some(tz) = chrono::FixedOffset::east_opt(8 * 3600) else {
        return String::new();
    };
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| {
            t.with_timezone(&tz)
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
        })
        .unwrap_or_default()
}

/// Every step of the congress in recording order, as signed (the printed record's section 七).
pub fn all_steps(conn: &mut DbConnection, congress_id: &CongressId) -> ServiceResult<Vec<Step>> {
    repo::steps(conn, congress_id)?
        .iter()
        .map(|r| Ok(parse_step(r)?.step))
        .collect()
}

/// The steps as the filing packet carries them (`approval/<seq>.<kind>.json` + `.sig`).
pub fn packet_files(
    conn: &mut DbConnection,
    congress_id: &CongressId,
) -> ServiceResult<std::collections::BTreeMap<String, crate::packet::Signed>> {
    let mut out = std::collections::BTreeMap::new();
    for r in repo::steps(conn, congress_id)? {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(&r.sig)
            .map_err(internal)?;
        let sig: [u8; crate::crypto::keys::SIGNATURE_LEN] = bytes
            .try_into()
            .map_err(|_| internal("stored step signature has a wrong length"))?;
        out.insert(
            fmt::file_stem(r.seq, &r.kind),
            crate::packet::Signed {
                bytes: r.body_json.into_bytes(),
                sig,
            },
        );
    }
    Ok(out)
}
