//! `/api/v1/congresses/{cid}/attendance`, `/absences` and `/session/open`: what the attendance
//! page does, for scripts: the figures (应到, 实到, quorum) with every delegate's presence,
//! approved absences (请假, D1) with their reasons, staff check-in by delegate number (D2) and
//! the organiser's "宣布开会". Same services and the same authorisation as the page.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::congresses::{api_actor, load};
use crate::domain::ids::CongressId;
use crate::service::attendance::{self, Attendance};
use crate::storage::repo::roster::Delegate;
use crate::web::auth::{ApiUser, Need};
use crate::web::error::{ApiErrorBody, ApiResult};
use crate::web::AppState;

/// The attendance figures now (rules D1, D2).
#[derive(Serialize, ToSchema)]
pub struct FiguresJson {
    /// Delegates on the frozen roster.
    pub roster: u64,
    /// Approved absences (请假).
    pub absences: u64,
    /// 应到 (minus approved absences when the congress's setting says so).
    pub expected: u64,
    /// 实到: checked in now.
    pub present: u64,
    pub quorum_met: bool,
    /// The smallest 实到 that meets the quorum.
    pub quorum_needed: u64,
    /// e.g. "超过2/3"
    pub quorum_rule: String,
}

impl From<&Attendance> for FiguresJson {
    fn from(a: &Attendance) -> Self {
        FiguresJson {
            roster: a.roster,
            absences: a.absences,
            expected: a.expected,
            present: a.present,
            quorum_met: a.quorum_met,
            quorum_needed: a.quorum_needed,
            quorum_rule: a.quorum_rule.clone(),
        }
    }
}

/// One delegate's presence (never anything about their ballots).
#[derive(Serialize, ToSchema)]
pub struct PresenceJson {
    pub delegate_no: u32,
    pub name: String,
    pub college: String,
    pub present: bool,
    /// Checked in at, milliseconds since the epoch.
    pub checked_in_at: Option<i64>,
    pub absence_approved: bool,
    pub absence_reason: Option<String>,
}

impl From<&Delegate> for PresenceJson {
    fn from(d: &Delegate) -> Self {
        PresenceJson {
            delegate_no: d.delegate_no,
            name: d.student.name.clone(),
            college: d.student.college.clone(),
            present: d.present,
            checked_in_at: d.checked_in_at,
            absence_approved: d.absence_approved,
            absence_reason: d.absence_reason.clone(),
        }
    }
}

/// The figures and every delegate.
#[derive(Serialize, ToSchema)]
pub struct AttendanceJson {
    pub figures: FiguresJson,
    pub delegates: Vec<PresenceJson>,
}

