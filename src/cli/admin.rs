//! `congress admin ...`: accounts and API tokens, run on the server by its administrator.

use std::io::Read;
use std::process::ExitCode;

use clap::Subcommand;

use crate::config::Config;
use crate::crypto::token::new_password;
use crate::service::{self, Actor};
use crate::storage::repo::users::{self, Role};
use crate::storage::{Db, OpenMode};

#[derive(Subcommand, Debug)]
pub enum AdminCommand {
    /// Create an organiser or scrutineer account; prints a one-time password.
    Create {
        #[arg(long)]
        username: String,
        /// organiser (组织者) or scrutineer (监票人)
        #[arg(long, value_parser = ["organiser", "scrutineer"])]
        role: String,
        /// Read the password from standard input instead of generating a one-time one.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Issue an API bearer token for an account (printed once; only its hash is stored).
    Token {
        #[arg(long)]
        username: String,
        #[arg(long, default_value = "api")]
        label: String,
    },
    /// List accounts.
    List,
}

pub fn run(config: &Config, cmd: AdminCommand) -> anyhow::Result<ExitCode> {
    let db = Db::open(&config.database_url, OpenMode::Existing)?;
    let mut conn = db.conn()?;
    let actor = Actor::cli("admin");
    match cmd {
        AdminCommand::Create {
            username,
            role,
            password_stdin,
        } => {
            let role = Role::parse(&role).unwrap_or(Role::Organiser);
            let (password, one_time) = if password_stdin {
                let mut s = String::new();
                std::io::stdin().read_to_string(&mut s)?;
                (s.trim_end_matches(['\r', '\n']).to_string(), false)
            } else {
                (new_password(), true)
            };
            match service::accounts::create_user(
                &mut conn, &actor, &username, role, &password, one_time,
            ) {
                Ok(u) => {
                    println!("已创建{}账户: {}", u.role.zh(), u.username);
                    if one_time {
                        println!("一次性密码: {password}");
                        println!("(首次登录后请修改密码)");
                    }
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => {
                    eprintln!("错误: {}", super::describe::service(&e));
                    Ok(ExitCode::from(1))
                }
            }
        }
        AdminCommand::Token { username, label } => {
            match service::accounts::create_token(&mut conn, &actor, &username, &label) {
                Ok(token) => {
                    println!("{token}");
                    eprintln!("以上为 {username} 的 API 令牌, 只显示这一次; 请求时使用 Authorization: Bearer <令牌>");
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => {
                    eprintln!("错误: {}", super::describe::service(&e));
                    Ok(ExitCode::from(1))
                }
            }
        }
        AdminCommand::List => {
            for u in users::list(&mut conn)? {
                println!("{}\t{}", u.username, u.role.as_str());
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
