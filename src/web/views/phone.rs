//! The frame of the delegates' phone pages: tiny (no external requests, no script), readable
//! at 360 px, large touch targets, Simplified Chinese.

use maud::{html, Markup, DOCTYPE};

/// A phone page. `congress` is shown as a subtitle when known.
pub fn phone_layout(title: &str, congress: Option<&str>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                link rel="stylesheet" href="/static/app.css";
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
