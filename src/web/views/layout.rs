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
    /// The request's path: the navigation marks the section it belongs to.
    pub path: String,
    /// Served by `congress demo`: a 演示 badge beside the brand.
    pub demo: bool,
}

/// Whether the link `href` is the section of `path`: the page itself, or a page under it
/// (`/c/x/contests/k` is under 选举与表决) — except a congress's overview `/c/x`, which is
/// only itself (every congress page is under it).
fn is_section(path: &str, href: &str, exact: bool) -> bool {
    let path = path.trim_end_matches('/');
    if path == href || (href == "/" && path.is_empty()) {
        return true;
    }
    !exact
        && path
            .strip_prefix(href)
            .is_some_and(|rest| rest.starts_with('/') || rest.starts_with('.'))
}

/// A navigation link, `aria-current="page"` when it is the current section.
fn nav_link(path: &str, href: &str, exact: bool, label: &str) -> Markup {
    html! {
        a href=(href) aria-current=[is_section(path, href, exact).then_some("page")] { (label) }
    }
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
                    @if ctx.demo { span.badge.demo title="由 congress demo 启动, 数据均为虚构" { "演示" } }
                    @if let Some((name, role)) = &ctx.user {
                        nav {
                            @if matches!(role, Role::Office | Role::School) {
                                (super::registry::nav(*role))
                            } @else {
                                (nav_link(&ctx.path, "/", true, "我的大会"))
                                (nav_link(&ctx.path, "/audit", true, "操作日志"))
                            }
                            a href="/account" aria-current=[ctx.path.starts_with("/account").then_some("page")] { (name) " (" (role.zh()) ")" }
                            form.inline method="post" action="/logout" {
                                (csrf_field(&ctx.csrf))
                                button.link type="submit" { "退出登录" }
                            }
                        }
                    }
                }
                @if let Some((id, name, state)) = &ctx.congress {
                    (congress_bar(id, name, *state, ctx))
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
fn congress_bar(id: &str, name: &str, state: CongressState, ctx: &PageCtx) -> Markup {
    let c = format!("/c/{id}");
    let sections = [
        (c.clone(), "概览"),
        (format!("{c}/setup"), "大会设置"),
        (format!("{c}/files"), "名单导入"),
        (format!("{c}/quota"), "名额分配"),
        (format!("{c}/roster"), "代表名单"),
        (format!("{c}/scrutineers"), "监票人员"),
        (format!("{c}/contests"), "选举与表决"),
        (format!("{c}/approval"), "审批与公示"),
        (format!("{c}/credentials"), "代表证"),
        (format!("{c}/attendance"), "签到"),
        (format!("{c}/record"), "结果报告"),
        (format!("{c}/term"), "闭会期间"),
        (format!("/b/{id}"), "公示"),
        (format!("{c}/audit"), "操作日志"),
    ];
    let fingerprint = ctx.fingerprint.as_deref();
    html! {
        section.congress-bar {
            div.congress-name { a href={"/c/" (id)} { (name) } }
            nav.congress-nav aria-label="大会栏目" {
                @for (href, label) in &sections {
                    (nav_link(&ctx.path, href, href == &c, label))
                }
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
