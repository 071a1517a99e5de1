//! `/api/v1/congresses/{cid}/contests/{id}/...`: running a contest as the staff console
//! (`routes::console`) does: its figures, opening (quorum, ballots issued), closing (counted
//! at once when no paper ballot is outstanding), counting with unreturned paper ballots
//! confirmed, putting a delegate on paper, entering a returned paper ballot as it is marked
//! (E5), and the roll. Same services and the same authorisation as the pages.

use std::collections::BTreeMap;

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::congresses::{api_actor, load};
use crate::domain::ballot::{motion_as_marked, Mark};
use crate::domain::contest::{Contest, ContestAction};
use crate::domain::ids::{CongressId, ContestId};
use crate::service::results::{self, Finalised};
use crate::service::{publish, voting};
use crate::storage::repo::term as term_repo;
use crate::storage::repo::voting as voting_repo;
use crate::storage::DbConnection;
use crate::web::auth::{ApiUser, Need};
use crate::web::error::{ApiErrorBody, ApiResult, WebResult};
use crate::web::AppState;

/// A contest's voting figures.
#[derive(Serialize, ToSchema)]
pub struct VotingJson {
    pub id: String,
    pub title: String,
    /// draft | open | closed | final
    pub state: String,
    pub state_zh: String,
    /// 实到 when it opened = ballots issued.
    pub issued: Option<u32>,
    /// 应到 when it opened.
    pub expected: Option<u32>,
    /// Ballots in the box (phone and paper).
    pub cast: i64,
    /// Delegates on the roll (voted by phone or handed a paper ballot).
    pub roll: i64,
    pub paper_issued: u32,
    pub paper_entered: i64,
    /// The count once final (the record's `result`).
    #[schema(value_type = Option<Object>)]
    pub result: Option<serde_json::Value>,
    /// Further rounds this count proposed (draft contest ids).
    pub proposed: Vec<String>,
    /// A 评议会 counting its participants apart (rule I7): their own box, never part of the
    /// figures above or the result; absent otherwise.
    pub participants: Option<ParticipantsVotingJson>,
}

/// The participants' box of a contest counting them apart (rule I7).
#[derive(Serialize, ToSchema)]
pub struct ParticipantsVotingJson {
    /// Always "列席评议人员 (分开计票, 不计入结果)".
    pub label: String,
    /// Participants listed when it opened (their 应到).
    pub listed: u32,
    /// Participants present when it opened: papers issued to them (their 实到).
    pub issued: u32,
    /// Participants who took their paper.
    pub roll: u64,
    /// Participants' ballots in the box.
    pub cast: u64,
    /// Their separate tally once final (the record's `participants.result`).
    #[schema(value_type = Option<Object>)]
    pub result: Option<serde_json::Value>,
}

fn figures(
    conn: &mut DbConnection,
    contest: &Contest,
    proposed: Vec<String>,
) -> WebResult<VotingJson> {
    Ok(VotingJson {
        id: contest.id.to_string(),
        title: contest.def.title.clone(),
        state: contest.state.as_str().to_string(),
        state_zh: contest.state.zh().to_string(),
        issued: contest.issued,
        expected: contest.expected,
        cast: voting_repo::ballot_count(conn, &contest.id)?,
        roll: voting_repo::roll_count(conn, &contest.id)?,
        paper_issued: contest.paper_issued,
        paper_entered: voting_repo::paper_entered(conn, &contest.id)?,
        result: contest
            .result
            .as_deref()
            .and_then(|r| serde_json::from_str(r).ok()),
        proposed,
        participants: match term_repo::participant_box(conn, &contest.id)? {
            Some(b) => Some(ParticipantsVotingJson {
                label: crate::domain::term::APART_LABEL.to_string(),
                listed: b.listed,
                issued: b.issued,
                roll: term_repo::participant_roll_rows(conn, &contest.id)?.len() as u64,
                cast: term_repo::participant_ballot_bodies(conn, &contest.id)?.len() as u64,
                result: b
                    .result
                    .as_deref()
                    .and_then(|r| serde_json::from_str(r).ok()),
            }),
            None => None,
        },
    })
}

/// The contest now, with the rounds `done` proposed.
fn after(
    conn: &mut DbConnection,
    cid: &CongressId,
    kid: &ContestId,
    done: Option<Finalised>,
) -> WebResult<VotingJson> {
    let contest = voting::contest(conn, cid, kid)?;
    let proposed = done.map_or_else(Vec::new, |d| {
        d.proposed.into_iter().map(|k| k.id.into_string()).collect()
    });
    figures(conn, &contest, proposed)
}

type Ids = web::Path<(CongressId, ContestId)>;

