//! The `c4c` binary: everything happens in [`c4c::cli::run`].

/// mimalloc instead of the system allocator: a compile allocates and frees
/// millions of small strings and vectors (syntax trees, labels, diagram
/// text) on every core; with glibc's malloc that was about a fifth of all CPU
/// time at 100,000 elements (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    c4c::cli::run()
}
