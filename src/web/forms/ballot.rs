//! The ballot as an HTML form, shared by the delegate's phone page and the scrutineers' paper
//! ballot entry: rendering the fields, and parsing the submitted fields back into `Choices`.
//!
//! Field names: election marks `m.<candidate id>` = for | against | abstain (unmarked =
//! abstain, rule E2), write-ins `w1`..`wN` (N = seats), motions `vote`.

use std::collections::BTreeMap;

use maud::{html, Markup};

use crate::domain::ballot::{Choices, Mark};
use crate::service::voting::BallotPaper;

/// The submitted form as (name, value) pairs.
pub type Fields = Vec<(String, String)>;

fn field<'a>(fields: &'a Fields, name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Parses the form into choices, or says (in Chinese) what is wrong.
pub fn parse(paper: &BallotPaper, fields: &Fields) -> Result<Choices, String> {
    if let Some(def) = &paper.review {
        return super::review_ballot::parse(def, fields);
    }
    match &paper.election {
        Some(e) => {
            let mut marked = BTreeMap::new();
            for id in &e.candidates {
                if let Some(v) = field(fields, &format!("m.{id}")) {
                    if v.is_empty() {
                        continue;
                    }
                    let mark = Mark::parse(v).ok_or_else(|| format!("无效的选项“{v}”"))?;
                    marked.insert(id.clone(), mark);
                }
            }
            let write_ins: Vec<String> = (1..=e.seats)
                .filter_map(|i| field(fields, &format!("w{i}")))
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect();
            e.fill(&marked, &write_ins).map_err(|err| err.to_string())
        }
        None => {
            let v = field(fields, "vote").unwrap_or("");
            if v.is_empty() {
                return Err("请选择赞成、反对或弃权".to_string());
            }
            let vote = Mark::parse(v).ok_or_else(|| format!("无效的选项“{v}”"))?;
            Ok(Choices::Motion { vote })
        }
    }
}

fn radios(name: &str, labels: [(Mark, &str); 3], current: Option<Mark>) -> Markup {
    html! {
        div.choice role="radiogroup" {
            @for (mark, label) in labels {
                label {
                    input type="radio" name=(name) value=(mark.as_str()) checked[current == Some(mark)];
                    span { (label) }
                }
            }
        }
    }
}

/// The form fields of a ballot, pre-filled with `current` (when going back to change it).
pub fn fields(paper: &BallotPaper, current: Option<&Choices>) -> Markup {
    if let Some(def) = &paper.review {
        return super::review_ballot::fields(def, current);
    }
    match (&paper.election, current) {
        (Some(e), cur) => {
            let (marks, write_ins) = match cur {
                Some(Choices::Election { marks, write_ins }) => (Some(marks), write_ins.clone()),
                _ => (None, Vec::new()),
            };
            html! {
                p.hint { "应选 " strong { (e.seats) } " 名。对每位候选人选择赞成、不赞成或弃权 (不选视为弃权)。赞成票加另选他人的人数超过应选名额, 选票作废。" }
                @for c in &paper.candidates {
                    fieldset.candidate {
                        legend { strong { (c.name) } " " span.muted { (c.college) } }
                        (radios(
                            &format!("m.{}", c.id),
                            [(Mark::For, "赞成"), (Mark::Against, "不赞成"), (Mark::Abstain, "弃权")],
                            marks.and_then(|m| m.get(&c.id).copied()),
                        ))
                    }
                }
                @if e.allow_write_in {
                    fieldset.candidate {
                        legend { "另选他人 (可不填)" }
                        @for i in 1..=e.seats {
                            input.big type="text" name={"w" (i)} maxlength="50"
                                value=(write_ins.get(i as usize - 1).cloned().unwrap_or_default())
                                aria-label={"另选他人" (i)};
                        }
                    }
                }
            }
        }
        (None, cur) => {
            let vote = match cur {
                Some(Choices::Motion { vote }) => Some(*vote),
                _ => None,
            };
            html! {
                fieldset.candidate {
                    legend { "您的表决" }
                    (radios("vote", [(Mark::For, "赞成"), (Mark::Against, "反对"), (Mark::Abstain, "弃权")], vote))
                }
            }
        }
    }
}

/// The same choices as hidden fields (the review step carries them to the final submit).
pub fn hidden(paper: &BallotPaper, choices: &Choices) -> Markup {
    match choices {
        Choices::Election { marks, write_ins } => html! {
            @for c in &paper.candidates {
                @if let Some(m) = marks.get(&c.id) {
                    input type="hidden" name={"m." (c.id)} value=(m.as_str());
                }
            }
            @for (i, w) in write_ins.iter().enumerate() {
                input type="hidden" name={"w" (i + 1)} value=(w);
            }
        },
        Choices::Motion { vote } => {
            html! { input type="hidden" name="vote" value=(vote.as_str()); }
        }
        Choices::MotionMarks { marks } => html! {
            input type="hidden" name="as_marked" value="1";
            @for m in marks { input type="hidden" name={"mark." (m.as_str())} value="1"; }
        },
        Choices::Review { grid } => super::review_ballot::hidden(grid),
    }
}

/// The choices as a readable summary (review page, paper entry confirmation).
pub fn summary(paper: &BallotPaper, choices: &Choices) -> Markup {
    match choices {
        Choices::Election { marks, write_ins } => html! {
            table {
                tbody {
                    @for c in &paper.candidates {
                        tr { td { (c.name) } td { (marks.get(&c.id).map(|m| m.zh()).unwrap_or("弃权")) } }
                    }
                    @for w in write_ins { tr { td { "另选: " (w) } td { "赞成" } } }
                }
            }
        },
        Choices::Motion { vote } => html! { p { "您的表决: " strong { (vote.zh_motion()) } } },
        Choices::MotionMarks { marks } => html! {
            p { "表决: " strong { (crate::web::views::board::motion_marks_text(marks)) } " (废票)" }
        },
        Choices::Review { grid } => match &paper.review {
            Some(def) => super::review_ballot::summary(def, grid),
            None => html! { p.error { "这是述职评议表, 不属于本项" } },
        },
    }
}
