//! Whole congresses run by the machine: the synthetic school and the scenario behind
//! `congress simulate`, `congress bench` and the demo.

pub mod ballot_box_phase;
pub mod bench;
pub mod bench_report;
pub mod calibrate;
pub mod client;
pub mod counters;
pub mod hall;
pub mod http;
pub mod marks;
pub mod paper;
pub mod process;
pub mod run;
pub mod scenario;
pub mod school;
pub mod simulate;
pub mod soak;
pub mod soak_agenda;
pub mod soak_churn;
pub mod soak_poll;
pub mod stall;
pub mod term;
