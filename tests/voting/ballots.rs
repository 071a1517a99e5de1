//! What goes into the ballot box and what does not: an over-voted election ballot only with
//! the delegate's explicit confirmation (and then it counts as 废票), paper ballots for a
//! delegate the scrutineers put on paper, and nothing after the close.

use super::*;
use crate::common::Kind;
use crate::phone::{self, Phone};
use congress::domain::ballot::Ballot;
use congress::domain::settings::TieRule;
use congress::domain::tally::{self, CandidateRef, ContestSpec, ElectionSpec, Turnout};

/// Opens the contests with delegates 1..=present logged in (checked in) on their phones.
async fn with_voters(app: &TestApp, fx: &fixture::Fixture, present: usize) -> (Client, Vec<Phone>) {
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
    let Some(app) = TestApp::start(kind, "invalid_warning") else {
        return;
    };
    let fx = fixture::for_app(&app, 6);
    block_on(async {
        let (_, phones) = with_voters(&app, &fx, 6).await;
        let p = &phones[0];
        let form = p.ballot(&fx.election).await;
        // Six "for" in a five-seat election.
        let six = phone::marks(
            &fx.candidates,
            &["for", "for", "for", "for", "for", "for", "against"],
        );
        let review = p.review(&fx.election, &form, &six).await;
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

        let r = p.cast(&fx.election, &form, &six).await;
        assert_eq!(r.status, 422, "{}", r.body);
        assert!(r.body.contains("注意: 这张选票将作为废票。"));
        assert_eq!(
            counts(&app, &fx.election),
            (0, 0),
            "nothing stored without confirmation"
        );

        let mut confirmed = six.clone();
        confirmed.push(("confirm_invalid".into(), "1".into()));
        let r = p.cast(&fx.election, &form, &confirmed).await;
        assert_eq!(r.status, 303, "{}", r.body);
        let hash = r.receipt_hash().expect("receipt");
        assert_eq!(counts(&app, &fx.election), (1, 1));

        // Stored as cast, and the tally counts it as 废票.
        let rows = stored_ballots(&app, &fx.election);
        assert_eq!(rows[0].ballot_hash, hash);
        let value: serde_json::Value = serde_json::from_str(&rows[0].body).expect("json");
        let ballot = Ballot::from_value(&value).expect("ballot");
        let c = contest(&app, &fx.election);
        let mut conn = app.db.db.conn().expect("conn");
        let spec = ElectionSpec {
            seats: 5,
            candidates: contests_repo::candidates(&mut conn, &fx.election)
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
        let form = q.ballot(&fx.election).await;
        let five = phone::marks(
            &fx.candidates,
            &["for", "for", "for", "for", "for", "against", "against"],
        );
        let review = q.review(&fx.election, &form, &five).await;
        assert!(!review.body.contains("废票"), "{}", review.body);
        assert_eq!(q.cast(&fx.election, &form, &five).await.status, 303);
        assert_eq!(counts(&app, &fx.election), (2, 2));
    });
});

