//! `GET /health`: liveness and database reachability, for load balancers and the demo.

use actix_web::{web, HttpResponse};
use serde::Serialize;

use crate::web::error::ApiResult;
use crate::web::AppState;

#[derive(Serialize, utoipa::ToSchema)]
pub struct Health {
    pub status: &'static str,
    pub database: String,
    pub version: &'static str,
}

/// Liveness: answers 200 when the database answers a query.
#[utoipa::path(get, path = "/health", responses((status = 200, body = Health)))]
pub async fn health(state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let backend = state.db.backend().display();
    state.run(|c| Ok(crate::storage::ping(c)?)).await?;
    Ok(HttpResponse::Ok().json(Health {
        status: "ok",
        database: backend,
        version: env!("CARGO_PKG_VERSION"),
    }))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/health", web::get().to(health));
}
