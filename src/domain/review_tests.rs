use proptest::prelude::*;

use super::*;
use crate::domain::ballot::Choices;
use crate::domain::tally::{tally, ContestDetail, ContestSpec, ReviewSpec, Turnout};

fn def(persons: usize) -> ReviewDefinition {
    ReviewDefinition {
        persons: (0..persons)
            .map(|i| ReviewPerson {
                name: format!("学生{i}"),
                post: "部长".into(),
                college: "文学院".into(),
            })
            .collect(),
        ..ReviewDefinition::default()
    }
}

fn spec(persons: usize) -> ContestSpec {
    ContestSpec::Review(ReviewSpec {
        def: def(persons),
        follow_up: DEFAULT_FOLLOW_UP,
    })
}

fn review(grid: Vec<Vec<u32>>) -> Choices {
    Choices::Review { grid }
}

#[test]
fn defaults_are_the_policys_five_dimensions_and_four_grades() {
    let d = ReviewDefinition::default();
    assert_eq!(
        d.dimensions,
        ["政治态度", "道德品行", "学习情况", "工作成效", "纪律作风"]
    );
    assert_eq!(d.grades, ["优秀", "称职", "基本称职", "不称职"]);
    assert_eq!(d.favourable, 2);
    assert_eq!(d.check(), Err(ReviewError::Persons { found: 0 }));
    assert_eq!(def(7).check(), Ok(()));
}

#[test]
fn check_names_the_fault() {
    let mut d = def(2);
    d.persons[1].name = "学生0".into();
    assert!(matches!(
        d.check(),
        Err(ReviewError::Duplicate { position: 2, .. })
    ));
    let mut d = def(2);
    d.favourable = 4;
    assert_eq!(
        d.check(),
        Err(ReviewError::Favourable { found: 4, most: 3 })
    );
    let mut d = def(2);
    d.grades = vec!["合格".into()];
    assert_eq!(d.check(), Err(ReviewError::Grades { found: 1 }));
    let mut d = def(2);
    d.dimensions[2] = " 学习".into();
    assert!(matches!(
        d.check(),
        Err(ReviewError::Malformed { position: 3, .. })
    ));
    let mut d = def(2);
    d.dimensions[4] = "政治态度".into();
    assert!(matches!(
        d.check(),
        Err(ReviewError::Duplicate { position: 5, .. })
    ));
}

#[test]
fn persons_parse_from_pasted_lines() {
    let text =
        "\u{feff}姓名,职务,学院\r\n张三，主席团成员，文学院\n\n李四\t学习部部长\t理学院\n王五\n";
    let p = parse_persons(text).unwrap();
    assert_eq!(p.len(), 3);
    assert_eq!(p[0].post, "主席团成员");
    assert_eq!(p[1].college, "理学院");
    assert_eq!(p[2].post, "");
    assert_eq!(
        parse_persons("张三,a,b,c"),
        Err(ReviewError::PersonLine {
            line: 1,
            text: "张三,a,b,c".into()
        })
    );
    assert_eq!(parse_labels(" 优秀 \n\n合格\n"), ["优秀", "合格"]);
}

#[test]
fn grids_of_the_wrong_shape_or_grade_are_invalid() {
    let d = def(2);
    assert_eq!(read_grid(&d, &[vec![0; 5], vec![3; 5]]), Ok(()));
    assert_eq!(read_grid(&d, &[vec![0; 5]]), Err(ReviewFault::Shape));
    assert_eq!(
        read_grid(&d, &[vec![0; 5], vec![0; 4]]),
        Err(ReviewFault::Shape)
    );
    assert_eq!(
        read_grid(&d, &[vec![0; 5], vec![0, 0, 0, 0, 4]]),
        Err(ReviewFault::UnknownGrade)
    );
}

#[test]
fn counts_shares_ranks_and_follow_up() {
    // Three papers on two persons: 学生0 all 优秀; 学生1 不称职 on every dimension of one
    // paper (5 of 15 = 1/3: follow-up at the default 1/3 inclusive).
    let a = review(vec![vec![0; 5], vec![1; 5]]);
    let b = review(vec![vec![0; 5], vec![3; 5]]);
    let bad = review(vec![vec![0; 5]]);
    let ballots = vec![a.clone(), a, b, bad];
    let t = Turnout {
        issued: 30,
        roster: 31,
    };
    let r = tally(&spec(2), t, &ballots);
    assert_eq!((r.cast, r.valid, r.invalid), (4, 3, 1));
    assert_eq!(r.invalid_reasons.values().sum::<u64>(), 1);
    assert_eq!(r.threshold.base_figure, 15);
    assert_eq!(r.threshold.min_for, 5);
    let ContestDetail::Review(rev) = &r.detail else {
        panic!("not a review")
    };
    let (p0, p1) = (&rev.persons[0], &rev.persons[1]);
    assert_eq!(p0.counts[0], vec![3, 0, 0, 0]);
    assert_eq!(p1.counts[4], vec![0, 2, 0, 1]);
    assert_eq!(
        (p0.favourable, p0.given, p0.share_bp, p0.rank),
        (15, 15, 10_000, 1)
    );
    assert_eq!(
        (p1.favourable, p1.worst, p1.share_bp, p1.rank),
        (10, 5, 6_667, 2)
    );
    assert!(!p0.follow_up && p1.follow_up);
    assert!(
        r.explanation.contains("列入跟进: 学生1"),
        "{}",
        r.explanation
    );
}

