//! What goes into the ballot box and what does not: an over-voted election ballot only with
//! the voter's explicit confirmation (and then it counts as 废票), paper ballots for a
//! delegate the scrutineers put on paper (signed by the server, not marked as paper; the board
//! counts them), and nothing after the close.

use super::phone::{self, confirmed, Phone};
use super::*;
use crate::common::Kind;
use congress::domain::ballot::{Ballot, Serial};
use congress::domain::contest::ContestState;
use congress::domain::ids::ContestId;
use congress::domain::settings::TieRule;
use congress::domain::tally::{self, CandidateRef, ContestSpec, ElectionSpec, Turnout};

/// Opens the contests with delegates 1..=present logged in (checked in) on their phones.
pub async fn with_voters(
    app: &TestApp,
    fx: &fixture::Fixture,
    present: usize,
) -> (Client, Vec<Phone>) {
    let staff = organiser(app).await;
    let mut phones = Vec::new();
    for card in fx.cards.iter().take(present) {
        let p = Phone::new(&app.base);
        p.login(&card.token).await;
        phones.push(p);
    }
    for kid in [&fx.election, &fx.work_report, &fx.charter] {
        let (status, body) = open_contest(&staff, &fx.congress_id, kid).await;
        assert_eq!(status, 303, "{body}");
    }
    (staff, phones)
}

both_backends!(over_voted_ballot_needs_confirmation, |kind: Kind| {
    let app = TestApp::start(kind, "invalid_warning");
    let fx = fixture::for_app(&app, 6);
    let (cid, kid) = (fx.congress_id.clone(), fx.election.clone());
    block_on(async {
        let (_, phones) = with_voters(&app, &fx, 6).await;
        let p = &phones[0];
        let paper = p.take_paper(&cid, &kid).await;
        assert_eq!(counts(&app, &kid), (0, 1), "the paper is on the roll");
        // Six "for" in a five-seat election.
        let six = phone::marks(
            &fx.candidates,
            &["for", "for", "for", "for", "for", "for", "against"],
        );
        let review = p.review(&cid, &kid, &six).await;
        assert_eq!(review.status, 200);
        assert!(
            review.body.contains("注意: 这张选票将作为废票。"),
            "{}",
            review.body
        );
        assert!(review
            .body
            .contains("赞成 6 人 + 另选他人 0 人 = 6 人, 超过应选名额 5 名"));
        assert!(review.body.contains("name=\"confirm_invalid\" value=\"1\""));
        // The cast form's paper fields are empty: the phone's script fills them.
        assert!(review.body.contains("name=\"token\" value=\"\""));

        let r = p.cast(&cid, &kid, &paper, &six).await;
        assert_eq!(r.status, 422, "{}", r.body);
        assert!(r.body.contains("注意: 这张选票将作为废票。"));
        assert_eq!(
            counts(&app, &kid),
            (0, 1),
            "nothing stored without confirmation"
        );

        let r = p.cast(&cid, &kid, &paper, &confirmed(six.clone())).await;
        assert_eq!(r.status, 303, "{}", r.body);
        let hash = r.receipt_hash().expect("receipt");
        assert_eq!(counts(&app, &kid), (1, 1));

        // Stored as cast, and the tally counts it as 废票.
        let rows = stored_ballots(&app, &kid);
        assert_eq!(rows[0].ballot_hash, hash);
        let value: serde_json::Value = serde_json::from_str(&rows[0].body).expect("json");
        let ballot = Ballot::from_value(&value).expect("ballot");
        assert_eq!(
            ballot.serial,
            Serial::Signed {
                token: paper.token.clone(),
                token_sig: paper.token_sig.clone()
            }
        );
        let c = contest(&app, &kid);
        let mut conn = app.db.db.conn().expect("conn");
        let spec = ElectionSpec {
            seats: 5,
            candidates: contests_repo::candidates(&mut conn, &ContestId::from(&kid))
                .expect("candidates")
                .into_iter()
                .map(|k| CandidateRef {
                    id: k.id,
                    name: k.name,
                })
                .collect(),
            allow_write_in: true,
            threshold: c.def.threshold,
            tie_rule: TieRule::default(),
        };
        let turnout = Turnout {
            issued: 6,
            roster: 6,
        };
        let result = tally::tally(&ContestSpec::Election(spec), turnout, &[ballot.choices]);
        assert_eq!((result.cast, result.valid, result.invalid), (1, 0, 1));
        assert_eq!(
            result.invalid_reasons.get("赞成及另选人数超过应选名额"),
            Some(&1)
        );

        // A valid ballot needs no confirmation: five for, two against.
        let q = &phones[1];
        let paper = q.take_paper(&cid, &kid).await;
        let five = phone::marks(
            &fx.candidates,
            &["for", "for", "for", "for", "for", "against", "against"],
        );
        let review = q.review(&cid, &kid, &five).await;
        assert!(!review.body.contains("废票"), "{}", review.body);
        assert_eq!(q.cast(&cid, &kid, &paper, &five).await.status, 303);
        assert_eq!(counts(&app, &kid), (2, 2));
    });
});

