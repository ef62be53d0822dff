//! Errors for data that comes from outside the program.
//!
//! A shape mistake in code is a compile error and never reaches here; a broken
//! internal invariant is a panic that names the layer. What is left is data handed
//! over at run time: a vector of the wrong length, a class label out of range, a loss
//! that stopped being a number.

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
            Error::NotFinite { what, value } => write!(f, "{what} is {value}, not a finite number"),
            Error::Threads { threads, reason } => {
                write!(f, "could not start a pool of {threads} threads: {reason}")
            }
        }
    }
}

impl std::error::Error for Error {}
