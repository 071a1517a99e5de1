//! The pictures' geometry and text: values to bar widths, escaping, empty and zero figures,
//! one college and forty.

use super::result::{self, parts, scale_max, Item};
use super::*;
use crate::domain::ballot::{Choices, Mark};
use crate::domain::quota::{allocate, QuotaParams};
use crate::domain::roster::CollegeSummary;
use crate::domain::settings::{Threshold, TieRule};
use crate::domain::tally::{tally, CandidateRef, ContestSpec, ElectionSpec, MotionSpec, Turnout};

/// Every `attr="…"` value of every `<tag ` element, in order.
fn attrs(svg: &str, tag: &str, attr: &str) -> Vec<String> {
    svg.split(&format!("<{tag} "))
        .skip(1)
        .filter_map(|el| {
            let el = &el[..el.find('>').unwrap_or(el.len())];
            let key = format!(" {attr}=\"");
            let from = el.find(&key).map(|i| i + key.len()).or_else(|| {
                el.starts_with(&format!("{attr}=\""))
                    .then_some(attr.len() + 2)
            })?;
            Some(el[from..from + el[from..].find('"')?].to_string())
        })
        .collect()
}

fn num(s: &str) -> f64 {
    s.parse().unwrap()
}

fn bars(rows: Vec<Row>, max: f64) -> Bars {
    Bars {
        title: "t".into(),
        legend: Vec::new(),
        rows,
        max,
        line: None,
    }
}

#[test]
fn values_become_proportional_widths() {
    let b = bars(
        vec![
            Row {
                label: "甲".into(),
                segs: vec![Seg {
                    value: 12.0,
                    fill: BLUE,
                }],
                ..Row::default()
            },
            Row {
                label: "乙".into(),
                segs: vec![Seg {
                    value: 3.0,
                    fill: BLUE,
                }],
                ..Row::default()
            },
        ],
        12.0,
    );
    let cols = b.columns();
    let s0 = b.segments(cols, &b.rows[0]);
    let s1 = b.segments(cols, &b.rows[1]);
    assert_eq!(s0.len(), 1);
    assert!(
        (s0[0].1 - cols.bar_w).abs() < 1e-9,
        "the largest fills the column"
    );
    assert!(
        (s1[0].1 - cols.bar_w / 4.0).abs() < 1e-9,
        "3 of 12 is a quarter"
    );
    assert_eq!(s0[0].0, cols.bar_x);
    // Every column inside the picture.
    assert!(cols.bar_x > 0.0 && cols.bar_x + cols.bar_w < cols.note_x && cols.note_x <= WIDTH);
}

#[test]
fn quota_bars_and_minimum_marks_follow_the_allocation() {
    let colleges = vec![
        ("计算机学院".to_string(), 2400),
        ("文学院".to_string(), 600),
        ("艺术学院".to_string(), 120),
    ];
    let a = allocate(
        &colleges,
        &QuotaParams {
            total: Some(60),
            ..QuotaParams::default()
        },
    )
    .unwrap();
    let svg = quota(&a).into_string();
    assert!(svg.starts_with("<svg class=\"chart\""), "{svg}");
    assert!(svg.contains("role=\"img\""));
    assert!(
        svg.contains("<title>各学院代表名额: 3个学院共60名"),
        "{svg}"
    );
    let max = a.colleges.iter().map(|c| c.quota).max().unwrap() as f64;
    let widths: Vec<f64> = attrs(&svg, "rect", "width")
        .iter()
        .map(|w| num(w))
        .collect();
    // The legend's swatch, then one bar per college.
    assert_eq!(widths.len(), 1 + 3, "{svg}");
    let full = widths[1].max(widths[2]).max(widths[3]);
    for (c, w) in a.colleges.iter().zip(&widths[1..]) {
        let want = full * c.quota as f64 / max;
        assert!((w - want).abs() <= 0.1, "{}: {w} vs {want}", c.college);
        assert!(
            svg.contains(&format!(">{}名 · 最低{}<", c.quota, c.minimum)),
            "{svg}"
        );
    }
    // The minimum's mark of 艺术学院 (120 students: 1% rounded up is 2) sits at 2/max.
    let xs: Vec<f64> = attrs(&svg, "line", "x1").iter().map(|x| num(x)).collect();
    let bar_x: Vec<f64> = attrs(&svg, "rect", "x").iter().map(|x| num(x)).collect();
    let art = &a.colleges[2];
    assert_eq!(art.minimum, 2);
    let mark = xs[xs.len() - 1];
    assert!(
        (mark - (bar_x[3] + full * 2.0 / max)).abs() <= 0.1,
        "{mark} {svg}"
    );
}

