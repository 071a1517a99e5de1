//! The public board as data, without authentication (boards carry no personal data):
//! `board.json` exactly as published (the canonical bytes `sha256sum` and the record bind),
//! and the RFC 6962 audit path of any ballot on it.

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::domain::ids::{CongressId, ContestId};
use crate::service::publish;
use crate::web::error::{ApiErrorBody, ApiResult, WebError};
use crate::web::AppState;

/// A ballot's inclusion proof on its contest's board.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProofJson {
    pub congress: String,
    pub contest: String,
    /// The ballot's hash (its tracker), the leaf datum.
    pub ballot_hash: String,
    /// Position on the board, 0-based, board order (ascending hash).
    pub index: u64,
    /// Ballots on the board.
    pub tree_size: u64,
    /// The audit path, leaf side first, lower-case hex.
    pub path: Vec<String>,
    /// The board's `merkle_root`.
    pub root: String,
    /// The ballot object as on the board.
    #[schema(value_type = Object)]
    pub ballot: serde_json::Value,
}

/// Which board of a contest.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BoardQuery {
    /// `delegates` (the default: the result's board) or `participants` (a 评议会's
    /// participants counted apart, rule I7: the packet's `boards/<contest>-participants.board.json`).
    pub group: Option<String>,
}

impl BoardQuery {
    /// Whether the participants' board is asked for; 400 for an unknown group.
    fn participants(&self) -> Result<bool, WebError> {
        match self.group.as_deref() {
            None | Some("delegates") => Ok(false),
            Some("participants") => Ok(true),
            Some(other) => Err(WebError::BadRequest(format!(
                "group 应为 \"delegates\"(代表, 默认)或 \"participants\"(列席评议人员), 实为 \"{other}\""
            ))),
        }
    }
}

/// A counted contest's board (公示): the canonical JSON bytes exactly as published. Public.
/// `?group=participants` serves the participants' board of a contest counting them apart
/// (rule I7; 404 when it has none).
#[utoipa::path(get, path = "/api/v1/congresses/{cid}/contests/{id}/board.json", tag = "board",
    params(("cid" = String, Path, description = "congress id"), ("id" = String, Path, description = "contest id"), BoardQuery),
    responses((status = 200, description = "board (canonical JSON, docs/formats.md)", content_type = "application/json"),
        (status = 400, body = ApiErrorBody, description = "group is neither delegates nor participants"),
        (status = 404, body = ApiErrorBody, description = "no such contest, not yet counted, or no participants' board")))]
pub async fn board_json(
    state: web::Data<AppState>,
    path: web::Path<(CongressId, ContestId)>,
    q: web::Query<BoardQuery>,
) -> ApiResult<HttpResponse> {
    let (cid, kid) = path.into_inner();
    let participants = q.participants()?;
    let bytes = state
        .run(move |c| {
            Ok(if participants {
                publish::participant_board(c, &cid, &kid)?.1.bytes
            } else {
                publish::board(c, &cid, &kid)?.1.bytes
            })
        })
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .insert_header(("Access-Control-Allow-Origin", "*"))
        .body(bytes))
}

/// The RFC 6962 audit path of a ballot on its contest's board. Public. `?group=participants`
/// looks on the participants' board of a contest counting them apart (rule I7).
#[utoipa::path(get, path = "/api/v1/congresses/{cid}/contests/{id}/proof/{ballot_hash}", tag = "board",
    params(("cid" = String, Path, description = "congress id"), ("id" = String, Path, description = "contest id"),
        ("ballot_hash" = String, Path, description = "the ballot's hash (tracker), 64 hex"), BoardQuery),
    responses((status = 200, body = ProofJson), (status = 400, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody, description = "not on this board, or the contest is not counted")))]
pub async fn proof(
    state: web::Data<AppState>,
    path: web::Path<(CongressId, ContestId, String)>,
    q: web::Query<BoardQuery>,
) -> ApiResult<HttpResponse> {
    let (cid, kid, typed) = path.into_inner();
    let (hex, hash) = publish::parse_tracker(&typed).map_err(WebError::BadRequest)?;
    let participants = q.participants()?;
    let (c2, k2) = (cid.clone(), kid.clone());
    let found = state
        .run(move |c| {
            Ok(if participants {
                publish::participant_proof_on(c, &c2, &k2, &hash)?
            } else {
                publish::proof_on(c, &c2, &k2, &hash)?
            })
        })
        .await?
        .ok_or_else(|| WebError::NotFound(format!("追踪码 {hex} 不在事项 {kid} 的公示中")))?;
    let ballot = found
        .board
        .board
        .ballots
        .get(found.index)
        .cloned()
        .ok_or_else(|| WebError::internal("proof index outside the board"))?;
    Ok(HttpResponse::Ok()
        .insert_header(("Access-Control-Allow-Origin", "*"))
        .json(ProofJson {
            congress: cid.into_string(),
            contest: found.contest.id.into_string(),
            ballot_hash: hex,
            index: found.proof.index,
            tree_size: found.proof.tree_size,
            path: found.proof.path,
            root: found.proof.root,
            ballot,
        }))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/congresses/{cid}/contests/{kid}/board.json",
        web::get().to(board_json),
    )
    .route(
        "/congresses/{cid}/contests/{kid}/proof/{hash}",
        web::get().to(proof),
    );
}
