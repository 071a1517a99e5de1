//! How a published board reads: one row per ballot (its tracker, what it says, valid or 废票
//! with the reason; never whether it was cast on paper or by phone: a board says only how
//! many were on paper), and the steps of checking one ballot's audit path.

use std::collections::HashMap;

use maud::{html, Markup};

use crate::crypto::merkle::{hash_to_hex, Inclusion};
use crate::domain::ballot::{Ballot, Choices, ElectionPaper, Mark};
use crate::domain::review::{read_grid, ReviewDefinition, ReviewFault};

/// One ballot of a board as shown.
#[derive(Debug, Clone)]
pub struct BallotLine {
    /// 1-based position on the board.
    pub position: usize,
    pub hash: String,
    /// What the ballot says, in words.
    pub text: String,
    /// `Some(reason)` for 废票.
    pub invalid: Option<String>,
}

/// Reads a stored ballot object into a line: names instead of candidate ids, the validity the
/// tally applies. `paper` is the election's ballot paper (`None` for a motion), `review` a
/// review's definition (its grid read as grade names per person and dimension).
pub fn ballot_line(
    position: usize,
    hash: String,
    value: &serde_json::Value,
    paper: Option<&ElectionPaper>,
    review: Option<&ReviewDefinition>,
) -> BallotLine {
    let ballot = match Ballot::from_value(value) {
        Ok(b) => b,
        Err(e) => {
            return BallotLine {
                position,
                hash,
                text: format!("无法读取: {e}"),
                invalid: Some(e.to_string()),
            }
        }
    };
    if let Choices::Review { grid } = &ballot.choices {
        let (text, invalid) = match review {
            Some(def) => review_text(def, grid),
            // Without the definition: the positions (1 = the best), one group per person.
            None => {
                let even = grid.windows(2).all(|w| w[0].len() == w[1].len());
                (
                    positions_text(grid),
                    (!even || grid.is_empty()).then(|| ReviewFault::Shape.category().to_string()),
                )
            }
        };
        return BallotLine {
            position,
            hash,
            text,
            invalid,
        };
    }
    let validity = match paper {
        Some(p) => p.validity(&ballot.choices),
        None => crate::domain::ballot::motion_validity(&ballot.choices),
    };
    let names: HashMap<&str, &str> = paper
        .map(|p| {
            p.candidates
                .iter()
                .map(String::as_str)
                .zip(p.candidate_names.iter().map(String::as_str))
                .collect()
        })
        .unwrap_or_default();
    BallotLine {
        position,
        hash,
        text: choices_text(&ballot.choices, &names),
        invalid: match validity {
            crate::domain::ballot::Validity::Valid => None,
            crate::domain::ballot::Validity::Invalid { reason } => Some(reason),
        },
    }
}

