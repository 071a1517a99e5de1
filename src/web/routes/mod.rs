//! Routes, one file per area. `configure` is the whole URL map of the application.

pub mod account;
pub mod assets;
pub mod contests;
pub mod health;
pub mod home;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    health::configure(cfg);
    assets::configure(cfg);
    account::configure(cfg);
    home::configure(cfg);
    contests::configure(cfg);
}
