//! Presence (rule D2): a contest opens only with a quorum, and the delegates present at that
//! moment are its voters for good: their number is the ballots issued, a delegate who checks
//! in later cannot take a paper in it (not even by posting directly, nor by casting another
//! contest's paper in it), and checking out does not take a ballot back.

use super::phone::{self, Phone};
use super::*;
use crate::common::Kind;
use congress::domain::contest::ContestState;
use congress::domain::ids::CongressId;

both_backends!(opening_without_quorum_is_refused, |kind: Kind| {
    let app = TestApp::start(kind, "quorum");
    let fx = fixture::for_app(&app, 30);
    let cid = fx.congress_id.clone();
    block_on(async {
        let staff = organiser(&app).await;
        for no in 1..=20 {
            desk_check_in(&staff, &cid, no).await;
        }
        // 应到 30: more than 2/3 of 30 is at least 21; 20 are present.
        let (status, body) = open_contest(&staff, &cid, &fx.election).await;
        assert_eq!(status, 422, "{body}");
        assert!(
            body.contains("未达到法定人数, 不能开始投票: 实到 20 人, 须超过2/3应到 30 人, 即至少 21 人 (规则D2)"),
            "{body}"
        );
        let c = contest(&app, &fx.election);
        assert_eq!(c.state, ContestState::Draft);
        assert_eq!((c.issued, c.expected, c.opened_at), (None, None, None));
        let mut conn = app.db.db.conn().expect("conn");
        let d1 = delegate(&app, &cid, 1);
        assert!(!voting_repo::is_voter(
            &mut conn,
            &congress::domain::ids::ContestId::from(fx.election.as_str()),
            &d1.id
        )
        .expect("voter"));
        // A delegate cannot get at the ballot or a paper either.
        let p = Phone::new(&app.base);
        p.login(&fx.card(1).token).await;
        let r = p.ballot(&cid, &fx.election).await;
        assert_eq!(r.status, 409);
        assert!(r.body.contains("本项尚未开始投票"), "{}", r.body);
        let csrf = p.csrf().await;
        let r = p
            .post(
                &format!("/v/{}/paper", fx.election),
                &[("csrf".into(), csrf), ("blinded".into(), "AAAA".into())],
            )
            .await;
        assert_eq!(r.status, 409, "{}", r.body);
        assert!(r.body.contains("本项尚未开始投票"), "{}", r.body);
        assert_eq!(
            p.get(&format!("/box/{cid}/{}/key.pem", fx.election))
                .await
                .status,
            404
        );

        // Delegate 1's login changed nothing (already checked in at the desk); no. 21 arrives.
        desk_check_in(&staff, &cid, 21).await;
        let (status, body) = open_contest(&staff, &cid, &fx.election).await;
        assert_eq!(status, 303, "{body}");
        let c = contest(&app, &fx.election);
        assert_eq!(c.state, ContestState::Open);
        assert_eq!((c.issued, c.expected), (Some(21), Some(30)));
        assert!(voting_repo::is_voter(
            &mut conn,
            &congress::domain::ids::ContestId::from(fx.election.as_str()),
            &d1.id
        )
        .expect("voter"));
        let (_, page) = staff
            .get_text(&format!("/c/{cid}/contests/{}/voting", fx.election))
            .await;
        assert!(
            page.contains("“选举第十届学生会主席团成员”开始投票, 发出选票 21 张。"),
            "{page}"
        );
        // Opening twice is refused.
        let (status, _) = open_contest(&staff, &cid, &fx.election).await;
        assert_eq!(status, 409);
    });
});