both_backends!(paper_ballots_replace_the_phone, |kind: Kind| {
    let Some(app) = TestApp::start(kind, "paper_ballots") else {
        return;
    };
    let fx = fixture::for_app(&app, 6);
    let (cid, kid) = (fx.congress_id.clone(), fx.election.clone());
    block_on(async {
        let (staff, phones) = with_voters(&app, &fx, 6).await;
        // Delegate 6 had the ballot open on the phone before being put on paper.
        let form = phones[5].ballot(&kid).await;
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
        assert!(body.contains("已经投过票或已领取纸质选票"), "{body}");

        let r = phones[5].get(&format!("/v/{kid}")).await;
        assert_eq!(r.status, 409);
        assert!(r.body.contains("已登记使用纸质选票"), "{}", r.body);
        let m = phone::marks(
            &fx.candidates,
            &["for", "for", "for", "against", "against", "abstain", "for"],
        );
        let r = phones[5].cast(&kid, &form, &m).await;
        assert_eq!(r.status, 409, "the phone voted after being put on paper");
        assert!(r.body.contains("每位代表只能投一次"), "{}", r.body);
        assert_eq!(counts(&app, &kid), (0, 1), "on the roll, no ballot yet");

        // The scrutineers enter the paper's marks (no delegate named).
        let mut fields: Vec<(&str, &str)> = Vec::new();
        let names: Vec<String> = fx.candidates.iter().map(|id| format!("m.{id}")).collect();
        for (name, mark) in names
            .iter()
            .zip(["for", "against", "for", "abstain", "for", "for", "against"])
        {
            fields.push((name, mark));
        }
        let (status, _, body) = staff_post(&staff, &format!("{base}/paper/enter"), &fields).await;
        assert_eq!(status, 303, "{body}");
        let rows = stored_ballots(&app, &kid);
        assert_eq!(rows.len(), 1);
        assert!(rows[0].paper);
        assert!(rows[0].body.contains("\"paper\":true"), "{}", rows[0].body);
        assert!(!rows[0].body.contains(&delegate(&app, &cid, 6).id));
        // No more paper ballots than were issued on paper.
        let (status, _, body) = staff_post(&staff, &format!("{base}/paper/enter"), &fields).await;
        assert_eq!(status, 409);
        assert!(
            body.contains("纸质选票已全部录入: 发出 1 张, 已录入 1 张"),
            "{body}"
        );
        let c = contest(&app, &kid);
        assert_eq!(c.paper_issued, 1);
        assert_eq!(
            stored_ballots(&app, &kid)
                .iter()
                .filter(|b| b.paper)
                .count(),
            1
        );

        // The others vote by phone; the phone ballots carry no "paper".
        for p in &phones[..5] {
            let f = p.ballot(&kid).await;
            assert_eq!(p.cast(&kid, &f, &m).await.status, 303);
        }
        let rows = stored_ballots(&app, &kid);
        assert_eq!(rows.len(), 6);
        assert_eq!(
            rows.iter().filter(|b| b.body.contains("\"paper\"")).count(),
            1
        );
        assert_eq!(counts(&app, &kid), (6, 6));
    });
});

both_backends!(close_refuses_late_ballots, |kind: Kind| {
    let Some(app) = TestApp::start(kind, "close_refuses") else {
        return;
    };
    let fx = fixture::for_app(&app, 6);
    let (cid, kid) = (fx.congress_id.clone(), fx.charter.clone());
    block_on(async {
        let (staff, phones) = with_voters(&app, &fx, 6).await;
        let early = phones[0].ballot(&kid).await;
        let accepted = phones[0].cast(&kid, &early, &phone::vote("for")).await;
        assert_eq!(accepted.status, 303);
        // Delegate 2 opened the form before the close and submits after it.
        let open_form = phones[1].ballot(&kid).await;
        let reviewed = phones[1]
            .review(&kid, &open_form, &phone::vote("against"))
            .await;
        assert_eq!(reviewed.status, 200);
        close_contest(&staff, &cid, &kid).await;

        let r = phones[1]
            .cast(&kid, &open_form, &phone::vote("against"))
            .await;
        assert_eq!(r.status, 409, "{}", r.body);
        assert!(
            r.body
                .contains("本项投票已结束或尚未开始, 这张选票没有被接收"),
            "{}",
            r.body
        );
        let r = phones[1]
            .review(&kid, &open_form, &phone::vote("against"))
            .await;
        assert_eq!(r.status, 409);
        assert!(r.body.contains("本项投票已经结束"), "{}", r.body);
        // Delegate 3 only now opens the ballot.
        let r = phones[2].get(&format!("/v/{kid}")).await;
        assert_eq!(r.status, 409);
        assert!(r.body.contains("本项投票已经结束"));
        let home = phones[2].get("/v").await;
        assert!(home.body.contains("本项投票已经结束"));
        assert_eq!(
            counts(&app, &kid),
            (1, 1),
            "only the ballot cast before the close"
        );
        // A retry of the ballot accepted in time (its response was lost) still gets the same
        // receipt after the close, and stores nothing new.
        let retry = phones[0].cast(&kid, &early, &phone::vote("for")).await;
        assert_eq!(retry.status, 303, "{}", retry.body);
        assert_eq!(retry.receipt_hash(), accepted.receipt_hash());
        assert_eq!(counts(&app, &kid), (1, 1));
    });
});
