//! Shape mistakes are compile errors, and their messages are part of the crate: each
//! case in `tests/ui/` is compiled and its error compared with the reviewed `.stderr`
//! snapshot next to it. `TRYBUILD=overwrite cargo test -p backprop-checks --test ui` rewrites them
//! (then read each one before committing).
//!
//! The sizes a convolution's type states but stable Rust cannot compute (its output,
//! `C·H·W`) are checked when a layer is compiled for an input shape: a build error, not
//! a `cargo check` one. With a passing case in `tests/ui-pass/`, trybuild builds every
//! case instead of only checking it, so those snapshots are taken too.

use std::process::{Command, Stdio};

/// Set in the child process that runs trybuild (see [`shape_errors_read_well`]).
const CHILD: &str = "BACKPROP_UI_CHILD";

/// The test's own name, which the child is told to run.
const NAME: &str = "shape_errors_read_well";

/// The flags trybuild gives rustc for the cases (trybuild 1.0.122, pinned in
/// Cargo.toml: src/rustflags.rs and src/cargo.rs), `\x1f`-separated as
/// `CARGO_ENCODED_RUSTFLAGS` takes them.
const TRYBUILD_FLAGS: &str =
    "--cfg\x1ftrybuild\x1f--verbose\x1f-A\x1fdead_code\x1f--diagnostic-width=140";

/// trybuild builds the cases' dependencies with its flags, then the cases with one flag
/// more (`--diagnostic-width=140`); cargo builds every dependency again for the new
/// flags (the crate and rand were each in trybuild's target twice). So trybuild runs in
/// a child process of this test whose environment hands its nested cargo one set of
/// flags, trybuild's own for the cases: `CARGO_ENCODED_RUSTFLAGS` outranks the flags
/// trybuild passes as `--config`, so the snapshots read the same and the dependencies
/// are built once; without debug info, as nothing is debugged there. On 2 cores (Zen 3,
/// a fresh trybuild target, `cargo test --release -p backprop-checks`) this test took
/// 81 s, now 31 s. As trybuild does, a coverage build's `-C instrument-coverage` in
/// `RUSTFLAGS` is passed on. Only that child gets the variables:
/// set for the whole repository (`.cargo/config.toml`), they reached the integration
/// tests' own nested `cargo build` of the examples and rebuilt them all.
#[test]
fn shape_errors_read_well() {
    if std::env::var_os(CHILD).is_some() {
        let t = trybuild::TestCases::new();
        t.pass("tests/ui-pass/*.rs");
        t.compile_fail("tests/ui/*.rs");
        return;
    }
    let mut flags = TRYBUILD_FLAGS.to_string();
    let rustflags = std::env::var("RUSTFLAGS").unwrap_or_default();
    if rustflags.contains("-C instrument-coverage") {
        flags.push_str("\x1f-C\x1finstrument-coverage");
    }
    let exe = std::env::current_exe().expect("the test binary's path");
    // The child's report (which cases passed) goes straight to this terminal, as it
    // comes; only the last line, the harness's count, is read back.
    let out = Command::new(exe)
        .args(["--exact", NAME, "--nocapture"])
        .env(CHILD, "1")
        .env("CARGO_ENCODED_RUSTFLAGS", flags)
        .env("CARGO_PROFILE_DEV_DEBUG", "0")
        .stderr(Stdio::inherit())
        .output()
        .expect("the test binary runs itself");
    let report = String::from_utf8_lossy(&out.stdout);
    println!("{report}");
    assert!(
        out.status.success(),
        "trybuild failed ({}): its report is above",
        out.status
    );
    // A child that ran no test (a renamed function) would exit 0 too.
    assert!(
        report.contains("test result: ok. 1 passed"),
        "the child ran no snapshot test:\n{report}"
    );
}
