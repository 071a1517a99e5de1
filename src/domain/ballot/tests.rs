//! Hand-worked cases for ballot content, JSON and validity (E2, E3, E5).

use std::collections::BTreeMap;

use serde_json::json;

use super::*;

/// 主席团 election: 3 seats, 4 candidates in stroke order, write-ins allowed.
fn paper() -> ElectionPaper {
    ElectionPaper {
        seats: 3,
        candidates: vec!["c1".into(), "c2".into(), "c3".into(), "c4".into()],
        candidate_names: vec!["王芳".into(), "刘洋".into(), "李娜".into(), "张伟".into()],
        allow_write_in: true,
    }
}

fn marked(pairs: &[(&str, Mark)]) -> BTreeMap<String, Mark> {
    pairs.iter().map(|(id, m)| (id.to_string(), *m)).collect()
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn unmarked_candidates_become_abstain() {
    let c = paper()
        .fill(&marked(&[("c1", Mark::For), ("c3", Mark::Against)]), &[])
        .unwrap();
    let want = marked(&[
        ("c1", Mark::For),
        ("c2", Mark::Abstain),
        ("c3", Mark::Against),
        ("c4", Mark::Abstain),
    ]);
    assert_eq!(
        c,
        Choices::Election {
            marks: want,
            write_ins: vec![]
        }
    );
}

/// A token as the phone makes it (128 hex) and a signature-shaped base64 string.
fn token() -> String {
    "0123456789abcdef".repeat(8)
}

fn sig() -> String {
    "AAEC".repeat(86)
}

#[test]
fn ballot_json_is_exactly_the_published_shape() {
    let choices = paper()
        .fill(
            &marked(&[("c1", Mark::For), ("c2", Mark::Against)]),
            &names(&[" 陈静 "]),
        )
        .unwrap();
    let signed = Ballot::signed("xdh-2025", "zxt", choices.clone(), &token(), &sig());
    assert_eq!(
        signed.to_value(),
        json!({"v":2,"congress":"xdh-2025","contest":"zxt",
               "choices":{"c1":"for","c2":"against","c3":"abstain","c4":"abstain",
                          "write_in":["陈静"]},
               "token":token(),"token_sig":sig()})
    );
    assert_eq!(Ballot::from_value(&signed.to_value()).unwrap(), signed);

    // Version 1 is still read and written back byte for byte (old packets).
    let phone = Ballot {
        congress: "xdh-2025".into(),
        contest: "zxt".into(),
        choices,
        serial: Serial::Unsigned {
            id: "7f3a9c".into(),
            paper: false,
        },
    };
    assert_eq!(
        phone.to_value(),
        json!({"v":1,"congress":"xdh-2025","contest":"zxt","ballot":"7f3a9c",
               "choices":{"c1":"for","c2":"against","c3":"abstain","c4":"abstain",
                          "write_in":["陈静"]}})
    );
    let on_paper = Ballot {
        serial: Serial::Unsigned {
            id: "7f3a9c".into(),
            paper: true,
        },
        ..phone.clone()
    };
    assert_eq!(on_paper.to_value()["paper"], json!(true));
    assert_eq!(Ballot::from_value(&on_paper.to_value()).unwrap(), on_paper);
    assert_eq!(Ballot::from_value(&phone.to_value()).unwrap(), phone);

    // No write-ins: no "write_in" key at all.
    let plain = paper().fill(&marked(&[]), &[]).unwrap();
    assert_eq!(
        plain.to_value(),
        json!({"c1":"abstain","c2":"abstain","c3":"abstain","c4":"abstain"})
    );
}

#[test]
fn motion_json_roundtrips() {
    let b = Ballot::signed(
        "xdh-2025",
        "gzbg",
        Choices::Motion {
            vote: Mark::Against,
        },
        &token(),
        &sig(),
    );
    let v = b.to_value();
    assert_eq!(v["choices"], json!({"vote":"against"}));
    assert_eq!(Ballot::from_value(&v).unwrap(), b);
}

#[test]
fn v2_serial_is_strict() {
    let good = json!({"v":2,"congress":"x","contest":"y","choices":{"vote":"for"},
                      "token":token(),"token_sig":sig()});
    assert!(Ballot::from_value(&good).is_ok());
    let with = |key: &str, val: serde_json::Value| {
        let mut v = good.clone();
        v[key] = val;
        Ballot::from_value(&v)
    };
    for bad in [
        token().to_uppercase(),
        token()[..126].to_string(),
        format!("{}0", token()),
        token().replace('a', "g"),
    ] {
        assert!(
            matches!(with("token", json!(bad)), Err(BallotError::BadToken { .. })),
            "{bad}"
        );
    }
    // Unpadded, URL-safe alphabet, stray trailing bits, empty: one spelling only.
    for bad in [
        "AAEC".repeat(85) + "AA",
        "-_8=".repeat(3),
        "AB==".into(),
        "".into(),
    ] {
        assert!(with("token_sig", json!(bad)).is_err(), "{bad}");
    }
    assert!(matches!(
        with("ballot", json!("z")),
        Err(BallotError::UnknownKey { .. })
    ));
    assert!(matches!(
        with("paper", json!(true)),
        Err(BallotError::UnknownKey { .. })
    ));
    let mut unsigned = good.clone();
    unsigned.as_object_mut().unwrap().remove("token_sig");
    assert_eq!(
        Ballot::from_value(&unsigned),
        Err(BallotError::MissingKey { key: "token_sig" })
    );
    assert!(matches!(
        with("v", json!(3)),
        Err(BallotError::Version { .. })
    ));
}

#[test]
fn from_value_is_strict() {
    let good = json!({"v":1,"congress":"x","contest":"y","ballot":"z","choices":{"vote":"for"}});
    assert!(Ballot::from_value(&good).is_ok());
    let with = |key: &str, val: serde_json::Value| {
        let mut v = good.clone();
        v[key] = val;
        Ballot::from_value(&v)
    };
    assert_eq!(
        with("v", json!(3)),
        Err(BallotError::Version { found: "3".into() })
    );
    assert!(matches!(
        with("v", json!(2)),
        Err(BallotError::UnknownKey { .. })
    ));
    assert!(matches!(
        with("v", json!("1")),
        Err(BallotError::Version { .. })
    ));
    assert!(matches!(
        with("extra", json!(1)),
        Err(BallotError::UnknownKey { .. })
    ));
    assert_eq!(with("paper", json!(false)), Err(BallotError::PaperNotTrue));
    assert_eq!(
        with("ballot", json!("")),
        Err(BallotError::Empty { key: "ballot" })
    );
    assert!(matches!(
        with("contest", json!(7)),
        Err(BallotError::WrongType { .. })
    ));
    assert!(matches!(
        with("choices", json!({"vote":"yes"})),
        Err(BallotError::BadMark { .. })
    ));
    assert!(matches!(
        with("choices", json!({"vote":"for","c1":"for"})),
        Err(BallotError::UnknownKey { .. })
    ));
    assert!(matches!(
        with("choices", json!({"c1":"For"})),
        Err(BallotError::BadMark { .. })
    ));
    let bad_write_ins = [
        json!([]),
        json!(["陈静", "陈静"]),
        json!([" 陈静"]),
        json!([""]),
    ];
    for w in bad_write_ins {
        let r = with("choices", json!({"c1":"for","write_in":w}));
        assert!(r.is_err(), "write_in {w} must be refused");
    }
    let mut missing = good.clone();
    missing.as_object_mut().unwrap().remove("choices");
    assert_eq!(
        Ballot::from_value(&missing),
        Err(BallotError::MissingKey { key: "choices" })
    );
    assert!(Ballot::from_value(&json!([1])).is_err());
}

#[test]
fn fill_refuses_what_the_rules_forbid() {
    let p = paper();
    assert_eq!(
        p.fill(&marked(&[("c9", Mark::For)]), &[]),
        Err(BallotError::UnknownCandidate { id: "c9".into() })
    );
    // A write-in that is a listed candidate (E2), even with a full-width space around it.
    assert_eq!(
        p.fill(&marked(&[]), &names(&["\u{3000}李娜 "])),
        Err(BallotError::WriteInIsCandidate {
            name: "李娜".into()
        })
    );
    assert_eq!(
        p.fill(&marked(&[]), &names(&["陈静", "  "])),
        Err(BallotError::WriteInEmpty { position: 2 })
    );
    assert_eq!(
        p.fill(&marked(&[]), &names(&["陈静", "陈静 "])),
        Err(BallotError::WriteInDuplicate {
            name: "陈静".into()
        })
    );
    let fifty = "字".repeat(50);
    assert!(p.fill(&marked(&[]), std::slice::from_ref(&fifty)).is_ok());
    assert_eq!(
        p.fill(&marked(&[]), &[format!("{fifty}长")]),
        Err(BallotError::WriteInTooLong {
            name: format!("{fifty}长"),
            chars: 51
        })
    );
    let closed = ElectionPaper {
        allow_write_in: false,
        ..p
    };
    assert_eq!(
        closed.fill(&marked(&[]), &names(&["陈静"])),
        Err(BallotError::WriteInNotAllowed)
    );
}

#[test]
fn paper_check_refuses_reserved_duplicate_and_empty_ids() {
    let with_ids = |ids: &[&str]| ElectionPaper {
        candidates: names(ids),
        candidate_names: names(&["甲", "乙"][..ids.len()]),
        ..paper()
    };
    assert_eq!(
        with_ids(&["c1", "write_in"]).check(),
        Err(BallotError::ReservedCandidateId {
            id: "write_in".into()
        })
    );
    assert_eq!(
        with_ids(&["vote"]).check(),
        Err(BallotError::ReservedCandidateId { id: "vote".into() })
    );
    assert_eq!(
        with_ids(&["c1", "c1"]).check(),
        Err(BallotError::DuplicateCandidateId { id: "c1".into() })
    );
    assert_eq!(
        with_ids(&["c1", ""]).check(),
        Err(BallotError::EmptyCandidateId { position: 2 })
    );
    assert_eq!(
        ElectionPaper {
            seats: 0,
            ..paper()
        }
        .check(),
        Err(BallotError::NoSeats)
    );
    let short = ElectionPaper {
        candidate_names: names(&["王芳"]),
        ..paper()
    };
    assert_eq!(
        short.check(),
        Err(BallotError::NamesMismatch { ids: 4, names: 1 })
    );
    // fill refuses to build on a broken paper.
    assert!(with_ids(&["c1", "c1"]).fill(&marked(&[]), &[]).is_err());
}

#[test]
fn more_for_marks_plus_write_ins_than_seats_is_void_ballot() {
    let p = paper();
    // 3 seats: 2 for + 1 write-in = 3, valid.
    let at_limit = p
        .fill(
            &marked(&[("c1", Mark::For), ("c2", Mark::For)]),
            &names(&["陈静"]),
        )
        .unwrap();
    assert_eq!(p.validity(&at_limit), Validity::Valid);
    // 3 for + 1 write-in = 4 > 3: the whole ballot is 废票 (E2), yet fill builds it.
    let over = p
        .fill(
            &marked(&[("c1", Mark::For), ("c2", Mark::For), ("c4", Mark::For)]),
            &names(&["陈静"]),
        )
        .unwrap();
    let Validity::Invalid { reason } = p.validity(&over) else {
        panic!("over-voted ballot accepted");
    };
    assert!(
        reason.contains("赞成 3 人 + 另选他人 1 人 = 4 人"),
        "{reason}"
    );
    assert!(reason.contains("应选名额 3 名"), "{reason}");
    // 4 for, no write-ins: 4 > 3.
    let four = p
        .fill(
            &marked(&[
                ("c1", Mark::For),
                ("c2", Mark::For),
                ("c3", Mark::For),
                ("c4", Mark::For),
            ]),
            &[],
        )
        .unwrap();
    assert!(!p.validity(&four).is_valid());
}

#[test]
fn validity_refuses_ballots_fill_would_never_build() {
    let p = paper();
    let reader = PaperReader::new(&p);
    let mut buf = [Mark::Abstain; 4];
    let mut read = |c: &Choices| reader.read(c, &mut buf).map(|w| w.to_vec());
    let election = |pairs: &[(&str, Mark)], w: &[&str]| Choices::Election {
        marks: marked(pairs),
        write_ins: names(w),
    };
    let all = [
        ("c1", Mark::For),
        ("c2", Mark::Abstain),
        ("c3", Mark::Against),
        ("c4", Mark::Abstain),
    ];
    assert_eq!(read(&election(&all, &[])), Ok(vec![]));
    assert_eq!(
        read(&election(&all[..3], &[])),
        Err(InvalidReason::MissingCandidate { id: "c4".into() })
    );
    let mut extra = all.to_vec();
    extra.push(("c0", Mark::For));
    assert_eq!(
        read(&election(&extra, &[])),
        Err(InvalidReason::UnknownCandidate { id: "c0".into() })
    );
    assert_eq!(
        read(&election(&all, &["张伟"])),
        Err(InvalidReason::WriteInIsCandidate {
            name: "张伟".into()
        })
    );
    assert_eq!(
        read(&election(&all, &["陈静", "陈静"])),
        Err(InvalidReason::WriteInMalformed {
            name: "陈静".into()
        })
    );
    assert_eq!(
        read(&Choices::Motion { vote: Mark::For }),
        Err(InvalidReason::NotElection)
    );
    let closed = ElectionPaper {
        allow_write_in: false,
        ..paper()
    };
    assert_eq!(
        closed.validity(&election(&all, &["陈静"])),
        InvalidReason::WriteInNotAllowed.into()
    );
    // The marks read in ballot order: c1 for, c3 against.
    assert_eq!(
        buf,
        [Mark::For, Mark::Abstain, Mark::Against, Mark::Abstain]
    );
}

#[test]
fn motion_ballots_take_any_vote_but_not_an_election_ballot() {
    for m in Mark::ALL {
        assert_eq!(
            motion_validity(&Choices::Motion { vote: m }),
            Validity::Valid
        );
    }
    let e = paper().fill(&marked(&[]), &[]).unwrap();
    assert_eq!(motion_validity(&e), InvalidReason::NotMotion.into());
}

#[test]
fn marks_spell_as_the_spec_says() {
    assert_eq!(
        serde_json::to_value(Mark::Abstain).unwrap(),
        json!("abstain")
    );
    assert_eq!(Mark::parse("against"), Some(Mark::Against));
    assert_eq!(Mark::parse("AGAINST"), None);
    assert_eq!(Mark::Against.zh(), "不赞成");
    assert_eq!(Mark::Against.zh_motion(), "反对");
    assert_eq!(Mark::ALL.map(Mark::index), [0, 1, 2]);
}
