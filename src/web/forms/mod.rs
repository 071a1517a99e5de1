//! The forms as the browser posts them (every field a string) and their parsing into the
//! services' inputs, one module per form: a refused form is shown again as it was filled, with
//! one message per bad field saying which field, what was given and what is expected.

pub mod ballot;
pub mod contests;
pub mod details;
pub mod paper;
pub mod review_ballot;
pub mod settings;

/// A field that did not parse: which, what was given, what is expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message())]
pub struct FieldError {
    /// The field's Chinese label, as on the form.
    pub field: &'static str,
    pub given: String,
    pub expected: String,
}

impl FieldError {
    pub(crate) fn new(field: &'static str, given: &str, expected: impl Into<String>) -> FieldError {
        FieldError {
            field,
            given: given.to_string(),
            expected: expected.into(),
        }
    }

    /// The same error with the rule named after what is expected, e.g. "1到5之间的整数(规则C1)".
    pub(crate) fn rule(self, rule: &str) -> FieldError {
        FieldError {
            expected: format!("{}(规则{rule})", self.expected),
            ..self
        }
    }

    /// "“名额比例”填写的是“abc”, 应为..." (or "未填写" when blank).
    pub fn message(&self) -> String {
        if self.given.trim().is_empty() {
            format!("“{}”未填写, 应为{}", self.field, self.expected)
        } else {
            format!(
                "“{}”填写的是“{}”, 应为{}",
                self.field, self.given, self.expected
            )
        }
    }
}
