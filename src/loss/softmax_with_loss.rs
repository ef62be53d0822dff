//! Softmax-with-Loss (section 5.6): softmax, cross-entropy, and their joint gradient.

use super::{Loss, Targets};
use crate::{Error, Float, Matrix};

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

/// Softmax in place; returns `(max a, ln Σ_j exp(a_j − max a))`, whose sum is the
/// log-sum-exp `ln Σ_j exp(a_j)` the loss needs.
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
    /// Whether a forward pass has filled `y` and `t`.
    ready: bool,
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
            ready: false,
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
        self.ready = true;
        Ok(self.loss)
    }

    /// `∂L/∂scores = (y − t) / N` for the last forward pass (the book's `dout = 1`).
    ///
    /// # Panics
    /// If there was no forward pass: there is no `y` to take `t` from.
    ///
    /// ```
    /// use backprop::{Matrix, SoftmaxWithLoss};
    /// let mut loss = SoftmaxWithLoss::new();
    /// loss.forward(&Matrix::new([[0.0_f64, 0.0]]), &Matrix::new([[0.0, 1.0]])).unwrap();
    /// assert_eq!(loss.backward(), &Matrix::new([[0.5, -0.5]]));
    /// ```
    pub fn backward(&mut self) -> &Matrix<N, C, T> {
        assert!(
            self.ready,
            "SoftmaxWithLoss<{N}, {C}>: backward called before any forward pass"
        );
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

/// The [`Loss`] trait, for labels and one-hot rows alike: the inherent methods above.
impl<const N: usize, const C: usize, T: Float, Y: Targets<N, C, T>> Loss<N, C, T, Y>
    for SoftmaxWithLoss<N, C, T>
{
    fn forward(&mut self, scores: &Matrix<N, C, T>, targets: &Y) -> Result<T, Error> {
        SoftmaxWithLoss::forward(self, scores, targets)
    }

    fn backward(&mut self) -> &Matrix<N, C, T> {
        SoftmaxWithLoss::backward(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[should_panic(expected = "SoftmaxWithLoss<2, 3>: backward called before any forward pass")]
    fn backward_before_forward_is_refused() {
        SoftmaxWithLoss::<2, 3, f64>::new().backward();
    }
}
