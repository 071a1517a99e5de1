//! A delegate's phone as the server sees it: a cookie jar (which several connections may
//! share, like two tabs or a retried request), no automatic redirects, and the few steps of
//! the phone pages (open the card's link, type the code, open a ballot, review, cast).

use std::sync::Arc;

use reqwest::cookie::Jar;
use reqwest::redirect::Policy;

/// A response reduced to what the tests look at.
#[derive(Debug, Clone)]
pub struct Page {
    pub status: u16,
    pub location: Option<String>,
    pub body: String,
}

impl Page {
    async fn from(r: reqwest::Response) -> Page {
        let status = r.status().as_u16();
        let location = r
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body = r.text().await.expect("body");
        Page {
            status,
            location,
            body,
        }
    }

    /// The tracker of an accepted ballot: the redirect `/r/{contest}/{hash}`.
    pub fn receipt_hash(&self) -> Option<String> {
        let loc = self.location.as_deref()?;
        let rest = loc.strip_prefix("/r/")?;
        let (_, hash) = rest.split_once('/')?;
        Some(hash.to_string())
    }
}

/// The value of the first `<input ... name="{name}" value="...">` on a page.
pub fn field_value(html: &str, name: &str) -> Option<String> {
    let pat = format!("name=\"{name}\" value=\"");
    let i = html.find(&pat)? + pat.len();
    let rest = &html[i..];
    Some(rest[..rest.find('"')?].to_string())
}

/// A ballot form as the phone received it: its CSRF token and the ballot's random id.
#[derive(Debug, Clone)]
pub struct BallotForm {
    pub csrf: String,
    pub ballot_id: String,
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

    /// Opens the ballot of `contest`; panics unless the page is the ballot form.
    pub async fn ballot(&self, contest: &str) -> BallotForm {
        let p = self.get(&format!("/v/{contest}")).await;
        assert_eq!(p.status, 200, "{}", p.body);
        BallotForm {
            csrf: field_value(&p.body, "csrf").expect("csrf"),
            ballot_id: field_value(&p.body, "ballot_id").expect("ballot id"),
        }
    }

    fn fields(form: &BallotForm, marks: &[(String, String)]) -> Vec<(String, String)> {
        let mut f = vec![
            ("csrf".to_string(), form.csrf.clone()),
            ("ballot_id".to_string(), form.ballot_id.clone()),
        ];
        f.extend(marks.iter().cloned());
        f
    }

    /// Posts the marks to the review step.
    pub async fn review(
        &self,
        contest: &str,
        form: &BallotForm,
        marks: &[(String, String)],
    ) -> Page {
        self.post(&format!("/v/{contest}/review"), &Self::fields(form, marks))
            .await
    }

    /// Posts the marks to the final "确认投票".
    pub async fn cast(&self, contest: &str, form: &BallotForm, marks: &[(String, String)]) -> Page {
        self.post(&format!("/v/{contest}/cast"), &Self::fields(form, marks))
            .await
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
