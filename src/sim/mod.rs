//! Whole congresses run by the machine: the synthetic school and the scenario behind
//! `congress simulate`, `congress bench` and the demo.

pub mod ballot_box_phase;
pub mod bench;
pub mod client;
pub mod hall;
pub mod http;
pub mod paper;
pub mod process;
pub mod run;
pub mod scenario;
pub mod school;
pub mod simulate;
