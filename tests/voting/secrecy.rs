//! Secrecy (rule E1) of what the server keeps: the real `congress serve` binary runs as a
//! subprocess with every log line on (`RUST_LOG=trace`); twelve delegates log in and vote,
//! one on paper; then every table is dumped and the whole log read. No ballot row holds a
//! delegate id, token, code or student number; the ballots table has no delegate or time
//! column; no token or code is stored or logged anywhere; a ballot hash appears in no other
//! table and in no log line; once the contest is closed, neither the order in which ballots
//! and roll entries are stored nor (PostgreSQL) the transaction that wrote them pairs a
//! ballot with a delegate.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use congress::crypto::token::normalise_manual_code;
use congress::web::Secrets;
use reqwest::redirect::Policy;

use super::*;
use crate::common::{test_db, Kind, TestDb};
use crate::dump;
use crate::phone::{self, Phone};

/// `congress serve` on a free port, its stdout and stderr collected line by line.
struct Server {
    child: Child,
    base: String,
    lines: Arc<Mutex<Vec<String>>>,
    readers: Vec<JoinHandle<()>>,
}

impl Server {
    fn start(t: &TestDb) -> Server {
        let config = t.config();
        let mut child = Command::new(env!("CARGO_BIN_EXE_congress"))
            .arg("--data-dir")
            .arg(&config.data_dir)
            .arg("--key-dir")
            .arg(&config.key_dir)
            .args(["--database-url", &config.database_url])
            .args(["serve", "--bind", "127.0.0.1:0"])
            .env("RUST_LOG", "trace")
            .env_remove("CONGRESS_PUBLIC_URL")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start congress serve");
        let lines = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = mpsc::channel();
        let stdout = child.stdout.take().expect("stdout");
        let stderr = child.stderr.take().expect("stderr");
        let mut readers = Vec::new();
        for (stream, tx) in [
            (Box::new(stdout) as Box<dyn std::io::Read + Send>, Some(tx)),
            (Box::new(stderr), None),
        ] {
            let lines = lines.clone();
            readers.push(std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    if let (Some(tx), Some((_, url))) = (&tx, line.split_once("已启动: ")) {
                        let _ = tx.send(url.trim().to_string());
                    }
                    lines.lock().expect("lines").push(line);
                }
            }));
        }
        let base = rx
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|_| panic!("server did not start: {:?}", lines.lock()));
        Server {
            child,
            base,
            lines,
            readers,
        }
    }

    /// Stops the server and returns everything it wrote.
    fn stop(&mut self) -> Vec<String> {
        let _ = self.child.kill();
        let _ = self.child.wait();
        for r in self.readers.drain(..) {
            let _ = r.join();
        }
        self.lines.lock().expect("lines").clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn staff_client(base: &str) -> Client {
    Client {
        base: base.to_string(),
        http: reqwest::Client::builder()
            .cookie_store(true)
            .redirect(Policy::none())
            .build()
            .expect("client"),
        csrf: None,
    }
}

const VOTERS: u32 = 12;

both_backends!(nothing_links_a_ballot_to_a_delegate, |kind: Kind| {
    let Some(t) = test_db(kind, "secrecy") else {
        return;
    };
    let secrets = Secrets::load(&t.config()).expect("server secrets");
    let fx = fixture::build(&t.db, &t.config().key_dir, &secrets.credential, 14);
    let cid = fx.congress_id.clone();
    let mut server = Server::start(&t);
    let base = server.base.clone();
    let (arrival, new_card) = block_on(async {
        let mut staff = staff_client(&base);
        let r = staff
            .login(fixture::ORGANISER, fixture::ORGANISER_PASSWORD)
            .await;
        assert_eq!(r.status(), 303);
        staff.refresh_csrf().await;
        assert_eq!(
            Phone::new(&base)
                .open_card("0000wrongtoken0000")
                .await
                .status,
            401
        );
        assert_eq!(Phone::new(&base).type_code("AAAAA-BBBBB").await.status, 401);
        let mut phones = Vec::new();
        for no in 1..=VOTERS {
            let p = Phone::new(&base);
            if no <= 10 {
                p.login(&fx.card(no).token).await;
            } else {
                assert_eq!(p.type_code(&fx.card(no).code).await.status, 303);
            }
            phones.push(p);
        }
        desk_check_in(&staff, &cid, 13).await;
        for kid in [&fx.election, &fx.work_report, &fx.charter] {
            assert_eq!(open_contest(&staff, &cid, kid).await.0, 303);
        }
        let mut arrival = Vec::new();
        let pattern = ["for", "against", "for", "abstain", "for", "for", "against"];
        for (i, p) in phones.iter().enumerate() {
            let m: Vec<&str> = (0..7).map(|k| pattern[(k + i) % 7]).collect();
            let f = p.ballot(&fx.election).await;
            let r = p
                .cast(&fx.election, &f, &phone::marks(&fx.candidates, &m))
                .await;
            let hash = r.receipt_hash().expect("accepted");
            assert_eq!(
                p.get(&format!("/r/{}/{hash}", fx.election)).await.status,
                200
            );
            assert_eq!(
                p.get(&format!("/r/{}/{hash}/json", fx.election))
                    .await
                    .status,
                200
            );
            arrival.push(hash);
            for kid in [&fx.work_report, &fx.charter] {
                let f = p.ballot(kid).await;
                let v = ["for", "against", "abstain"][i % 3];
                assert_eq!(p.cast(kid, &f, &phone::vote(v)).await.status, 303);
            }
        }
        // Delegate 13 votes on paper in the charter amendment.
        let voting = format!("/c/{cid}/contests/{}/voting", fx.charter);
        let (s, _, _) = staff_post(
            &staff,
            &format!("{voting}/paper/assign"),
            &[("delegate_no", "13")],
        )
        .await;
        assert_eq!(s, 303);
        let (s, _, _) =
            staff_post(&staff, &format!("{voting}/paper/enter"), &[("vote", "for")]).await;
        assert_eq!(s, 303);
        // A lost card is reissued.
        let (s, _, _) = staff_post(
            &staff,
            &format!("/c/{cid}/credentials/reissue"),
            &[("delegate_no", "14")],
        )
        .await;
        assert_eq!(s, 303);
        for kid in [&fx.election, &fx.work_report, &fx.charter] {
            close_contest(&staff, &cid, kid).await;
        }
        let mut c = t.db.conn().expect("conn");
        let cards = congress::service::credentials::cards(&mut c, &cid, None, &secrets.credential)
            .expect("cards");
        (arrival, cards[13].clone())
    });
    let log = server.stop();

    // What must never be linked or leaked.
    let mut secret_strings: Vec<String> = Vec::new();
    for card in fx.cards.iter().chain([&new_card]) {
        secret_strings.push(card.token.clone());
        secret_strings.push(card.code.clone());
        secret_strings.push(normalise_manual_code(&card.code));
    }
    let people: Vec<String> = fx
        .cards
        .iter()
        .flat_map(|c| [c.delegate.id.clone(), c.delegate.student.student_no.clone()])
        .collect();
    let mut conn = t.db.conn().expect("conn");
    let tables = dump::dump(&mut conn);
    let ballots = tables
        .iter()
        .find(|t| t.name == "ballots")
        .expect("ballots table");
    let hashes: Vec<String> = ballots
        .rows
        .iter()
        .map(|r| r.split(" | ").nth(2).expect("hash column").to_string())
        .collect();
    assert_eq!(hashes.len(), 3 * VOTERS as usize + 1);

    assert_eq!(
        ballots.columns,
        ["contest_id", "id", "ballot_hash", "body", "paper"]
    );
    for col in &ballots.columns {
        for word in [
            "delegate", "time", "_at", "created", "seq", "order", "voter",
        ] {
            assert!(!col.contains(word), "ballots.{col}");
        }
    }
    for row in &ballots.rows {
        for s in secret_strings.iter().chain(&people) {
            assert!(!row.contains(s.as_str()), "ballot row {row} contains {s}");
        }
    }
    let roll = tables
        .iter()
        .find(|t| t.name == "roll")
        .expect("roll table");
    assert_eq!(roll.columns, ["contest_id", "delegate_id"]);
    for table in &tables {
        for row in &table.rows {
            for s in &secret_strings {
                assert!(
                    !row.contains(s.as_str()),
                    "{}: {row} holds a card secret",
                    table.name
                );
            }
            if table.name != "ballots" {
                for h in &hashes {
                    assert!(
                        !row.contains(h.as_str()),
                        "{}: {row} holds a ballot hash",
                        table.name
                    );
                }
            }
        }
        if let Some(sql) = &table.sql {
            if ["ballots", "roll", "contest_voters"].contains(&table.name.as_str()) {
                assert!(sql.contains("WITHOUT ROWID"), "{sql}");
            }
        }
    }

    // Once closed, storage order is a sorted order, not the order of arrival.
    let stored = dump::column(
        &mut conn,
        "ballots",
        "ballot_hash",
        &format!("contest_id = '{}'", fx.election),
    );
    let mut by_hash = arrival.clone();
    by_hash.sort();
    let ids = dump::column(
        &mut conn,
        "ballots",
        "id",
        &format!("contest_id = '{}'", fx.election),
    );
    let mut sorted_ids = ids.clone();
    sorted_ids.sort();
    assert!(
        stored == by_hash || ids == sorted_ids,
        "ballots are stored in arrival order"
    );
    assert_ne!(stored, arrival);
    let rolled = dump::column(
        &mut conn,
        "roll",
        "delegate_id",
        &format!("contest_id = '{}'", fx.election),
    );
    let mut sorted_roll = rolled.clone();
    sorted_roll.sort();
    assert_eq!(rolled, sorted_roll, "the roll is stored in voting order");
    if kind == Kind::Postgres {
        let filter = format!("contest_id = '{}'", fx.election);
        let ballot_tx = dump::column(&mut conn, "ballots", "xmin", &filter);
        let roll_tx = dump::column(&mut conn, "roll", "xmin", &filter);
        let paired = ballot_tx.iter().filter(|x| roll_tx.contains(x)).count();
        let distinct: std::collections::BTreeSet<_> = ballot_tx.iter().collect();
        assert!(
            distinct.len() == 1 || paired == 0,
            "ballots and roll entries share transaction ids: {ballot_tx:?} / {roll_tx:?}"
        );
    }

    // The log: every level captured, and free of secrets and ballot hashes.
    assert!(log.iter().any(|l| l.contains("serving")), "{log:?}");
    assert!(
        log.iter().any(|l| l.contains("ballot batch committed")),
        "debug lines captured"
    );
    for line in &log {
        for s in &secret_strings {
            assert!(
                !line.contains(s.as_str()),
                "log line holds a card secret: {line}"
            );
        }
        for h in &hashes {
            assert!(
                !line.contains(h.as_str()),
                "log line holds a ballot hash: {line}"
            );
        }
    }
    println!(
        "secrecy ({kind:?}): {} tables, {} log lines checked",
        tables.len(),
        log.len()
    );
});
