//! Issue 16, items 1 and 2, end to end over HTTP on both backends: a congress whose presidium
//! candidates go through 校党委批准, 请示上级学联 and 公示 with one objection (C5-C7); a contest
//! refused before the notice ends and opened with a recorded reason (C6); the applications to
//! the upper 学联 as printable documents and signed JSON, and the session refused before the
//! reply (G4).

mod browser;
mod fixture;

use congress::crypto::PublicKey;
use congress::service::addenda::today_cst;
use serde_json::Value;

use self::fixture::{block_on, days_ago, World};
use crate::common::Kind;

both_backends!(
    candidates_approved_noticed_with_one_objection,
    |kind: Kind| {
        let w = World::new(kind, "approval_objection");
        block_on(async {
            let cid = &w.cid;
            let org = &w.org;
            // G4: the session cannot open before the reply to the application to convene.
            let r = org.post_form(&format!("/c/{cid}/session/open"), &[]).await;
            assert_eq!(r.status(), 409);
            assert!(r.text().await.unwrap().contains("规则G4"));
            let seq = w.apply_convene().await;
            let r = org
                .post_form(
                    &format!("/c/{cid}/approval/replies"),
                    &[
                        ("application", &seq.to_string()),
                        ("body", "省学联"),
                        ("reference", "省学联函〔2026〕12号"),
                        ("reply", "同意召开"),
                        ("date", &today_cst().to_string()),
                    ],
                )
                .await;
            assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
            w.open_session().await;

            // The organiser enters what the notice shows of a candidate.
            let first = w.candidate("王芳");
            let r = org
                .post_form(
                    &format!(
                        "/c/{cid}/approval/contests/{}/candidates/{first}",
                        w.election
                    ),
                    &[
                        ("grade", "2023级"),
                        ("union_post", "校学生会副主席"),
                        ("profile", "曾任文学院学生会主席, 组织“书香校园”读书月。"),
                    ],
                )
                .await;
            assert_eq!(r.status(), 303);

            // Nothing recorded yet: refused, every missing step named.
            let text = w.open_contest(422).await;
            assert!(text.contains("规则C5") && text.contains("规则C6"), "{text}");
            // The request and the notice follow the approval of the same list.
            let r = w.step(&[("kind", "notice"), ("date", &days_ago(20))]).await;
            assert_eq!(r.status(), 409);
            assert!(r.text().await.unwrap().contains("须先登记校党委"));
            // A future date is refused.
            let tomorrow = today_cst().succ_opt().unwrap().to_string();
            let r = w
                .step(&[
                    ("kind", "party_approval"),
                    ("body", "中共示范大学委员会"),
                    ("reference", "示党〔2026〕8号"),
                    ("date", &tomorrow),
                ])
                .await;
            assert_eq!(r.status(), 422);
            w.approve_and_request(&days_ago(25)).await;
            let r = w
                .step(&[
                    ("kind", "notice"),
                    ("date", &days_ago(20)),
                    ("holidays", "2026-10-01~2026-10-08"),
                    ("workdays", ""),
                ])
                .await;
            assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());

            // The public page: no login, the list in ballot order with the entered notes.
            let public = w.app.client();
            let (status, page) = public.get_text(&format!("/b/{cid}/notice")).await;
            assert_eq!(status, 200);
            for name in fixture::CANDIDATES {
                assert!(page.contains(name), "{name} on the notice");
            }
            assert!(page.contains("校学生会副主席") && page.contains("书香校园"));
            assert!(page.contains("公示期已满"), "{page}");
            assert!(
                !page.contains("http://") && !page.contains("https://"),
                "no external requests"
            );
            // An objection without the page's CSRF token is refused.
            let r = public
                .post_raw(
                    &format!("/b/{cid}/notice/objections"),
                    &[
                        ("candidate_id", &first),
                        ("body", "x"),
                        ("name", "x"),
                        ("contact", "x"),
                    ],
                )
                .await;
            assert_eq!(r.status(), 403);
            let csrf = crate::common::http::csrf_in(&page).expect("csrf on the notice page");
            let r = public
                .post_raw(
                    &format!("/b/{cid}/notice/objections"),
                    &[
                        ("csrf", &csrf),
                        ("candidate_id", &first),
                        ("body", "该同学上学期有一门课程补考, 与公示的学业情况不符。"),
                        ("name", "赵同学"),
                        ("contact", "13800138000"),
                    ],
                )
                .await;
            assert_eq!(r.status(), 303);
            let (_, page) = public.get_text(&format!("/b/{cid}/notice?sent=1")).await;
            assert!(page.contains("异议已收到"));
            assert!(
                !page.contains("13800138000") && !page.contains("赵同学"),
                "contact never public"
            );

            // C7: an objection not yet handled blocks the opening.
            let text = w.open_contest(422).await;
            assert!(
                text.contains("规则C7") && !text.contains("规则C6"),
                "{text}"
            );
            let (_, own) = org.get_text(&format!("/c/{cid}/approval")).await;
            assert!(
                own.contains("13800138000"),
                "the organiser sees the contact"
            );
            let oid = fixture::objection_id(&own);
            let r = org
                .post_form(
                    &format!("/c/{cid}/approval/objections/{oid}"),
                    &[(
                        "handling",
                        "经核实, 补考课程已通过, 符合候选人条件(规则C3), 已电话答复。",
                    )],
                )
                .await;
            assert_eq!(r.status(), 303);
            // Handled once; the handling is a signed step without the contact.
            let r = org
                .post_form(
                    &format!("/c/{cid}/approval/objections/{oid}"),
                    &[("handling", "再答")],
                )
                .await;
            assert_eq!(r.status(), 409);
            let steps = w.steps_json().await;
            let handled = steps
                .iter()
                .find(|s| s["kind"] == "objection")
                .expect("objection step");
            assert!(handled["data"]["handling"]
                .as_str()
                .unwrap()
                .contains("补考课程已通过"));
            assert!(!handled.to_string().contains("13800138000"));
            let notice = steps.iter().find(|s| s["kind"] == "notice").unwrap();
            // 20 days ago + 5 working days: ended; its end and list are in the signed file.
            assert_eq!(notice["data"]["days"], 5);
            assert_eq!(
                notice["data"]["candidates"][0]["profile"]
                    .as_str()
                    .map(|p| p.contains("书香校园")),
                Some(true)
            );
            for s in &steps {
                if s.get("contest").is_some() {
                    assert_eq!(s["candidates_sha256"], notice["candidates_sha256"]);
                }
            }
            // The audit log kept every step.
            let (_, audit) = org.get_text(&format!("/c/{cid}/audit")).await;
            for a in [
                "approval.party_approval",
                "approval.notice",
                "approval.objection",
            ] {
                assert!(audit.contains(a), "{a} audited");
            }

            // Everything done: the contest opens.
            w.open_contest(303).await;
        });
        // Through to the filing packet: the steps are in it and verify, in Rust and in Python.
        let dir = w.filing_packet();
        let names: Vec<String> = std::fs::read_dir(dir.path().join("approval"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            names.iter().any(|n| n.ends_with(".notice.json")),
            "{names:?}"
        );
        assert!(
            names.iter().any(|n| n.ends_with(".objection.sig")),
            "{names:?}"
        );
        let checks = congress::packet::verify_packet(dir.path(), None);
        let bad: Vec<_> = checks.failures().map(|c| (&c.code, &c.detail)).collect();
        assert!(checks.all_ok(), "{bad:?}");
        assert!(checks
            .items
            .iter()
            .any(|c| c.code == "approval.list" && c.ok));
        let out = std::process::Command::new("python3")
            .arg(dir.path().join("verify_packet.py"))
            .arg(dir.path())
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{text}");
        assert!(
            text.contains("approval and request refer to the noticed list"),
            "{text}"
        );
    }
);

