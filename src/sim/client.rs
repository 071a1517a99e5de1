//! A delegate's phone as an HTTP client: its own connection and cookie jar, logging in with the
//! card's QR URL and voting through the same pages a person uses (the form's CSRF token and
//! ballot id are read from the page, the choices posted to `/v/{contest}/cast`).

use std::time::{Duration, Instant};

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use reqwest::redirect::Policy;

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

/// What the ballot page says.
#[derive(Debug, Clone)]
pub struct BallotForm {
    pub csrf: String,
    pub ballot_id: String,
    /// Candidate ids in ballot order (elections), from the `m.<id>` fields.
    pub candidates: Vec<String>,
}

fn attr_after(html: &str, marker: &str) -> Option<String> {
    let i = html.find(marker)? + marker.len();
    let rest = &html[i..];
    Some(rest[..rest.find('"')?].to_string())
}

/// Reads the CSRF token, ballot id and candidate ids from a ballot page.
pub fn parse_ballot_form(html: &str) -> Option<BallotForm> {
    let csrf = attr_after(html, "name=\"csrf\" value=\"")?;
    let ballot_id = attr_after(html, "name=\"ballot_id\" value=\"")?;
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
    Some(BallotForm {
        csrf,
        ballot_id,
        candidates,
    })
}

/// A simulated delegate.
pub struct Phone {
    base: String,
    http: reqwest::Client,
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

    /// Loads the ballot page of a contest.
    pub async fn ballot(&self, contest: &str) -> Result<BallotForm, ClientError> {
        let r = self
            .http
            .get(format!("{}/v/{contest}", self.base))
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

    /// Casts a ballot (the final submit); returns the tracker and the time the submit took.
    pub async fn cast(
        &self,
        contest: &str,
        form: &BallotForm,
        fields: &[(String, String)],
    ) -> Result<(String, Duration), ClientError> {
        let mut body: Vec<(String, String)> = fields.to_vec();
        body.push(("csrf".into(), form.csrf.clone()));
        body.push(("ballot_id".into(), form.ballot_id.clone()));
        body.push(("confirm_invalid".into(), "1".into()));
        let t = Instant::now();
        let r = self
            .http
            .post(format!("{}/v/{contest}/cast", self.base))
            .form(&body)
            .send()
            .await?;
        let took = t.elapsed();
        let status = r.status().as_u16();
        if status != 303 {
            let text = r.text().await.unwrap_or_default();
            let msg = text
                .find("class=\"error\"")
                .map(|i| &text[i..(i + 300).min(text.len())])
                .unwrap_or("");
            return Err(ClientError::Page(format!(
                "投票 {contest}: 状态码 {status} {msg}"
            )));
        }
        let loc = r
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let hash = loc.rsplit('/').next().unwrap_or_default().to_string();
        if hash.len() != 64 {
            return Err(ClientError::Page(format!(
                "投票 {contest}: 回执地址异常 {loc}"
            )));
        }
        Ok((hash, took))
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

/// Random but realistic choices: an election ballot marks about 60% of candidates for (a few
/// ballots mark them all: over-voted, invalid), some against, the rest unmarked (abstain);
/// a motion ballot is mostly for.
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
