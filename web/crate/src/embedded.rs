//! The MNIST subset shipped with the crate, compiled into the WebAssembly module: a
//! page has no file system, and fetching nothing keeps the page one file of code and
//! one of data. All 10,000 training digits of `data/mnist`, and the first 1,000 of its
//! 10,000 test digits, the ones the page measures its test accuracy on (cut out by
//! `build.rs`; all of them made the module 3.9 MB).

use backprop::data::{DataError, Mnist};

/// The gzipped IDX files: the training ones as in the repository, the test ones as
/// `build.rs` wrote them.
const TRAIN_IMAGES: &[u8] = include_bytes!("../../../data/mnist/train-images-idx3-ubyte.gz");
const TRAIN_LABELS: &[u8] = include_bytes!("../../../data/mnist/train-labels-idx1-ubyte.gz");
const TEST_IMAGES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/test-images-idx3-ubyte.gz"));
const TEST_LABELS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/test-labels-idx1-ubyte.gz"));

/// The embedded MNIST subset, decompressed and scaled to `[0, 1]` (about 35 MB as
/// `f32`; a few hundred milliseconds in a browser).
///
/// # Errors
/// Only if the embedded files are damaged, which the tests rule out; the message is
/// the library's [`DataError`].
///
/// ```
/// let mnist = backprop_web::embedded::mnist().unwrap();
/// assert_eq!((mnist.train.len(), mnist.test.len()), (10_000, 1_000));
/// assert_eq!((mnist.train.label(0), mnist.test.label(0)), (5, 7));
/// ```
pub fn mnist() -> Result<Mnist, DataError> {
    Mnist::from_idx_bytes(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS)
}
