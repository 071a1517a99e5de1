//! The audit log pages: a congress's entries (`/c/{cid}/audit`, owner and scrutineers), its
//! CSV export (`/c/{cid}/audit.csv`), and the global page (`/audit`).
//!
//! Who sees what on `/audit`: a scrutineer (read-only overseer of every congress) sees every
//! congress's entries and every account event (logins, failed logins, password changes,
//! accounts and tokens created); an organiser sees the entries of the congresses they own and
//! the account events about their own account (as actor or target), never other accounts'
//! logins. Failed logins under a username that does not exist are shown without it: people
//! sometimes type their password into the username box.

use std::collections::{HashMap, HashSet};

use actix_web::http::header::{
    Charset, ContentDisposition, DispositionParam, DispositionType, ExtendedValue,
};
use actix_web::{web, HttpRequest, HttpResponse};
use maud::{html, Markup};
use serde::{Deserialize, Serialize};

use crate::csv_out::CsvOut;
use crate::domain::ids::CongressId;
use crate::packet::report::datetime;
pub use crate::service::accounts::UNKNOWN_USERNAME;
use crate::service::ledger::{self, LedgerEntry};
use crate::storage::repo::audit::{self, Query, Scope};
use crate::storage::repo::congress::{self as congress_repo, Congress};
use crate::storage::repo::users::{self, Role};
use crate::web::auth::{authorize, Need, Staff};
use crate::web::error::{WebError, WebResult};
use crate::web::page::{congress_ctx, load_congress, page, staff_ctx};
use crate::web::views::audit::{action_zh, entries_table, prefixes, role_zh};
use crate::web::AppState;

/// Entries per page.
pub const PAGE_SIZE: i64 = 200;

/// The filters of the audit pages (a GET form, so the page needs no CSRF token).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct Filter {
    /// Action-name prefix, e.g. `scrutineer.` or `auth.login`.
    pub action: String,
    /// Exact username.
    pub actor: String,
    /// 1-based page number.
    pub page: String,
}

impl Filter {
    fn page_no(&self) -> Result<i64, WebError> {
        let p = self.page.trim();
        if p.is_empty() {
            return Ok(1);
        }
        p.parse::<i64>()
            .ok()
            .filter(|n| *n >= 1)
            .ok_or_else(|| WebError::BadRequest(format!("“页码”应为正整数, 现为“{}”", self.page)))
    }

    fn query<'a>(&'a self, scope: Scope<'a>) -> Query<'a> {
        Query {
            scope,
            action_prefix: Some(self.action.trim()).filter(|s| !s.is_empty()),
            actor: Some(self.actor.trim()).filter(|s| !s.is_empty()),
        }
    }

    fn href(&self, base: &str, page: i64) -> String {
        let f = Filter {
            page: page.to_string(),
            ..self.clone()
        };
        format!(
            "{base}?{}",
            serde_urlencoded::to_string(&f).unwrap_or_default()
        )
    }
}

/// One page of results and what the pager needs.
struct Page {
    entries: Vec<LedgerEntry>,
    total: i64,
    page: i64,
    actions: Vec<String>,
}

/// Runs the query of `filter` within `scope` (owned values, for the blocking pool).
async fn fetch(state: &AppState, filter: &Filter, scope: OwnedScope) -> WebResult<Page> {
    let page = filter.page_no()?;
    let filter = filter.clone();
    state
        .run(move |c| {
            let scope = scope.borrow();
            let q = filter.query(scope.clone());
            let total = audit::count(c, &q)?;
            let entries = audit::page(c, &q, (page - 1) * PAGE_SIZE, PAGE_SIZE)?;
            let entries = ledger::read(c, entries)?;
            let actions = audit::actions(c, scope)?;
            Ok(Page {
                entries,
                total,
                page,
                actions,
            })
        })
        .await
}

/// `Scope` with owned data.
enum OwnedScope {
    Congress(String),
    OwnAndAccount(Vec<String>, Vec<String>),
}

impl OwnedScope {
    fn borrow(&self) -> Scope<'_> {
        match self {
            OwnedScope::Congress(id) => Scope::Congress(id),
            OwnedScope::OwnAndAccount(ids, u) => Scope::OwnAndAccount {
                congress_ids: ids,
                usernames: u,
            },
        }
    }
}

fn filter_form(base: &str, f: &Filter, actions: &[String]) -> Markup {
    html! {
        form.filters method="get" action=(base) {
            label for="action" { "操作" }
            input #action type="text" name="action" list="actions" value=(f.action) placeholder="如 scrutineer. 或 auth.login";
            datalist #actions { @for p in prefixes(actions) { option value=(p) { (action_zh(&p)) } } }
            " "
            label for="actor" { "操作人" }
            input #actor type="text" name="actor" value=(f.actor) placeholder="用户名(完全匹配)";
            " "
            button type="submit" { "筛选" }
            " "
            a href=(base) { "清除筛选" }
        }
    }
}

