//! Who may do what at the filing office: an office account (上级学联) everything; a school
//! account reads and files for its own school only; any other account (a congress's organiser
//! or scrutineer) nothing. One place for the rule, used by the pages and the API.

use std::sync::Arc;

use crate::registry::RegistryConfig;
use crate::storage::repo::registry::{self as repo, School};
use crate::storage::repo::users::{Role, User};
use crate::web::error::WebError;
use crate::web::AppState;

/// A registry account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Who {
    /// 上级学联: every school.
    Office,
    /// A school's filing account.
    School(School),
}

impl Who {
    pub fn is_office(&self) -> bool {
        matches!(self, Who::Office)
    }
}

/// Why an account that is not a registry account is refused.
pub const NOT_REGISTRY: &str = "此账户不是备案登记账户: 备案登记只接受上级学联账户和学校备案账户";
/// Why a school account is refused another school.
pub const OWN_SCHOOL_ONLY: &str = "学校备案账户只能查看和上传本校的备案";
/// Why a school account is refused an office action.
pub const OFFICE_ONLY: &str = "只有上级学联账户可以进行此操作";

/// The registry configuration (present in registry mode only).
pub fn config(state: &AppState) -> Result<Arc<RegistryConfig>, WebError> {
    state
        .registry
        .clone()
        .ok_or_else(|| WebError::NotFound("本服务器没有以备案登记模式运行".to_string()))
}

/// What `user` is at the filing office.
pub async fn who(state: &AppState, user: &User) -> Result<Who, WebError> {
    match user.role {
        Role::Office => Ok(Who::Office),
        Role::School => {
            let uid = user.id.clone();
            state
                .run(move |c| Ok(repo::school_of_user(c, &uid)?))
                .await?
                .map(Who::School)
                .ok_or_else(|| {
                    WebError::Forbidden("此学校账户没有关联学校, 请联系上级学联".to_string())
                })
        }
        _ => Err(WebError::Forbidden(NOT_REGISTRY.to_string())),
    }
}

/// Office accounts only.
pub fn office_only(who: &Who) -> Result<(), WebError> {
    if who.is_office() {
        Ok(())
    } else {
        Err(WebError::Forbidden(OFFICE_ONLY.to_string()))
    }
}

/// The school `code`, if `who` may see it (the office, or the school's own account).
pub async fn school(state: &AppState, who: &Who, code: &str) -> Result<School, WebError> {
    let c = code.to_string();
    let school = state
        .run(move |conn| Ok(repo::school_by_code(conn, &c)?))
        .await?
        .ok_or_else(|| WebError::NotFound(format!("没有学校代码为“{code}”的学校")))?;
    match who {
        Who::Office => Ok(school),
        Who::School(own) if own.id == school.id => Ok(school),
        Who::School(_) => Err(WebError::Forbidden(OWN_SCHOOL_ONLY.to_string())),
    }
}
