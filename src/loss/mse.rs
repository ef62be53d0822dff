//! Mean squared error (section 4.2.1), for regression.

use std::marker::PhantomData;

use super::Loss;
use crate::{Error, Float, Matrix};

/// The book's sum of squared errors, averaged over the batch, for outputs `O` wide:
///
/// ```text
/// forward:  L = ½ · Σ_i Σ_k (y_ik − t_ik)² / N
/// backward: ∂L/∂y = (y − t) / N
/// ```
///
/// The targets are values, one row of `O` per sample (`Matrix<N, O, T>`). A target
/// that is NaN or infinite is an error, not a NaN loss.
///
/// ```
/// use backprop::{Loss, Matrix, MeanSquaredError};
/// let mse = MeanSquaredError::new();
/// let y = Matrix::new([[1.0_f64, 2.0], [0.0, 0.0]]);
/// let t = Matrix::new([[0.0, 2.0], [0.0, 2.0]]);
/// let mut grad = Matrix::zeros();
/// assert_eq!(mse.backward(&y, &t, &mut grad)?, 1.25); // ½·(1 + 0 + 0 + 4)/2
/// assert_eq!(grad, Matrix::new([[0.5, 0.0], [0.0, -1.0]])); // (y − t)/2
/// # Ok::<(), backprop::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MeanSquaredError<const O: usize, T = f32>(PhantomData<T>);

impl<const O: usize, T: Float> Default for MeanSquaredError<O, T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const O: usize, T: Float> MeanSquaredError<O, T> {
    /// The loss for rows of `O` values (usually inferred from the network's output).
    ///
    /// ```
    /// use backprop::{Loss, Matrix, MeanSquaredError};
    /// let mse = MeanSquaredError::<1, f32>::new();
    /// assert_eq!(mse.forward(&Matrix::new([[3.0]]), &Matrix::new([[1.0]])).unwrap(), 2.0);
    /// ```
    pub fn new() -> Self {
        Self(PhantomData)
    }
}

/// `½·Σ(y − t)²/N`, and `(y − t)/N` into `grad` when there is one.
fn squared_error<const N: usize, const O: usize, T: Float>(
    y: &Matrix<N, O, T>,
    t: &Matrix<N, O, T>,
    mut grad: Option<&mut Matrix<N, O, T>>,
) -> Result<T, Error> {
    if let Some(k) = t.as_slice().iter().position(|v| !v.is_finite()) {
        return Err(Error::NotFinite {
            what: format!("target ({}, {})", k / O, k % O),
            value: t.as_slice()[k].to_f64(),
        });
    }
    let inv_n = T::ONE / T::from_f64(N as f64);
    let mut sum = T::ZERO;
    for (k, (&y, &t)) in y.as_slice().iter().zip(t.as_slice()).enumerate() {
        let diff = y - t;
        sum += diff * diff;
        if let Some(grad) = grad.as_deref_mut() {
            grad.as_mut_slice()[k] = diff * inv_n;
        }
    }
    Ok(T::from_f64(0.5) * sum * inv_n)
}

impl<const N: usize, const O: usize, T: Float> Loss<N, O, T, Matrix<N, O, T>>
    for MeanSquaredError<O, T>
{
    /// # Errors
    /// [`Error::NotFinite`] naming the first target that is NaN or infinite.
    ///
    /// ```
    /// use backprop::{Error, Loss, Matrix, MeanSquaredError};
    /// let bad = MeanSquaredError::new().forward(&Matrix::new([[0.0, 0.0]]), &Matrix::new([[1.0, f64::NAN]]));
    /// assert!(matches!(bad, Err(Error::NotFinite { what, .. }) if what == "target (0, 1)"));
    /// ```
    fn forward(&self, y: &Matrix<N, O, T>, t: &Matrix<N, O, T>) -> Result<T, Error> {
        squared_error(y, t, None)
    }

    /// `∂L/∂y = (y − t)/N` into `grad`.
    fn backward(
        &self,
        y: &Matrix<N, O, T>,
        t: &Matrix<N, O, T>,
        grad: &mut Matrix<N, O, T>,
    ) -> Result<T, Error> {
        squared_error(y, t, Some(grad))
    }
}