#[test]
fn names_are_escaped() {
    let a = allocate(
        &[("<script>alert(1)</script>学院\"&".to_string(), 500)],
        &QuotaParams::default(),
    )
    .unwrap();
    let svg = quota(&a).into_string();
    assert!(!svg.contains("<script>"), "{svg}");
    assert!(svg.contains("&lt;script&gt;"), "{svg}");
    let r = election(&["<b>王芳</b>", "李强"], &[[3, 1, 0], [1, 3, 0]]);
    let svg = result::contest(&r).into_string();
    assert!(!svg.contains("<b>"), "{svg}");
    assert!(svg.contains("&lt;b&gt;王芳&lt;/b&gt;"), "{svg}");
}

fn summary(colleges: Vec<CollegeSummary>) -> RosterSummary {
    let total = colleges.iter().map(|c| c.delegates).sum();
    RosterSummary {
        total,
        elected: total,
        ordinary: colleges.iter().map(|c| c.ordinary).sum(),
        ordinary_required: (total * 60).div_ceil(100),
        women: colleges.iter().map(|c| c.women).sum(),
        women_required: (total * 30).div_ceil(100),
        colleges,
        ..RosterSummary::default()
    }
}

fn college(name: &str, delegates: u64, ordinary: u64, women: u64) -> CollegeSummary {
    CollegeSummary {
        college: name.into(),
        quota: delegates,
        delegates,
        ordinary,
        ordinary_required: (delegates * 60).div_ceil(100),
        women,
        grades: vec!["2022级".into(), "2023级".into(), "2024级".into()],
        grades_covered: vec!["2022级".into(), "2024级".into()],
        grades_required: 3,
        ..CollegeSummary::default()
    }
}

#[test]
fn shares_are_drawn_against_the_settings_line() {
    let s = summary(vec![
        college("文学院", 10, 7, 2),
        college("理学院", 10, 5, 5),
    ]);
    let svg = ordinary(&s, 60).into_string();
    // The track is the whole; 7 of 10 is 70% of it, green; 5 of 10 is short of 6, red.
    let widths: Vec<f64> = attrs(&svg, "rect", "width")
        .iter()
        .map(|w| num(w))
        .collect();
    let fills = attrs(&svg, "rect", "fill");
    // Legend (3 swatches: 2 rects and a line), then per row: track, bar.
    let track = widths[2];
    assert!((widths[3] - track * 12.0 / 20.0).abs() <= 0.1, "{svg}");
    assert!((widths[5] - track * 0.7).abs() <= 0.1, "{svg}");
    assert!((widths[7] - track * 0.5).abs() <= 0.1, "{svg}");
    assert_eq!(fills[5], GREEN);
    assert_eq!(fills[7], RED);
    assert!(svg.contains(">7/10 · 70.0%<"), "{svg}");
    assert!(svg.contains(">5/10 · 50.0% 不足<"), "{svg}");
    // The 60% line at 60% of the track.
    let x = num(&attrs(&svg, "line", "x1")[1]);
    let x0 = num(&attrs(&svg, "rect", "x")[2]);
    assert!((x - (x0 + track * 0.6)).abs() <= 0.1, "{svg}");
    assert!(svg.contains(">60% (B2)<"));
    // Another setting moves the line: 70%.
    let svg = ordinary(&s, 70).into_string();
    assert!(svg.contains(">70% (B2)<"));
    let x = num(&attrs(&svg, "line", "x1")[1]);
    assert!((x - (x0 + track * 0.7)).abs() <= 0.1, "{svg}");
    // Women: the whole congress 7/20 against 30%; B5 off draws no line.
    let svg = women(&s, 30).into_string();
    assert!(svg.contains(">7/20 · 35.0%<"), "{svg}");
    assert!(svg.contains(">30% (B5)<"));
    let off = women(&s, 0).into_string();
    assert!(
        !off.contains("(B5)<") && off.contains("规则B5未启用"),
        "{off}"
    );
    assert!(!off.contains("stroke-dasharray"), "{off}");
}