/// The contest's voting figures (owner and scrutineers).
#[utoipa::path(get, path = "/api/v1/congresses/{cid}/contests/{id}/voting", tag = "voting",
    params(("cid" = String, Path, description = "congress id"), ("id" = String, Path, description = "contest id")),
    responses((status = 200, body = VotingJson), (status = 401, body = ApiErrorBody),
        (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn get(state: web::Data<AppState>, u: ApiUser, path: Ids) -> ApiResult<HttpResponse> {
    let (cid, kid) = path.into_inner();
    load(&state, &u, &cid, Need::Read).await?;
    let out = state.run(move |c| after(c, &cid, &kid, None)).await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Opens the contest (owner; in session, ready, quorum met): 实到 now is the ballots issued.
#[utoipa::path(post, path = "/api/v1/congresses/{cid}/contests/{id}/open", tag = "voting",
    params(("cid" = String, Path, description = "congress id"), ("id" = String, Path, description = "contest id")),
    responses((status = 200, body = VotingJson), (status = 401, body = ApiErrorBody),
        (status = 403, body = ApiErrorBody), (status = 409, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody, description = "not ready, or no quorum (D2)")),
    security(("bearer" = [])))]
pub async fn open(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: ApiUser,
    path: Ids,
) -> ApiResult<HttpResponse> {
    let (cid, kid) = path.into_inner();
    load(&state, &u, &cid, Need::Own).await?;
    let actor = api_actor(&u, &req);
    let keys = state.keys.clone();
    let out = state
        .run(move |c| {
            voting::open(c, &actor, &keys, &cid, &kid)?;
            after(c, &cid, &kid, None)
        })
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Closes the contest (owner). With no paper ballot outstanding it is counted and published
/// at once (`state` final, `result` set); otherwise it waits for the paper ballots or `count`.
#[utoipa::path(post, path = "/api/v1/congresses/{cid}/contests/{id}/close", tag = "voting",
    params(("cid" = String, Path, description = "congress id"), ("id" = String, Path, description = "contest id")),
    responses((status = 200, body = VotingJson), (status = 401, body = ApiErrorBody),
        (status = 403, body = ApiErrorBody), (status = 409, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn close(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: ApiUser,
    path: Ids,
) -> ApiResult<HttpResponse> {
    let (cid, kid) = path.into_inner();
    load(&state, &u, &cid, Need::Own).await?;
    let actor = api_actor(&u, &req);
    let out = state
        .run(move |c| {
            let contest = voting::close(c, &actor, &cid, &kid)?;
            let pending = contest.paper_issued as i64 - voting_repo::paper_entered(c, &kid)?;
            let done = if pending > 0 {
                None
            } else {
                Some(results::finalise(c, &actor, &cid, &kid, false)?)
            };
            after(c, &cid, &kid, done)
        })
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// How to count.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CountBody {
    /// Confirms that the paper ballots not entered were not returned.
    #[serde(default)]
    pub missing_paper_ok: bool,
}

/// Counts a closed contest and publishes its board (owner); 422 while paper ballots are
/// outstanding unless `missing_paper_ok`.
#[utoipa::path(post, path = "/api/v1/congresses/{cid}/contests/{id}/count", tag = "voting",
    request_body = CountBody,
    params(("cid" = String, Path, description = "congress id"), ("id" = String, Path, description = "contest id")),
    responses((status = 200, body = VotingJson), (status = 401, body = ApiErrorBody),
        (status = 403, body = ApiErrorBody), (status = 409, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn count(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: ApiUser,
    path: Ids,
    body: web::Json<CountBody>,
) -> ApiResult<HttpResponse> {
    let (cid, kid) = path.into_inner();
    load(&state, &u, &cid, Need::Own).await?;
    let actor = api_actor(&u, &req);
    let ok = body.missing_paper_ok;
    let out = state
        .run(move |c| {
            let done = results::finalise(c, &actor, &cid, &kid, ok)?;
            after(c, &cid, &kid, Some(done))
        })
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// A delegate to put on paper.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignBody {
    pub delegate_no: u32,
}

/// Puts a delegate on paper for this contest (owner and scrutineers, while open): they are
/// on the roll and can no longer vote by phone.
#[utoipa::path(post, path = "/api/v1/congresses/{cid}/contests/{id}/paper/assign", tag = "voting",
    request_body = AssignBody,
    params(("cid" = String, Path, description = "congress id"), ("id" = String, Path, description = "contest id")),
    responses((status = 200, body = VotingJson), (status = 401, body = ApiErrorBody),
        (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody),
        (status = 409, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn assign(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: ApiUser,
    path: Ids,
    body: web::Json<AssignBody>,
) -> ApiResult<HttpResponse> {
    let (cid, kid) = path.into_inner();
    load(&state, &u, &cid, Need::Scrutinise).await?;
    let actor = api_actor(&u, &req);
    let no = body.delegate_no;
    let out = state
        .run(move |c| {
            voting::assign_paper(c, &actor, &cid, &kid, no)?;
            after(c, &cid, &kid, None)
        })
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// One returned paper ballot, as it is marked.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PaperBody {
    /// Election: candidate id -> for | against | abstain (a candidate left out is abstain).
    #[serde(default)]
    #[schema(value_type = Object)]
    pub candidates: BTreeMap<String, Mark>,
    /// Election: the 另选他人 lines as written (a listed candidate's name makes it 废票).
    #[serde(default)]
    pub write_ins: Vec<String>,
    /// Motion: every mark made on the paper (none: a blank paper; several: 废票).
    #[serde(default)]
    #[schema(value_type = Vec<String>)]
    pub marks: Vec<Mark>,
}

/// The entered ballot's tracker and the contest after it.
#[derive(Serialize, ToSchema)]
pub struct EnteredJson {
    pub ballot_hash: String,
    pub voting: VotingJson,
}

/// Enters a returned paper ballot as it is marked (owner and scrutineers; open or closed, up
/// to the number handed out). The last one of a closed contest counts it.
#[utoipa::path(post, path = "/api/v1/congresses/{cid}/contests/{id}/paper", tag = "voting",
    request_body = PaperBody,
    params(("cid" = String, Path, description = "congress id"), ("id" = String, Path, description = "contest id")),
    responses((status = 201, body = EnteredJson), (status = 400, body = ApiErrorBody),
        (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
        (status = 409, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn enter(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: ApiUser,
    path: Ids,
    body: web::Json<PaperBody>,
) -> ApiResult<HttpResponse> {
    let (cid, kid) = path.into_inner();
    load(&state, &u, &cid, Need::Scrutinise).await?;
    let actor = api_actor(&u, &req);
    let b = body.into_inner();
    let key = state.contest_key(&cid, &kid)?;
    let out = state
        .run(move |c| {
            let paper = voting::ballot_paper(c, &cid, &kid)?;
            let choices = match &paper.election {
                Some(e) => e
                    .fill_as_marked(&b.candidates, &b.write_ins)
                    .map_err(|err| crate::web::error::WebError::BadRequest(err.to_string()))?,
                None => motion_as_marked(&b.marks),
            };
            let hash = voting::enter_paper(c, &actor, &key, &cid, &kid, choices)?;
            let contest = voting::contest(c, &cid, &kid)?;
            let entered = voting_repo::paper_entered(c, &kid)?;
            let last =
                contest.allows(ContestAction::Count) && entered >= contest.paper_issued as i64;
            let done = if last {
                Some(results::finalise(c, &actor, &cid, &kid, false)?)
            } else {
                None
            };
            Ok(EnteredJson {
                ballot_hash: hash,
                voting: after(c, &cid, &kid, done)?,
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(out))
}

/// A delegate on the roll (never linked to a ballot).
#[derive(Serialize, ToSchema)]
pub struct RollJson {
    pub delegate_no: u32,
    pub name: String,
    pub college: String,
}

/// Who voted or was handed a paper ballot in the contest (owner and scrutineers, once it has
/// opened): personal data, never on a public page.
#[utoipa::path(get, path = "/api/v1/congresses/{cid}/contests/{id}/roll", tag = "voting",
    params(("cid" = String, Path, description = "congress id"), ("id" = String, Path, description = "contest id")),
    responses((status = 200, body = [RollJson]), (status = 401, body = ApiErrorBody),
        (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn roll(state: web::Data<AppState>, u: ApiUser, path: Ids) -> ApiResult<HttpResponse> {
    let (cid, kid) = path.into_inner();
    load(&state, &u, &cid, Need::Read).await?;
    let rows = state
        .run(move |c| Ok(publish::roll(c, &cid, &kid)?.1))
        .await?;
    let out: Vec<RollJson> = rows
        .into_iter()
        .map(|(delegate_no, name, college)| RollJson {
            delegate_no,
            name,
            college,
        })
        .collect();
    Ok(HttpResponse::Ok().json(out))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    let one = "/congresses/{cid}/contests/{id}";
    cfg.route(&format!("{one}/voting"), web::get().to(get))
        .route(&format!("{one}/open"), web::post().to(open))
        .route(&format!("{one}/close"), web::post().to(close))
        .route(&format!("{one}/count"), web::post().to(count))
        .route(&format!("{one}/paper/assign"), web::post().to(assign))
        .route(&format!("{one}/paper"), web::post().to(enter))
        .route(&format!("{one}/roll"), web::get().to(roll));
}
