//! The results page's figures, the projector, who may see the roll, and counting from the
//! staff voting page (at once, after a confirmation, after the last paper ballot).

use congress::domain::contest::ContestState;
use congress::domain::ids::{CongressId, ContestId};
use congress::service;
use congress::storage::repo::contests::{self as contests_repo};
use congress::storage::repo::users::Role;

use super::block_on;
use super::fixture::{counted, voted, World, DELEGATES, ELECTION_TITLE};
use crate::common::Kind;

fn state_of(w: &World, kid: &str) -> ContestState {
    let mut c = w.conn();
    contests_repo::get(&mut c, &ContestId::from(kid))
        .unwrap()
        .unwrap()
        .state
}

/// `<td>name</td><td class="num">for</td>...<td>outcome</td>`
fn row(name: &str, f: u64, a: u64, n: u64, outcome: &str) -> String {
    format!(
        "<td>{name}</td><td class=\"num\">{f}</td><td class=\"num\">{a}</td><td class=\"num\">{n}</td><td>{outcome}</td>"
    )
}

both_backends!(results_page_shows_the_counts, |kind: Kind| {
    let w = counted(kind, "results_page");
    block_on(async {
        let anon = w.app.client();
        let (status, page) = anon
            .get_text(&format!("/b/{}/{}/result", w.cid, w.election))
            .await;
        assert_eq!(status, 200);
        // 应到 12, 发出 10, 收回 10, 有效 9, 废票 1.
        assert!(page.contains("<td class=\"num\">12</td><td class=\"num\">10</td><td class=\"num\">10</td><td class=\"num\">9</td><td class=\"num\">1</td>"), "{page}");
        for r in [
            row("王芳", 8, 1, 0, "当选"),
            row("李强", 7, 2, 0, "当选"),
            row("张伟", 6, 0, 3, "得票并列, 再次投票"),
            row("刘洋", 6, 3, 0, "得票并列, 再次投票"),
            row("陈静", 0, 5, 4, "未当选"),
        ] {
            assert!(page.contains(&r), "{r} missing");
        }
        let first = page.find("王芳 · 赞成 8 票").unwrap();
        let second = page.find("李强 · 赞成 7 票").unwrap();
        assert!(first < second, "elected in order of votes");
        // F5: rule, base, threshold figure.
        assert!(page.contains("<dd>F1</dd>"));
        assert!(page.contains("<dd>实到代表数 10</dd>"));
        assert!(page.contains("<dd>6 票</dd>"));
        assert!(page.contains("赞成及另选人数超过应选名额</td><td class=\"num\">1</td>"));
        assert!(page.contains("再次投票 (规则 F2): 应选 1 名"));
        assert!(page.contains(&format!("{ELECTION_TITLE} (再次投票)")));

        let (_, page) = anon
            .get_text(&format!("/b/{}/{}/result", w.cid, w.motion))
            .await;
        // 发出 10, 收回 9 (the paper ballot never came back), 赞成 7 反对 1 弃权 1: 通过.
        assert!(page.contains("<td class=\"num\">12</td><td class=\"num\">10</td><td class=\"num\">9</td><td class=\"num\">9</td><td class=\"num\">0</td>"));
        assert!(page.contains(
            "<td class=\"num\">7</td><td class=\"num\">1</td><td class=\"num\">1</td><td>通过</td>"
        ));
        // The public index lists both outcomes.
        let (_, index) = anon.get_text(&format!("/b/{}", w.cid)).await;
        assert!(index.contains("当选: 王芳、李强; 再次投票 (1 名): "));
        assert!(index.contains("通过 (赞成 7 票, 反对 1 票, 弃权 1 票)"));
    });
});

both_backends!(projector_refreshes_without_script, |kind: Kind| {
    let w = counted(kind, "projector");
    block_on(async {
        let (status, page) = w
            .app
            .client()
            .get_text(&format!("/b/{}/screen", w.cid))
            .await;
        assert_eq!(status, 200);
        // Without script it reloads itself; with script, screen.js swaps the content in place.
        assert!(page.contains("<noscript><meta http-equiv=\"refresh\" content=\"10\"></noscript>"));
        assert!(page.contains("<script src=\"/static/screen.js\" defer></script>"));
        assert_eq!(page.to_lowercase().matches("<script").count(), 1);
        // Full screen: no site header or navigation.
        assert!(page.contains("<body class=\"projector\">"));
        assert!(!page.contains("<header"));
        // 应到 12, 实到 10, quorum over 2/3 of 12: at least 9.
        assert!(page.contains("<span class=\"present\">10</span>"), "{page}");
        assert!(page.contains("<span class=\"expected\">12</span>"));
        assert!(page.contains("法定人数 9 人"), "{page}");
        // Bars per candidate, the elected marked, the threshold line drawn.
        assert!(page.contains("<span class=\"name\">王芳</span><span class=\"won\">当选</span>"));
        assert!(page.contains("赞成 8 · 不赞成"));
        assert!(page.contains("<line class=\"mark\""));
        assert!(page.contains("再次投票选出 1 名"));
        assert!(
            page.contains(">通过</span><span class=\"nums\">赞成 7 · 反对 1 · 弃权 1</span>"),
            "{page}"
        );
    });
});

