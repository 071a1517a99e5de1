//! Asking before what cannot be undone. A form that acts at once (issuing the cards, opening
//! the congress or a contest, closing, certifying, generating over a stored roster) acts only
//! when it carries `confirm=1`; without it the handler redirects (303) to the action's
//! confirmation page (`routes::confirm`), which says with real counts what will happen and
//! posts the same form again with `confirm=1`. The JSON API never asks: its clients are
//! explicit.

use actix_web::{HttpRequest, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

use crate::web::views::components::csrf_field;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Flag {
    confirm: String,
}

/// Whether the request confirms: `confirm=1` in its url-encoded body or its query.
pub fn confirmed(req: &HttpRequest, body: &[u8]) -> bool {
    let yes = |f: Option<Flag>| f.is_some_and(|f| f.confirm == "1");
    yes(serde_urlencoded::from_bytes::<Flag>(body).ok())
        || yes(serde_urlencoded::from_str::<Flag>(req.query_string()).ok())
}

/// The redirect to a confirmation page.
pub fn ask(to: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header(("Location", to.to_string()))
        .finish()
}

/// What a confirmation page shows.
pub struct Question<'a> {
    pub heading: &'a str,
    /// The consequence in one line, the figures in it.
    pub consequence: String,
    /// Further facts (one per line).
    pub lines: Vec<String>,
    /// The form's target and hidden fields besides `csrf` and `confirm`.
    pub action: String,
    pub fields: Vec<(&'a str, String)>,
    pub button: &'a str,
    /// Where 取消 leads (nothing is done).
    pub back: String,
    /// Why the action cannot be done now (no button then).
    pub refused: Option<String>,
}

/// The confirmation box.
pub fn question(csrf: &str, q: &Question<'_>) -> Markup {
    html! {
        section.confirm {
            h1 { (q.heading) }
            p.consequence role="alert" { (q.consequence) }
            @if !q.lines.is_empty() { ul { @for l in &q.lines { li { (l) } } } }
            p.muted { "此操作不能撤销。请核对以上数字后再确认。" }
            @if let Some(r) = &q.refused { p.error role="note" { (r) } }
            div.actions {
                @if q.refused.is_none() {
                    form.inline method="post" action=(q.action) {
                        (csrf_field(csrf))
                        input type="hidden" name="confirm" value="1";
                        @for (k, v) in &q.fields { input type="hidden" name=(k) value=(v); }
                        button type="submit" { (q.button) }
                    }
                }
                a.button.secondary href=(q.back) { "取消, 返回" }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn only_confirm_1_confirms() {
        let req = TestRequest::default().to_http_request();
        assert!(confirmed(&req, b"csrf=x&confirm=1"));
        assert!(!confirmed(&req, b"csrf=x"));
        assert!(!confirmed(&req, b"confirm=yes"));
        assert!(!confirmed(&req, b""));
        let req = TestRequest::default().uri("/x?confirm=1").to_http_request();
        assert!(confirmed(&req, b""));
    }

    #[test]
    fn the_box_posts_confirm_and_escapes() {
        let q = Question {
            heading: "发放代表证",
            consequence: "将为 164 名代表发放代表证".into(),
            lines: vec!["<b>".into()],
            action: "/c/x/credentials/issue".into(),
            fields: vec![("id", "u1".into())],
            button: "确认发放",
            back: "/c/x/credentials".into(),
            refused: None,
        };
        let html = question("tok", &q).into_string();
        assert!(html.contains("name=\"confirm\" value=\"1\""), "{html}");
        assert!(html.contains("name=\"id\" value=\"u1\""), "{html}");
        assert!(html.contains("&lt;b&gt;"));
        assert!(html.contains("href=\"/c/x/credentials\""));
    }
}
