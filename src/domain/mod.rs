//! The rules (`docs/rules.md`) as plain Rust: no IO, no database, no web.
//! A reviewer from the league office should be able to read this module on its own.

pub mod approval;
pub mod ballot;
pub mod calendar;
pub mod candidates;
pub mod codes;
pub mod contest;
pub mod ids;
pub mod quota;
pub mod review;
pub mod roster;
pub mod settings;
pub mod state;
pub mod strokes;
pub mod tally;
pub mod term;
pub mod types;
