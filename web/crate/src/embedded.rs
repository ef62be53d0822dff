//! The page's MNIST digits. The first 1,000 of `data/mnist`'s 10,000 test digits, the
//! ones the page measures its test accuracy on, are compiled into the module (cut out
//! by `build.rs`: about 170 KB; all of them made the module 3.9 MB). The 10,000
//! training digits (1.6 MB gzipped) are not: `web/build.sh` copies their two files,
//! as in `data/mnist`, to `web/dist/mnist/`, and the page fetches them only when
//! training starts (`bp_train_data`), so that it loads in under 1.5 MB.

use backprop::data::{DataError, Mnist};

/// The gzipped IDX files of the test digits, as `build.rs` wrote them.
const TEST_IMAGES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/test-images-idx3-ubyte.gz"));
const TEST_LABELS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/test-labels-idx1-ubyte.gz"));

/// The training files' names, in `data/mnist` and in `web/dist/mnist/`: the images,
/// then the labels.
pub const TRAINING_FILES: [&str; 2] = ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"];

/// The page's MNIST: the training digits from the contents of their two IDX files
/// (gzipped or raw, as the page fetched them) and the embedded test digits, decoded
/// and scaled to `[0, 1]` (about 35 MB as `f32`; a few hundred milliseconds in a
/// browser).
///
/// # Errors
/// The library's [`DataError`] for files that are not MNIST training files, naming
/// the file (`train-images-idx3-ubyte: …`); the embedded test digits are tested.
///
/// ```
/// let [images, labels] = backprop_web::embedded::training_files().unwrap();
/// let mnist = backprop_web::embedded::mnist(&images, &labels).unwrap();
/// assert_eq!((mnist.train.len(), mnist.test.len()), (10_000, 1_000));
/// assert_eq!((mnist.train.label(0), mnist.test.label(0)), (5, 7));
/// let swapped = backprop_web::embedded::mnist(&labels, &images).unwrap_err();
/// assert!(swapped.to_string().starts_with("train-images-idx3-ubyte: "), "{swapped}");
/// ```
pub fn mnist(train_images: &[u8], train_labels: &[u8]) -> Result<Mnist, DataError> {
    Mnist::from_idx_bytes(train_images, train_labels, TEST_IMAGES, TEST_LABELS)
}

/// The contents of the two training files ([`TRAINING_FILES`]) read from the
/// repository's `data/mnist`, the files the page fetches: for host tests (the module
/// has no file system; the page passes them to `bp_train_data`).
///
/// # Errors
/// The file system's, when a file cannot be read.
///
/// ```
/// let [images, labels] = backprop_web::embedded::training_files().unwrap();
/// assert_eq!((&images[..2], &labels[..2]), (&[0x1f, 0x8b][..], &[0x1f, 0x8b][..])); // gzip
/// ```
#[cfg(not(target_arch = "wasm32"))]
pub fn training_files() -> std::io::Result<[Vec<u8>; 2]> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/mnist");
    let read = |name| {
        std::fs::read(dir.join(name))
            .map_err(|e| std::io::Error::new(e.kind(), format!("{name}: {e}")))
    };
    Ok([read(TRAINING_FILES[0])?, read(TRAINING_FILES[1])?])
}
