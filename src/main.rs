//! The roster binary: everything lives in the library.

fn main() -> std::process::ExitCode {
    roster::main()
}
