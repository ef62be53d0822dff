//! The MNIST dataset: four IDX files, in one directory or in memory, loaded into two
//! [`Split`]s.

use std::path::{Path, PathBuf};

use super::idx::IdxFile;
use super::{DataError, Dataset, Labels, Splits};
use crate::Float;

/// The directory of the MNIST subset shipped with the crate: the first 10,000
/// training digits (in the official order) and the complete 10,000-digit test set.
///
/// ```
/// use backprop::data::DEFAULT_DIR;
/// assert!(DEFAULT_DIR.ends_with("data/mnist"));
/// assert!(std::path::Path::new(DEFAULT_DIR).join("train-images-idx3-ubyte.gz").exists());
/// ```
pub const DEFAULT_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/mnist");

/// Rows of an MNIST image.
///
/// ```
/// assert_eq!(backprop::data::ROWS * backprop::data::COLS, backprop::data::PIXELS);
/// ```
pub const ROWS: usize = 28;

/// Columns of an MNIST image.
///
/// ```
/// assert_eq!(backprop::data::COLS, 28);
/// ```
pub const COLS: usize = 28;

/// Pixels of an MNIST image, `28 · 28 = 784`: the width of a batch matrix.
///
/// ```
/// use backprop::{Matrix, data::PIXELS};
/// let batch = Matrix::<100, PIXELS>::zeros();
/// assert_eq!(batch.row(0).len(), 784);
/// ```
pub const PIXELS: usize = ROWS * COLS;

/// Classes of MNIST: the digits 0 to 9.
///
/// ```
/// assert_eq!(backprop::data::CLASSES, 10);
/// ```
pub const CLASSES: usize = 10;

/// The file names of a directory in the MNIST layout, each raw or with `.gz`.
const TRAIN_IMAGES: &str = "train-images-idx3-ubyte";
const TRAIN_LABELS: &str = "train-labels-idx1-ubyte";
const TEST_IMAGES: &str = "t10k-images-idx3-ubyte";
const TEST_LABELS: &str = "t10k-labels-idx1-ubyte";

/// One split of MNIST: 28×28 images as inputs of [`PIXELS`] values in `[0, 1]`, row
/// after row, each with a label 0–9.
///
/// ```
/// use backprop::data::{Mnist, Split};
/// let mnist = Mnist::<f32>::load_default()?;
/// let test: &Split = &mnist.test;
/// assert_eq!((test.input(0).len(), test.label(0)), (784, 7));
/// # Ok::<(), backprop::data::DataError>(())
/// ```
pub type Split<T = f32> = Dataset<PIXELS, Labels<CLASSES>, T>;

/// MNIST (or any dataset in its layout): a training split and a test split of 28×28
/// images scaled to `[0, 1]`, with labels 0–9.
///
/// `T` is the element type of the inputs and batches, `f32` unless said otherwise.
/// Name it when loading (`let mnist: Mnist = ...` or `Mnist::<f64>::load(...)`), since
/// Rust does not infer a default type parameter.
///
/// ```
/// use backprop::data::{DEFAULT_DIR, Mnist};
/// let mnist: Mnist = Mnist::load(DEFAULT_DIR)?;
/// assert_eq!((mnist.train.len(), mnist.test.len()), (10_000, 10_000));
/// assert_eq!(mnist.train.label(0), 5);
/// # Ok::<(), backprop::data::DataError>(())
/// ```
pub type Mnist<T = f32> = Splits<PIXELS, Labels<CLASSES>, T>;

impl<T: Float> Mnist<T> {
    /// Loads the four standard files from `dir`: `train-images-idx3-ubyte`,
    /// `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte` and
    /// `t10k-labels-idx1-ubyte`, each either raw or gzip-compressed with `.gz`
    /// appended (the raw one is read when both exist). Each pixel byte `p` becomes
    /// `p / 255`.
    ///
    /// # Errors
    /// [`DataError::Missing`] (with a hint where to get data) when a file exists in
    /// neither form; [`DataError::Magic`], [`DataError::Dims`] (images not 28×28, or
    /// none), [`DataError::Label`] (a label above 9), [`DataError::CountMismatch`]
    /// (images and labels of a split differ in number), and every error of
    /// [`IdxFile::read`].
    ///
    /// ```
    /// use backprop::data::{DEFAULT_DIR, Mnist};
    /// let mnist = Mnist::<f64>::load(DEFAULT_DIR)?;
    /// let first = mnist.test.input(0);
    /// assert_eq!(first.len(), 784);
    /// assert!(first.iter().all(|&p| (0.0..=1.0).contains(&p)));
    /// # Ok::<(), backprop::data::DataError>(())
    /// ```
    pub fn load(dir: impl AsRef<Path>) -> Result<Self, DataError> {
        let dir = dir.as_ref();
        let read = |name| find(dir, name).and_then(IdxFile::read);
        Self::from_idx_files(
            read(TRAIN_IMAGES)?,
            read(TRAIN_LABELS)?,
            read(TEST_IMAGES)?,
            read(TEST_LABELS)?,
        )
    }

