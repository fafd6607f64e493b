//! The `c4c` binary: everything happens in [`c4c::cli::run`].

fn main() -> std::process::ExitCode {
    c4c::cli::run()
}
