//! The organisers' files (CSV in UTF-8 or GBK/GB18030, .xlsx) into domain types.
//!
//! IO-free: every function takes the bytes and the file name it was given. Two steps:
//! [`read_table`] turns bytes into a [`Table`] of normalised text cells (encoding, delimiter,
//! workbook, full-width characters, blank rows), then one parser per kind of file maps the
//! columns ([`FileKind`]: Chinese headers canonical, English aliases accepted) and returns the
//! domain values, or every problem at once as [`ImportErrors`] naming file, row and column.
//! An import is all or nothing: a file with one bad row among a hundred imports nothing.
//! [`warnings`] lists what was ignored (unknown columns, values without a header).
//!
//! ```
//! use congress::import::{parse_enrolment, read_table};
//! let bytes = "学院,年级,人数\n文学院,2023级,\"1,563\"\n".as_bytes();
//! let colleges = parse_enrolment(&read_table("enrolment.csv", bytes).unwrap()).unwrap();
//! assert_eq!(colleges[0].total(), 1563);
//! ```

mod candidates;
mod columns;
mod enrolment;
mod error;
mod normalize;
mod samples;
mod societies;
mod students;
mod table;
mod values;
mod warnings;
mod write;
mod xlsx;

#[cfg(test)]
mod tests;

pub use candidates::{parse_candidates, CandidateInput};
pub use columns::{column_letter, Field, FileKind, Need};
pub use enrolment::parse_enrolment;
pub use error::{ImportError, ImportErrors};
pub use normalize::{normalize_cell, normalize_grade};
pub use societies::parse_societies;
pub use students::{parse_nominees, parse_roster};
pub use table::{read_table, Row, Table};
pub use warnings::warnings;
pub use write::{roster_row, write_roster_csv};
