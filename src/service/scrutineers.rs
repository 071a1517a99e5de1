//! Naming the congress's scrutineers (监票人员, rule G2): adding and removing 总监票人, 监票人
//! and 计票人, with the rules that at most one 总监票人 is named, a person holds one role, and
//! no candidate of any of the congress's contests is a scrutineer.

use serde::Serialize;

use crate::domain::ids::CongressId;
use crate::domain::state::Action;
use crate::storage::repo::scrutineers::{self, NewScrutineer, Scrutineer, ScrutineerRole};
use crate::storage::repo::{new_id, users};
use crate::storage::{write_tx, DbConnection};

use super::congress::load;
use super::{Actor, ServiceError, ServiceResult};

/// Longest name accepted.
pub const MAX_NAME_CHARS: usize = 50;
/// Longest 学号 accepted.
pub const MAX_STUDENT_NO_CHARS: usize = 32;

/// A scrutineer to add, as the form or the API supplies it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScrutineerInput {
    pub role: ScrutineerRole,
    pub name: String,
    /// 学号; blank means none.
    pub student_no: Option<String>,
    /// Username of a scrutineer account to link; blank means none.
    pub username: Option<String>,
}

/// What the audit log keeps of a scrutineer (no account secrets: only the username).
#[derive(Debug, Serialize)]
struct AuditView<'a> {
    id: &'a str,
    role: &'a str,
    name: &'a str,
    student_no: Option<&'a str>,
    username: Option<&'a str>,
}

fn audit_view(s: &Scrutineer) -> ServiceResult<Option<String>> {
    crate::service::audit_json(&AuditView {
        id: &s.id,
        role: s.role.as_str(),
        name: &s.name,
        student_no: s.student_no.as_deref(),
        username: s.username.as_deref(),
    })
}

