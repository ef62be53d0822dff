//! Writes the test digits the page uses into `OUT_DIR`, for `src/embedded.rs` to embed:
//! the first [`TEST_DIGITS`] of `data/mnist`'s 10,000 (the page measures its test
//! accuracy on those), as gzipped IDX files like the originals. Embedding all 10,000
//! made the module 3.9 MB.

use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use std::env;
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// How many test digits are embedded: `EVAL_SAMPLES` in web/js/train.js.
const TEST_DIGITS: u32 = 1_000;

fn main() {
    let mnist = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/mnist");
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    for (from, to, header, item) in [
        (
            "t10k-images-idx3-ubyte.gz",
            "test-images-idx3-ubyte.gz",
            16,
            28 * 28,
        ),
        (
            "t10k-labels-idx1-ubyte.gz",
            "test-labels-idx1-ubyte.gz",
            8,
            1,
        ),
    ] {
        let path = mnist.join(from);
        println!("cargo::rerun-if-changed={}", path.display());
        let gz = fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let mut idx = Vec::new();
        GzDecoder::new(gz.as_slice())
            .read_to_end(&mut idx)
            .unwrap_or_else(|e| panic!("cannot gunzip {}: {e}", path.display()));
        // The IDX header: magic, then big-endian sizes, the first being the count.
        let count = u32::from_be_bytes(idx[4..8].try_into().expect("4 bytes"));
        assert!(
            count >= TEST_DIGITS,
            "{} has {count} digits",
            path.display()
        );
        idx[4..8].copy_from_slice(&TEST_DIGITS.to_be_bytes());
        idx.truncate(header + item * TEST_DIGITS as usize);
        let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
        encoder.write_all(&idx).expect("gzip into memory");
        let target = out.join(to);
        fs::write(&target, encoder.finish().expect("gzip into memory"))
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", target.display()));
    }
    println!("cargo::rerun-if-changed=build.rs");
}
