//! The page frame of the staff pages: header, the congress's lifecycle bar, flash message.

use maud::{html, Markup, DOCTYPE};

use super::components::csrf_field;
use crate::domain::state::CongressState;
use crate::storage::repo::users::Role;
use crate::web::session::Flash;

/// What the frame needs to know about the request.
#[derive(Debug, Clone, Default)]
pub struct PageCtx {
    /// (username, role) of the logged-in staff member.
    pub user: Option<(String, Role)>,
    /// The congress the page is about: (id, name, state).
    pub congress: Option<(String, String, CongressState)>,
    pub csrf: String,
    pub flash: Option<Flash>,
    /// The signing key's fingerprint, shown on congress pages.
    pub fingerprint: Option<String>,
}

/// The whole HTML page.
pub fn layout(ctx: &PageCtx, title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " - 学代会选举系统" }
                link rel="stylesheet" href="/static/app.css";
                link rel="stylesheet" href="/static/print.css" media="print";
            }
            body {
                header.top {
                    a.brand href="/" { "学代会选举系统" }
                    @if let Some((name, role)) = &ctx.user {
                        nav {
                            @if matches!(role, Role::Office | Role::School) {
                                (super::registry::nav(*role))
                            } @else {
                                a href="/" { "我的大会" }
                                a href="/audit" { "操作日志" }
                            }
                            a href="/account" { (name) " (" (role.zh()) ")" }
                            form.inline method="post" action="/logout" {
                                (csrf_field(&ctx.csrf))
                                button.link type="submit" { "退出登录" }
                            }
                        }
                    }
                }
                @if let Some((id, name, state)) = &ctx.congress {
                    (congress_bar(id, name, *state, ctx.fingerprint.as_deref()))
                }
                main.page {
                    @if let Some(f) = &ctx.flash {
                        p class=(if f.ok { "flash ok" } else { "flash error" }) role="status" { (f.message) }
                    }
                    (body)
                }
            }
        }
    }
}

/// The congress's name, its navigation and where it stands in its lifecycle.
fn congress_bar(id: &str, name: &str, state: CongressState, fingerprint: Option<&str>) -> Markup {
    html! {
        section.congress-bar {
            div.congress-name { a href={"/c/" (id)} { (name) } }
            nav.congress-nav {
                a href={"/c/" (id)} { "概览" }
                a href={"/c/" (id) "/setup"} { "大会设置" }
                a href={"/c/" (id) "/files"} { "名单导入" }
                a href={"/c/" (id) "/quota"} { "名额分配" }
                a href={"/c/" (id) "/roster"} { "代表名单" }
                a href={"/c/" (id) "/scrutineers"} { "监票人员" }
                a href={"/c/" (id) "/contests"} { "选举与表决" }
                a href={"/c/" (id) "/approval"} { "审批与公示" }
                a href={"/c/" (id) "/credentials"} { "代表证" }
                a href={"/c/" (id) "/attendance"} { "签到" }
                a href={"/c/" (id) "/record"} { "结果报告" }
                a href={"/c/" (id) "/term"} { "闭会期间" }
                a href={"/b/" (id)} { "公示" }
                a href={"/c/" (id) "/audit"} { "操作日志" }
            }
            ol.lifecycle aria-label="大会进程" {
                @for s in CongressState::ALL {
                    li class=(if s == state { "current" } else if s < state { "done" } else { "todo" }) {
                        (s.zh())
                    }
                }
            }
            @if let Some(fp) = fingerprint {
                p.fingerprint { "签名公钥指纹: " code { (fp) } }
            }
        }
    }
}
