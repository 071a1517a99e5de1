//! The filing office's pages (registry mode, `congress registry serve`; docs/registry.md):
//! the province table and its Excel export, the schools, a school's page with the upload
//! forms, a filing's page with its indicators and packet, the settings and the audit log.
//! Registry mode serves these, the shared login / account / static pages and the registry
//! API ([`registry_mode`]); a congress's pages are not served there.

pub mod access;
pub mod filings;
pub mod schools;
pub mod settings;
pub mod table;
pub mod upload;

use actix_web::{web, HttpRequest};

use crate::service::Actor;
use crate::web::auth::{client_addr, Staff};

/// The whole URL map of registry mode.
pub fn registry_mode(cfg: &mut web::ServiceConfig) {
    super::health::configure(cfg);
    super::assets::configure(cfg);
    super::account::configure(cfg);
    crate::web::api::openapi::configure(cfg);
    crate::web::api::registry::configure(cfg);
    table::configure(cfg);
    schools::configure(cfg);
    filings::configure(cfg);
    settings::configure(cfg);
}

/// The audit actor of a request.
pub fn actor(staff: &Staff, req: &HttpRequest) -> Actor {
    Actor {
        username: staff.user.username.clone(),
        role: staff.user.role.as_str().to_string(),
        addr: Some(client_addr(req)),
    }
}
