//! The table: every organiser/scrutineer page and every `/api/v1` endpoint, with the status
//! each principal must get, in the order of a congress's life so that the owner's requests
//! succeed (or meet the state machine's refusal the row names).
//!
//! Designed statuses (src/web/auth.rs, src/web/error.rs):
//! - pages, anonymous: 303 to `/login` (the anonymous client holds a login-page CSRF token,
//!   so its POSTs reach the authentication check rather than stopping at the CSRF guard);
//! - API without a bearer token: 401;
//! - another congress's organiser: 403 ("这不是您创建的大会"), on pages and the API;
//! - scrutineer named for the congress: reads it (200), does the scrutineer actions (check-in,
//!   paper ballots), and is refused every organiser action (403 "监票人账户只能查看");
//! - scrutineer of another congress: refused everything of this one (403 "您不是这次大会的
//!   监票人员"), and meets "not found" for this congress's ids sent through its own congress;
//! - owner: success (200/201/204/303), or 409/422 where the row is an out-of-order action.
//!
//! Path and body templates name values with `$name` (set by earlier rows' captures, or per
//! principal: `$p` 1-5, `$me`, `$pw`, `$school`).

use std::collections::HashMap;

use congress::domain::ids::{CongressId, ContestId};
use congress::storage::repo::contests as contests_repo;
use congress::storage::repo::scrutineers as scrutineers_repo;

use crate::common::http::TestApp;

mod api_approval;

/// Who is asking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum P {
    Anon,
    /// A scrutineer account named among the owner's congress's scrutineers.
    Scrutineer,
    /// A scrutineer account named for the other organiser's congress only.
    Elsewhere,
    Other,
    Owner,
}

pub const PRINCIPALS: [P; 5] = [P::Anon, P::Scrutineer, P::Elsewhere, P::Other, P::Owner];

impl P {
    pub fn index(self) -> usize {
        self as usize
    }
}

