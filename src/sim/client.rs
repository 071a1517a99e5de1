//! A delegate's phone as an HTTP client: its own connection and cookie jar, logging in with the
//! card's QR URL, reading the waiting page (`/v`) for its CSRF token, taking a ballot paper
//! for a contest (领票: the blinded token posted with the session to `/v/{contest}/paper`,
//! the answer unblinded with `crypto::blind`), and casting it with the ballot to the
//! anonymous box (`/box/{congress}/{contest}/cast`, the JSON variant), where the session
//! cookie is not sent (its path is `/v`).
//!
//! The cookie jar is the phone's browser; the connection can be dropped and made again
//! (`reconnect`), the same browser can talk to another app server (`on`: cookies are per host,
//! not per port), and its cookies can be copied to another device (`copy_cookies`). A phone
//! never reuses a connection idle for longer than [`IDLE_REUSE`], which is shorter than the
//! server's keep-alive (`web::KEEP_ALIVE_SECS`): a request sent on a connection the server is
//! closing at that moment fails ("error sending request"), which a benchmark must not count
//! against the server.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::cookie::{CookieStore, Jar};
use reqwest::redirect::Policy;
use serde::Deserialize;

use super::paper::{Paper, Pending};
use crate::crypto::blind::ContestPublicKey;

pub use super::marks::{choices, choices_json, parse_ballot_form, BallotForm};

/// A phone reuses a kept-alive connection only if it has been idle for less than this: well
/// under the server's keep-alive, so the server never closes a connection a phone is using.
pub const IDLE_REUSE: Duration = Duration::from_secs(crate::web::KEEP_ALIVE_SECS * 4 / 5);

/// Why a simulated delegate's request failed (any of these is an error in the report).
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("HTTP: {0}")]
    Http(#[from] reqwest::Error),
    #[error("{what}: 状态码 {status}, 期望 {expected}")]
    Status {
        what: &'static str,
        status: u16,
        expected: u16,
    },
    #[error("{0}")]
    Page(String),
}

fn attr_after(html: &str, marker: &str) -> Option<String> {
    let i = html.find(marker)? + marker.len();
    let rest = &html[i..];
    Some(rest[..rest.find('"')?].to_string())
}

/// The delegate session's CSRF token on the waiting page.
pub fn parse_waiting_csrf(html: &str) -> Option<String> {
    attr_after(html, "data-csrf=\"")
}

#[derive(Deserialize)]
struct PaperAnswer {
    blind_sig: Option<String>,
    error: Option<String>,
}

#[derive(Deserialize)]
struct CastAnswer {
    ballot_hash: Option<String>,
    error: Option<String>,
}

/// A simulated delegate.
pub struct Phone {
    base: String,
    jar: Arc<Jar>,
    http: Mutex<reqwest::Client>,
    /// The delegate session's CSRF token, read from the waiting page (shared by the same
    /// browser on another server, `on`).
    csrf: Arc<Mutex<Option<String>>>,
    /// The phone pages' prefix: `/v` for a delegate, `/v/p` for a 评议会 participant whose
    /// votes are counted apart (rule I7).
    pages: &'static str,
}

fn client(jar: &Arc<Jar>) -> Result<reqwest::Client, ClientError> {
    Ok(reqwest::Client::builder()
        .cookie_provider(jar.clone())
        .redirect(Policy::none())
        .pool_max_idle_per_host(1)
        .pool_idle_timeout(Some(IDLE_REUSE))
        .timeout(Duration::from_secs(120))
        .build()?)
}

impl Phone {
    pub fn new(base: &str) -> Result<Phone, ClientError> {
        Self::with_jar(base, Arc::new(Jar::default()), Arc::default())
    }

    fn with_jar(
        base: &str,
        jar: Arc<Jar>,
        csrf: Arc<Mutex<Option<String>>>,
    ) -> Result<Phone, ClientError> {
        Ok(Phone {
            base: base.trim_end_matches('/').to_string(),
            http: Mutex::new(client(&jar)?),
            jar,
            csrf,
            pages: "/v",
        })
    }

    /// The same phone as a 评议会 participant's (rule I7): waiting page `/v/p`, papers from
    /// `/v/p/{contest}/paper`, the participants' key from the box.
    pub fn participant(mut self) -> Phone {
        self.pages = "/v/p";
        self
    }

    fn http(&self) -> reqwest::Client {
        self.http
            .lock()
            .map(|c| c.clone())
            .unwrap_or_else(|e| e.into_inner().clone())
    }

    /// The server this phone talks to.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// Drops the phone's connection; the next request opens a new one (cookies kept).
    pub fn reconnect(&self) -> Result<(), ClientError> {
        let fresh = client(&self.jar)?;
        match self.http.lock() {
            Ok(mut c) => *c = fresh,
            Err(e) => *e.into_inner() = fresh,
        }
        Ok(())
    }

