//! 述职评议 (rules H1-H5) pages beyond the generic contest pages: the organiser's settings of a
//! review (persons under review, imported as pasted lines or taken from a counted presidium
//! election; dimensions; grades; favourable grades), and, once counted, the result as an
//! Excel workbook and as a printable sheet (公示). The result page itself is the public
//! `/b/{cid}/{kid}/result` of every contest.
//!
//! URL map: `GET|POST /c/{cid}/contests/{id}/review` · `POST /c/{cid}/contests/{id}/review/from-election`
//! · `POST /c/{cid}/contests/{id}/review/upload` (multipart: 姓名, 职务, 学院)
//! · `GET /b/{cid}/{kid}/result/print` (the workbook `result.xlsx` is served by `exports`).

use actix_web::{web, HttpRequest, HttpResponse};
use maud::{html, Markup, DOCTYPE};
use serde::Deserialize;

use super::contests::{edit_refusal, form_errors, read_upload, unprocessable};
use crate::domain::candidates::ElectionKind;
use crate::domain::contest::{Contest, ContestKind};
use crate::domain::ids::{CongressId, ContestId};
use crate::domain::review::{parse_labels, parse_persons, ReviewDefinition, ReviewPerson};
use crate::domain::tally::{ContestDetail, ReviewResult};
use crate::import::read_table;
use crate::service::{self, publish, results};
use crate::storage::repo::congress::Congress;
use crate::storage::repo::contests::{self as contests_repo};
use crate::web::auth::{Need, Staff};
use crate::web::error::{WebError, WebResult};
use crate::web::page::{actor, congress_ctx, load_congress, page, redirect_with};
use crate::web::views::contests::errors;
use crate::web::views::csrf_field;
use crate::web::views::review as review_view;
use crate::web::AppState;

/// The settings form as submitted (kept as typed when refused).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ReviewForm {
    /// One person a line: 姓名, 职务, 学院.
    pub persons: String,
    /// One dimension a line.
    pub dimensions: String,
    /// One grade a line, best first.
    pub grades: String,
    /// How many of the first grades are favourable.
    pub favourable: String,
}

impl ReviewForm {
    fn of(def: &ReviewDefinition) -> ReviewForm {
        ReviewForm {
            persons: def
                .persons
                .iter()
                .map(|p| format!("{},{},{}", p.name, p.post, p.college))
                .collect::<Vec<_>>()
                .join("\n"),
            dimensions: def.dimensions.join("\n"),
            grades: def.grades.join("\n"),
            favourable: def.favourable.to_string(),
        }
    }

