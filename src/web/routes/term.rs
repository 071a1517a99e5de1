//! The term pages (闭会期间, rules H): a congress's standing delegates, meetings, presidium and
//! timeline; a meeting's removal vote and participants. The owner changes, scrutineers read
//! (and check participants in); a refused action answers with the Chinese reason.

use std::collections::BTreeMap;

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use crate::domain::ids::CongressId;
use crate::domain::term::{MeetingKind, Member, ParticipantVotes};
use crate::service::term::{self, MeetingDetails};
use crate::web::auth::{authorize, Need, Staff};
use crate::web::confirm::{ask, confirmed};
use crate::web::error::{WebError, WebResult};
use crate::web::page::{actor, congress_ctx, load_congress, page, redirect_with};
use crate::web::routes::confirm::href as confirm_href;
use crate::web::views::term::{term_page, Can};
use crate::web::AppState;

async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<CongressId>,
) -> WebResult<HttpResponse> {
    let congress = load_congress(&state, &staff, &path, Need::Read).await?;
    let cid = congress.id.clone();
    let o = state
        .run(move |c| Ok(term::overview(c, &cid, term::today_cst())?))
        .await?;
    let can = Can {
        own: authorize(&staff, &congress, Need::Own).is_ok(),
        scrutinise: authorize(&staff, &congress, Need::Scrutinise).is_ok(),
    };
    let ctx = congress_ctx(&state, &req, &staff, &congress);
    Ok(page(
        &state,
        &ctx,
        "闭会期间",
        term_page(&o, staff.csrf(), &can),
    ))
}

fn back(cid: &str) -> String {
    format!("/c/{cid}/term")
}

/// `seats:<学院>` fields, the CSRF token left out.
async fn quotas(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<CongressId>,
    form: web::Form<Vec<(String, String)>>,
) -> WebResult<HttpResponse> {
    let congress = load_congress(&state, &staff, &path, Need::Own).await?;
    let mut quotas = BTreeMap::new();
    for (k, v) in form.into_inner() {
        let Some(college) = k.strip_prefix("seats:") else {
            continue;
        };
        let n: u32 = v.trim().parse().map_err(|_| WebError::Unprocessable {
            message: "常任代表名额有误".to_string(),
            details: vec![format!("{college}的名额应为0或正整数, 现为“{v}”")],
        })?;
        quotas.insert(college.to_string(), n);
    }
    let (a, cid) = (actor(&staff, &req), congress.id.clone());
    state
        .run(move |c| Ok(term::set_quotas(c, &a, &cid, &quotas)?))
        .await?;
    Ok(redirect_with(
        &state,
        &back(congress.id.as_str()),
        true,
        "已保存各学院的常任代表名额。",
    ))
}

#[derive(Debug, Deserialize)]
pub struct NumbersForm {
    #[serde(default)]
    pub numbers: String,
}

async fn nominate(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<CongressId>,
    form: web::Form<NumbersForm>,
) -> WebResult<HttpResponse> {
    let congress = load_congress(&state, &staff, &path, Need::Own).await?;
    let mut numbers = Vec::new();
    for part in form
        .numbers
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '，' | '、' | ';' | '；'))
        .filter(|p| !p.is_empty())
    {
        numbers.push(part.parse::<u32>().map_err(|_| WebError::Unprocessable {
            message: "常任代表名单未保存".to_string(),
            details: vec![format!("“{part}”不是代表编号(应为正整数)")],
        })?);
    }
    let (a, cid) = (actor(&staff, &req), congress.id.clone());
    let report = state
        .run(move |c| Ok(term::nominate(c, &a, &cid, &numbers)?))
        .await?;
    let message = if report.valid {
        format!(
            "已保存常任代表名单({}名), 符合规则, 可以冻结。",
            report.total
        )
    } else {
        format!(
            "已保存常任代表名单({}名), 尚不符合规则: 见下表。",
            report.total
        )
    };
    Ok(redirect_with(
        &state,
        &back(congress.id.as_str()),
        report.valid,
        message,
    ))
}

