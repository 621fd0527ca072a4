//! The roster binary: everything lives in the library.

// mimalloc: bulk work (import, apply) makes and frees millions of small strings,
// where glibc's allocator spent a third of the time consolidating its free lists.
// Without transparent huge pages (feature no_thp): zeroing the first 2 MiB page
// cost every command 0.4 ms at start, a sixth of `roster list` on 100 users.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    roster::main()
}