    fn definition(&self) -> Result<ReviewDefinition, Vec<String>> {
        let persons = parse_persons(&self.persons).map_err(|e| vec![e.to_string()])?;
        let favourable = self.favourable.trim().parse::<u32>().map_err(|_| {
            vec![format!(
                "“计入好评率的等次数”应为正整数, 现为“{}”",
                self.favourable.trim()
            )]
        })?;
        Ok(ReviewDefinition {
            persons,
            dimensions: parse_labels(&self.dimensions),
            grades: parse_labels(&self.grades),
            favourable,
        })
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FromElection {
    pub election: String,
}

/// What the settings page shows besides the form.
struct Shown {
    contest: Contest,
    def: ReviewDefinition,
    /// Counted presidium elections of the congress: (id, title, 当选 count).
    elections: Vec<(String, String, usize)>,
}

async fn load(state: &AppState, congress: &Congress, id: &ContestId) -> WebResult<Shown> {
    let (cid, id) = (congress.id.clone(), id.clone());
    state
        .run(move |c| {
            let (contest, def) = service::contests::review_definition(c, &cid, &id)?;
            let mut elections = Vec::new();
            for k in contests_repo::list(c, &cid)? {
                let presidium = k.kind == ContestKind::Election
                    && k.def.kind_of_election() == Some(ElectionKind::Presidium)
                    && k.state.is_counted();
                if presidium {
                    let n = service::contests::elected_persons(c, &cid, &k.id)?.len();
                    elections.push((k.id.to_string(), k.def.title.clone(), n));
                }
            }
            Ok(Shown {
                contest,
                def,
                elections,
            })
        })
        .await
}

fn persons_table(persons: &[ReviewPerson]) -> Markup {
    html! {
        table {
            thead { tr { th.num { "序号" } th { "姓名" } th { "职务" } th { "学院" } } }
            tbody {
                @for (i, p) in persons.iter().enumerate() {
                    tr { td.num { (i + 1) } td { (p.name) } td { (p.post) } td { (p.college) } }
                }
            }
        }
    }
}

async fn render(
    state: &AppState,
    req: &HttpRequest,
    staff: &Staff,
    congress: &Congress,
    id: &ContestId,
    sticky: Option<ReviewForm>,
    problems: Vec<String>,
) -> WebResult<HttpResponse> {
    let s = load(state, congress, id).await?;
    let c = &s.contest;
    let base = format!("/c/{}/contests/{}", congress.id, c.id);
    let refusal = edit_refusal(staff, congress).or_else(|| {
        c.state
            .has_opened()
            .then(|| format!("本事项{}，评议设置已锁定。", c.state.zh()))
    });
    let form = sticky.unwrap_or_else(|| ReviewForm::of(&s.def));
    let body = html! {
        p { a href=(base) { "← " (c.def.title) } }
        h1 { (c.def.title) " · 评议设置" }
        p.muted { "规则H1：被评议人（主席团成员、部门负责人）、评议项目（默认政治态度、道德品行、学习情况、工作成效、纪律作风）和评议等次（默认优秀、称职、基本称职、不称职）在开始投票前可以修改；开始投票后锁定，写入结果报告。" }
        h2 { "被评议人（" (s.def.persons.len()) "名）" }
        @if s.def.persons.is_empty() { p.muted { "还没有被评议人。" } } @else { (persons_table(&s.def.persons)) }
        p { "评议项目：" (s.def.dimensions.join("、")) }
        p { "评议等次：" (s.def.grades.join("、")) "；前 " (s.def.favourable) " 个等次计入好评率（规则H3）" }
        @if let Some(why) = &refusal {
            p.muted { (why) }
        } @else {
            @if !s.elections.is_empty() {
                h2 { "从主席团选举结果取被评议人" }
                form.stack method="post" action={(base) "/review/from-election"} {
                    (csrf_field(staff.csrf()))
                    label for="election" { "已计票的主席团选举" }
                    select #election name="election" {
                        @for (eid, title, n) in &s.elections {
                            option value=(eid) { (title) "（当选 " (n) " 名）" }
                        }
                    }
                    p.hint { "当选人按当选顺序列在最前，职务为“主席团成员”，学院取自候选人名单；已列的其他被评议人保留在后。" }
                    div.actions { button type="submit" { "取当选名单" } }
                }
            }
            h2 #upload { "从文件导入被评议人" }
            p.hint { "CSV（UTF-8或GBK）或Excel文件，第一行为表头，列依次为：姓名、职务、学院。导入的名单替换现有被评议人。" }
            form.stack method="post" enctype="multipart/form-data" action={(base) "/review/upload?csrf=" (staff.csrf())} {
                input type="file" name="file" required accept=".csv,.xlsx,.xls";
                div.actions { button type="submit" { "导入" } }
            }
            h2 #edit { "修改评议设置" }
            (errors(&problems))
            form.stack method="post" action={(base) "/review"} {
                (csrf_field(staff.csrf()))
                label for="persons" { "被评议人（每行一人：姓名, 职务, 学院；可从Excel复制粘贴）" }
                textarea #persons name="persons" rows="10" { (form.persons) }
                label for="dimensions" { "评议项目（每行一项，按顺序）" }
                textarea #dimensions name="dimensions" rows="5" { (form.dimensions) }
                label for="grades" { "评议等次（每行一个，从高到低）" }
                textarea #grades name="grades" rows="4" { (form.grades) }
                label for="favourable" { "计入好评率的等次数（前N个等次，默认2：优秀+称职）" }
                input #favourable type="number" min="1" max="5" name="favourable" value=(form.favourable);
                div.actions { button type="submit" { "保存评议设置" } }
            }
        }
    };
    let ctx = congress_ctx(state, req, staff, congress);
    Ok(page(
        state,
        &ctx,
        &format!("{} · 评议设置", c.def.title),
        body,
    ))
}

async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<(CongressId, ContestId)>,
) -> WebResult<HttpResponse> {
    let (cid, id) = path.into_inner();
    let congress = load_congress(&state, &staff, &cid, Need::Read).await?;
    render(&state, &req, &staff, &congress, &id, None, Vec::new()).await
}

