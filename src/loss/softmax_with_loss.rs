//! Softmax-with-Loss (section 5.6): softmax, cross-entropy, and their joint gradient.

use std::marker::PhantomData;

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

/// Softmax followed by the cross-entropy error, as one layer at the end of a network
/// that classifies into `C` classes:
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
/// The class count `C` is in the type (usually inferred from the network's output);
/// the batch size comes with each batch of scores.
///
/// ```
/// use backprop::{Loss, Matrix, SoftmaxWithLoss};
/// let loss = SoftmaxWithLoss::new();
/// let scores = Matrix::new([[0.0_f64, 0.0], [0.0, 0.0]]);
/// let mut da = Matrix::zeros();
/// let l = loss.backward(&scores, &[0, 1], &mut da).unwrap();
/// assert!((l - 2.0_f64.ln()).abs() < 1e-15); // both rows predict 50/50
/// assert_eq!(da, Matrix::new([[-0.25, 0.25], [0.25, -0.25]])); // (y − t)/N
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SoftmaxWithLoss<const C: usize, T = f32>(PhantomData<T>);

impl<const C: usize, T: Float> Default for SoftmaxWithLoss<C, T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const C: usize, T: Float> SoftmaxWithLoss<C, T> {
    /// The loss for scores over `C` classes.
    ///
    /// ```
    /// use backprop::{Loss, Matrix, SoftmaxWithLoss};
    /// let loss = SoftmaxWithLoss::<10>::new();
    /// assert!(loss.forward(&Matrix::<1, 10>::zeros(), &[3]).unwrap() > 2.30);
    /// ```
    pub fn new() -> Self {
        Self(PhantomData)
    }
}

/// The mean cross-entropy of softmax(scores) against one-hot targets `t`; with
/// `grad`, also `(softmax(scores) − t)/N` into it.
fn cross_entropy<const N: usize, const C: usize, T: Float>(
    scores: &Matrix<N, C, T>,
    targets: &impl Targets<N, C, T>,
    mut grad: Option<&mut Matrix<N, C, T>>,
) -> Result<T, Error> {
    targets.check()?;
    let scale = T::ONE / T::from_f64(N as f64);
    let mut total = T::ZERO;
    // exp(a_k − max) of one row, computed once: kept for the gradient.
    let mut exps = [T::ZERO; C];
    for (i, a) in scores.rows().enumerate() {
        let max = a.iter().copied().fold(a[0], T::max);
        for (e, &a_k) in exps.iter_mut().zip(a) {
            *e = (a_k - max).exp();
        }
        let sum: T = exps.iter().copied().sum();
        let log_sum = sum.ln();
        // −Σ_k t_k log y_k with log y_k = a_k − max − log_sum.
        for (k, &a_k) in a.iter().enumerate() {
            let t_k = targets.get(i, k);
            if t_k != T::ZERO {
                total += t_k * (max + log_sum - a_k);
            }
        }
        if let Some(grad) = grad.as_deref_mut() {
            let inv = T::ONE / sum;
            for (k, (d, &e)) in grad.row_mut(i).iter_mut().zip(&exps).enumerate() {
                *d = (e * inv - targets.get(i, k)) * scale;
            }
        }
    }
    Ok(total / T::from_f64(N as f64))
}

/// Labels and one-hot rows alike.
impl<const N: usize, const C: usize, T: Float, Y: Targets<N, C, T>> Loss<N, C, T, Y>
    for SoftmaxWithLoss<C, T>
{
    /// # Errors
    /// [`Error::Label`] if a label is `≥ C`, [`Error::Target`] if a target row is not a
    /// probability distribution.
    ///
    /// ```
    /// use backprop::{Error, Loss, Matrix, SoftmaxWithLoss};
    /// let loss = SoftmaxWithLoss::new();
    /// let scores = Matrix::<1, 3>::zeros();
    /// assert_eq!(loss.forward(&scores, &[3]), Err(Error::Label { row: 0, label: 3, classes: 3 }));
    /// ```
    fn forward(&self, scores: &Matrix<N, C, T>, targets: &Y) -> Result<T, Error> {
        cross_entropy(scores, targets, None)
    }

    /// `∂L/∂scores = (y − t) / N` (the book's `dout = 1`).
    ///
    /// ```
    /// use backprop::{Loss, Matrix, SoftmaxWithLoss};
    /// let mut da = Matrix::zeros();
    /// SoftmaxWithLoss::new().backward(&Matrix::new([[0.0_f64, 0.0]]), &Matrix::new([[0.0, 1.0]]), &mut da).unwrap();
    /// assert_eq!(da, Matrix::new([[0.5, -0.5]]));
    /// ```
    fn backward(
        &self,
        scores: &Matrix<N, C, T>,
        targets: &Y,
        grad: &mut Matrix<N, C, T>,
    ) -> Result<T, Error> {
        cross_entropy(scores, targets, Some(grad))
    }
}
