//! The frame of the public pages (公示, results, the projector): no login, no personal data, no
//! script but the projector's, links between the congress's public pages only.

use maud::{html, Markup, DOCTYPE};

/// What the public frame needs to know.
#[derive(Debug, Clone, Default)]
pub struct PublicPage<'a> {
    pub title: &'a str,
    /// The congress: (id, name), for the header and its links.
    pub congress: Option<(&'a str, &'a str)>,
    /// The congress's signing-key fingerprint, shown at the foot of every public page.
    pub fingerprint: Option<&'a str>,
    /// `class` of `<body>`, e.g. `projector`.
    pub body_class: Option<&'a str>,
    /// Seconds after which the page reloads itself (`<meta http-equiv="refresh">`, no script).
    pub refresh: Option<u32>,
    /// A script of ours under `/static/` (the projector's `screen.js`). With one, the reload
    /// above sits in `<noscript>`: the script updates the page without a visible reload.
    pub script: Option<&'a str>,
    /// No site header or navigation (the projector fills the screen).
    pub bare: bool,
}

/// A whole public page.
pub fn public_layout(p: &PublicPage, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                @if let Some(s) = p.refresh {
                    @if p.script.is_some() {
                        noscript { meta http-equiv="refresh" content=(s); }
                    } @else {
                        meta http-equiv="refresh" content=(s);
                    }
                }
                title { (p.title) " - 学代会选举公示" }
                link rel="stylesheet" href="/static/app.css";
                @if let Some(js) = p.script {
                    script src={"/static/" (js)} defer {}
                }
            }
            body class=[p.body_class] {
                @if !p.bare { header.top {
                    @match p.congress {
                        Some((id, name)) => {
                            a.brand href={"/b/" (id)} { (name) " · 公示" }
                            nav {
                                a href={"/b/" (id)} { "选举与表决" }
                                a href={"/b/" (id) "/check"} { "核对追踪码" }
                                a href={"/b/" (id) "/screen"} { "大屏" }
                            }
                        },
                        None => span.brand { "学代会选举公示" },
                    }
                } }
                main.page {
                    (body)
                    @if let Some(fp) = p.fingerprint {
                        footer.fingerprint {
                            "结果报告与投票回执的签名公钥 (Ed25519) 指纹: " code { (fp) }
                            @if let Some((id, _)) = p.congress { " · " a href={"/b/" (id) "/key.pem"} { "下载公钥" } }
                        }
                    }
                }
            }
        }
    }
}