/// Full-width ASCII (common when typing with a Chinese IME) to half-width, then trimmed;
/// blank becomes `None`.
pub fn normalise(s: Option<&str>) -> Option<String> {
    let s: String = s?
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .collect();
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// Checks the fields on their own; every problem in one error.
fn validate(input: &ScrutineerInput) -> ServiceResult<()> {
    let mut problems = Vec::new();
    let name = input.name.trim();
    if name.is_empty() {
        problems.push("“姓名”不能为空".to_string());
    } else if name.chars().count() > MAX_NAME_CHARS {
        problems.push(format!("“姓名”过长(最多{MAX_NAME_CHARS}个字符)"));
    }
    if let Some(no) = &input.student_no {
        if no.chars().count() > MAX_STUDENT_NO_CHARS
            || !no.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            problems.push(format!(
                "“学号”应为不超过{MAX_STUDENT_NO_CHARS}位的字母、数字或连字符, 现为“{no}”"
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ServiceError::Invalid {
            message: "监票人员信息有误".to_string(),
            details: problems,
        })
    }
}

/// The congress's scrutineers, 总监票人 first.
pub fn list(conn: &mut DbConnection, congress_id: &CongressId) -> ServiceResult<Vec<Scrutineer>> {
    load(conn, congress_id)?;
    Ok(scrutineers::list(conn, congress_id)?)
}

/// Adds a scrutineer. Refused when the state does not allow it, when a 总监票人 is already
/// named, when the 学号 or the account is already on the list, when the account is not a
/// scrutineer account, and (rule G2) when the person is a candidate of any contest of this
/// congress.
pub fn add(
    conn: &mut DbConnection,
    actor: &Actor,
    congress_id: &CongressId,
    input: &ScrutineerInput,
) -> ServiceResult<Scrutineer> {
    let input = ScrutineerInput {
        role: input.role,
        name: input.name.trim().to_string(),
        student_no: normalise(input.student_no.as_deref()),
        username: normalise(input.username.as_deref()),
    };
    validate(&input)?;
    write_tx(conn, |c| {
        let congress = load(c, congress_id)?;
        Action::EditScrutineers.check(congress.state)?;
        scrutineers::lock_congress(c, congress_id)?;
        let existing = scrutineers::list(c, congress_id)?;
        if input.role == ScrutineerRole::Chief {
            if let Some(chief) = existing.iter().find(|s| s.role == ScrutineerRole::Chief) {
                return Err(ServiceError::Conflict(format!(
                    "总监票人只能有一名: 已由“{}”担任; 如需更换, 请先删除再添加",
                    chief.name
                )));
            }
        }
        check_not_candidate(c, congress_id, &input)?;
        if let Some(no) = &input.student_no {
            if let Some(other) = existing
                .iter()
                .find(|s| s.student_no.as_deref() == Some(no))
            {
                return Err(ServiceError::Conflict(format!(
                    "学号 {no} 已是本次大会的{}(“{}”): 同一人只能担任一项监票职务",
                    other.role.zh(),
                    other.name
                )));
            }
        }
        let user_id = match &input.username {
            None => None,
            Some(un) => {
                let user = users::by_username(c, un)?.ok_or_else(|| {
                    ServiceError::invalid(format!("“关联账户”: 用户名“{un}”不存在"))
                })?;
                if user.role != users::Role::Scrutineer {
                    return Err(ServiceError::invalid(format!(
                        "“关联账户”: “{un}”是{}账户, 只能关联监票人账户",
                        user.role.zh()
                    )));
                }
                if let Some(other) = existing
                    .iter()
                    .find(|s| s.user_id.as_deref() == Some(&user.id))
                {
                    return Err(ServiceError::Conflict(format!(
                        "账户“{un}”已关联到本次大会的{}“{}”: 同一人只能担任一项监票职务",
                        other.role.zh(),
                        other.name
                    )));
                }
                Some(user.id)
            }
        };
        let id = new_id("s");
        scrutineers::insert(
            c,
            &NewScrutineer {
                id: &id,
                congress_id: congress_id.as_str(),
                role: input.role,
                name: &input.name,
                student_no: input.student_no.as_deref(),
                user_id: user_id.as_deref(),
            },
        )?;
        let added = scrutineers::get(c, congress_id, &id)?
            .ok_or_else(|| ServiceError::internal(format!("scrutineer {id} vanished")))?;
        actor.audit(
            c,
            Some(congress_id),
            "scrutineer.add",
            Some(&id),
            None,
            audit_view(&added)?,
        )?;
        Ok(added)
    })
}

/// Rule G2: candidates can never be scrutineers. With a 学号 the check is exact; without one,
/// a candidate of the same name is refused too (names repeat, so the message asks for the
/// 学号, which settles it).
fn check_not_candidate(
    c: &mut DbConnection,
    congress_id: &CongressId,
    input: &ScrutineerInput,
) -> ServiceResult<()> {
    match &input.student_no {
        Some(no) => {
            let hits = scrutineers::candidacies_of(c, congress_id, no)?;
            if let Some(first) = hits.first() {
                let contests: Vec<&str> = hits.iter().map(|h| h.contest.as_str()).collect();
                return Err(ServiceError::invalid(format!(
                    "候选人不能担任监票人员(规则G2): 学号 {no}(“{}”)是“{}”的候选人",
                    first.name,
                    contests.join("”、“")
                )));
            }
        }
        None => {
            let hits = scrutineers::candidates_named(c, congress_id, &input.name)?;
            if let Some(first) = hits.first() {
                return Err(ServiceError::invalid(format!(
                    "候选人不能担任监票人员(规则G2): “{}”的候选人中有同名的“{}”(学号 {}); \
                     如果不是同一人, 请填写学号以区分",
                    first.contest, first.name, first.student_no
                )));
            }
        }
    }
    Ok(())
}

/// Removes a scrutineer of the congress; returns who was removed.
pub fn remove(
    conn: &mut DbConnection,
    actor: &Actor,
    congress_id: &CongressId,
    id: &str,
) -> ServiceResult<Scrutineer> {
    write_tx(conn, |c| {
        let congress = load(c, congress_id)?;
        Action::EditScrutineers.check(congress.state)?;
        let before = scrutineers::get(c, congress_id, id)?
            .ok_or_else(|| ServiceError::NotFound(format!("本次大会没有编号为 {id} 的监票人员")))?;
        scrutineers::delete(c, congress_id, id)?;
        actor.audit(
            c,
            Some(congress_id),
            "scrutineer.remove",
            Some(id),
            audit_view(&before)?,
            None,
        )?;
        Ok(before)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalise_trims_and_folds_full_width() {
        assert_eq!(
            normalise(Some("　２０２３０１０１ ")).as_deref(),
            Some("20230101")
        );
        assert_eq!(normalise(Some("   ")), None);
        assert_eq!(normalise(None), None);
        assert_eq!(
            normalise(Some("jianpiao_li")).as_deref(),
            Some("jianpiao_li")
        );
    }

    #[test]
    fn validate_reports_every_problem() {
        let bad = ScrutineerInput {
            role: ScrutineerRole::Counter,
            name: " ".to_string(),
            student_no: Some("2023 01".to_string()),
            username: None,
        };
        match validate(&bad) {
            Err(ServiceError::Invalid { details, .. }) => {
                assert_eq!(details.len(), 2, "{details:?}");
                assert!(details[0].contains("姓名"));
                assert!(details[1].contains("2023 01"));
            }
            other => panic!("expected Invalid, got {other:?}"),
        }
        let good = ScrutineerInput {
            role: ScrutineerRole::Chief,
            name: "王建国".to_string(),
            student_no: Some("2021010203".to_string()),
            username: None,
        };
        assert!(validate(&good).is_ok());
    }

    #[test]
    fn roles_parse_from_api_names_and_chinese() {
        for r in ScrutineerRole::ALL {
            assert_eq!(ScrutineerRole::parse(r.as_str()), Some(r));
            assert_eq!(ScrutineerRole::parse(r.zh()), Some(r));
        }
        assert_eq!(ScrutineerRole::parse("唱票人"), None);
    }
}
