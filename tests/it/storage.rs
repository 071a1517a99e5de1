//! Storage on both backends: migrations, round trips, all-or-nothing replacement of imported
//! files, the append-only audit log, and concurrent writers.

use crate::common;
use congress::domain::ids::CongressId;

use common::{test_db, Kind};
use congress::domain::settings::RuleProfile;
use congress::domain::state::CongressState;
use congress::domain::types::*;
use congress::service::{self, Actor};
use congress::storage::repo::{audit, congress as congress_repo, roster, users};
use congress::storage::{write_tx, StorageError};
use diesel::RunQueryDsl;

fn student(no: &str, name: &str, college: &str, gender: Gender) -> Student {
    Student {
        name: name.to_string(),
        student_no: no.to_string(),
        college: college.to_string(),
        grade: "2024级".to_string(),
        gender,
        union_role: None,
        political_status: Some("共青团员".to_string()),
        societies: vec!["青年志愿者协会".to_string(), "学生科技协会".to_string()],
    }
}

fn new_congress(t: &common::TestDb) -> String {
    let mut c = t.db.conn().unwrap();
    let actor = Actor::cli("test");
    let owner = service::accounts::create_user(
        &mut c,
        &actor,
        "zuzhi",
        users::Role::Organiser,
        "pw-0123456789",
        false,
    )
    .unwrap();
    let details = congress_repo::CongressDetails {
        name: "示范大学第十次学生代表大会".into(),
        school: "示范大学".into(),
        level: Level::School,
        session_no: 10,
        date: "2026-12-01".into(),
        place: "大学生活动中心".into(),
    };
    service::congress::create(
        &mut c,
        &actor,
        &owner.id,
        &details,
        &RuleProfile::default(),
        &congress::crypto::KeyStore::new(t.path().join("keys")),
    )
    .unwrap()
    .id
    .into_string()
}

both_backends!(congress_round_trip, |kind: Kind| {
    let t = test_db(kind, "congress_round_trip");
    let id = new_congress(&t);
    let mut c = t.db.conn().unwrap();
    let got = congress_repo::get(&mut c, &CongressId::from(&id))
        .unwrap()
        .unwrap();
    assert_eq!(got.name, "示范大学第十次学生代表大会");
    assert_eq!(got.state, CongressState::Setup);
    assert_eq!(got.settings, RuleProfile::default());
    assert!(congress_repo::transition(
        &mut c,
        &CongressId::from(&id),
        CongressState::Setup,
        CongressState::RosterFrozen
    )
    .unwrap());
    // A second transition from the old state changes nothing.
    assert!(!congress_repo::transition(
        &mut c,
        &CongressId::from(&id),
        CongressState::Setup,
        CongressState::RosterFrozen
    )
    .unwrap());
    assert_eq!(
        congress_repo::get(&mut c, &CongressId::from(&id))
            .unwrap()
            .unwrap()
            .state,
        CongressState::RosterFrozen
    );
    let entries = audit::list(&mut c, Some(&id)).unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].action, "congress.create");
    assert_eq!(entries[0].actor, "cli:test");
});

both_backends!(imports_replace_all_or_nothing, |kind: Kind| {
    let t = test_db(kind, "imports_replace_all_or_nothing");
    let id = new_congress(&t);
    let mut c = t.db.conn().unwrap();
    let first = vec![
        Nominee {
            student: student("2024010001", "张伟", "计算机学院", Gender::Male),
            votes: 30,
            row: 2,
        },
        Nominee {
            student: student("2024010002", "王芳", "计算机学院", Gender::Female),
            votes: 25,
            row: 3,
        },
    ];
    write_tx(&mut c, |c| {
        roster::replace_nominees(c, &CongressId::from(&id), &first)
    })
    .unwrap();
    assert_eq!(
        roster::nominees(&mut c, &CongressId::from(&id)).unwrap(),
        first
    );

    // A replacement that fails half-way (duplicate 学号) leaves the first import intact.
    let bad = vec![
        Nominee {
            student: student("2024020001", "李娜", "外国语学院", Gender::Female),
            votes: 9,
            row: 2,
        },
        Nominee {
            student: student("2024020001", "李娜", "外国语学院", Gender::Female),
            votes: 9,
            row: 3,
        },
    ];
    let err = write_tx(&mut c, |c| {
        roster::replace_nominees(c, &CongressId::from(&id), &bad)
    })
    .unwrap_err();
    assert!(err.is_unique_violation(), "{err}");
    assert_eq!(
        roster::nominees(&mut c, &CongressId::from(&id)).unwrap(),
        first
    );

    let enrolment = vec![
        CollegeEnrolment {
            college: "计算机学院".into(),
            grades: vec![("2023级".into(), 412), ("2024级".into(), 398)],
        },
        CollegeEnrolment {
            college: "外国语学院".into(),
            grades: vec![("2024级".into(), 205)],
        },
    ];
    write_tx(&mut c, |c| {
        roster::replace_enrolment(c, &CongressId::from(&id), &enrolment)
    })
    .unwrap();
    assert_eq!(
        roster::enrolment(&mut c, &CongressId::from(&id)).unwrap(),
        enrolment
    );

    let societies = vec![
        Society {
            name: "青年志愿者协会".into(),
            main: true,
        },
        Society {
            name: "动漫社".into(),
            main: false,
        },
    ];
    write_tx(&mut c, |c| {
        roster::replace_societies(c, &CongressId::from(&id), &societies)
    })
    .unwrap();
    assert_eq!(
        roster::societies(&mut c, &CongressId::from(&id)).unwrap(),
        societies
    );

    let entries: Vec<RosterEntry> = first
        .iter()
        .map(|n| RosterEntry {
            student: n.student.clone(),
            kind: DelegateKind::Elected,
            row: None,
        })
        .collect();
    write_tx(&mut c, |c| {
        roster::replace_roster(c, &CongressId::from(&id), &entries)
    })
    .unwrap();
    let delegates = roster::delegates(&mut c, &CongressId::from(&id)).unwrap();
    assert_eq!(delegates.len(), 2);
    assert_eq!(delegates[0].delegate_no, 1);
    assert_eq!(delegates[1].student.name, "王芳");
    assert_eq!(
        delegates[1].student.societies,
        vec!["青年志愿者协会", "学生科技协会"]
    );
    assert!(!delegates[0].credential_issued);
});

