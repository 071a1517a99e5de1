//! The registry migration on SQLite rebuilds `users` (a CHECK constraint cannot be altered):
//! accounts and everything referring to them survive, and going down and up again works.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::Text;
use diesel::sqlite::SqliteConnection;
use diesel_migrations::MigrationHarness;

use crate::storage::{configure, run_migrations, DbConnection, SQLITE_MIGRATIONS};

const VERSION: &str = "20270120000001";

#[derive(QueryableByName)]
struct V {
    #[diesel(sql_type = Text)]
    v: String,
}

fn texts(c: &mut SqliteConnection, sql: &str) -> Vec<String> {
    diesel::sql_query(sql)
        .load::<V>(c)
        .unwrap()
        .into_iter()
        .map(|r| r.v)
        .collect()
}

#[test]
fn the_users_rebuild_keeps_accounts_and_what_refers_to_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite3");
    let mut conn =
        DbConnection::Sqlite(SqliteConnection::establish(path.to_str().unwrap()).unwrap());
    configure(&mut conn).unwrap();
    run_migrations(&mut conn).unwrap();
    let DbConnection::Sqlite(c) = &mut conn else {
        unreachable!()
    };
    // Back to the state before the registry, with an organiser, a congress and a token.
    loop {
        let v = c.revert_last_migration(SQLITE_MIGRATIONS).unwrap();
        if v.to_string() == VERSION {
            break;
        }
    }
    c.batch_execute(
        "INSERT INTO users (id, username, password_hash, role, must_change_password, created_at, session_epoch) \
         VALUES ('u1', 'zuzhi', 'h', 'organiser', 0, 1, 3); \
         INSERT INTO api_tokens (id, user_id, token_hash, label, created_at) VALUES ('t1', 'u1', 'th', 'x', 1); \
         INSERT INTO congresses (id, name, school, level, session_no, date, place, owner_id, state, settings, created_at, updated_at) \
         VALUES ('c1', 'n', 's', 'school', 1, '2025-05-18', 'p', 'u1', 'setup', '{}', 1, 1);",
    )
    .unwrap();
    assert!(c
        .batch_execute("INSERT INTO users (id, username, password_hash, role, created_at) VALUES ('u2', 'x', 'h', 'office', 1)")
        .is_err());
    // Up again: the rebuild.
    run_migrations(&mut conn).unwrap();
    let DbConnection::Sqlite(c) = &mut conn else {
        unreachable!()
    };
    assert_eq!(
        texts(
            c,
            "SELECT username || '/' || role || '/' || session_epoch AS v FROM users"
        ),
        ["zuzhi/organiser/3"]
    );
    assert_eq!(texts(c, "SELECT owner_id AS v FROM congresses"), ["u1"]);
    assert_eq!(texts(c, "SELECT user_id AS v FROM api_tokens"), ["u1"]);
    assert!(texts(
        c,
        "SELECT CAST(\"table\" AS TEXT) AS v FROM pragma_foreign_key_check"
    )
    .is_empty());
    assert_eq!(
        texts(
            c,
            "SELECT CAST(foreign_keys AS TEXT) AS v FROM pragma_foreign_keys"
        ),
        ["1"]
    );
    // The new roles are accepted, others still refused, and references are still enforced.
    c.batch_execute("INSERT INTO users (id, username, password_hash, role, created_at) VALUES ('u2', 'office1', 'h', 'office', 1)")
        .unwrap();
    assert!(c
        .batch_execute("INSERT INTO users (id, username, password_hash, role, created_at) VALUES ('u3', 'y', 'h', 'admin', 1)")
        .is_err());
    assert!(c
        .batch_execute("INSERT INTO api_tokens (id, user_id, token_hash, label, created_at) VALUES ('t2', 'nobody', 'h2', 'x', 1)")
        .is_err());
    // The foreign keys of the other tables still name `users` (not a renamed copy).
    let sql = texts(
        c,
        "SELECT sql AS v FROM sqlite_master WHERE name = 'congresses'",
    );
    assert!(sql[0].contains("REFERENCES users(id)"), "{sql:?}");
}
