//! Reading an uploaded packet within the registry's limit (`Limits::max_packet_bytes`, larger
//! than the organisers' file limit): a multipart form's files (one `.zip`, or the packet
//! directory's files with their relative paths as the browser sends them for a chosen folder),
//! or a raw request body (the API).

use actix_multipart::Multipart;
use actix_web::web::Bytes;
use futures_util::{Stream, StreamExt};

use crate::registry::ingest::Upload;
use crate::registry::unpack::is_zip;
use crate::web::error::WebError;
use crate::web::upload::collect;

/// The refusal of an upload over the limit.
pub fn too_large(limit: u64) -> WebError {
    WebError::PayloadTooLarge(format!(
        "归档包超过 {} MB 的上限, 未接收; 请上传“结果报告”页面下载的 zip (其中不应有其他文件)",
        limit >> 20
    ))
}

fn no_file() -> WebError {
    WebError::BadRequest(
        "没有收到归档包: 请选择“结果报告”页面下载的 zip 文件, 或归档包目录".to_string(),
    )
}

/// The files of a multipart form: one zip, or the directory's files.
pub async fn multipart(mut form: Multipart, limit: u64) -> Result<Upload, WebError> {
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut total: u64 = 0;
    while let Some(field) = form.next().await {
        let mut field =
            field.map_err(|e| WebError::BadRequest(format!("上传的表单无法读取: {e}")))?;
        let name = field
            .content_disposition()
            .and_then(|d| d.get_filename())
            .unwrap_or("")
            .to_string();
        let left = limit.saturating_sub(total) as usize;
        let bytes = collect(&mut field, left)
            .await?
            .ok_or_else(|| too_large(limit))?;
        total += bytes.len() as u64;
        if !name.is_empty() && !bytes.is_empty() {
            files.push((name, bytes));
        }
    }
    match files.len() {
        0 => Err(no_file()),
        1 if files[0].0.to_lowercase().ends_with(".zip") || is_zip(&files[0].1) => {
            Ok(Upload::Zip(files.remove(0).1))
        }
        _ => Ok(Upload::Files(files)),
    }
}

/// A raw request body: the zip.
pub async fn raw<S, E>(mut body: S, limit: u64) -> Result<Upload, WebError>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    let bytes = collect(&mut body, limit as usize)
        .await?
        .ok_or_else(|| too_large(limit))?;
    if bytes.is_empty() {
        return Err(WebError::BadRequest(
            "请求体为空: 请把归档包 zip 作为请求体发送 (Content-Type: application/zip)".to_string(),
        ));
    }
    Ok(Upload::Zip(bytes))
}
