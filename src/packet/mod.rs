//! The published artefacts and the filing packet: boards, the certified record and its
//! addenda, the packet on disk, and its verification by an outsider.
//!
//! - [`format`]: the types and file layout (the contract of `docs/formats.md`).
//! - [`board`]: a contest's board from its stored ballots; audit paths.
//! - [`record`]: signing the record and addenda; the tally rules a record states.
//! - [`report`]: the printable certified record (选举结果报告单), on paper and as the packet's
//!   `report.html`; [`assemble`] puts the whole packet together.
//! - [`write`]: the packet on disk and as a zip; the rolls.
//! - [`verify`]: every check an observer makes, reading only the packet.
//! - [`verify_txt`]: VERIFY.txt and the standalone Python verifier.
//! - [`chart`]: pictures as server-drawn SVG (quota, roster, attendance, result bars),
//!   shared by the staff pages, the results page and the printed record.
//! - [`review_xlsx`]: a 述职评议's result as an Excel workbook (rule H5).
//! - [`xlsx`]: every .xlsx table for the offices (header, widths, text IDs, print setup).

pub mod approval;
pub mod board;
pub mod chart;
mod error;
pub mod format;
pub mod record;
pub mod report;
pub mod review_xlsx;
pub mod verify;
pub mod verify_txt;
pub mod write;
pub mod xlsx;

#[cfg(test)]
pub(crate) mod test_data;

pub use board::{build_board, count_board, proof, BoxFacts, BuiltBoard, CountedBoard, Proof};
pub use error::PacketError;
pub use record::{contest_spec, sign_addendum, sign_record, turnout, Signed};
pub use report::assemble;
pub use verify::{verify_packet, Check, Checklist};
pub use write::{roll_csv, write_packet, zip_packet, PacketContents};
