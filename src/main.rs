//! The `congress` binary: everything lives in the library; see `congress --help`.

fn main() -> std::process::ExitCode {
    congress::cli::main()
}