both_backends!(paper_ballots_replace_the_phone, |kind: Kind| {
    let app = TestApp::start(kind, "paper_ballots");
    let fx = fixture::for_app(&app, 6);
    let (cid, kid) = (fx.congress_id.clone(), fx.election.clone());
    block_on(async {
        let (staff, phones) = with_voters(&app, &fx, 6).await;
        let base = format!("/c/{cid}/contests/{kid}/voting");
        let (status, _, body) = staff_post(
            &staff,
            &format!("{base}/paper/assign"),
            &[("delegate_no", "6")],
        )
        .await;
        assert_eq!(status, 303, "{body}");
        let (_, page) = staff.get_text(&base).await;
        assert!(page.contains("代表编号 6) 使用纸质选票"), "{page}");
        assert!(page.contains("发出 1 张, 已录入 0 张"));
        // Twice is refused.
        let (status, _, body) = staff_post(
            &staff,
            &format!("{base}/paper/assign"),
            &[("delegate_no", "6")],
        )
        .await;
        assert_eq!(status, 409);
        assert!(body.contains("每位代表只能领一张"), "{body}");

        // Delegate 6's phone can no longer take a paper here; the waiting page says so.
        let home = phones[5].get("/v").await;
        assert!(
            home.body.contains("监票人已为您登记纸质选票"),
            "{}",
            home.body
        );
        let key = phones[5].contest_key(&cid, &kid).await;
        let csrf = phones[5].csrf().await;
        let pending = congress::sim::paper::Pending::new(&key).unwrap();
        let (r, paper) = phones[5].ask_paper(&kid, &csrf, &key, &pending).await;
        assert_eq!((r.status, paper.is_some()), (409, false), "{}", r.body);
        assert!(r.json()["error"]
            .as_str()
            .unwrap()
            .contains("监票人已为您登记纸质选票"));
        // A delegate whose phone took a paper cannot be handed a paper ballot too.
        phones[4].take_paper(&cid, &kid).await;
        let (status, _, body) = staff_post(
            &staff,
            &format!("{base}/paper/assign"),
            &[("delegate_no", "5")],
        )
        .await;
        assert_eq!(status, 409);
        assert!(body.contains("已领取本项的电子选票"), "{body}");
        assert_eq!(counts(&app, &kid), (0, 2), "on the roll, no ballot yet");

        // The scrutineers enter the paper's marks (no delegate named).
        let names: Vec<String> = fx.candidates.iter().map(|id| format!("m.{id}")).collect();
        let fields: Vec<(&str, &str)> = names
            .iter()
            .map(String::as_str)
            .zip(["for", "against", "for", "abstain", "for", "for", "against"])
            .collect();
        let (status, _, body) = staff_post(&staff, &format!("{base}/paper/enter"), &fields).await;
        assert_eq!(status, 303, "{body}");
        let rows = stored_ballots(&app, &kid);
        assert_eq!(rows.len(), 1);
        // Signed like any phone ballot; nothing in it says paper or names the delegate.
        let value: serde_json::Value = serde_json::from_str(&rows[0].body).unwrap();
        assert!(!rows[0].body.contains("paper"), "{}", rows[0].body);
        assert!(!rows[0].body.contains(delegate(&app, &cid, 6).id.as_str()));
        let ballot = Ballot::from_value(&value).unwrap();
        let Serial::Signed { token, token_sig } = &ballot.serial else {
            panic!("a paper ballot must be signed")
        };
        key.verify(
            &hex::decode(token).unwrap(),
            &base64::Engine::decode(&base64::engine::general_purpose::STANDARD, token_sig).unwrap(),
        )
        .expect("the paper ballot's signature verifies with the contest key");
        // No more paper ballots than were issued on paper.
        let (status, _, body) = staff_post(&staff, &format!("{base}/paper/enter"), &fields).await;
        assert_eq!(status, 409);
        assert!(
            body.contains("纸质选票已全部录入: 发出 1 张, 已录入 1 张"),
            "{body}"
        );
        assert_eq!(contest(&app, &kid).paper_issued, 1);

        // The others vote by phone.
        let m = phone::marks(
            &fx.candidates,
            &["for", "for", "for", "against", "against", "abstain", "for"],
        );
        for (i, p) in phones[..5].iter().enumerate() {
            let paper = if i == 4 {
                None
            } else {
                Some(p.take_paper(&cid, &kid).await)
            };
            if let Some(paper) = paper {
                assert_eq!(p.cast(&cid, &kid, &paper, &m).await.status, 303);
            }
        }
        assert_eq!(counts(&app, &kid), (5, 6));

        // Counted: the board says one paper ballot, and marks none.
        close_contest(&staff, &cid, &kid).await;
        assert_eq!(contest(&app, &kid).state, ContestState::Final);
        let board = app
            .client()
            .get_text(&format!(
                "/api/v1/congresses/{cid}/contests/{kid}/board.json"
            ))
            .await
            .1;
        let board: serde_json::Value = serde_json::from_str(&board).expect("board JSON");
        assert_eq!(board["v"], 2);
        assert_eq!(board["paper"], 1);
        assert_eq!(board["cast"], 5);
        assert_eq!(board["contest_key_fingerprint"], key.fingerprint().as_str());
        for b in board["ballots"].as_array().unwrap() {
            assert!(b.get("paper").is_none(), "{b}");
        }
    });
});

