//! Routes, one file per area. `configure` is the whole URL map of the application.
//!
//! Where to look: the delegate's phone is `phone` (the waiting page `/v`, taking ballot
//! papers), `delegate` (logging in with the card), `ballot_box` (`/box`, casting) and
//! `receipts`; the staff running a contest is `console` (open, close, paper ballots) and
//! `count`; the public board is `board`, `check` and `results`.

pub mod account;
pub mod approval;
pub mod approval_docs;
pub mod assessment;
pub mod assets;
pub mod attendance;
pub mod audit;
pub mod ballot_box;
pub mod board;
pub mod check;
pub mod confirm;
pub mod console;
pub mod contests;
pub mod count;
pub mod credentials;
pub mod delegate;
pub mod exports;
pub mod files;
pub mod health;
pub mod home;
pub mod notice;
pub mod paper_ballot;
pub mod participant;
pub mod pending;
pub mod phone;
pub mod quota;
pub mod receipts;
pub mod record;
pub mod record_files;
pub mod registry;
pub mod results;
pub mod review;
pub mod roll;
pub mod roster;
pub mod scrutineers;
pub mod setup;
pub mod term;

use actix_web::{web, HttpRequest, ResponseError};

use crate::web::error::{ApiError, WebError};

/// Any address no route serves: a Chinese 404, as JSON under `/api/`.
pub async fn not_found(req: HttpRequest) -> actix_web::HttpResponse {
    let e = WebError::NotFound("页面不存在: 请检查网址是否正确".to_string());
    if req.path().starts_with("/api/") {
        ApiError(e).error_response()
    } else {
        e.error_response()
    }
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    health::configure(cfg);
    // The .xlsx downloads before `assets` (`/templates/{name}` would take `roster.xlsx`).
    exports::configure(cfg);
    paper_ballot::configure(cfg);
    assets::configure(cfg);
    attendance::configure(cfg);
    credentials::configure(cfg);
    delegate::configure(cfg);
    roll::configure(cfg);
    participant::configure(cfg);
    phone::configure(cfg);
    ballot_box::configure(cfg);
    receipts::configure(cfg);
    console::configure(cfg);
    count::configure(cfg);
    account::configure(cfg);
    home::configure(cfg);
    contests::configure(cfg);
    setup::configure(cfg);
    term::configure(cfg);
    files::configure(cfg);
    pending::configure(cfg);
    confirm::configure(cfg);
    quota::configure(cfg);
    roster::configure(cfg);
    scrutineers::configure(cfg);
    audit::configure(cfg);
    record::configure(cfg);
    record_files::configure(cfg);
    assessment::configure(cfg);
    approval::configure(cfg);
    approval_docs::configure(cfg);
    // The fixed `/b/{cid}/check` and `/b/{cid}/screen` before `/b/{cid}/{contest}`.
    check::configure(cfg);
    notice::configure(cfg);
    results::configure(cfg);
    review::configure(cfg);
    board::configure(cfg);
}
