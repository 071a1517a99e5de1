//! Reading an uploaded file within [`MAX_UPLOAD_BYTES`]: the `file` field of a multipart form
//! (the pages) or a raw request body (the API), with a clear message when it is too big.

use actix_multipart::Multipart;
use actix_web::web::Bytes;
use futures_util::{Stream, StreamExt};

use super::error::WebError;
use super::MAX_UPLOAD_BYTES;

/// An uploaded file.
#[derive(Debug, Clone)]
pub struct Upload {
    /// The name the browser gave (may be blank or carry a path; the service cleans it).
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// After the limit, this much more is read and thrown away so that a browser still sending
/// sees the answer rather than a reset connection; beyond it the connection is dropped.
const DRAIN_BYTES: usize = 4 * MAX_UPLOAD_BYTES;

/// The refusal of a file over the limit.
pub fn too_large() -> WebError {
    WebError::PayloadTooLarge(format!(
        "文件超过{} MB的上限, 未导入; 请删去多余的工作表、列或空行后再上传",
        MAX_UPLOAD_BYTES / (1024 * 1024)
    ))
}

/// Reads `stream` into memory, or `None` when it is longer than `limit` (then it is drained
/// up to [`DRAIN_BYTES`]).
pub(crate) async fn collect<S, E>(stream: &mut S, limit: usize) -> Result<Option<Vec<u8>>, WebError>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    let mut out = Vec::new();
    let mut seen = 0usize;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| WebError::BadRequest(format!("上传中断: {e}")))?;
        seen = seen.saturating_add(chunk.len());
        if seen <= limit {
            out.extend_from_slice(&chunk);
        } else if seen > DRAIN_BYTES {
            break;
        }
    }
    Ok((seen <= limit).then_some(out))
}

/// The `file` field of a multipart form (other fields are ignored).
pub async fn multipart_file(mut form: Multipart) -> Result<Upload, WebError> {
    let mut found: Option<Upload> = None;
    while let Some(field) = form.next().await {
        let mut field =
            field.map_err(|e| WebError::BadRequest(format!("上传的表单无法读取: {e}")))?;
        let is_file = field.name() == Some("file") && found.is_none();
        let file_name = field
            .content_disposition()
            .and_then(|d| d.get_filename())
            .unwrap_or("")
            .to_string();
        // Other fields are read (to reach the next one) within the same limit, and dropped.
        match collect(&mut field, MAX_UPLOAD_BYTES).await? {
            Some(bytes) if is_file => found = Some(Upload { file_name, bytes }),
            Some(_) => {}
            // Stop here: reading on would mean reading the rest of an endless field.
            None => return Err(too_large()),
        }
    }
    match found {
        Some(u) if !(u.bytes.is_empty() && u.file_name.is_empty()) => Ok(u),
        _ => Err(WebError::BadRequest(
            "没有收到文件: 请先点击“选择文件”选好要上传的文件".to_string(),
        )),
    }
}

/// A raw request body (the API's `PUT`), named `file_name`.
pub async fn raw_body<S, E>(mut body: S, file_name: &str) -> Result<Upload, WebError>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    let bytes = collect(&mut body, MAX_UPLOAD_BYTES)
        .await?
        .ok_or_else(too_large)?;
    if bytes.is_empty() {
        return Err(WebError::BadRequest(
            "请求体为空: 请把文件内容作为请求体发送".to_string(),
        ));
    }
    Ok(Upload {
        file_name: file_name.to_string(),
        bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::stream;

    fn chunks(sizes: &[usize]) -> impl Stream<Item = Result<Bytes, String>> + Unpin {
        stream::iter(
            sizes
                .iter()
                .map(|&n| Ok(Bytes::from(vec![b'x'; n])))
                .collect::<Vec<_>>(),
        )
    }

    fn run<F: std::future::Future>(f: F) -> F::Output {
        actix_web::rt::System::new().block_on(f)
    }

    #[test]
    fn a_body_within_the_limit_is_kept_whole() {
        let got = run(collect(&mut chunks(&[3, 4]), 7)).unwrap();
        assert_eq!(got.map(|b| b.len()), Some(7));
    }

    #[test]
    fn a_body_over_the_limit_is_refused() {
        assert_eq!(run(collect(&mut chunks(&[3, 5]), 7)).unwrap(), None);
        let e = run(raw_body(chunks(&[MAX_UPLOAD_BYTES, 1]), "a.csv")).unwrap_err();
        assert!(e.to_string().contains("16 MB"), "{e}");
        let e = run(raw_body(chunks(&[]), "a.csv")).unwrap_err();
        assert!(matches!(e, WebError::BadRequest(_)));
    }
}
