//! The web layer's one error type and how each kind maps to an HTTP status.
//!
//! Which error to use:
//! - `NotFound` / `Forbidden` / `Unauthorized`: access (404 hides other congresses' existence
//!   only where the id itself is secret; elsewhere 403 says "not yours").
//! - `BadRequest`: a form or query the user can fix; the message says what and where.
//! - `Unprocessable`: well-formed input that breaks a rule (import errors, roster violations).
//! - `State`: the congress's lifecycle refuses the action now (409, too early / too late).
//! - `Throttled`: too many failures (429).
//! - `Internal`: anything else; the detail is logged, the user sees a generic message.
//!
//! HTML pages render the Chinese message in a small page; `/api/` handlers wrap the error in
//! `ApiError`, which renders `{"error":{"status":..,"code":..,"message":..,"details":..}}`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use maud::{html, Markup, DOCTYPE};
use serde::Serialize;

use crate::domain::state::StateError;
use crate::errors::{chain, BoxError};
use crate::storage::StorageError;

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("请先登录")]
    Unauthorized,
    #[error("{0}")]
    BadRequest(String),
    #[error("{message}")]
    Unprocessable {
        message: String,
        details: Vec<String>,
    },
    #[error("{0}")]
    State(#[from] StateError),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Throttled(String),
    #[error("表单已过期或来源不明(CSRF 校验失败), 请返回刷新页面后重试")]
    Csrf,
    #[error("{0}")]
    PayloadTooLarge(String),
    /// The user sees a generic sentence; the cause is logged with its chain.
    #[error("服务器内部错误, 请稍后重试; 如持续出现请联系管理员")]
    Internal(#[source] BoxError),
}

impl WebError {
    /// An internal error with its cause (an error, or a sentence saying what broke).
    pub fn internal(cause: impl Into<BoxError>) -> WebError {
        WebError::Internal(cause.into())
    }

    /// The sentence for a notice on the next page (a flash), for an error that does not
    /// become the response; an internal error's cause is logged here, as the response would.
    pub fn notice(&self) -> String {
        if let WebError::Internal(cause) = self {
            tracing::error!(detail = %chain(cause.as_ref()), "internal error (notice)");
        }
        self.to_string()
    }

    /// A stable machine-readable code for API clients.
    pub fn code(&self) -> &'static str {
        match self {
            WebError::NotFound(_) => "not_found",
            WebError::Forbidden(_) => "forbidden",
            WebError::Unauthorized => "unauthorized",
            WebError::BadRequest(_) => "bad_request",
            WebError::Unprocessable { .. } => "unprocessable",
            WebError::State(_) => "wrong_state",
            WebError::Conflict(_) => "conflict",
            WebError::Throttled(_) => "throttled",
            WebError::Csrf => "csrf",
            WebError::PayloadTooLarge(_) => "payload_too_large",
            WebError::Internal(_) => "internal",
        }
    }

    fn details(&self) -> &[String] {
        match self {
            WebError::Unprocessable { details, .. } => details,
            _ => &[],
        }
    }
}

impl From<StorageError> for WebError {
    fn from(e: StorageError) -> Self {
        WebError::internal(e)
    }
}

impl From<diesel::result::Error> for WebError {
    fn from(e: diesel::result::Error) -> Self {
        WebError::internal(StorageError::from(e))
    }
}

impl From<actix_web::error::BlockingError> for WebError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        WebError::internal(e)
    }
}

impl ResponseError for WebError {
    fn status_code(&self) -> StatusCode {
        match self {
            WebError::NotFound(_) => StatusCode::NOT_FOUND,
            WebError::Forbidden(_) | WebError::Csrf => StatusCode::FORBIDDEN,
            WebError::Unauthorized => StatusCode::UNAUTHORIZED,
            WebError::BadRequest(_) => StatusCode::BAD_REQUEST,
            WebError::Unprocessable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            WebError::State(_) | WebError::Conflict(_) => StatusCode::CONFLICT,
            WebError::Throttled(_) => StatusCode::TOO_MANY_REQUESTS,
            WebError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let WebError::Internal(cause) = self {
            tracing::error!(detail = %chain(cause.as_ref()), "internal error");
        }
        if let WebError::Unauthorized = self {
            // Browsers go to the login page; the status stays 303 so forms re-post nothing.
            return HttpResponse::SeeOther()
                .insert_header(("Location", "/login"))
                .finish();
        }
        HttpResponse::build(self.status_code())
            .content_type("text/html; charset=utf-8")
            .body(error_page(self.status_code(), &self.to_string(), self.details()).into_string())
    }
}

fn error_page(status: StatusCode, message: &str, details: &[String]) -> Markup {
    html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "出错了 - 学代会选举系统" }
                link rel="stylesheet" href="/static/app.css";
            }
            body {
                main.page {
                    h1 { "操作未完成 (" (status.as_u16()) ")" }
                    p.error { (message) }
                    @if !details.is_empty() {
                        ul.errors { @for d in details { li { (d) } } }
                    }
                    p { "请返回上一页重试; 如果仍然不行, 请联系大会会务人员。" }
                }
            }
        }
    }
}

