//! A delegate's phone as the server sees it: a cookie jar (which several connections may
//! share, like two tabs or a retried request), no automatic redirects, and the steps of the
//! phone pages: open the card's link, type the code, take a ballot paper on the waiting page
//! (领票, with the Rust side of the phone's script: `congress::sim::paper`), then open, review
//! and cast the ballot at the anonymous box (投票), which the session cookie never reaches.

use std::sync::Arc;

use congress::crypto::blind::ContestPublicKey;
use congress::sim::paper::{Paper, Pending};
use reqwest::cookie::Jar;
use reqwest::redirect::Policy;

/// A response reduced to what the tests look at.
#[derive(Debug, Clone)]
pub struct Page {
    pub status: u16,
    pub location: Option<String>,
    pub body: String,
    /// Every `Set-Cookie` header.
    pub cookies: Vec<String>,
}

impl Page {
    async fn from(r: reqwest::Response) -> Page {
        let status = r.status().as_u16();
        let location = r
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let cookies = r
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_string))
            .collect();
        let body = r.text().await.expect("body");
        Page {
            status,
            location,
            body,
            cookies,
        }
    }

    /// The tracker of an accepted ballot: the redirect `/r/{contest}/{hash}`.
    pub fn receipt_hash(&self) -> Option<String> {
        let loc = self.location.as_deref()?;
        let rest = loc.strip_prefix("/r/")?;
        let (_, hash) = rest.split_once('/')?;
        Some(hash.to_string())
    }

    /// The JSON body.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// The value of the first `<input ... name="{name}" value="...">` on a page.
pub fn field_value(html: &str, name: &str) -> Option<String> {
    let pat = format!("name=\"{name}\" value=\"");
    let i = html.find(&pat)? + pat.len();
    let rest = &html[i..];
    Some(rest[..rest.find('"')?].to_string())
}

/// The value of the first `{attr}="..."` on a page.
pub fn attr_value(html: &str, attr: &str) -> Option<String> {
    let pat = format!("{attr}=\"");
    let i = html.find(&pat)? + pat.len();
    let rest = &html[i..];
    Some(rest[..rest.find('"')?].to_string())
}

/// One device (or one more connection of the same device when built by [`Phone::sharing`]).
pub struct Phone {
    pub base: String,
    pub jar: Arc<Jar>,
    http: reqwest::Client,
}

impl Phone {
    pub fn new(base: &str) -> Phone {
        Phone::with_jar(base, Arc::new(Jar::default()))
    }

    fn with_jar(base: &str, jar: Arc<Jar>) -> Phone {
        let http = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .redirect(Policy::none())
            .build()
            .expect("client");
        Phone {
            base: base.to_string(),
            jar,
            http,
        }
    }

    /// Another client (its own connections) with this phone's cookies: a second tab, or the
    /// retry a flaky network makes.
    pub fn sharing(&self) -> Phone {
        Phone::with_jar(&self.base, self.jar.clone())
    }

    pub async fn get(&self, path: &str) -> Page {
        let r = self
            .http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("GET");
        Page::from(r).await
    }

    pub async fn post(&self, path: &str, fields: &[(String, String)]) -> Page {
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .form(fields)
            .send()
            .await
            .expect("POST");
        Page::from(r).await
    }

    pub async fn post_json(&self, path: &str, body: &serde_json::Value) -> Page {
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .json(body)
            .send()
            .await
            .expect("POST");
        Page::from(r).await
    }

    /// What a link previewer, a proxy or a second tap sees of the card's QR link: the page
    /// with one button.
    pub async fn preview_card(&self, token: &str) -> Page {
        self.get(&format!("/t/{token}")).await
    }

    /// Opens the card's QR link and presses the page's button (the login).
    pub async fn open_card(&self, token: &str) -> Page {
        let page = self.preview_card(token).await;
        assert_eq!(page.status, 200, "the card page: {}", page.body);
        let csrf = field_value(&page.body, "csrf").expect("csrf on the card page");
        self.post(&format!("/t/{token}"), &[("csrf".into(), csrf)])
            .await
    }

