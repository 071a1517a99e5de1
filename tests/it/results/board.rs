//! The public board: canonical bytes whose hashes and root recompute here, audit paths that
//! verify, the tracker check, refusals, and no delegate's name or number anywhere public.

use serde_json::Value;

use super::fixture::{counted, student_no, DELEGATES, ELECTION_TITLE, MOTION_TITLE};
use super::{audit_path, block_on, canonical, mth, sha256};
use crate::common::Kind;
use congress::domain::ids::ContestId;

/// Fetches a board anonymously: (status, content type, bytes).
async fn get_board(base: &str, cid: &str, kid: &str) -> (u16, String, Vec<u8>) {
    let r = reqwest::get(format!(
        "{base}/api/v1/congresses/{cid}/contests/{kid}/board.json"
    ))
    .await
    .unwrap();
    let status = r.status().as_u16();
    let ct = r
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, ct, r.bytes().await.unwrap().to_vec())
}

/// The ballots' hashes as published (board order), each recomputed from its canonical JSON.
fn hashes(board: &Value) -> Vec<[u8; 32]> {
    board["ballots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| sha256(canonical(b).as_bytes()))
        .collect()
}

both_backends!(board_json_is_canonical_and_recomputes, |kind: Kind| {
    let w = counted(kind, "board_json");
    block_on(async {
        let (status, ct, bytes) = get_board(&w.app.base, &w.cid, &w.election).await;
        assert_eq!(status, 200);
        assert_eq!(ct, "application/json");
        let board: Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(String::from_utf8(bytes.clone()).unwrap(), canonical(&board));
        assert_eq!(board["v"], 2);
        assert_eq!(board["kind"], "board");
        assert_eq!(board["congress"], w.cid.as_str());
        assert_eq!(board["contest"], w.election.as_str());
        assert_eq!(board["issued"], 10);
        assert_eq!(board["cast"], 10);
        let hs = hashes(&board);
        assert_eq!(hs.len(), 10);
        assert!(hs.windows(2).all(|p| p[0] < p[1]), "sorted and unique");
        assert_eq!(board["merkle_root"], hex::encode(mth(&hs)).as_str());
        // Every tracker handed out is on it; the board says one was on paper, never which:
        // every ballot is a v2 ballot with a token and a signature, and nothing more.
        let hex: Vec<String> = hs.iter().map(hex::encode).collect();
        for t in w.election_trackers.iter().chain([&w.paper_tracker]) {
            assert!(hex.contains(t), "{t} missing");
        }
        assert_eq!(board["paper"], 1);
        for b in board["ballots"].as_array().unwrap() {
            let keys: Vec<&String> = b.as_object().unwrap().keys().collect();
            assert_eq!(
                keys,
                ["choices", "congress", "contest", "token", "token_sig", "v"],
                "{b}"
            );
        }
        let pem = board["contest_key"].as_str().unwrap();
        let key = congress::crypto::blind::ContestPublicKey::from_spki_pem(pem).unwrap();
        assert_eq!(board["contest_key_fingerprint"], key.fingerprint().as_str());
        // The stored root is the one published, and the motion's board has its 9 ballots.
        let mut c = w.conn();
        let contest = congress::storage::repo::contests::get(&mut c, &ContestId::from(&w.election))
            .unwrap()
            .unwrap();
        assert_eq!(
            contest.merkle_root.as_deref(),
            board["merkle_root"].as_str()
        );
        let (_, _, motion) = get_board(&w.app.base, &w.cid, &w.motion).await;
        let motion: Value = serde_json::from_slice(&motion).unwrap();
        assert_eq!(
            (motion["issued"].as_u64(), motion["cast"].as_u64()),
            (Some(10), Some(9))
        );
        assert_eq!(
            motion["merkle_root"],
            hex::encode(mth(&hashes(&motion))).as_str()
        );
        // Unknown contest: a JSON 404.
        let (status, _, body) = get_board(&w.app.base, &w.cid, "tnosuchcontest").await;
        assert_eq!(status, 404);
        let err: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(err["code"], "not_found");
    });
});

both_backends!(proofs_verify_for_every_ballot, |kind: Kind| {
    let w = counted(kind, "proofs");
    block_on(async {
        let (_, _, bytes) = get_board(&w.app.base, &w.cid, &w.election).await;
        let board: Value = serde_json::from_slice(&bytes).unwrap();
        let hs = hashes(&board);
        let root = hex::encode(mth(&hs));
        for (i, h) in hs.iter().enumerate() {
            let url = format!(
                "{}/api/v1/congresses/{}/contests/{}/proof/{}",
                w.app.base,
                w.cid,
                w.election,
                hex::encode(h)
            );
            let r = reqwest::get(&url).await.unwrap();
            assert_eq!(r.status(), 200);
            let p: Value = r.json().await.unwrap();
            assert_eq!(p["index"], i);
            assert_eq!(p["tree_size"], 10);
            assert_eq!(p["root"], root.as_str());
            assert_eq!(p["ballot"], board["ballots"][i]);
            let expected: Vec<String> = audit_path(i, &hs).iter().map(hex::encode).collect();
            let served: Vec<String> = p["path"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap().to_string())
                .collect();
            assert_eq!(served, expected, "path of ballot {i}");
        }
        let base = format!(
            "{}/api/v1/congresses/{}/contests/{}/proof/",
            w.app.base, w.cid, w.election
        );
        // A motion ballot is not on the election's board; a malformed hash is a 400.
        let r = reqwest::get(format!("{base}{}", w.motion_trackers[0]))
            .await
            .unwrap();
        assert_eq!(r.status(), 404);
        let r = reqwest::get(format!("{base}xyz")).await.unwrap();
        assert_eq!(r.status(), 400);
    });
});

both_backends!(
    check_page_finds_a_tracker_and_refuses_others,
    |kind: Kind| {
        let w = counted(kind, "check_page");
        block_on(async {
            let anon = w.app.client();
            let t = &w.election_trackers[3];
            let (status, page) = anon
                .get_text(&format!("/b/{}/check?hash={}", w.cid, t.to_uppercase()))
                .await;
            assert_eq!(status, 200, "{page}");
            assert!(page.contains(ELECTION_TITLE));
            assert!(page.contains("默克尔证明核验通过"));
            assert!(page.contains("验证通过, 最后一步的结果等于公示的默克尔根"));
            assert!(page.contains(t.as_str()));
            // The steps: the leaf hash computed here appears, and the root closes the list.
            let mut leaf = vec![0u8];
            leaf.extend_from_slice(&hex::decode(t).unwrap());
            assert!(page.contains(&hex::encode(sha256(&leaf))));
            let (_, _, bytes) = get_board(&w.app.base, &w.cid, &w.election).await;
            let board: Value = serde_json::from_slice(&bytes).unwrap();
            assert!(page.contains(board["merkle_root"].as_str().unwrap()));
            // A motion tracker is found on the motion's board.
            let (status, page) = anon
                .get_text(&format!("/b/{}/check?hash={}", w.cid, w.motion_trackers[0]))
                .await;
            assert_eq!(status, 200);
            assert!(page.contains(MOTION_TITLE));

            let unknown = "0".repeat(64);
            let (status, page) = anon
                .get_text(&format!("/b/{}/check?hash={unknown}", w.cid))
                .await;
            assert_eq!(status, 404);
            assert!(page.contains("不在本大会任何已公示的选票中"), "{page}");
            let (status, page) = anon.get_text(&format!("/b/{}/check?hash=abc", w.cid)).await;
            assert_eq!(status, 400);
            assert!(page.contains("现为 3 个字符"));
            let (status, page) = anon.get_text(&format!("/b/{}/check", w.cid)).await;
            assert_eq!(status, 200);
            assert!(page.contains("name=\"hash\""));
        });
    }
);

both_backends!(a_ballot_not_yet_counted_is_not_published, |kind: Kind| {
    let w = super::fixture::voted(kind, "not_yet");
    block_on(async {
        let anon = w.app.client();
        let (status, _, _) = get_board(&w.app.base, &w.cid, &w.election).await;
        assert_eq!(status, 404);
        let (status, page) = anon
            .get_text(&format!(
                "/b/{}/check?hash={}",
                w.cid, w.election_trackers[0]
            ))
            .await;
        assert_eq!(status, 404);
        assert!(page.contains("计票完成后会出现在公示中"), "{page}");
        let (status, _) = anon.get_text(&format!("/b/{}/{}", w.cid, w.election)).await;
        assert_eq!(status, 404);
    });
});

both_backends!(public_pages_carry_no_personal_data, |kind: Kind| {
    let w = counted(kind, "no_personal_data");
    block_on(async {
        let anon = w.app.client();
        let mut pages = Vec::new();
        for path in [
            format!("/b/{}", w.cid),
            format!("/b/{}/{}", w.cid, w.election),
            format!("/b/{}/{}", w.cid, w.motion),
            format!("/b/{}/{}/result", w.cid, w.election),
            format!("/b/{}/{}/result", w.cid, w.motion),
            format!("/b/{}/screen", w.cid),
            format!("/b/{}/check?hash={}", w.cid, w.paper_tracker),
        ] {
            let (status, page) = anon.get_text(&path).await;
            assert_eq!(status, 200, "{path}");
            pages.push((path, page));
        }
        for kid in [&w.election, &w.motion] {
            let (_, _, bytes) = get_board(&w.app.base, &w.cid, kid).await;
            pages.push((kid.clone(), String::from_utf8(bytes).unwrap()));
        }
        for (path, page) in &pages {
            for (i, (name, _, _)) in DELEGATES.iter().enumerate() {
                assert!(!page.contains(name), "{name} on {path}");
                assert!(!page.contains(&student_no(i)), "student number on {path}");
            }
            for word in ["代表编号", "delegate"] {
                assert!(!page.contains(word), "{word} on {path}");
            }
        }
        // The board page shows the ballots: 10 rows, one 废票; one paper ballot, not which.
        let (_, board_page) = &pages[1];
        assert_eq!(board_page.matches("<tr id=\"b").count(), 10);
        assert_eq!(board_page.matches("废票: ").count(), 1);
        assert!(
            board_page.contains("<dt>其中纸质选票</dt><dd>1 张"),
            "{board_page}"
        );
        assert!(!board_page.contains("<td>纸质</td>"));
        assert_eq!(board_page.matches("<td>赞成: ").count(), 10);
        assert!(
            board_page.contains("不赞成: 王芳"),
            "ballot 1 is against 王芳"
        );
    });
});

test!(the_openapi_document_lists_the_public_and_record_endpoints);
fn the_openapi_document_lists_the_public_and_record_endpoints() {
    let app = crate::common::http::TestApp::start(Kind::Sqlite, "openapi");
    let doc: Value = block_on(async {
        reqwest::get(app.url("/api/openapi.json"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    });
    let paths = doc["paths"].as_object().unwrap();
    let board = &paths["/api/v1/congresses/{cid}/contests/{id}/board.json"]["get"];
    assert!(board.get("security").is_none(), "boards need no token");
    assert!(paths["/api/v1/congresses/{cid}/contests/{id}/proof/{ballot_hash}"]["get"].is_object());
    for p in ["/record", "/close", "/certify", "/addenda", "/packet.zip"] {
        let key = format!("/api/v1/congresses/{{cid}}{p}");
        assert!(paths.contains_key(&key), "{key} missing");
    }
    assert!(paths["/api/v1/congresses/{cid}/certify"]["post"]["security"].is_array());
}