fn pager(base: &str, f: &Filter, p: &Page) -> Markup {
    let pages = ((p.total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    html! {
        p.pager {
            "共 " (p.total) " 条, 第 " (p.page) " / " (pages) " 页(每页" (PAGE_SIZE) "条, 最新的在前)。"
            @if p.page > 1 { " " a href=(f.href(base, p.page - 1)) { "上一页" } }
            @if p.page < pages { " " a href=(f.href(base, p.page + 1)) { "下一页" } }
        }
    }
}

async fn congress_audit(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<CongressId>,
    filter: web::Query<Filter>,
) -> WebResult<HttpResponse> {
    let congress = load_congress(&state, &staff, &path, Need::Read).await?;
    let p = fetch(
        &state,
        &filter,
        OwnedScope::Congress(congress.id.to_string()),
    )
    .await?;
    let base = format!("/c/{}/audit", congress.id);
    let ctx = congress_ctx(&state, &req, &staff, &congress);
    let body = html! {
        h1 { "操作日志" }
        p.muted {
            "本大会的全部操作记录(谁、何时、从哪里、做了什么、修改前后), 只能追加, 不能修改或删除。"
            "日志中不记录密码、令牌或任何选票内容。 "
            a href={"/c/" (congress.id) "/audit.csv"} { "下载全部记录(CSV)" }
            " · " a href="/audit" { "查看我可见的全部大会和账户记录" }
        }
        (filter_form(&base, &filter, &p.actions))
        (pager(&base, &filter, &p))
        @if p.entries.is_empty() { p.muted { "没有符合条件的记录。" } }
        @else { (entries_table(&p.entries, None)) }
    };
    Ok(page(&state, &ctx, "操作日志", body))
}

/// The CSV bytes (UTF-8 with BOM, CRLF, Chinese headers, formula cells guarded by
/// `csv_out`) of `entries`, oldest first: each entry as the ledger reads it (操作名称, 对象名称,
/// 详情) and as stored (操作代码, 对象, 修改前, 修改后).
pub fn csv_bytes(entries: &[LedgerEntry]) -> Result<Vec<u8>, WebError> {
    let mut w = CsvOut::new();
    let header = [
        "序号",
        "时间(北京时间)",
        "操作人",
        "角色",
        "操作名称",
        "操作代码",
        "对象名称",
        "对象",
        "详情",
        "地址",
        "修改前",
        "修改后",
    ];
    w.row(header).map_err(WebError::internal)?;
    for l in entries {
        let e = &l.entry;
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        w.row([
            e.seq.to_string(),
            datetime(e.at),
            e.actor.clone(),
            role_zh(&e.role).to_string(),
            l.action_name.clone(),
            e.action.clone(),
            l.object.clone(),
            opt(&e.target),
            l.details.clone(),
            opt(&e.addr),
            opt(&e.before),
            opt(&e.after),
        ])
        .map_err(WebError::internal)?;
    }
    w.finish().map_err(WebError::internal)
}

async fn congress_csv(
    state: web::Data<AppState>,
    staff: Staff,
    path: web::Path<CongressId>,
) -> WebResult<HttpResponse> {
    let congress = load_congress(&state, &staff, &path, Need::Read).await?;
    let cid = congress.id.clone();
    let entries = state
        .run(move |c| {
            let entries = audit::list(c, Some(cid.as_str()))?;
            Ok(ledger::read(c, entries)?)
        })
        .await?;
    let body = csv_bytes(&entries)?;
    let disposition = ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters: vec![
            DispositionParam::Filename(format!("audit-{}.csv", congress.id)),
            DispositionParam::FilenameExt(ExtendedValue {
                charset: Charset::Ext("UTF-8".to_string()),
                language_tag: None,
                value: format!("操作日志-{}.csv", congress.id).into_bytes(),
            }),
        ],
    };
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(disposition)
        .body(body))
}

/// Hides the username of failed logins under names that are no account's.
fn mask_unknown(entries: &mut [LedgerEntry], known: &HashSet<String>) {
    for e in entries.iter_mut().map(|l| &mut l.entry) {
        if e.role == "anonymous" && !known.contains(&e.actor) {
            e.actor = UNKNOWN_USERNAME.to_string();
        }
    }
}

