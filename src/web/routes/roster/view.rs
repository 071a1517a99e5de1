//! The roster page: what an action left to say, the owner's actions for the congress's state,
//! the validation report, the substitutions of the last generation and the delegates.

use maud::{html, Markup};

use crate::domain::generate::Infeasible;
use crate::domain::state::Action;
use crate::import::FileKind;
use crate::service::roster::Rejected;
use crate::service::roster::{RosterOverview, RosterSource, UploadedRoster, MAX_REASON_CHARS};
use crate::storage::repo::congress::Congress;
use crate::web::auth::Staff;
use crate::web::routes::files::{may_change, upload_form};
use crate::web::views::components::{csrf_field, violations_table};
use crate::web::views::import::{rejected_view, warnings_list};
use crate::web::views::roster::{delegates_table, report_origin, report_view, substitutions_table};

/// What the last action has to say, shown at the top.
pub enum Notice {
    /// The action was refused: why (state, missing files, violations).
    Refused(Vec<String>),
    /// No roster meets the rules with these nominees.
    Infeasible(Infeasible),
    /// An uploaded roster file had errors; nothing was stored.
    Rejected(Rejected),
    /// A roster file was stored.
    Uploaded(UploadedRoster),
}

fn notice(n: &Notice) -> Markup {
    html! {
        @match n {
            Notice::Refused(lines) => div role="alert" {
                p.error { (lines.first().map(String::as_str).unwrap_or("")) }
                @if lines.len() > 1 { ul.errors { @for l in &lines[1..] { li { (l) } } } }
            },
            Notice::Infeasible(inf) => div role="alert" {
                p.error { "无法生成符合规则的代表名单, 当前名单未改变。原因如下(规则、学院、需要人数与实有人数):" }
                (violations_table(&inf.violations))
                p.muted { "可请相关学院补充推荐人选后重新导入“推荐人选”, 或直接上传代表名单。" }
            },
            Notice::Rejected(r) => (rejected_view(r, FileKind::Roster)),
            Notice::Uploaded(u) if !u.stored => div role="alert" {
                p.error { "“" (u.file_name) "”未保存: 名单中有学号重复(规则B6, 每名学生只能有一行), \
                    当前名单未改变。这份文件的全部校验结果如下:" }
                (violations_table(&u.report.violations))
                (warnings_list(&u.warnings))
            },
            Notice::Uploaded(u) => div role="status" {
                p.flash.ok { "已上传“" (u.file_name) "”: " (u.rows) "名代表, 校验结果见下方。" }
                (warnings_list(&u.warnings))
            },
        }
    }
}

/// Whether the stored roster may be frozen now; otherwise why not.
fn freezable(o: &RosterOverview) -> Result<(), String> {
    if o.delegates.is_empty() {
        return Err("还没有代表名单".to_string());
    }
    match &o.current {
        Err(why) => Err(why.clone()),
        Ok(r) if !r.valid => Err(format!(
            "名单有{}处不符合规则",
            r.violations.iter().filter(|v| !v.warning).count()
        )),
        Ok(_) => Ok(()),
    }
}

fn actions(congress: &Congress, staff: &Staff, o: &RosterOverview) -> Markup {
    let base = format!("/c/{}/roster", congress.id);
    let csrf = staff.csrf();
    let edit = may_change(staff, congress, Action::EditRoster);
    let unfreeze = may_change(staff, congress, Action::UnfreezeRoster);
    html! {
        @if edit.is_ok() {
            div.actions {
                form.inline method="post" action={(base) "/generate"} {
                    (csrf_field(csrf))
                    button type="submit" { "生成代表名单" }
                }
                form.inline method="post" action={(base) "/check"} {
                    (csrf_field(csrf))
                    button.secondary type="submit" { "重新校验" }
                }
                @match freezable(o) {
                    Ok(()) => form.inline method="post" action={(base) "/freeze"} {
                        (csrf_field(csrf))
                        button.danger type="submit" { "冻结名单" }
                    },
                    Err(why) => {
                        button.danger type="button" disabled title=(why) { "冻结名单" }
                        span.muted { "暂不能冻结: " (why) }
                    },
                }
            }
            p.muted {
                "“生成代表名单”按各学院推荐人选的得票从高到低选取, 只在规则B2-B5要求时调整并逐一说明; "
                "生成或上传都会替换当前名单。冻结后才能发放代表证。"
            }
            h3 { "上传代表名单" }
            p.muted {
                "已在Excel中排好的名单也可以直接上传(列: 姓名, 学号, 学院, 年级, 性别, 学生会职务, 政治面貌, 社团, 代表类别), "
                a href="/templates/roster" { "下载模板" } "。上传后立即校验。"
            }
            (upload_form(&format!("{base}/upload"), csrf, "上传代表名单"))
        } @else if unfreeze.is_ok() {
            form.stack method="post" action={(base) "/unfreeze"} {
                (csrf_field(csrf))
                label for="reason" { "解除冻结的原因(必填, 记入操作日志)" }
                input #reason type="text" name="reason" required maxlength=(MAX_REASON_CHARS)
                    placeholder="例: 外国语学院一名代表因出国交流需要更换";
                div.actions { button.danger type="submit" { "解除冻结" } }
            }
            p.muted { "代表证发放之前可以解除冻结; 解除后名单可再次修改, 需重新校验并冻结。" }
        } @else if let Err(why) = &edit {
            p.muted { (why) }
        }
    }
}

/// The whole page body.
pub fn body(congress: &Congress, staff: &Staff, o: &RosterOverview, n: Option<&Notice>) -> Markup {
    let id = &congress.id;
    html! {
        h1 { "代表名单" }
        @if let Some(n) = n { (notice(n)) }
        (actions(congress, staff, o))
        h2 { "校验报告" }
        @match (&o.stored, &o.current) {
            (_, Err(why)) => p.error { "无法校验: " (why) },
            (Some(s), Ok(now)) => {
                (report_origin(s))
                @if !s.is_current(now) {
                    p.flash.error role="alert" {
                        "此报告已过期: 此后学生人数、社团名单或规则设置有变动, 按当前数据校验的结果不同。"
                        "请点击“重新校验”保存最新报告; 以下为按当前数据校验的结果。"
                    }
                    (report_view(now))
                } @else {
                    (report_view(&s.report))
                }
            },
            (None, Ok(now)) => {
                @if !o.delegates.is_empty() {
                    p.muted { "尚未保存校验报告(学生人数或社团名单更新后报告会被清除); 以下为按当前数据校验的结果, 请点击“重新校验”保存。" }
                }
                (report_view(now))
            },
        }
        @if let Some(s) = o.stored.as_ref().filter(|s| s.source == Some(RosterSource::Generated)) {
            h2 { "生成时的调整(" (s.substitutions.len()) "处)" }
            (substitutions_table(&s.substitutions))
        }
        h2 { "代表(" (o.delegates.len()) "名)" }
        @if !o.delegates.is_empty() {
            p { a.button.secondary href={"/c/" (id) "/roster.csv"} { "下载代表名单(CSV)" } }
        }
        (delegates_table(&o.delegates))
    }
}
