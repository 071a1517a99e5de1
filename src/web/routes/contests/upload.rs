//! Importing an election's candidates from a file (CSV in UTF-8/GBK, or Excel): the whole
//! file or nothing, with every problem listed on the contest's page.

use actix_multipart::Multipart;
use actix_web::{web, HttpRequest, HttpResponse};
use futures_util::StreamExt;

use super::detail::{render, Sticky};
use super::{form_errors, unprocessable};
use crate::domain::ids::{CongressId, ContestId};
use crate::import::{parse_candidates, read_table, ImportErrors};
use crate::service::contests::{self as svc, CandidateData};
use crate::web::auth::{Need, Staff};
use crate::web::error::{WebError, WebResult};
use crate::web::page::{actor, load_congress, redirect_with};
use crate::web::{AppState, MAX_UPLOAD_BYTES};

/// The multipart field `file`: its file name and bytes.
pub(crate) async fn read_file(mut payload: Multipart) -> WebResult<(String, Vec<u8>)> {
    while let Some(field) = payload.next().await {
        let mut field =
            field.map_err(|e| WebError::BadRequest(format!("上传的内容无法读取：{e}")))?;
        if field.name() != Some("file") {
            continue;
        }
        let name = field
            .content_disposition()
            .and_then(|d| d.get_filename())
            .filter(|n| !n.trim().is_empty())
            .unwrap_or("上传的文件")
            .to_string();
        let bytes = field
            .bytes(MAX_UPLOAD_BYTES)
            .await
            .map_err(|_| {
                WebError::PayloadTooLarge(format!(
                    "文件“{name}”超过{}MB",
                    MAX_UPLOAD_BYTES / 1024 / 1024
                ))
            })?
            .map_err(|e| WebError::BadRequest(format!("文件“{name}”上传不完整：{e}")))?;
        return Ok((name, bytes.to_vec()));
    }
    Err(WebError::BadRequest(
        "没有收到文件，请先选择要导入的文件".to_string(),
    ))
}

fn messages(errors: ImportErrors) -> Vec<String> {
    errors.into_iter().map(|e| e.to_string()).collect()
}

async fn upload(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<(CongressId, ContestId)>,
    payload: Multipart,
) -> WebResult<HttpResponse> {
    let (cid, id) = path.into_inner();
    let congress = load_congress(&state, &staff, &cid, Need::Own).await?;
    let (name, bytes) = read_file(payload).await?;
    // Reading a workbook is CPU work: off the async executor.
    let file = name.clone();
    let parsed = web::block(move || read_table(&file, &bytes).and_then(|t| parse_candidates(&t)))
        .await
        .map_err(WebError::internal)?;
    let rows: Vec<CandidateData> = match parsed {
        Ok(rows) => rows.into_iter().map(CandidateData::from).collect(),
        Err(errors) => {
            let sticky = Sticky {
                upload: std::iter::once(format!("{name} 未导入："))
                    .chain(messages(errors))
                    .collect(),
                ..Sticky::default()
            };
            return Ok(unprocessable(
                render(&state, &req, &staff, &congress, &id, sticky).await?,
            ));
        }
    };
    let actor = actor(&staff, &req);
    let (c2, id2, file) = (cid.clone(), id.clone(), name.clone());
    let res = state
        .run(move |c| Ok(svc::add_candidates(c, &actor, &c2, &id2, &file, &rows)))
        .await?;
    match res {
        Ok(added) => Ok(redirect_with(
            &state,
            &format!("/c/{cid}/contests/{id}"),
            true,
            format!("已从{name}导入{}名候选人。", added.len()),
        )),
        Err(e) => {
            let sticky = Sticky {
                upload: form_errors(e)?,
                ..Sticky::default()
            };
            Ok(unprocessable(
                render(&state, &req, &staff, &congress, &id, sticky).await?,
            ))
        }
    }
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    // Before "/candidates/{kid}", which would otherwise match it.
    cfg.route(
        "/c/{cid}/contests/{id}/candidates/upload",
        web::post().to(upload),
    );
}