async fn global_audit(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    filter: web::Query<Filter>,
) -> WebResult<HttpResponse> {
    let (all, users) = state
        .run(|c| Ok((congress_repo::list(c)?, users::list(c)?)))
        .await?;
    let known: HashSet<String> = users.iter().map(|u| u.username.clone()).collect();
    let visible: Vec<&Congress> = all
        .iter()
        .filter(|c| authorize(&staff, c, Need::Read).is_ok())
        .collect();
    let names: HashMap<String, String> = visible
        .iter()
        .map(|c| (c.id.to_string(), c.name.clone()))
        .collect();
    // The account events of this account; a scrutineer also sees those of the organisers of
    // the congresses it scrutinises (their logins and logouts are part of the oversight).
    let mut accounts = vec![staff.user.username.clone()];
    if staff.user.role == Role::Scrutineer {
        for c in &visible {
            if let Some(u) = users.iter().find(|u| u.id == c.owner_id) {
                if !accounts.contains(&u.username) {
                    accounts.push(u.username.clone());
                }
            }
        }
    }
    let scope =
        OwnedScope::OwnAndAccount(visible.iter().map(|c| c.id.to_string()).collect(), accounts);
    let mut p = fetch(&state, &filter, scope).await?;
    mask_unknown(&mut p.entries, &known);
    let ctx = staff_ctx(&state, &req, &staff);
    let body = html! {
        h1 { "操作日志(全部)" }
        @match staff.user.role {
            Role::Scrutineer => p.muted { "监票人可查看自己担任监票人员的大会的操作记录, 以及本账户和这些大会组织者账户的登录、退出、修改密码等记录。" },
            Role::Organiser => p.muted { "组织者可查看自己创建的大会的操作记录, 以及本账户(" (staff.user.username) ")的登录、退出、修改密码等记录; 看不到其他账户的登录记录。" },
            Role::Office | Role::School => p.muted { "本账户(" (staff.user.username) ")的登录、退出、修改密码等记录; 备案登记的操作记录见备案登记的“操作日志”。" },
        }
        (filter_form("/audit", &filter, &p.actions))
        (pager("/audit", &filter, &p))
        @if p.entries.is_empty() { p.muted { "没有符合条件的记录。" } }
        @else { (entries_table(&p.entries, Some(&names))) }
    };
    Ok(page(&state, &ctx, "操作日志", body))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/audit", web::get().to(global_audit))
        .route("/c/{cid}/audit.csv", web::get().to(congress_csv))
        .route("/c/{cid}/audit", web::get().to(congress_audit));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::ledger::Titles;
    use crate::storage::repo::audit::AuditEntry;

    fn entry(actor: &str, role: &str, after: Option<&str>) -> LedgerEntry {
        let e = AuditEntry {
            seq: 7,
            at: 1_795_000_000_000,
            actor: actor.to_string(),
            role: role.to_string(),
            congress_id: Some("c1".to_string()),
            action: "scrutineer.add".to_string(),
            target: Some("s1".to_string()),
            addr: Some("127.0.0.1".to_string()),
            before: None,
            after: after.map(str::to_string),
        };
        ledger::ledger(&Titles::default(), vec![e]).remove(0)
    }

    #[test]
    fn csv_has_bom_headers_and_neutralised_formulas() {
        let bytes =
            csv_bytes(&[entry("=cmd|' /C calc'!A0", "organiser", Some("{\"a\":1}"))]).unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        let mut lines = text.lines();
        assert_eq!(
            lines.next(),
            Some("序号,时间(北京时间),操作人,角色,操作名称,操作代码,对象名称,对象,详情,地址,修改前,修改后")
        );
        let row = lines.next().unwrap();
        // 1_795_000_000 s is 2026-11-18 11:06:40 UTC, 19:06:40 in Beijing.
        assert!(row.starts_with("7,2026-11-18 19:06:40,"), "{row}");
        assert!(
            row.contains(
                ",'=cmd|' /C calc'!A0,组织者,添加监票人员,scrutineer.add,s1,s1,a 1,127.0.0.1,,"
            ),
            "{row}"
        );
        assert!(row.ends_with(",\"{\"\"a\"\":1}\""), "{row}");
    }

    #[test]
    fn unknown_usernames_of_failed_logins_are_masked() {
        let known: HashSet<String> = ["zhangwei".to_string()].into_iter().collect();
        let mut es = vec![
            entry("zhangwei", "anonymous", None),
            entry("MyS3cretPassw0rd", "anonymous", None),
            entry("MyS3cretPassw0rd", "organiser", None),
        ];
        mask_unknown(&mut es, &known);
        assert_eq!(es[0].entry.actor, "zhangwei");
        assert_eq!(es[1].entry.actor, UNKNOWN_USERNAME);
        assert_eq!(es[2].entry.actor, "MyS3cretPassw0rd");
    }

    #[test]
    fn page_numbers_are_checked() {
        let f = |p: &str| Filter {
            page: p.to_string(),
            ..Filter::default()
        };
        assert_eq!(f("").page_no().unwrap(), 1);
        assert_eq!(f("3").page_no().unwrap(), 3);
        assert!(f("0").page_no().is_err());
        assert!(f("abc").page_no().is_err());
        let href = Filter {
            action: "scrutineer.".to_string(),
            actor: "张老师".to_string(),
            page: String::new(),
        }
        .href("/audit", 2);
        assert_eq!(
            href,
            "/audit?action=scrutineer.&actor=%E5%BC%A0%E8%80%81%E5%B8%88&page=2"
        );
    }
}