async fn freeze(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<CongressId>,
) -> WebResult<HttpResponse> {
    let congress = load_congress(&state, &staff, &path, Need::Own).await?;
    let (a, cid) = (actor(&staff, &req), congress.id.clone());
    let r = state.run(move |c| Ok(term::freeze(c, &a, &cid)?)).await?;
    Ok(redirect_with(
        &state,
        &back(congress.id.as_str()),
        true,
        format!("常任代表名单已冻结({}名)。", r.total),
    ))
}

#[derive(Debug, Deserialize)]
pub struct MeetingForm {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub place: String,
}

async fn create_meeting(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<CongressId>,
    form: web::Form<MeetingForm>,
) -> WebResult<HttpResponse> {
    let congress = load_congress(&state, &staff, &path, Need::Own).await?;
    let f = form.into_inner();
    let kind = MeetingKind::parse(&f.kind).ok_or_else(|| WebError::Unprocessable {
        message: "会议类别有误".to_string(),
        details: vec![format!("“{}”应为“常代会会议”或“评议会”", f.kind)],
    })?;
    let details = MeetingDetails {
        kind,
        name: f.name,
        date: f.date,
        place: f.place,
    };
    let (a, cid) = (actor(&staff, &req), congress.id.clone());
    let st = state.clone();
    let m = state
        .run(move |c| Ok(term::create_meeting(c, &a, &cid, &details, &st.keys)?))
        .await?;
    Ok(redirect_with(
        &state,
        &back(m.id.as_str()),
        true,
        format!(
            "已创建{}“{}”: 代表名单为冻结的常任代表名单。",
            kind.zh(),
            m.name
        ),
    ))
}

#[derive(Debug, Deserialize)]
pub struct RemovalForm {
    #[serde(default)]
    pub member: String,
}

async fn removal(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<CongressId>,
    form: web::Form<RemovalForm>,
) -> WebResult<HttpResponse> {
    let congress = load_congress(&state, &staff, &path, Need::Own).await?;
    let parts: Vec<&str> = form.member.split('|').collect();
    let [name, college, student_no] = parts[..] else {
        return Err(WebError::Unprocessable {
            message: "请选择要罢免的主席团成员".to_string(),
            details: Vec::new(),
        });
    };
    let member = Member {
        name: name.to_string(),
        college: college.to_string(),
        student_no: student_no.to_string(),
    };
    let (a, cid) = (actor(&staff, &req), congress.id.clone());
    let contest = state
        .run(move |c| Ok(term::propose_removal(c, &a, &cid, &member)?))
        .await?;
    Ok(redirect_with(
        &state,
        &format!("/c/{}/contests/{contest}", congress.id),
        true,
        format!("已提出罢免{name}的表决事项。"),
    ))
}

#[derive(Debug, Deserialize)]
pub struct ParticipantForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub unit: String,
}

async fn add_participant(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<CongressId>,
    form: web::Form<ParticipantForm>,
) -> WebResult<HttpResponse> {
    let congress = load_congress(&state, &staff, &path, Need::Own).await?;
    let f = form.into_inner();
    let (a, cid) = (actor(&staff, &req), congress.id.clone());
    let name = f.name.clone();
    state
        .run(move |c| Ok(term::add_participant(c, &a, &cid, &f.name, &f.unit)?))
        .await?;
    Ok(redirect_with(
        &state,
        &back(congress.id.as_str()),
        true,
        format!("已添加列席人员“{}”。", name.trim()),
    ))
}

#[derive(Debug, Deserialize)]
pub struct PresentForm {
    #[serde(default)]
    pub present: String,
}

async fn participant_present(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<(CongressId, String)>,
    form: web::Form<PresentForm>,
) -> WebResult<HttpResponse> {
    let (cid, pid) = path.into_inner();
    let congress = load_congress(&state, &staff, &cid, Need::Scrutinise).await?;
    let present = form.present == "1";
    let (a, cid) = (actor(&staff, &req), congress.id.clone());
    state
        .run(move |c| Ok(term::set_participant_present(c, &a, &cid, &pid, present)?))
        .await?;
    Ok(redirect_with(
        &state,
        &back(congress.id.as_str()),
        true,
        if present {
            "已签到。"
        } else {
            "已取消签到。"
        },
    ))
}

#[derive(Debug, Deserialize)]
pub struct VotesForm {
    #[serde(default)]
    pub votes: String,
}

