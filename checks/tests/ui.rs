//! Shape mistakes are compile errors, and their messages are part of the crate: each
//! case in `tests/ui/` is compiled and its error compared with the reviewed `.stderr`
//! snapshot next to it. `TRYBUILD=overwrite cargo test -p backprop-checks --test ui` rewrites them
//! (then read each one before committing).
//!
//! The sizes a convolution's type states but stable Rust cannot compute (its output,
//! `C·H·W`) are checked when a layer is compiled for an input shape: a build error, not
//! a `cargo check` one. With a passing case in `tests/ui-pass/`, trybuild builds every
//! case instead of only checking it, so those snapshots are taken too.
//!
//! trybuild's nested cargo gets its flags from `.cargo/config.toml` (`[env]`): without
//! them it built every dependency twice, once with its flags and once with the cases'.

#[test]
fn shape_errors_read_well() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui-pass/*.rs");
    t.compile_fail("tests/ui/*.rs");
}