    /// The same browser (cookies, CSRF token) talking to the app server at `base`.
    pub fn on(&self, base: &str) -> Result<Phone, ClientError> {
        Self::with_jar(base, self.jar.clone(), self.csrf.clone())
    }

    /// Another device holding a copy of this phone's cookies (as if they were captured or
    /// copied), talking to `base`.
    pub fn copy_cookies(&self, base: &str) -> Result<Phone, ClientError> {
        let jar = Arc::new(Jar::default());
        for (probe, path) in [("/v/", "/v"), ("/t/x", "/t")] {
            let url: reqwest::Url = format!("{}{probe}", self.base)
                .parse()
                .map_err(|e| ClientError::Page(format!("{e}")))?;
            let header = self.jar.cookies(&url);
            let header = header.as_ref().and_then(|h| h.to_str().ok()).unwrap_or("");
            for pair in header.split("; ").filter(|p| !p.is_empty()) {
                jar.add_cookie_str(&format!("{pair}; Path={path}"), &url);
            }
        }
        Self::with_jar(base, jar, Arc::new(Mutex::new(self.csrf_token())))
    }

    /// The session's CSRF token, once the waiting page has been read.
    pub fn csrf_token(&self) -> Option<String> {
        self.csrf.lock().ok().and_then(|c| c.clone())
    }

    /// The status code of a plain GET of `path` (e.g. `/v`, `/b/{cid}/screen`).
    pub async fn get_status(&self, path: &str) -> Result<(u16, Duration), ClientError> {
        let t = Instant::now();
        let r = self
            .http()
            .get(format!("{}{path}", self.base))
            .send()
            .await?;
        let status = r.status().as_u16();
        r.bytes().await?;
        Ok((status, t.elapsed()))
    }

    /// `GET /health` (the calibration's trivial request); the time it took.
    pub async fn health(&self) -> Result<Duration, ClientError> {
        match self.get_status("/health").await? {
            (200, d) => Ok(d),
            (status, _) => Err(ClientError::Status {
                what: "健康检查",
                status,
                expected: 200,
            }),
        }
    }

    /// Logs the delegate out (`POST /v/logout`): the session ends on the server.
    pub async fn logout(&self) -> Result<(), ClientError> {
        let csrf = self.csrf_token().unwrap_or_default();
        let r = self
            .http()
            .post(format!("{}/v/logout", self.base))
            .form(&[("csrf", csrf.as_str())])
            .send()
            .await?;
        match r.status().as_u16() {
            303 => Ok(()),
            status => Err(ClientError::Status {
                what: "退出登录",
                status,
                expected: 303,
            }),
        }
    }

    /// Opens the card's QR URL and presses the page's login button (the phone's two
    /// requests); returns the time both took.
    pub async fn login(&self, qr_url: &str) -> Result<Duration, ClientError> {
        let t = Instant::now();
        let r = self.http().get(qr_url).send().await?;
        let status = r.status().as_u16();
        if status != 200 {
            return Err(ClientError::Status {
                what: "打开代表证链接",
                status,
                expected: 200,
            });
        }
        let page = r.text().await?;
        let csrf = attr_after(&page, "name=\"csrf\" value=\"")
            .ok_or_else(|| ClientError::Page("代表证页面没有 CSRF 令牌".to_string()))?;
        let r = self
            .http()
            .post(qr_url)
            .form(&[("csrf", csrf.as_str())])
            .send()
            .await?;
        let status = r.status().as_u16();
        if status != 303 {
            return Err(ClientError::Status {
                what: "扫码登录",
                status,
                expected: 303,
            });
        }
        // A new session: its CSRF token is read from the waiting page next.
        if let Ok(mut c) = self.csrf.lock() {
            *c = None;
        }
        Ok(t.elapsed())
    }

    /// Loads the waiting page (and keeps its CSRF token for taking papers); returns the time
    /// the request took.
    pub async fn waiting(&self) -> Result<Duration, ClientError> {
        let t = Instant::now();
        let csrf = self.waiting_csrf().await?;
        let took = t.elapsed();
        if let Ok(mut c) = self.csrf.lock() {
            *c = Some(csrf);
        }
        Ok(took)
    }

    async fn waiting_csrf(&self) -> Result<String, ClientError> {
        let r = self
            .http()
            .get(format!("{}{}", self.base, self.pages))
            .send()
            .await?;
        let status = r.status().as_u16();
        let body = r.text().await?;
        if status != 200 {
            return Err(ClientError::Status {
                what: "投票事项页",
                status,
                expected: 200,
            });
        }
        parse_waiting_csrf(&body).ok_or_else(|| ClientError::Page("投票事项页无法解析".into()))
    }