async fn save(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<(CongressId, ContestId)>,
    form: web::Form<ReviewForm>,
) -> WebResult<HttpResponse> {
    let (cid, id) = path.into_inner();
    let congress = load_congress(&state, &staff, &cid, Need::Own).await?;
    let form = form.into_inner();
    let def = match form.definition() {
        Ok(def) => def,
        Err(problems) => {
            let resp = render(&state, &req, &staff, &congress, &id, Some(form), problems);
            return Ok(unprocessable(resp.await?));
        }
    };
    let actor = actor(&staff, &req);
    let (c2, id2) = (cid.clone(), id.clone());
    let res = state
        .run(move |c| {
            Ok(service::contests::set_review(
                c, &actor, &c2, &id2, &def, None,
            ))
        })
        .await?;
    match res {
        Ok(def) => Ok(redirect_with(
            &state,
            &format!("/c/{cid}/contests/{id}/review"),
            true,
            format!("评议设置已保存：被评议人 {} 名。", def.persons.len()),
        )),
        Err(e) => {
            let problems = form_errors(e)?;
            let resp = render(&state, &req, &staff, &congress, &id, Some(form), problems);
            Ok(unprocessable(resp.await?))
        }
    }
}

async fn from_election(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<(CongressId, ContestId)>,
    form: web::Form<FromElection>,
) -> WebResult<HttpResponse> {
    let (cid, id) = path.into_inner();
    let congress = load_congress(&state, &staff, &cid, Need::Own).await?;
    let actor = actor(&staff, &req);
    let (c2, id2, election) = (
        cid.clone(),
        id.clone(),
        ContestId::from(form.into_inner().election),
    );
    let res = state
        .run(move |c| {
            Ok(service::contests::take_from_election(
                c, &actor, &c2, &id2, &election,
            ))
        })
        .await?;
    let to = format!("/c/{cid}/contests/{id}/review");
    match res {
        Ok(def) => Ok(redirect_with(
            &state,
            &to,
            true,
            format!(
                "已取主席团选举的当选名单：被评议人共 {} 名。",
                def.persons.len()
            ),
        )),
        Err(e) => {
            let problems = form_errors(e)?;
            let resp = render(&state, &req, &staff, &congress, &id, None, problems);
            Ok(unprocessable(resp.await?))
        }
    }
}

