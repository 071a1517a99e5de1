//! The web application (actix-web + maud): organiser pages, delegate phone pages, the public
//! board, and the JSON API under `/api/v1`.
//!
//! `server()` builds the app from a bound `TcpListener` (port 0 in tests). Handlers are thin:
//! gather input, call the domain and storage (on the blocking pool via `AppState::run`), pick
//! a view. Every response carries the security headers; every state-changing form passes the
//! CSRF guard; no NUL reaches a handler as text (`nul_guard`).

pub mod api;
pub mod auth;
pub mod confirm;
pub mod csrf;
pub mod error;
pub mod forms;
pub mod headers;
pub mod nul_guard;
pub mod page;
pub mod routes;
pub mod session;
pub mod upload;
pub mod views;

use std::net::TcpListener;

use actix_web::{middleware, web, App, HttpServer};

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use crate::config::Config;
use crate::crypto::blind::{ContestKey, ContestPublicKey};
use crate::crypto::{KeyStore, SigningKey};
use crate::domain::ids::{CongressId, ContestId};
use crate::service::ballot_box::BallotBox;
use crate::service::papers::PaperIssuer;
use crate::service::voting::BallotPaper;

use crate::storage::{Db, DbConnection};
use error::WebError;
use session::Sessions;

/// Largest upload accepted (enrolment, nominees, rosters: a 100,000-row file is ~8 MB).
pub const MAX_UPLOAD_BYTES: usize = 16 * 1024 * 1024;
/// Largest JSON or form body accepted elsewhere.
pub const MAX_BODY_BYTES: usize = 256 * 1024;
/// How long an idle kept-alive connection stays open (actix's default is 5 s). Phones reload
/// the waiting page every 5 s (`routes::phone::REFRESH_SECS`) and vote minutes apart: with
/// 5 s every reload raced the server closing the connection, and a hall of phones reconnected
/// all day. Clients that reuse a connection must not wait this long (`sim::client`).
pub const KEEP_ALIVE_SECS: u64 = 75;
/// Connections waiting to be accepted. `TcpListener::bind` listens with 128, and actix keeps
/// the listener it is given: 2,000 phones connecting at once overflowed it, and each
/// overflowed connection waited for the client's SYN retransmission, one second later
/// (`docs/performance.md`). The kernel caps it at `net.core.somaxconn`.
pub const LISTEN_BACKLOG: i32 = 4096;

/// The server's secrets, kept in the data directory (generated on first start, never in git).
#[derive(Clone)]
pub struct Secrets {
    /// Encrypts and authenticates the session cookies.
    pub cookie: Vec<u8>,
    /// Derives the delegates' card tokens and codes (`crypto::derive`).
    pub credential: Vec<u8>,
}

impl Secrets {
    /// Loads (or creates) `session.key` and `credential.key` in the data directory.
    pub fn load(config: &Config) -> std::io::Result<Secrets> {
        Ok(Secrets {
            cookie: crate::config::load_or_create_secret(&config.session_key_path())?,
            credential: crate::config::load_or_create_secret(&config.credential_key_path())?,
        })
    }
}

/// Contests' private keys by contest id, each with its contest's congress.
type ContestKeys = HashMap<String, (String, Arc<ContestKey>)>;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Config,
    pub sessions: Sessions,
    /// The address delegates' phones reach, used in QR codes (e.g. http://192.168.1.10:8080).
    pub public_url: String,
    pub credential_key: Arc<Vec<u8>>,
    pub keys: KeyStore,
    signing_keys: Arc<RwLock<HashMap<String, Arc<SigningKey>>>>,
    /// Ballot papers of contests past their draft (their text and candidates can no longer
    /// change), so a burst of submissions does not read them again for every ballot.
    papers: Arc<RwLock<HashMap<String, Arc<BallotPaper>>>>,
    /// Contests' private ballot-paper keys (领票 and paper ballots), loaded once, by contest,
    /// with the contest's congress.
    contest_keys: Arc<RwLock<ContestKeys>>,
    /// Contests' public ballot-paper keys (the ballot box checks every cast with one).
    contest_public: Arc<RwLock<HashMap<String, Arc<ContestPublicKey>>>>,
    /// The ballot box (投票): stores signed ballots, anonymously.
    pub ballot_box: BallotBox,
    /// Set in registry mode (`congress registry serve`): the packet store and upload limits.
    pub registry: Option<Arc<crate::registry::RegistryConfig>>,
    /// The paper issuer (领票): records each blind signature in the roll.
    pub issuer: PaperIssuer,
    /// Set by `congress demo`: every staff page carries a 演示 badge (the demo congresses'
    /// names say nothing about the demo or their state).
    pub demo: bool,
}