/// Where bytes come from.
#[derive(Debug, Clone, Copy)]
pub enum Src {
    /// `templates/sample/<name>`.
    Sample(&'static str),
    /// Bytes captured by an earlier row.
    Var(&'static str),
    /// This text (templates resolved).
    Text(&'static str),
}

#[derive(Debug, Clone, Copy)]
pub enum Body {
    Empty,
    /// A url-encoded form; the client adds its CSRF token.
    Form(&'static [(&'static str, &'static str)]),
    /// A multipart upload (`file`), the CSRF token in the query as the pages do.
    Upload(&'static str, Src),
    /// A JSON body (template).
    Json(&'static str),
    /// `application/octet-stream` (the API's file uploads).
    Raw(Src),
}

/// A response as the walk keeps it.
pub struct Reply {
    pub status: u16,
    pub location: Option<String>,
    pub bytes: Vec<u8>,
    pub text: String,
}

/// Values named by templates.
#[derive(Default)]
pub struct Vars {
    pub s: HashMap<String, String>,
    pub b: HashMap<String, Vec<u8>>,
}

impl Vars {
    pub fn set(&mut self, k: &str, v: impl Into<String>) {
        self.s.insert(k.to_string(), v.into());
    }

    pub fn get(&self, k: &str) -> &str {
        self.s
            .get(k)
            .unwrap_or_else(|| panic!("${k} is not set yet"))
    }

    /// The first `$name` in `t` that has no value yet.
    pub fn missing(&self, t: &str) -> Option<String> {
        t.split('$').skip(1).find_map(|tail| {
            let n = tail
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(tail.len());
            (!self.s.contains_key(&tail[..n])).then(|| tail[..n].to_string())
        })
    }

    /// Replaces every `$name` (letters, digits, `_`) with its value.
    pub fn fill(&self, t: &str) -> String {
        let mut out = String::new();
        let mut rest = t;
        while let Some(i) = rest.find('$') {
            out.push_str(&rest[..i]);
            let tail = &rest[i + 1..];
            let n = tail
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(tail.len());
            out.push_str(self.get(&tail[..n]));
            rest = &tail[n..];
        }
        out.push_str(rest);
        out
    }
}

pub type Capture = fn(&mut Vars, &TestApp, P, &Reply);

pub struct Row {
    pub method: &'static str,
    /// The route as registered (`{param}` names as in the code).
    pub route: &'static str,
    /// The request's path (and query) template.
    pub path: &'static str,
    pub body: Body,
    /// Anonymous, scrutineer, scrutineer of another congress, other organiser, owner.
    pub expect: [u16; 5],
    /// The audit action each principal's accepted mutating request writes (actor checked).
    pub audit: Option<&'static str>,
    /// Text the owner's response must contain (the Chinese message of a refusal).
    pub says: Option<&'static str>,
    pub capture: Option<Capture>,
}

impl Row {
    fn audit(mut self, a: &'static str) -> Row {
        self.audit = Some(a);
        self
    }
    fn says(mut self, s: &'static str) -> Row {
        self.says = Some(s);
        self
    }
    fn capture(mut self, c: Capture) -> Row {
        self.capture = Some(c);
        self
    }
    /// The first value the row needs that is not set yet (an earlier row failed).
    pub fn missing(&self, vars: &Vars) -> Option<String> {
        let mut texts = vec![self.path];
        match self.body {
            Body::Form(f) => texts.extend(f.iter().map(|(_, v)| *v)),
            Body::Json(t) | Body::Upload(_, Src::Text(t)) | Body::Raw(Src::Text(t)) => {
                texts.push(t)
            }
            Body::Upload(_, Src::Var(k)) | Body::Raw(Src::Var(k)) if !vars.b.contains_key(k) => {
                return Some(k.to_string());
            }
            _ => {}
        }
        texts.into_iter().find_map(|t| vars.missing(t))
    }

    pub fn is_mutating(&self) -> bool {
        self.method != "GET"
    }
    pub fn is_api(&self) -> bool {
        self.path.starts_with("/api/")
    }
}

fn row(
    method: &'static str,
    route: &'static str,
    path: &'static str,
    body: Body,
    expect: [u16; 5],
) -> Row {
    Row {
        method,
        route,
        path,
        body,
        expect,
        audit: None,
        says: None,
        capture: None,
    }
}

fn get(route: &'static str, path: &'static str, expect: [u16; 5]) -> Row {
    row("GET", route, path, Body::Empty, expect)
}

fn post(route: &'static str, path: &'static str, body: Body, expect: [u16; 5]) -> Row {
    row("POST", route, path, body, expect)
}

fn put(route: &'static str, path: &'static str, body: Body, expect: [u16; 5]) -> Row {
    row("PUT", route, path, body, expect)
}

fn delete(route: &'static str, path: &'static str, expect: [u16; 5]) -> Row {
    row("DELETE", route, path, Body::Empty, expect)
}

pub enum Step {
    /// Walked by all five principals, in order, and checked.
    Walk(Row),
    /// Set-up: the owner alone (its status checked against `expect[3]`).
    Owner(Row),
    /// Set-up through the services.
    Db(fn(&TestApp, &mut Vars)),
}

/// Anonymous page request: 303 to /login.
const L: u16 = 303;
/// Pages every staff member may read.
const READ: [u16; 5] = [L, 200, 403, 403, 200];
/// Page forms only the owner may post (redirect after success).
const OWN: [u16; 5] = [L, 403, 403, 403, 303];
/// Owner-only pages.
const OWN_PAGE: [u16; 5] = [L, 403, 403, 403, 200];
/// Scrutineer actions: owner and scrutineers.
const SCRUTINISE: [u16; 5] = [L, 303, 403, 403, 303];
/// The owner's page request refused by the state machine.
const OWN_TOO_EARLY: [u16; 5] = [L, 403, 403, 403, 409];
/// The owner's request refused as a conflict (a used or unknown pending upload).
const OWN_REFUSED: [u16; 5] = [L, 403, 403, 403, 409];

/// Another congress's ids through the other organiser's own congress: not found for its
/// organiser, forbidden to everyone else who may not change that congress.
const CROSS: [u16; 5] = [L, 403, 403, 404, 403];
const A_CROSS: [u16; 5] = [401, 403, 403, 404, 403];

const A_READ: [u16; 5] = [401, 200, 403, 403, 200];
const A_OWN: [u16; 5] = [401, 403, 403, 403, 200];
const A_CREATED: [u16; 5] = [401, 403, 403, 403, 201];
const A_DELETED: [u16; 5] = [401, 403, 403, 403, 204];

pub const DETAILS: &[(&str, &str)] = &[
    ("name", "$school第十次学生代表大会"),
    ("school", "$school"),
    ("level", "school"),
    ("session_no", "10"),
    ("date", "2026-12-01"),
    ("place", "大学生活动中心"),
];

const SETTINGS: &[(&str, &str)] = &[
    ("quota_ratio", "1%"),
    ("min_seats", "1"),
    ("total_seats", ""),
    ("quota_method", "hamilton"),
    ("allow_surplus", "no"),
    ("ordinary_min_pct", "60%"),
    ("women_min_pct", "30"),
    ("max_seats_school", "5"),
    ("max_seats_college", "3"),
    ("eligibility_rank_pct", "30%"),
    ("quorum_fraction", "2/3"),
    ("quorum_strict", "strict"),
    ("subtract_absences", "no"),
    ("election_base", "present"),
    ("election_fraction", "1/2"),
    ("election_strict", "strict"),
    ("tie_rule", "runoff"),
];

const ELECTION: &[(&str, &str)] = &[
    ("title", "选举第十届学生会主席团成员"),
    ("seats", "1"),
    ("allow_write_in", "on"),
    ("threshold_preset", "settings"),
];

const REVIEW_FORM: &[(&str, &str)] = &[
    ("title", "述职评议"),
    ("threshold_preset", "custom"),
    ("threshold_base", "valid_ballots"),
    ("threshold_num", "1"),
    ("threshold_den", "3"),
    ("threshold_mode", "inclusive"),
];
const REVIEW: Body = Body::Form(REVIEW_FORM);
const REVIEW_SETTINGS: &[(&str, &str)] = &[
    (
        "persons",
        "赵敏,主席团成员,文学院\n张伟,学习部部长,信息学院",
    ),
    (
        "dimensions",
        "政治态度\n道德品行\n学习情况\n工作成效\n纪律作风",
    ),
    ("grades", "优秀\n称职\n基本称职\n不称职"),
    ("favourable", "2"),
];
const REVIEW_PERSONS_CSV: &str =
    "姓名,职务,学院\n赵敏,主席团成员,文学院\n张伟,学习部部长,信息学院\n";
const CANDIDATE: &[(&str, &str)] = &[
    ("name", "赵敏"),
    ("student_no", "2021010100"),
    ("college", "法学院"),
    ("gender", "female"),
    ("political_status", "共青团员"),
    ("rank_pct", "12"),
    ("failed_courses", "0"),
    ("eligibility_override", ""),
];

const CANDIDATES_CSV: &str = "姓名,学号,学院,性别,政治面貌,专业排名百分比,不及格门数\n\
    张伟,2021010101,法学院,男,中共党员,12,0\n\
    李明,2021010102,文学院,男,中共预备党员,20,0\n";

/// The id at the end of a `/c/{cid}/contests/{id}` redirect.
fn contest_in(r: &Reply) -> String {
    let loc = r.location.as_deref().expect("redirect");
    let i = loc.find("/contests/").expect("contest redirect") + "/contests/".len();
    loc[i..].split(['#', '?', '/']).next().unwrap().to_string()
}

fn json_id(r: &Reply) -> String {
    let v: serde_json::Value = serde_json::from_slice(&r.bytes).expect("json");
    v["id"].as_str().expect("id").to_string()
}

fn motion(title: &'static str) -> Body {
    match title {
        "m1" => Body::Form(&[
            ("title", "审议第九届学生会工作报告"),
            ("motion_kind", "work_report"),
            ("body", "全文见会议材料"),
            ("threshold_preset", "kind"),
        ]),
        "m2" => Body::Form(&[
            ("title", "表决《甲城大学学生会章程》修正案"),
            ("motion_kind", "charter"),
            ("body", "修正案全文见会议材料"),
            ("threshold_preset", "kind"),
        ]),
        _ => Body::Form(&[
            ("title", "临时动议(将删除)"),
            ("motion_kind", "other"),
            ("body", "无"),
            ("threshold_preset", "kind"),
        ]),
    }
}

/// Checks in delegates 50-164 of `$var` through the service, enough for the quorum (more
/// than 2/3 of 164) together with those checked in by the walk.
fn check_in_many(app: &TestApp, vars: &Vars, var: &str) {
    let cid = vars.get(var).to_string();
    let mut c = app.db.db.conn().unwrap();
    let actor = congress::service::Actor::cli("test");
    for no in 50..=164 {
        congress::service::attendance::set_present(
            &mut c,
            &actor,
            &CongressId::from(&cid),
            no,
            true,
        )
        .expect("check in");
    }
}

/// Names the scrutineer account among the scrutineers of the owner's congress `$mine`, and
/// the other scrutineer account among those of the other organiser's congress `$theirs`.
fn name_scrutineers(app: &TestApp, vars: &Vars, mine: &str, theirs: &str) {
    let mut c = app.db.db.conn().unwrap();
    let actor = congress::service::Actor::cli("test");
    for (var, username, name) in [
        (mine, super::walk::SCRUTINEER, "周监票"),
        (theirs, super::walk::ELSEWHERE, "钱监票"),
    ] {
        congress::service::scrutineers::add(
            &mut c,
            &actor,
            &CongressId::from(vars.get(var)),
            &congress::service::scrutineers::ScrutineerInput {
                role: scrutineers_repo::ScrutineerRole::Scrutineer,
                name: name.to_string(),
                student_no: None,
                username: Some(username.to_string()),
            },
        )
        .expect("name the scrutineer");
    }
}

/// The pages of a congress `$cid`, from creation to the signed record.
pub fn html_steps() -> Vec<Step> {
    use Step::{Db, Owner, Walk};
    vec![
        // Account-level pages.
        Walk(
            post(
                "/congresses",
                "/congresses",
                Body::Form(DETAILS),
                [L, 403, 403, 303, 303],
            )
            .audit("congress.create")
            .capture(|v, _, p, r| {
                let id = r.location.as_deref().unwrap().trim_start_matches("/c/");
                match p {
                    P::Owner => v.set("cid", id),
                    P::Other => v.set("did", id),
                    _ => {}
                }
            }),
        ),
        Db(|app, v| name_scrutineers(app, v, "cid", "did")),
        Walk(get("/", "/", [L, 200, 200, 200, 200]).says("甲城大学第十次学生代表大会")),
        Walk(get(
            "/congresses/new",
            "/congresses/new",
            [L, 403, 403, 200, 200],
        )),
        Walk(get("/account", "/account", [L, 200, 200, 200, 200])),
        Walk(
            post(
                "/account/password",
                "/account/password",
                Body::Form(&[("current", "$pw"), ("new", "$pw"), ("confirm", "$pw")]),
                [L, 303, 303, 303, 303],
            )
            .audit("auth.password_changed"),
        ),
        Walk(get("/audit", "/audit", [L, 200, 200, 200, 200]).says("congress.create")),
        // Set-up.
        Walk(get("/c/{cid}", "/c/$cid", READ)),
        Walk(get("/c/{cid}/setup", "/c/$cid/setup", READ)),
        Walk(
            post(
                "/c/{cid}/setup/details",
                "/c/$cid/setup/details",
                Body::Form(DETAILS),
                OWN,
            )
            .audit("congress.edit_details"),
        ),
        Walk(
            post(
                "/c/{cid}/setup/settings",
                "/c/$cid/setup/settings",
                Body::Form(SETTINGS),
                OWN,
            )
            .audit("congress.edit_settings"),
        ),
        Walk(get("/c/{cid}/files", "/c/$cid/files", READ)),
        Walk(get("/c/{cid}/roster", "/c/$cid/roster", READ)),
        // Out of order: no cards before the roster is frozen, no session before the cards.
        Walk(
            post(
                "/c/{cid}/credentials/issue",
                "/c/$cid/credentials/issue",
                Body::Empty,
                OWN_TOO_EARLY,
            )
            .says("现在还不能发放代表证: 大会当前状态为“筹备中”，需要先进入“代表名单已冻结”阶段。"),
        ),
        Walk(
            post(
                "/c/{cid}/session/open",
                "/c/$cid/session/open",
                Body::Empty,
                OWN_TOO_EARLY,
            )
            .says("现在还不能宣布开会(开始签到)"),
        ),
        Walk(
            post(
                "/c/{cid}/files/{kind}",
                "/c/$cid/files/enrolment",
                Body::Upload("enrolment.csv", Src::Sample("enrolment.csv")),
                [L, 403, 403, 403, 200],
            )
            .audit("files.import"),
        ),
        Owner(post(
            "/c/{cid}/files/{kind}",
            "/c/$cid/files/societies",
            Body::Upload("societies.csv", Src::Sample("societies.csv")),
            [L, 403, 403, 403, 200],
        )),
        Owner(post(
            "/c/{cid}/files/{kind}",
            "/c/$cid/files/nominees",
            Body::Upload("nominees.csv", Src::Sample("nominees.csv")),
            [L, 403, 403, 403, 200],
        )),
        Walk(get("/c/{cid}/quota", "/c/$cid/quota", READ)),
        // Out of order: no roster to freeze yet.
        Walk(
            post(
                "/c/{cid}/roster/freeze",
                "/c/$cid/roster/freeze",
                Body::Empty,
                [L, 403, 403, 403, 422],
            )
            .says("代表名单为空, 不能冻结: 请先生成或上传代表名单"),
        ),
        Walk(get("/c/{cid}/quota.csv", "/c/$cid/quota.csv", READ)),
        Walk(get("/c/{cid}/quota.xlsx", "/c/$cid/quota.xlsx", READ)),
        Walk(
            post(
                "/c/{cid}/roster/generate",
                "/c/$cid/roster/generate",
                Body::Empty,
                OWN,
            )
            .audit("roster.generate"),
        ),
        Walk(get("/c/{cid}/roster.xlsx", "/c/$cid/roster.xlsx", READ)),
        Walk(
            get("/c/{cid}/roster.csv", "/c/$cid/roster.csv", READ).capture(|v, _, p, r| {
                if p == P::Owner {
                    v.b.insert("roster_csv".to_string(), r.bytes.clone());
                }
            }),
        ),
        Walk(
            post(
                "/c/{cid}/roster/upload",
                "/c/$cid/roster/upload",
                Body::Upload("roster.csv", Src::Var("roster_csv")),
                [L, 403, 403, 403, 200],
            )
            .audit("roster.upload"),
        ),
        // Confirmations (web::confirm): the pages only show; a used or unknown pending upload
        // is refused to its owner, and nobody else reaches it.
        Walk(
            get(
                "/c/{cid}/confirm/{what}",
                "/c/$cid/confirm/roster-generate",
                OWN_PAGE,
            )
            .says("将替换现有代表名单的"),
        ),
        Walk(
            get(
                "/c/{cid}/roster/upload/confirm",
                "/c/$cid/roster/upload/confirm?id=nope",
                OWN_REFUSED,
            )
            .says("不能再次使用"),
        ),
        Walk(
            post(
                "/c/{cid}/roster/upload/confirm",
                "/c/$cid/roster/upload/confirm",
                Body::Form(&[("id", "nope"), ("confirm", "1")]),
                OWN_REFUSED,
            )
            .says("不能再次使用"),
        ),
        Walk(
            get(
                "/c/{cid}/files/{kind}/confirm",
                "/c/$cid/files/nominees/confirm?id=nope",
                OWN_REFUSED,
            )
            .says("不能再次使用"),
        ),
        Walk(
            post(
                "/c/{cid}/files/{kind}/confirm",
                "/c/$cid/files/nominees/confirm",
                Body::Form(&[("id", "nope"), ("cancel", "1")]),
                OWN_REFUSED,
            )
            .says("不能再次使用"),
        ),
        Walk(
            post(
                "/c/{cid}/roster/check",
                "/c/$cid/roster/check",
                Body::Empty,
                OWN,
            )
            .audit("roster.check"),
        ),
        // Scrutineers (G2).
        Walk(get("/c/{cid}/scrutineers", "/c/$cid/scrutineers", READ)),
        Walk(
            post(
                "/c/{cid}/scrutineers",
                "/c/$cid/scrutineers",
                Body::Form(&[
                    ("role", "chief"),
                    ("name", "周敏"),
                    ("student_no", "2021099001"),
                    ("username", ""),
                ]),
                OWN,
            )
            .audit("scrutineer.add")
            .capture(|v, app, p, _| {
                if p == P::Owner {
                    let mut c = app.db.db.conn().unwrap();
                    let s =
                        scrutineers_repo::list(&mut c, &CongressId::from(v.get("cid"))).unwrap();
                    let added = s.iter().find(|s| s.name == "周敏").expect("added");
                    v.set("sid", added.id.clone());
                }
            }),
        ),
        Walk(
            post(
                "/c/{cid}/scrutineers/{sid}/delete",
                "/c/$cid/scrutineers/$sid/delete",
                Body::Empty,
                OWN,
            )
            .audit("scrutineer.remove"),
        ),
        // Contests.
        Walk(get("/c/{cid}/contests", "/c/$cid/contests", READ)),
        Walk(get(
            "/c/{cid}/contests/new",
            "/c/$cid/contests/new?kind=election",
            OWN_PAGE,
        )),
        Walk(
            post(
                "/c/{cid}/contests/new",
                "/c/$cid/contests/new?kind=election",
                Body::Form(ELECTION),
                OWN,
            )
            .audit("contest.create")
            .capture(|v, _, p, r| {
                if p == P::Owner {
                    v.set("election", contest_in(r))
                }
            }),
        ),
        Owner(
            post(
                "/c/{cid}/contests/new",
                "/c/$cid/contests/new?kind=motion",
                motion("m1"),
                OWN,
            )
            .capture(|v, _, _, r| v.set("motion1", contest_in(r))),
        ),
        Owner(
            post(
                "/c/{cid}/contests/new",
                "/c/$cid/contests/new?kind=motion",
                motion("m2"),
                OWN,
            )
            .capture(|v, _, _, r| v.set("motion2", contest_in(r))),
        ),
        Owner(
            post(
                "/c/{cid}/contests/new",
                "/c/$cid/contests/new?kind=motion",
                motion("m3"),
                OWN,
            )
            .capture(|v, _, _, r| v.set("motion3", contest_in(r))),
        ),
        Walk(get(
            "/c/{cid}/contests/{id}",
            "/c/$cid/contests/$election",
            READ,
        )),
        Walk(
            post(
                "/c/{cid}/contests/{id}/edit",
                "/c/$cid/contests/$election/edit",
                Body::Form(ELECTION),
                OWN,
            )
            .audit("contest.edit"),
        ),
        Walk(
            post(
                "/c/{cid}/contests/{id}/move",
                "/c/$cid/contests/$motion1/move",
                Body::Form(&[("direction", "up")]),
                OWN,
            )
            .audit("contest.move"),
        ),
        // Only a round proposed by a count can be declined (issue 12.6).
        Walk(
            post(
                "/c/{cid}/contests/{id}/not-held",
                "/c/$cid/contests/$motion1/not-held",
                Body::Form(&[("reason", "不举行")]),
                [L, 403, 403, 403, 409],
            )
            .says("不是计票后提出的再次投票或另行选举"),
        ),
        Walk(
            post(
                "/c/{cid}/contests/{id}/candidates",
                "/c/$cid/contests/$election/candidates",
                Body::Form(CANDIDATE),
                OWN,
            )
            .audit("contest.candidate_add")
            .capture(|v, app, p, _| {
                if p == P::Owner {
                    let mut c = app.db.db.conn().unwrap();
                    let k = contests_repo::candidates(&mut c, &ContestId::from(v.get("election")))
                        .unwrap();
                    v.set("cand", k[0].id.clone());
                }
            }),
        ),
        Walk(get(
            "/c/{cid}/contests/{id}/candidates/{kid}",
            "/c/$cid/contests/$election/candidates/$cand",
            OWN_PAGE,
        )),
        Walk(
            post(
                "/c/{cid}/contests/{id}/candidates/{kid}",
                "/c/$cid/contests/$election/candidates/$cand",
                Body::Form(CANDIDATE),
                OWN,
            )
            .audit("contest.candidate_edit"),
        ),
        // Another congress's ids through one's own congress: the other organiser's congress
        // $did with the owner's contest and candidate. Not found (nothing of it shown or
        // changed); the owner has no business with $did at all.
        Walk(get(
            "/c/{cid}/contests/{id}",
            "/c/$did/contests/$election",
            [L, 403, 404, 404, 403],
        )),
        Walk(post(
            "/c/{cid}/contests/{id}/edit",
            "/c/$did/contests/$election/edit",
            Body::Form(ELECTION),
            CROSS,
        )),
        Walk(post(
            "/c/{cid}/contests/{id}/move",
            "/c/$did/contests/$election/move",
            Body::Form(&[("direction", "down")]),
            CROSS,
        )),
        Walk(post(
            "/c/{cid}/contests/{id}/candidates",
            "/c/$did/contests/$election/candidates",
            Body::Form(CANDIDATE),
            CROSS,
        )),
        Walk(get(
            "/c/{cid}/contests/{id}/candidates/{kid}",
            "/c/$did/contests/$election/candidates/$cand",
            CROSS,
        )),
        Walk(post(
            "/c/{cid}/contests/{id}/candidates/{kid}",
            "/c/$did/contests/$election/candidates/$cand",
            Body::Form(CANDIDATE),
            CROSS,
        )),
        Walk(post(
            "/c/{cid}/contests/{id}/candidates/{kid}/delete",
            "/c/$did/contests/$election/candidates/$cand/delete",
            Body::Empty,
            CROSS,
        )),
        Walk(post(
            "/c/{cid}/contests/{id}/delete",
            "/c/$did/contests/$election/delete",
            Body::Empty,
            CROSS,
        )),
        Walk(
            post(
                "/c/{cid}/contests/{id}/candidates/upload",
                "/c/$cid/contests/$election/candidates/upload",
                Body::Upload("候选人.csv", Src::Text(CANDIDATES_CSV)),
                OWN,
            )
            .audit("contest.candidates_upload"),
        ),
        Walk(
            post(
                "/c/{cid}/contests/{id}/candidates/{kid}/delete",
                "/c/$cid/contests/$election/candidates/$cand/delete",
                Body::Empty,
                OWN,
            )
            .audit("contest.candidate_remove"),
        ),
        Walk(
            post(
                "/c/{cid}/contests/{id}/delete",
                "/c/$cid/contests/$motion3/delete",
                Body::Empty,
                OWN,
            )
            .audit("contest.delete"),
        ),
        // 述职评议 (issue 15.3): its settings page, saving them, taking the persons from a
        // presidium election (not counted yet: refused, 422), then deleted.
        Owner(
            post(
                "/c/{cid}/contests/new",
                "/c/$cid/contests/new?kind=review",
                REVIEW,
                OWN,
            )
            .capture(|v, _, _, r| v.set("review", contest_in(r))),
        ),
        Walk(get(
            "/c/{cid}/contests/{id}/review",
            "/c/$cid/contests/$review/review",
            READ,
        )),
        Walk(
            post(
                "/c/{cid}/contests/{id}/review",
                "/c/$cid/contests/$review/review",
                Body::Form(REVIEW_SETTINGS),
                OWN,
            )
            .audit("review.define"),
        ),
        Walk(get(
            "/api/v1/congresses/{cid}/contests/{kid}/review",
            "/api/v1/congresses/$cid/contests/$review/review",
            A_READ,
        )),
        Walk(
            put(
                "/api/v1/congresses/{cid}/contests/{kid}/review",
                "/api/v1/congresses/$cid/contests/$review/review",
                Body::Json(REVIEW_JSON),
                A_OWN,
            )
            .audit("review.define"),
        ),
        Walk(
            post(
                "/c/{cid}/contests/{id}/review/from-election",
                "/c/$cid/contests/$review/review/from-election",
                Body::Form(&[("election", "$election")]),
                [L, 403, 403, 403, 422],
            )
            .says("不是已计票的主席团选举"),
        ),
        Walk(
            post(
                "/c/{cid}/contests/{id}/review/upload",
                "/c/$cid/contests/$review/review/upload",
                Body::Upload("被评议人.csv", Src::Text(REVIEW_PERSONS_CSV)),
                OWN,
            )
            .audit("review.define"),
        ),
        Owner(post(
            "/c/{cid}/contests/{id}/delete",
            "/c/$cid/contests/$review/delete",
            Body::Empty,
            OWN,
        )),
        // Freeze, unfreeze, freeze again.
        Walk(
            post(
                "/c/{cid}/roster/freeze",
                "/c/$cid/roster/freeze",
                Body::Empty,
                OWN,
            )
            .audit("roster.freeze"),
        ),
        Walk(
            post(
                "/c/{cid}/roster/unfreeze",
                "/c/$cid/roster/unfreeze",
                Body::Form(&[("reason", "外国语学院代表出国交流, 需要更换")]),
                OWN,
            )
            .audit("roster.unfreeze"),
        ),
        Owner(post(
            "/c/{cid}/roster/freeze",
            "/c/$cid/roster/freeze",
            Body::Empty,
            OWN,
        )),
        // Out of order: no voting, check-in or reissue before the session and the cards.
        Walk(
            post(
                "/c/{cid}/contests/{kid}/voting/open",
                "/c/$cid/contests/$motion1/voting/open",
                Body::Empty,
                OWN_TOO_EARLY,
            )
            .says(
                "现在还不能开始投票: 大会当前状态为“代表名单已冻结”，需要先进入“大会进行中”阶段。",
            ),
        ),
        Walk(
            post(
                "/c/{cid}/attendance",
                "/c/$cid/attendance",
                Body::Form(&[("delegate_no", "$p"), ("present", "1")]),
                [L, 409, 403, 403, 409],
            )
            .says("现在还不能签到"),
        ),
        Walk(get("/c/{cid}/credentials", "/c/$cid/credentials", OWN_PAGE)),
        Walk(
            post(
                "/c/{cid}/credentials/reissue",
                "/c/$cid/credentials/reissue",
                Body::Form(&[("delegate_no", "5")]),
                OWN_TOO_EARLY,
            )
            .says("现在还不能补发代表证"),
        ),
        Walk(
            post(
                "/c/{cid}/credentials/issue",
                "/c/$cid/credentials/issue",
                Body::Empty,
                OWN,
            )
            .audit("credentials.issue"),
        ),
        // Too late to unfreeze once the cards exist.
        Walk(
            post(
                "/c/{cid}/roster/unfreeze",
                "/c/$cid/roster/unfreeze",
                Body::Form(&[("reason", "再次更换代表")]),
                OWN_TOO_EARLY,
            )
            .says("已经不能解除冻结: 大会当前状态为“代表证已发放”"),
        ),
        Walk(
            get(
                "/c/{cid}/credentials/print",
                "/c/$cid/credentials/print?delegate_no=1",
                OWN_PAGE,
            )
            .audit("credentials.print"),
        ),
        Walk(
            post(
                "/c/{cid}/credentials/reissue",
                "/c/$cid/credentials/reissue",
                Body::Form(&[("delegate_no", "5")]),
                OWN,
            )
            .audit("credentials.reissue"),
        ),
        Walk(
            post(
                "/c/{cid}/close",
                "/c/$cid/close",
                Body::Empty,
                OWN_TOO_EARLY,
            )
            .says("现在还不能大会闭幕"),
        ),
        // Candidate approval, 公示 and the applications (issue 16; tests/it/approval).
        Db(|app, v| {
            v.set("today", congress::service::addenda::today_cst().to_string());
            let mut c = app.db.db.conn().unwrap();
            let k = contests_repo::candidates(&mut c, &ContestId::from(v.get("election"))).unwrap();
            v.set("ncand", k[0].id.clone());
        }),
        Walk(get("/c/{cid}/approval", "/c/$cid/approval", OWN_PAGE)),
        Walk(
            post(
                "/c/{cid}/approval/contests/{kid}/candidates/{cand}",
                "/c/$cid/approval/contests/$election/candidates/$ncand",
                Body::Form(&[("grade", "2023级"), ("union_post", ""), ("profile", "简介")]),
                OWN,
            )
            .audit("candidate.notes"),
        ),
        Walk(
            post(
                "/c/{cid}/approval/contests/{kid}/steps",
                "/c/$cid/approval/contests/$election/steps",
                Body::Form(&[
                    ("kind", "party_approval"),
                    ("body", "中共甲城大学委员会"),
                    ("reference", "甲大党字〔2026〕9号"),
                    ("date", "$today"),
                ]),
                OWN,
            )
            .audit("approval.party_approval"),
        ),
        Walk(
            post(
                "/c/{cid}/approval/applications",
                "/c/$cid/approval/applications",
                Body::Form(&[
                    ("kind", "convene"),
                    ("body", "省学联"),
                    ("start", "$today"),
                    ("end", "$today"),
                ]),
                OWN,
            )
            .audit("approval.application_convene"),
        ),
        Walk(get(
            "/c/{cid}/approval/steps/{seq}",
            "/c/$cid/approval/steps/2",
            OWN_PAGE,
        )),
        Walk(get(
            "/c/{cid}/approval/steps/{seq}/{ext}",
            "/c/$cid/approval/steps/2/json",
            OWN_PAGE,
        )),
        Walk(
            post(
                "/c/{cid}/approval/replies",
                "/c/$cid/approval/replies",
                Body::Form(&[
                    ("application", "2"),
                    ("body", "省学联"),
                    ("reply", "同意召开"),
                    ("date", "$today"),
                ]),
                OWN,
            )
            .audit("approval.reply"),
        ),
        Walk(
            post(
                "/c/{cid}/approval/session-override",
                "/c/$cid/approval/session-override",
                Body::Form(&[("reason", "答复在途")]),
                OWN,
            )
            .audit("approval.session_override"),
        ),
        Walk(
            post(
                "/c/{cid}/approval/contests/{kid}/steps",
                "/c/$cid/approval/contests/$election/steps",
                Body::Form(&[("kind", "notice"), ("date", "$today")]),
                OWN,
            )
            .audit("approval.notice"),
        ),
        Db(|app, v| {
            let mut c = app.db.db.conn().unwrap();
            let input = congress::service::approval::ObjectionInput {
                candidate_id: v.get("ncand").to_string(),
                body: "异议".into(),
                name: "赵同学".into(),
                contact: "13800138000".into(),
            };
            let id = congress::service::approval::submit_objection(
                &mut c,
                &CongressId::from(v.get("cid")),
                "10.0.0.9",
                &input,
            )
            .map_err(|_| "objection refused")
            .unwrap();
            v.set("oid", id);
        }),
        Walk(
            post(
                "/c/{cid}/approval/objections/{oid}",
                "/c/$cid/approval/objections/$oid",
                Body::Form(&[("handling", "已核实答复")]),
                OWN,
            )
            .audit("approval.objection"),
        ),
        // The session.
        Walk(
            post(
                "/c/{cid}/session/open",
                "/c/$cid/session/open",
                Body::Empty,
                OWN,
            )
            .audit("congress.open_session"),
        ),
        Walk(get("/c/{cid}/attendance", "/c/$cid/attendance", READ)),
        Walk(get(
            "/c/{cid}/attendance.csv",
            "/c/$cid/attendance.csv",
            READ,
        )),
        Walk(get(
            "/c/{cid}/attendance.xlsx",
            "/c/$cid/attendance.xlsx",
            READ,
        )),
        Walk(
            post(
                "/c/{cid}/attendance",
                "/c/$cid/attendance",
                Body::Form(&[("delegate_no", "$p"), ("present", "1")]),
                SCRUTINISE,
            )
            .audit("attendance.check_in"),
        ),
        Db(|app, v| check_in_many(app, v, "cid")),
        Walk(get(
            "/c/{cid}/contests/{kid}/voting",
            "/c/$cid/contests/$motion1/voting",
            READ,
        )),
        Walk(
            post(
                "/c/{cid}/contests/{kid}/voting/open",
                "/c/$cid/contests/$motion1/voting/open",
                Body::Empty,
                OWN,
            )
            .audit("contest.open"),
        ),
        Walk(get(
            "/c/{cid}/contests/{kid}/roll",
            "/c/$cid/contests/$motion1/roll",
            READ,
        )),
        Walk(get(
            "/c/{cid}/contests/{kid}/roll.xlsx",
            "/c/$cid/contests/$motion1/roll.xlsx",
            READ,
        )),
        Walk(get(
            "/c/{cid}/contests/{kid}/roll.xlsx",
            "/c/$did/contests/$motion1/roll.xlsx",
            [L, 403, 404, 404, 403],
        )),
        Walk(get(
            "/c/{cid}/contests/{kid}/paper-ballot",
            "/c/$cid/contests/$motion1/paper-ballot",
            READ,
        )),
        Walk(get(
            "/c/{cid}/contests/{kid}/paper-ballot",
            "/c/$did/contests/$motion1/paper-ballot",
            [L, 403, 404, 404, 403],
        )),
        Walk(get(
            "/c/{cid}/contests/{kid}/voting",
            "/c/$did/contests/$motion1/voting",
            [L, 403, 404, 404, 403],
        )),
        Walk(get(
            "/c/{cid}/contests/{kid}/roll",
            "/c/$did/contests/$motion1/roll",
            [L, 403, 404, 404, 403],
        )),
        // Paper ballots: the scrutineer for delegate 2, the owner for delegate 5.
        Walk(
            post(
                "/c/{cid}/contests/{kid}/voting/paper/assign",
                "/c/$cid/contests/$motion1/voting/paper/assign",
                Body::Form(&[("delegate_no", "$p")]),
                SCRUTINISE,
            )
            .audit("paper.assign"),
        ),
        Walk(
            post(
                "/c/{cid}/contests/{kid}/voting/paper/enter",
                "/c/$cid/contests/$motion1/voting/paper/enter",
                Body::Form(&[("vote", "for")]),
                SCRUTINISE,
            )
            .audit("paper.enter"),
        ),
        Walk(
            post(
                "/c/{cid}/contests/{kid}/voting/close",
                "/c/$cid/contests/$motion1/voting/close",
                Body::Empty,
                OWN,
            )
            .audit("contest.close"),
        ),
        // A contest closed with a paper ballot outstanding, counted on the owner's word.
        Owner(post(
            "/c/{cid}/contests/{kid}/voting/open",
            "/c/$cid/contests/$motion2/voting/open",
            Body::Empty,
            OWN,
        )),
        Owner(post(
            "/c/{cid}/contests/{kid}/voting/paper/assign",
            "/c/$cid/contests/$motion2/voting/paper/assign",
            Body::Form(&[("delegate_no", "60")]),
            OWN,
        )),
        Owner(post(
            "/c/{cid}/contests/{kid}/voting/close",
            "/c/$cid/contests/$motion2/voting/close",
            Body::Empty,
            OWN,
        )),
        Walk(
            post(
                "/c/{cid}/contests/{kid}/voting/finalise",
                "/c/$cid/contests/$motion2/voting/finalise",
                Body::Form(&[("missing_paper_ok", "1")]),
                OWN,
            )
            .audit("contest.finalise"),
        ),
        // Closing, the record and its addenda.
        Walk(get("/c/{cid}/record", "/c/$cid/record", READ)),
        Walk(post("/c/{cid}/close", "/c/$cid/close", Body::Empty, OWN).audit("congress.close")),
        // The printed form previewed before certifying (issue 12.8).
        Walk(get(
            "/c/{cid}/record/preview",
            "/c/$cid/record/preview",
            READ,
        )),
        Walk(
            post(
                "/c/{cid}/record/certify",
                "/c/$cid/record/certify",
                Body::Empty,
                OWN,
            )
            .audit("record.certify"),
        ),
        // Addenda are dated, never in the future (issue 12.7): today.
        Db(|_, v| v.set("today", congress::service::addenda::today_cst().to_string())),
        Walk(
            post(
                "/c/{cid}/record/addenda",
                "/c/$cid/record/addenda",
                Body::Form(&[
                    ("kind", "approval"),
                    ("body", "中共甲城大学委员会"),
                    ("reference", "甲大党字〔2026〕15号"),
                    ("date", "$today"),
                ]),
                OWN,
            )
            .audit("record.approval"),
        ),
        Walk(get(
            "/c/{cid}/record/record.json",
            "/c/$cid/record/record.json",
            READ,
        )),
        Walk(get(
            "/c/{cid}/record/record.sig",
            "/c/$cid/record/record.sig",
            READ,
        )),
        Walk(get(
            "/c/{cid}/record/packet.zip",
            "/c/$cid/record/packet.zip",
            READ,
        )),
        Walk(get("/c/{cid}/record/print", "/c/$cid/record/print", READ)),
        Walk(get(
            "/c/{cid}/self-assessment",
            "/c/$cid/self-assessment",
            READ,
        )),
        Walk(get("/c/{cid}/audit", "/c/$cid/audit", READ).says("record.certify")),
        Walk(get("/c/{cid}/audit.csv", "/c/$cid/audit.csv", READ)),
        // Between congresses (issue 15): standing delegates, a meeting of them.
        Walk(get("/c/{cid}/term", "/c/$cid/term", READ)),
        Walk(get(
            "/api/v1/congresses/{cid}/term",
            "/api/v1/congresses/$cid/term",
            A_READ,
        )),
        Walk(
            put(
                "/api/v1/congresses/{cid}/term/quotas",
                "/api/v1/congresses/$cid/term/quotas",
                Body::Json(r#"{"quotas": {"计算机学院": 1}}"#),
                A_OWN,
            )
            .audit("term.standing_quotas"),
        ),
        Walk(
            post(
                "/c/{cid}/term/quotas",
                "/c/$cid/term/quotas",
                Body::Form(&[("seats:计算机学院", "1")]),
                OWN,
            )
            .audit("term.standing_quotas"),
        ),
        Db(|app, v| {
            let mut c = app.db.db.conn().unwrap();
            let d =
                congress::storage::repo::roster::delegates(&mut c, &CongressId::from(v.get("cid")))
                    .unwrap();
            let first = d
                .iter()
                .find(|d| d.student.college == "计算机学院")
                .expect("a delegate of 计算机学院");
            v.set("sdno", first.delegate_no.to_string());
        }),
        Walk(
            post(
                "/c/{cid}/term/standing",
                "/c/$cid/term/standing",
                Body::Form(&[("numbers", "$sdno")]),
                OWN,
            )
            .audit("term.standing_nominate"),
        ),
        Walk(
            put(
                "/api/v1/congresses/{cid}/term/standing",
                "/api/v1/congresses/$cid/term/standing",
                Body::Json(r#"{"numbers": [$sdno]}"#),
                A_OWN,
            )
            .audit("term.standing_nominate"),
        ),
        Walk(
            post(
                "/c/{cid}/term/freeze",
                "/c/$cid/term/freeze",
                Body::Empty,
                OWN,
            )
            .audit("term.standing_freeze"),
        ),
        Walk(
            post(
                "/api/v1/congresses/{cid}/term/freeze",
                "/api/v1/congresses/$cid/term/freeze",
                Body::Empty,
                [401, 403, 403, 403, 409],
            )
            .says("已冻结"),
        ),
        Walk(
            post(
                "/api/v1/congresses/{cid}/term/meetings",
                "/api/v1/congresses/$cid/term/meetings",
                Body::Json(
                    r#"{"kind": "review", "name": "评议会", "date": "2028-04-01", "place": "202"}"#,
                ),
                A_CREATED,
            )
            .audit("term.meeting_create")
            .capture(|v, _, p, r| {
                if p == P::Owner {
                    let t: serde_json::Value = serde_json::from_slice(&r.bytes).expect("json");
                    v.set("rid", t["meeting"]["id"].as_str().expect("meeting id"));
                }
            }),
        ),
        Walk(
            post(
                "/api/v1/congresses/{cid}/term/participants",
                "/api/v1/congresses/$rid/term/participants",
                Body::Json(r#"{"name": "刘老师", "unit": "学工部"}"#),
                [401, 403, 403, 403, 201],
            )
            .audit("term.participant_add"),
        ),
        // One participant: too few to count apart (rule I7).
        Walk(
            put(
                "/api/v1/congresses/{cid}/term/participant-votes",
                "/api/v1/congresses/$rid/term/participant-votes",
                Body::Json(r#"{"participant_votes": "apart"}"#),
                [401, 403, 403, 403, 422],
            )
            .says("至少需要 3 名"),
        ),
        Walk(
            post(
                "/c/{cid}/term/meetings",
                "/c/$cid/term/meetings",
                Body::Form(&[
                    ("kind", "standing"),
                    ("name", "常任代表会议第一次会议"),
                    ("date", "2028-03-01"),
                    ("place", "201"),
                ]),
                OWN,
            )
            .audit("term.meeting_create")
            .capture(|v, _, p, r| {
                if p == P::Owner {
                    let loc = r.location.as_deref().unwrap();
                    v.set(
                        "mid",
                        loc.trim_start_matches("/c/").trim_end_matches("/term"),
                    );
                }
            }),
        ),
        // The meeting is the owner's; the congress's scrutineers are not named for it.
        Walk(get("/c/{cid}/term", "/c/$mid/term", OWN_PAGE)),
        Walk(
            post(
                "/c/{cid}/term/removals",
                "/c/$mid/term/removals",
                Body::Form(&[("member", "无此人|计算机学院|1")]),
                [L, 403, 403, 403, 422],
            )
            .says("不是现任主席团成员"),
        ),
        Walk(
            post(
                "/c/{cid}/term/participants",
                "/c/$mid/term/participants",
                Body::Form(&[("name", "刘老师"), ("unit", "学工部")]),
                [L, 403, 403, 403, 409],
            )
            .says("只有评议会"),
        ),
        Walk(
            post(
                "/c/{cid}/term/participants/{pid}/present",
                "/c/$mid/term/participants/pnosuch/present",
                Body::Form(&[("present", "1")]),
                [L, 403, 403, 403, 409],
            )
            .says("还不能签到"),
        ),
        Walk(
            post(
                "/c/{cid}/term/participant-votes",
                "/c/$mid/term/participant-votes",
                Body::Form(&[("votes", "apart"), ("confirm", "1")]),
                [L, 403, 403, 403, 409],
            )
            .says("只有评议会"),
        ),
        Walk(
            get(
                "/c/{cid}/term/participant-cards",
                "/c/$mid/term/participant-cards",
                [L, 403, 403, 403, 409],
            )
            .says("列席人员不计票"),
        ),
        // Last: logging out ends the session.
        Walk(post("/logout", "/logout", Body::Empty, [L, 303, 303, 303, 303]).audit("auth.logout")),
        Walk(get("/c/{cid}", "/c/$cid", [L, L, L, L, L])),
    ]
}

const REVIEW_JSON: &str = r#"{"definition": {"persons": [{"name": "赵敏", "post": "主席团成员",
    "college": "文学院"}], "dimensions": ["政治态度", "工作成效"], "grades": ["优秀", "称职",
    "不称职"], "favourable": 2}, "follow_up": {"base": "valid_ballots",
    "fraction": {"num": 1, "den": 2, "strict": false}}}"#;

const A_DETAILS: &str = r#"{"name": "$school第十一次学生代表大会", "school": "$school",
    "level": "school", "session_no": 11, "date": "2027-12-01", "place": "礼堂"}"#;

/// The API on a congress `$aid`, from creation to the signed record.
pub fn api_steps() -> Vec<Step> {
    use Step::{Db, Owner, Walk};
    let mut steps = vec![
        Walk(
            get("/api/v1/me", "/api/v1/me", [401, 200, 200, 200, 200])
                .says("\"role\":\"organiser\""),
        ),
        Walk(
            post(
                "/api/v1/congresses",
                "/api/v1/congresses",
                Body::Json(A_DETAILS),
                [401, 403, 403, 201, 201],
            )
            .audit("congress.create")
            .capture(|v, _, p, r| match p {
                P::Owner => v.set("aid", json_id(r)),
                P::Other => v.set("adid", json_id(r)),
                _ => {}
            }),
        ),
        Db(|app, v| name_scrutineers(app, v, "aid", "adid")),
        Walk(
            get(
                "/api/v1/congresses",
                "/api/v1/congresses",
                [401, 200, 200, 200, 200],
            )
            .says("$aid"),
        ),
        Walk(get(
            "/api/v1/congresses/{cid}",
            "/api/v1/congresses/$aid",
            A_READ,
        )),
        Walk(
            put(
                "/api/v1/congresses/{cid}",
                "/api/v1/congresses/$aid",
                Body::Json(A_DETAILS),
                A_OWN,
            )
            .audit("congress.edit_details"),
        ),
        Walk(
            put(
                "/api/v1/congresses/{cid}/settings",
                "/api/v1/congresses/$aid/settings",
                Body::Json("{}"),
                A_OWN,
            )
            .audit("congress.edit_settings"),
        ),
        Walk(
            put(
                "/api/v1/congresses/{cid}/files/{kind}",
                "/api/v1/congresses/$aid/files/enrolment?name=enrolment.csv",
                Body::Raw(Src::Sample("enrolment.csv")),
                A_OWN,
            )
            .audit("files.import"),
        ),
        Owner(put(
            "/api/v1/congresses/{cid}/files/{kind}",
            "/api/v1/congresses/$aid/files/societies?name=societies.csv",
            Body::Raw(Src::Sample("societies.csv")),
            A_OWN,
        )),
        Owner(put(
            "/api/v1/congresses/{cid}/files/{kind}",
            "/api/v1/congresses/$aid/files/nominees?name=nominees.csv",
            Body::Raw(Src::Sample("nominees.csv")),
            A_OWN,
        )),
        Walk(get(
            "/api/v1/congresses/{cid}/quota",
            "/api/v1/congresses/$aid/quota",
            A_READ,
        )),
        Walk(
            post(
                "/api/v1/congresses/{cid}/roster/freeze",
                "/api/v1/congresses/$aid/roster/freeze",
                Body::Empty,
                [401, 403, 403, 403, 422],
            )
            .says("代表名单为空, 不能冻结: 请先生成或上传代表名单"),
        ),
        Walk(
            post(
                "/api/v1/congresses/{cid}/roster/generate",
                "/api/v1/congresses/$aid/roster/generate",
                Body::Empty,
                A_OWN,
            )
            .audit("roster.generate"),
        ),
        Walk(get(
            "/api/v1/congresses/{cid}/roster",
            "/api/v1/congresses/$aid/roster",
            A_READ,
        )),
        Owner(
            get("/c/{cid}/roster.csv", "/c/$aid/roster.csv", READ).capture(|v, _, _, r| {
                v.b.insert("roster_csv_a".to_string(), r.bytes.clone());
            }),
        ),
        Walk(
            put(
                "/api/v1/congresses/{cid}/roster",
                "/api/v1/congresses/$aid/roster?name=roster.csv",
                Body::Raw(Src::Var("roster_csv_a")),
                A_OWN,
            )
            .audit("roster.upload"),
        ),
        Walk(
            post(
                "/api/v1/congresses/{cid}/roster/check",
                "/api/v1/congresses/$aid/roster/check",
                Body::Empty,
                A_OWN,
            )
            .audit("roster.check"),
        ),
        Walk(get(
            "/api/v1/congresses/{cid}/scrutineers",
            "/api/v1/congresses/$aid/scrutineers",
            A_READ,
        )),
        Walk(
            post(
                "/api/v1/congresses/{cid}/scrutineers",
                "/api/v1/congresses/$aid/scrutineers",
                Body::Json(r#"{"role": "chief", "name": "王建国", "student_no": "2021010199"}"#),
                A_CREATED,
            )
            .audit("scrutineer.add")
            .capture(|v, _, p, r| {
                if p == P::Owner {
                    v.set("asid", json_id(r))
                }
            }),
        ),
        Walk(delete(
            "/api/v1/congresses/{cid}/scrutineers/{id}",
            "/api/v1/congresses/$adid/scrutineers/$asid",
            A_CROSS,
        )),
        Walk(
            delete(
                "/api/v1/congresses/{cid}/scrutineers/{id}",
                "/api/v1/congresses/$aid/scrutineers/$asid",
                A_DELETED,
            )
            .audit("scrutineer.remove"),
        ),
        Walk(get(
            "/api/v1/congresses/{cid}/contests",
            "/api/v1/congresses/$aid/contests",
            A_READ,
        )),
        Walk(
            post(
                "/api/v1/congresses/{cid}/contests",
                "/api/v1/congresses/$aid/contests",
                Body::Json(r#"{"kind": "election", "title": "选举主席团成员", "seats": 1}"#),
                A_CREATED,
            )
            .audit("contest.create")
            .capture(|v, _, p, r| {
                if p == P::Owner {
                    v.set("aelection", json_id(r))
                }
            }),
        ),
        Owner(
            post(
                "/api/v1/congresses/{cid}/contests",
                "/api/v1/congresses/$aid/contests",
                Body::Json(
                    r#"{"kind": "motion", "title": "审议工作报告", "motion_kind": "work_report"}"#,
                ),
                A_CREATED,
            )
            .capture(|v, _, _, r| v.set("amotion", json_id(r))),
        ),
        Owner(
            post(
                "/api/v1/congresses/{cid}/contests",
                "/api/v1/congresses/$aid/contests",
                Body::Json(r#"{"kind": "motion", "title": "临时动议", "motion_kind": "other"}"#),
                A_CREATED,
            )
            .capture(|v, _, _, r| v.set("amotion_del", json_id(r))),
        ),
        Walk(get(
            "/api/v1/congresses/{cid}/contests/{id}",
            "/api/v1/congresses/$aid/contests/$aelection",
            A_READ,
        )),
        Walk(
            put(
                "/api/v1/congresses/{cid}/contests/{id}",
                "/api/v1/congresses/$aid/contests/$aelection",
                Body::Json(
                    r#"{"title": "选举第十一届主席团成员", "seats": 1, "allow_write_in": true}"#,
                ),
                A_OWN,
            )
            .audit("contest.edit"),
        ),
        Walk(
            post(
                "/api/v1/congresses/{cid}/contests/{id}/move",
                "/api/v1/congresses/$aid/contests/$amotion/move",
                Body::Json(r#"{"direction": "up"}"#),
                A_OWN,
            )
            .audit("contest.move"),
        ),
        Walk(
            post(
                "/api/v1/congresses/{cid}/contests/{id}/not-held",
                "/api/v1/congresses/$aid/contests/$amotion/not-held",
                Body::Json(r#"{"reason": "不举行"}"#),
                [401, 403, 403, 403, 409],
            )
            .says("不是计票后提出的再次投票或另行选举"),
        ),
        Walk(
            post(
                "/api/v1/congresses/{cid}/contests/{id}/candidates",
                "/api/v1/congresses/$aid/contests/$aelection/candidates",
                Body::Json(
                    r#"{"name": "钱进", "student_no": "2021010150", "college": "法学院",
                    "gender": "male", "political_status": "中共党员", "rank_pct": 20,
                    "failed_courses": 0}"#,
                ),
                A_CREATED,
            )
            .audit("contest.candidate_add")
            .capture(|v, _, p, r| {
                if p == P::Owner {
                    v.set("acand", json_id(r))
                }
            }),
        ),
        // The owner's contest and candidate through the other organiser's congress $adid.
        Walk(get(
            "/api/v1/congresses/{cid}/contests/{id}",
            "/api/v1/congresses/$adid/contests/$aelection",
            [401, 403, 404, 404, 403],
        )),
        Walk(put(
            "/api/v1/congresses/{cid}/contests/{id}",
            "/api/v1/congresses/$adid/contests/$aelection",
            Body::Json(r#"{"title": "改名", "seats": 1}"#),
            A_CROSS,
        )),
        Walk(post(
            "/api/v1/congresses/{cid}/contests/{id}/move",
            "/api/v1/congresses/$adid/contests/$aelection/move",
            Body::Json(r#"{"direction": "down"}"#),
            A_CROSS,
        )),
        Walk(put(
            "/api/v1/congresses/{cid}/contests/{id}/candidates/{kid}",
            "/api/v1/congresses/$adid/contests/$aelection/candidates/$acand",
            Body::Json(
                r#"{"name": "钱进", "student_no": "2021010150", "college": "理学院",
                "political_status": "中共党员", "rank_pct": 18, "failed_courses": 0}"#,
            ),
            A_CROSS,
        )),
        Walk(delete(
            "/api/v1/congresses/{cid}/contests/{id}/candidates/{kid}",
            "/api/v1/congresses/$adid/contests/$aelection/candidates/$acand",
            A_CROSS,
        )),
        Walk(delete(
            "/api/v1/congresses/{cid}/contests/{id}",
            "/api/v1/congresses/$adid/contests/$aelection",
            A_CROSS,
        )),
        Walk(
            put(
                "/api/v1/congresses/{cid}/contests/{id}/candidates/{kid}",
                "/api/v1/congresses/$aid/contests/$aelection/candidates/$acand",
                Body::Json(
                    r#"{"name": "钱进", "student_no": "2021010150", "college": "文学院",
                    "gender": "male", "political_status": "中共党员", "rank_pct": 18,
                    "failed_courses": 0}"#,
                ),
                A_OWN,
            )
            .audit("contest.candidate_edit"),
        ),
        Walk(
            delete(
                "/api/v1/congresses/{cid}/contests/{id}/candidates/{kid}",
                "/api/v1/congresses/$aid/contests/$aelection/candidates/$acand",
                A_DELETED,
            )
            .audit("contest.candidate_remove"),
        ),
        Walk(
            delete(
                "/api/v1/congresses/{cid}/contests/{id}",
                "/api/v1/congresses/$aid/contests/$amotion_del",
                A_DELETED,
            )
            .audit("contest.delete"),
        ),
        Walk(
            post(
                "/api/v1/congresses/{cid}/roster/freeze",
                "/api/v1/congresses/$aid/roster/freeze",
                Body::Empty,
                A_OWN,
            )
            .audit("roster.freeze"),
        ),
        Walk(
            post(
                "/api/v1/congresses/{cid}/roster/unfreeze",
                "/api/v1/congresses/$aid/roster/unfreeze",
                Body::Json(r#"{"reason": "更换代表"}"#),
                A_OWN,
            )
            .audit("roster.unfreeze"),
        ),
        Owner(post(
            "/api/v1/congresses/{cid}/roster/freeze",
            "/api/v1/congresses/$aid/roster/freeze",
            Body::Empty,
            A_OWN,
        )),
        Walk(
            post(
                "/api/v1/congresses/{cid}/close",
                "/api/v1/congresses/$aid/close",
                Body::Empty,
                [401, 403, 403, 403, 409],
            )
            .says("现在还不能大会闭幕"),
        ),
        Walk(
            post(
                "/api/v1/congresses/{cid}/certify",
                "/api/v1/congresses/$aid/certify",
                Body::Empty,
                [401, 403, 403, 403, 409],
            )
            .says("现在还不能签署选举结果报告"),
        ),
        Walk(get(
            "/api/v1/congresses/{cid}/record",
            "/api/v1/congresses/$aid/record",
            [401, 404, 403, 403, 404],
        )),
        // Cards, session, quorum and one counted motion, through the API (issue 12.10).
        Walk(
            post(
                "/api/v1/congresses/{cid}/credentials/issue",
                "/api/v1/congresses/$aid/credentials/issue",
                Body::Empty,
                A_OWN,
            )
            .audit("credentials.issue"),
        ),
        // The cards carry login secrets: the owner only, as on the page, and reading them is
        // a print run (audited, a print event on each card).
        Walk(
            get(
                "/api/v1/congresses/{cid}/credentials",
                "/api/v1/congresses/$aid/credentials?college=计算机学院",
                A_OWN,
            )
            .audit("credentials.print"),
        ),
        Walk(
            post(
                "/api/v1/congresses/{cid}/credentials/reissue",
                "/api/v1/congresses/$aid/credentials/reissue",
                Body::Json(r#"{"delegate_no": 5}"#),
                A_OWN,
            )
            .audit("credentials.reissue"),
        ),
        Walk(get(
            "/api/v1/congresses/{cid}/attendance",
            "/api/v1/congresses/$aid/attendance",
            A_READ,
        )),
        Walk(
            post(
                "/api/v1/congresses/{cid}/absences",
                "/api/v1/congresses/$aid/absences",
                Body::Json(r#"{"delegate_no": 7, "approved": true, "reason": "病假"}"#),
                A_OWN,
            )
            .audit("attendance.absence_approved"),
        ),
        Walk(
            post(
                "/c/{cid}/attendance/absence",
                "/c/$aid/attendance/absence",
                Body::Form(&[
                    ("delegate_no", "7"),
                    ("approved", "0"),
                    ("reason", "已销假"),
                ]),
                OWN,
            )
            .audit("attendance.absence_withdrawn"),
        ),
        Walk(
            post(
                "/api/v1/congresses/{cid}/session/open",
                "/api/v1/congresses/$aid/session/open",
                Body::Empty,
                A_OWN,
            )
            .audit("congress.open_session"),
        ),
        Walk(
            post(
                "/api/v1/congresses/{cid}/attendance",
                "/api/v1/congresses/$aid/attendance",
                Body::Json(r#"{"delegate_no": $p, "present": true}"#),
                A_READ,
            )
            .audit("attendance.check_in"),
        ),
        Db(|app, v| check_in_many(app, v, "aid")),
        Walk(
            post(
                "/api/v1/congresses/{cid}/contests/{id}/open",
                "/api/v1/congresses/$aid/contests/$amotion/open",
                Body::Empty,
                A_OWN,
            )
            .audit("contest.open"),
        ),
        Walk(get(
            "/api/v1/congresses/{cid}/contests/{id}/voting",
            "/api/v1/congresses/$aid/contests/$amotion/voting",
            A_READ,
        )),
        Walk(
            post(
                "/api/v1/congresses/{cid}/contests/{id}/paper/assign",
                "/api/v1/congresses/$aid/contests/$amotion/paper/assign",
                Body::Json(r#"{"delegate_no": $p}"#),
                A_READ,
            )
            .audit("paper.assign"),
        ),
        Walk(
            post(
                "/api/v1/congresses/{cid}/contests/{id}/paper",
                "/api/v1/congresses/$aid/contests/$amotion/paper",
                Body::Json(r#"{"marks": ["for"]}"#),
                [401, 201, 403, 403, 201],
            )
            .audit("paper.enter"),
        ),
        Walk(get(
            "/api/v1/congresses/{cid}/contests/{id}/roll",
            "/api/v1/congresses/$aid/contests/$amotion/roll",
            A_READ,
        )),
        Walk(
            post(
                "/api/v1/congresses/{cid}/contests/{id}/close",
                "/api/v1/congresses/$aid/contests/$amotion/close",
                Body::Empty,
                A_OWN,
            )
            .audit("contest.close"),
        ),
        Walk(
            post(
                "/api/v1/congresses/{cid}/contests/{id}/count",
                "/api/v1/congresses/$aid/contests/$amotion/count",
                Body::Json(r#"{"missing_paper_ok": false}"#),
                [401, 403, 403, 403, 409],
            )
            .says("结束投票后才能计票"),
        ),
        Walk(
            post(
                "/api/v1/congresses/{cid}/close",
                "/api/v1/congresses/$aid/close",
                Body::Empty,
                A_OWN,
            )
            .audit("congress.close"),
        ),
        Walk(
            post(
                "/api/v1/congresses/{cid}/certify",
                "/api/v1/congresses/$aid/certify",
                Body::Empty,
                A_CREATED,
            )
            .audit("record.certify"),
        ),
        Db(|_, v| v.set("today", congress::service::addenda::today_cst().to_string())),
        Walk(
            post(
                "/api/v1/congresses/{cid}/addenda",
                "/api/v1/congresses/$aid/addenda",
                Body::Json(
                    r#"{"kind": "approval", "body": "中共甲城大学委员会",
                    "reference": "甲大党字〔2027〕3号", "date": "$today"}"#,
                ),
                A_CREATED,
            )
            .audit("record.approval"),
        ),
        Walk(get(
            "/api/v1/congresses/{cid}/record",
            "/api/v1/congresses/$aid/record",
            A_READ,
        )),
        Walk(get(
            "/api/v1/congresses/{cid}/packet.zip",
            "/api/v1/congresses/$aid/packet.zip",
            A_READ,
        )),
        Walk(
            get(
                "/api/v1/congresses/{cid}/audit",
                "/api/v1/congresses/$aid/audit",
                A_READ,
            )
            .says("record.approval"),
        ),
    ];
    // The steps before the session (rules C5-C7, G4), just before it is declared open.
    let at = steps
        .iter()
        .position(|s| matches!(s, Walk(r) if r.route.ends_with("/session/open")))
        .expect("the API walk declares the session open");
    steps.splice(at..at, api_approval::steps());
    steps
}

/// Routes that are not organiser or scrutineer routes, each with why it is not in the table.
pub const PUBLIC: &[(&str, &str, &str)] = &[
    ("GET", "/health", "liveness probe, no data"),
    (
        "GET",
        "/b/{cid}/notice",
        "the public candidates' notice (公示), no login (tests/it/approval)",
    ),
    (
        "POST",
        "/b/{cid}/notice/objections",
        "an objection to the notice: anonymous, CSRF, throttled per address (tests/it/approval)",
    ),
    ("GET", "/static/app.css", "static asset"),
    ("GET", "/static/print.css", "static asset"),
    ("GET", "/static/cards.css", "static asset"),
    (
        "GET",
        "/static/paper.js",
        "static asset (the phone's ballot-paper script)",
    ),
    (
        "GET",
        "/templates/{name}",
        "blank import templates (no data)",
    ),
    (
        "GET",
        "/templates/{name}.xlsx",
        "blank import templates as .xlsx (no data; tests/results/excel.rs)",
    ),
    ("GET", "/api/openapi.json", "the API's description"),
    ("GET", "/api/docs", "the API's documentation page"),
    (
        "GET",
        "/login",
        "the staff login form (tests/authz/throttle.rs)",
    ),
    ("POST", "/login", "staff login (tests/authz/throttle.rs)"),
    (
        "GET",
        "/login/code",
        "delegate login by code (tests/voting/login.rs)",
    ),
    (
        "POST",
        "/login/code",
        "delegate login by code (tests/voting/login.rs)",
    ),
    (
        "GET",
        "/t/{token}",
        "the QR card's page with one button, changes nothing (tests/security/cards.rs)",
    ),
    (
        "POST",
        "/t/{token}",
        "delegate login by QR card (tests/voting/login.rs, tests/security/cards.rs)",
    ),
    (
        "GET",
        "/v/card",
        "the delegate's card usage, delegate session only (tests/security/cards.rs)",
    ),
    ("POST", "/v/logout", "delegate logout (tests/voting)"),
    (
        "GET",
        "/v",
        "delegate phone pages, delegate session only (tests/voting)",
    ),
    (
        "POST",
        "/v/{contest}/paper",
        "taking a ballot paper (领票), delegate session + CSRF only (tests/voting/papers.rs)",
    ),
    (
        "GET",
        "/tp/{token}",
        "a 评议会 participant's card page with one button, changes nothing (tests/term/apart.rs)",
    ),
    (
        "POST",
        "/tp/{token}",
        "a 评议会 participant's login by card, counted apart (tests/term/apart.rs)",
    ),
    (
        "GET",
        "/v/p",
        "a participant's phone page, participant session only (tests/term/apart.rs)",
    ),
    (
        "POST",
        "/v/p/{contest}/paper",
        "a participant taking a paper, participant session + CSRF only (tests/term/apart.rs)",
    ),
    (
        "GET",
        "/box/{congress}/{contest}/participants-key.pem",
        "anonymous ballot box: the participants' public key (tests/term/apart.rs)",
    ),
    (
        "GET",
        "/static/vote.js",
        "static asset: the phone pages' ballot-paper glue",
    ),
    (
        "GET",
        "/static/screen.js",
        "static asset: the projector's in-place refresh (tests/hall)",
    ),
    (
        "GET",
        "/box/{congress}/{contest}",
        "anonymous ballot box: the ballot form, no session (tests/voting/papers.rs)",
    ),
    (
        "GET",
        "/box/{congress}/{contest}/key.pem",
        "anonymous ballot box: the contest's public key (tests/voting/papers.rs)",
    ),
    (
        "POST",
        "/box/{congress}/{contest}/review",
        "anonymous ballot box, no session, CSRF-exempt (tests/voting/papers.rs)",
    ),
    (
        "POST",
        "/box/{congress}/{contest}/edit",
        "anonymous ballot box, no session, CSRF-exempt (tests/voting/papers.rs)",
    ),
    (
        "POST",
        "/box/{congress}/{contest}/cast",
        "anonymous ballot box: signed ballots only (tests/voting/exactly_once.rs)",
    ),
    (
        "GET",
        "/v/roll/{kid}",
        "delegate's view of the roll (tests/voting, tests/results)",
    ),
    (
        "GET",
        "/r/{contest}/{hash}",
        "public receipt (tests/voting/receipts.rs)",
    ),
    (
        "GET",
        "/r/{contest}/{hash}/json",
        "public receipt (tests/voting/receipts.rs)",
    ),
    (
        "GET",
        "/r/{contest}/{hash}/receipt.svg",
        "public receipt as a QR image, for long-press saving (tests/hall)",
    ),
    ("GET", "/b/{cid}", "public board (tests/results)"),
    (
        "GET",
        "/b/{cid}/key.pem",
        "public signing key (tests/results)",
    ),
    (
        "GET",
        "/b/{cid}/check",
        "public tracker check (tests/results)",
    ),
    (
        "GET",
        "/b/{cid}/screen",
        "public projector screen (tests/results)",
    ),
    (
        "GET",
        "/b/{cid}/{kid}",
        "public board of a contest (tests/results)",
    ),
    (
        "GET",
        "/b/{cid}/{kid}/result",
        "public result (tests/results)",
    ),
    (
        "GET",
        "/b/{cid}/{kid}/result.csv",
        "public result as CSV (tests/security/csv.rs)",
    ),
    (
        "GET",
        "/b/{cid}/{kid}/result.xlsx",
        "a final contest's public result as .xlsx, a review's in its own workbook (rule H5; tests/results/excel.rs, tests/voting/review.rs)",
    ),
    (
        "GET",
        "/b/{cid}/{kid}/result/print",
        "a counted review's public result as a printable sheet (rule H5)",
    ),
    (
        "GET",
        "/api/v1/congresses/{cid}/contests/{kid}/board.json",
        "public board data (tests/results/board.rs)",
    ),
    (
        "GET",
        "/api/v1/congresses/{cid}/contests/{kid}/proof/{hash}",
        "public inclusion proof (tests/results/board.rs)",
    ),
];