#[test]
fn equal_shares_share_a_rank_and_a_void_review_ranks_nobody() {
    let same = review(vec![vec![1; 5], vec![0; 5], vec![1; 5]]);
    let r = tally(
        &spec(3),
        Turnout {
            issued: 5,
            roster: 5,
        },
        std::slice::from_ref(&same),
    );
    let ContestDetail::Review(rev) = &r.detail else {
        panic!("not a review")
    };
    let ranks: Vec<u32> = rev.persons.iter().map(|p| p.rank).collect();
    assert_eq!(ranks, [1, 1, 1]);
    let r = tally(
        &spec(3),
        Turnout {
            issued: 1,
            roster: 5,
        },
        &[same.clone(), same],
    );
    assert!(r.void);
    let ContestDetail::Review(rev) = &r.detail else {
        panic!("not a review")
    };
    assert!(rev.persons.iter().all(|p| p.rank == 0 && !p.follow_up));
}

#[test]
fn basis_points_round_half_up() {
    use crate::domain::tally::{basis_points, percent};
    assert_eq!(basis_points(2, 3), 6_667);
    assert_eq!(basis_points(1, 3), 3_333);
    assert_eq!(basis_points(1, 8), 1_250);
    assert_eq!(basis_points(1, 20_000), 1);
    assert_eq!(basis_points(0, 0), 0);
    assert_eq!(percent(6_667), "66.67%");
    assert_eq!(percent(10_000), "100.00%");
}

fn grid_strategy(persons: usize) -> impl Strategy<Value = Choices> {
    prop::collection::vec(prop::collection::vec(0u32..4, 5), persons)
        .prop_map(|grid| Choices::Review { grid })
}

proptest! {
    #[test]
    fn every_row_sums_to_valid_and_order_does_not_matter(
        ballots in prop::collection::vec(grid_strategy(3), 0..40),
    ) {
        let t = Turnout { issued: 40, roster: 40 };
        let r = tally(&spec(3), t, &ballots);
        let mut rev_ballots = ballots.clone();
        rev_ballots.reverse();
        prop_assert_eq!(&r, &tally(&spec(3), t, &rev_ballots));
        let ContestDetail::Review(rev) = &r.detail else { panic!("not a review") };
        for p in &rev.persons {
            for row in &p.counts {
                prop_assert_eq!(row.iter().sum::<u64>(), r.valid);
            }
            prop_assert_eq!(p.given, r.valid * 5);
            prop_assert!(p.favourable + p.worst <= p.given);
            let better = rev.persons.iter().filter(|q| q.favourable > p.favourable).count();
            prop_assert_eq!(p.rank as usize, better + 1);
        }
    }
}

#[test]
fn the_grid_has_one_spelling() {
    use serde_json::json;
    let c = Choices::Review {
        grid: vec![vec![0, 1], vec![3, 2]],
    };
    let v = c.to_value();
    assert_eq!(v, json!({"review": [[0, 1], [3, 2]]}));
    assert_eq!(Choices::from_value(&v).unwrap(), c);
    for bad in [
        json!({"review": [[0, -1]]}),
        json!({"review": [[0.5]]}),
        json!({"review": [["0"]]}),
        json!({"review": [0, 1]}),
        json!({"review": [[0]], "vote": "for"}),
        json!({"review": [[4294967296u64]]}),
    ] {
        assert!(Choices::from_value(&bad).is_err(), "{bad}");
    }
    // An election or motion ballot in a review is 废票, and a review paper in an election.
    let r = tally(
        &spec(1),
        Turnout {
            issued: 3,
            roster: 3,
        },
        &[Choices::Motion {
            vote: crate::domain::ballot::Mark::For,
        }],
    );
    assert_eq!((r.valid, r.invalid), (0, 1));
    assert!(r
        .invalid_reasons
        .contains_key(ReviewFault::NotReview.category()));
    assert_eq!(
        crate::domain::ballot::read_motion(&c),
        Err(crate::domain::ballot::InvalidReason::NotVote)
    );
}
