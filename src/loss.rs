//! Losses: a network's scores and the targets in, one number out (its mean over the
//! batch), and the gradient ∂L/∂scores that starts backpropagation.
//!
//! | loss | targets | forward | backward |
//! |---|---|---|---|
//! | [`SoftmaxWithLoss`] (5.6) | labels `[usize; N]` or one-hot `Matrix<N, C>` | `−(1/N) Σ t·log softmax(a)` | `(y − t)/N` |
//! | [`MeanSquaredError`] (4.2.1) | values `Matrix<N, O>` | `½·Σ(y − t)²/N` | `(y − t)/N` |
//!
//! A loss of your own is one impl of [`Loss`]; the network's gradient, the gradient
//! check and the training loop take any loss.

mod mse;
mod softmax_with_loss;
mod targets;

pub use mse::MeanSquaredError;
pub use softmax_with_loss::{SoftmaxWithLoss, softmax};
pub use targets::Targets;

use crate::{Error, Float, Matrix};

/// A loss over a batch of `N` score rows `C` wide, against targets of type `Y`.
///
/// `forward` keeps what `backward` needs; `backward` returns ∂L/∂scores for the last
/// forward pass, into a buffer the loss owns (so a training step allocates nothing).
/// Calling `backward` before any `forward` is a broken invariant and panics.
///
/// A loss of your own, mean absolute error `L = (1/N)·Σ|y − t|`:
///
/// ```
/// use backprop::{Error, Float, Loss, Matrix};
/// struct MeanAbsoluteError<const N: usize, const C: usize> { grad: Matrix<N, C, f64> }
/// impl<const N: usize, const C: usize> Loss<N, C, f64, Matrix<N, C, f64>> for MeanAbsoluteError<N, C> {
///     fn forward(&mut self, y: &Matrix<N, C, f64>, t: &Matrix<N, C, f64>) -> Result<f64, Error> {
///         let mut sum = 0.0;
///         for ((g, &y), &t) in self.grad.as_mut_slice().iter_mut().zip(y.as_slice()).zip(t.as_slice()) {
///             sum += (y - t).abs();
///             *g = (y - t).signum() / N as f64; // ∂L/∂y
///         }
///         Ok(sum / N as f64)
///     }
///     fn backward(&mut self) -> &Matrix<N, C, f64> {
///         &self.grad
///     }
/// }
/// let mut mae = MeanAbsoluteError { grad: Matrix::zeros() };
/// assert_eq!(mae.forward(&Matrix::new([[1.0], [4.0]]), &Matrix::new([[0.0], [6.0]]))?, 1.5);
/// assert_eq!(mae.backward().as_slice(), &[0.5, -0.5]);
/// # Ok::<(), Error>(())
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot compare a batch of {N}×{C} scores with targets `{Y}`",
    label = "this loss and these targets do not fit the network's output",
    note = "the loss's batch size and width must be the scores' (`Matrix<{N}, {C}>`); SoftmaxWithLoss takes labels `[usize; {N}]` or one-hot rows `Matrix<{N}, {C}>`, MeanSquaredError takes values `Matrix<{N}, {C}>`"
)]
pub trait Loss<const N: usize, const C: usize, T: Float, Y: ?Sized> {
    /// The mean loss of a batch of scores against its targets.
    ///
    /// # Errors
    /// Targets that do not make sense for this loss (a label out of range, a target
    /// row that is not a distribution, a target that is not a number); nothing is
    /// changed then.
    fn forward(&mut self, scores: &Matrix<N, C, T>, targets: &Y) -> Result<T, Error>;

    /// ∂L/∂scores for the last forward pass.
    ///
    /// # Panics
    /// If there was no forward pass.
    fn backward(&mut self) -> &Matrix<N, C, T>;
}