both_backends!(
    presidium_contest_refused_before_the_notice_ends,
    |kind: Kind| {
        let w = World::new(kind, "approval_early");
        block_on(async {
            let cid = &w.cid;
            w.apply_convene().await;
            // No reply: opening the session needs a recorded reason.
            let r = w
                .org
                .post_form(
                    &format!("/c/{cid}/approval/session-override"),
                    &[("reason", " ")],
                )
                .await;
            assert_eq!(r.status(), 422);
            let r = w
                .org
                .post_form(
                    &format!("/c/{cid}/approval/session-override"),
                    &[("reason", "省学联答复函已口头同意, 书面答复在途")],
                )
                .await;
            assert_eq!(r.status(), 303);
            w.open_session().await;
            let today = today_cst().to_string();
            w.approve_and_request(&today).await;
            let r = w.step(&[("kind", "notice"), ("date", &today)]).await;
            assert_eq!(r.status(), 303);
            let text = w.open_contest(422).await;
            assert!(
                text.contains("规则C6") && text.contains("公示期满"),
                "{text}"
            );
            assert!(!text.contains("规则C5"), "{text}");
            // A change to the list makes every step stale.
            let first = w.candidate("王芳");
            let r = w
                .org
                .post_form(
                    &format!(
                        "/c/{cid}/approval/contests/{}/candidates/{first}",
                        w.election
                    ),
                    &[("grade", "2022级"), ("union_post", ""), ("profile", "")],
                )
                .await;
            assert_eq!(r.status(), 303);
            let text = w.open_contest(422).await;
            assert!(text.contains("不是现在的候选人名单"), "{text}");
            // Back to the noticed list (the same notes as before: none).
            let r = w
                .org
                .post_form(
                    &format!(
                        "/c/{cid}/approval/contests/{}/candidates/{first}",
                        w.election
                    ),
                    &[("grade", ""), ("union_post", ""), ("profile", "")],
                )
                .await;
            assert_eq!(r.status(), 303);
            let text = w.open_contest(422).await;
            assert!(
                text.contains("规则C6") && !text.contains("不是现在"),
                "{text}"
            );
            // The organiser overrides the notice's end with a reason: signed, and then it opens.
            let r = w.step(&[("kind", "notice_override"), ("reason", "")]).await;
            assert_eq!(r.status(), 422);
            let reason = "学代会会期经校党委调整提前, 公示期内未收到异议";
            let r = w
                .step(&[("kind", "notice_override"), ("reason", reason)])
                .await;
            assert_eq!(r.status(), 303);
            let steps = w.steps_json().await;
            let o = steps
                .iter()
                .find(|s| s["kind"] == "notice_override")
                .unwrap();
            assert_eq!(o["data"]["reason"], reason);
            let s = steps
                .iter()
                .find(|s| s["kind"] == "session_override")
                .unwrap();
            assert!(s["data"]["reason"].as_str().unwrap().contains("口头同意"));
            w.open_contest(303).await;
        });
    }
);

