//! Congress (学代会选举系统): a Chinese university student congress from the delegate quota to
//! the certified, independently verifiable result.
//!
//! Layers, imports pointing downwards only (the table: `docs/architecture.md`, "Structure";
//! checked by `tests/it/layers.rs`):
//! - [`errors`]: which error type to use when; the shared `context` and `chain`.
//! - [`domain`]: the rules of `docs/rules.md` as pure functions (quota, roster and its
//!   generation, candidates, ballots, tally, the congress and the contest as state machines).
//! - [`crypto`]: canonical JSON, SHA-256, RFC 6962 Merkle trees, Ed25519 keys, tokens.
//! - [`csv_out`]: every CSV the system writes (BOM, CRLF, no formula cells).
//! - [`import`]: the organisers' files (CSV in UTF-8/GBK, .xlsx) into domain types.
//! - [`storage`]: diesel over SQLite and PostgreSQL.
//! - [`packet`]: the certified record, the filing packet and its verification.
//! - [`registry`]: the filing office (`congress registry`): packets filed by many schools,
//!   verified on arrival, and the indicators the policies set, per school and per year.
//! - [`service`]: one function per action (state check, rules, storage, audit).
//! - [`web`]: actix-web handlers and maud views.
//! - [`sim`]: a synthetic school voting over HTTP (`congress simulate`, `bench`, the demo).
//! - [`cli`]: the `congress` command.

pub mod cli;
pub mod config;
pub mod crypto;
pub mod csv_out;
pub mod demo;
pub mod domain;
pub mod errors;
pub mod import;
pub mod packet;
pub mod registry;
pub mod service;
pub mod sim;
pub mod storage;
pub mod web;
