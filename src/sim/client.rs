//! A delegate's phone as an HTTP client: its own connection and cookie jar, logging in with the
//! card's QR URL, reading the waiting page (`/v`) for its CSRF token, taking a ballot paper
//! for a contest (领票: the blinded token posted with the session to `/v/{contest}/paper`,
//! the answer unblinded with `crypto::blind`), and casting it with the ballot to the
//! anonymous box (`/box/{congress}/{contest}/cast`, the JSON variant), where the session
//! cookie is not sent (its path is `/v`).

use std::time::{Duration, Instant};

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use reqwest::redirect::Policy;
use serde::Deserialize;

use super::paper::{Paper, Pending};
use crate::crypto::blind::ContestPublicKey;

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

/// What the ballot page says: the candidate ids in ballot order (elections), from the
/// `m.<id>` fields.
#[derive(Debug, Clone)]
pub struct BallotForm {
    pub candidates: Vec<String>,
}

fn attr_after(html: &str, marker: &str) -> Option<String> {
    let i = html.find(marker)? + marker.len();
    let rest = &html[i..];
    Some(rest[..rest.find('"')?].to_string())
}

/// Reads the candidate ids from a ballot page.
pub fn parse_ballot_form(html: &str) -> Option<BallotForm> {
    if !html.contains("<form") {
        return None;
    }
    let mut candidates: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("name=\"m.") {
        rest = &rest[i + "name=\"m.".len()..];
        if let Some(end) = rest.find('"') {
            let id = rest[..end].to_string();
            if !candidates.contains(&id) {
                candidates.push(id);
            }
        }
    }
    Some(BallotForm { candidates })
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
    http: reqwest::Client,
    /// The delegate session's CSRF token, read from the waiting page once.
    csrf: std::sync::OnceLock<String>,
}

impl Phone {
    pub fn new(base: &str) -> Result<Phone, ClientError> {
        Ok(Phone {
            base: base.trim_end_matches('/').to_string(),
            http: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(Policy::none())
                .pool_max_idle_per_host(1)
                .timeout(Duration::from_secs(60))
                .build()?,
            csrf: std::sync::OnceLock::new(),
        })
    }

    /// Opens the card's QR URL and presses the page's login button (the phone's two
    /// requests); returns the time both took.
    pub async fn login(&self, qr_url: &str) -> Result<Duration, ClientError> {
        let t = Instant::now();
        let r = self.http.get(qr_url).send().await?;
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
            .http
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
        Ok(t.elapsed())
    }

    /// Loads the waiting page (and keeps its CSRF token for taking papers); returns the time
    /// the request took.
    pub async fn waiting(&self) -> Result<Duration, ClientError> {
        let t = Instant::now();
        let csrf = self.waiting_csrf().await?;
        let took = t.elapsed();
        let _ = self.csrf.set(csrf);
        Ok(took)
    }

    async fn waiting_csrf(&self) -> Result<String, ClientError> {
        let r = self.http.get(format!("{}/v", self.base)).send().await?;
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
        let r = self
            .http
            .get(format!("{}/box/{congress}/{contest}/key.pem", self.base))
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
        if self.csrf.get().is_none() {
            self.waiting().await?;
        }
        let csrf = self.csrf.get().cloned().unwrap_or_default();
        let t = Instant::now();
        let r = self
            .http
            .post(format!("{}/v/{contest}/paper", self.base))
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
            .http
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
            .http
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
            .http
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

/// Random but realistic choices as form fields: an election ballot marks about 60% of
/// candidates for (a few ballots mark them all: over-voted, invalid), some against, the rest
/// unmarked (abstain); a motion ballot is mostly for.
pub fn choices(
    rng: &mut ChaCha8Rng,
    form: &BallotForm,
    seats: Option<u32>,
) -> Vec<(String, String)> {
    match seats {
        Some(seats) => {
            let overvote = rng.random_bool(0.02);
            let mut fors = 0u32;
            let mut out = Vec::new();
            for id in &form.candidates {
                let x: f64 = rng.random();
                let mark = if overvote || (x < 0.6 && fors < seats) {
                    fors += 1;
                    "for"
                } else if x < 0.8 {
                    "against"
                } else if x < 0.9 {
                    "abstain"
                } else {
                    continue; // unmarked = abstain (E2)
                };
                out.push((format!("m.{id}"), mark.to_string()));
            }
            out
        }
        None => {
            let x: f64 = rng.random();
            let vote = if x < 0.85 {
                "for"
            } else if x < 0.93 {
                "against"
            } else {
                "abstain"
            };
            vec![("vote".to_string(), vote.to_string())]
        }
    }
}

/// The same choices as the ballot's `choices` JSON (what the box's JSON cast takes): marked
/// candidates by id (the unmarked become abstain), or the motion's vote.
pub fn choices_json(fields: &[(String, String)]) -> serde_json::Value {
    let mut map = serde_json::Map::new();
    for (k, v) in fields {
        let key = k.strip_prefix("m.").unwrap_or(k);
        map.insert(key.to_string(), serde_json::Value::from(v.as_str()));
    }
    serde_json::Value::Object(map)
}
