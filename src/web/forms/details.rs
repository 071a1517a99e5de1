//! The congress's details form (name, school, level, session, date, place), posted when a
//! congress is created and on its set-up page.

use serde::Deserialize;

use super::FieldError;
use crate::domain::types::Level;
use crate::service::scrutineers::normalise;
use crate::service::ServiceError;
use crate::storage::repo::congress::{Congress, CongressDetails};
use crate::web::error::WebError;

/// The details as posted.
#[derive(Debug, Deserialize)]
pub struct DetailsForm {
    pub name: String,
    pub school: String,
    pub level: String,
    pub session_no: String,
    pub date: String,
    pub place: String,
}

impl DetailsForm {
    /// Parses the form; `level` and `session_no` errors are reported like the others.
    pub fn details(&self) -> Result<CongressDetails, WebError> {
        let level = Level::parse(&self.level).ok_or_else(|| {
            WebError::BadRequest(format!("“级别”应为校级或院级, 现为“{}”", self.level))
        })?;
        let session_no = self.session_no.trim().parse::<u32>().map_err(|_| {
            WebError::BadRequest(format!("“届次”应为正整数, 现为“{}”", self.session_no))
        })?;
        Ok(CongressDetails {
            name: self.name.clone(),
            school: self.school.clone(),
            level,
            session_no,
            date: self.date.clone(),
            place: self.place.clone(),
        })
    }
}

/// The details form's values from a congress (to fill the form).
pub fn details_form(c: &Congress) -> DetailsForm {
    DetailsForm {
        name: c.name.clone(),
        school: c.school.clone(),
        level: c.level.as_str().to_string(),
        session_no: c.session_no.to_string(),
        date: c.date.clone(),
        place: c.place.clone(),
    }
}

/// Parses the details form; every problem (parse and content) in one list.
pub fn parse_details(f: &DetailsForm) -> Result<CongressDetails, Vec<String>> {
    let mut errs = Vec::new();
    let level = Level::parse(&f.level);
    if level.is_none() {
        errs.push(FieldError::new("级别", &f.level, "校级或院级").message());
    }
    let session_no = normalise(Some(&f.session_no)).and_then(|s| s.parse::<u32>().ok());
    if session_no.is_none() {
        errs.push(FieldError::new("届次", &f.session_no, "正整数, 如“10”表示第10次").message());
    }
    let details = CongressDetails {
        name: f.name.clone(),
        school: f.school.clone(),
        level: level.unwrap_or(Level::School),
        session_no: session_no.unwrap_or(1),
        date: f.date.clone(),
        place: f.place.clone(),
    };
    if let Err(ServiceError::Invalid { details: d, .. }) =
        crate::service::congress::validate_details(&details)
    {
        errs.extend(d);
    }
    if errs.is_empty() {
        Ok(details)
    } else {
        Err(errs)
    }
}
