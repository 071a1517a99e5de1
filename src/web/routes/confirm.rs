//! The confirmation pages of the actions that cannot be undone (`/c/{cid}/confirm/{what}`,
//! `?contest=` for a contest): what will happen, with the counts of `service::previews`, and
//! the form that does it (`confirm=1`). A POST of the action without `confirm=1` redirects
//! here (`web::confirm`). Owner only; showing the page changes nothing.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use crate::domain::contest::ContestState;
use crate::domain::ids::{CongressId, ContestId};
use crate::domain::state::Action;
use crate::domain::term::{ParticipantVotes, APART_LABEL, MIN_APART_PARTICIPANTS};
use crate::service::previews;
use crate::service::roster::RosterSource;
use crate::storage::repo::congress::Congress;
use crate::web::auth::{Need, Staff};
use crate::web::confirm::{question, Question};
use crate::web::error::{WebError, WebResult};
use crate::web::page::{congress_ctx, load_congress, may_change, page};
use crate::web::AppState;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Which {
    pub contest: ContestId,
    /// `participant-votes`: the setting asked for (`none` or `apart`, rule I7).
    pub votes: String,
}

/// The address of the confirmation page of `what` (and `contest`).
pub fn href(cid: &str, what: &str, contest: Option<&str>) -> String {
    match contest {
        Some(k) => format!("/c/{cid}/confirm/{what}?contest={k}"),
        None => format!("/c/{cid}/confirm/{what}"),
    }
}

fn plain<'a>(
    congress: &Congress,
    heading: &'a str,
    consequence: String,
    lines: Vec<String>,
    path: &str,
    back: &str,
    button: &'a str,
) -> Question<'a> {
    let cid = &congress.id;
    Question {
        heading,
        consequence,
        lines,
        action: format!("/c/{cid}/{path}"),
        fields: Vec::new(),
        button,
        back: format!("/c/{cid}/{back}"),
        refused: None,
    }
}

