//! The contest and candidate forms: their raw fields (kept as typed, so a refused form is shown
//! again as the organiser filled it) and their parsing into service inputs.

use serde::Deserialize;

use crate::domain::candidates::{Candidate, ElectionKind};
use crate::domain::contest::{ContestDefinition, ContestKind, MotionKind};
use crate::domain::settings::{Fraction, RuleProfile, Threshold, ThresholdBase};
use crate::domain::types::Gender;
use crate::service::contests::{default_threshold, CandidateData, ThresholdPreset};

/// The fields of the contest form (new and edit), as submitted.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ContestForm {
    pub title: String,
    pub body: String,
    pub seats: String,
    /// A checkbox: present ("on") when ticked.
    pub allow_write_in: Option<String>,
    pub margin_override: String,
    pub motion_kind: String,
    /// kind (the motion kind's default) | settings | ordinary | charter | custom
    pub threshold_preset: String,
    /// present | valid_ballots | roster
    pub threshold_base: String,
    pub threshold_num: String,
    pub threshold_den: String,
    /// strict | inclusive
    pub threshold_mode: String,
    /// Why the threshold differs from the rules' default (F1 setting / F4 default).
    pub threshold_reason: String,
    /// presidium | committee | standing | other (elections).
    pub election_kind: String,
}

fn base_str(b: ThresholdBase) -> &'static str {
    match b {
        ThresholdBase::Present => "present",
        ThresholdBase::ValidBallots => "valid_ballots",
        ThresholdBase::Roster => "roster",
    }
}

/// The threshold base of a form or API value.
pub fn parse_base(s: &str) -> Option<ThresholdBase> {
    match s.trim() {
        "present" => Some(ThresholdBase::Present),
        "valid_ballots" => Some(ThresholdBase::ValidBallots),
        "roster" => Some(ThresholdBase::Roster),
        _ => None,
    }
}

/// The preset a stored threshold corresponds to, for pre-selecting the form.
pub fn preset_of(
    kind: ContestKind,
    def: &ContestDefinition,
    profile: &RuleProfile,
) -> &'static str {
    let t = def.threshold;
    if kind == ContestKind::Election && t == profile.election_threshold {
        "settings"
    } else if def.motion_kind.is_some_and(|m| m.default_threshold() == t) {
        "kind"
    } else if t == Threshold::ORDINARY {
        "ordinary"
    } else if t == Threshold::CHARTER {
        "charter"
    } else {
        "custom"
    }
}

impl ContestForm {
    /// The form of a new contest: the default threshold of its kind.
    pub fn new(kind: ContestKind, profile: &RuleProfile) -> ContestForm {
        let def = ContestDefinition {
            title: String::new(),
            body: String::new(),
            motion_kind: (kind == ContestKind::Motion).then_some(MotionKind::WorkReport),
            seats: None,
            allow_write_in: false,
            threshold: Threshold::ORDINARY,
            margin_override: None,
            election_kind: None,
            threshold_reason: None,
        };
        let mut form = ContestForm::from_definition(kind, &def, profile);
        match kind {
            ContestKind::Election => {
                form.threshold_preset = "settings".to_string();
                form.allow_write_in = Some("on".to_string());
            }
            ContestKind::Motion => form.threshold_preset = "kind".to_string(),
            ContestKind::Review => {
                form = ContestForm::from_definition(
                    kind,
                    &ContestDefinition {
                        threshold: crate::domain::review::DEFAULT_FOLLOW_UP,
                        ..def
                    },
                    profile,
                );
            }
        }
        form
    }

    /// The form filled with a stored definition.
    pub fn from_definition(
        kind: ContestKind,
        def: &ContestDefinition,
        profile: &RuleProfile,
    ) -> ContestForm {
        let t = def.threshold;
        ContestForm {
            title: def.title.clone(),
            body: def.body.clone(),
            seats: def.seats.map(|s| s.to_string()).unwrap_or_default(),
            allow_write_in: def.allow_write_in.then(|| "on".to_string()),
            margin_override: def.margin_override.clone().unwrap_or_default(),
            motion_kind: def
                .motion_kind
                .map(|m| m.as_str().to_string())
                .unwrap_or_default(),
            threshold_preset: if kind == ContestKind::Review {
                "custom"
            } else {
                preset_of(kind, def, profile)
            }
            .to_string(),
            threshold_base: base_str(t.base).to_string(),
            threshold_num: t.fraction.num.to_string(),
            threshold_den: t.fraction.den.to_string(),
            threshold_mode: if t.fraction.strict {
                "strict"
            } else {
                "inclusive"
            }
            .to_string(),
            threshold_reason: def.threshold_reason.clone().unwrap_or_default(),
            election_kind: def
                .kind_of_election()
                .unwrap_or_default()
                .as_str()
                .to_string(),
        }
    }

