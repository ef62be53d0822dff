//! Targets for classification: class labels or one-hot rows.

use crate::{Error, Float, Matrix};

/// What a loss compares the scores with: class labels `[usize; N]` (one per row) or
/// one-hot rows `Matrix<N, C, T>`. Either way the batch size `N` must be the scores'
/// (and for one-hot rows the class count `C` too): a mismatch does not compile.
///
/// ```
/// use backprop::{Matrix, Targets};
/// let mut t = Matrix::<2, 3>::zeros();
/// [2, 0].write_one_hot(&mut t).unwrap();
/// assert_eq!(t, Matrix::new([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]));
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the targets of a batch of {N} scores over {C} classes",
    label = "targets for this loss",
    note = "targets are class labels `[usize; {N}]` (one label a row of the scores) or one-hot rows `Matrix<{N}, {C}>`: the batch size and the class count must be the scores'"
)]
pub trait Targets<const N: usize, const C: usize, T: Float> {
    /// Checks every row: a class label below `C`, or a row of probabilities.
    ///
    /// # Errors
    /// [`Error::Label`] for a class label `≥ C`; [`Error::Target`] for a row of a
    /// target matrix that is not a probability distribution.
    fn check(&self) -> Result<(), Error>;

    /// `t[row][class]`: 1 at a row's label and 0 elsewhere, or the matrix's entry.
    /// Only meaningful once [`check`](Targets::check) has passed.
    fn get(&self, row: usize, class: usize) -> T;

    /// Writes the targets as one-hot rows (each row's entries sum to 1) into `t`.
    ///
    /// # Errors
    /// As [`check`](Targets::check); `t` is not changed then.
    fn write_one_hot(&self, t: &mut Matrix<N, C, T>) -> Result<(), Error> {
        self.check()?;
        for (row, out) in t.rows_mut().enumerate() {
            for (class, v) in out.iter_mut().enumerate() {
                *v = self.get(row, class);
            }
        }
        Ok(())
    }
}

/// Class labels, one a row: row `i` of the scores should score highest at `self[i]`.
impl<const N: usize, const C: usize, T: Float> Targets<N, C, T> for [usize; N] {
    fn check(&self) -> Result<(), Error> {
        match self.iter().position(|&label| label >= C) {
            Some(row) => Err(Error::Label {
                row,
                label: self[row],
                classes: C,
            }),
            None => Ok(()),
        }
    }

    fn get(&self, row: usize, class: usize) -> T {
        if self[row] == class { T::ONE } else { T::ZERO }
    }
}

/// One-hot rows (or any rows of non-negative numbers that sum to 1).
impl<const N: usize, const C: usize, T: Float> Targets<N, C, T> for Matrix<N, C, T> {
    fn check(&self) -> Result<(), Error> {
        for (row, values) in self.rows().enumerate() {
            let sum: T = values.iter().copied().sum();
            let bad = values.iter().any(|&v| !(v >= T::ZERO && v <= T::ONE))
                || (sum - T::ONE).abs() > T::from_f64(1e-6);
            if bad {
                return Err(Error::Target {
                    row,
                    sum: sum.to_f64(),
                });
            }
        }
        Ok(())
    }

    fn get(&self, row: usize, class: usize) -> T {
        self[(row, class)]
    }
}
