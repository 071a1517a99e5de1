//! Settings stay within the rules (issue 12.3): the API and the form refuse a quorum other
//! than 2/3 or 4/5 (D2), an election threshold other than 超过1/2 (F1) and presidium limits
//! above 5 / 3 (C1), a quota ratio below 1% (A1), an ordinary students' share below 60% (B2)
//! or a ranking requirement looser than 前30% (C3), with a Chinese 422 naming the rule; nothing is stored.

use congress::domain::settings::RuleProfile;
use congress::service::{self, Actor};
use congress::storage::repo::users::Role;
use serde_json::{json, Value};

use super::{block_on, entries, new_congress, stored};
use crate::common::forms::settings_fields;
use crate::common::http::TestApp;
use crate::common::Kind;

both_backends!(settings_outside_the_rules_are_refused, |kind: Kind| {
    let app = TestApp::start(kind, "settings_outside_the_rules");
    block_on(async {
        let org = app.login_as("tuanwei_he", Role::Organiser).await;
        let cid = new_congress(&org).await;
        let token = {
            let mut c = app.db.db.conn().unwrap();
            service::accounts::create_token(&mut c, &Actor::cli("test"), "tuanwei_he", "t").unwrap()
        };
        let http = reqwest::Client::new();
        let put = |body: Value| {
            http.put(app.url(&format!("/api/v1/congresses/{cid}/settings")))
                .bearer_auth(&token)
                .json(&body)
                .send()
        };
        let cases = [
            (
                json!({"quorum": {"num": 1, "den": 100, "strict": true}}),
                "规则D2: 法定人数只能为实到超过(或达到)应到的2/3或4/5, 不能为1/100",
            ),
            (
                json!({"quorum": {"num": 0, "den": 1, "strict": false}}),
                "规则D2: 法定人数只能为实到超过(或达到)应到的2/3或4/5, 不能为0/1",
            ),
            (
                json!({"quorum": {"num": 1, "den": 2, "strict": true}}),
                "不能为1/2",
            ),
            (
                json!({"election_threshold": {"base": "present",
                    "fraction": {"num": 1, "den": 100, "strict": false}}}),
                "规则F1: 当选须赞成票超过半数(超过1/2), 不能为“达到1/100(含)”",
            ),
            (
                json!({"max_seats_school": 9}),
                "规则C1: 主席团成员校级不超过5人",
            ),
            (
                json!({"quota_ratio_bp": 50}),
                "规则A1: 各学院代表名额不少于在校生的1%, 名额比例不能设为0.5%",
            ),
            (
                json!({"ordinary_min_pct": 50}),
                "规则B2: 普通同学代表不低于60%",
            ),
            (
                json!({"eligibility_rank_pct": 50}),
                "规则C3: 候选人学业排名须在专业前30%以内",
            ),
        ];
        for (body, message) in cases {
            let r = put(body.clone()).await.unwrap();
            assert_eq!(r.status(), 422, "{body}");
            let v: Value = r.json().await.unwrap();
            assert_eq!(v["message"], "规则设置有误");
            assert!(
                v["details"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|d| d.as_str().unwrap().contains(message)),
                "{body}: {v}"
            );
        }
        assert_eq!(stored(&app, &cid).settings, RuleProfile::default());
        assert!(entries(&app, &cid, "congress.edit_settings").is_empty());

        // What the rules allow is accepted: 4/5 inclusive, 超过1/2 of valid ballots.
        let ok = json!({"quorum": {"num": 4, "den": 5, "strict": false},
            "election_threshold": {"base": "valid_ballots",
                "fraction": {"num": 1, "den": 2, "strict": true}}});
        let r = put(ok).await.unwrap();
        assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
        assert_eq!(stored(&app, &cid).settings.quorum.num, 4);

        // The form says the same, field by field.
        let mut fields = settings_fields(&[
            ("max_seats_school", "8"),
            ("quorum_fraction", "1/100"),
            ("election_fraction", "1/100"),
            ("election_strict", "inclusive"),
        ]);
        let r = org
            .post_form(&format!("/c/{cid}/setup/settings"), &fields)
            .await;
        assert_eq!(r.status(), 422);
        let page = r.text().await.unwrap();
        for m in [
            "“法定人数比例”填写的是“1/100”, 应为“2/3”或“4/5”(规则D2)",
            "“当选票数比例”填写的是“达到(含)1/100”, 应为超过1/2(过半数, 规则F1)",
            "“校级主席团名额上限”填写的是“8”, 应为1到5之间的整数(规则C1)",
        ] {
            assert!(page.contains(m), "{m}: {page}");
        }
        assert_eq!(stored(&app, &cid).settings.quorum.num, 4);
        fields.retain(|(k, _)| !["max_seats_school", "quorum_fraction"].contains(k));
        fields.extend([("max_seats_school", "5"), ("quorum_fraction", "2/3")]);
        fields.retain(|(k, _)| !["election_fraction", "election_strict"].contains(k));
        fields.extend([("election_fraction", "1/2"), ("election_strict", "strict")]);
        let r = org
            .post_form(&format!("/c/{cid}/setup/settings"), &fields)
            .await;
        assert_eq!(r.status(), 303);
        assert_eq!(stored(&app, &cid).settings, RuleProfile::default());
    });
});