    /// Types the card's manual code on `/login/code`.
    pub async fn type_code(&self, code: &str) -> Page {
        let form = self.get("/login/code").await;
        assert_eq!(form.status, 200);
        let csrf = field_value(&form.body, "csrf").expect("csrf on the code page");
        self.post(
            "/login/code",
            &[("csrf".into(), csrf), ("code".into(), code.to_string())],
        )
        .await
    }

    /// Logs in with the token and checks the redirect to `/v`.
    pub async fn login(&self, token: &str) {
        let p = self.open_card(token).await;
        assert_eq!(
            (p.status, p.location.as_deref()),
            (303, Some("/v")),
            "{}",
            p.body
        );
    }

    /// The delegate session's CSRF token, from the waiting page.
    pub async fn csrf(&self) -> String {
        let p = self.get("/v").await;
        assert_eq!(p.status, 200, "{}", p.body);
        attr_value(&p.body, "data-csrf").expect("data-csrf on the waiting page")
    }

    /// The contest's public key, as the box serves it.
    pub async fn contest_key(&self, cid: &str, kid: &str) -> ContestPublicKey {
        let p = self.get(&format!("/box/{cid}/{kid}/key.pem")).await;
        assert_eq!(p.status, 200, "{}", p.body);
        ContestPublicKey::from_spki_pem(&p.body).expect("contest key PEM")
    }

    /// Asks for a paper with `pending`'s blinded message (领票); the answer and, if it came,
    /// the unblinded paper.
    pub async fn ask_paper(
        &self,
        kid: &str,
        csrf: &str,
        key: &ContestPublicKey,
        pending: &Pending,
    ) -> (Page, Option<Paper>) {
        let page = self
            .post(
                &format!("/v/{kid}/paper"),
                &[
                    ("csrf".into(), csrf.to_string()),
                    ("blinded".into(), pending.blinded_b64()),
                ],
            )
            .await;
        let paper = (page.status == 200).then(|| {
            let sig = page.json()["blind_sig"]
                .as_str()
                .expect("blind_sig")
                .to_string();
            pending.finish(key, &sig).expect("the paper verifies")
        });
        (page, paper)
    }

    /// Takes a paper with a fresh token, as the waiting page's script does; panics unless
    /// it is issued.
    pub async fn take_paper(&self, cid: &str, kid: &str) -> Paper {
        let key = self.contest_key(cid, kid).await;
        let csrf = self.csrf().await;
        let pending = Pending::new(&key).expect("blind");
        let (page, paper) = self.ask_paper(kid, &csrf, &key, &pending).await;
        paper.unwrap_or_else(|| panic!("no paper: {} {}", page.status, page.body))
    }

    /// Opens the ballot form at the box.
    pub async fn ballot(&self, cid: &str, kid: &str) -> Page {
        self.get(&format!("/box/{cid}/{kid}")).await
    }

    /// Posts the marks to the review step.
    pub async fn review(&self, cid: &str, kid: &str, marks: &[(String, String)]) -> Page {
        self.post(&format!("/box/{cid}/{kid}/review"), marks).await
    }

    /// Posts the marks with the paper to the final "确认投票" (the form the script fills).
    pub async fn cast(
        &self,
        cid: &str,
        kid: &str,
        paper: &Paper,
        marks: &[(String, String)],
    ) -> Page {
        let mut fields = vec![
            ("token".to_string(), paper.token.clone()),
            ("token_sig".to_string(), paper.token_sig.clone()),
        ];
        fields.extend(marks.iter().cloned());
        self.post(&format!("/box/{cid}/{kid}/cast"), &fields).await
    }
}

/// Election marks: `m.<candidate id>` = for / against / abstain.
pub fn marks(candidates: &[String], each: &[&str]) -> Vec<(String, String)> {
    candidates
        .iter()
        .zip(each)
        .map(|(id, m)| (format!("m.{id}"), m.to_string()))
        .collect()
}

/// A motion vote.
pub fn vote(mark: &str) -> Vec<(String, String)> {
    vec![("vote".to_string(), mark.to_string())]
}

/// Marks with the invalid-ballot confirmation ticked.
pub fn confirmed(mut marks: Vec<(String, String)>) -> Vec<(String, String)> {
    marks.push(("confirm_invalid".into(), "1".into()));
    marks
}