both_backends!(ballots_issued_are_frozen_at_opening, |kind: Kind| {
    let app = TestApp::start(kind, "frozen_at_opening");
    let fx = fixture::for_app(&app, 9);
    let cid = fx.congress_id.clone();
    block_on(async {
        let staff = organiser(&app).await;
        let phones: Vec<Phone> = (0..9).map(|_| Phone::new(&app.base)).collect();
        // Seven of nine scan their cards: 7 > 2/3 x 9 = 6.
        for (i, p) in phones.iter().take(7).enumerate() {
            p.login(&fx.cards[i].token).await;
        }
        let (status, body) = open_contest(&staff, &cid, &fx.election).await;
        assert_eq!(status, 303, "{body}");
        assert_eq!(contest(&app, &fx.election).issued, Some(7));

        // Delegate 8 arrives after the opening: checked in, but not a voter of the election.
        let late = &phones[7];
        late.login(&fx.card(8).token).await;
        assert!(delegate(&app, &cid, 8).present);
        let home = late.get("/v").await;
        assert!(
            home.body.contains("本项投票开始时您尚未签到"),
            "{}",
            home.body
        );
        // Posting for a paper directly is refused too.
        let key = late.contest_key(&cid, &fx.election).await;
        let csrf = late.csrf().await;
        let pending = congress::sim::paper::Pending::new(&key).unwrap();
        let (r, paper) = late.ask_paper(&fx.election, &csrf, &key, &pending).await;
        assert_eq!((r.status, paper.is_some()), (409, false), "{}", r.body);
        assert!(r.json()["error"]
            .as_str()
            .unwrap()
            .contains("本项投票开始时您尚未签到, 按规则不能参加本项投票"));

        // The work report opens now, with 8 present: delegate 8 takes a paper there, and
        // casts it in the election instead. It must be refused: another contest's key.
        assert_eq!(open_contest(&staff, &cid, &fx.work_report).await.0, 303);
        assert_eq!(contest(&app, &fx.work_report).issued, Some(8));
        let paper = late.take_paper(&cid, &fx.work_report).await;
        let all_for = phone::marks(&fx.candidates, &["for"; 5]);
        let r = late.cast(&cid, &fx.election, &paper, &all_for).await;
        assert_eq!(
            r.status, 400,
            "a late delegate's ballot was accepted: {:?}",
            r.location
        );
        assert!(r.body.contains("选票凭证的签名无效"), "{}", r.body);
        assert_eq!(counts(&app, &fx.election), (0, 0));
        let r = late
            .cast(&cid, &fx.work_report, &paper, &phone::vote("for"))
            .await;
        assert_eq!(r.status, 303, "{}", r.body);

        // Checking delegate 1 out does not take back the ballot issued to them.
        let (status, _, _) = staff_post(
            &staff,
            &format!("/c/{cid}/attendance"),
            &[("delegate_no", "1"), ("present", "0")],
        )
        .await;
        assert_eq!(status, 303);
        assert!(!delegate(&app, &cid, 1).present);
        for (i, p) in phones.iter().take(7).enumerate() {
            let paper = p.take_paper(&cid, &fx.election).await;
            let m = phone::marks(
                &fx.candidates,
                &["for", "for", "against", "abstain", "for", "against", "for"],
            );
            let r = p.cast(&cid, &fx.election, &paper, &m).await;
            assert_eq!(r.status, 303, "delegate {}: {}", i + 1, r.body);
        }
        close_contest(&staff, &cid, &fx.election).await;
        let c = contest(&app, &fx.election);
        assert_eq!((c.issued, c.expected), (Some(7), Some(9)));
        assert_eq!(counts(&app, &fx.election), (7, 7));
        let (_, page) = staff
            .get_text(&format!("/c/{cid}/contests/{}/voting", fx.election))
            .await;
        assert!(
            page.contains("<dt>发出选票 (开始时实到)</dt><dd>7</dd>"),
            "{page}"
        );
        assert!(page.contains("<dt>已收回选票</dt><dd>7</dd>"));
        let mut conn = app.db.db.conn().expect("conn");
        let (fig, _) =
            congress::service::attendance::attendance(&mut conn, &CongressId::from(&cid))
                .expect("fig");
        assert_eq!(fig.present, 7, "8 checked in, 1 checked out");
    });
});
