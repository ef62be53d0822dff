//! What the tests share: running an example binary as a user would, its output as
//! text, a temporary directory for what it writes, and (in their own files) pictures
//! encoded as image files, the decoder the predict example reads them with, and the
//! book's net for the tests that save and load weights.
//!
//! The test modules use part of it each.
#![allow(dead_code)]

pub mod book_net;
pub mod picture;

/// The predict example's image decoder, which the tests that write digits as image
/// files read them back through.
#[path = "../../examples/common/image_file.rs"]
pub mod image_file;
/// The book's SimpleConvNet, as the `simple_convnet` example builds it.
#[path = "../../examples/common/simple_convnet_net.rs"]
pub mod simple_convnet_net;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The examples the tests run. The first [`run_example`] of a test process has Cargo
/// bring all of them up to date at once (nothing to do after a plain `cargo test`,
/// which has just built them).
const EXAMPLES: &[&str] = &[
    "batch_norm_compare",
    "buy_apple",
    "buy_apple_orange",
    "chain_rule",
    "custom_layer",
    "gradient_check",
    "optimizer_compare",
    "overfit_dropout",
    "overfit_weight_decay",
    "predict",
    "regression",
    "simple_convnet",
    "train",
    "weight_init_compare",
];

/// Runs the example `name` with `args` as a user runs it (from the repository's root,
/// `BACKPROP_OUT` set to `out` when given and unset otherwise): the binary built with
/// the same profile as the tests (`--release`, as the README runs them), without a
/// `cargo run` each time.
pub fn run_example(name: &str, args: &[&str], out: Option<&Path>) -> Output {
    let mut command = Command::new(example_binary(name));
    command
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("BACKPROP_OUT");
    if let Some(dir) = out {
        command.env("BACKPROP_OUT", dir);
    }
    command
        .output()
        .unwrap_or_else(|e| panic!("example {name} runs: {e}"))
}

/// The path of the example `name`'s binary, next to this test binary
/// (`target/<profile>/deps/…` → `target/<profile>/examples/<name>`), up to date with
/// the sources: `cargo test` builds the examples before it runs the tests, but
/// `cargo test --test integration` does not, so the first call asks Cargo to build
/// [`EXAMPLES`] with this binary's profile and target directory (a no-op, about 0.2 s,
/// when they are up to date).
pub fn example_binary(name: &str) -> PathBuf {
    assert!(
        EXAMPLES.contains(&name),
        "add {name:?} to EXAMPLES in tests/common/mod.rs"
    );
    static PROFILE_DIR: OnceLock<PathBuf> = OnceLock::new();
    let profile_dir = PROFILE_DIR.get_or_init(build_examples);
    profile_dir
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
}

/// Builds [`EXAMPLES`] as this test binary was built; returns its `target/<profile>`.
fn build_examples() -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    // target/<profile>/deps/<test binary>, or target/<triple>/<profile>/deps/… when
    // built with --target.
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("the test binary is in target/<profile>/deps")
        .to_path_buf();
    let profile = profile_dir.file_name().unwrap().to_str().unwrap();
    let mut above = profile_dir.parent().unwrap();
    let mut cargo = Command::new(std::env::var_os("CARGO").unwrap_or(env!("CARGO").into()));
    cargo
        .args(["build", "--quiet", "--profile"])
        .arg(if profile == "debug" { "dev" } else { profile })
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    if !above.join("CACHEDIR.TAG").exists()
        && let Some(triple) = above.file_name().and_then(|t| t.to_str())
        && triple.contains('-')
    {
        cargo.args(["--target", triple]);
        above = above.parent().unwrap();
    }
    cargo.arg("--target-dir").arg(above);
    for name in EXAMPLES {
        cargo.args(["--example", name]);
    }
    let built = cargo.output().expect("cargo runs");
    assert!(
        built.status.success(),
        "building the examples failed:\n{}",
        text(&built.stderr)
    );
    profile_dir
}

/// The test harness's name for the test function `name` of the module `module` (its
/// `module_path!()`), for a test that runs one test of this binary in a child process:
/// the module path without the crate's name, then `name`.
pub fn test_name(module: &str, name: &str) -> String {
    match module.split_once("::") {
        Some((_, path)) => format!("{path}::{name}"),
        None => name.to_string(),
    }
}

/// A process's output as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A fresh directory under the system's temporary directory, removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    /// `backprop-<process id>-<n>-<name>`, emptied first: `n` counts the directories
    /// this process made, as the tests that make them run in one process.
    pub fn new(name: &str) -> Self {
        static MADE: AtomicUsize = AtomicUsize::new(0);
        let n = MADE.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("backprop-{}-{n}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.0
    }

    /// A path inside the directory.
    pub fn join(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
