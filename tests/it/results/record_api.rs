//! The record through the API: certifying, the signed record and addenda as JSON, the
//! proposed runoff declined before closing (F2), and the state machine's refusals.

use base64::Engine;
use serde_json::{json, Value};

use congress::service::{self, Actor};
use congress::storage::repo::users::Role;

use super::fixture::{counted, runoff};
use super::record::{dalek_verifies, public_key_pem, today};
use super::{block_on, sha256};
use crate::common::Kind;

both_backends!(record_through_the_api, |kind: Kind| {
    let w = counted(kind, "record_api");
    let token = |user: &str| {
        let mut c = w.conn();
        service::accounts::create_token(&mut c, &Actor::cli("test"), user, "测试").unwrap()
    };
    let owner = token("zuzhi");
    let pem = public_key_pem(&w);
    block_on(async {
        let scrutineer = w.app.login_as("jianpiao", Role::Scrutineer).await;
        w.link_scrutineer("jianpiao");
        drop(scrutineer);
        let scrut = token("jianpiao");
        let http = reqwest::Client::new();
        let url = |p: &str| format!("{}/api/v1/congresses/{}{p}", w.app.base, w.cid);
        let post = |p: &str, t: &str, body: Option<Value>| {
            let mut rb = http.post(url(p)).bearer_auth(t);
            if let Some(b) = body {
                rb = rb.json(&b);
            }
            rb.send()
        };
        assert_eq!(post("/certify", &owner, None).await.unwrap().status(), 409);
        assert_eq!(
            http.get(url("/record"))
                .bearer_auth(&owner)
                .send()
                .await
                .unwrap()
                .status(),
            404
        );
        assert_eq!(post("/close", &scrut, None).await.unwrap().status(), 403);
        // The proposed runoff: not closable until decided; declined through the API.
        let r = post("/close", &owner, None).await.unwrap();
        assert_eq!(r.status(), 422);
        let k = runoff(&w);
        let r = http
            .delete(url(&format!("/contests/{k}")))
            .bearer_auth(&owner)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 409);
        let r = post(
            &format!("/contests/{k}/not-held"),
            &owner,
            Some(json!({"reason": "改为减少名额 (规则F3)"})),
        )
        .await
        .unwrap();
        assert_eq!(r.status(), 200);
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["not_held_reason"], "改为减少名额 (规则F3)");
        assert_eq!(v["round_kind"], "runoff");
        let r = post(
            &format!("/contests/{k}/not-held"),
            &owner,
            Some(json!({"reason": "x"})),
        )
        .await
        .unwrap();
        assert_eq!(r.status(), 409, "decided once");
        let r = post("/close", &owner, None).await.unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(r.json::<Value>().await.unwrap()["state"], "closed");
        assert_eq!(post("/certify", &scrut, None).await.unwrap().status(), 403);
        let r = post("/certify", &owner, None).await.unwrap();
        assert_eq!(r.status(), 201);
        let body: Value = r.json().await.unwrap();
        let json_text = body["record"]["json"].as_str().unwrap();
        let sig = base64::engine::general_purpose::STANDARD
            .decode(body["record"]["sig"].as_str().unwrap())
            .unwrap();
        assert!(dalek_verifies(&pem, json_text.as_bytes(), &sig));
        let hash = hex::encode(sha256(json_text.as_bytes()));
        assert_eq!(body["record"]["sha256"], hash.as_str());
        assert_eq!(body["record"]["document"]["congress"]["id"], w.cid.as_str());
        assert_eq!(
            post("/certify", &owner, None).await.unwrap().status(),
            409,
            "certified once"
        );

        let r = post(
            "/addenda",
            &owner,
            Some(json!({"kind": "approval", "body": "中共示范大学委员会", "reference": "示大党字〔2026〕15号", "date": today()})),
        )
        .await
        .unwrap();
        assert_eq!(r.status(), 201);
        let a: Value = r.json().await.unwrap();
        assert_eq!(a["document"]["record_sha256"], hash.as_str());
        let asig = base64::engine::general_purpose::STANDARD
            .decode(a["sig"].as_str().unwrap())
            .unwrap();
        assert!(dalek_verifies(
            &pem,
            a["json"].as_str().unwrap().as_bytes(),
            &asig
        ));
        let r = post(
            "/addenda",
            &owner,
            Some(json!({"kind": "approval", "body": "", "date": "x"})),
        )
        .await
        .unwrap();
        assert_eq!(r.status(), 422);
        let err: Value = r.json().await.unwrap();
        assert_eq!(err["details"].as_array().unwrap().len(), 3, "{err}");

        let r = http
            .get(url("/record"))
            .bearer_auth(&scrut)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let got: Value = r.json().await.unwrap();
        assert_eq!(got["record"]["json"].as_str().unwrap(), json_text);
        assert_eq!(got["addenda"].as_array().unwrap().len(), 1);
        let r = http.get(url("/packet.zip")).send().await.unwrap();
        assert_eq!(r.status(), 401, "the packet holds the rolls");
    });
});
