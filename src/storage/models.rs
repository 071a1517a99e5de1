//! Row types: one `Queryable` + `Insertable` struct per table, mirroring `schema.rs`.
//! Conversion to domain types lives in the repositories.

use diesel::prelude::*;

use super::schema::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: String,
    pub username: String,
    pub password_hash: String,
    pub role: String,
    pub must_change_password: bool,
    pub created_at: i64,
    pub session_epoch: i64,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = api_tokens)]
pub struct ApiTokenRow {
    pub id: String,
    pub user_id: String,
    pub token_hash: String,
    pub label: String,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = throttle_events)]
pub struct ThrottleEventRow {
    pub id: String,
    pub bucket: String,
    pub at: i64,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = congresses)]
#[diesel(treat_none_as_null = true)]
pub struct CongressRow {
    pub id: String,
    pub name: String,
    pub school: String,
    pub level: String,
    pub session_no: i32,
    pub date: String,
    pub place: String,
    pub owner_id: String,
    pub state: String,
    pub settings: String,
    pub public_key_pem: Option<String>,
    pub key_fingerprint: Option<String>,
    pub roster_report: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = enrolment)]
pub struct EnrolmentRow {
    pub congress_id: String,
    pub college: String,
    pub grade: String,
    pub students: i64,
    pub row_no: i32,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = societies)]
pub struct SocietyRow {
    pub congress_id: String,
    pub name: String,
    pub main: bool,
    pub row_no: i32,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = nominees)]
pub struct NomineeRow {
    pub congress_id: String,
    pub student_no: String,
    pub name: String,
    pub college: String,
    pub grade: String,
    pub gender: String,
    pub union_role: Option<String>,
    pub political_status: Option<String>,
    pub societies: String,
    pub votes: i64,
    pub row_no: i32,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = delegates)]
pub struct DelegateRow {
    pub id: String,
    pub congress_id: String,
    pub delegate_no: i32,
    pub student_no: String,
    pub name: String,
    pub college: String,
    pub grade: String,
    pub gender: String,
    pub union_role: Option<String>,
    pub political_status: Option<String>,
    pub societies: String,
    pub kind: String,
    pub token_hash: Option<String>,
    pub code_hash: Option<String>,
    pub token_issued_at: Option<i64>,
    pub session_epoch: i64,
    pub present: bool,
    pub checked_in_at: Option<i64>,
    pub absence_approved: bool,
    pub absence_reason: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = scrutineers)]
pub struct ScrutineerRow {
    pub id: String,
    pub congress_id: String,
    pub role: String,
    pub name: String,
    pub student_no: Option<String>,
    pub user_id: Option<String>,
    pub position: i32,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = contests)]
#[diesel(treat_none_as_null = true)]
pub struct ContestRow {
    pub id: String,
    pub congress_id: String,
    pub kind: String,
    pub motion_kind: Option<String>,
    pub title: String,
    pub body: String,
    pub agenda_order: i32,
    pub seats: Option<i32>,
    pub allow_write_in: bool,
    pub threshold: String,
    pub margin_override: Option<String>,
    pub parent_id: Option<String>,
    pub round_kind: Option<String>,
    pub state: String,
    pub issued: Option<i32>,
    /// 应到 when the contest opened.
    pub expected: Option<i32>,
    pub paper_issued: i32,
    pub opened_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub cast_count: Option<i32>,
    pub merkle_root: Option<String>,
    pub result: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    /// presidium | committee | standing | other (elections only).
    pub election_kind: Option<String>,
    pub threshold_reason: Option<String>,
    /// Why a proposed further round is not held (F2, F3).
    pub not_held_reason: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = candidates)]
#[diesel(treat_none_as_null = true)]
pub struct CandidateRow {
    pub id: String,
    pub contest_id: String,
    pub name: String,
    pub student_no: String,
    pub college: String,
    pub gender: Option<String>,
    pub political_status: String,
    pub rank_pct: Option<i32>,
    pub failed_courses: i32,
    pub eligibility_override: Option<String>,
    pub organiser_order: i32,
    pub ballot_order: i32,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = contest_voters)]
pub struct ContestVoterRow {
    pub contest_id: String,
    pub delegate_id: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = roll)]
pub struct RollRow {
    pub contest_id: String,
    pub delegate_id: String,
    /// `phone` (a blind signature was issued) or `paper` (handed a paper ballot).
    pub kind: String,
    /// SHA-256 of the blinded message (hex), phone papers only.
    pub blinded_sha256: Option<String>,
    /// The blind signature (standard base64), phone papers only.
    pub blind_sig: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = ballot_boxes)]
pub struct BallotBoxRow {
    pub contest_id: String,
    /// The contest key's public half, SubjectPublicKeyInfo PEM.
    pub public_key_pem: String,
    /// SHA-256 of the SubjectPublicKeyInfo DER, hex.
    pub key_fingerprint: String,
    pub paper_entered: i32,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = ballots)]
pub struct BallotRow {
    pub contest_id: String,
    /// The paper's token, 128 lower-case hex characters.
    pub token: String,
    pub ballot_hash: String,
    /// Canonical JSON of the v2 ballot (`docs/formats.md`).
    pub body: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = records)]
pub struct RecordRow {
    pub congress_id: String,
    pub record_json: String,
    pub record_sig: String,
    pub record_hash: String,
    /// The exact bytes of roster-summary.json the record hashes.
    pub roster_summary: String,
    pub signed_at: i64,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = addenda)]
pub struct AddendumRow {
    pub id: String,
    pub congress_id: String,
    pub kind: String,
    pub body_json: String,
    pub sig: String,
    pub created_at: i64,
    /// 1 for the first addendum of its kind, 2, 3... for corrections.
    pub seq: i32,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_log)]
pub struct AuditRow {
    pub seq: i64,
    pub at: i64,
    pub actor: String,
    pub role: String,
    pub congress_id: Option<String>,
    pub action: String,
    pub target: Option<String>,
    pub addr: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = audit_log)]
pub struct NewAuditRow {
    pub at: i64,
    pub actor: String,
    pub role: String,
    pub congress_id: Option<String>,
    pub action: String,
    pub target: Option<String>,
    pub addr: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
}
