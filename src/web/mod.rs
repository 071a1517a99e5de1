//! The web application (actix-web + maud): organiser pages, delegate phone pages, the public
//! board, and the JSON API under `/api/v1`.
//!
//! `server()` builds the app from a bound `TcpListener` (port 0 in tests). Handlers are thin:
//! gather input, call the domain and storage (on the blocking pool via `AppState::run`), pick
//! a view. Every response carries the security headers; every state-changing form passes the
//! CSRF guard.

pub mod api;
pub mod auth;
pub mod csrf;
pub mod error;
pub mod headers;
pub mod routes;
pub mod session;
pub mod views;

use std::net::TcpListener;

use actix_web::{middleware, web, App, HttpServer};

use crate::config::Config;
use crate::storage::{Db, DbConnection};
use error::WebError;
use session::Sessions;

/// Largest upload accepted (enrolment, nominees, rosters: a 100,000-row file is ~8 MB).
pub const MAX_UPLOAD_BYTES: usize = 16 * 1024 * 1024;
/// Largest JSON or form body accepted elsewhere.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Config,
    pub sessions: Sessions,
    /// The address delegates' phones reach, used in QR codes (e.g. http://192.168.1.10:8080).
    pub public_url: String,
}

impl AppState {
    pub fn new(db: Db, config: Config, cookie_secret: &[u8], public_url: String) -> AppState {
        let secure = public_url.starts_with("https://");
        AppState {
            db,
            config,
            sessions: Sessions::new(cookie_secret, secure),
            public_url: public_url.trim_end_matches('/').to_string(),
        }
    }

    /// Runs blocking database work on actix's blocking pool.
    pub async fn run<T, F>(&self, f: F) -> Result<T, WebError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, WebError> + Send + 'static,
        T: Send + 'static,
    {
        let db = self.db.clone();
        web::block(move || {
            let mut conn = db.conn()?;
            f(&mut conn)
        })
        .await?
    }
}

/// Registers every route; shared by `server()` and in-process tests.
pub fn configure(cfg: &mut web::ServiceConfig) {
    api::configure(cfg);
    routes::configure(cfg);
}

/// Builds the HTTP server on an already bound listener.
pub fn server(listener: TcpListener, state: AppState) -> std::io::Result<actix_web::dev::Server> {
    let data = web::Data::new(state);
    let server = HttpServer::new(move || {
        let sessions = data.sessions.clone();
        App::new()
            .app_data(data.clone())
            .app_data(
                web::FormConfig::default()
                    .limit(MAX_BODY_BYTES)
                    .error_handler(|e, _| {
                        WebError::BadRequest(format!("表单内容无效: {e}")).into()
                    }),
            )
            .app_data(
                web::JsonConfig::default()
                    .limit(MAX_BODY_BYTES)
                    .error_handler(|e, _| {
                        error::ApiError(WebError::BadRequest(format!("请求体不是有效的JSON: {e}")))
                            .into()
                    }),
            )
            .app_data(web::PayloadConfig::default().limit(MAX_UPLOAD_BYTES))
            .wrap(csrf::CsrfGuard::new(sessions))
            .wrap(headers::security_headers())
            .wrap(middleware::Compress::default())
            .wrap(middleware::NormalizePath::trim())
            .configure(configure)
    })
    .listen(listener)?
    .shutdown_timeout(5)
    .run();
    Ok(server)
}
