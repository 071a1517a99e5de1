//! The frame of the delegates' phone pages: tiny (no external requests), readable at 360 px,
//! large touch targets, Simplified Chinese. Most pages carry no script; the pages of the vote
//! itself (the waiting page, the ballot box, the receipt) load the ballot-paper scripts served
//! by the app (`/static/paper.js`, the crypto; `/static/vote.js`, the pages' glue), and say
//! in a `<noscript>` what to do without them.

use maud::{html, Markup, DOCTYPE};

/// A phone page. `congress` is shown as a subtitle when known.
pub fn phone_layout(title: &str, congress: Option<&str>, body: Markup) -> Markup {
    phone_page(title, congress, &PageOptions::default(), body)
}

/// What a phone page adds to its head.
#[derive(Debug, Clone, Copy, Default)]
pub struct PageOptions {
    /// Reload the page every so many seconds: the waiting page, so that a contest that opens
    /// appears by itself. Without script by `<meta http-equiv="refresh">` (inside
    /// `<noscript>`); with script, the script reloads once its requests are answered.
    pub refresh_secs: Option<u32>,
    /// Load the ballot-paper scripts.
    pub scripts: bool,
}

/// A phone page with `opts`.
pub fn phone_page(title: &str, congress: Option<&str>, opts: &PageOptions, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                @if let Some(s) = opts.refresh_secs {
                    noscript { meta http-equiv="refresh" content=(s); }
                }
                title { (title) }
                link rel="stylesheet" href="/static/app.css";
                @if opts.scripts {
                    script src="/static/paper.js" defer {}
                    script src="/static/vote.js" defer {}
                }
            }
            body.phone {
                header.top {
                    span.brand { "代表投票" }
                    @if let Some(c) = congress { span { (c) } }
                }
                main.page { (body) }
            }
        }
    }
}