#[test]
fn grades_are_boxes_filled_when_covered() {
    let s = summary(vec![college("文学院", 10, 7, 2)]);
    let svg = grades(&s).into_string();
    assert!(svg.contains("<title>2022级: 有代表</title>"), "{svg}");
    assert!(svg.contains("<title>2023级: 没有代表</title>"), "{svg}");
    assert!(svg.contains(">2/3个年级 · 应覆盖3 不足<"), "{svg}");
    // Two ticks (covered), one outline; the legend's two swatches besides.
    assert_eq!(svg.matches("<path ").count(), 2);
    assert_eq!(svg.matches("stroke-width=\"1.5\"").count(), 2);
}

#[test]
fn zero_totals_draw_empty_bars_without_dividing_by_zero() {
    let s = summary(vec![college("空学院", 0, 0, 0)]);
    for svg in [ordinary(&s, 60), women(&s, 30)] {
        let svg = svg.into_string();
        assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
        assert!(svg.contains(">0/0 · —<"), "{svg}");
    }
    let total = Presence {
        label: "全体代表".into(),
        present: 0,
        expected: 0,
    };
    let svg = attendance(&total, &[], 0).into_string();
    assert!(!svg.contains("NaN") && svg.contains(">0/0 · —<"), "{svg}");
    let empty = summary(Vec::new());
    let svg = grades(&empty).into_string();
    assert!(svg.contains("(无数据)"), "{svg}");
    // A contest with no valid ballot.
    let r = election(&["王芳"], &[[0, 0, 0]]);
    let svg = result::contest(&r).into_string();
    assert!(
        !svg.contains("NaN") && svg.contains(">赞成 0 · 不赞成 0 · 弃权 0<"),
        "{svg}"
    );
}

#[test]
fn one_college_and_forty_fit_the_width_without_overlap() {
    for count in [1usize, 40] {
        let colleges: Vec<(String, i64)> = (0..count)
            .map(|i| {
                let name = if i == 7 {
                    "马克思主义学院与中国特色社会主义理论研究中心".to_string()
                } else {
                    format!("第{}学院", i + 1)
                };
                (name, 300 + 97 * i as i64)
            })
            .collect();
        let a = allocate(&colleges, &QuotaParams::default()).unwrap();
        let svg = quota(&a).into_string();
        let ys: Vec<f64> = attrs(&svg, "text", "y").iter().map(|y| num(y)).collect();
        // Legend text, then per college the label and the figures on one baseline.
        let rows: Vec<f64> = ys[2..].chunks(2).map(|p| p[0]).collect();
        assert_eq!(rows.len(), count);
        for w in rows.windows(2) {
            assert!(w[1] - w[0] >= FONT + 4.0, "rows overlap: {w:?}");
        }
        let height = num(attrs(&svg, "svg", "viewBox")[0].split(' ').nth(3).unwrap());
        assert!(rows.last().unwrap() + 5.0 <= height, "{svg}");
        for x in attrs(&svg, "text", "x") {
            assert!(num(&x) <= WIDTH, "{svg}");
        }
        for (x, w) in attrs(&svg, "rect", "x")
            .iter()
            .zip(attrs(&svg, "rect", "width"))
        {
            assert!(num(x) + num(&w) <= WIDTH + 0.05, "{svg}");
        }
        if count == 40 {
            // The long name is shortened, whole in its title.
            assert!(svg.contains("<title>马克思主义学院与中国特色社会主义理论研究中心</title>"));
            assert!(svg.contains("…</text>"), "{svg}");
            assert!(
                text_width(
                    &fit(
                        "马克思主义学院与中国特色社会主义理论研究中心",
                        FONT,
                        LABEL_MAX
                    ),
                    FONT,
                ) <= LABEL_MAX
            );
        }
    }
}

