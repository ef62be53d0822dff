//! Losses: a network's scores and the targets in, one number out (its mean over the
//! batch), and the gradient ∂L/∂scores that starts backpropagation.
//!
//! | loss | targets | forward | backward |
//! |---|---|---|---|
//! | [`SoftmaxWithLoss<C>`](SoftmaxWithLoss) (5.6) | labels `[usize; N]` or one-hot `Matrix<N, C>` | `−(1/N) Σ t·log softmax(a)` | `(y − t)/N` |
//! | [`MeanSquaredError<O>`](MeanSquaredError) (4.2.1) | values `Matrix<N, O>` | `½·Σ(y − t)²/N` | `(y − t)/N` |
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
/// A loss is only its formula: it keeps nothing between calls, so one value serves
/// every batch size (`N` comes from the scores) and can be shared. `forward` is the
/// mean loss; `backward` is forward and backward at once, as the book runs them: it
/// returns the same mean loss and writes ∂L/∂scores into the caller's `grad`, so a
/// training step allocates nothing.
///
/// A loss of your own, mean absolute error `L = (1/N)·Σ|y − t|`:
///
/// ```
/// use backprop::{Error, Loss, Matrix};
/// struct MeanAbsoluteError;
/// impl<const N: usize, const C: usize> Loss<N, C, f64, Matrix<N, C, f64>> for MeanAbsoluteError {
///     fn forward(&self, y: &Matrix<N, C, f64>, t: &Matrix<N, C, f64>) -> Result<f64, Error> {
///         let sum: f64 = y.as_slice().iter().zip(t.as_slice()).map(|(y, t)| (y - t).abs()).sum();
///         Ok(sum / N as f64)
///     }
///     fn backward(&self, y: &Matrix<N, C, f64>, t: &Matrix<N, C, f64>, grad: &mut Matrix<N, C, f64>) -> Result<f64, Error> {
///         for ((g, &y), &t) in grad.as_mut_slice().iter_mut().zip(y.as_slice()).zip(t.as_slice()) {
///             *g = (y - t).signum() / N as f64; // ∂L/∂y
///         }
///         self.forward(y, t)
///     }
/// }
/// let (y, t) = (Matrix::new([[1.0], [4.0]]), Matrix::new([[0.0], [6.0]]));
/// let mut grad = Matrix::zeros();
/// assert_eq!(MeanAbsoluteError.backward(&y, &t, &mut grad)?, 1.5);
/// assert_eq!(grad.as_slice(), &[0.5, -0.5]);
/// # Ok::<(), Error>(())
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot compare a batch of {N}×{C} scores with targets `{Y}`",
    label = "this loss and these targets do not fit the network's output",
    note = "the loss's width must be the scores' ({C}): SoftmaxWithLoss<{C}> takes labels `[usize; {N}]` or one-hot rows `Matrix<{N}, {C}>`, MeanSquaredError<{C}> takes values `Matrix<{N}, {C}>`"
)]
pub trait Loss<const N: usize, const C: usize, T: Float, Y: ?Sized> {
    /// The mean loss of a batch of scores against its targets.
    ///
    /// # Errors
    /// Targets that do not make sense for this loss (a label out of range, a target
    /// row that is not a distribution, a target that is not a number).
    fn forward(&self, scores: &Matrix<N, C, T>, targets: &Y) -> Result<T, Error>;

    /// The mean loss, as [`forward`](Loss::forward), with ∂L/∂scores written into
    /// `grad`.
    ///
    /// # Errors
    /// As `forward`; `grad` is not changed then.
    fn backward(
        &self,
        scores: &Matrix<N, C, T>,
        targets: &Y,
        grad: &mut Matrix<N, C, T>,
    ) -> Result<T, Error>;
}
