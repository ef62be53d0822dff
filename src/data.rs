//! Data in: datasets that yield typed batches — a user's own vectors, or MNIST read
//! from its IDX files.
//!
//! - [`Dataset<I, Y, T>`](Dataset) holds samples, each an input of `I` values and a
//!   target of kind `Y`: [`Labels<C>`] (a class in `0..C`, for classification) or
//!   [`Values<O, T>`] (`O` numbers, for regression); both implement [`TargetSet`]. Its
//!   constructors check the data once and return a typed [`Error`](crate::Error) that
//!   names the row (a row of the wrong length, counts that differ, a label `≥ C`, NaN or
//!   ±∞, no samples), never a panic. It hands out [`Matrix<N, I>`](crate::Matrix)
//!   batches: random ones drawn with replacement, as the book's `np.random.choice`, or
//!   consecutive ones ([`Batches`]) to evaluate a whole dataset.
//! - [`Splits`] is a training and a test dataset; [`Mnist`] is the one for MNIST,
//!   `Splits<784, Labels<10>>`, whose [`Mnist::load`] reads the four standard files of
//!   a directory and scales each pixel `p` to `p / 255` in `[0, 1]`.
//! - [`digit_from_rgba`] (and [`digit_from_gray`]) turns a picture of a digit, of any
//!   size, into a 28×28 input as MNIST's were made: inverted if drawn dark on light,
//!   cropped, fitted into 20×20, centred by its centre of mass.
//! - [`idx`] reads one IDX file, gzip-compressed or raw (told apart by the first two
//!   bytes, gzip's `1f 8b`), and checks its header against its payload before trusting
//!   either: a header is only a claim about the bytes that follow.
//!
//! Your own data is a constructor call:
//!
//! ```
//! use backprop::data::{Dataset, Labels, Splits, Values};
//! use rand::{SeedableRng, rngs::StdRng};
//!
//! // Classification: points of the plane, labelled 1 above the line y = x.
//! let points = vec![vec![0.0, 1.0], vec![1.0, 0.0], vec![2.0, 3.0], vec![3.0, 1.0]];
//! let above = Dataset::<2, Labels<2>>::classification(points, vec![1, 0, 1, 0])?;
//! let (x, t) = above.random_batch::<8>(&mut StdRng::seed_from_u64(0)); // Matrix<8, 2>, [usize; 8]
//! assert!(x.rows().zip(t).all(|(p, label)| label == usize::from(p[1] > p[0])));
//!
//! // Regression: y = x² at three points, and a test point.
//! let train = Dataset::<1, Values<1>>::regression(
//!     vec![vec![-1.0], vec![0.0], vec![2.0]],
//!     vec![vec![1.0], vec![0.0], vec![4.0]],
//! )?;
//! let test = Dataset::regression(vec![vec![3.0]], vec![vec![9.0]])?;
//! let data = Splits { train, test };
//! let (x, y) = data.train.batch::<3>(0).unwrap(); // Matrix<3, 1>, Matrix<3, 1>
//! assert_eq!((x.row(2), y.row(2)), (&[2.0][..], &[4.0][..]));
//!
//! // A NaN is refused, with its place.
//! let err = Dataset::<2, Labels<2>>::classification(vec![vec![0.0, f32::NAN]], vec![0]).unwrap_err();
//! assert_eq!(err.to_string(), "input row 0, element 1 is NaN, not a finite number");
//! # Ok::<(), backprop::Error>(())
//! ```
//!
//! The crate ships a real MNIST subset in [`DEFAULT_DIR`]: the first 10,000 training
//! digits and the full 10,000-digit test set. Any directory with the same four file
//! names works too, such as Fashion-MNIST from Debian's `dataset-fashion-mnist` package.
//! Every failure to read one is a [`DataError`] that names the file and says what is
//! wrong with it.
//!
//! ```
//! use backprop::data::{Mnist, DEFAULT_DIR};
//! use rand::{SeedableRng, rngs::StdRng};
//!
//! let mnist: Mnist = Mnist::load(DEFAULT_DIR)?;
//! let mut rng = StdRng::seed_from_u64(0);
//! let (x, t) = mnist.train.random_batch::<100>(&mut rng);
//! assert_eq!(x.row(0).len(), 784);
//! assert!(t.iter().all(|&label| label < 10));
//! # Ok::<(), backprop::data::DataError>(())
//! ```

mod batches;
mod blocks;
mod dataset;
mod digit;
pub mod idx;
mod mnist;
mod rows;
mod targets;

use std::fmt;
use std::io;
use std::path::PathBuf;

pub use batches::Batches;
pub use blocks::EVAL_ROWS;
pub use dataset::{Dataset, Splits};
pub use digit::{INK_THRESHOLD, digit_from_gray, digit_from_rgba};
pub use mnist::{CLASSES, COLS, DEFAULT_DIR, Mnist, PIXELS, ROWS, Split};
pub use targets::{Labels, Metric, TargetSet, Values};