both_backends!(the_roll_is_for_staff_and_delegates_only, |kind: Kind| {
    let w = counted(kind, "roll");
    block_on(async {
        let staff_path = format!("/c/{}/contests/{}/roll", w.cid, w.election);
        let anon = w.app.client();
        let r = anon.get(&staff_path).await;
        assert_eq!(r.status(), 303);
        assert_eq!(r.headers()["location"], "/login");
        let r = anon.get(&format!("/v/roll/{}", w.election)).await;
        assert_eq!(r.status(), 401);

        let (status, page) = w.org.get_text(&staff_path).await;
        assert_eq!(status, 200);
        // Delegates 1-10 voted (10 on paper); 11 and 12 were absent.
        for (name, _, _) in &DELEGATES[..10] {
            assert!(page.contains(name), "{name} missing");
        }
        for (name, _, _) in &DELEGATES[10..] {
            assert!(!page.contains(name), "{name} did not vote");
        }
        let scrutineer = w.app.login_as("jianpiao", Role::Scrutineer).await;
        w.link_scrutineer("jianpiao");
        assert_eq!(scrutineer.get(&staff_path).await.status(), 200);
        let other = w.app.login_as("other", Role::Organiser).await;
        assert_eq!(other.get(&staff_path).await.status(), 403);

        // A delegate logs in with their card and sees the roll of a counted contest.
        let card = {
            let mut c = w.conn();
            service::credentials::cards(
                &mut c,
                &CongressId::from(&w.cid),
                None,
                &w.app.state.credential_key[..],
            )
            .unwrap()
            .remove(0)
        };
        let delegate = w.app.client();
        let r = delegate.card_login(&card.token).await;
        assert_eq!(r.status(), 303);
        let (status, page) = delegate.get_text(&format!("/v/roll/{}", w.motion)).await;
        assert_eq!(status, 200);
        assert!(
            page.contains(DELEGATES[9].0),
            "the paper voter is on the roll"
        );
        assert!(page.contains("<dd>9</dd>"), "9 ballots came back");
    });
});

both_backends!(
    closing_counts_at_once_or_after_confirmation,
    |kind: Kind| {
        let w = voted(kind, "count_on_close");
        block_on(async {
            let voting = |k: &str| format!("/c/{}/contests/{k}/voting", w.cid);
            // The election's paper ballot is in: closing counts it.
            let r = w
                .org
                .post_form(&format!("{}/close", voting(&w.election)), &[])
                .await;
            assert_eq!(r.status(), 303);
            assert_eq!(state_of(&w, &w.election), ContestState::Final);
            let (_, page) = w.org.get_text(&voting(&w.election)).await;
            assert!(page.contains("已计票并公示"), "flash");
            assert!(page.contains("得票并列, 再次投票"));
            let runoff = {
                let mut c = w.conn();
                contests_repo::list(&mut c, &CongressId::from(&w.cid))
                    .unwrap()
                    .into_iter()
                    .find(|k| {
                        k.parent_id.as_ref().map(ContestId::as_str) == Some(w.election.as_str())
                    })
                    .unwrap()
            };
            assert_eq!(runoff.round_kind.map(|r| r.as_str()), Some("runoff"));
            assert!(page.contains(&format!("href=\"{}\"", voting(runoff.id.as_str()))));

            // The motion's paper ballot is out: closing waits.
            let r = w
                .org
                .post_form(&format!("{}/close", voting(&w.motion)), &[])
                .await;
            assert_eq!(r.status(), 303);
            assert_eq!(state_of(&w, &w.motion), ContestState::Closed);
            let (_, page) = w.org.get_text(&voting(&w.motion)).await;
            assert!(page.contains("计票并公示"));
            assert!(page.contains("还有 1 张纸质选票未录入"));
            let scrutineer = w.app.login_as("jianpiao", Role::Scrutineer).await;
            w.link_scrutineer("jianpiao");
            let r = scrutineer
                .post_form(
                    &format!("{}/finalise", voting(&w.motion)),
                    &[("missing_paper_ok", "1")],
                )
                .await;
            assert_eq!(r.status(), 403);
            let r = w
                .org
                .post_form(&format!("{}/finalise", voting(&w.motion)), &[])
                .await;
            assert_eq!(r.status(), 422);
            assert_eq!(state_of(&w, &w.motion), ContestState::Closed);
            // The scrutineers enter the last paper ballot after all: that counts it.
            let r = scrutineer
                .post_form(
                    &format!("{}/paper/enter", voting(&w.motion)),
                    &[("vote", "for")],
                )
                .await;
            assert_eq!(r.status(), 303);
            assert_eq!(state_of(&w, &w.motion), ContestState::Final);
            let (_, page) = w
                .app
                .client()
                .get_text(&format!("/b/{}/{}/result", w.cid, w.motion))
                .await;
            assert!(page.contains("<td class=\"num\">8</td><td class=\"num\">1</td><td class=\"num\">1</td><td>通过</td>"));
        });
    }
);
