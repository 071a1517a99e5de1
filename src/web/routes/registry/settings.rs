//! The office's settings (`/registry/settings`: the filing deadline and the longest interval
//! between congresses, audited) and the registry's audit log (`/registry/audit`: every
//! registry action and the registry accounts' logins).

use actix_web::{web, HttpRequest, HttpResponse};
use maud::html;
use serde::Deserialize;

use super::access::{office_only, who};
use super::actor;
use crate::registry::service::{load_settings, save_settings};
use crate::registry::status::Settings;
use crate::service::ledger;
use crate::storage::repo::audit::{self, Query, Scope};
use crate::storage::repo::users::{self, Role};
use crate::web::auth::Staff;
use crate::web::error::{WebError, WebResult};
use crate::web::page::{page, redirect_with, staff_ctx};
use crate::web::views::audit::entries_table;
use crate::web::views::csrf_field;
use crate::web::AppState;

#[derive(Debug, Deserialize)]
pub struct SettingsForm {
    pub filing_days: String,
    pub max_interval_months: String,
}

fn number(label: &str, s: &str) -> WebResult<u32> {
    s.trim()
        .parse()
        .map_err(|_| WebError::BadRequest(format!("“{label}”应为正整数, 现为“{s}”")))
}

async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
) -> WebResult<HttpResponse> {
    office_only(&who(&state, &staff.user).await?)?;
    let s = state.run(|c| Ok(load_settings(c)?)).await?;
    let ctx = staff_ctx(&state, &req, &staff);
    let body = html! {
        h1 { "备案设置" }
        p.muted {
            "按时备案: 大会 (记录中的大会日期) 后不超过“备案期限”天首次备案被接收。"
            "未备案: 年度结束 (12月31日再过备案期限天数) 仍无该年度大会的备案。"
            "超期未召开: 距上一次大会已超过“召开周期上限”个月 (政策: 学代会每年召开, 周期不超过两年)。"
        }
        form.stack method="post" action="/registry/settings" {
            (csrf_field(staff.csrf()))
            label for="filing_days" { "备案期限 (大会后天数, 1-366)" }
            input #filing_days type="number" name="filing_days" min="1" max="366" required value=(s.filing_days);
            label for="max_interval_months" { "召开周期上限 (月, 1-120)" }
            input #max_interval_months type="number" name="max_interval_months" min="1" max="120" required value=(s.max_interval_months);
            div.actions { button type="submit" { "保存" } }
        }
    };
    Ok(page(&state, &ctx, "备案设置", body))
}

async fn save(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    form: web::Form<SettingsForm>,
) -> WebResult<HttpResponse> {
    office_only(&who(&state, &staff.user).await?)?;
    let new = Settings {
        filing_days: number("备案期限", &form.filing_days)?,
        max_interval_months: number("召开周期上限", &form.max_interval_months)?,
    };
    let a = actor(&staff, &req);
    state.run(move |c| Ok(save_settings(c, &a, new)?)).await?;
    Ok(redirect_with(
        &state,
        "/registry/settings",
        true,
        "设置已保存",
    ))
}

/// Entries shown on the audit page.
const LIMIT: i64 = 500;

async fn audit_log(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
) -> WebResult<HttpResponse> {
    office_only(&who(&state, &staff.user).await?)?;
    let entries = state
        .run(|c| {
            // The registry accounts and the command line: their entries have no congress.
            let mut names: Vec<String> = users::list(c)?
                .into_iter()
                .filter(|u| matches!(u.role, Role::Office | Role::School))
                .map(|u| u.username)
                .collect();
            names.push("cli:registry".to_string());
            let q = Query {
                scope: Scope::OwnAndAccount {
                    congress_ids: &[],
                    usernames: &names,
                },
                action_prefix: None,
                actor: None,
            };
            let entries = audit::page(c, &q, 0, LIMIT)?;
            Ok(ledger::ledger(&ledger::Titles::default(), entries))
        })
        .await?;
    let ctx = staff_ctx(&state, &req, &staff);
    let body = html! {
        h1 { "备案操作日志" }
        p.muted { "备案登记账户 (上级学联、学校) 和命令行的全部操作, 以及这些账户的登录记录; 最新的 " (LIMIT) " 条。" }
        @if entries.is_empty() { p.muted { "没有记录。" } }
        @else { (entries_table(&entries, None)) }
    };
    Ok(page(&state, &ctx, "备案操作日志", body))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/registry/settings", web::get().to(show))
        .route("/registry/settings", web::post().to(save))
        .route("/registry/audit", web::get().to(audit_log));
}
