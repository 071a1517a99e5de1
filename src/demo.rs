//! The demo behind `congress demo`: an organiser and a scrutineer account, and two congresses
//! from the sample files in `templates/sample/`, so a new user sees a real congress in one
//! command:
//! - one in set-up: files imported, roster generated (with its substitutions explained),
//!   scrutineers named, the presidium election and two motions drafted; the user freezes the
//!   roster, issues credentials and runs it;
//! - one already held: every delegate voted (seeded), results counted, record certified, so
//!   the public board, the results, the projector view and the filing packet can be seen.

use crate::config::Config;
use crate::crypto::token::new_password;
use crate::crypto::KeyStore;
use crate::service::{self, Actor};
use crate::sim::run::vote_in_process;
use crate::sim::scenario::{organiser, prepare, Files, Prepared, Stage};
use crate::storage::repo::users::Role;
use crate::storage::Db;
use crate::web::Secrets;

/// A login printed for the demo user.
#[derive(Debug, Clone)]
pub struct DemoLogin {
    pub role_zh: &'static str,
    pub username: String,
    pub password: String,
}

/// The sample school (UTF-8 CSV, as shipped in `templates/sample/`).
pub const SAMPLE_FILES: Files<'static> = Files {
    enrolment: include_bytes!("../templates/sample/enrolment.csv"),
    societies: include_bytes!("../templates/sample/societies.csv"),
    nominees: include_bytes!("../templates/sample/nominees.csv"),
    candidates: Some(include_bytes!("../templates/sample/candidates.csv")),
};

/// Links the demo's scrutineer account to a congress (a scrutineer account sees only the
/// congresses it is named for).
fn name_demo_scrutineer(
    conn: &mut crate::storage::DbConnection,
    actor: &Actor,
    congress: &Prepared,
) -> anyhow::Result<()> {
    service::scrutineers::add(
        conn,
        actor,
        &congress.congress_id,
        &service::scrutineers::ScrutineerInput {
            role: crate::storage::repo::scrutineers::ScrutineerRole::Scrutineer,
            name: "演示监票人".to_string(),
            student_no: None,
            username: Some("jianpiao".to_string()),
        },
    )?;
    Ok(())
}

/// Creates the demo accounts and congresses; returns the logins to print and the id of the
/// congress in set-up.
pub fn populate(db: &Db, config: &Config) -> anyhow::Result<(Vec<DemoLogin>, String)> {
    let mut conn = db.conn()?;
    let actor = Actor::cli("demo");
    let keys = KeyStore::new(config.key_dir.clone());
    let secrets = Secrets::load(config)?;
    let organiser_pw = new_password();
    let owner = organiser(&mut conn, &actor, "zuzhi", &organiser_pw)?;
    let scrutineer_pw = new_password();
    service::accounts::create_user(
        &mut conn,
        &actor,
        "jianpiao",
        Role::Scrutineer,
        &scrutineer_pw,
        false,
    )?;

    let held = prepare(
        &mut conn,
        &actor,
        &owner,
        &keys,
        &secrets.credential,
        "示范大学第十次学生代表大会(已举行的样例)",
        &SAMPLE_FILES,
        Stage::InSession,
    )?;
    name_demo_scrutineer(&mut conn, &actor, &held)?;
    vote_in_process(db, &actor, &keys, &held, 2026)?;
    let setup = prepare(
        &mut conn,
        &actor,
        &owner,
        &keys,
        &secrets.credential,
        "示范大学第十次学生代表大会",
        &SAMPLE_FILES,
        Stage::Drafted,
    )?;
    name_demo_scrutineer(&mut conn, &actor, &setup)?;
    Ok((
        vec![
            DemoLogin {
                role_zh: "组织者(校团委)",
                username: "zuzhi".into(),
                password: organiser_pw,
            },
            DemoLogin {
                role_zh: "监票人",
                username: "jianpiao".into(),
                password: scrutineer_pw,
            },
        ],
        setup.congress_id.into_string(),
    ))
}