/// A review grid as the positions it holds (1 = the best grade), one group per person: for a
/// grid read without its definition or one that does not fit it.
fn positions_text(grid: &[Vec<u32>]) -> String {
    let rows: Vec<String> = grid
        .iter()
        .map(|r| {
            r.iter()
                .map(|g| (g + 1).to_string())
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect();
    format!("评议表 (等次序号, 1 为最高): {}", rows.join(" / "))
}

/// A review grid in words against its definition (rule H2): "王芳: 政治态度 优秀 · 道德品行 称职
/// … / 李强: …", each cell the grade's name; a grid that does not fit the definition is 废票
/// with the tally's reason and shown as the positions it holds.
pub fn review_text(def: &ReviewDefinition, grid: &[Vec<u32>]) -> (String, Option<String>) {
    if let Err(fault) = read_grid(def, grid) {
        return (positions_text(grid), Some(fault.category().to_string()));
    }
    let persons: Vec<String> = def
        .persons
        .iter()
        .zip(grid)
        .map(|(person, row)| {
            let cells: Vec<String> = def
                .dimensions
                .iter()
                .zip(row)
                .map(|(dim, g)| {
                    let grade = def.grades.get(*g as usize).map_or("?", String::as_str);
                    format!("{dim} {grade}")
                })
                .collect();
            format!("{}: {}", person.name, cells.join(" · "))
        })
        .collect();
    (persons.join(" / "), None)
}

/// "赞成: 王芳、李强 · 不赞成: 张伟 · 弃权: 刘洋 · 另选他人: 孙悦" or a motion's "赞成".
pub fn choices_text(choices: &Choices, names: &HashMap<&str, &str>) -> String {
    match choices {
        Choices::Motion { vote } => vote.zh_motion().to_string(),
        Choices::MotionMarks { marks } => motion_marks_text(marks),
        Choices::Review { grid } => format!("述职评议表 ({} 人)", grid.len()),
        Choices::Election { marks, write_ins } => {
            let mut parts = Vec::new();
            for mark in Mark::ALL {
                let who: Vec<&str> = marks
                    .iter()
                    .filter(|(_, m)| **m == mark)
                    .map(|(id, _)| names.get(id.as_str()).copied().unwrap_or(id.as_str()))
                    .collect();
                if !who.is_empty() {
                    parts.push(format!("{}: {}", mark.zh(), who.join("、")));
                }
            }
            if !write_ins.is_empty() {
                parts.push(format!("另选他人: {}", write_ins.join("、")));
            }
            parts.join(" · ")
        }
    }
}

/// A motion paper marked other than once: "空白 (未作标记)" or "赞成、反对 (同时标记)".
pub fn motion_marks_text(marks: &[Mark]) -> String {
    if marks.is_empty() {
        "空白 (未作标记)".to_string()
    } else {
        let names: Vec<&str> = marks.iter().map(|m| m.zh_motion()).collect();
        format!("{} (同时标记)", names.join("、"))
    }
}

/// The ballots table of one page of a board.
pub fn ballots_table(lines: &[BallotLine]) -> Markup {
    html! {
        table.ballots {
            thead { tr { th.num { "序号" } th { "追踪码 (选票哈希)" } th { "选票内容" } th { "有效性" } } }
            tbody {
                @for l in lines {
                    tr id={"b" (l.position)} class=(if l.invalid.is_some() { "warning" } else { "" }) {
                        td.num { (l.position) }
                        td { code.tracker-inline { (l.hash) } }
                        td { (l.text) }
                        td {
                            @match &l.invalid {
                                Some(reason) => { "废票: " (reason) },
                                None => "有效",
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The audit path's steps from the leaf to the root (the board's root, hex, last).
pub fn steps_table(shown: &Inclusion, root: &str) -> Markup {
    html! {
        ol.steps {
            li { "叶子哈希 = SHA-256(0x00 ‖ 追踪码) = " code { (hash_to_hex(&shown.leaf)) } }
            @for s in &shown.steps {
                li {
                    @if s.sibling_on_left {
                        "SHA-256(0x01 ‖ " code { (hash_to_hex(&s.sibling)) } " ‖ 上一步) = " code { (hash_to_hex(&s.node)) }
                    } @else {
                        "SHA-256(0x01 ‖ 上一步 ‖ " code { (hash_to_hex(&s.sibling)) } ") = " code { (hash_to_hex(&s.node)) }
                    }
                }
            }
            li {
                "公示的默克尔根 = " code { (root) }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn paper() -> ElectionPaper {
        ElectionPaper {
            seats: 1,
            candidates: vec!["k1".into(), "k2".into()],
            candidate_names: vec!["王芳".into(), "李强".into()],
            allow_write_in: true,
        }
    }

    fn ballot(k1: &str, k2: &str, write_in: &[&str]) -> serde_json::Value {
        let mut choices = json!({"k1": k1, "k2": k2});
        if !write_in.is_empty() {
            choices["write_in"] = json!(write_in);
        }
        json!({"v":2,"congress":"c","contest":"k","choices":choices,
               "token":"ab".repeat(64),"token_sig":"AAEC".repeat(86)})
    }

    #[test]
    fn lines_name_the_candidates_and_the_fault() {
        let l = ballot_line(
            3,
            "h".into(),
            &ballot("for", "against", &[]),
            Some(&paper()),
            None,
        );
        assert_eq!(l.text, "赞成: 王芳 · 不赞成: 李强");
        assert_eq!(l.invalid, None);

        let l = ballot_line(
            4,
            "h".into(),
            &ballot("for", "abstain", &["孙悦"]),
            Some(&paper()),
            None,
        );
        assert_eq!(l.text, "赞成: 王芳 · 弃权: 李强 · 另选他人: 孙悦");
        let reason = l.invalid.unwrap();
        assert!(reason.contains("超过应选名额 1 名"), "{reason}");

        let motion = json!({"v":1,"congress":"c","contest":"m","ballot":"cd","choices":{"vote":"against"},"paper":true});
        let l = ballot_line(1, "h".into(), &motion, None, None);
        assert_eq!((l.text.as_str(), l.invalid), ("反对", None));
    }

    #[test]
    fn a_review_line_names_the_grades_per_dimension() {
        use crate::domain::review::{ReviewDefinition, ReviewPerson};
        let mut def = ReviewDefinition::default();
        def.dimensions.truncate(2);
        for name in ["王芳", "李强"] {
            def.persons.push(ReviewPerson {
                name: name.into(),
                post: "主席团成员".into(),
                college: "文学院".into(),
            });
        }
        let ballot = |grid: serde_json::Value| {
            json!({"v":2,"congress":"c","contest":"r","choices":{"review":grid},
                   "token":"ab".repeat(64),"token_sig":"AAEC".repeat(86)})
        };
        let l = ballot_line(
            1,
            "h".into(),
            &ballot(json!([[0, 1], [3, 2]])),
            None,
            Some(&def),
        );
        assert_eq!(
            l.text,
            "王芳: 政治态度 优秀 · 道德品行 称职 / 李强: 政治态度 不称职 · 道德品行 基本称职"
        );
        assert_eq!(l.invalid, None);
        let l = ballot_line(
            2,
            "h".into(),
            &ballot(json!([[0, 4], [3, 2]])),
            None,
            Some(&def),
        );
        assert_eq!(l.invalid.as_deref(), Some("评议表含不存在的等次"));
        assert!(l.text.contains("1,5 / 4,3"), "{}", l.text);
        let l = ballot_line(3, "h".into(), &ballot(json!([[0, 1]])), None, Some(&def));
        assert_eq!(
            l.invalid.as_deref(),
            Some("评议表行列与被评议人、评议项目不符")
        );
    }

    #[test]
    fn the_table_marks_invalid_rows_and_escapes() {
        let lines = vec![BallotLine {
            position: 7,
            hash: "ab".repeat(32),
            text: "<i>x</i>".into(),
            invalid: Some("废".into()),
        }];
        let html = ballots_table(&lines).into_string();
        assert!(html.contains("<tr id=\"b7\" class=\"warning\"><td class=\"num\">7</td>"));
        assert!(html.contains("&lt;i&gt;x&lt;/i&gt;"));
        assert!(html.contains("<td>&lt;i&gt;x&lt;/i&gt;</td><td>废票: 废</td>"));
        assert!(!html.contains("纸质") && !html.contains("手机"));
    }
}