both_backends!(audit_log_is_append_only, |kind: Kind| {
    let t = test_db(kind, "audit_log_is_append_only");
    let _id = new_congress(&t);
    let mut c = t.db.conn().unwrap();
    let upd = diesel::sql_query("UPDATE audit_log SET actor = 'mallory'").execute(&mut c);
    assert!(upd.is_err(), "update of the audit log must be refused");
    let del = diesel::sql_query("DELETE FROM audit_log").execute(&mut c);
    assert!(del.is_err(), "delete from the audit log must be refused");
    assert!(!audit::list(&mut c, None).unwrap().is_empty());
});

both_backends!(concurrent_writers_do_not_fail, |kind: Kind| {
    // Eight threads each run 25 read-then-write transactions; with BEGIN IMMEDIATE on SQLite
    // none gets SQLITE_BUSY, and every write lands.
    let t = test_db(kind, "concurrent_writers_do_not_fail");
    let db = t.db.clone();
    let handles: Vec<_> = (0..8)
        .map(|i| {
            let db = db.clone();
            std::thread::spawn(move || {
                let mut c = db.conn().unwrap();
                for j in 0..25 {
                    write_tx(&mut c, |c| {
                        let n = users::failures_since(c, "bucket", 0)?;
                        users::record_failure(c, &format!("bucket-{i}-{j}-{n}"))?;
                        users::record_failure(c, "bucket")?;
                        Ok::<_, StorageError>(())
                    })
                    .unwrap();
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let mut c = t.db.conn().unwrap();
    assert_eq!(users::failures_since(&mut c, "bucket", 0).unwrap(), 200);
});

test!(serve_refuses_a_missing_sqlite_file);
fn serve_refuses_a_missing_sqlite_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("typo.sqlite3");
    let err = congress::storage::Db::open(
        path.to_str().unwrap(),
        congress::storage::OpenMode::Existing,
    )
    .err()
    .expect("must refuse");
    assert!(matches!(err, StorageError::Missing(_)));
    assert!(err.to_string().contains("congress init"));
    assert!(!path.exists(), "no empty database may be created");
}

test!(sqlite_files_are_private_from_creation_and_the_wal_is_scrubbed);
/// Storage hygiene (docs/threat-model.md): the data directory is 0700 and the database, its
/// WAL and shared-memory files 0600 from the moment they exist; deleted content is zeroed
/// (`secure_delete`); the WAL is cut back when reset (`journal_size_limit`) and checkpointed
/// to nothing by `scrub` (after a contest closes, and when the server stops).
fn sqlite_files_are_private_from_creation_and_the_wal_is_scrubbed() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let path = data.join("congress.sqlite3");
    let db =
        congress::storage::Db::open(path.to_str().unwrap(), congress::storage::OpenMode::Create)
            .unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&data), 0o700);
    let mut conn = db.conn().unwrap();
    let actor = Actor::cli("test");
    for i in 0..50 {
        service::accounts::create_user(
            &mut conn,
            &actor,
            &format!("user{i}"),
            users::Role::Scrutineer,
            "pw-0123456789",
            false,
        )
        .unwrap();
    }
    let wal = tmp.path().join("data/congress.sqlite3-wal");
    let shm = tmp.path().join("data/congress.sqlite3-shm");
    for p in [&path, &wal, &shm] {
        assert_eq!(mode(p), 0o600, "{}", p.display());
    }
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let pragma = |conn: &mut congress::storage::DbConnection, name: &str| -> i64 {
        let congress::storage::DbConnection::Sqlite(c) = conn else {
            panic!("sqlite")
        };
        let rows: Vec<N> = diesel::sql_query(format!("SELECT {name} AS n FROM pragma_{name}"))
            .load(c)
            .unwrap();
        rows[0].n
    };
    assert_eq!(pragma(&mut conn, "secure_delete"), 1);
    assert_eq!(pragma(&mut conn, "journal_size_limit"), 0);
    assert!(std::fs::metadata(&wal).unwrap().len() > 0);
    drop(conn);
    assert!(db.scrub().unwrap(), "checkpoint completed");
    assert_eq!(std::fs::metadata(&wal).unwrap().len(), 0, "WAL truncated");
    drop(db);

    // A database file made before (0644) is narrowed when opened.
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
    let _db = congress::storage::Db::open(
        path.to_str().unwrap(),
        congress::storage::OpenMode::Existing,
    )
    .unwrap();
    assert_eq!(mode(&path), 0o600);
    congress::storage::create_private_dir(&data).unwrap();
    assert_eq!(mode(&data), 0o700);
}
