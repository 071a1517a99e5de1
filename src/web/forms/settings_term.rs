//! The term's fields of the settings form (rule I6, issue 15): the term's length and the
//! semesters' first days; blank keeps the stored value.

use crate::domain::settings::term_dates::MAX_TERM_YEARS;
use crate::domain::settings::{term_problems, MonthDay, RuleProfile};
use crate::web::forms::FieldError;

use super::{clean, count, SettingsForm};

impl SettingsForm {
    /// The term's settings (I6): blank keeps the stored value; the pair of semester starts is
    /// checked together (`term_problems`).
    pub(super) fn parse_term(
        &self,
        current: &RuleProfile,
        p: &mut RuleProfile,
        errs: &mut Vec<FieldError>,
    ) {
        p.term_years = current.term_years;
        p.semester_starts = current.semester_starts;
        if !clean(&self.term_years).is_empty() {
            match count("届期(年)", &self.term_years, 1, MAX_TERM_YEARS) {
                Ok(v) => p.term_years = v,
                Err(e) => errs.push(e.rule("I6")),
            }
        }
        let fields = [
            ("第二学期开始日期", &self.spring_start),
            ("第一学期开始日期", &self.autumn_start),
        ];
        let mut dates_ok = true;
        for (i, (label, value)) in fields.into_iter().enumerate() {
            let v = clean(value);
            if v.is_empty() {
                continue;
            }
            match MonthDay::parse(&v) {
                Some(md) => p.semester_starts[i] = md,
                None => {
                    dates_ok = false;
                    errs.push(
                        FieldError::new(label, &v, "每年都有的日期(月-日), 如 03-01").rule("I6"),
                    );
                }
            }
        }
        if dates_ok {
            let problems = term_problems(p.term_years, p.semester_starts);
            if problems.iter().any(|m| m.contains("学期")) {
                errs.push(FieldError::new(
                    "学期开始日期",
                    &format!(
                        "第二学期 {} / 第一学期 {}",
                        p.semester_starts[0], p.semester_starts[1]
                    ),
                    "第二学期先于第一学期开始(同一日历年内), 两个学期各至少4周(规则I6)",
                ));
            }
        }
    }
}
