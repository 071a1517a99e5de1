//! The filing office (备案登记, `congress registry`): the league office at the next level up
//! runs the same binary in registry mode; schools file their packets (web upload or API, each
//! school with its own account), every packet is verified on arrival with the code of
//! `congress verify`, its signing key checked against the pins, and it is stored and listed
//! per school and per year; the office sees every school's standing and the indicators the
//! policies set, and exports them. The design of record is docs/registry.md.
//!
//! - [`indicators`]: the indicators of one congress from its packet (shared with the school's
//!   own self-assessment, 自评表); [`facts`] builds their input from where a packet is;
//!   [`assessment`] is the school's side (its congress's own database).
//! - [`status`]: filed on time, late, pending, overdue or missing (pure date rules).
//! - [`unpack`]: an upload unpacked safely (zip bombs, path traversal, limits).
//! - [`ingest`]: examine (unpack + verify) then record (pins, store, filing or refusal).
//! - [`store`]: the packet files, one immutable file per packet.
//! - [`service`]: schools, accounts, keys entered by the office, settings.
//! - [`table`] and [`xlsx`]: the province table and its export.
//! - [`synth`], [`corpus`] and [`bench`]: synthetic packets, many of them, and the scale
//!   measurement.

pub mod assessment;
pub mod bench;
pub mod corpus;
pub mod facts;
pub mod indicators;
pub mod ingest;
pub mod service;
pub mod status;
pub mod store;
pub mod synth;
pub mod table;
pub mod unpack;
pub mod xlsx;

use std::path::PathBuf;

/// How a registry server is configured (`congress registry serve`).
#[derive(Debug, Clone)]
pub struct RegistryConfig {
    pub store: store::Store,
    pub limits: unpack::Limits,
}

impl RegistryConfig {
    /// The store at `dir` (created if needed) with `limits`.
    pub fn open(dir: PathBuf, limits: unpack::Limits) -> std::io::Result<RegistryConfig> {
        Ok(RegistryConfig {
            store: store::Store::open(&dir)?,
            limits,
        })
    }
}
