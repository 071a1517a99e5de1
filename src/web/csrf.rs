//! CSRF protection for every state-changing request, in one place.
//!
//! Every POST/PUT/PATCH/DELETE outside `/api/` (which authenticates with bearer tokens, never
//! cookies) must carry the CSRF token of one of the request's session cookies, compared in
//! constant time. The token travels as the `csrf` field of a url-encoded form (the normal
//! case), the `csrf` query parameter (multipart upload forms put it in their `action`), or an
//! `X-CSRF-Token` header. Checking here rather than in each handler means a new form cannot
//! forget it.
//!
//! The one other exemption is the anonymous ballot box: exactly the routes whose pattern
//! starts with `/box/` ([`is_ballot_box`]). They read no cookie and no session, so a forged
//! request has nothing to ride on, and the phone must be able to post there without any token
//! the server could tie to a delegate.

use std::future::{ready, Ready};
use std::rc::Rc;

use actix_web::body::EitherBody;
use actix_web::dev::{forward_ready, Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::http::Method;
use actix_web::web::{Bytes, BytesMut};
use actix_web::{Error, HttpMessage, ResponseError};
use futures_util::future::LocalBoxFuture;
use futures_util::StreamExt;

use super::error::WebError;
use super::session::Sessions;

/// Bodies larger than this are not buffered for the token search (uploads use the query);
/// the same limit the form extractor applies.
const MAX_FORM_BYTES: usize = super::MAX_BODY_BYTES;

pub struct CsrfGuard {
    sessions: Sessions,
}

impl CsrfGuard {
    pub fn new(sessions: Sessions) -> CsrfGuard {
        CsrfGuard { sessions }
    }
}

impl<S, B> Transform<S, ServiceRequest> for CsrfGuard
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Transform = CsrfMiddleware<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(CsrfMiddleware {
            service: Rc::new(service),
            sessions: self.sessions.clone(),
        }))
    }
}

pub struct CsrfMiddleware<S> {
    service: Rc<S>,
    sessions: Sessions,
}

fn is_state_changing(m: &Method) -> bool {
    !matches!(*m, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Whether a route pattern is the anonymous ballot box's (exempt from CSRF): decided on the
/// pattern the router matched, not on the raw path, so `/box/../x` or `/boxes` is not exempt.
pub fn is_ballot_box(pattern: Option<&str>) -> bool {
    pattern.is_some_and(|p| p.starts_with("/box/"))
}

/// Finds `csrf=...` in a url-encoded string.
fn token_in_urlencoded(s: &[u8]) -> Option<String> {
    url_pairs(s).find(|(k, _)| k == "csrf").map(|(_, v)| v)
}

fn url_pairs(s: &[u8]) -> impl Iterator<Item = (String, String)> + '_ {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(s)
        .unwrap_or_default()
        .into_iter()
}

/// Constant-time membership: the candidate equals one of the session tokens.
fn matches_any(candidate: &str, tokens: &[String]) -> bool {
    let mut ok = false;
    for t in tokens {
        ok |= crate::crypto::ct_eq(candidate.as_bytes(), t.as_bytes()) && !t.is_empty();
    }
    ok
}

impl<S, B> Service<ServiceRequest> for CsrfMiddleware<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Future = LocalBoxFuture<'static, Result<Self::Response, Self::Error>>;

    forward_ready!(service);

    fn call(&self, mut req: ServiceRequest) -> Self::Future {
        let service = Rc::clone(&self.service);
        let sessions = self.sessions.clone();
        Box::pin(async move {
            let pattern = req.request().match_pattern();
            if !is_state_changing(req.method())
                || req.path().starts_with("/api/")
                || is_ballot_box(pattern.as_deref())
            {
                return service
                    .call(req)
                    .await
                    .map(ServiceResponse::map_into_left_body);
            }
            let tokens = sessions.csrf_tokens(req.request());
            let mut candidate = req
                .headers()
                .get("x-csrf-token")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
                .or_else(|| token_in_urlencoded(req.query_string().as_bytes()));
            let is_form = req.content_type() == "application/x-www-form-urlencoded";
            if candidate.is_none() && is_form {
                // Buffer the (small) form body, look for the token, and put the body back.
                let mut payload = req.take_payload();
                let mut body = BytesMut::new();
                let mut too_big = false;
                while let Some(chunk) = payload.next().await {
                    let chunk = chunk?;
                    if body.len() + chunk.len() > MAX_FORM_BYTES {
                        too_big = true;
                        break;
                    }
                    body.extend_from_slice(&chunk);
                }
                if too_big {
                    let resp = super::error::body_too_large().error_response();
                    return Ok(req.into_response(resp).map_into_right_body());
                }
                let body: Bytes = body.freeze();
                candidate = token_in_urlencoded(&body);
                let (_, mut pl) = actix_http::h1::Payload::create(true);
                pl.unread_data(body);
                req.set_payload(actix_web::dev::Payload::from(pl));
            }
            let ok = candidate.is_some_and(|c| matches_any(&c, &tokens));
            if !ok {
                let resp = WebError::Csrf.error_response();
                return Ok(req.into_response(resp).map_into_right_body());
            }
            service
                .call(req)
                .await
                .map(ServiceResponse::map_into_left_body)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_token_in_forms() {
        assert_eq!(
            token_in_urlencoded(b"a=1&csrf=abc%2Bd&b=2").as_deref(),
            Some("abc+d")
        );
        assert_eq!(token_in_urlencoded(b"a=1"), None);
    }

    #[test]
    fn only_ballot_box_patterns_are_exempt() {
        assert!(is_ballot_box(Some("/box/{congress}/{contest}/cast")));
        assert!(!is_ballot_box(Some("/v/{contest}/paper")));
        assert!(!is_ballot_box(Some("/boxes/{x}")));
        assert!(!is_ballot_box(Some("/c/{cid}/box/x")));
        assert!(!is_ballot_box(None));
    }

    #[test]
    fn token_must_match_a_nonempty_session_token() {
        let tokens = vec!["tok-1".to_string(), String::new()];
        assert!(matches_any("tok-1", &tokens));
        assert!(!matches_any("tok-2", &tokens));
        assert!(!matches_any("", &tokens));
    }
}
