//! The `congress` binary: everything lives in the library; see `congress --help`.

/// mimalloc instead of glibc's allocator: counting a million ballots allocates and frees
/// millions of small objects from several threads, where glibc's free dominated the profile
/// (README, Performance).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    congress::cli::main()
}