    fn custom_threshold(&self, problems: &mut Vec<String>) -> Option<Threshold> {
        let base = parse_base(&self.threshold_base);
        if base.is_none() {
            problems.push("请选择通过标准的计算基数(实到代表数、有效票数或应到代表数)".to_string());
        }
        let mut number = |label: &str, v: &str| match v.trim().parse::<u32>() {
            Ok(n) => Some(n),
            Err(_) => {
                problems.push(format!("通过标准的{label}应为正整数，现为“{}”", v.trim()));
                None
            }
        };
        let num = number("分子", &self.threshold_num);
        let den = number("分母", &self.threshold_den);
        let strict = match self.threshold_mode.as_str() {
            "strict" => Some(true),
            "inclusive" => Some(false),
            _ => {
                problems.push("请选择“超过”或“达到(含)”".to_string());
                None
            }
        };
        Some(Threshold {
            base: base?,
            fraction: Fraction::new(num?, den?, strict?),
        })
    }

    /// Parses the form into a definition of `kind`; every unreadable field in the error.
    /// Rule checks (C1 seats, lengths) are the service's.
    pub fn definition(
        &self,
        kind: ContestKind,
        profile: &RuleProfile,
    ) -> Result<ContestDefinition, Vec<String>> {
        let mut problems = Vec::new();
        let seats = match kind {
            ContestKind::Motion | ContestKind::Review => None,
            ContestKind::Election => match self.seats.trim().parse::<u32>() {
                Ok(n) => Some(n),
                Err(_) => {
                    problems.push(format!("“应选名额”应为正整数，现为“{}”", self.seats.trim()));
                    None
                }
            },
        };
        let motion_kind = match kind {
            ContestKind::Election | ContestKind::Review => None,
            ContestKind::Motion => {
                let m = MotionKind::parse(&self.motion_kind);
                if m.is_none() {
                    problems.push("请选择表决事项类别(工作报告、章程修正案或其他)".to_string());
                }
                m
            }
        };
        let election_kind = match (kind, self.election_kind.trim()) {
            (ContestKind::Motion | ContestKind::Review, _) => None,
            (ContestKind::Election, "") => Some(ElectionKind::Presidium),
            (ContestKind::Election, k) => {
                let ek = ElectionKind::parse(k);
                if ek.is_none() {
                    problems.push(format!(
                        "“选举类别”应为主席团、委员会、常任代表或其他，现为“{k}”"
                    ));
                }
                ek
            }
        };
        let mut def = ContestDefinition {
            title: self.title.clone(),
            body: self.body.clone(),
            motion_kind,
            seats,
            allow_write_in: kind == ContestKind::Election && self.allow_write_in.is_some(),
            threshold: Threshold::ORDINARY,
            margin_override: (kind == ContestKind::Election).then(|| self.margin_override.clone()),
            election_kind,
            threshold_reason: Some(self.threshold_reason.clone()),
        };
        let threshold = match self.threshold_preset.trim() {
            "" | "kind" => Some(default_threshold(kind, &def, profile)),
            "custom" => self.custom_threshold(&mut problems),
            p => match ThresholdPreset::parse(p) {
                Some(preset) => Some(preset.threshold(profile)),
                None => {
                    problems.push(format!("未知的通过标准“{p}”"));
                    None
                }
            },
        };
        if let Some(t) = threshold {
            def.threshold = t;
        }
        if problems.is_empty() {
            Ok(def)
        } else {
            Err(problems)
        }
    }
}

/// The fields of the candidate form (add and edit), as submitted.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct CandidateForm {
    pub name: String,
    pub student_no: String,
    pub college: String,
    /// "" | male | female
    pub gender: String,
    pub political_status: String,
    /// Blank = not provided.
    pub rank_pct: String,
    /// Blank = 0.
    pub failed_courses: String,
    pub eligibility_override: String,
}