/// The JSON body of an API error.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ApiErrorBody {
    pub status: u16,
    pub code: String,
    pub message: String,
    pub details: Vec<String>,
}

/// A `WebError` rendered as JSON, for `/api/` handlers.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ApiError(pub WebError);

impl<E: Into<WebError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.0.status_code()
    }

    fn error_response(&self) -> HttpResponse {
        if let WebError::Internal(cause) = &self.0 {
            tracing::error!(detail = %chain(cause.as_ref()), "internal error (api)");
        }
        let message = match self.0 {
            WebError::Unauthorized => {
                "需要有效的 API 令牌: Authorization: Bearer <令牌>".to_string()
            }
            _ => self.0.to_string(),
        };
        let body = ApiErrorBody {
            status: self.status_code().as_u16(),
            code: self.0.code().to_string(),
            message,
            details: self.0.details().to_vec(),
        };
        let mut resp = HttpResponse::build(self.status_code());
        match self.0 {
            WebError::Unauthorized => {
                resp.insert_header(("WWW-Authenticate", "Bearer"));
            }
            WebError::Throttled(_) => {
                resp.insert_header(("Retry-After", "600"));
            }
            _ => {}
        }
        resp.json(body)
    }
}

pub type WebResult<T> = Result<T, WebError>;
pub type ApiResult<T> = Result<T, ApiError>;

/// The refusal of a JSON or form body over [`super::MAX_BODY_BYTES`].
pub fn body_too_large() -> WebError {
    WebError::PayloadTooLarge(format!(
        "请求内容超过{} KB的上限, 未处理; 文件请用上传功能提交",
        super::MAX_BODY_BYTES / 1024
    ))
}

/// A form body that could not be read: too big (413) or malformed (400).
pub fn form_error(e: actix_web::error::UrlencodedError) -> WebError {
    use actix_web::error::UrlencodedError as U;
    match e {
        U::Overflow { .. } => body_too_large(),
        U::Parse(e) => WebError::BadRequest(format!(
            "表单内容无效, 请检查后重新提交 ({})",
            field_of(&e.to_string())
        )),
        _ => WebError::BadRequest("表单内容无效, 请检查后重新提交".to_string()),
    }
}

/// The field a serde message names (`missing field `code``, `invalid digit ... for `page``),
/// as "字段 code", or "格式不正确".
fn field_of(message: &str) -> String {
    let mut parts = message.split('`');
    match (parts.next(), parts.next()) {
        (Some(_), Some(name)) if !name.is_empty() && name.len() <= 40 => format!("字段 {name}"),
        _ => "格式不正确".to_string(),
    }
}

/// A query string that does not fit its handler (`?page=abc`): a Chinese 400, as JSON under
/// `/api/`.
pub fn query_error(
    e: actix_web::error::QueryPayloadError,
    req: &actix_web::HttpRequest,
) -> actix_web::Error {
    let detail = match &e {
        actix_web::error::QueryPayloadError::Deserialize(d) => field_of(&d.to_string()),
        _ => "格式不正确".to_string(),
    };
    let err = WebError::BadRequest(format!(
        "网址中的参数有误 ({detail}), 请检查链接是否完整, 或从页面上的链接重新进入"
    ));
    if req.path().starts_with("/api/") {
        ApiError(err).into()
    } else {
        err.into()
    }
}

/// A JSON body that could not be read: too big (413) or malformed (400).
pub fn json_error(e: actix_web::error::JsonPayloadError) -> WebError {
    use actix_web::error::JsonPayloadError as J;
    match e {
        J::Overflow { .. } | J::OverflowKnownLength { .. } => body_too_large(),
        e => WebError::BadRequest(format!("请求体不是有效的JSON: {e}")),
    }
}

impl From<crate::service::ServiceError> for WebError {
    fn from(e: crate::service::ServiceError) -> Self {
        use crate::service::ServiceError as S;
        match e {
            S::NotFound(m) => WebError::NotFound(m),
            S::State(s) => WebError::State(s),
            S::Invalid { message, details } => WebError::Unprocessable { message, details },
            S::Conflict(m) => WebError::Conflict(m),
            S::Storage(s) => WebError::internal(s),
            S::Internal(cause) => WebError::Internal(cause),
        }
    }
}