async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<(CongressId, String)>,
    which: web::Query<Which>,
) -> WebResult<HttpResponse> {
    let (cid, what) = path.into_inner();
    let congress = load_congress(&state, &staff, &cid, Need::Own).await?;
    let which = which.into_inner();
    let kid = which.contest.clone();
    let q = match what.as_str() {
        "roster-generate" => {
            let id = congress.id.clone();
            let p = state.run(move |c| Ok(previews::generate(c, &id)?)).await?;
            let mut lines = vec![format!(
                "新名单从已导入的 {} 名推荐人选中按规则B7生成。",
                p.nominees
            )];
            if p.source == Some(RosterSource::Uploaded) {
                lines.push(format!(
                    "现有名单来自上传的名单文件“{}”, 其中的人工修改将全部丢失。",
                    p.file_name.unwrap_or_default()
                ));
            }
            let mut q = plain(
                &congress,
                "重新生成代表名单",
                format!("将替换现有代表名单的 {} 名代表", p.delegates),
                lines,
                "roster/generate",
                "roster",
                "确认生成并替换",
            );
            q.refused = may_change(&staff, &congress, Action::EditRoster).err();
            q
        }
        "credentials-issue" => {
            let id = congress.id.clone();
            let p = state.run(move |c| Ok(previews::delegates(c, &id)?)).await?;
            let mut q = plain(
                &congress,
                "发放代表证",
                format!("将为 {} 名代表生成代表证(二维码和登录码)", p.delegates),
                vec![
                    "发放后代表名单不能再解除冻结或修改; 代表证只能逐张补发(旧证作废)。"
                        .to_string(),
                    "下一步: 打印代表证并发给代表本人。".to_string(),
                ],
                "credentials/issue",
                "credentials",
                "确认发放",
            );
            q.refused = may_change(&staff, &congress, Action::IssueCredentials).err();
            q
        }
        "session-open" => {
            let id = congress.id.clone();
            let p = state.run(move |c| Ok(previews::delegates(c, &id)?)).await?;
            let mut q = plain(
                &congress,
                "宣布开会",
                format!(
                    "大会将进入“大会进行中”, 应到代表 {} 名, 开始签到",
                    p.delegates
                ),
                vec![
                    format!(
                        "已发放代表证 {} 张; 已登记到会 {} 人。",
                        p.cards_issued, p.present
                    ),
                    "开会后不能再登记请假; 选举和表决事项在签到后逐项开始投票。".to_string(),
                ],
                "session/open",
                "attendance",
                "确认宣布开会",
            );
            q.refused = may_change(&staff, &congress, Action::OpenSession).err();
            q
        }
        "contest-open" | "contest-close" => {
            let (id, k) = (congress.id.clone(), kid.clone());
            let p = state
                .run(move |c| Ok(previews::contest(c, &id, &k)?))
                .await?;
            let back = format!("contests/{kid}/voting");
            if what == "contest-open" {
                let mut q = plain(
                    &congress,
                    "开始投票",
                    format!(
                        "“{}”将开始投票: 按实到 {} 人(应到 {} 人)发出选票",
                        p.title, p.present, p.delegates
                    ),
                    vec![
                        "开始后事项内容和候选人不能再修改; 实到人数在此刻冻结(规则D2)。"
                            .to_string(),
                    ],
                    &format!("{back}/open"),
                    &back,
                    "确认开始投票",
                );
                if p.state != ContestState::Draft {
                    q.refused = Some(format!("该事项当前为“{}”, 不能开始投票", p.state.zh()));
                }
                q
            } else {
                let consequence = if p.outstanding > 0 {
                    format!(
                        "{} 张已发出的选票尚未收回: 结束后这些选票不能再投",
                        p.outstanding
                    )
                } else {
                    format!("“{}”将结束投票, 已发出的选票都已收回", p.title)
                };
                let mut q = plain(
                    &congress,
                    "结束投票",
                    consequence,
                    vec![
                        format!(
                            "“{}”: 已发出选票 {} 张, 已投入投票箱 {} 张。",
                            p.title, p.issued, p.cast
                        ),
                        "结束后公布投票箱(各票哈希和默克尔根), 随后计票。".to_string(),
                    ],
                    &format!("{back}/close"),
                    &back,
                    "确认结束投票",
                );
                if p.state != ContestState::Open {
                    q.refused = Some(format!("该事项当前为“{}”, 不能结束投票", p.state.zh()));
                }
                q
            }
        }
        "congress-close" | "record-certify" => {
            let id = congress.id.clone();
            let p = state.run(move |c| Ok(previews::contests(c, &id)?)).await?;
            let mut lines = vec![format!(
                "共 {} 个事项: 结果已确定 {} 个, 投票中 {} 个, 待计票 {} 个, 未开始 {} 个。",
                p.total, p.r#final, p.open, p.closed, p.draft
            )];
            if !p.unfinished.is_empty() {
                lines.push(format!("尚未确定结果的事项: {}。", p.unfinished.join("、")));
            }
            if what == "congress-close" {
                lines.push("闭幕后不能再开始任何投票; 未开始的事项记为未举行。".to_string());
                let mut q = plain(
                    &congress,
                    "宣布闭幕",
                    format!("大会将闭幕, {} 个未开始的事项不再举行", p.draft),
                    lines,
                    "close",
                    "record",
                    "确认宣布闭幕",
                );
                q.refused = may_change(&staff, &congress, Action::CloseCongress).err();
                q
            } else {
                lines.push("签署后报告单不能修改; 只能以附件登记党委批准和备案。".to_string());
                let mut q = plain(
                    &congress,
                    "签署选举结果报告单",
                    format!("将用大会密钥签署包含 {} 个事项结果的报告单", p.r#final),
                    lines,
                    "record/certify",
                    "record",
                    "确认签署",
                );
                q.refused = may_change(&staff, &congress, Action::Certify).err();
                q
            }
        }
        "participant-votes" => {
            let votes = ParticipantVotes::parse(&which.votes).ok_or_else(|| {
                WebError::NotFound(format!("列席人员计票方式“{}”不存在", which.votes))
            })?;
            let id = congress.id.clone();
            let listed = state
                .run(move |c| Ok(crate::storage::repo::term::participants(c, &id)?.len()))
                .await?;
            let (consequence, lines) = match votes {
                ParticipantVotes::Apart => (
                    format!("列席人员({listed} 名)将分开计票: 每项投票开始时已签到的列席人员各领一张选票"),
                    vec![
                        format!("列席人员的选票用每项投票的第二把密钥签发, 单独公示、单独计票, 结果标为“{APART_LABEL}”, 不计入会议结果, 也不计入应到、实到和法定人数。"),
                        format!("须至少 {MIN_APART_PARTICIPANTS} 名列席人员; 某项开始投票时已签到的列席人员少于 {MIN_APART_PARTICIPANTS} 名, 该项列席人员不投票(规则I7)。"),
                        "下一步: 打印列席人员投票卡并发给本人; 任何事项开始投票后不能再改。".to_string(),
                    ],
                ),
                ParticipantVotes::None => (
                    format!("列席人员({listed} 名)将不计票: 签到出席, 不领取选票"),
                    vec!["任何事项开始投票后不能再改(规则I7)。".to_string()],
                ),
            };
            Question {
                heading: "设置列席人员计票方式",
                consequence,
                lines,
                action: format!("/c/{}/term/participant-votes", congress.id),
                fields: vec![("votes", votes.as_str().to_string())],
                button: "确认设置",
                back: format!("/c/{}/term", congress.id),
                refused: may_change(&staff, &congress, Action::EditScrutineers).err(),
            }
        }
        other => {
            return Err(WebError::NotFound(format!(
                "没有“{other}”这项需要确认的操作"
            )));
        }
    };
    let ctx = congress_ctx(&state, &req, &staff, &congress);
    let title = q.heading.to_string();
    Ok(page(&state, &ctx, &title, question(staff.csrf(), &q)))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/c/{cid}/confirm/{what}", web::get().to(show));
}