both_backends!(application_documents_printable_and_signed, |kind: Kind| {
    let w = World::new(kind, "approval_documents");
    block_on(async {
        let cid = &w.cid;
        let seq = w.apply_convene().await;
        let (status, doc) = w
            .org
            .get_text(&format!("/c/{cid}/approval/steps/{seq}"))
            .await;
        assert_eq!(status, 200);
        assert!(
            doc.contains("关于召开示范大学第十次学生代表大会的请示"),
            "{doc}"
        );
        assert!(doc.contains("省学联") && doc.contains("2026年12月1日"));
        for college in fixture::COLLEGES {
            assert!(doc.contains(college), "{college} in the table");
        }
        for name in fixture::CANDIDATES {
            assert!(doc.contains(name), "{name} on the list");
        }
        assert!(doc.contains("print.css"), "print CSS");
        // The signed JSON: exactly the bytes the raw signature covers, by the congress key.
        let json = w
            .org
            .get(&format!("/c/{cid}/approval/steps/{seq}/json"))
            .await;
        assert_eq!(json.status(), 200);
        let bytes = json.bytes().await.unwrap();
        let sig = w
            .org
            .get(&format!("/c/{cid}/approval/steps/{seq}/sig"))
            .await
            .bytes()
            .await
            .unwrap();
        assert_eq!(sig.len(), 64);
        let key = PublicKey::from_spki_pem(&w.public_key_pem()).unwrap();
        assert!(key.verify(&bytes, &sig));
        let mut tampered = bytes.to_vec();
        tampered[10] ^= 1;
        assert!(!key.verify(&tampered, &sig));
        let v: Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(v["kind"], "application_convene");
        assert_eq!(v["data"]["delegates_total"], 12);
        assert_eq!(
            v["data"]["delegates_by_college"].as_array().unwrap().len(),
            3
        );
        assert_eq!(
            v["data"]["candidate_lists"][0]["candidates"]
                .as_array()
                .unwrap()
                .len(),
            5
        );
        assert_eq!(v["data"]["roster_summary"]["total"], 12);
        // An application of no known kind is refused, saying which kinds exist; nothing is
        // recorded (the charter below is the very next step).
        let r = w
            .org
            .post_form(
                &format!("/c/{cid}/approval/applications"),
                &[("kind", "chartre"), ("body", "省学联")],
            )
            .await;
        assert_eq!(r.status(), 400);
        let body = r.text().await.unwrap();
        assert!(body.contains("申请类别“chartre”无效"), "{body}");
        // The charter application, and its reply naming it by hash.
        let r = w
            .org
            .post_form(
                &format!("/c/{cid}/approval/applications"),
                &[
                    ("kind", "charter"),
                    ("body", "省学联"),
                    ("title", "示范大学学生会章程(修订稿)"),
                    ("text", "第一章 总则\n第一条 示范大学学生会是……"),
                ],
            )
            .await;
        assert_eq!(r.status(), 303);
        let loc = r.headers()["location"].to_str().unwrap().to_string();
        let (_, doc) = w.org.get_text(&loc).await;
        assert!(
            doc.contains("关于报请核准《示范大学学生会章程(修订稿)》的请示"),
            "{doc}"
        );
        assert!(doc.contains("第一条 示范大学学生会"));
        let charter_seq = loc.rsplit('/').next().unwrap().to_string();
        assert_eq!(
            charter_seq,
            (seq + 1).to_string(),
            "the refused one took no number"
        );
        let r = w
            .org
            .post_form(
                &format!("/c/{cid}/approval/replies"),
                &[
                    ("application", &charter_seq),
                    ("body", "省学联"),
                    ("reference", ""),
                    ("reply", "同意核准"),
                    ("date", &today_cst().to_string()),
                ],
            )
            .await;
        assert_eq!(r.status(), 303);
        let steps = w.steps_json().await;
        let reply = steps.iter().find(|s| s["kind"] == "reply").unwrap();
        let charter_bytes = w
            .org
            .get(&format!("/c/{cid}/approval/steps/{charter_seq}/json"))
            .await
            .bytes()
            .await
            .unwrap();
        assert_eq!(
            reply["data"]["application_sha256"],
            congress::crypto::sha256_hex(&charter_bytes)
        );
        // The charter's reply is not the convene's: the session is still refused (G4).
        let r = w
            .org
            .post_form(&format!("/c/{cid}/session/open"), &[])
            .await;
        assert_eq!(r.status(), 409);
        // Another organiser can neither read nor write these.
        let other = w
            .app
            .login_as("other", congress::storage::repo::users::Role::Organiser)
            .await;
        let (status, _) = other
            .get_text(&format!("/c/{cid}/approval/steps/{seq}/json"))
            .await;
        assert_eq!(status, 403);
        let r = other
            .post_form(
                &format!("/c/{cid}/approval/session-override"),
                &[("reason", "x")],
            )
            .await;
        assert_eq!(r.status(), 403);
    });
});