    /// The contest's public key, as any phone or observer can fetch it.
    pub async fn contest_key(
        &self,
        congress: &str,
        contest: &str,
    ) -> Result<ContestPublicKey, ClientError> {
        let file = if self.pages == "/v" {
            "key.pem"
        } else {
            "participants-key.pem"
        };
        let r = self
            .http()
            .get(format!("{}/box/{congress}/{contest}/{file}", self.base))
            .send()
            .await?;
        let status = r.status().as_u16();
        let pem = r.text().await?;
        if status != 200 {
            return Err(ClientError::Status {
                what: "选票签发公钥",
                status,
                expected: 200,
            });
        }
        ContestPublicKey::from_spki_pem(&pem).map_err(|e| ClientError::Page(e.to_string()))
    }

    /// Takes a paper (领票): a fresh token blinded for `key`, posted with the session; the
    /// answer unblinded. Returns the paper and the time the request took. `pending` lets a
    /// caller ask again with the same blinded message (a lost answer).
    pub async fn take_paper(
        &self,
        contest: &str,
        key: &ContestPublicKey,
        pending: &Pending,
    ) -> Result<(Paper, Duration), ClientError> {
        if self.csrf_token().is_none() {
            self.waiting().await?;
        }
        let csrf = self.csrf_token().unwrap_or_default();
        let t = Instant::now();
        let r = self
            .http()
            .post(format!("{}{}/{contest}/paper", self.base, self.pages))
            .form(&[("csrf", csrf.as_str()), ("blinded", &pending.blinded_b64())])
            .send()
            .await?;
        let took = t.elapsed();
        let status = r.status().as_u16();
        let text = r.text().await?;
        let answer: Option<PaperAnswer> = serde_json::from_str(&text).ok();
        match answer {
            Some(PaperAnswer {
                blind_sig: Some(sig),
                ..
            }) if status == 200 => {
                let paper = pending
                    .finish(key, &sig)
                    .map_err(|e| ClientError::Page(e.to_string()))?;
                Ok((paper, took))
            }
            Some(PaperAnswer { error, .. }) => Err(ClientError::Page(format!(
                "领票 {contest}: 状态码 {status} {}",
                error.unwrap_or_default()
            ))),
            None => Err(ClientError::Page(format!(
                "领票 {contest}: 状态码 {status}, 回答不是 JSON"
            ))),
        }
    }

    /// Loads the ballot page of a contest from the box.
    pub async fn ballot(&self, congress: &str, contest: &str) -> Result<BallotForm, ClientError> {
        let r = self
            .http()
            .get(format!("{}/box/{congress}/{contest}", self.base))
            .send()
            .await?;
        let status = r.status().as_u16();
        let body = r.text().await?;
        if status != 200 {
            return Err(ClientError::Page(format!(
                "投票页 {contest}: 状态码 {status}"
            )));
        }
        parse_ballot_form(&body)
            .ok_or_else(|| ClientError::Page(format!("投票页 {contest} 无法解析")))
    }

    /// Casts a paper with `choices` (the ballot's `choices` object) to the box; returns the
    /// tracker and the time the request took.
    pub async fn cast(
        &self,
        congress: &str,
        contest: &str,
        paper: &Paper,
        choices: &serde_json::Value,
    ) -> Result<(String, Duration), ClientError> {
        let body = serde_json::json!({
            "choices": choices,
            "token": paper.token,
            "token_sig": paper.token_sig,
        });
        let t = Instant::now();
        let r = self
            .http()
            .post(format!("{}/box/{congress}/{contest}/cast", self.base))
            .json(&body)
            .send()
            .await?;
        let took = t.elapsed();
        let status = r.status().as_u16();
        let text = r.text().await?;
        let answer: Option<CastAnswer> = serde_json::from_str(&text).ok();
        match answer {
            Some(CastAnswer {
                ballot_hash: Some(h),
                ..
            }) if status == 200 && h.len() == 64 => Ok((h, took)),
            other => Err(ClientError::Page(format!(
                "投票 {contest}: 状态码 {status} {}",
                other.and_then(|a| a.error).unwrap_or_default()
            ))),
        }
    }

    /// The signed receipt (JSON) of a ballot.
    pub async fn receipt(&self, contest: &str, hash: &str) -> Result<String, ClientError> {
        let r = self
            .http()
            .get(format!("{}/r/{contest}/{hash}/json", self.base))
            .send()
            .await?;
        let status = r.status().as_u16();
        if status != 200 {
            return Err(ClientError::Status {
                what: "回执",
                status,
                expected: 200,
            });
        }
        Ok(r.text().await?)
    }
}