/// `POST /c/{cid}/term/participant-votes` (`votes` = `none` | `apart`, rule I7): asks for
/// confirmation first, as the other settings that shape a vote.
async fn participant_votes(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<CongressId>,
    body: web::Bytes,
) -> WebResult<HttpResponse> {
    let congress = load_congress(&state, &staff, &path, Need::Own).await?;
    let f: VotesForm = serde_urlencoded::from_bytes(&body)
        .map_err(|e| WebError::BadRequest(format!("表单有误: {e}")))?;
    let votes = ParticipantVotes::parse(&f.votes).ok_or_else(|| WebError::Unprocessable {
        message: "列席人员计票方式有误".to_string(),
        details: vec![format!(
            "“{}”应为“none”(不计票)或“apart”(分开计票)",
            f.votes
        )],
    })?;
    if !confirmed(&req, &body) {
        return Ok(ask(&format!(
            "{}?votes={}",
            confirm_href(congress.id.as_str(), "participant-votes", None),
            votes.as_str()
        )));
    }
    let (a, cid) = (actor(&staff, &req), congress.id.clone());
    state
        .run(move |c| Ok(term::set_participant_votes(c, &a, &cid, votes)?))
        .await?;
    Ok(redirect_with(
        &state,
        &back(congress.id.as_str()),
        true,
        format!("列席人员计票方式已设为“{}”。", votes.zh()),
    ))
}

/// `GET /c/{cid}/term/participant-cards`: the participants' printable cards (I7), issuing one
/// to each participant who has none; printing is audited (the sheet carries the secrets).
async fn participant_cards(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<CongressId>,
) -> WebResult<HttpResponse> {
    let congress = load_congress(&state, &staff, &path, Need::Own).await?;
    let (a, cid) = (actor(&staff, &req), congress.id.clone());
    let key = state.credential_key.clone();
    let cards = state
        .run(move |c| Ok(term::participant_cards(c, &a, &cid, &key)?))
        .await?;
    let html = participant_sheet(&state, &congress.name, &cards)?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .body(html.into_string()))
}

fn participant_sheet(
    state: &AppState,
    congress_name: &str,
    cards: &[term::ParticipantCard],
) -> WebResult<maud::Markup> {
    use maud::{html, PreEscaped, DOCTYPE};
    let mut items = Vec::new();
    for c in cards {
        let url = format!("{}/tp/{}", state.public_url, c.token);
        let qr = crate::web::routes::credentials::qr_svg(&url)?;
        items.push(html! {
            div.delegate-card {
                div.card-title { (congress_name) }
                div.card-kind { "列席人员投票卡" }
                div.card-qr { (PreEscaped(qr)) }
                div.card-name { (c.participant.name) }
                div.card-meta { (c.participant.unit) " · 列席人员" }
                div.card-code { "无法扫码时在手机浏览器打开: " code.participant-link { (url) } }
                div.card-hint { "手机扫码登录投票。列席人员分开计票, 不计入会议结果。请妥善保管, 勿借他人。" }
            }
        });
    }
    let per = crate::web::routes::credentials::CARDS_PER_PAGE;
    Ok(html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                title { "列席人员投票卡" }
                link rel="stylesheet" href="/static/app.css";
                link rel="stylesheet" href="/static/cards.css";
            }
            body.cards-sheet {
                p.no-print { "使用浏览器的“打印”功能打印本页 (A4)。共 " (cards.len()) " 张。" }
                @for chunk in items.chunks(per) {
                    section.card-page { @for m in chunk { (m) } }
                }
            }
        }
    })
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/c/{cid}/term", web::get().to(show))
        .route("/c/{cid}/term/quotas", web::post().to(quotas))
        .route("/c/{cid}/term/standing", web::post().to(nominate))
        .route("/c/{cid}/term/freeze", web::post().to(freeze))
        .route("/c/{cid}/term/meetings", web::post().to(create_meeting))
        .route("/c/{cid}/term/removals", web::post().to(removal))
        .route(
            "/c/{cid}/term/participants",
            web::post().to(add_participant),
        )
        .route(
            "/c/{cid}/term/participants/{pid}/present",
            web::post().to(participant_present),
        )
        .route(
            "/c/{cid}/term/participant-votes",
            web::post().to(participant_votes),
        )
        .route(
            "/c/{cid}/term/participant-cards",
            web::get().to(participant_cards),
        );
}
