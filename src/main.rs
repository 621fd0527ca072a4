//! The roster binary: everything lives in the library.

// mimalloc: bulk work (import, apply) makes and frees millions of small strings,
// where glibc's allocator spent a third of the time consolidating its free lists.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    roster::main()
}
