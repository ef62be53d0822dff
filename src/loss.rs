//! Softmax-with-Loss (section 5.6): softmax, cross-entropy, and their joint gradient.

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
    /// Writes the targets as one-hot rows (each row's entries sum to 1) into `t`.
    ///
    /// # Errors
    /// [`Error::Label`] for a class label `≥ C`; [`Error::Target`] for a row of a
    /// target matrix that is not a probability distribution.
    fn write_one_hot(&self, t: &mut Matrix<N, C, T>) -> Result<(), Error>;
}

/// Class labels, one a row: row `i` of the scores should score highest at `self[i]`.
impl<const N: usize, const C: usize, T: Float> Targets<N, C, T> for [usize; N] {
    fn write_one_hot(&self, t: &mut Matrix<N, C, T>) -> Result<(), Error> {
        for (row, (&label, out)) in self.iter().zip(t.rows_mut()).enumerate() {
            if label >= C {
                return Err(Error::Label {
                    row,
                    label,
                    classes: C,
                });
            }
            out.fill(T::ZERO);
            out[label] = T::ONE;
        }
        Ok(())
    }
}

/// One-hot rows (or any rows of non-negative numbers that sum to 1).
impl<const N: usize, const C: usize, T: Float> Targets<N, C, T> for Matrix<N, C, T> {
    fn write_one_hot(&self, t: &mut Matrix<N, C, T>) -> Result<(), Error> {
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
        t.clone_from(self);
        Ok(())
    }
}

/// Softmax of each row, `y_k = exp(a_k − max a) / Σ_j exp(a_j − max a)`: subtracting
/// the row's max leaves the result unchanged and keeps `exp` from overflowing.
///
/// ```
/// use backprop::{Matrix, softmax};
/// let y = softmax(&Matrix::new([[1000.0_f64, 1000.0], [0.0, f64::ln(3.0)]]));
/// assert_eq!(y.row(0), &[0.5, 0.5]);
/// assert!((y[(1, 1)] - 0.75).abs() < 1e-15);
/// ```
pub fn softmax<const N: usize, const C: usize, T: Float>(a: &Matrix<N, C, T>) -> Matrix<N, C, T> {
    let mut y = a.clone();
    for row in y.rows_mut() {
        softmax_row(row);
    }
    y
}

/// Softmax in place; returns `ln Σ_j exp(a_j − max a)`, which with the max gives the
/// log-sum-exp the loss needs.
fn softmax_row<T: Float>(row: &mut [T]) -> (T, T) {
    let max = row.iter().copied().fold(row[0], T::max);
    let mut sum = T::ZERO;
    for v in row.iter_mut() {
        *v = (*v - max).exp();
        sum += *v;
    }
    let inv = T::ONE / sum;
    for v in row.iter_mut() {
        *v *= inv;
    }
    (max, sum.ln())
}

/// Softmax followed by the cross-entropy error, as one layer at the end of a network:
///
/// ```text
/// forward:  y = softmax(a),  L = −(1/N) Σ_i Σ_k t_ik · log y_ik
/// backward: ∂L/∂a = (y − t) / N
/// ```
///
/// The loss is computed through log-sum-exp, `log y_ik = a_ik − max_i − ln Σ_j exp(a_ij
/// − max_i)`, so it is finite for any finite scores and `(y − t)/N` is its exact
/// gradient. (The book computes `log(y + 1e-7)`, whose gradient differs from
/// `(y − t)/N` by up to about 1e-7, enough to fail a tight gradient check.)
///
/// The batch size `N` and class count `C` are in the type, usually inferred from the
/// first `forward`.
///
/// ```
/// use backprop::{Matrix, SoftmaxWithLoss};
/// let mut loss = SoftmaxWithLoss::new();
/// let scores = Matrix::new([[0.0_f64, 0.0], [0.0, 0.0]]);
/// let l = loss.forward(&scores, &[0, 1]).unwrap();
/// assert!((l - 2.0_f64.ln()).abs() < 1e-15); // both rows predict 50/50
/// let da = loss.backward();
/// assert_eq!(da, &Matrix::new([[-0.25, 0.25], [0.25, -0.25]])); // (y − t)/N
/// ```
#[derive(Debug, Clone)]
pub struct SoftmaxWithLoss<const N: usize, const C: usize, T = f32> {
    y: Matrix<N, C, T>,
    t: Matrix<N, C, T>,
    da: Matrix<N, C, T>,
    loss: T,
}

