//! The downloadable templates (`templates/*.csv`) and the demo school (`templates/sample/`),
//! embedded in the binary.

use super::columns::FileKind;

impl FileKind {
    /// The file name of the template and of the sample (`nominees.csv`).
    pub fn file_name(self) -> &'static str {
        match self {
            FileKind::Enrolment => "enrolment.csv",
            FileKind::Nominees => "nominees.csv",
            FileKind::Roster => "roster.csv",
            FileKind::Societies => "societies.csv",
            FileKind::Candidates => "candidates.csv",
        }
    }

    /// The empty template organisers download: UTF-8 with BOM, Chinese headers, one example row.
    pub fn template(self) -> &'static [u8] {
        match self {
            FileKind::Enrolment => include_bytes!("../../templates/enrolment.csv"),
            FileKind::Nominees => include_bytes!("../../templates/nominees.csv"),
            FileKind::Roster => include_bytes!("../../templates/roster.csv"),
            FileKind::Societies => include_bytes!("../../templates/societies.csv"),
            FileKind::Candidates => include_bytes!("../../templates/candidates.csv"),
        }
    }

    /// The demo school's file of this kind; `None` for the roster, which the demo generates.
    ///
    /// The demo school: 8 colleges, 15,993 students, quotas summing to 164 at 1%; its plain
    /// ranking by votes breaks B2 in 计算机学院, B3 in 文学院 and B5 congress-wide, and a valid
    /// roster exists (`tests/fixtures/roster.utf8.csv` is one).
    pub fn sample(self) -> Option<&'static [u8]> {
        match self {
            FileKind::Enrolment => Some(include_bytes!("../../templates/sample/enrolment.csv")),
            FileKind::Nominees => Some(include_bytes!("../../templates/sample/nominees.csv")),
            FileKind::Societies => Some(include_bytes!("../../templates/sample/societies.csv")),
            FileKind::Candidates => Some(include_bytes!("../../templates/sample/candidates.csv")),
            FileKind::Roster => None,
        }
    }
}