    /// MNIST from the contents of its four files, already in memory (e.g. embedded
    /// with `include_bytes!` where there is no file system, as in WebAssembly), each
    /// gzip-compressed or raw as [`Mnist::load`] reads them; errors name each file by
    /// its standard name (`train-images-idx3-ubyte`, …).
    ///
    /// # Errors
    /// As [`Mnist::load`], less the file-system ones: every error of
    /// [`IdxFile::from_bytes`], [`DataError::Magic`], [`DataError::Dims`],
    /// [`DataError::Label`], [`DataError::CountMismatch`].
    ///
    /// ```
    /// use backprop::data::{DEFAULT_DIR, DataError, Mnist};
    /// let file = |name: &str| std::fs::read(format!("{DEFAULT_DIR}/{name}.gz")).unwrap();
    /// let (images, labels) = (file("t10k-images-idx3-ubyte"), file("t10k-labels-idx1-ubyte"));
    /// let mnist = Mnist::<f32>::from_idx_bytes(&images, &labels, &images, &labels)?;
    /// assert_eq!((mnist.train.len(), mnist.test.label(0)), (10_000, 7));
    ///
    /// // Labels in place of images: the wrong magic number, naming the file.
    /// let err = Mnist::<f32>::from_idx_bytes(&labels, &labels, &images, &labels).unwrap_err();
    /// assert!(matches!(err, DataError::Magic { found: 2049, expected: Some(2051), .. }));
    /// assert!(err.to_string().starts_with("train-images-idx3-ubyte: "));
    /// # Ok::<(), DataError>(())
    /// ```
    pub fn from_idx_bytes(
        train_images: &[u8],
        train_labels: &[u8],
        test_images: &[u8],
        test_labels: &[u8],
    ) -> Result<Self, DataError> {
        Self::from_idx_files(
            IdxFile::from_bytes(TRAIN_IMAGES, train_images)?,
            IdxFile::from_bytes(TRAIN_LABELS, train_labels)?,
            IdxFile::from_bytes(TEST_IMAGES, test_images)?,
            IdxFile::from_bytes(TEST_LABELS, test_labels)?,
        )
    }

    /// The two splits from the four parsed files, whichever way they were read.
    fn from_idx_files(
        train_images: IdxFile,
        train_labels: IdxFile,
        test_images: IdxFile,
        test_labels: IdxFile,
    ) -> Result<Self, DataError> {
        Ok(Self {
            train: split(train_images, train_labels)?,
            test: split(test_images, test_labels)?,
        })
    }

    /// Loads the subset shipped with the crate, from [`DEFAULT_DIR`].
    ///
    /// # Errors
    /// As [`Mnist::load`]; the shipped files are tested, so an error here means the
    /// crate's `data/mnist` directory is missing or damaged.
    ///
    /// ```
    /// use backprop::data::Mnist;
    /// let mnist = Mnist::<f32>::load_default()?;
    /// assert_eq!(mnist.train.labels()[..5], [5, 0, 4, 1, 9]);
    /// # Ok::<(), backprop::data::DataError>(())
    /// ```
    pub fn load_default() -> Result<Self, DataError> {
        Self::load(DEFAULT_DIR)
    }
}

/// One split from its image file and its label file: checked (28×28 images, labels
/// 0–9, as many of each), pixels scaled to `[0, 1]`.
fn split<T: Float>(images: IdxFile, labels: IdxFile) -> Result<Split<T>, DataError> {
    let images_path = images.path().to_path_buf();
    let labels_path = labels.path().to_path_buf();
    let pixels = images.into_images(ROWS, COLS)?;
    let labels = labels.into_labels(CLASSES)?;
    let image_count = pixels.len() / PIXELS;
    if image_count != labels.len() {
        return Err(DataError::CountMismatch {
            images: images_path,
            image_count,
            labels: labels_path,
            label_count: labels.len(),
        });
    }
    // One conversion per possible byte, then a table look-up per pixel.
    let scale: Vec<T> = (0..=255u8)
        .map(|p| T::from_f64(f64::from(p) / 255.0))
        .collect();
    let inputs = pixels.iter().map(|&p| scale[usize::from(p)]).collect();
    let labels = Labels::from_checked(labels.into_iter().map(u32::from).collect());
    Ok(Split::from_checked(inputs, labels))
}

/// `dir/name` if it exists, else `dir/name.gz` if that does.
fn find(dir: &Path, name: &str) -> Result<PathBuf, DataError> {
    let raw = dir.join(name);
    let gz = dir.join(format!("{name}.gz"));
    if raw.is_file() {
        Ok(raw)
    } else if gz.is_file() {
        Ok(gz)
    } else {
        Err(DataError::Missing {
            path: raw,
            also_tried: Some(gz),
        })
    }
}
