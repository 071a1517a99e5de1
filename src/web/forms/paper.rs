//! The scrutineers' form for one returned paper ballot (E5), which records the paper as it
//! is marked (issue 12.5): a motion paper by ticking every mark made (none: a blank paper;
//! two or more: 废票), an election paper with its marks and its 另选他人 lines as written
//! (a write-in naming a listed candidate is kept, and the ballot is 废票 under E2).
//!
//! Field names: election marks `m.<candidate id>` and write-ins `w1`..`wN`, as on the phone
//! form ([`super::ballot`]); motion marks `mark.for`, `mark.against`, `mark.abstain`
//! (the phone form's single `vote` is also read, as one mark).

use std::collections::BTreeMap;

use maud::{html, Markup};

use super::ballot::{self as ballot_form, Fields};
use crate::domain::ballot::{motion_as_marked, Choices, Mark};
use crate::service::voting::BallotPaper;

fn field<'a>(fields: &'a Fields, name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Parses the scrutineers' form into the choices as marked, or says what is wrong.
pub fn parse(paper: &BallotPaper, fields: &Fields) -> Result<Choices, String> {
    match &paper.election {
        Some(e) => {
            let mut marked = BTreeMap::new();
            for id in &e.candidates {
                if let Some(v) = field(fields, &format!("m.{id}")).filter(|v| !v.is_empty()) {
                    let mark = Mark::parse(v).ok_or_else(|| format!("无效的选项“{v}”"))?;
                    marked.insert(id.clone(), mark);
                }
            }
            let write_ins: Vec<String> = (1..=e.seats)
                .filter_map(|i| field(fields, &format!("w{i}")))
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect();
            e.fill_as_marked(&marked, &write_ins)
                .map_err(|err| err.to_string())
        }
        None => {
            // `vote` (the phone form's single choice) is accepted as one more mark.
            let vote = match field(fields, "vote").filter(|v| !v.is_empty()) {
                Some(v) => Some(Mark::parse(v).ok_or_else(|| format!("无效的选项“{v}”"))?),
                None => None,
            };
            let marks: Vec<Mark> = Mark::ALL
                .into_iter()
                .filter(|m| {
                    vote == Some(*m) || field(fields, &format!("mark.{}", m.as_str())).is_some()
                })
                .collect();
            Ok(motion_as_marked(&marks))
        }
    }
}

/// The form fields: an election paper as on the phone; a motion paper as three checkboxes.
pub fn fields(paper: &BallotPaper) -> Markup {
    match &paper.election {
        Some(_) => html! {
            (ballot_form::fields(paper, None))
            p.hint { "按纸质选票原样录入: 另选他人栏写的是已列候选人的, 也照写录入, 该票计为废票 (规则 E2)。" }
        },
        None => html! {
            fieldset.candidate {
                legend { "选票上的标记 (按原样勾选; 一项也没有标记的为空白票, 标记多于一项的为废票)" }
                @for (mark, label) in [(Mark::For, "赞成"), (Mark::Against, "反对"), (Mark::Abstain, "弃权")] {
                    label {
                        input type="checkbox" name={"mark." (mark.as_str())} value="1";
                        span { (label) }
                    }
                }
            }
        },
    }
}
