//! Secrecy (rule E1) of what the server keeps: the real `congress serve` binary runs as a
//! subprocess with every log line on (`RUST_LOG=trace`); twelve delegates log in, take their
//! papers and vote, one on paper; then every table is dumped and the whole log read. No
//! ballot row holds a delegate id, card token, code or student number; the ballots table has
//! no delegate or time column; no card secret is stored or logged anywhere; a ballot's hash
//! and its paper's token appear in no other table and in no log line; no roll entry and
//! ballot were ever written by one transaction (PostgreSQL: no shared `xmin`); once the
//! contest is closed, the order in which ballots and roll entries are stored is a sorted order.
//! (The attacks on the WAL, dead rows and write order are in `attack.rs`.)

use congress::crypto::token::normalise_manual_code;
use congress::domain::ids::CongressId;
use congress::web::Secrets;

use super::dump;
use super::phone::{self, Phone};
use super::server::{staff_client, Server};
use super::*;
use crate::common::{test_db, Kind};

const VOTERS: u32 = 12;

both_backends!(nothing_links_a_ballot_to_a_delegate, |kind: Kind| {
    let t = test_db(kind, "secrecy");
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
        let mut papers = Vec::new();
        for p in &phones {
            let mine: Vec<_> = [&fx.election, &fx.work_report, &fx.charter]
                .iter()
                .map(|kid| p.take_paper(&cid, kid))
                .collect();
            papers.push(futures_util::future::join_all(mine).await);
        }
        for (i, p) in phones.iter().enumerate() {
            let m: Vec<&str> = (0..7).map(|k| pattern[(k + i) % 7]).collect();
            let r = p
                .cast(
                    &cid,
                    &fx.election,
                    &papers[i][0],
                    &phone::marks(&fx.candidates, &m),
                )
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
            for (k, kid) in [&fx.work_report, &fx.charter].into_iter().enumerate() {
                let v = ["for", "against", "abstain"][i % 3];
                let r = p.cast(&cid, kid, &papers[i][k + 1], &phone::vote(v)).await;
                assert_eq!(r.status, 303, "{}", r.body);
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
        let cards = congress::service::credentials::cards(
            &mut c,
            &CongressId::from(&cid),
            None,
            &secrets.credential,
        )
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
        .flat_map(|c| {
            [
                c.delegate.id.to_string(),
                c.delegate.student.student_no.clone(),
            ]
        })
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
    let tokens: Vec<String> = ballots
        .rows
        .iter()
        .map(|r| r.split(" | ").nth(1).expect("token column").to_string())
        .collect();
    assert_eq!(hashes.len(), 3 * VOTERS as usize + 1);
    assert!(tokens.iter().all(|t| t.len() == 128));

    assert_eq!(
        ballots.columns,
        ["contest_id", "token", "ballot_hash", "body"]
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
    assert_eq!(
        roll.columns,
        [
            "contest_id",
            "delegate_id",
            "kind",
            "blinded_sha256",
            "blind_sig"
        ]
    );
    assert_eq!(roll.rows.len(), 3 * VOTERS as usize + 1);
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
                for h in hashes.iter().chain(&tokens) {
                    assert!(
                        !row.contains(h.as_str()),
                        "{}: {row} holds a ballot hash or token",
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
        "token",
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
        // After the close every live row of the contest was rewritten by the closing
        // transaction; before, roll and ballots never shared one (see attack.rs).
        let filter = format!("contest_id = '{}'", fx.election);
        let ballot_tx = dump::column(&mut conn, "ballots", "xmin", &filter);
        let roll_tx = dump::column(&mut conn, "roll", "xmin", &filter);
        let distinct: std::collections::BTreeSet<_> = ballot_tx.iter().chain(&roll_tx).collect();
        assert_eq!(distinct.len(), 1, "{ballot_tx:?} / {roll_tx:?}");
    }

    // The log: every level captured, and free of secrets and ballot hashes.
    assert!(log.iter().any(|l| l.contains("serving")), "{log:?}");
    for writer in ["ballot-box", "paper-issuer"] {
        assert!(
            log.iter()
                .any(|l| l.contains("batch committed") && l.contains(writer)),
            "debug lines of the {writer} captured"
        );
    }
    for line in &log {
        for s in &secret_strings {
            assert!(
                !line.contains(s.as_str()),
                "log line holds a card secret: {line}"
            );
        }
        for h in hashes.iter().chain(&tokens) {
            assert!(
                !line.contains(h.as_str()),
                "log line holds a ballot hash or token: {line}"
            );
        }
    }
    println!(
        "secrecy ({kind:?}): {} tables, {} log lines checked",
        tables.len(),
        log.len()
    );
});