both_backends!(objections_are_throttled_per_address, |kind: Kind| {
    let w = World::new(kind, "approval_throttle");
    block_on(async {
        let cid = &w.cid;
        w.approve_and_request(&today_cst().to_string()).await;
        let r = w
            .step(&[("kind", "notice"), ("date", &today_cst().to_string())])
            .await;
        assert_eq!(r.status(), 303);
        let public = w.app.client();
        let (_, page) = public.get_text(&format!("/b/{cid}/notice")).await;
        assert!(page.contains("公示中"));
        let csrf = crate::common::http::csrf_in(&page).unwrap();
        let first = w.candidate("王芳");
        let mut statuses = Vec::new();
        for i in 0..6 {
            let body = format!("第{i}条意见");
            let r = public
                .post_raw(
                    &format!("/b/{cid}/notice/objections"),
                    &[
                        ("csrf", &csrf),
                        ("candidate_id", &first),
                        ("body", &body),
                        ("name", "钱同学"),
                        ("contact", "qian@example.edu.cn"),
                    ],
                )
                .await;
            statuses.push(r.status().as_u16());
        }
        assert_eq!(statuses, [303, 303, 303, 303, 303, 429]);
        // A candidate not on notice is refused with a reason.
        let r = public
            .post_raw(
                &format!("/b/{cid}/notice/objections"),
                &[
                    ("csrf", &csrf),
                    ("candidate_id", "nobody"),
                    ("body", "x"),
                    ("name", "x"),
                    ("contact", "x"),
                ],
            )
            .await;
        assert_eq!(r.status(), 429, "still throttled");
    });
});
