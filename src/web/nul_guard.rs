//! Refuses NUL characters in what handlers turn into text: the path, the query string, form
//! bodies of the pages and JSON bodies. PostgreSQL cannot store a NUL in a text column (SQLite
//! can), so without this a `%00` in an id or a name was a 500 on one backend and stored text
//! on the other; now it is a clear 404/400 on both. File uploads are not touched (a UTF-16
//! CSV is full of zero bytes; the importer drops control characters from its cells).

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web::BytesMut;
use actix_web::{Error, HttpMessage, ResponseError};
use futures_util::StreamExt;

use super::error::{body_too_large, ApiError, WebError};
use super::MAX_BODY_BYTES;

fn has_nul(bytes: &[u8], json: bool) -> bool {
    if bytes.contains(&0) {
        return true;
    }
    if !json {
        return bytes.windows(3).any(|w| w == b"%00");
    }
    // `\u0000` is an escaped NUL only when the backslash is not itself escaped: an odd
    // run of backslashes before `u0000` (`\\u0000` is the text backslash-u-0-0-0-0).
    bytes.windows(5).enumerate().any(|(i, w)| {
        w == b"u0000" && bytes[..i].iter().rev().take_while(|&&b| b == b'\\').count() % 2 == 1
    })
}

fn refuse(req: ServiceRequest, e: WebError) -> ServiceResponse<BoxBody> {
    let resp = if req.path().starts_with("/api/") {
        ApiError(e).error_response()
    } else {
        e.error_response()
    };
    req.into_response(resp)
}

/// The middleware (`actix_web::middleware::from_fn`).
pub async fn reject_nul(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    if has_nul(req.path().as_bytes(), false) {
        let e = WebError::NotFound("页面不存在: 网址中含有无效字符".to_string());
        return Ok(refuse(req, e));
    }
    if has_nul(req.query_string().as_bytes(), false) {
        let e = WebError::BadRequest("网址的参数中含有空字符(NUL), 未处理".to_string());
        return Ok(refuse(req, e));
    }
    let content_type = req.content_type().to_string();
    let json = content_type == "application/json";
    let form =
        content_type == "application/x-www-form-urlencoded" && !req.path().starts_with("/api/");
    let declared = req
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    // Bodies declared too big are left to the extractors, which refuse them with 413.
    if (json || form) && declared.is_none_or(|n| n <= MAX_BODY_BYTES) {
        let mut payload = req.take_payload();
        let mut body = BytesMut::new();
        while let Some(chunk) = payload.next().await {
            let chunk = chunk?;
            if body.len() + chunk.len() > MAX_BODY_BYTES {
                return Ok(refuse(req, body_too_large()));
            }
            body.extend_from_slice(&chunk);
        }
        if has_nul(&body, json) {
            let e = WebError::BadRequest(
                "提交的内容中含有空字符(NUL), 未处理; 请删去后重试".to_string(),
            );
            return Ok(refuse(req, e));
        }
        let (_, mut pl) = actix_http::h1::Payload::create(true);
        pl.unread_data(body.freeze());
        req.set_payload(actix_web::dev::Payload::from(pl));
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

#[cfg(test)]
mod tests {
    use super::has_nul;

    #[test]
    fn finds_nul_raw_and_escaped() {
        assert!(has_nul(b"name=a%00b", false));
        assert!(has_nul(b"a\0b", false));
        assert!(has_nul(b"name=a%000", false));
        assert!(!has_nul(b"name=a%2500", false));
        assert!(!has_nul(b"name=%E7%8E%8B", false));
        assert!(has_nul(br#"{"name":"a\u0000"}"#, true));
        assert!(!has_nul(br#"{"name":"%00"}"#, true));
        assert!(!has_nul(br#"{"name":"a\\u0000"}"#, true));
        assert!(has_nul(br#"{"name":"a\\\u0000"}"#, true));
    }
}