/// The attendance figures and every delegate's presence (owner and scrutineers).
#[utoipa::path(get, path = "/api/v1/congresses/{cid}/attendance", tag = "attendance",
    params(("cid" = String, Path, description = "congress id")),
    responses((status = 200, body = AttendanceJson), (status = 401, body = ApiErrorBody),
        (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn get(
    state: web::Data<AppState>,
    u: ApiUser,
    cid: web::Path<CongressId>,
) -> ApiResult<HttpResponse> {
    let c = load(&state, &u, &cid, Need::Read).await?;
    let (fig, delegates) = state
        .run(move |conn| Ok(attendance::attendance(conn, &c.id)?))
        .await?;
    Ok(HttpResponse::Ok().json(AttendanceJson {
        figures: FiguresJson::from(&fig),
        delegates: delegates.iter().map(PresenceJson::from).collect(),
    }))
}

/// A change to one delegate's presence or absence.
#[derive(Serialize, ToSchema)]
pub struct ChangeJson {
    pub delegate: PresenceJson,
    /// false when the delegate was already in that state (nothing recorded).
    pub changed: bool,
    pub figures: FiguresJson,
}

async fn change(
    state: &AppState,
    cid: CongressId,
    delegate: Delegate,
    changed: bool,
) -> ApiResult<HttpResponse> {
    let (fig, _) = state
        .run(move |conn| Ok(attendance::attendance(conn, &cid)?))
        .await?;
    Ok(HttpResponse::Ok().json(ChangeJson {
        delegate: PresenceJson::from(&delegate),
        changed,
        figures: FiguresJson::from(&fig),
    }))
}

/// An approved absence to record or withdraw.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AbsenceBody {
    pub delegate_no: u32,
    /// true: record the approved absence; false: withdraw it.
    pub approved: bool,
    /// Required (at most 200 characters); kept with the absence and in the audit log.
    pub reason: String,
}

/// Records or withdraws an approved absence (请假, D1) with its reason (owner; after the
/// roster is frozen and before the session opens). 409 outside that time or for a delegate
/// already checked in; 422 without a reason.
#[utoipa::path(post, path = "/api/v1/congresses/{cid}/absences", tag = "attendance",
    request_body = AbsenceBody,
    params(("cid" = String, Path, description = "congress id")),
    responses((status = 200, body = ChangeJson), (status = 401, body = ApiErrorBody),
        (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody),
        (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn absence(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: ApiUser,
    cid: web::Path<CongressId>,
    body: web::Json<AbsenceBody>,
) -> ApiResult<HttpResponse> {
    let c = load(&state, &u, &cid, Need::Own).await?;
    let actor = api_actor(&u, &req);
    let b = body.into_inner();
    let id = c.id.clone();
    let (d, changed) = state
        .run(move |conn| {
            Ok(attendance::set_absence(
                conn,
                &actor,
                &id,
                b.delegate_no,
                b.approved,
                &b.reason,
            )?)
        })
        .await?;
    change(&state, c.id, d, changed).await
}

/// A staff check-in or check-out.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PresenceBody {
    pub delegate_no: u32,
    /// true: check in (签到); false: check out (签退).
    pub present: bool,
}

/// Checks a delegate in or out by number (owner and scrutineers, while in session), as the
/// attendance page's form does.
#[utoipa::path(post, path = "/api/v1/congresses/{cid}/attendance", tag = "attendance",
    request_body = PresenceBody,
    params(("cid" = String, Path, description = "congress id")),
    responses((status = 200, body = ChangeJson), (status = 401, body = ApiErrorBody),
        (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody),
        (status = 409, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn check(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: ApiUser,
    cid: web::Path<CongressId>,
    body: web::Json<PresenceBody>,
) -> ApiResult<HttpResponse> {
    let c = load(&state, &u, &cid, Need::Scrutinise).await?;
    let actor = api_actor(&u, &req);
    let b = body.into_inner();
    let id = c.id.clone();
    let (d, changed) = state
        .run(move |conn| {
            Ok(attendance::set_present(
                conn,
                &actor,
                &id,
                b.delegate_no,
                b.present,
            )?)
        })
        .await?;
    change(&state, c.id, d, changed).await
}

/// "宣布开会": the session starts (owner, once the cards are issued); delegates' first login
/// checks them in from now on.
#[utoipa::path(post, path = "/api/v1/congresses/{cid}/session/open", tag = "attendance",
    params(("cid" = String, Path, description = "congress id")),
    responses((status = 200, body = AttendanceJson), (status = 401, body = ApiErrorBody),
        (status = 403, body = ApiErrorBody), (status = 409, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn open_session(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: ApiUser,
    cid: web::Path<CongressId>,
) -> ApiResult<HttpResponse> {
    let c = load(&state, &u, &cid, Need::Own).await?;
    let actor = api_actor(&u, &req);
    let (fig, delegates) = state
        .run(move |conn| {
            attendance::open_session(conn, &actor, &c.id)?;
            Ok(attendance::attendance(conn, &c.id)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(AttendanceJson {
        figures: FiguresJson::from(&fig),
        delegates: delegates.iter().map(PresenceJson::from).collect(),
    }))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/congresses/{cid}/attendance", web::get().to(get))
        .route("/congresses/{cid}/attendance", web::post().to(check))
        .route("/congresses/{cid}/absences", web::post().to(absence))
        .route(
            "/congresses/{cid}/session/open",
            web::post().to(open_session),
        );
}
