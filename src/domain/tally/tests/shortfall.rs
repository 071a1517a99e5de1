//! Shortfalls: 另行选举 for the remaining seats under C2's margin (F3).

use super::*;

#[test]
fn c2_margin_is_max_of_one_more_and_twenty_percent_more() {
    // seats:    1  2  3  4  5  6 (7.2 -> 8)  10 (12)
    let got: Vec<u32> = [1, 2, 3, 4, 5, 6, 10].map(c2_margin).to_vec();
    assert_eq!(got, [2, 3, 4, 5, 6, 8, 12]);
    assert_eq!(c2_margin(0), 1);
}

/// 3 seats, 5 candidates, 实到 100 -> at least 51.
///   60 x F F - - -    35 x - - F F F    5 x - - F - F
/// 王芳 60, 刘洋 60 elected; 李娜 35+5 = 40, 张伟 35, 陈静 35+5 = 40 below.
/// 1 seat short -> margin max(1+1, ceil(1.2)) = 2 -> by first-round votes: 李娜 40, 陈静 40
/// (equal: ballot order), 张伟 35 left out.
#[test]
fn a_shortfall_proposes_supplementary_election_with_the_margin() {
    let mut b = times(60, ballot("FF---", &[]));
    b.extend(times(35, ballot("--FFF", &[])));
    b.extend(times(5, ballot("--F-F", &[])));
    let r = run(&election(3, 5), 100, 110, &b);
    let e = detail(&r);
    assert_eq!(names(&e.elected), ["王芳", "刘洋"]);
    assert_eq!(e.unfilled, 1);
    assert!(e.runoff.is_none());
    let s = e.supplementary.as_ref().expect("另行选举 proposed");
    assert_eq!((s.seats, s.required, s.sufficient), (1, 2, true));
    assert_eq!(names(&s.candidates), ["李娜", "陈静"]);
    assert_eq!(
        s.explanation,
        "当选 2 名, 少于应选 3 名, 根据规则 F3 建议就剩余 1 个名额另行选举; 按规则 C2 差额要求\
         候选人至少 2 名 (max(1+1, ⌈1.2×1⌉)), 按首轮赞成票多少依次为: 李娜 (40 票)、陈静 (40 票)"
    );
}

/// Same but 40 x - - F F F: 李娜, 张伟, 陈静 all 40. The margin takes 2, and the third has the
/// same first-round votes as the second, so all three are proposed.
#[test]
fn a_tie_at_the_margin_cut_takes_everyone_tied() {
    let mut b = times(60, ballot("FF---", &[]));
    b.extend(times(40, ballot("--FFF", &[])));
    let r = run(&election(3, 5), 100, 100, &b);
    let s = detail(&r).supplementary.clone().expect("另行选举 proposed");
    assert_eq!(names(&s.candidates), ["李娜", "张伟", "陈静"]);
    assert_eq!((s.required, s.sufficient), (2, true));
    assert!(s.explanation.ends_with("与第 2 位票数相同者一并列入"));
}

/// 等额 first round (3 seats, 3 candidates, an organiser override), 实到 100 -> 51.
///   60 x F - -, 40 x - F F  -> 王芳 60 elected; 刘洋 40, 李娜 40 not.
/// 2 seats short -> margin max(3, ceil(2.4)) = 3, but only 2 remain: nominate 1 more or
/// reduce the seats.
#[test]
fn too_few_candidates_left_for_the_margin_is_said() {
    let mut b = times(60, ballot("F--", &[]));
    b.extend(times(40, ballot("-FF", &[])));
    let r = run(&election(3, 3), 100, 100, &b);
    let s = detail(&r).supplementary.clone().expect("另行选举 proposed");
    assert_eq!((s.seats, s.required, s.sufficient), (2, 3, false));
    assert_eq!(names(&s.candidates), ["刘洋", "李娜"]);
    assert!(s
        .explanation
        .contains("但未当选的候选人只有 2 名: 刘洋 (40 票)、李娜 (40 票)"));
    assert!(
        s.explanation
            .ends_with("组织方须补充提名至少 1 人, 或减少应选名额并记录理由"),
        "{}",
        s.explanation
    );
}

/// A write-in under the threshold is not proposed for 另行选举 (never nominated, C3).
/// 2 seats, 实到 100 -> 51: 30 x F - + 杨磊, 30 x F -, 40 x - F -> 王芳 60 elected; 刘洋 40
/// and 杨磊 30 below. 1 short -> margin 2, but only 刘洋 remains among the listed.
#[test]
fn write_ins_are_not_proposed_for_the_supplementary_election() {
    let spec = ElectionSpec {
        allow_write_in: true,
        ..election(2, 2)
    };
    let mut b = times(30, ballot("F-", &["杨磊"]));
    b.extend(times(30, ballot("F-", &[])));
    b.extend(times(40, ballot("-F", &[])));
    let r = run(&spec, 100, 100, &b);
    let s = detail(&r).supplementary.clone().expect("另行选举 proposed");
    assert_eq!(names(&s.candidates), ["刘洋"]);
    assert!(!s.sufficient);
}
