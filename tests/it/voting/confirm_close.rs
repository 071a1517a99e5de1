//! Opening and closing a contest ask first (issue 14): the close's confirmation says how many
//! papers taken are not yet in the box ("9 张已发出的选票尚未收回") and nothing closes until
//! it is confirmed; the opening's says who gets a paper.

use super::ballots::with_voters;
use super::phone::{self};
use super::*;
use crate::common::Kind;

both_backends!(
    closing_a_contest_says_how_many_papers_are_out,
    |kind: Kind| {
        let app = TestApp::start(kind, "confirm_close");
        let fx = fixture::for_app(&app, 12);
        let (cid, kid) = (fx.congress_id.clone(), fx.work_report.clone());
        block_on(async {
            let staff = organiser(&app).await;
            // Opening asks first, and says who is present.
            let open = format!("/c/{cid}/contests/{kid}/voting/open");
            let r = staff.post_unconfirmed(&open, &[]).await;
            assert_eq!(r.status(), 303);
            let loc = r.headers()["location"].to_str().unwrap().to_string();
            assert_eq!(loc, format!("/c/{cid}/confirm/contest-open?contest={kid}"));
            let (_, page) = staff.get_text(&loc).await;
            let says = format!("“{}”将开始投票", fixture::WORK_REPORT_TITLE);
            assert!(page.contains(&says), "{page}");
            assert_eq!(contest(&app, &kid).state.as_str(), "draft");

            let (_, phones) = with_voters(&app, &fx, 12).await;
            let mut papers = Vec::new();
            for p in &phones {
                papers.push(p.take_paper(&cid, &kid).await);
            }
            for (p, paper) in phones.iter().zip(&papers).take(3) {
                let r = p.cast(&cid, &kid, paper, &phone::vote("for")).await;
                assert_eq!(r.status, 303, "{}", r.body);
            }
            let close = format!("/c/{cid}/contests/{kid}/voting/close");
            let r = staff.post_unconfirmed(&close, &[]).await;
            assert_eq!(r.status(), 303);
            let loc = r.headers()["location"].to_str().unwrap().to_string();
            assert_eq!(loc, format!("/c/{cid}/confirm/contest-close?contest={kid}"));
            let (s, page) = staff.get_text(&loc).await;
            assert_eq!(s, 200);
            assert!(page.contains("9 张已发出的选票尚未收回"), "{page}");
            assert!(
                page.contains("已发出选票 12 张, 已投入投票箱 3 张"),
                "{page}"
            );
            assert!(page.contains(&format!("action=\"{close}\"")));
            assert_eq!(contest(&app, &kid).state.as_str(), "open", "not closed yet");
            // The ninth-from-last voter still gets in before the confirmation.
            let r = phones[3]
                .cast(&cid, &kid, &papers[3], &phone::vote("for"))
                .await;
            assert_eq!(r.status, 303);
            let (_, page) = staff.get_text(&loc).await;
            assert!(page.contains("8 张已发出的选票尚未收回"), "{page}");
            let r = staff.post_unconfirmed(&close, &[("confirm", "1")]).await;
            assert_eq!(r.status(), 303);
            assert_ne!(contest(&app, &kid).state.as_str(), "open");
            // Closed: the page no longer offers the button.
            let (_, page) = staff.get_text(&loc).await;
            assert!(!page.contains("name=\"confirm\""), "{page}");
            assert!(page.contains("不能结束投票"), "{page}");
        });
    }
);
