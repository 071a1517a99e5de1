//! Every returned paper ballot is entered as it is (issue 12.5): a blank motion paper, one
//! with both 赞成 and 反对 marked, and an election paper whose 另选他人 names a listed
//! candidate are stored and published as 废票 with their reasons; 收回 counts them.

use super::*;
use crate::common::Kind;
use congress::domain::ids::{CongressId, ContestId};
use congress::service::{self, Actor};

both_backends!(spoiled_paper_ballots_are_kept_as_invalid, |kind: Kind| {
    let app = TestApp::start(kind, "spoiled_paper");
    let fx = fixture::for_app(&app, 6);
    let cid = fx.congress_id.clone();
    let actor = Actor::cli("test");
    {
        let mut c = app.db.db.conn().unwrap();
        for no in 1..=6 {
            service::attendance::set_present(&mut c, &actor, &CongressId::from(&cid), no, true)
                .unwrap();
        }
    }
    block_on(async {
        let staff = organiser(&app).await;
        for kid in [&fx.work_report, &fx.election] {
            let (status, body) = open_contest(&staff, &cid, kid).await;
            assert_eq!(status, 303, "{body}");
        }
        // Every delegate votes on paper in the work report; two in the election.
        let report = format!("/c/{cid}/contests/{}/voting", fx.work_report);
        let election = format!("/c/{cid}/contests/{}/voting", fx.election);
        for no in 1..=6 {
            let n = no.to_string();
            let (s, _, body) = staff_post(
                &staff,
                &format!("{report}/paper/assign"),
                &[("delegate_no", &n)],
            )
            .await;
            assert_eq!(s, 303, "{body}");
        }
        for no in ["1", "2"] {
            let (s, _, _) = staff_post(
                &staff,
                &format!("{election}/paper/assign"),
                &[("delegate_no", no)],
            )
            .await;
            assert_eq!(s, 303);
        }
        let (_, page) = staff.get_text(&report).await;
        assert!(
            page.contains("name=\"mark.against\""),
            "the form has one box per mark"
        );
        let papers: [&[(&str, &str)]; 6] = [
            &[],                                         // blank
            &[("mark.for", "1"), ("mark.against", "1")], // both
            &[("mark.for", "1")],
            &[("mark.for", "1")],
            &[("mark.for", "1")],
            &[("vote", "against")],
        ];
        for fields in papers {
            let (s, _, body) = staff_post(&staff, &format!("{report}/paper/enter"), fields).await;
            assert_eq!(s, 303, "{body}");
        }
        // An election paper: 赵敏 赞成, and 张伟 (a listed candidate) written in as 另选他人.
        let listed = contests_repo::candidates(
            &mut app.db.db.conn().unwrap(),
            &ContestId::from(&fx.election),
        )
        .unwrap();
        let zhao = listed.iter().find(|c| c.name == "赵敏").unwrap();
        let m = format!("m.{}", zhao.id);
        let (s, _, body) = staff_post(
            &staff,
            &format!("{election}/paper/enter"),
            &[(m.as_str(), "for"), ("w1", "张伟")],
        )
        .await;
        assert_eq!(s, 303, "{body}");
        let (s, _, _) = staff_post(
            &staff,
            &format!("{election}/paper/enter"),
            &[(m.as_str(), "for")],
        )
        .await;
        assert_eq!(s, 303);

        // Stored as entered.
        let bodies: Vec<String> = stored_ballots(&app, &fx.work_report)
            .into_iter()
            .map(|b| b.body)
            .collect();
        assert_eq!(bodies.len(), 6, "收回 counts every returned paper");
        assert!(
            bodies.iter().any(|b| b.contains("\"vote\":[]")),
            "{bodies:?}"
        );
        assert!(bodies
            .iter()
            .any(|b| b.contains("\"vote\":[\"for\",\"against\"]")));
        assert!(stored_ballots(&app, &fx.election)
            .iter()
            .any(|b| b.body.contains("\"write_in\":[\"张伟\"]")));

        for kid in [&fx.work_report, &fx.election] {
            close_contest(&staff, &cid, kid).await;
        }
        // The board shows them, with their reasons; the result counts them as 废票.
        let anon = app.client();
        let (_, board) = anon.get_text(&format!("/b/{cid}/{}", fx.work_report)).await;
        assert!(board.contains("空白 (未作标记)"), "{board}");
        assert!(board.contains("赞成、反对 (同时标记)"), "{board}");
        assert!(
            board.contains("表决票未作任何标记 (空白票), 为废票 (规则 E3)"),
            "{board}"
        );
        assert!(board.contains("表决票同时标记了赞成和反对"), "{board}");
        let c = contest(&app, &fx.work_report);
        let result: serde_json::Value = serde_json::from_str(c.result.as_deref().unwrap()).unwrap();
        assert_eq!(
            (
                result["cast"].as_u64(),
                result["valid"].as_u64(),
                result["invalid"].as_u64()
            ),
            (Some(6), Some(4), Some(2))
        );
        assert_eq!(result["invalid_reasons"]["空白票"], 1);
        assert_eq!(result["invalid_reasons"]["表决票标记多于一项"], 1);
        let (_, board) = anon.get_text(&format!("/b/{cid}/{}", fx.election)).await;
        assert!(
            board.contains("另选他人 &quot;张伟&quot; 是已列候选人 (规则 E2)"),
            "{board}"
        );
        let c = contest(&app, &fx.election);
        let result: serde_json::Value = serde_json::from_str(c.result.as_deref().unwrap()).unwrap();
        assert_eq!(result["invalid_reasons"]["另选他人为已列候选人"], 1);
        assert_eq!(result["cast"], 2);
    });
});
