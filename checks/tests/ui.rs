//! Shape mistakes are compile errors, and their messages are part of the crate: each
//! case in `tests/ui/` is compiled and its error compared with the reviewed `.stderr`
//! snapshot next to it. `TRYBUILD=overwrite cargo test -p backprop-checks --test ui` rewrites them
//! (then read each one before committing).

#[test]
fn shape_errors_read_well() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
