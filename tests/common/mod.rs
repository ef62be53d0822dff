//! What the tests that run an example binary share: running it as a user would, its
//! output as text, and a temporary directory for what it writes.
//!
//! Each test file compiles this module on its own and uses part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs `cargo run --release --quiet --example <name> -- <args>` (built in release like
/// the tests), with `BACKPROP_OUT` set to `out` when given and unset otherwise.
pub fn run_example(name: &str, args: &[&str], out: Option<&Path>) -> Output {
    let mut command = Command::new(env!("CARGO"));
    command
        .args(["run", "--release", "--quiet", "--example", name, "--"])
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("BACKPROP_OUT");
    if let Some(dir) = out {
        command.env("BACKPROP_OUT", dir);
    }
    command.output().expect("cargo runs")
}

/// A process's output as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A fresh directory under the system's temporary directory, removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    /// `backprop-<process id>-<name>`, emptied first.
    pub fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("backprop-{}-{name}", std::process::id()));
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
