//! Mean squared error (section 4.2.1), for regression.

use super::Loss;
use crate::{Error, Float, Matrix};

/// The book's sum of squared errors, averaged over the batch:
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
/// let mut mse = MeanSquaredError::new();
/// let y = Matrix::new([[1.0_f64, 2.0], [0.0, 0.0]]);
/// let t = Matrix::new([[0.0, 2.0], [0.0, 2.0]]);
/// assert_eq!(mse.forward(&y, &t)?, 1.25); // ½·(1 + 0 + 0 + 4)/2
/// assert_eq!(mse.backward(), &Matrix::new([[0.5, 0.0], [0.0, -1.0]])); // (y − t)/2
/// # Ok::<(), backprop::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct MeanSquaredError<const N: usize, const O: usize, T = f32> {
    /// `(y − t)/N` from the last forward pass.
    grad: Matrix<N, O, T>,
    ready: bool,
}

impl<const N: usize, const O: usize, T: Float> Default for MeanSquaredError<N, O, T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize, const O: usize, T: Float> MeanSquaredError<N, O, T> {
    /// The loss for batches of `N` rows of `O` values (usually inferred from the
    /// first `forward`).
    ///
    /// ```
    /// use backprop::{Loss, Matrix, MeanSquaredError};
    /// let mut mse = MeanSquaredError::<1, 1, f32>::new();
    /// assert_eq!(mse.forward(&Matrix::new([[3.0]]), &Matrix::new([[1.0]])).unwrap(), 2.0);
    /// ```
    pub fn new() -> Self {
        Self {
            grad: Matrix::zeros(),
            ready: false,
        }
    }
}

impl<const N: usize, const O: usize, T: Float> Loss<N, O, T, Matrix<N, O, T>>
    for MeanSquaredError<N, O, T>
{
    /// # Errors
    /// [`Error::NotFinite`] naming the first target that is NaN or infinite; nothing
    /// is changed then.
    ///
    /// ```
    /// use backprop::{Error, Loss, Matrix, MeanSquaredError};
    /// let bad = MeanSquaredError::new().forward(&Matrix::new([[0.0, 0.0]]), &Matrix::new([[1.0, f64::NAN]]));
    /// assert!(matches!(bad, Err(Error::NotFinite { what, .. }) if what == "target (0, 1)"));
    /// ```
    fn forward(&mut self, y: &Matrix<N, O, T>, t: &Matrix<N, O, T>) -> Result<T, Error> {
        if let Some(k) = t.as_slice().iter().position(|v| !v.is_finite()) {
            return Err(Error::NotFinite {
                what: format!("target ({}, {})", k / O, k % O),
                value: t.as_slice()[k].to_f64(),
            });
        }
        let inv_n = T::ONE / T::from_f64(N as f64);
        let mut sum = T::ZERO;
        let pairs = y.as_slice().iter().zip(t.as_slice());
        for (g, (&y, &t)) in self.grad.as_mut_slice().iter_mut().zip(pairs) {
            let diff = y - t;
            sum += diff * diff;
            *g = diff * inv_n;
        }
        self.ready = true;
        Ok(T::from_f64(0.5) * sum * inv_n)
    }

    /// # Panics
    /// If there was no forward pass.
    fn backward(&mut self) -> &Matrix<N, O, T> {
        assert!(
            self.ready,
            "MeanSquaredError<{N}, {O}>: backward called before any forward pass"
        );
        &self.grad
    }
}