/// A one-seat election of `names`, each with its (for, against, abstain) count; present 5.
fn election(names: &[&str], counts: &[[u64; 3]]) -> crate::domain::tally::ContestResult {
    let spec = ContestSpec::Election(ElectionSpec {
        seats: 1,
        candidates: names
            .iter()
            .enumerate()
            .map(|(i, n)| CandidateRef {
                id: format!("k{i}"),
                name: n.to_string(),
            })
            .collect(),
        allow_write_in: false,
        threshold: Threshold::ORDINARY,
        tie_rule: TieRule::Runoff,
    });
    let ballots = (0..counts[0].iter().sum::<u64>())
        .map(|b| Choices::Election {
            marks: counts
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let m = if b < c[0] {
                        Mark::For
                    } else if b < c[0] + c[1] {
                        Mark::Against
                    } else {
                        Mark::Abstain
                    };
                    (format!("k{i}"), m)
                })
                .collect(),
            write_ins: Vec::new(),
        })
        .collect::<Vec<_>>();
    tally(
        &spec,
        Turnout {
            issued: 5,
            roster: 6,
        },
        &ballots,
    )
}

#[test]
fn candidates_are_stacked_with_the_threshold_and_the_elected_tagged() {
    // 4 valid ballots, 5 present: at least 3 for-votes. 王芳 3/1/0 elected, 李强 0/2/2.
    let r = election(&["王芳", "李强"], &[[3, 1, 0], [0, 2, 2]]);
    assert_eq!(r.valid, 4);
    assert_eq!(r.threshold.min_for, 3);
    let svg = result::contest(&r).into_string();
    assert!(svg.contains(">赞成 3 · 不赞成 1 · 弃权 0<"), "{svg}");
    assert!(svg.contains(">赞成 0 · 不赞成 2 · 弃权 2<"), "{svg}");
    assert!(svg.contains(">当选所需3票<"), "{svg}");
    assert_eq!(svg.matches(">当选</text>").count(), 1, "{svg}");
    let tag = svg.find(">当选</text>").unwrap();
    assert!(svg[..tag].contains(">王芳<") && !svg[..tag].contains(">李强<"));
    // Scale: 4 valid ballots over the full width; the threshold line at 3/4.
    let item = Item {
        name: "李强".into(),
        tag: None,
        for_votes: 1,
        against: Some(2),
        abstain: Some(1),
    };
    assert_eq!(scale_max(std::slice::from_ref(&item), 4, 3), 4);
    let p = parts(&item, 4.0);
    assert_eq!(p.len(), 3);
    assert_eq!((p[0].0, p[0].1), (0.0, WIDTH / 4.0));
    assert_eq!((p[1].0, p[1].1), (WIDTH / 4.0, WIDTH * 3.0 / 4.0));
    assert_eq!(p[2].1, WIDTH);
    let line = num(&attrs(&svg, "line", "x1").last().cloned().unwrap());
    assert!((line - WIDTH * 0.75).abs() <= 0.1, "{svg}");
    // A threshold beyond the valid ballots stretches the scale so the line shows.
    assert_eq!(scale_max(&[item], 4, 6), 6);
}

#[test]
fn a_motion_is_one_bar_passed_or_not() {
    let spec = ContestSpec::Motion(MotionSpec {
        threshold: Threshold::ORDINARY,
    });
    let m = |vote: Mark| Choices::Motion { vote };
    let ballots = vec![
        m(Mark::For),
        m(Mark::For),
        m(Mark::Against),
        m(Mark::Abstain),
    ];
    let r = tally(
        &spec,
        Turnout {
            issued: 4,
            roster: 4,
        },
        &ballots,
    );
    let svg = result::contest(&r).into_string();
    assert!(svg.contains(">赞成 2 · 反对 1 · 弃权 1<"), "{svg}");
    assert!(svg.contains(">未通过</text>"), "{svg}");
    assert!(svg.contains(">通过所需3票<"), "{svg}");
    assert_eq!(svg.matches("class=\"row\"").count(), 1);
}