impl AppState {
    /// Builds the state and starts the ballot writer on `db`.
    pub fn new(db: Db, config: Config, secrets: &Secrets, public_url: String) -> AppState {
        let secure = public_url.starts_with("https://");
        AppState {
            ballot_box: BallotBox::spawn(db.clone()),
            issuer: PaperIssuer::spawn(db.clone()),
            contest_keys: Arc::new(RwLock::new(HashMap::new())),
            contest_public: Arc::new(RwLock::new(HashMap::new())),
            db,
            keys: KeyStore::new(config.key_dir.clone()),
            config,
            sessions: Sessions::new(&secrets.cookie, secure),
            public_url: public_url.trim_end_matches('/').to_string(),
            credential_key: Arc::new(secrets.credential.clone()),
            signing_keys: Arc::new(RwLock::new(HashMap::new())),
            papers: Arc::new(RwLock::new(HashMap::new())),
            registry: None,
            demo: false,
        }
    }

    /// The same state serving the filing office instead of congresses (registry mode).
    pub fn with_registry(mut self, registry: crate::registry::RegistryConfig) -> AppState {
        self.registry = Some(Arc::new(registry));
        self
    }

    /// The congress's signing key, loaded from the key directory once and then cached.
    pub fn signing_key(&self, congress_id: &CongressId) -> Result<Arc<SigningKey>, WebError> {
        if let Some(k) = self
            .signing_keys
            .read()
            .ok()
            .and_then(|m| m.get(congress_id.as_str()).cloned())
        {
            return Ok(k);
        }
        let key = Arc::new(
            self.keys
                .load(congress_id.as_str())
                .map_err(WebError::internal)?,
        );
        if let Ok(mut m) = self.signing_keys.write() {
            m.insert(congress_id.to_string(), key.clone());
        }
        Ok(key)
    }

    /// The login URL printed in a card's QR code.
    pub fn card_url(&self, token: &str) -> String {
        format!("{}/t/{}", self.public_url, token)
    }

    /// Signs congress `congress_id`'s record with its key (cached), the roster summary computed
    /// now (`service::record::certify_now`): the record page and the API.
    pub async fn certify(
        &self,
        congress_id: &CongressId,
        who: crate::service::Actor,
    ) -> Result<crate::packet::format::Record, WebError> {
        let key = self.signing_key(congress_id)?;
        let cid = congress_id.clone();
        self.run(move |c| Ok(crate::service::record::certify_now(c, &who, &cid, &key)?))
            .await
    }

    /// The ballot paper of contest `contest_id` of congress `congress_id`, read once the
    /// contest has opened and then kept (an opened contest's paper is immutable). The
    /// contest's `state` in a cached paper is the state when it was read: callers deciding
    /// on the state (may this delegate vote now?) must read it afresh; the ballot box does.
    pub async fn ballot_paper(
        &self,
        congress_id: &CongressId,
        contest_id: &ContestId,
    ) -> Result<Arc<BallotPaper>, WebError> {
        if let Some(p) = self
            .papers
            .read()
            .ok()
            .and_then(|m| m.get(contest_id.as_str()).cloned())
            .filter(|p| &p.contest.congress_id == congress_id)
        {
            return Ok(p);
        }
        let (cid, kid) = (congress_id.clone(), contest_id.clone());
        let paper = Arc::new(
            self.run(move |c| Ok(crate::service::voting::ballot_paper(c, &cid, &kid)?))
                .await?,
        );
        if paper.contest.state.has_opened() {
            if let Ok(mut m) = self.papers.write() {
                m.insert(contest_id.to_string(), paper.clone());
            }
        }
        Ok(paper)
    }

    /// The private ballot-paper key of contest `contest_id` of congress `congress_id` if it is
    /// cached: a key exists only once its contest has opened, so a cached key means an opened
    /// contest of that congress (the 领票 burst asks the database nothing more).
    pub fn cached_contest_key(
        &self,
        congress_id: &CongressId,
        contest_id: &ContestId,
    ) -> Option<Arc<ContestKey>> {
        self.contest_keys
            .read()
            .ok()
            .and_then(|m| m.get(contest_id.as_str()).cloned())
            .filter(|(cid, _)| *congress_id == *cid)
            .map(|(_, k)| k)
    }

    /// The private ballot-paper key of an opened contest, from the key directory (cached).
    pub fn contest_key(
        &self,
        congress_id: &CongressId,
        contest_id: &ContestId,
    ) -> Result<Arc<ContestKey>, WebError> {
        if let Some(k) = self.cached_contest_key(congress_id, contest_id) {
            return Ok(k);
        }
        let key = Arc::new(crate::service::voting::contest_key(
            &self.keys,
            congress_id,
            contest_id,
            false,
        )?);
        if let Ok(mut m) = self.contest_keys.write() {
            m.insert(
                contest_id.to_string(),
                (congress_id.to_string(), key.clone()),
            );
        }
        Ok(key)
    }

    /// The public ballot-paper key of an opened contest (from its ballot box row, cached);
    /// `None` before the contest has opened.
    pub async fn contest_public_key(
        &self,
        contest_id: &ContestId,
    ) -> Result<Option<Arc<ContestPublicKey>>, WebError> {
        if let Some(k) = self
            .contest_public
            .read()
            .ok()
            .and_then(|m| m.get(contest_id.as_str()).cloned())
        {
            return Ok(Some(k));
        }
        let kid = contest_id.clone();
        let pem = self
            .run(move |c| Ok(crate::storage::repo::voting::ballot_box(c, &kid)?))
            .await?
            .map(|b| b.public_key_pem);
        let Some(pem) = pem else {
            return Ok(None);
        };
        let key = Arc::new(ContestPublicKey::from_spki_pem(&pem).map_err(WebError::internal)?);
        if let Ok(mut m) = self.contest_public.write() {
            m.insert(contest_id.to_string(), key.clone());
        }
        Ok(Some(key))
    }

