//! A closed contest takes no more ballots: not from a phone that took its paper before the
//! close, not from a phone that opens the ballot after, not from the scrutineers' paper-ballot
//! desk.
//! The refused ballot is not on the published board and the counts stay as they were.

use congress::storage::repo::voting as voting_repo;

use super::phone::{self, Phone};
use super::{block_on, fixture, fixture_organiser};
use crate::common::http::{Client, TestApp};
use crate::common::Kind;

async fn staff_post(staff: &Client, path: &str, fields: &[(&str, &str)]) -> (u16, String) {
    let r = staff.post_form(path, fields).await;
    (r.status().as_u16(), r.text().await.unwrap())
}

fn counts(app: &TestApp, kid: &str) -> (i64, i64) {
    let mut c = app.db.db.conn().unwrap();
    (
        voting_repo::ballot_count(&mut c, &congress::domain::ids::ContestId::from(kid)).unwrap(),
        voting_repo::roll_count(&mut c, &congress::domain::ids::ContestId::from(kid)).unwrap(),
    )
}

both_backends!(a_closed_contest_refuses_ballots, |kind: Kind| {
    let app = TestApp::start(kind, "closed_contest");
    let fx = fixture::for_app(&app, 4);
    let (cid, kid) = (fx.congress_id.clone(), fx.work_report.clone());
    block_on(async {
        let staff = fixture_organiser(&app).await;
        let mut phones = Vec::new();
        for no in 1..=3 {
            let p = Phone::new(&app.base);
            p.login(&fx.card(no).token).await;
            phones.push(p);
        }
        let base = format!("/c/{cid}/contests/{kid}/voting");
        let (status, body) = staff_post(&staff, &format!("{base}/open"), &[]).await;
        assert_eq!(status, 303, "{body}");
        let first = phones[0].take_paper(&cid, &kid).await;
        let accepted = phones[0]
            .cast(&cid, &kid, &first, &phone::vote("for"))
            .await;
        assert_eq!(accepted.status, 303, "{}", accepted.body);
        // Delegate 2 holds a paper when the contest closes.
        let late = phones[1].take_paper(&cid, &kid).await;
        let (status, body) = staff_post(&staff, &format!("{base}/close"), &[]).await;
        assert_eq!(status, 303, "{body}");
        assert_eq!(counts(&app, &kid), (1, 2));

        let r = phones[1]
            .cast(&cid, &kid, &late, &phone::vote("against"))
            .await;
        assert_eq!(r.status, 409, "{}", r.body);
        assert!(r.body.contains("这张选票没有被接收"), "{}", r.body);
        let r = phones[2].ballot(&cid, &kid).await;
        assert_eq!(r.status, 409);
        assert!(r.body.contains("本项投票已经结束"), "{}", r.body);
        // The paper-ballot desk: no ballot was issued on paper, so none can be entered.
        let (status, body) = staff_post(
            &staff,
            &format!("{base}/paper/enter"),
            &[("vote", "against")],
        )
        .await;
        assert_eq!(status, 409, "{body}");
        let (status, body) = staff_post(
            &staff,
            &format!("{base}/paper/assign"),
            &[("delegate_no", "3")],
        )
        .await;
        assert_eq!(status, 409, "{body}");
        assert_eq!(counts(&app, &kid), (1, 2), "nothing stored after the close");

        // The published board holds the one ballot cast in time and not the refused one.
        let r = reqwest::get(app.url(&format!(
            "/api/v1/congresses/{cid}/contests/{kid}/board.json"
        )))
        .await
        .unwrap();
        assert_eq!(r.status(), 200);
        let board: serde_json::Value = r.json().await.unwrap();
        let ballots = board["ballots"].as_array().expect("ballots");
        assert_eq!(ballots.len(), 1, "{board}");
        assert_eq!(ballots[0]["token"], first.token.as_str(), "{board}");
        assert!(!board.to_string().contains(&late.token));
        let (status, page) = staff.get_text(&format!("/b/{cid}/{kid}")).await;
        assert_eq!(status, 200);
        assert!(!page.contains(&late.token));
        assert!(page.contains(accepted.receipt_hash().unwrap().as_str()));
    });
});
