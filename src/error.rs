//! Errors for data that comes from outside the program.
//!
//! A shape mistake in code is a compile error and never reaches here; a broken
//! internal invariant is a panic that names the layer. What is left is data handed
//! over at run time: a vector of the wrong length, a class label out of range, a
//! dataset whose rows do not fit its type, a loss that stopped being a number.

use std::fmt;

/// What went wrong with data handed to the crate at run time.
///
/// ```
/// use backprop::{Error, Matrix};
/// let err = Matrix::<2, 3>::from_vec(vec![1.0; 5]).unwrap_err();
/// assert_eq!(err, Error::Length { rows: 2, cols: 3, expected: 6, actual: 5 });
/// assert_eq!(err.to_string(), "a 2×3 matrix needs 6 elements, got 5");
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Error {
    /// A flat buffer whose length is not `rows · cols`.
    Length {
        /// Rows of the matrix asked for.
        rows: usize,
        /// Columns of the matrix asked for.
        cols: usize,
        /// `rows · cols`.
        expected: usize,
        /// The length that was given.
        actual: usize,
    },
    /// A class label that is not below the number of classes.
    Label {
        /// The row (sample) whose label is out of range.
        row: usize,
        /// The label given.
        label: usize,
        /// The number of classes (the width of the scores).
        classes: usize,
    },
    /// A row of a target matrix that is not a probability distribution (one-hot rows
    /// have one 1 and zeros).
    Target {
        /// The offending row.
        row: usize,
        /// The sum of its entries (it should be 1, each entry in [0, 1]).
        sum: f64,
    },
    /// A row of a dataset (an input, or a regression target) whose length is not the
    /// width its type gives: `I` for an input, `O` for a target. For a flat vector whose
    /// length is not a multiple of the width, the row is the last, incomplete one.
    RowLength {
        /// `"input"` or `"target"`.
        part: &'static str,
        /// The row (sample), counting from 0.
        row: usize,
        /// The width the type gives.
        expected: usize,
        /// The row's length.
        actual: usize,
    },
    /// A dataset given a different number of inputs and targets.
    CountMismatch {
        /// The number of inputs.
        inputs: usize,
        /// The number of targets.
        targets: usize,
    },
    /// A NaN or infinite value in a dataset: a network cannot learn from it, and one in
    /// a batch makes the whole loss NaN.
    NotFiniteData {
        /// `"input"` or `"target"`.
        part: &'static str,
        /// The row (sample), counting from 0.
        row: usize,
        /// The element within the row, counting from 0.
        element: usize,
        /// The offending value.
        value: f64,
    },
    /// A dataset with no samples: nothing to draw a batch from.
    EmptyDataset,
    /// A split given to a trainer (or an evaluation) with no samples: nothing to train
    /// on, or an accuracy of 0/0.
    EmptySplit {
        /// Which: `"training"`, `"test"`, or `"evaluated"` for a dataset given alone.
        split: &'static str,
    },
    /// A loss or gradient that is NaN or infinite.
    NotFinite {
        /// Where it happened, e.g. `"loss at iteration 120"`.
        what: String,
        /// The offending value.
        value: f64,
    },
    /// The operating system would not start the threads asked for
    /// ([`with_threads`](crate::threads::with_threads)).
    Threads {
        /// The number of threads asked for.
        threads: usize,
        /// What the thread pool reported.
        reason: String,
    },
    /// A value of the `BACKPROP_GEMM` environment variable that is not a kernel name,
    /// or names a kernel this CPU does not run ([`cpu::gemm_kernel_checked`](crate::cpu::gemm_kernel_checked)).
    GemmKernel {
        /// What is wrong and which kernel runs instead.
        reason: String,
    },
    /// An image buffer whose length is not `width · height` pixels of `per_pixel`
    /// values each.
    ImageLength {
        /// The image's width in pixels.
        width: usize,
        /// The image's height in pixels.
        height: usize,
        /// `"RGBA"` or `"grayscale"`.
        format: &'static str,
        /// Values a pixel: 4 for RGBA, 1 for grayscale.
        per_pixel: usize,
        /// The buffer's length.
        actual: usize,
    },
    /// An image with no pixels: a width or height of 0.
    EmptyImage {
        /// The width given.
        width: usize,
        /// The height given.
        height: usize,
    },
    /// A grayscale pixel outside `[0, 1]` (0 black, 1 white), or NaN.
    Pixel {
        /// Its column, counting from 0.
        x: usize,
        /// Its row, counting from 0.
        y: usize,
        /// The value found.
        value: f64,
    },
    /// An image with no ink: every pixel is (nearly) the paper's brightness, or fully
    /// transparent.
    BlankImage,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Length {
                rows,
                cols,
                expected,
                actual,
            } => write!(
                f,
                "a {rows}×{cols} matrix needs {expected} elements, got {actual}"
            ),
            Error::Label {
                row,
                label,
                classes,
            } => write!(
                f,
                "label {label} in row {row} is out of range: there are {classes} classes (0..{classes})"
            ),
            Error::Target { row, sum } => write!(
                f,
                "target row {row} is not one-hot: its entries must lie in [0, 1] and sum to 1 (they sum to {sum})"
            ),
            Error::RowLength {
                part,
                row,
                expected,
                actual,
            } => write!(
                f,
                "{part} row {row} has length {actual}, expected {expected}"
            ),
            Error::CountMismatch { inputs, targets } => write!(
                f,
                "{inputs} inputs but {targets} targets: a dataset needs one target per input"
            ),
            Error::NotFiniteData {
                part,
                row,
                element,
                value,
            } => write!(
                f,
                "{part} row {row}, element {element} is {value}, not a finite number"
            ),
            Error::EmptyDataset => write!(f, "a dataset needs at least one sample, got none"),
            Error::EmptySplit { split } => write!(
                f,
                "the {split} dataset has no samples: nothing to train on or measure"
            ),
            Error::NotFinite { what, value } => write!(f, "{what} is {value}, not a finite number"),
            Error::Threads { threads, reason } => {
                write!(f, "could not start a pool of {threads} threads: {reason}")
            }
            Error::GemmKernel { reason } => write!(f, "{reason}"),
            Error::ImageLength {
                width,
                height,
                format,
                per_pixel,
                actual,
            } => {
                let expected = *width as u128 * *height as u128 * *per_pixel as u128;
                write!(
                    f,
                    "a {width}×{height} {format} image needs {expected} values"
                )?;
                if *per_pixel > 1 {
                    write!(f, " ({per_pixel} a pixel)")?;
                }
                write!(f, ", got {actual}")
            }
            Error::EmptyImage { width, height } => {
                write!(f, "a {width}×{height} image has no pixels")
            }
            Error::Pixel { x, y, value } => write!(
                f,
                "pixel ({x}, {y}) is {value}, outside 0 (black) to 1 (white)"
            ),
            Error::BlankImage => write!(
                f,
                "the image is blank: no pixel stands out from the paper (or the transparent background)"
            ),
        }
    }
}

impl std::error::Error for Error {}