/// A whole number from a form field, with a "%" or "前" tolerated for rankings.
fn whole(label: &str, v: &str, problems: &mut Vec<String>) -> Option<u32> {
    let t = v
        .trim()
        .trim_start_matches('前')
        .trim_end_matches(['%', '％']);
    match t.parse::<u32>() {
        Ok(n) => Some(n),
        Err(_) => {
            problems.push(format!("“{label}”应为整数，现为“{}”", v.trim()));
            None
        }
    }
}

impl CandidateForm {
    /// The form filled with a stored candidate.
    pub fn from_candidate(c: &Candidate) -> CandidateForm {
        CandidateForm {
            name: c.name.clone(),
            student_no: c.student_no.clone(),
            college: c.college.clone(),
            gender: match c.gender {
                Some(Gender::Male) => "male",
                Some(Gender::Female) => "female",
                None => "",
            }
            .to_string(),
            political_status: c.political_status.clone(),
            rank_pct: c.rank_pct.map(|p| p.to_string()).unwrap_or_default(),
            failed_courses: c.failed_courses.to_string(),
            eligibility_override: c.eligibility_override.clone().unwrap_or_default(),
        }
    }

    /// Parses the form; every unreadable field in the error.
    pub fn data(&self) -> Result<CandidateData, Vec<String>> {
        let mut problems = Vec::new();
        let gender = match self.gender.trim() {
            "" => None,
            "male" | "男" => Some(Gender::Male),
            "female" | "女" => Some(Gender::Female),
            other => {
                problems.push(format!("“性别”应为男或女，现为“{other}”"));
                None
            }
        };
        let rank_pct = match self.rank_pct.trim() {
            "" => None,
            v => whole("专业排名百分比", v, &mut problems),
        };
        let failed_courses = match self.failed_courses.trim() {
            "" => 0,
            v => whole("不及格门数", v, &mut problems).unwrap_or(0),
        };
        if problems.is_empty() {
            Ok(CandidateData {
                name: self.name.clone(),
                student_no: self.student_no.clone(),
                college: self.college.clone(),
                gender,
                political_status: self.political_status.clone(),
                rank_pct,
                failed_courses,
                eligibility_override: Some(self.eligibility_override.clone()),
            })
        } else {
            Err(problems)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contest_form_round_trips_and_reports_every_bad_field() {
        let p = RuleProfile::default();
        let mut f = ContestForm::new(ContestKind::Election, &p);
        f.title = "选举主席团成员".into();
        f.seats = "5".into();
        let def = f.definition(ContestKind::Election, &p).unwrap();
        assert_eq!(def.seats, Some(5));
        assert!(def.allow_write_in);
        assert_eq!(def.threshold, p.election_threshold);

        f.seats = "五".into();
        f.threshold_preset = "custom".into();
        f.threshold_num = "x".into();
        let err = f.definition(ContestKind::Election, &p).unwrap_err();
        assert_eq!(err.len(), 2, "{err:?}");
        assert!(err[0].contains("应选名额"));
        assert!(err[1].contains("分子"));

        let mut m = ContestForm::new(ContestKind::Motion, &p);
        m.title = "审议章程修正案".into();
        m.motion_kind = "charter".into();
        m.threshold_preset = String::new();
        let def = m.definition(ContestKind::Motion, &p).unwrap();
        assert_eq!(def.threshold, Threshold::CHARTER);
        assert_eq!(def.seats, None);
        assert_eq!(def.margin_override, None);
        let back = ContestForm::from_definition(ContestKind::Motion, &def, &p);
        assert_eq!(back.threshold_preset, "kind");
        assert_eq!(
            (back.threshold_num.as_str(), back.threshold_den.as_str()),
            ("2", "3")
        );
    }

    #[test]
    fn candidate_form_reads_percentages_and_blanks() {
        let f = CandidateForm {
            name: "欧阳娜".into(),
            student_no: "2022050301".into(),
            college: "外国语学院".into(),
            gender: "female".into(),
            political_status: "中共预备党员".into(),
            rank_pct: "前15%".into(),
            failed_courses: "".into(),
            eligibility_override: "".into(),
        };
        let d = f.data().unwrap();
        assert_eq!((d.rank_pct, d.failed_courses), (Some(15), 0));
        assert_eq!(d.gender, Some(Gender::Female));
        let bad = CandidateForm {
            gender: "x".into(),
            rank_pct: "靠前".into(),
            ..f
        };
        assert_eq!(bad.data().unwrap_err().len(), 2);
    }
}