/// Replaces the persons with a file's rows (姓名, 职务, 学院 after a header row): the whole
/// file or nothing (H1).
async fn upload(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<(CongressId, ContestId)>,
    payload: actix_multipart::Multipart,
) -> WebResult<HttpResponse> {
    let (cid, id) = path.into_inner();
    let congress = load_congress(&state, &staff, &cid, Need::Own).await?;
    let (name, bytes) = read_upload(payload).await?;
    let persons: Vec<ReviewPerson> = match read_table(&name, &bytes) {
        Ok(t) => t
            .rows
            .iter()
            .map(|r| ReviewPerson {
                name: r.cell(0).trim().to_string(),
                post: r.cell(1).trim().to_string(),
                college: r.cell(2).trim().to_string(),
            })
            .collect(),
        Err(errors) => {
            let problems = errors.into_iter().map(|e| e.to_string()).collect();
            let resp = render(&state, &req, &staff, &congress, &id, None, problems);
            return Ok(unprocessable(resp.await?));
        }
    };
    let actor = actor(&staff, &req);
    let (c2, id2) = (cid.clone(), id.clone());
    let res = state
        .run(move |c| {
            let (_, mut def) = service::contests::review_definition(c, &c2, &id2)?;
            def.persons = persons;
            Ok(service::contests::set_review(
                c, &actor, &c2, &id2, &def, None,
            ))
        })
        .await?;
    match res {
        Ok(def) => Ok(redirect_with(
            &state,
            &format!("/c/{cid}/contests/{id}/review"),
            true,
            format!("已从“{name}”导入被评议人 {} 名。", def.persons.len()),
        )),
        Err(e) => {
            let problems = form_errors(e)?;
            let resp = render(&state, &req, &staff, &congress, &id, None, problems);
            Ok(unprocessable(resp.await?))
        }
    }
}

/// A counted review and its result (404 before it is counted, like every result).
async fn counted(
    state: &AppState,
    cid: CongressId,
    kid: ContestId,
) -> WebResult<(Congress, Contest, ReviewResult)> {
    let (congress, contest) = state
        .run(move |c| {
            let congress = service::congress::load(c, &cid)?;
            let contest = publish::final_contest(c, &cid, &kid)?;
            Ok((congress, contest))
        })
        .await?;
    let r = results::result(&contest)?.ok_or_else(|| {
        WebError::internal(format!("contest {} is final without a result", contest.id))
    })?;
    match r.detail {
        ContestDetail::Review(rv) => Ok((congress, contest, rv)),
        _ => Err(WebError::NotFound(format!(
            "“{}”不是述职评议",
            contest.def.title
        ))),
    }
}

/// The printable sheet (公示表): the print stylesheet on screen too, so what is seen is what
/// prints.
async fn print(
    state: web::Data<AppState>,
    path: web::Path<(CongressId, ContestId)>,
) -> WebResult<HttpResponse> {
    let (cid, kid) = path.into_inner();
    let (congress, contest, rv) = counted(&state, cid, kid).await?;
    let k2 = contest.id.clone();
    let participants = state
        .run(move |c| Ok(results::participant_result(c, &k2)?.map(|(_, r)| r)))
        .await?;
    let r = html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (contest.def.title) " · 述职评议结果公示" }
                link rel="stylesheet" href="/static/print.css";
            }
            body.report.review-sheet {
                div.sheet {
                    h1 { (congress.name) }
                    h2 { "述职评议结果公示" }
                    p.meta { (contest.def.title) }
                    @if !contest.def.body.trim().is_empty() { p { (contest.def.body) } }
                    (review_view::result(&rv))
                    @if let Some(p) = &participants { (crate::web::views::results::apart(p)) }
                    p.small { "评议结果依据有效评议表统计；签名的结果报告与公示文件可用 congress verify 或 verify_packet.py 核验。" }
                    @if let Some(fp) = &congress.key_fingerprint { p.small.hash { "大会公钥指纹 " (fp) } }
                }
            }
        }
    };
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(r.into_string()))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/c/{cid}/contests/{id}/review", web::get().to(show))
        .route("/c/{cid}/contests/{id}/review", web::post().to(save))
        .route(
            "/c/{cid}/contests/{id}/review/from-election",
            web::post().to(from_election),
        )
        .route(
            "/c/{cid}/contests/{id}/review/upload",
            web::post().to(upload),
        )
        .route("/b/{cid}/{kid}/result/print", web::get().to(print));
}
