//! The JSON API under `/api/v1`, for schools' IT to script what the pages do. Authentication
//! is `Authorization: Bearer <token>` (`congress admin token`), never cookies, so the API needs
//! no CSRF token. Errors are `{"status","code","message","details"}` (see `ApiErrorBody`).
//! The OpenAPI document is generated from these handlers (`openapi.rs`).

pub mod approval;
pub mod attendance;
pub mod audit;
pub mod board;
pub mod congresses;
pub mod console;
pub mod contests;
pub mod credentials;
pub mod files;
pub mod openapi;
pub mod record;
pub mod registry;
pub mod roster;
pub mod scrutineers;
pub mod term;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    openapi::configure(cfg);
    cfg.service(
        web::scope("/api/v1")
            .configure(congresses::configure)
            .configure(attendance::configure)
            .configure(approval::configure)
            .configure(contests::configure)
            .configure(console::configure)
            .configure(credentials::configure)
            .configure(scrutineers::configure)
            .configure(files::configure)
            .configure(roster::configure)
            .configure(audit::configure)
            .configure(board::configure)
            .configure(record::configure)
            .configure(term::configure),
    );
}