impl<const N: usize, const C: usize, T: Float> Default for SoftmaxWithLoss<N, C, T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize, const C: usize, T: Float> SoftmaxWithLoss<N, C, T> {
    /// A loss layer for batches of `N` scores over `C` classes.
    ///
    /// ```
    /// let loss = backprop::SoftmaxWithLoss::<100, 10>::new();
    /// assert_eq!(loss.loss(), 0.0);
    /// ```
    pub fn new() -> Self {
        Self {
            y: Matrix::zeros(),
            t: Matrix::zeros(),
            da: Matrix::zeros(),
            loss: T::ZERO,
        }
    }

    /// Computes `y = softmax(scores)` and returns the mean cross-entropy against
    /// `targets`; keeps `y` and `t` for [`backward`](Self::backward).
    ///
    /// # Errors
    /// [`Error::Label`] if a label is `≥ C`, [`Error::Target`] if a target row is not a
    /// probability distribution. Nothing is changed then.
    ///
    /// ```
    /// use backprop::{Error, Matrix, SoftmaxWithLoss};
    /// let mut loss = SoftmaxWithLoss::new();
    /// let scores = Matrix::<1, 3>::zeros();
    /// assert_eq!(
    ///     loss.forward(&scores, &[3]),
    ///     Err(Error::Label { row: 0, label: 3, classes: 3 })
    /// );
    /// ```
    pub fn forward(
        &mut self,
        scores: &Matrix<N, C, T>,
        targets: &impl Targets<N, C, T>,
    ) -> Result<T, Error> {
        // Validate into `da` (scratch until backward) so a bad target changes nothing.
        targets.write_one_hot(&mut self.da)?;
        std::mem::swap(&mut self.t, &mut self.da);
        self.y.clone_from(scores);
        let mut total = T::ZERO;
        for ((y, a), t) in self.y.rows_mut().zip(scores.rows()).zip(self.t.rows()) {
            let (max, log_sum) = softmax_row(y);
            // −Σ_k t_k log y_k with log y_k = a_k − max − log_sum.
            for (&a_k, &t_k) in a.iter().zip(t) {
                if t_k != T::ZERO {
                    total += t_k * (max + log_sum - a_k);
                }
            }
        }
        self.loss = total / T::from_f64(N as f64);
        Ok(self.loss)
    }

    /// `∂L/∂scores = (y − t) / N` for the last forward pass (the book's `dout = 1`).
    ///
    /// ```
    /// use backprop::{Matrix, SoftmaxWithLoss};
    /// let mut loss = SoftmaxWithLoss::new();
    /// loss.forward(&Matrix::new([[0.0_f64, 0.0]]), &Matrix::new([[0.0, 1.0]])).unwrap();
    /// assert_eq!(loss.backward(), &Matrix::new([[0.5, -0.5]]));
    /// ```
    pub fn backward(&mut self) -> &Matrix<N, C, T> {
        let scale = T::ONE / T::from_f64(N as f64);
        let (y, t) = (self.y.as_slice(), self.t.as_slice());
        for ((d, &y), &t) in self.da.as_mut_slice().iter_mut().zip(y).zip(t) {
            *d = (y - t) * scale;
        }
        &self.da
    }

    /// The loss of the last forward pass.
    ///
    /// ```
    /// use backprop::{Matrix, SoftmaxWithLoss};
    /// let mut loss = SoftmaxWithLoss::<1, 2, f64>::new();
    /// loss.forward(&Matrix::zeros(), &[1]).unwrap();
    /// assert_eq!(loss.loss(), 2.0_f64.ln());
    /// ```
    pub fn loss(&self) -> T {
        self.loss
    }

    /// The softmax probabilities `y` of the last forward pass.
    ///
    /// ```
    /// use backprop::{Matrix, SoftmaxWithLoss};
    /// let mut loss = SoftmaxWithLoss::<1, 2>::new();
    /// loss.forward(&Matrix::zeros(), &[0]).unwrap();
    /// assert_eq!(loss.probabilities().as_slice(), &[0.5, 0.5]);
    /// ```
    pub fn probabilities(&self) -> &Matrix<N, C, T> {
        &self.y
    }
}
