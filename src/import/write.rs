//! Writing a roster back out as the CSV organisers open in Excel (`roster generate --out`, the
//! download on the roster page).

use super::columns::FileKind;
use crate::domain::types::{DelegateKind, RosterEntry, Student};

/// One roster row in the columns of [`FileKind::Roster`], societies joined with `;`: the CSV
/// and the .xlsx download write the same cells, so both import back alike.
pub fn roster_row(s: &Student, kind: DelegateKind) -> [String; 9] {
    [
        s.name.clone(),
        s.student_no.clone(),
        s.college.clone(),
        s.grade.clone(),
        s.gender.zh().to_string(),
        s.union_role.clone().unwrap_or_default(),
        s.political_status.clone().unwrap_or_default(),
        s.societies.join(";"),
        kind.zh().to_string(),
    ]
}

/// A roster as CSV (`csv_out`: UTF-8 with a BOM, CRLF line ends, formula cells guarded), with
/// the Chinese headers of [`FileKind::Roster`] (the columns [`parse_roster`](super::parse_roster)
/// reads), societies joined with `;`. Reading the bytes back gives the same students and kinds.
/// Writing into memory fails only on a bug in `csv`; the error is passed on all the same.
pub fn write_roster_csv(entries: &[RosterEntry]) -> Result<Vec<u8>, csv::Error> {
    let mut out = crate::csv_out::CsvOut::new();
    out.row(FileKind::Roster.headers())?;
    for e in entries {
        out.row(roster_row(&e.student, e.kind))?;
    }
    out.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::types::{DelegateKind, Gender, Student};
    use crate::import::{parse_roster, read_table};

    fn entry(
        name: &str,
        no: &str,
        gender: Gender,
        role: Option<&str>,
        kind: DelegateKind,
    ) -> RosterEntry {
        RosterEntry {
            student: Student {
                name: name.into(),
                student_no: no.into(),
                college: "外国语学院".into(),
                grade: "2023级".into(),
                gender,
                union_role: role.map(Into::into),
                political_status: Some("共青团员".into()),
                societies: vec!["大学生艺术团".into(), "摄影协会".into()],
            },
            kind,
            row: None,
        }
    }

    #[test]
    fn written_roster_reads_back() {
        let entries = vec![
            entry(
                "周敏",
                "2023030011",
                Gender::Female,
                Some("校学生会主席团成员"),
                DelegateKind::ExOfficio,
            ),
            entry(
                "阿依古丽·买买提",
                "2023030045",
                Gender::Female,
                None,
                DelegateKind::Elected,
            ),
            entry(
                "吴\"磊\"",
                "2023030046",
                Gender::Male,
                None,
                DelegateKind::Society,
            ),
        ];
        let bytes = write_roster_csv(&entries).unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF\xE5\xA7\x93\xE5\x90\x8D,")); // BOM + 姓名,
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        assert!(text.starts_with("姓名,学号,学院,年级,性别,学生会职务,政治面貌,社团,代表类别\r\n"));
        assert_eq!(text.lines().count(), 4);
        let back = parse_roster(&read_table("roster.csv", &bytes).unwrap()).unwrap();
        assert_eq!(back.len(), 3);
        for (i, (a, b)) in entries.iter().zip(&back).enumerate() {
            assert_eq!(a.student, b.student);
            assert_eq!(a.kind, b.kind);
            assert_eq!(b.row, Some(i + 2));
        }
    }

    #[test]
    fn a_society_name_with_a_separator_does_not_round_trip() {
        // Known limit, documented: list cells split on `,` `;` `、`.
        let mut e = entry(
            "周敏",
            "2023030011",
            Gender::Female,
            None,
            DelegateKind::Elected,
        );
        e.student.societies = vec!["书法、绘画协会".into()];
        let back =
            parse_roster(&read_table("r.csv", &write_roster_csv(&[e]).unwrap()).unwrap()).unwrap();
        assert_eq!(back[0].student.societies, vec!["书法", "绘画协会"]);
    }
}