both_backends!(close_refuses_late_ballots, |kind: Kind| {
    let app = TestApp::start(kind, "close_refuses");
    let fx = fixture::for_app(&app, 6);
    let (cid, kid) = (fx.congress_id.clone(), fx.charter.clone());
    block_on(async {
        let (staff, phones) = with_voters(&app, &fx, 6).await;
        let early = phones[0].take_paper(&cid, &kid).await;
        let accepted = phones[0]
            .cast(&cid, &kid, &early, &phone::vote("for"))
            .await;
        assert_eq!(accepted.status, 303);
        // Delegate 2 took the paper and reviewed before the close, and casts after it.
        let late = phones[1].take_paper(&cid, &kid).await;
        let reviewed = phones[1].review(&cid, &kid, &phone::vote("against")).await;
        assert_eq!(reviewed.status, 200);
        close_contest(&staff, &cid, &kid).await;

        let r = phones[1]
            .cast(&cid, &kid, &late, &phone::vote("against"))
            .await;
        assert_eq!(r.status, 409, "{}", r.body);
        assert!(
            r.body
                .contains("本项投票已结束或尚未开始, 这张选票没有被接收"),
            "{}",
            r.body
        );
        let r = phones[1].review(&cid, &kid, &phone::vote("against")).await;
        assert_eq!(r.status, 409);
        assert!(r.body.contains("本项投票已经结束"), "{}", r.body);
        // Delegate 3 only now opens the ballot, or asks for a paper.
        let r = phones[2].ballot(&cid, &kid).await;
        assert_eq!(r.status, 409);
        assert!(r.body.contains("本项投票已经结束"));
        let home = phones[2].get("/v").await;
        assert!(home.body.contains("本项投票已经结束"));
        let csrf = phones[2].csrf().await;
        let r = phones[2]
            .post(
                &format!("/v/{kid}/paper"),
                &[("csrf".into(), csrf), ("blinded".into(), "AAAA".into())],
            )
            .await;
        assert_eq!(r.status, 400, "a malformed blinded message: {}", r.body);
        assert_eq!(
            counts(&app, &kid),
            (1, 2),
            "only the ballot cast before the close"
        );
        // A retry of the ballot accepted in time (its response was lost) still gets the same
        // receipt after the close, and stores nothing new.
        let retry = phones[0]
            .cast(&cid, &kid, &early, &phone::vote("for"))
            .await;
        assert_eq!(retry.status, 303, "{}", retry.body);
        assert_eq!(retry.receipt_hash(), accepted.receipt_hash());
        assert_eq!(counts(&app, &kid), (1, 2));
    });
});