/// What went wrong reading a data file. Every variant names the file (or both files,
/// for a count mismatch) and what is wrong with it.
///
/// ```
/// use backprop::data::{DataError, Mnist};
/// let err = Mnist::<f32>::load("no/such/dir").unwrap_err();
/// assert!(matches!(err, DataError::Missing { .. }));
/// assert!(err.to_string().contains("no/such/dir/train-images-idx3-ubyte"));
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum DataError {
    /// The file does not exist (nor its other form, raw or `.gz`, when one was tried).
    Missing {
        /// The file looked for.
        path: PathBuf,
        /// The other name tried for the same file, e.g. with `.gz` appended.
        also_tried: Option<PathBuf>,
    },
    /// The file exists but could not be read.
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: io::Error,
    },
    /// The file starts like gzip (`1f 8b`) but does not decompress.
    Gzip {
        /// The file.
        path: PathBuf,
        /// What the decompressor said.
        source: io::Error,
    },
    /// The file ends before its header, or before the payload its header announces.
    Truncated {
        /// The file.
        path: PathBuf,
        /// `"header"` or `"payload"`.
        part: &'static str,
        /// Bytes that part needs.
        expected: u64,
        /// Bytes the file has for it.
        actual: u64,
    },
    /// The payload goes on past the `expected` bytes its header announces.
    TrailingBytes {
        /// The file.
        path: PathBuf,
        /// The payload length the header announces: the product of its dimensions.
        expected: u64,
    },
    /// The first four bytes are not the magic number expected.
    ///
    /// An IDX magic number is `0x0000TTDD`: `TT` the element type (`0x08`, unsigned
    /// byte, the only one this crate reads) and `DD` the number of dimensions; MNIST
    /// images are 2051 (`0x00000803`), labels 2049 (`0x00000801`).
    Magic {
        /// The file.
        path: PathBuf,
        /// The magic number found.
        found: u32,
        /// The magic number wanted, or `None` when any unsigned-byte IDX file would do.
        expected: Option<u32>,
    },
    /// The dimensions in the header are not the ones expected, or multiply to more
    /// bytes than a `u64` counts.
    Dims {
        /// The file.
        path: PathBuf,
        /// The dimensions in the header.
        found: Vec<usize>,
        /// What was expected, in words, e.g. `"[count ≥ 1, 28, 28]"`.
        expected: String,
    },
    /// An image file and its label file disagree on the number of samples.
    CountMismatch {
        /// The image file.
        images: PathBuf,
        /// The number of images it holds.
        image_count: usize,
        /// The label file.
        labels: PathBuf,
        /// The number of labels it holds.
        label_count: usize,
    },
    /// A label that is not below the number of classes.
    Label {
        /// The label file.
        path: PathBuf,
        /// The position of the label in the file.
        index: usize,
        /// The label found.
        label: u8,
        /// The number of classes (10 for MNIST), so labels must be in `0..classes`.
        classes: usize,
    },
}

/// Where to get MNIST-layout data, appended to [`DataError::Missing`]'s message.
const MISSING_HINT: &str = "the crate ships an MNIST subset in `data/mnist` \
(`backprop::data::DEFAULT_DIR`); any directory with the four MNIST file names works too, \
e.g. Fashion-MNIST: `apt-get install dataset-fashion-mnist`, then \
`dpkg -L dataset-fashion-mnist` shows its directory (`/usr/share/datasets/fashion-mnist`)";

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DataError::Missing { path, also_tried } => {
                write!(f, "{}: no such file", path.display())?;
                if let Some(other) = also_tried {
                    write!(f, " (nor {})", other.display())?;
                }
                write!(f, "; {MISSING_HINT}")
            }
            DataError::Io { path, source } => {
                write!(f, "{}: cannot read: {source}", path.display())
            }
            DataError::Gzip { path, source } => {
                write!(
                    f,
                    "{}: starts like gzip but does not decompress: {source}",
                    path.display()
                )
            }
            DataError::Truncated {
                path,
                part,
                expected,
                actual,
            } => write!(
                f,
                "{}: truncated: the {part} needs {expected} bytes, the file has {actual}",
                path.display()
            ),
            DataError::TrailingBytes { path, expected } => write!(
                f,
                "{}: trailing bytes: the payload goes on past the {expected} bytes its header announces",
                path.display()
            ),
            DataError::Magic {
                path,
                found,
                expected,
            } => {
                write!(f, "{}: wrong magic number {found:#010x}", path.display())?;
                match expected {
                    Some(want) => write!(f, ", expected {want} ({want:#010x})"),
                    None => write!(
                        f,
                        ", expected 0x000008NN (unsigned bytes, NN ≥ 1 dimensions)"
                    ),
                }
            }
            DataError::Dims {
                path,
                found,
                expected,
            } => write!(
                f,
                "{}: wrong dimensions {found:?}, expected {expected}",
                path.display()
            ),
            DataError::CountMismatch {
                images,
                image_count,
                labels,
                label_count,
            } => write!(
                f,
                "{} holds {image_count} images but {} holds {label_count} labels",
                images.display(),
                labels.display()
            ),
            DataError::Label {
                path,
                index,
                label,
                classes,
            } => write!(
                f,
                "{}: label {label} at index {index} is out of range 0..{classes}",
                path.display()
            ),
        }
    }
}

impl std::error::Error for DataError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            DataError::Io { source, .. } | DataError::Gzip { source, .. } => Some(source),
            _ => None,
        }
    }
}