    /// The public key of an opened contest's participants' box (rule I7; cached); `None`
    /// when the contest has none.
    pub async fn participant_public_key(
        &self,
        contest_id: &ContestId,
    ) -> Result<Option<Arc<ContestPublicKey>>, WebError> {
        let id = crate::service::term::participants::participant_key_id(contest_id);
        if let Some(k) = self
            .contest_public
            .read()
            .ok()
            .and_then(|m| m.get(id.as_str()).cloned())
        {
            return Ok(Some(k));
        }
        let kid = ContestId::from(contest_id.to_string());
        let pem = self
            .run(move |c| Ok(crate::storage::repo::term::participant_box(c, &kid)?))
            .await?
            .map(|b| b.public_key_pem);
        let Some(pem) = pem else {
            return Ok(None);
        };
        let key = Arc::new(ContestPublicKey::from_spki_pem(&pem).map_err(WebError::internal)?);
        if let Ok(mut m) = self.contest_public.write() {
            m.insert(id.into_string(), key.clone());
        }
        Ok(Some(key))
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

/// Widens the listen queue of a bound listener to [`LISTEN_BACKLOG`] (calling `listen` again
/// on a listening socket only changes its backlog).
fn widen_backlog(listener: &TcpListener) {
    #[cfg(unix)]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: listen(2) on a socket this process owns; no memory is passed.
        if unsafe { libc::listen(listener.as_raw_fd(), LISTEN_BACKLOG) } != 0 {
            tracing::warn!(error = %std::io::Error::last_os_error(), "listen backlog unchanged");
        }
    }
    #[cfg(not(unix))]
    let _ = listener;
}

/// Each worker's blocking threads (where every database call runs, `AppState::run`): as many
/// as the connection pool has connections, since a blocking thread without a connection only
/// waits for one. actix's default (512 ÷ cores) let a burst of 2,000 phones start 512 threads
/// whose stacks and malloc arenas stayed resident and grew the server's RSS contest after
/// contest (issue 11, docs/performance.md).
fn blocking_threads(pool_size: u32) -> usize {
    (pool_size as usize).max(4)
}

/// Builds the HTTP server on an already bound listener: the congress application, or the
/// filing office when the state is in registry mode.
/// Deletes expired pending uploads at start and every `SWEEP_SECS` for as long as the server's
/// system runs (`service::pending::sweep`); a failure is logged and tried again next time.
fn spawn_pending_sweep(state: AppState) {
    actix_web::rt::spawn(async move {
        loop {
            match state.run(|c| Ok(crate::service::pending::sweep(c)?)).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(deleted = n, "expired pending uploads deleted"),
                Err(e) => tracing::warn!(error = %e, "pending upload sweep failed"),
            }
            actix_web::rt::time::sleep(std::time::Duration::from_secs(
                crate::service::pending::SWEEP_SECS,
            ))
            .await;
        }
    });
}

pub fn server(listener: TcpListener, state: AppState) -> std::io::Result<actix_web::dev::Server> {
    let urls: fn(&mut web::ServiceConfig) = if state.registry.is_some() {
        routes::registry::registry_mode
    } else {
        configure
    };
    widen_backlog(&listener);
    if state.registry.is_none() {
        spawn_pending_sweep(state.clone());
    }
    let blocking = blocking_threads(state.db.pool_size());
    let data = web::Data::new(state);
    let server = HttpServer::new(move || {
        let sessions = data.sessions.clone();
        App::new()
            .app_data(data.clone())
            .app_data(
                web::FormConfig::default()
                    .limit(MAX_BODY_BYTES)
                    .error_handler(|e, _| error::form_error(e).into()),
            )
            .app_data(
                web::JsonConfig::default()
                    .limit(MAX_BODY_BYTES)
                    .error_handler(|e, _| error::ApiError(error::json_error(e)).into()),
            )
            .app_data(web::QueryConfig::default().error_handler(error::query_error))
            .app_data(web::PayloadConfig::default().limit(MAX_UPLOAD_BYTES))
            .wrap(csrf::CsrfGuard::new(sessions))
            .wrap(middleware::from_fn(nul_guard::reject_nul))
            .wrap(headers::security_headers())
            .wrap(middleware::Compress::default())
            .wrap(middleware::NormalizePath::trim())
            .configure(urls)
            .default_service(web::to(routes::not_found))
    })
    .keep_alive(std::time::Duration::from_secs(KEEP_ALIVE_SECS))
    .worker_max_blocking_threads(blocking)
    .listen(listener)?
    .shutdown_timeout(5)
    .run();
    Ok(server)
}
