//! Updating parameters along their gradients (section 5.7, step 3; the optimizers of
//! section 6.1).
//!
//! Every optimizer implements [`Optimizer`]: one [`step`](Optimizer::step) updates
//! every parameter `W` of a network from the gradient `g = ∂L/∂W` its last backward
//! pass left beside it. With learning rate `η` (all arithmetic element by element):
//!
//! | optimizer    | state per parameter | one step                                                           |
//! |--------------|---------------------|--------------------------------------------------------------------|
//! | [`Sgd`]      | none                | `W ← W − η·g`                                                      |
//! | [`Momentum`] | velocity `v`        | `v ← αv − η·g;  W ← W + v`                                         |
//! | [`Nesterov`] | velocity `v`        | `v ← αv − η·g;  W ← W + α²·v − (1 + α)·η·g`                        |
//! | [`AdaGrad`]  | `h`                 | `h ← h + g²;  W ← W − η·g / (√h + ε)`                              |
//! | [`RmsProp`]  | `h`                 | `h ← ρh + (1 − ρ)·g²;  W ← W − η·g / (√h + ε)`                     |
//!
//! A stateful optimizer creates its state on the first step and reuses it: one optimizer
//! per network.

use crate::{Float, Params};

mod adagrad;
mod momentum;
mod nesterov;
mod rmsprop;
mod sgd;
mod state;

pub use adagrad::AdaGrad;
pub use momentum::Momentum;
pub use nesterov::Nesterov;
pub use rmsprop::RmsProp;
pub use sgd::Sgd;

/// A rule that updates parameters from their gradients.
///
/// A new optimizer is one type implementing these three methods; [`Params`] hands it
/// each parameter's values and gradient in a fixed order, so state kept per parameter
/// can sit in a `Vec` in that order.
///
/// ```
/// use backprop::{Affine, Layer, Matrix, Optimizer, Params};
/// /// Moves every value one step of size η against the sign of its gradient.
/// struct SignDescent(f64);
/// impl Optimizer<f64> for SignDescent {
///     fn step(&mut self, params: &mut dyn Params<f64>) {
///         params.visit_params(&mut |p| {
///             for (w, g) in p.values.iter_mut().zip(p.grad) {
///                 *w -= self.0 * g.signum();
///             }
///         });
///     }
///     fn learning_rate(&self) -> f64 {
///         self.0
///     }
///     fn set_learning_rate(&mut self, lr: f64) {
///         self.0 = lr;
///     }
/// }
/// let mut layer = Affine::new(Matrix::new([[1.0_f64]]), Matrix::new([[0.0]]));
/// layer.forward(&Matrix::new([[-3.0]]));
/// layer.backward(&Matrix::new([[1.0]])); // dW = −3, db = 1
/// SignDescent(0.25).step(&mut layer);
/// assert_eq!((layer.w[(0, 0)], layer.b[(0, 0)]), (1.25, -0.25));
/// ```
pub trait Optimizer<T: Float> {
    /// One update of every parameter from the gradient its last backward pass left
    /// beside it.
    fn step(&mut self, params: &mut dyn Params<T>);
    /// The learning rate η.
    fn learning_rate(&self) -> f64;
    /// Sets η (for schedules).
    fn set_learning_rate(&mut self, lr: f64);
}
